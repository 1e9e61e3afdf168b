#include "adapters/messaging_adapters.h"

#include "adapters/server_secret.h"

namespace steady {

const char kTelegramRoute[] = "/v1/adapters/telegram";
const char kTwilioSmsRoute[] = "/v1/adapters/twilio/sms";

bool IsValidTelegramSecret(const std::string& value) {
  return adapters::IsTelegramSecretToken(value);
}

bool IsValidTwilioAuthToken(const std::string& value) {
  if (value.empty() || value.size() > 256) return false;
  for (unsigned char c : value) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool IsValidPublicUrl(const std::string& value) {
  std::string ignored;
  return adapters::ParsePublicUrl(value, &ignored);
}

bool IsValidServerSecret(const std::string& value) {
  return adapters::IsAcceptableServerSecret(value);
}

Status MessagingAdapters::Create(const AdapterOptions& options, const std::string& db_path,
                                 ConversationService* conversations, SessionStore* store,
                                 EngineHolder* engines, std::unique_ptr<MessagingAdapters>* out) {
  std::unique_ptr<MessagingAdapters> made(new MessagingAdapters());
  if (!options.any_enabled()) {
    *out = std::move(made);
    return Status::Ok();
  }
  std::string public_url;
  if (!options.twilio_auth_token.empty() &&
      !adapters::ParsePublicUrl(options.public_url, &public_url)) {
    return Status::Invalid(
        "--twilio-auth-token needs --public-url, the https:// address Twilio calls "
        "(Twilio signs its requests with it)");
  }
  std::string secret;
  Status s = adapters::LoadServerSecret(options.secret, db_path, &secret, &made->secret_created_);
  if (!s.ok()) return s;
  made->sessions_ =
      std::make_unique<adapters::ChannelSessions>(conversations, store, engines, secret);
  if (!options.telegram_secret.empty()) {
    made->telegram_ =
        std::make_unique<adapters::TelegramAdapter>(made->sessions_.get(), options.telegram_secret);
  }
  if (!options.twilio_auth_token.empty()) {
    made->twilio_sms_ = std::make_unique<adapters::TwilioSmsAdapter>(
        made->sessions_.get(), options.twilio_auth_token, public_url);
  }
  std::string problem;
  if (!made->ContentFits(engines->Get()->content(), &problem)) return Status::Invalid(problem);
  *out = std::move(made);
  return Status::Ok();
}

std::map<std::string, WebhookHandler> MessagingAdapters::Webhooks() {
  std::map<std::string, WebhookHandler> hooks;
  if (telegram_) {
    adapters::TelegramAdapter* telegram = telegram_.get();
    hooks[kTelegramRoute] = [telegram](const httplib::Request& req, const std::string& body,
                                       httplib::Response& res) { telegram->Handle(req, body, res); };
  }
  if (twilio_sms_) {
    adapters::TwilioSmsAdapter* sms = twilio_sms_.get();
    hooks[kTwilioSmsRoute] = [sms](const httplib::Request& req, const std::string& body,
                                   httplib::Response& res) { sms->Handle(req, body, res); };
  }
  return hooks;
}

bool MessagingAdapters::ContentFits(const Content& content, std::string* problem) const {
  if (telegram_ && !content.channels.telegram) {
    *problem = "the content has no wording for the Telegram channel (\"channels\": "
               "{\"telegram\": ...}, dialogs/channels.json), which --telegram-secret needs";
    return false;
  }
  if (twilio_sms_ && !content.channels.sms) {
    *problem = "the content has no wording for the SMS channel (\"channels\": {\"sms\": ...}, "
               "dialogs/channels.json), which --twilio-auth-token needs";
    return false;
  }
  return true;
}

std::vector<std::string> MessagingAdapters::Enabled() const {
  std::vector<std::string> names;
  if (telegram_) names.push_back("telegram");
  if (twilio_sms_) names.push_back("twilio_sms");
  return names;
}

}  // namespace steady
