#include "core/utf8.h"

#include <catch2/catch.hpp>

#include <string>

using namespace steady;

TEST_CASE("ordinary text in any script is valid UTF-8", "[utf8]") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("I used last night"));
  CHECK(IsValidUtf8("caf\xC3\xA9"));                     // café
  CHECK(IsValidUtf8("\xD0\xAF \xD1\x85\xD0\xBE\xD1\x87\xD1\x83"));  // Я хочу
  CHECK(IsValidUtf8("\xE2\x80\x99"));                     // ’
  CHECK(IsValidUtf8("\xF0\x9F\x98\xAD"));                 // 😭
  CHECK(IsValidUtf8("\xF4\x8F\xBF\xBF"));                 // U+10FFFF, the last code point
  CHECK(IsValidUtf8("\xED\x9F\xBF"));                     // U+D7FF, just below surrogates
  CHECK(IsValidUtf8("\xEE\x80\x80"));                     // U+E000, just above them
}

TEST_CASE("invalid UTF-8 is rejected", "[utf8]") {
  CHECK_FALSE(IsValidUtf8("caf\xE9"));          // Latin-1 é, not UTF-8
  CHECK_FALSE(IsValidUtf8("\x80"));             // a lone continuation byte
  CHECK_FALSE(IsValidUtf8("\xFF\xFE"));         // bytes that never appear
  CHECK_FALSE(IsValidUtf8("\xC3"));             // truncated 2-byte sequence
  CHECK_FALSE(IsValidUtf8("\xE2\x80"));         // truncated 3-byte sequence
  CHECK_FALSE(IsValidUtf8("\xF0\x9F\x98"));     // truncated 4-byte sequence
  CHECK_FALSE(IsValidUtf8("\xE2\x80 ok"));      // continuation missing mid-text
}

TEST_CASE("overlong encodings are rejected", "[utf8]") {
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // '/' in two bytes
  CHECK_FALSE(IsValidUtf8("\xC1\xBF"));
  CHECK_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // '/' in three bytes
  CHECK_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  CHECK_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  CHECK_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST_CASE("surrogates and code points past U+10FFFF are rejected", "[utf8]") {
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800
  CHECK_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // U+DFFF
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
}

TEST_CASE("a NUL byte makes a message invalid", "[utf8]") {
  CHECK_FALSE(IsValidUtf8(std::string("hi\0there", 8)));
  CHECK_FALSE(IsValidUtf8(std::string(1, '\0')));
}

TEST_CASE("the length limit counts characters, not bytes", "[utf8]") {
  CHECK(CountCodePoints("") == 0);
  CHECK(CountCodePoints("hello") == 5);
  CHECK(CountCodePoints("caf\xC3\xA9") == 4);
  CHECK(CountCodePoints("\xD0\xAF \xD1\x85\xD0\xBE\xD1\x87\xD1\x83") == 6);
  CHECK(CountCodePoints("\xF0\x9F\x98\xAD\xF0\x9F\x98\xAD") == 2);  // 😭😭
}

TEST_CASE("decoding walks code points and replaces broken bytes with U+FFFD", "[utf8]") {
  const std::string text = "a\xC3\xA9\xF0\x9F\x98\xAD\xFFz";
  size_t pos = 0;
  CHECK(DecodeUtf8(text, &pos) == U'a');
  CHECK(pos == 1);
  CHECK(DecodeUtf8(text, &pos) == U'\u00E9');
  CHECK(pos == 3);
  CHECK(DecodeUtf8(text, &pos) == U'\U0001F62D');
  CHECK(pos == 7);
  CHECK(DecodeUtf8(text, &pos) == U'\uFFFD');  // 0xFF: one byte skipped
  CHECK(pos == 8);
  CHECK(DecodeUtf8(text, &pos) == U'z');
  CHECK(pos == 9);

  size_t truncated = 0;
  CHECK(DecodeUtf8("\xE2\x80", &truncated) == U'\uFFFD');
  CHECK(truncated == 1);
}

TEST_CASE("encoding round-trips through decoding", "[utf8]") {
  for (char32_t cp : {U'a', U'\u00E9', U'\u042F', U'\u2019', U'\uFFFD', U'\U0001F62D',
                      U'\U0010FFFF'}) {
    std::string encoded;
    AppendUtf8(cp, &encoded);
    CHECK(IsValidUtf8(encoded));
    size_t pos = 0;
    CHECK(DecodeUtf8(encoded, &pos) == cp);
    CHECK(pos == encoded.size());
  }
}

TEST_CASE("code points with no UTF-8 form are written as U+FFFD", "[utf8]") {
  std::string out;
  AppendUtf8(0xD800, &out);
  AppendUtf8(0x110000, &out);
  CHECK(out == "\xEF\xBF\xBD\xEF\xBF\xBD");
}
