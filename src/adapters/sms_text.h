// SMS bodies and TwiML: what the Twilio adapter answers a webhook with.
//
//   <?xml version="1.0" encoding="UTF-8"?>
//   <Response><Message>first part</Message><Message>second part</Message></Response>
//
// Twilio sends each <Message> as one SMS conversation message, in order; a
// body may hold at most 1,600 characters, so a longer reply is split, at a
// paragraph break if there is one, else at a line break, else between
// words. Characters are counted as UTF-16 code units (an emoji counts
// two), which is never fewer than any way Twilio counts them.
//
// Pure functions; thread-safe.
#ifndef STEADY_ADAPTERS_SMS_TEXT_H_
#define STEADY_ADAPTERS_SMS_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace steady::adapters {

// Longest body of one <Message>, in characters (Twilio's limit).
constexpr size_t kMaxSmsBodyChars = 1600;

// Length of UTF-8 `text` in UTF-16 code units.
size_t Utf16Length(std::string_view text);

// `text` cut into parts of at most `max_chars` UTF-16 units each, in order,
// without the separators cut at (also used for Telegram's 4,096 limit).
// REQUIRES: max_chars >= 2.
std::vector<std::string> SplitText(std::string_view text, size_t max_chars = kMaxSmsBodyChars);

// `text` safe inside an XML element: & < > " ' escaped, and characters XML
// 1.0 does not allow (control characters other than tab and line breaks)
// left out.
std::string XmlEscape(std::string_view text);

// The TwiML document sending `bodies` in order; no bodies: an empty
// <Response/> (Twilio then sends nothing).
std::string Twiml(const std::vector<std::string>& bodies);

}  // namespace steady::adapters

#endif  // STEADY_ADAPTERS_SMS_TEXT_H_
