// Fuzzes what the server reads from a request path before any route runs:
// the route template logs and metrics use (RouteTemplate,
// src/server/routes.h) and the session id check every /v1/sessions/{id}
// route makes (IsWellFormedSessionId, src/store/session_id.h). Input: the
// path.
//
// Promises checked: the template is one of the route table's paths or
// "other" (so a scanner's random paths never make new metric series);
// "/v1/sessions/{id}" only for /v1/sessions/ and one non-empty segment,
// and ".../messages" only with a non-empty id; the session id check
// accepts exactly 1-128 characters of [A-Za-z0-9_-].
#include <cstdint>
#include <set>
#include <string>

#include "fuzz_support.h"
#include "server/routes.h"
#include "store/session_id.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::set<std::string> templates = [] {
    std::set<std::string> t = {"other"};
    for (const steady::Route& route : steady::ApiRoutes()) t.insert(route.path);
    return t;
  }();
  const std::string path(steady::fuzz::AsText(data, size));
  const std::string tmpl = steady::RouteTemplate(path);
  FUZZ_CHECK(templates.count(tmpl) == 1, "a path's template is a route or \"other\"");

  const std::string prefix = "/v1/sessions/";
  const bool under_sessions = path.rfind(prefix, 0) == 0;
  const std::string rest = under_sessions ? path.substr(prefix.size()) : "";
  if (tmpl == "/v1/sessions/{id}") {
    FUZZ_CHECK(under_sessions && !rest.empty() && rest.find('/') == std::string::npos,
               "{id} is one non-empty path segment");
  }
  if (tmpl == "/v1/sessions/{id}/messages") {
    const std::string suffix = "/messages";
    FUZZ_CHECK(under_sessions && rest.size() > suffix.size() &&
                   rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) == 0 &&
                   rest.find('/') == rest.size() - suffix.size(),
               "{id}/messages has one non-empty id segment");
  }

  bool well_formed = !path.empty() && path.size() <= 128;
  for (char c : path) {
    well_formed = well_formed && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                  (c >= '0' && c <= '9') || c == '_' || c == '-');
  }
  FUZZ_CHECK(steady::IsWellFormedSessionId(path) == well_formed,
             "a session id is 1-128 characters of [A-Za-z0-9_-]");
  return 0;
}
