// Checks the request-parser harnesses share: what any ApiError must look
// like (src/server/api_error.h, DESIGN.md "HTTP API").
#ifndef STEADY_TESTS_FUZZ_REQUEST_CHECKS_H_
#define STEADY_TESTS_FUZZ_REQUEST_CHECKS_H_

#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "server/api_error.h"

namespace steady::fuzz {

// Splits the input into a Content-Type value (its first line) and a body
// (the rest), so the fuzzer explores both.
inline std::pair<std::string_view, std::string_view> ContentTypeAndBody(const uint8_t* data,
                                                                        size_t size) {
  std::string_view text = AsText(data, size);
  size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return {text, std::string_view()};
  return {text.substr(0, nl), text.substr(nl + 1)};
}

// A refusal is 400 or 415 with a snake_case code, a sentence, and a body
// of the documented shape.
inline void CheckRefusal(const ApiError& e) {
  FUZZ_CHECK(e.status == 400 || e.status == 415, "a bad request is refused with 400 or 415");
  FUZZ_CHECK(!e.code.empty() && !e.message.empty(), "a refusal has a code and a message");
  for (char ch : e.code) {
    FUZZ_CHECK((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_',
               "an error code is snake_case");
  }
  const nlohmann::json body = nlohmann::json::parse(e.Body());
  FUZZ_CHECK(body["error"]["code"] == e.code && body["error"]["message"] == e.message,
             "the error body is {\"error\": {\"code\", \"message\"}}");
}

}  // namespace steady::fuzz

#endif  // STEADY_TESTS_FUZZ_REQUEST_CHECKS_H_
