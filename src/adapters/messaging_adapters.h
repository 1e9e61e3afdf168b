// MessagingAdapters: the Telegram and Twilio SMS adapters `steady serve`
// turns on with its options, and their webhook handlers for the HTTP
// server (ServerDeps::webhooks).
//
//   std::unique_ptr<MessagingAdapters> adapters;
//   Status s = MessagingAdapters::Create(options, db_path, &conversations, store,
//                                        &engines, &adapters);
//   deps.webhooks = adapters->Webhooks();
//
// Adapters translate a platform's webhook into the same ConversationService
// turn the HTTP API uses, and render the reply for the platform; they add
// no coaching of their own (DESIGN.md, "Architecture").
//
// Thread-safe once created. The pointers given to Create are not owned and
// must outlive the adapters.
#ifndef STEADY_ADAPTERS_MESSAGING_ADAPTERS_H_
#define STEADY_ADAPTERS_MESSAGING_ADAPTERS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/adapter_options.h"
#include "adapters/channel_sessions.h"
#include "adapters/telegram_adapter.h"
#include "adapters/twilio_sms_adapter.h"
#include "core/content.h"
#include "core/status.h"
#include "server/http_server.h"

namespace steady {

// The adapters' routes (also in server/routes.cpp's table).
extern const char kTelegramRoute[];   // "/v1/adapters/telegram"
extern const char kTwilioSmsRoute[];  // "/v1/adapters/twilio/sms"

// Checks option values one at a time, for the command line: false when
// `value` cannot be that option.
bool IsValidTelegramSecret(const std::string& value);
bool IsValidTwilioAuthToken(const std::string& value);
bool IsValidPublicUrl(const std::string& value);
bool IsValidServerSecret(const std::string& value);

class MessagingAdapters {
 public:
  // Builds the adapters `options` enables, reading or making the server
  // secret (server_secret.h) when any is. With none enabled, *out holds an
  // object with no webhooks. kInvalid with one sentence for the operator
  // when the options, the secret file or the loaded content won't do.
  static Status Create(const AdapterOptions& options, const std::string& db_path,
                       ConversationService* conversations, SessionStore* store,
                       EngineHolder* engines, std::unique_ptr<MessagingAdapters>* out);

  // Route path -> handler for every enabled adapter.
  std::map<std::string, WebhookHandler> Webhooks();

  // Whether `content` has the wording every enabled adapter needs; a
  // content reload without it must be refused (*problem says why).
  bool ContentFits(const Content& content, std::string* problem) const;

  // "telegram", "twilio_sms": the enabled adapters, for the server's log.
  std::vector<std::string> Enabled() const;

  // Whether the secret file was made by Create (for the server's log).
  bool secret_created() const { return secret_created_; }

 private:
  MessagingAdapters() = default;

  std::unique_ptr<adapters::ChannelSessions> sessions_;
  std::unique_ptr<adapters::TelegramAdapter> telegram_;
  std::unique_ptr<adapters::TwilioSmsAdapter> twilio_sms_;
  bool secret_created_ = false;
};

}  // namespace steady

#endif  // STEADY_ADAPTERS_MESSAGING_ADAPTERS_H_
