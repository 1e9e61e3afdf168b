// AdapterOptions: what `steady serve` needs to run the messaging adapters
// (docs/adapters.md). An adapter is on when its platform's credential is
// given; both are off by default, and their routes then answer 404.
#ifndef STEADY_ADAPTERS_ADAPTER_OPTIONS_H_
#define STEADY_ADAPTERS_ADAPTER_OPTIONS_H_

#include <string>

namespace steady {

struct AdapterOptions {
  // --telegram-secret: the secret_token given to Telegram's setWebhook,
  // which Telegram sends with every update. Enables POST
  // /v1/adapters/telegram. Default "" (off).
  std::string telegram_secret;

  // --twilio-auth-token: the Twilio account's auth token, the key of
  // Twilio's request signatures. Enables POST /v1/adapters/twilio/sms
  // together with public_url. Default "" (off).
  std::string twilio_auth_token;

  // --public-url: the address the world reaches this server at, as
  // configured at Twilio ("https://coach.example.org"); the signed URL is
  // this plus the request's path. Required with twilio_auth_token.
  std::string public_url;

  // --secret: the key that turns platform user ids into session ids. ""
  // (default): steady.secret in the database's folder, made on first use.
  std::string secret;

  bool any_enabled() const { return !telegram_secret.empty() || !twilio_auth_token.empty(); }
};

}  // namespace steady

#endif  // STEADY_ADAPTERS_ADAPTER_OPTIONS_H_
