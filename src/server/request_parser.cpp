#include "server/request_parser.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace steady {
namespace {

// Deeper JSON than this is refused: no real request nests more than two
// levels, and a bound keeps a hostile body from costing stack or time.
constexpr int kMaxJsonDepth = 16;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

ApiError Malformed() {
  return {400, "malformed_json", "The body is not valid JSON."};
}

// Parses `body` as one JSON object. Sets *out on success.
ApiError ParseObject(std::string_view body, nlohmann::json* out) {
  if (!IsValidUtf8(body)) return {400, "invalid_utf8", "The body is not valid UTF-8."};
  try {
    nlohmann::json::parser_callback_t limit_depth =
        [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
          if (depth > kMaxJsonDepth) throw std::out_of_range("too deep");
          return true;
        };
    *out = nlohmann::json::parse(body.begin(), body.end(), limit_depth);
  } catch (const std::exception&) {
    return Malformed();
  }
  if (!out->is_object()) return {400, "malformed_json", "The body must be a JSON object."};
  return ApiError();
}

}  // namespace

ApiError CheckJsonContentType(std::string_view content_type) {
  const ApiError wrong{415, "unsupported_media_type",
                       "Send JSON with Content-Type: application/json."};
  std::string_view rest = content_type;
  size_t semi = rest.find(';');
  std::string media = Lower(TrimSpaces(rest.substr(0, semi)));
  if (media != "application/json") return wrong;
  while (semi != std::string_view::npos) {
    rest.remove_prefix(semi + 1);
    semi = rest.find(';');
    std::string param = Lower(TrimSpaces(rest.substr(0, semi)));
    if (param.empty()) continue;
    size_t eq = param.find('=');
    if (eq == std::string::npos) return wrong;
    std::string name(TrimSpaces(std::string_view(param).substr(0, eq)));
    std::string value(TrimSpaces(std::string_view(param).substr(eq + 1)));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (name == "charset" && value != "utf-8" && value != "utf8") {
      return {415, "unsupported_media_type", "Send the JSON body as UTF-8."};
    }
  }
  return ApiError();
}

ApiError ParseMessageRequest(std::string_view content_type, std::string_view body,
                             MessageRequest* out) {
  if (ApiError e = CheckJsonContentType(content_type); !e.ok()) return e;
  nlohmann::json j;
  if (ApiError e = ParseObject(body, &j); !e.ok()) return e;

  auto text = j.find("text");
  if (text == j.end() || text->is_null()) {
    return {400, "missing_text", "The body needs a \"text\" field with the message."};
  }
  if (!text->is_string()) return {400, "invalid_field", "\"text\" must be a string."};
  const std::string& value = text->get_ref<const std::string&>();
  if (IsBlank(value)) return {400, "empty_text", "The message is empty."};
  // The body was UTF-8, but a JSON escape can still spell a NUL ("\u0000"),
  // which no message holds and the engine refuses: refuse it here, once.
  if (!IsValidUtf8(value)) {
    return {400, "invalid_utf8", "The text holds a character that is not allowed (NUL)."};
  }

  std::string client_message_id;
  auto id = j.find("client_message_id");
  if (id != j.end() && !id->is_null()) {
    if (!id->is_string()) {
      return {400, "invalid_field", "\"client_message_id\" must be a string."};
    }
    client_message_id = id->get<std::string>();
    if (client_message_id.empty() || client_message_id.size() > kMaxClientMessageIdBytes) {
      return {400, "invalid_field", "\"client_message_id\" must be 1 to 128 bytes long."};
    }
    if (!IsValidUtf8(client_message_id)) {
      return {400, "invalid_field", "\"client_message_id\" holds a NUL character."};
    }
  }
  out->text = value;
  out->client_message_id = std::move(client_message_id);
  return ApiError();
}

ApiError ParseCreateSessionRequest(std::string_view content_type, std::string_view body) {
  if (IsBlank(body)) return ApiError();
  if (ApiError e = CheckJsonContentType(content_type); !e.ok()) return e;
  nlohmann::json j;
  return ParseObject(body, &j);
}

}  // namespace steady
