// UTF-8 validation and decoding.
//
// Well-formedness follows the Unicode Standard, Table 3-7: the byte after the
// lead byte is restricted for E0 (no overlong 3-byte forms), ED (no
// surrogates D800-DFFF), F0 (no overlong 4-byte forms) and F4 (nothing above
// U+10FFFF); C0, C1 and F5-FF never start a sequence. Encoding that range
// check into one table lookup per lead byte keeps validation a single pass
// with no arithmetic on the decoded value.

#include "core/utf8.h"

#include <cstdint>
#include <cstring>

namespace steady {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one well-formed sequence starting at p[0] (a non-ASCII byte), with
// `n` bytes available. Returns its length, or 0 when it is ill-formed or
// truncated; on success stores the code point in *cp.
size_t DecodeMultibyte(const unsigned char* p, size_t n, char32_t* cp) {
  const unsigned char lead = p[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  char32_t value;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    value = lead & 0x0F;
    if (lead == 0xE0) lo = 0xA0;  // overlong below U+0800
    if (lead == 0xED) hi = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    value = lead & 0x07;
    if (lead == 0xF0) lo = 0x90;  // overlong below U+10000
    if (lead == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (always overlong) or F5-FF
  }
  if (n < len) return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  value = (value << 6) | (p[1] & 0x3F);
  for (size_t i = 2; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    value = (value << 6) | (p[i] & 0x3F);
  }
  *cp = value;
  return len;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    if (n - i >= 8) {
      // Eight bytes at a time while they are ASCII and not NUL: no high bit
      // set, and no zero byte ((w - 0x01..) & ~w has a high bit set exactly
      // when some byte of w is zero).
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (((w | ((w - 0x0101010101010101ULL) & ~w)) & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      if (p[i] == 0) return false;
      ++i;
      continue;
    }
    char32_t cp;
    size_t len = DecodeMultibyte(p + i, n - i, &cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

size_t CountCodePoints(std::string_view text) {
  // In valid UTF-8 every code point has exactly one byte that is not a
  // continuation byte (10xxxxxx).
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

char32_t DecodeUtf8(std::string_view text, size_t* pos) {
  // Past the end there is nothing to decode; *pos is left alone so a caller
  // can never be pushed beyond text.size().
  if (*pos >= text.size()) return kReplacement;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + *pos;
  if (p[0] < 0x80) {
    ++*pos;
    return p[0];
  }
  char32_t cp;
  size_t len = DecodeMultibyte(p, text.size() - *pos, &cp);
  if (len == 0) {
    ++*pos;
    return kReplacement;
  }
  *pos += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  // Surrogates and values past U+10FFFF have no UTF-8 form; writing one
  // would produce text that IsValidUtf8 rejects.
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = kReplacement;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace steady
