// The web widget's files as `steady serve` hands them out: the bytes of
// web/, the right content types, a strict CSP on the demo page, ETag
// revalidation, and nothing else under those names.
#include "server/static_files.h"

#include <catch2/catch.hpp>

#include "server/api_helpers.h"
#include "server/routes.h"
#include "support/run_process.h"
#include "support/server_process.h"

namespace steady::testing {
namespace {

std::string WebFile(const std::string& name) {
  return ReadFile(std::string(STEADY_SOURCE_DIR) + "/web/" + name);
}

struct Fixture {
  TempDir dir;
  ServerProcess server{{"--db", dir.File("steady.db")}};
  httplib::Client client = server.Client();
};

}  // namespace

TEST_CASE("the widget's script, styles and demo page are served with their types", "[server][widget]") {
  Fixture f;
  struct Expected {
    const char* path;
    const char* file;
    const char* type;
  };
  for (const Expected& e : {Expected{"/", "index.html", "text/html; charset=utf-8"},
                            Expected{"/widget.js", "widget.js", "text/javascript; charset=utf-8"},
                            Expected{"/widget.css", "widget.css", "text/css; charset=utf-8"},
                            Expected{"/demo.js", "demo.js", "text/javascript; charset=utf-8"},
                            Expected{"/demo.css", "demo.css", "text/css; charset=utf-8"}}) {
    INFO(e.path);
    httplib::Result r = f.client.Get(e.path);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == e.type);
    // What the server embedded at build time is what web/ holds now.
    CHECK(r->body == WebFile(e.file));
    CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(r->get_header_value("Cache-Control") == "public, max-age=300");
    CHECK(!r->get_header_value("ETag").empty());
  }
}

TEST_CASE("other websites may load the widget's script and styles", "[server][widget]") {
  Fixture f;
  for (const char* path : {"/widget.js", "/widget.css"}) {
    INFO(path);
    httplib::Result r = f.client.Get(path);
    REQUIRE(r);
    CHECK(r->get_header_value("Cross-Origin-Resource-Policy") == "cross-origin");
  }
  // The demo page's own files are for the demo page only.
  CHECK(f.client.Get("/demo.js")->get_header_value("Cross-Origin-Resource-Policy").empty());
}

TEST_CASE("the demo page runs only this server's own files", "[server][widget]") {
  Fixture f;
  httplib::Result r = f.client.Get("/");
  REQUIRE(r);
  const std::string csp = r->get_header_value("Content-Security-Policy");
  CHECK(csp.find("default-src 'self'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("object-src 'none'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(csp.find("unsafe-eval") == std::string::npos);
  // So the page may have no inline script or style: every <script> has a
  // src, and there is no <style> element or style="" attribute.
  const std::string& page = r->body;
  for (size_t at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1)) {
    const std::string tag = page.substr(at, page.find('>', at) - at);
    INFO(tag);
    CHECK(tag.find(" src=") != std::string::npos);
  }
  CHECK(page.find("<style") == std::string::npos);
  CHECK(page.find(" style=") == std::string::npos);
  // The page embeds the widget with the same one tag a website uses.
  CHECK(page.find(R"(<script src="widget.js" data-title="Talk to Coach" defer></script>)") !=
        std::string::npos);
}

TEST_CASE("a browser with the current copy gets 304 and no body", "[server][widget]") {
  Fixture f;
  httplib::Result first = f.client.Get("/widget.js");
  REQUIRE(first);
  const std::string etag = first->get_header_value("ETag");
  REQUIRE(etag.size() > 2);
  CHECK(etag.front() == '"');
  CHECK(etag.back() == '"');

  httplib::Result again = f.client.Get("/widget.js", {{"If-None-Match", etag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  CHECK(again->get_header_value("ETag") == etag);
  CHECK(again->get_header_value("Cache-Control") == "public, max-age=300");

  // A list that names it, or its weak form, counts too; another tag does not.
  CHECK(f.client.Get("/widget.js", {{"If-None-Match", "\"old\", " + etag}})->status == 304);
  CHECK(f.client.Get("/widget.js", {{"If-None-Match", "W/" + etag}})->status == 304);
  httplib::Result stale = f.client.Get("/widget.js", {{"If-None-Match", "\"old\""}});
  REQUIRE(stale);
  CHECK(stale->status == 200);
  CHECK(stale->body == WebFile("widget.js"));
  // Each file has its own version.
  CHECK(f.client.Get("/widget.css")->get_header_value("ETag") != etag);
}

TEST_CASE("nothing but the widget's five files is served outside the API", "[server][widget]") {
  Fixture f;
  for (const char* path : {"/index.html", "/web/widget.js", "/widget.js.map", "/WIDGET.JS",
                           "/widget.js/", "/../web/widget.js", "/%2e%2e/web/widget.js",
                           "/CMakeLists.txt", "/docs/widget.md", "/intents/crisis.json"}) {
    INFO(path);
    httplib::Result r = f.client.Get(path);
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(ErrorCode(r) == "not_found");
  }
  httplib::Result post = f.client.Post("/widget.js", "", "application/json");
  REQUIRE(post);
  CHECK(post->status == 405);
  CHECK(post->get_header_value("Allow") == "GET");
  httplib::Result head = f.client.Head("/widget.js");
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
}

TEST_CASE("the widget's requests are counted under their own route", "[server][widget]") {
  CHECK(RouteTemplate("/widget.js") == "/widget.js");
  CHECK(RouteTemplate("/widget.css") == "/widget.css");
  CHECK(RouteTemplate("/") == "/");
  CHECK(RouteTemplate("/widget.js.map") == "other");
  Fixture f;
  f.client.Get("/widget.js");
  const std::string metrics = f.client.Get("/metrics")->body;
  CHECK(metrics.find(R"(route="/widget.js",status="200")") != std::string::npos);
}

TEST_CASE("If-None-Match matching follows the standard's weak comparison", "[server][widget]") {
  CHECK(EtagMatches("\"abc\"", "\"abc\""));
  CHECK(EtagMatches("W/\"abc\"", "\"abc\""));
  CHECK(EtagMatches("\"x\",\"abc\"", "\"abc\""));
  CHECK(EtagMatches(" \"x\" ,\t\"abc\" ", "\"abc\""));
  CHECK(EtagMatches("*", "\"abc\""));
  CHECK_FALSE(EtagMatches("\"abcd\"", "\"abc\""));
  CHECK_FALSE(EtagMatches("abc", "\"abc\""));
  CHECK_FALSE(EtagMatches("", "\"abc\""));
  CHECK_FALSE(EtagMatches(",", "\"abc\""));
}

TEST_CASE("the widget's script keeps to what a strict CSP and privacy allow", "[server][widget]") {
  // widget.js runs on other people's websites: no eval, no markup from
  // strings (replies are shown as text), no cookies, no console output
  // (messages must never reach a log), no inline style attributes.
  const std::string js = WebFile("widget.js");
  for (const char* banned : {"eval(", "new Function", "innerHTML", "outerHTML", "insertAdjacentHTML",
                             "document.write", "document.cookie", "console.", "setAttribute(\"style\"",
                             "sessionStorage", "XMLHttpRequest", "sendBeacon", "import("}) {
    INFO(banned);
    CHECK(js.find(banned) == std::string::npos);
  }
  // Every served file is embedded, and only those.
  CHECK(StaticFiles().size() == 5);
  CHECK(kEmbeddedWebFileCount == 5);
  CHECK(StaticFiles().front().path == "/");
}

}  // namespace steady::testing
