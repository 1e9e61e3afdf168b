// Fuzzes the parser of POST /v1/sessions/{id}/messages
// (ParseMessageRequest, src/server/request_parser.h). Input: the
// Content-Type header value, a newline, then the body.
//
// Promises checked: any input is either accepted or refused with 400/415
// and a well-formed error; an accepted request has a text that is valid
// UTF-8 and not blank, and a client_message_id of 0 to 128 bytes, valid
// UTF-8; a request is accepted only with a JSON content type.
#include <cctype>
#include <cstdint>

#include "core/utf8.h"
#include "request_checks.h"
#include "server/request_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [content_type, body] = steady::fuzz::ContentTypeAndBody(data, size);
  steady::MessageRequest request;
  const steady::ApiError e = steady::ParseMessageRequest(content_type, body, &request);
  if (!e.ok()) {
    steady::fuzz::CheckRefusal(e);
    return 0;
  }
  FUZZ_CHECK(steady::CheckJsonContentType(content_type).ok(),
             "a request is accepted only as application/json");
  FUZZ_CHECK(steady::IsValidUtf8(body), "an accepted body is valid UTF-8");
  FUZZ_CHECK(steady::IsValidUtf8(request.text), "the text is valid UTF-8");
  bool blank = true;
  for (unsigned char ch : request.text) blank = blank && std::isspace(ch);
  FUZZ_CHECK(!blank, "the text is neither empty nor blank");
  FUZZ_CHECK(request.client_message_id.size() <= steady::kMaxClientMessageIdBytes,
             "client_message_id is at most 128 bytes");
  FUZZ_CHECK(steady::IsValidUtf8(request.client_message_id), "client_message_id is valid UTF-8");
  return 0;
}
