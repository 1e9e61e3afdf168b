// What the adapter tests share: a server with both adapters on, and the
// platforms' side of the conversation written out independently of
// src/adapters/: Telegram updates, Twilio's request signature, the session
// id a platform user maps to, and reading TwiML back.
#ifndef STEADY_TESTS_ADAPTERS_ADAPTER_HELPERS_H_
#define STEADY_TESTS_ADAPTERS_ADAPTER_HELPERS_H_

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace steady::testing {

constexpr char kTelegramSecret[] = "telegram-webhook-secret_42";
constexpr char kTwilioToken[] = "test-auth-token";
constexpr char kPublicUrl[] = "https://coach.example.org";
constexpr char kServerSecret[] = "an-adapter-test-secret-of-forty-characters";
constexpr char kTelegramPath[] = "/v1/adapters/telegram";
constexpr char kSmsPath[] = "/v1/adapters/twilio/sms";

// `steady serve` with both adapters and a known server secret, so tests
// can work out the session id of a platform user.
struct AdapterServer {
  explicit AdapterServer(std::vector<std::string> extra = {}) : server(Args(dir, extra)) {}

  static std::vector<std::string> Args(const TempDir& dir, std::vector<std::string> extra) {
    std::vector<std::string> args = {"--db", dir.File("steady.db"),
                                     "--telegram-secret", kTelegramSecret,
                                     "--twilio-auth-token", kTwilioToken,
                                     "--public-url", kPublicUrl,
                                     "--secret", kServerSecret};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  TempDir dir;
  ServerProcess server;
  httplib::Client client = server.Client();
};

inline std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

inline std::string Hmac(const EVP_MD* md, const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &size);
  return std::string(reinterpret_cast<char*>(mac), size);
}

// docs/adapters.md: base64url(HMAC-SHA256(secret, platform + ":" + user id)),
// no padding.
inline std::string SessionIdOf(const std::string& platform, const std::string& user,
                               const std::string& secret = kServerSecret) {
  std::string id = Base64(Hmac(EVP_sha256(), secret, platform + ":" + user));
  while (!id.empty() && id.back() == '=') id.pop_back();
  std::replace(id.begin(), id.end(), '+', '-');
  std::replace(id.begin(), id.end(), '/', '_');
  return id;
}

// ---- Telegram ----

// A Telegram Update with a text message from a private chat.
inline nlohmann::json TextUpdate(int64_t update_id, int64_t chat_id, const std::string& text) {
  return {{"update_id", update_id},
          {"message",
           {{"message_id", update_id},
            {"date", 1795930200},
            {"from", {{"id", chat_id}, {"is_bot", false}, {"first_name", "Sam"}}},
            {"chat", {{"id", chat_id}, {"type", "private"}, {"first_name", "Sam"}}},
            {"text", text}}}};
}

inline httplib::Result PostTelegram(httplib::Client& client, const std::string& body,
                                    const std::string& secret = kTelegramSecret) {
  httplib::Headers headers;
  if (!secret.empty()) headers.emplace("X-Telegram-Bot-Api-Secret-Token", secret);
  return client.Post(kTelegramPath, headers, body, "application/json");
}

inline httplib::Result PostTelegram(httplib::Client& client, const nlohmann::json& update) {
  return PostTelegram(client, update.dump());
}

// The sendMessage call a webhook answer holds.
struct SentMessage {
  int status = 0;
  std::string method;
  int64_t chat_id = 0;
  std::string text;
  std::vector<std::string> keyboard;  // button labels, in order
  bool removes_keyboard = false;
};

inline SentMessage ReadSent(const httplib::Result& r) {
  SentMessage sent;
  if (!r) return sent;
  sent.status = r->status;
  if (r->body.empty()) return sent;
  const nlohmann::json body = nlohmann::json::parse(r->body);
  if (!body.contains("method")) return sent;
  sent.method = body["method"];
  sent.chat_id = body.value("chat_id", int64_t{0});
  sent.text = body.value("text", "");
  const nlohmann::json& markup = body["reply_markup"];
  sent.removes_keyboard = markup.value("remove_keyboard", false);
  if (markup.contains("keyboard")) {
    for (const auto& row : markup["keyboard"]) {
      for (const auto& button : row) sent.keyboard.push_back(button["text"]);
    }
  }
  return sent;
}

// ---- Twilio ----

using Form = std::vector<std::pair<std::string, std::string>>;

// Twilio's signature, written out as its documentation states it: the URL,
// then every parameter's name and value, sorted by name, all concatenated;
// HMAC-SHA1 keyed with the auth token; base64.
inline std::string TwilioSign(const std::string& url, Form params,
                              const std::string& token = kTwilioToken) {
  std::sort(params.begin(), params.end());
  std::string data = url;
  for (const auto& [name, value] : params) data += name + value;
  return Base64(Hmac(EVP_sha1(), token, data));
}

inline std::string FormEncode(const Form& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += httplib::detail::encode_query_param(name) + "=" +
           httplib::detail::encode_query_param(value);
  }
  return out;
}

inline Form SmsForm(const std::string& from, const std::string& body, const std::string& sid) {
  return {{"AccountSid", "AC00000000000000000000000000000000"},
          {"ApiVersion", "2010-04-01"},
          {"Body", body},
          {"From", from},
          {"MessageSid", sid},
          {"NumMedia", "0"},
          {"To", "+15005550001"}};
}

// POSTs `params` signed for the server's public URL (or with `signature`
// when given; "-" sends no signature header).
inline httplib::Result PostSms(httplib::Client& client, const Form& params,
                               const std::string& signature = "") {
  httplib::Headers headers;
  const std::string sig =
      signature.empty() ? TwilioSign(std::string(kPublicUrl) + kSmsPath, params) : signature;
  if (sig != "-") headers.emplace("X-Twilio-Signature", sig);
  return client.Post(kSmsPath, headers, FormEncode(params), "application/x-www-form-urlencoded");
}

inline std::string XmlUnescape(std::string text) {
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : entities) {
    for (size_t at = text.find(entity); at != std::string::npos;
         at = text.find(entity, at + 1)) {
      text.replace(at, std::string(entity).size(), plain);
    }
  }
  return text;
}

// The bodies of the <Message> elements of a TwiML answer, unescaped.
inline std::vector<std::string> SmsBodies(const httplib::Result& r) {
  std::vector<std::string> bodies;
  if (!r) return bodies;
  const std::string& xml = r->body;
  const std::string open = "<Message>", close = "</Message>";
  for (size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at)) {
    const size_t end = xml.find(close, at);
    if (end == std::string::npos) break;
    bodies.push_back(XmlUnescape(xml.substr(at + open.size(), end - at - open.size())));
    at = end;
  }
  return bodies;
}

inline std::string SmsText(const httplib::Result& r) {
  std::string all;
  for (const std::string& body : SmsBodies(r)) all += (all.empty() ? "" : "\n\n") + body;
  return all;
}

// ---- Either ----

inline nlohmann::json SessionView(httplib::Client& client, const std::string& id) {
  httplib::Result r = client.Get("/v1/sessions/" + id);
  if (!r || r->status != 200) return nullptr;
  return nlohmann::json::parse(r->body);
}

// The user lines of a session's transcript (its "user" entries).
inline std::vector<nlohmann::json> UserEntries(httplib::Client& client, const std::string& id) {
  std::vector<nlohmann::json> lines;
  const nlohmann::json view = SessionView(client, id);
  if (view.is_null()) return lines;
  for (const auto& line : view["transcript"]) {
    if (line["role"] == "user") lines.push_back(line);
  }
  return lines;
}

inline bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace steady::testing

#endif  // STEADY_TESTS_ADAPTERS_ADAPTER_HELPERS_H_
