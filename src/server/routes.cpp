#include "server/routes.h"

namespace steady {
namespace {

constexpr std::string_view kSessions = "/v1/sessions/";

}  // namespace

const std::vector<Route>& ApiRoutes() {
  static const std::vector<Route> routes = {
      {"POST", "/v1/sessions", R"(/v1/sessions)"},
      {"POST", "/v1/sessions/{id}/messages", R"(/v1/sessions/([^/]+)/messages)"},
      {"GET", "/v1/sessions/{id}", R"(/v1/sessions/([^/]+))"},
      {"DELETE", "/v1/sessions/{id}", R"(/v1/sessions/([^/]+))"},
      {"GET", "/healthz", R"(/healthz)"},
      {"GET", "/readyz", R"(/readyz)"},
      {"GET", "/metrics", R"(/metrics)"},
  };
  return routes;
}

std::string RouteTemplate(std::string_view path) {
  if (path == "/v1/sessions" || path == "/healthz" || path == "/readyz" || path == "/metrics") {
    return std::string(path);
  }
  if (path.substr(0, kSessions.size()) == kSessions) {
    std::string_view rest = path.substr(kSessions.size());
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos && !rest.empty()) return "/v1/sessions/{id}";
    if (slash != std::string_view::npos && slash > 0 && rest.substr(slash) == "/messages") {
      return "/v1/sessions/{id}/messages";
    }
  }
  return "other";
}

}  // namespace steady
