#include "server/routes.h"

#include <catch2/catch.hpp>

namespace steady {

TEST_CASE("paths map to their route template, unknown ones to 'other'", "[server]") {
  CHECK(RouteTemplate("/v1/sessions") == "/v1/sessions");
  CHECK(RouteTemplate("/v1/sessions/abc") == "/v1/sessions/{id}");
  CHECK(RouteTemplate("/v1/sessions/abc/messages") == "/v1/sessions/{id}/messages");
  CHECK(RouteTemplate("/healthz") == "/healthz");
  CHECK(RouteTemplate("/v1/sessions/") == "other");
  CHECK(RouteTemplate("/v1/sessions/abc/other") == "other");
  CHECK(RouteTemplate("/wp-admin.php") == "other");
}

}  // namespace steady
