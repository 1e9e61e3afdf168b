#include "server/request_parser.h"

#include <catch2/catch.hpp>

namespace steady {

TEST_CASE("a message request needs JSON with a text string", "[server][parser]") {
  MessageRequest m;
  CHECK(ParseMessageRequest("application/json", R"({"text": "I used"})", &m).ok());
  CHECK(m.text == "I used");
  CHECK(m.client_message_id.empty());
  CHECK(ParseMessageRequest("application/json; charset=UTF-8",
                            R"({"text": "hi", "client_message_id": "abc"})", &m)
            .ok());
  CHECK(m.client_message_id == "abc");
  CHECK(ParseMessageRequest("Application/JSON", R"({"text": "hi", "future_field": [1]})", &m)
            .ok());
}

TEST_CASE("message requests are refused with DESIGN's statuses", "[server][parser]") {
  MessageRequest m;
  auto code = [&](const char* type, const std::string& body) {
    ApiError e = ParseMessageRequest(type, body, &m);
    return std::to_string(e.status) + " " + e.code;
  };
  CHECK(code("text/plain", R"({"text": "hi"})") == "415 unsupported_media_type");
  CHECK(code("", R"({"text": "hi"})") == "415 unsupported_media_type");
  CHECK(code("application/json; charset=latin1", R"({"text": "hi"})") ==
        "415 unsupported_media_type");
  CHECK(code("application/json", "{") == "400 malformed_json");
  CHECK(code("application/json", "[1, 2]") == "400 malformed_json");
  CHECK(code("application/json", "") == "400 malformed_json");
  CHECK(code("application/json", "{\"text\": \"caf\xe9\"}") == "400 invalid_utf8");
  CHECK(code("application/json", R"({"text": "\ud800"})") == "400 malformed_json");
  CHECK(code("application/json", "{}") == "400 missing_text");
  CHECK(code("application/json", R"({"text": null})") == "400 missing_text");
  CHECK(code("application/json", R"({"text": ["hi"]})") == "400 invalid_field");
  CHECK(code("application/json", R"({"text": " \n\t "})") == "400 empty_text");
  CHECK(code("application/json", R"({"text": "hi", "client_message_id": 3})") ==
        "400 invalid_field");
  CHECK(code("application/json", R"({"text": "hi", "client_message_id": ""})") ==
        "400 invalid_field");
  CHECK(code("application/json", R"({"text": "hi", "client_message_id": ")" +
                                     std::string(129, 'x') + "\"}") == "400 invalid_field");
  // Deep nesting is refused rather than parsed.
  CHECK(code("application/json", "{\"text\": \"hi\", \"x\": " + std::string(1000, '[') +
                                     std::string(1000, ']') + "}") == "400 malformed_json");
}

TEST_CASE("a NUL spelled as a JSON escape is refused as invalid text (found by fuzzing)",
          "[server][parser]") {
  MessageRequest m;
  ApiError e = ParseMessageRequest("application/json", R"({"text": "i used \u0000 again"})", &m);
  CHECK(e.status == 400);
  CHECK(e.code == "invalid_utf8");
  e = ParseMessageRequest("application/json", R"({"text": "hi", "client_message_id": "a\u0000"})",
                          &m);
  CHECK(e.status == 400);
  CHECK(e.code == "invalid_field");
  CHECK(ParseMessageRequest("application/json", R"({"text": "caf\u00e9 \ud83d\ude14"})", &m).ok());
  CHECK(m.text == "caf\xC3\xA9 \xF0\x9F\x98\x94");
}

TEST_CASE("starting a session takes an empty body or a JSON object", "[server][parser]") {
  CHECK(ParseCreateSessionRequest("", "").ok());
  CHECK(ParseCreateSessionRequest("application/x-www-form-urlencoded", "").ok());
  CHECK(ParseCreateSessionRequest("application/json", "{}").ok());
  CHECK(ParseCreateSessionRequest("text/plain", "hello").status == 415);
  CHECK(ParseCreateSessionRequest("application/json", "[]").status == 400);
}

TEST_CASE("error bodies have DESIGN's shape", "[server][parser]") {
  ApiError e{404, "unknown_session", "No such conversation."};
  CHECK(e.Body() == R"({"error":{"code":"unknown_session","message":"No such conversation."}})");
}

}  // namespace steady
