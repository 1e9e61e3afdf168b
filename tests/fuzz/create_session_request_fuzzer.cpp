// Fuzzes the parser of POST /v1/sessions (ParseCreateSessionRequest,
// src/server/request_parser.h). Input: the Content-Type header value, a
// newline, then the body.
//
// Promises checked: any input is accepted or refused with 400/415 and a
// well-formed error; an empty or blank body is always accepted (curl -X
// POST sends none); a non-blank body is accepted only as a JSON object
// sent as application/json.
#include <cctype>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "request_checks.h"
#include "server/request_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [content_type, body] = steady::fuzz::ContentTypeAndBody(data, size);
  const steady::ApiError e = steady::ParseCreateSessionRequest(content_type, body);
  bool blank = true;
  for (unsigned char ch : body) blank = blank && std::isspace(ch);
  if (blank) FUZZ_CHECK(e.ok(), "a blank body is accepted whatever the content type");
  if (!e.ok()) {
    steady::fuzz::CheckRefusal(e);
    return 0;
  }
  if (!blank) {
    FUZZ_CHECK(steady::CheckJsonContentType(content_type).ok(),
               "a body is accepted only as application/json");
    const nlohmann::json parsed = nlohmann::json::parse(body.begin(), body.end(), nullptr,
                                                        /*allow_exceptions=*/false);
    FUZZ_CHECK(parsed.is_object(), "an accepted body is a JSON object");
  }
  return 0;
}
