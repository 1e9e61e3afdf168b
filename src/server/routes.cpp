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
      // Messaging-platform webhooks (src/adapters/); 404 unless enabled.
      {"POST", "/v1/adapters/telegram", R"(/v1/adapters/telegram)"},
      {"POST", "/v1/adapters/twilio/sms", R"(/v1/adapters/twilio/sms)"},
      {"GET", "/healthz", R"(/healthz)"},
      {"GET", "/readyz", R"(/readyz)"},
      {"GET", "/metrics", R"(/metrics)"},
      // The web chat widget (src/server/static_files.h) and its demo page.
      {"GET", "/", R"(/)"},
      {"GET", "/widget.js", R"(/widget\.js)"},
      {"GET", "/widget.css", R"(/widget\.css)"},
      {"GET", "/demo.js", R"(/demo\.js)"},
      {"GET", "/demo.css", R"(/demo\.css)"},
  };
  return routes;
}

std::string RouteTemplate(std::string_view path) {
  if (path == "/v1/sessions" || path == "/healthz" || path == "/readyz" || path == "/metrics") {
    return std::string(path);
  }
  // Any other fixed path of the table (the widget's files...) is its own
  // template.
  for (const Route& route : ApiRoutes()) {
    if (path == route.path) return std::string(path);
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
