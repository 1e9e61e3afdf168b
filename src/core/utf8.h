// UTF-8 checks and decoding shared by the normalizer and input validation.
#ifndef STEADY_CORE_UTF8_H_
#define STEADY_CORE_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace steady {

// True when `text` is well-formed UTF-8: no overlong forms, no surrogates,
// nothing above U+10FFFF, no truncated sequence. NUL bytes are rejected too
// (a message has no use for them and they break C APIs downstream).
bool IsValidUtf8(std::string_view text);

// Number of code points in valid UTF-8 text; the unit of the length limit.
size_t CountCodePoints(std::string_view text);

// Decodes the code point at text[*pos] and advances *pos past it. On an
// invalid sequence returns U+FFFD and advances one byte.
char32_t DecodeUtf8(std::string_view text, size_t* pos);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string* out);

}  // namespace steady

#endif  // STEADY_CORE_UTF8_H_
