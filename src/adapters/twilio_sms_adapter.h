// TwilioSmsAdapter: POST /v1/adapters/twilio/sms, the messaging webhook
// Twilio calls for each text to the number
// (https://www.twilio.com/docs/messaging/twiml).
//
//   1. X-Twilio-Signature must be Twilio's signature of --public-url plus
//      the request's path, and the form parameters, keyed with
//      --twilio-auth-token (twilio_signature.h); otherwise 403 and nothing
//      is processed. The form must be application/x-www-form-urlencoded
//      (415) and well formed (400).
//   2. From, Body and MessageSid are required (400 without them).
//   3. The answer is TwiML, <Response><Message>...</Message></Response>,
//      split into several <Message> elements past 1,600 characters.
//
// What the person sees:
//   - the first reply of a conversation starts with a short introduction
//     (what this is, HELP and STOP);
//   - crisis numbers come first, before any other words;
//   - quick replies become a numbered list, and a reply of just the number
//     ("2") answers with that quick reply;
//   - HELP (and its synonyms in the content) says what this number is and
//     lists help numbers; it changes nothing;
//   - STOP (and synonyms) erases the conversation, keeps only an opted-out
//     marker, and confirms; from then on nothing is read or answered
//     (HELP aside) until START (or synonyms), which is answered with the
//     introduction; the conversation starts again with the next message;
//   - a picture without words gets a short reply that only text is read.
//
// MessageSid is the turn's client_message_id, so a retried delivery gets
// the same reply and stores nothing twice. The phone number is used only
// to derive the session id; it is never stored.
//
// Thread-safe.
#ifndef STEADY_ADAPTERS_TWILIO_SMS_ADAPTER_H_
#define STEADY_ADAPTERS_TWILIO_SMS_ADAPTER_H_

#include <string>

#include "adapters/channel_sessions.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace steady::adapters {

// Whether `url` can be a --public-url: http:// or https://, a host, an
// optional port and path, no query or fragment. *normalized is it without
// a trailing slash.
bool ParsePublicUrl(const std::string& url, std::string* normalized);

class TwilioSmsAdapter {
 public:
  // `sessions` is not owned and must outlive the adapter. `public_url` is
  // the normalized --public-url.
  TwilioSmsAdapter(ChannelSessions* sessions, std::string auth_token, std::string public_url);

  void Handle(const httplib::Request& req, const std::string& body, httplib::Response& res);

 private:
  // Answers a verified message from `from` (TwiML in `res`).
  void Reply(const std::string& from, const std::string& body, const std::string& message_sid,
             httplib::Response& res);

  ChannelSessions* const sessions_;
  const std::string auth_token_;
  const std::string public_url_;
};

}  // namespace steady::adapters

#endif  // STEADY_ADAPTERS_TWILIO_SMS_ADAPTER_H_
