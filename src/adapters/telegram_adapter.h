// TelegramAdapter: POST /v1/adapters/telegram, the webhook Telegram calls
// with each Update (https://core.telegram.org/bots/api#setwebhook).
//
//   1. X-Telegram-Bot-Api-Secret-Token must equal --telegram-secret
//      (compared in constant time); otherwise 401 and the body is not read.
//   2. The body must be a JSON Update; otherwise 400 (415 if not JSON).
//   3. An update that is not a new message (an edit, a button callback, a
//      membership change...) is acknowledged with an empty 200 and ignored.
//   4. A message answers with one sendMessage call in the webhook response
//      itself, which Telegram performs:
//        {"method": "sendMessage", "chat_id": 123, "text": "...",
//         "reply_markup": {"keyboard": [[{"text": "I slipped"}], ...],
//                          "one_time_keyboard": true, "resize_keyboard": true}}
//      The turn's messages are joined into one text, blank lines between,
//      crisis numbers first; quick replies become a one-time keyboard
//      (or the old keyboard is removed when there are none).
//
// Commands: /start shows the opening (starting the conversation), /help
// says what this is and lists help numbers, /delete erases the
// conversation. Text that is not a command is a message to the coach.
// Anything else (a photo, a sticker, a voice note) gets a short reply that
// only text is understood; a group chat gets a reply that the coach only
// talks one to one. The chat id is used only to derive the session id and
// to address the answer; it is never stored.
//
// The update_id is the turn's client_message_id: Telegram redelivers an
// update it got no answer for, and the redelivery gets the same reply and
// stores nothing twice.
//
// Thread-safe.
#ifndef STEADY_ADAPTERS_TELEGRAM_ADAPTER_H_
#define STEADY_ADAPTERS_TELEGRAM_ADAPTER_H_

#include <cstdint>
#include <string>

#include "adapters/channel_sessions.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace steady::adapters {

// The longest text one sendMessage may carry, in UTF-16 code units.
constexpr size_t kMaxTelegramTextChars = 4096;

// Whether `token` can be a webhook secret_token for Telegram: 1-256
// characters of A-Z a-z 0-9 _ - (Telegram refuses others in setWebhook).
bool IsTelegramSecretToken(const std::string& token);

class TelegramAdapter {
 public:
  // `sessions` is not owned and must outlive the adapter.
  TelegramAdapter(ChannelSessions* sessions, std::string secret_token);

  void Handle(const httplib::Request& req, const std::string& body, httplib::Response& res);

 private:
  // Answers a text message of a private chat (sendMessage in `res`).
  void Reply(int64_t chat_id, const std::string& text, const std::string& update_id,
             httplib::Response& res);

  ChannelSessions* const sessions_;
  const std::string secret_token_;
};

}  // namespace steady::adapters

#endif  // STEADY_ADAPTERS_TELEGRAM_ADAPTER_H_
