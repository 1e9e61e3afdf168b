// Twilio's request signature and form bodies (src/adapters/twilio_signature.h).
#include <catch2/catch.hpp>

#include "adapters/twilio_signature.h"

namespace steady::adapters {
namespace {

const FormParams kDocumented = {{"CallSid", "CA1234567890ABCDE"},
                                {"Caller", "+12349013030"},
                                {"Digits", "1234"},
                                {"From", "+12349013030"},
                                {"To", "+18005551212"}};
const char kDocumentedUrl[] = "https://mycompany.com/myapp.php?foo=1&bar=2";

}  // namespace

TEST_CASE("Twilio signature: Twilio's documented example", "[adapters][twilio]") {
  CHECK(TwilioSignedString(kDocumentedUrl, kDocumented) ==
        "https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+12349013030"
        "Digits1234From+12349013030To+18005551212");
  CHECK(TwilioSignature("12345", kDocumentedUrl, kDocumented) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  // The order the parameters arrive in does not matter; they are sorted.
  FormParams shuffled(kDocumented.rbegin(), kDocumented.rend());
  CHECK(VerifyTwilioSignature("12345", kDocumentedUrl, shuffled, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

TEST_CASE("Twilio signature: any change to the URL, a parameter or the token fails",
          "[adapters][twilio]") {
  const std::string good = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
  CHECK_FALSE(VerifyTwilioSignature("12346", kDocumentedUrl, kDocumented, good));
  CHECK_FALSE(VerifyTwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=3",
                                    kDocumented, good));
  FormParams changed = kDocumented;
  changed[2].second = "1235";
  CHECK_FALSE(VerifyTwilioSignature("12345", kDocumentedUrl, changed, good));
  FormParams more = kDocumented;
  more.emplace_back("Body", "");
  CHECK_FALSE(VerifyTwilioSignature("12345", kDocumentedUrl, more, good));
  CHECK_FALSE(VerifyTwilioSignature("12345", kDocumentedUrl, kDocumented, ""));
  CHECK_FALSE(VerifyTwilioSignature("12345", kDocumentedUrl, kDocumented, good + "x"));
}

TEST_CASE("Twilio signature: the default port may or may not be in the signed URL",
          "[adapters][twilio]") {
  const FormParams p = {{"Body", "hi"}};
  const std::string sig = TwilioSignature("t", "https://coach.example.org:443/sms", p);
  CHECK(VerifyTwilioSignature("t", "https://coach.example.org/sms", p, sig));
  CHECK(VerifyTwilioSignature(
      "t", "https://coach.example.org:443/sms", p,
      TwilioSignature("t", "https://coach.example.org/sms", p)));
  // Another port is another URL.
  CHECK_FALSE(VerifyTwilioSignature(
      "t", "https://coach.example.org/sms", p,
      TwilioSignature("t", "https://coach.example.org:8443/sms", p)));
}

TEST_CASE("Form bodies: pairs, + for space and %-escapes are decoded", "[adapters][twilio]") {
  FormParams p;
  REQUIRE(ParseFormBody("Body=I+slipped%21&From=%2B15005550006&Empty=&Flag", &p));
  CHECK(p == FormParams{{"Body", "I slipped!"}, {"From", "+15005550006"}, {"Empty", ""},
                        {"Flag", ""}});
  REQUIRE(ParseFormBody("", &p));
  CHECK(p.empty());
  REQUIRE(ParseFormBody("Body=caf%C3%A9", &p));
  CHECK(p[0].second == "caf\xC3\xA9");
}

TEST_CASE("Form bodies: a broken escape or a nameless pair is refused", "[adapters][twilio]") {
  FormParams p;
  CHECK_FALSE(ParseFormBody("Body=%G1", &p));
  CHECK_FALSE(ParseFormBody("Body=%2", &p));
  CHECK_FALSE(ParseFormBody("Body=100%", &p));
  CHECK_FALSE(ParseFormBody("=value", &p));
}

}  // namespace steady::adapters
