// Fuzzes the Twilio adapter's body parser, ParseFormBody
// (src/adapters/twilio_signature.h), and the signature check that runs on
// what it parsed. Input: an application/x-www-form-urlencoded body.
//
// Promises checked:
//  - the body is refused exactly when the header says: a '%' not followed
//    by two hex digits, or a pair without a name (checked against a
//    separate reading of the form written here);
//  - what was parsed, encoded again, parses to the same pairs;
//  - a signature made for the parsed pairs verifies, with the URL as given
//    and with the default port added (Twilio signs either), and a changed
//    signature or a changed value does not.
#include <cstdint>
#include <string>

#include "adapters/twilio_signature.h"
#include "fuzz_support.h"

namespace {

using steady::adapters::FormParams;

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The oracle: whether `part` (a name or a value) decodes.
bool Decodes(std::string_view part, std::string* out) {
  out->clear();
  for (size_t i = 0; i < part.size(); ++i) {
    if (part[i] == '%') {
      if (part.size() - i < 3 || Hex(part[i + 1]) < 0 || Hex(part[i + 2]) < 0) return false;
      out->push_back(static_cast<char>(Hex(part[i + 1]) * 16 + Hex(part[i + 2])));
      i += 2;
    } else {
      out->push_back(part[i] == '+' ? ' ' : part[i]);
    }
  }
  return true;
}

bool Wellformed(std::string_view body) {
  std::string name, value;
  while (true) {
    const size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      if (!Decodes(pair.substr(0, eq), &name) || name.empty()) return false;
      if (eq != std::string_view::npos && !Decodes(pair.substr(eq + 1), &value)) return false;
    }
    if (amp == std::string_view::npos) return true;
    body.remove_prefix(amp + 1);
  }
}

std::string Encode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = steady::fuzz::AsText(data, size);
  FormParams params;
  const bool parsed = steady::adapters::ParseFormBody(body, &params);
  FUZZ_CHECK(parsed == Wellformed(body), "a form is refused exactly when it is malformed");
  if (!parsed) return 0;

  std::string encoded;
  for (const auto& [name, value] : params) {
    FUZZ_CHECK(!name.empty(), "every parsed pair has a name");
    if (!encoded.empty()) encoded += '&';
    encoded += Encode(name) + "=" + Encode(value);
  }
  FormParams again;
  FUZZ_CHECK(steady::adapters::ParseFormBody(encoded, &again) && again == params,
             "the parsed pairs, encoded again, parse the same");

  const std::string token = "fuzz-auth-token";
  const std::string url = "https://coach.example.org/v1/adapters/twilio/sms";
  const std::string signature = steady::adapters::TwilioSignature(token, url, params);
  FUZZ_CHECK(steady::adapters::VerifyTwilioSignature(token, url, params, signature),
             "Twilio's signature of the parsed form verifies");
  FUZZ_CHECK(steady::adapters::VerifyTwilioSignature(
                 token, "https://coach.example.org:443/v1/adapters/twilio/sms", params, signature),
             "the signature verifies with the default port added too");
  std::string forged = signature;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  FUZZ_CHECK(!steady::adapters::VerifyTwilioSignature(token, url, params, forged),
             "a changed signature does not verify");
  if (!params.empty()) {
    FormParams changed = params;
    changed.back().second += "x";
    FUZZ_CHECK(!steady::adapters::VerifyTwilioSignature(token, url, changed, signature),
               "a changed value does not verify");
  }
  return 0;
}
