// Twilio's webhook signature (X-Twilio-Signature), exactly as Twilio
// documents it (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
//
//   1. Start with the full URL Twilio requested, query string included:
//        https://coach.example.org/v1/adapters/twilio/sms
//   2. Sort the POST parameters by name (byte order) and append each name
//      followed by its value, with no separators:
//        ...smsBodyhelloFrom+15005550006MessageSidSM123...
//      (a name sent several times adds name+value once per value, values
//      sorted too, as Twilio's own libraries do).
//   3. HMAC-SHA1 of that string, keyed with the account's auth token.
//   4. Base64 of the 20 bytes: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=".
//
// Twilio may sign the URL with or without the default port (":443" for
// https), depending on how the webhook was configured; like Twilio's own
// libraries, verification accepts either.
//
// Pure functions; thread-safe.
#ifndef STEADY_ADAPTERS_TWILIO_SIGNATURE_H_
#define STEADY_ADAPTERS_TWILIO_SIGNATURE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace steady::adapters {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// The string that is signed: `url` and then the sorted names and values.
std::string TwilioSignedString(const std::string& url, const FormParams& params);

// Base64 HMAC-SHA1 of TwilioSignedString(url, params) keyed with `auth_token`.
std::string TwilioSignature(std::string_view auth_token, const std::string& url,
                            const FormParams& params);

// Whether `signature` is Twilio's for this request, compared in constant
// time, with `url` as given or with its default port added or removed.
bool VerifyTwilioSignature(std::string_view auth_token, const std::string& url,
                           const FormParams& params, std::string_view signature);

// Parses an application/x-www-form-urlencoded body: name=value pairs joined
// by '&', '+' for a space, %XX escapes. False for a malformed escape (a
// '%' not followed by two hex digits) or a pair without a name.
bool ParseFormBody(std::string_view body, FormParams* params);

}  // namespace steady::adapters

#endif  // STEADY_ADAPTERS_TWILIO_SIGNATURE_H_
