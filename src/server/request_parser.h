// Request parsing for the JSON routes: content type, UTF-8, JSON syntax
// and field types. Pure functions of the raw header value and body, so they
// can be unit-tested and fuzzed without a server. Each returns an ApiError
// (ok() when the request is acceptable) whose status DESIGN.md fixes:
// 415 wrong content type, 400 invalid UTF-8 / malformed JSON / missing or
// mistyped field. Unknown fields are ignored, so older servers accept
// newer clients.
#ifndef STEADY_SERVER_REQUEST_PARSER_H_
#define STEADY_SERVER_REQUEST_PARSER_H_

#include <string>
#include <string_view>

#include "server/api_error.h"

namespace steady {

// Longest client_message_id accepted, in bytes.
constexpr size_t kMaxClientMessageIdBytes = 128;

// POST /v1/sessions/{id}/messages
struct MessageRequest {
  std::string text;               // as sent; never empty or blank on success
  std::string client_message_id;  // "" when the client sent none
};

ApiError ParseMessageRequest(std::string_view content_type, std::string_view body,
                             MessageRequest* out);

// POST /v1/sessions: the body may be empty; if present it must be a JSON
// object (its fields are reserved for later versions and ignored).
ApiError ParseCreateSessionRequest(std::string_view content_type, std::string_view body);

// 415 unless `content_type` is application/json, optionally with
// charset=utf-8 (any letter case).
ApiError CheckJsonContentType(std::string_view content_type);

}  // namespace steady

#endif  // STEADY_SERVER_REQUEST_PARSER_H_
