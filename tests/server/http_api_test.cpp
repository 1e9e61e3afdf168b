// The HTTP API through the real `steady serve` binary on a loopback port:
// each route, each error status, and what a client can rely on.
#include <catch2/catch.hpp>

#include "server/api_helpers.h"
#include "support/server_process.h"

namespace steady::testing {
namespace {

const char kJson[] = "application/json";

struct Fixture {
  TempDir dir;
  ServerProcess server{{"--db", dir.File("steady.db")}};
  httplib::Client client = server.Client();
};

}  // namespace

TEST_CASE("a new conversation gets an id and the greeting", "[server]") {
  Fixture f;
  httplib::Result r = f.client.Post("/v1/sessions", "", kJson);
  REQUIRE(r);
  CHECK(r->status == 201);
  CHECK(r->get_header_value("Content-Type") == kJson);
  nlohmann::json body = BodyJson(r);
  const std::string id = body.at("session_id");
  CHECK(id.size() >= 22);  // 128 random bits in base64url
  CHECK(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
  CHECK(r->get_header_value("Location") == "/v1/sessions/" + id);
  REQUIRE(!body.at("messages").empty());
  CHECK(!body["messages"][0].at("text").get<std::string>().empty());
  CHECK(body["messages"].back().at("quick_replies").is_array());
  CHECK(StartConversation(f.client) != id);
}

TEST_CASE("a message gets replies, the intent and no crisis", "[server]") {
  Fixture f;
  const std::string id = StartConversation(f.client);
  httplib::Result r = Send(f.client, id, "I used last night");
  REQUIRE(r);
  CHECK(r->status == 200);
  nlohmann::json body = BodyJson(r);
  CHECK(body.at("intent") == "lapse.disclosure");
  CHECK(body.at("crisis").is_null());
  REQUIRE(!body.at("messages").empty());
  for (const auto& m : body["messages"]) {
    CHECK(m.at("text").is_string());
    CHECK(m.at("quick_replies").is_array());
  }
}

TEST_CASE("a crisis message gets the crisis category and its resources", "[server]") {
  Fixture f;
  const std::string id = StartConversation(f.client);
  nlohmann::json body = BodyJson(Send(f.client, id, "I want to kill myself"));
  REQUIRE(body.at("crisis").is_object());
  CHECK(body["crisis"].at("category") == "suicide");
  bool has_988 = false;
  for (const auto& resource : body["crisis"].at("resources")) {
    has_988 = has_988 || resource.value("phone", "") == "988";
  }
  CHECK(has_988);
  // Crisis mode: the next message still carries the resources.
  nlohmann::json next = BodyJson(Send(f.client, id, "thanks"));
  CHECK(next.at("crisis").is_object());
}

TEST_CASE("GET shows the transcript and where the conversation stands", "[server]") {
  Fixture f;
  const std::string id = StartConversation(f.client);
  Send(f.client, id, "I slipped");
  httplib::Result r = f.client.Get("/v1/sessions/" + id);
  REQUIRE(r);
  CHECK(r->status == 200);
  nlohmann::json view = BodyJson(r);
  CHECK(view.at("session_id") == id);
  CHECK(view.at("state").at("turn_count") == 1);
  CHECK(view["state"].at("crisis").is_null());
  const auto& transcript = view.at("transcript");
  bool found = false;
  for (const auto& line : transcript) {
    if (line.at("role") == "user") {
      CHECK(line.at("text") == "I slipped");
      CHECK(line.at("intent") == "lapse.disclosure");
      found = true;
    }
  }
  CHECK(found);
  CHECK(transcript.front().at("role") == "coach");  // the greeting
}

TEST_CASE("DELETE erases the conversation at once", "[server]") {
  Fixture f;
  const std::string id = StartConversation(f.client);
  Send(f.client, id, "I drank again");
  httplib::Result r = f.client.Delete("/v1/sessions/" + id);
  REQUIRE(r);
  CHECK(r->status == 204);
  CHECK(r->body.empty());
  CHECK(f.client.Get("/v1/sessions/" + id)->status == 404);
  CHECK(Send(f.client, id, "hello")->status == 404);
  CHECK(f.client.Delete("/v1/sessions/" + id)->status == 404);
}

TEST_CASE("a retried message gets the first reply byte for byte and is stored once",
          "[server]") {
  Fixture f;
  const std::string id = StartConversation(f.client);
  httplib::Result first = Send(f.client, id, "I used again", "msg-1");
  httplib::Result retry = Send(f.client, id, "I used again", "msg-1");
  REQUIRE(first);
  REQUIRE(retry);
  CHECK(retry->status == 200);
  CHECK(retry->body == first->body);
  nlohmann::json view = BodyJson(f.client.Get("/v1/sessions/" + id));
  CHECK(view["state"]["turn_count"] == 1);
  int user_lines = 0;
  for (const auto& line : view["transcript"]) user_lines += line["role"] == "user";
  CHECK(user_lines == 1);
  // A new id is a new message.
  CHECK(Send(f.client, id, "I used again", "msg-2")->status == 200);
  CHECK(BodyJson(f.client.Get("/v1/sessions/" + id))["state"]["turn_count"] == 2);
}

TEST_CASE("bad requests get the DESIGN statuses and change nothing", "[server]") {
  Fixture f;
  const std::string id = StartConversation(f.client);
  const std::string path = "/v1/sessions/" + id + "/messages";

  SECTION("malformed JSON is 400") {
    httplib::Result r = f.client.Post(path, "{\"text\": ", kJson);
    CHECK(r->status == 400);
    CHECK(ErrorCode(r) == "malformed_json");
  }
  SECTION("missing text is 400") {
    httplib::Result r = f.client.Post(path, "{\"client_message_id\": \"x\"}", kJson);
    CHECK(r->status == 400);
    CHECK(ErrorCode(r) == "missing_text");
  }
  SECTION("text of the wrong type is 400") {
    httplib::Result r = f.client.Post(path, "{\"text\": 42}", kJson);
    CHECK(r->status == 400);
    CHECK(ErrorCode(r) == "invalid_field");
  }
  SECTION("a client_message_id of the wrong type is 400") {
    httplib::Result r = f.client.Post(path, R"({"text": "hi", "client_message_id": 7})", kJson);
    CHECK(r->status == 400);
    CHECK(ErrorCode(r) == "invalid_field");
  }
  SECTION("an empty message is 400") {
    httplib::Result r = f.client.Post(path, R"({"text": "   "})", kJson);
    CHECK(r->status == 400);
    CHECK(ErrorCode(r) == "empty_text");
  }
  SECTION("invalid UTF-8 is 400") {
    httplib::Result r = f.client.Post(path, "{\"text\": \"caf\xe9\"}", kJson);
    CHECK(r->status == 400);
    CHECK(ErrorCode(r) == "invalid_utf8");
  }
  SECTION("a message over 2,000 characters is 413") {
    nlohmann::json body = {{"text", std::string(2001, 'a')}};
    httplib::Result r = f.client.Post(path, body.dump(), kJson);
    CHECK(r->status == 413);
    CHECK(ErrorCode(r) == "text_too_long");
  }
  SECTION("2,000 characters are accepted, counted as characters, not bytes") {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "\xc3\xa9";  // é, two bytes each
    CHECK(f.client.Post(path, nlohmann::json{{"text", text}}.dump(), kJson)->status == 200);
  }
  SECTION("a body over the cap is 413 before it is read") {
    httplib::Result r = f.client.Post(path, std::string(70 * 1024, ' '), kJson);
    CHECK(r->status == 413);
    CHECK(ErrorCode(r) == "body_too_large");
  }
  SECTION("the wrong content type is 415") {
    httplib::Result r = f.client.Post(path, R"({"text": "hi"})", "text/plain");
    CHECK(r->status == 415);
    CHECK(ErrorCode(r) == "unsupported_media_type");
  }
  SECTION("a chunked body is refused") {
    httplib::Headers headers = {{"Transfer-Encoding", "chunked"}};
    httplib::Result r = f.client.Post(path, headers, "5\r\nhello\r\n0\r\n\r\n", kJson);
    REQUIRE(r);
    CHECK(r->status == 411);
  }
  SECTION("a compressed body is refused") {
    httplib::Headers headers = {{"Content-Encoding", "gzip"}};
    httplib::Result r = f.client.Post(path, headers, R"({"text": "hi"})", kJson);
    CHECK(r->status == 415);
    CHECK(ErrorCode(r) == "unsupported_encoding");
  }
  SECTION("an unknown session is 404") {
    httplib::Result r = Send(f.client, "AAAAAAAAAAAAAAAAAAAAAA", "hi");
    CHECK(r->status == 404);
    CHECK(ErrorCode(r) == "unknown_session");
    CHECK(f.client.Get("/v1/sessions/not%20an%20id")->status == 404);
  }
  SECTION("a method the route doesn't take is 405") {
    httplib::Result r = f.client.Put("/v1/sessions/" + id, "{}", kJson);
    CHECK(r->status == 405);
    CHECK(r->get_header_value("Allow") == "GET, DELETE");
  }
  SECTION("an unknown path is 404 with a JSON error") {
    httplib::Result r = f.client.Get("/v2/everything");
    CHECK(r->status == 404);
    CHECK(ErrorCode(r) == "not_found");
  }
  // Whatever was refused, the conversation is as it was.
  nlohmann::json view = BodyJson(f.client.Get("/v1/sessions/" + id));
  const int turns = view["state"]["turn_count"];
  CHECK(turns <= 1);  // only the accepted 2,000-character message counts
  for (const auto& line : view["transcript"]) {
    if (line["role"] == "user") CHECK(line["text"].get<std::string>().size() == 4000);
  }
}

TEST_CASE("too many messages get 429 with Retry-After, and the session is unchanged",
          "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db"), "--session-rate", "1", "--session-burst", "3"});
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);
  for (int i = 0; i < 3; ++i) CHECK(Send(client, id, "hello")->status == 200);
  httplib::Result r = Send(client, id, "hello");
  REQUIRE(r);
  CHECK(r->status == 429);
  CHECK(ErrorCode(r) == "too_many_requests");
  CHECK(std::stoi(r->get_header_value("Retry-After")) >= 1);
  CHECK(BodyJson(client.Get("/v1/sessions/" + id))["state"]["turn_count"] == 3);
  // Another conversation has its own allowance.
  CHECK(Send(client, StartConversation(client), "hello")->status == 200);
}

TEST_CASE("requests from one address are limited too", "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db"), "--address-rate", "1", "--address-burst", "2"});
  httplib::Client client = server.Client();
  CHECK(client.Post("/v1/sessions", "", kJson)->status == 201);
  CHECK(client.Post("/v1/sessions", "", kJson)->status == 201);
  httplib::Result r = client.Post("/v1/sessions", "", kJson);
  CHECK(r->status == 429);
  CHECK(!r->get_header_value("Retry-After").empty());
  CHECK(client.Get("/healthz")->status == 200);  // health checks are never limited
}

TEST_CASE("CORS: an allowed origin may call the API, others get no permission", "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db"), "--allow-origin", "https://clinic.example"});
  httplib::Client client = server.Client();

  httplib::Headers allowed = {{"Origin", "https://clinic.example"},
                              {"Access-Control-Request-Method", "POST"}};
  httplib::Result pre = client.Options("/v1/sessions", allowed);
  REQUIRE(pre);
  CHECK(pre->status == 204);
  CHECK(pre->get_header_value("Access-Control-Allow-Origin") == "https://clinic.example");
  CHECK(pre->get_header_value("Access-Control-Allow-Methods").find("POST") != std::string::npos);
  CHECK(pre->get_header_value("Access-Control-Allow-Headers") == "Content-Type");

  httplib::Result post = client.Post("/v1/sessions", allowed, "", kJson);
  CHECK(post->get_header_value("Access-Control-Allow-Origin") == "https://clinic.example");

  httplib::Headers other = {{"Origin", "https://evil.example"}};
  httplib::Result denied = client.Options("/v1/sessions", other);
  CHECK(denied->status == 403);
  CHECK(!denied->has_header("Access-Control-Allow-Origin"));
  CHECK(!client.Post("/v1/sessions", other, "", kJson)->has_header("Access-Control-Allow-Origin"));
}

TEST_CASE("responses carry security headers and never echo request headers", "[server]") {
  Fixture f;
  httplib::Headers headers = {{"X-Probe", "%0d%0aSet-Cookie:%20x=1"},
                              {"Origin", "https://not-allowed.example"}};
  httplib::Result r = f.client.Get("/healthz", headers);
  REQUIRE(r);
  CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(r->get_header_value("Cache-Control") == "no-store");
  CHECK(!r->get_header_value("Content-Security-Policy").empty());
  CHECK(!r->has_header("Set-Cookie"));
  for (const auto& [name, value] : r->headers) {
    CHECK(value.find("Set-Cookie") == std::string::npos);
    CHECK(value.find("not-allowed") == std::string::npos);
  }
}

TEST_CASE("health, readiness and metrics", "[server]") {
  Fixture f;
  CHECK(f.client.Get("/healthz")->status == 200);
  httplib::Result ready = f.client.Get("/readyz");
  CHECK(ready->status == 200);
  CHECK(BodyJson(ready)["status"] == "ready");

  const std::string id = StartConversation(f.client);
  Send(f.client, id, "I want to die");
  f.client.Post("/v1/sessions/" + id + "/messages", "{", kJson);
  httplib::Result m = f.client.Get("/metrics");
  REQUIRE(m);
  CHECK(m->status == 200);
  CHECK(m->get_header_value("Content-Type").rfind("text/plain", 0) == 0);
  const std::string& text = m->body;
  CHECK(text.find("steady_sessions_created_total 1") != std::string::npos);
  CHECK(text.find("steady_crisis_turns_total{category=\"suicide\"} 1") != std::string::npos);
  CHECK(text.find(R"(steady_http_requests_total{method="POST",route="/v1/sessions/{id}/messages",status="400"} 1)") !=
        std::string::npos);
  CHECK(text.find("steady_turn_duration_seconds_count 1") != std::string::npos);
  CHECK(text.find("steady_store_errors_total 0") != std::string::npos);
  CHECK(text.find(id) == std::string::npos);  // no session ids in labels
}

TEST_CASE("the access log has one JSON line per request and no message text", "[server]") {
  Fixture f;
  const std::string id = StartConversation(f.client);
  Send(f.client, id, "my secret words about last night");
  f.client.Get("/healthz");
  f.server.Stop();
  const std::string log = f.server.err();
  CHECK(log.find("secret words") == std::string::npos);
  CHECK(log.find(id) == std::string::npos);
  CHECK(log.find(R"("route":"/v1/sessions/{id}/messages")") != std::string::npos);
  CHECK(log.find(R"("route":"/healthz")") != std::string::npos);
  // Every line is JSON.
  size_t start = 0;
  int lines = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    std::string line = log.substr(start, end - start);
    if (!line.empty()) {
      CHECK_NOTHROW(nlohmann::json::parse(line));
      ++lines;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  CHECK(lines >= 3);
}

}  // namespace steady::testing
