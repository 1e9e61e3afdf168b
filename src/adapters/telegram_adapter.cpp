#include "adapters/telegram_adapter.h"

#include <httplib.h>

#include <cstdint>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/channel_reply.h"
#include "adapters/crypto.h"
#include "adapters/sms_text.h"
#include "server/http_server.h"
#include "server/request_parser.h"

namespace steady::adapters {
namespace {

using nlohmann::json;

constexpr char kSecretHeader[] = "X-Telegram-Bot-Api-Secret-Token";
constexpr char kPlatform[] = "telegram";
// Telegram's updates nest a few levels (message, reply_to_message, entities);
// far deeper JSON is not an update.
constexpr int kMaxJsonDepth = 32;
constexpr char kRetryAfterSeconds[] = "5";

bool ParseUpdate(const std::string& body, json* update) {
  try {
    json::parser_callback_t limit_depth = [](int depth, json::parse_event_t, json&) {
      if (depth > kMaxJsonDepth) throw std::out_of_range("too deep");
      return true;
    };
    *update = json::parse(body, limit_depth);
  } catch (const std::exception&) {
    return false;
  }
  auto id = update->find("update_id");
  return update->is_object() && id != update->end() && id->is_number_integer();
}

// "/start" for "/start@SteadyBot" or "/start payload"; "" when `text` is
// not a command.
std::string CommandOf(const std::string& text) {
  if (text.empty() || text[0] != '/') return "";
  std::string command = text.substr(0, text.find_first_of(" \t\n"));
  return command.substr(0, command.find('@'));
}

void SendJson(const json& body, httplib::Response& res) {
  res.status = 200;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

// One sendMessage, performed by Telegram with the webhook's answer.
void SendMessage(int64_t chat_id, const std::string& text,
                 const std::vector<std::string>& quick_replies, httplib::Response& res) {
  // Telegram refuses a longer text outright, which would leave the person
  // with nothing; the whole paragraphs that fit go (crisis numbers lead).
  std::string shown = text;
  if (Utf16Length(shown) > kMaxTelegramTextChars) shown = SplitText(shown, kMaxTelegramTextChars)[0];
  json markup;
  if (quick_replies.empty()) {
    markup = {{"remove_keyboard", true}};
  } else {
    json rows = json::array();
    for (const std::string& label : quick_replies) rows.push_back(json::array({{{"text", label}}}));
    markup = {{"keyboard", rows}, {"one_time_keyboard", true}, {"resize_keyboard", true}};
  }
  SendJson({{"method", "sendMessage"}, {"chat_id", chat_id}, {"text", shown},
            {"reply_markup", markup}},
           res);
}

void SendReply(int64_t chat_id, const TextReply& reply, httplib::Response& res) {
  std::vector<std::string> paragraphs = {JoinLines(reply.first_lines)};
  paragraphs.insert(paragraphs.end(), reply.messages.begin(), reply.messages.end());
  paragraphs.push_back(JoinLines(reply.last_lines));
  SendMessage(chat_id, JoinParagraphs(paragraphs), reply.quick_replies, res);
}

void SendUnavailable(httplib::Response& res) {
  // Telegram delivers the update again later; nothing was stored.
  SendError({503, "store_unavailable", "The message could not be handled right now."}, res);
  res.set_header("Retry-After", kRetryAfterSeconds);
}

const TelegramWording& WordingOf(const Content& content) {
  static const TelegramWording kNone;  // content reloaded without it
  return content.channels.telegram ? *content.channels.telegram : kNone;
}

}  // namespace

bool IsTelegramSecretToken(const std::string& token) {
  if (token.empty() || token.size() > 256) return false;
  for (char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

TelegramAdapter::TelegramAdapter(ChannelSessions* sessions, std::string secret_token)
    : sessions_(sessions), secret_token_(std::move(secret_token)) {}

void TelegramAdapter::Handle(const httplib::Request& req, const std::string& body,
                             httplib::Response& res) {
  if (!req.has_header(kSecretHeader) ||
      !ConstantTimeEquals(req.get_header_value(kSecretHeader), secret_token_)) {
    return SendError({401, "unauthorized",
                      "This address takes updates from Telegram only, with the secret token "
                      "given to setWebhook."},
                     res);
  }
  if (ApiError e = CheckJsonContentType(req.get_header_value("Content-Type")); !e.ok()) {
    return SendError(e, res);
  }
  json update;
  if (!ParseUpdate(body, &update)) {
    return SendError({400, "malformed_update", "The body is not a Telegram Update."}, res);
  }
  auto message = update.find("message");
  if (message == update.end() || !message->is_object()) {
    res.status = 200;  // an edit, a callback, a membership change: nothing to answer
    return;
  }
  auto chat = message->find("chat");
  if (chat == message->end() || !chat->is_object() || !chat->contains("id") ||
      !(*chat)["id"].is_number_integer()) {
    return SendError({400, "malformed_update", "The message has no chat id."}, res);
  }
  if (auto type = chat->find("type"); type != chat->end() && !type->is_string()) {
    return SendError({400, "malformed_update", "The chat type is not a string."}, res);
  }
  const int64_t chat_id = (*chat)["id"].get<int64_t>();
  const std::string update_id = std::to_string(update["update_id"].get<int64_t>());

  std::shared_ptr<const Engine> engine = sessions_->engine();
  const Content& content = engine->content();
  const TelegramWording& wording = WordingOf(content);
  if (chat->value("type", std::string()) != "private") {
    return SendMessage(chat_id, RenderWording(wording.private_only, content), {}, res);
  }
  auto text_field = message->find("text");
  if (text_field == message->end() || !text_field->is_string() ||
      text_field->get_ref<const std::string&>().empty()) {
    return SendMessage(chat_id, RenderWording(wording.not_text, content), {}, res);
  }
  Reply(chat_id, text_field->get_ref<const std::string&>(), update_id, res);
}

// Commands and turns, for a text message in a private chat.
void TelegramAdapter::Reply(int64_t chat_id, const std::string& text, const std::string& update_id,
                            httplib::Response& res) {
  std::shared_ptr<const Engine> engine = sessions_->engine();
  const Content& content = engine->content();
  const TelegramWording& wording = WordingOf(content);
  const std::string command = CommandOf(text);
  if (command == "/help") {
    return SendMessage(chat_id,
                       JoinParagraphs({RenderWording(wording.help, content),
                                       JoinLines(ResourceLines(content, wording.help_resources))}),
                       {}, res);
  }

  const std::string session_id = sessions_->SessionIdFor(kPlatform, std::to_string(chat_id));
  SessionLocks::Hold hold = sessions_->Lock(session_id);
  if (command == "/delete") {
    if (!sessions_->Erase(session_id).ok()) return SendUnavailable(res);
    return SendMessage(chat_id, RenderWording(wording.deleted, content), {}, res);
  }
  TextReply reply;
  if (command == "/start") {
    std::string opening;
    if (!sessions_->Opening(session_id, &opening).ok() || !ReadTextReply(opening, &reply)) {
      return SendUnavailable(res);
    }
    return SendReply(chat_id, reply, res);
  }

  SessionState state;
  const Status loaded = sessions_->LoadState(session_id, &state);
  const bool exists = loaded.code() != Status::Code::kNotFound;
  const TurnOutcome outcome = sessions_->Answer(session_id, exists, text, update_id).outcome;
  using Kind = TurnOutcome::Kind;
  switch (outcome.kind) {
    case Kind::kRefused:
      return SendMessage(chat_id, outcome.error_message, {}, res);
    case Kind::kAnswered:
    case Kind::kReplayed:
    case Kind::kUnavailable:
    case Kind::kInternal:
      // An unavailable store still answers a crisis now; anything else is
      // left for Telegram to deliver again.
      if (!outcome.response.empty() && ReadTextReply(outcome.response, &reply)) {
        return SendReply(chat_id, reply, res);
      }
      return SendUnavailable(res);
    case Kind::kNotFound:
      return SendUnavailable(res);
  }
  SendUnavailable(res);
}

}  // namespace steady::adapters
