// SMS bodies and TwiML (src/adapters/sms_text.h): what Twilio is handed.
#include <catch2/catch.hpp>

#include "adapters/sms_text.h"

namespace steady::adapters {

TEST_CASE("SMS text: a short reply is one message, a long one is cut at paragraph breaks",
          "[adapters][sms]") {
  CHECK(SplitText("Hello there.") == std::vector<std::string>{"Hello there."});
  const std::string a(1000, 'a'), b(1000, 'b');
  CHECK(SplitText(a + "\n\n" + b) == std::vector<std::string>{a, b});
  CHECK(SplitText(a + "\n\n" + b, 2002) == std::vector<std::string>{a + "\n\n" + b});
}

TEST_CASE("SMS text: without paragraph breaks it cuts at a line break, then between words",
          "[adapters][sms]") {
  const std::string line(900, 'x');
  CHECK(SplitText(line + "\n" + line) == std::vector<std::string>{line, line});
  std::string words;
  for (int i = 0; i < 400; ++i) words += "word ";  // 2,000 characters
  const std::vector<std::string> parts = SplitText(words);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].size() <= kMaxSmsBodyChars);
  CHECK(parts[0].back() == 'd');  // a whole word
  CHECK(parts[0] + " " + parts[1] == words);
}

TEST_CASE("SMS text: one unbroken run is cut hard, never inside a character", "[adapters][sms]") {
  std::string emoji;
  for (int i = 0; i < 1000; ++i) emoji += "\xF0\x9F\x98\x80";  // 2 units each
  const std::vector<std::string> parts = SplitText(emoji);
  REQUIRE(parts.size() == 2);
  CHECK(Utf16Length(parts[0]) == 1600);
  CHECK(Utf16Length(parts[1]) == 400);
  CHECK(parts[0].size() % 4 == 0);
}

TEST_CASE("SMS text: characters are counted as SMS counts them", "[adapters][sms]") {
  CHECK(Utf16Length("abc") == 3);
  CHECK(Utf16Length("caf\xC3\xA9") == 4);            // é: one
  CHECK(Utf16Length("\xF0\x9F\x98\x80") == 2);       // an emoji: two
}

TEST_CASE("TwiML: messages are escaped, and no message means an empty Response",
          "[adapters][sms]") {
  CHECK(Twiml({"Tom & Jerry <3 \"quotes\" it's"}) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Message>Tom &amp; Jerry &lt;3 "
        "&quot;quotes&quot; it&apos;s</Message></Response>\n");
  CHECK(Twiml({"one", "two"}).find("<Message>one</Message><Message>two</Message>") !=
        std::string::npos);
  CHECK(Twiml({}) == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response></Response>\n");
  // Characters XML cannot hold are left out; tabs and line breaks stay.
  CHECK(XmlEscape(std::string("a\x01" "b\tc\n", 6)) == "ab\tc\n");
}

}  // namespace steady::adapters
