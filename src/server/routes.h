// The HTTP API's routes (DESIGN.md, "HTTP API (v1)"), as data: the server
// registers exactly these, docs/openapi.json documents exactly these, and a
// test checks that the two agree.
#ifndef STEADY_SERVER_ROUTES_H_
#define STEADY_SERVER_ROUTES_H_

#include <string>
#include <string_view>
#include <vector>

namespace steady {

struct Route {
  const char* method;    // "GET", "POST", ...
  const char* path;      // OpenAPI template: "/v1/sessions/{id}"
  const char* pattern;   // cpp-httplib regex: R"(/v1/sessions/([^/]+))"
};

// Every route the server answers (CORS preflight OPTIONS aside).
const std::vector<Route>& ApiRoutes();

// The template of a request path, for logs and metrics: "/v1/sessions/{id}"
// for "/v1/sessions/abc". "other" when the path is none of ours, so a
// scanner's random paths never become new metric series.
std::string RouteTemplate(std::string_view path);

}  // namespace steady

#endif  // STEADY_SERVER_ROUTES_H_
