// Fuzzes the Telegram webhook (TelegramAdapter::Handle,
// src/adapters/telegram_adapter.h), whose body parser (the JSON Update) is
// internal to the adapter, end to end over the real store and the shipped
// content. Input: up to three Update bodies, one a line, each delivered in
// turn with the right secret token and content type, as Telegram would.
// Every chat the input touched is erased afterwards, so inputs do not
// depend on each other.
//
// Promises checked for every delivery:
//  - the answer is 200 (a sendMessage, or empty for an update that is not
//    a message) or 400 with a JSON error for a body that is not an Update;
//  - a sendMessage goes to the update's chat, with a non-empty text that is
//    valid UTF-8 and at most 4,096 UTF-16 units, and a reply_markup;
//  - a text message in a private chat that is a crisis is answered with
//    its crisis's first resource line before any other words.
#include <httplib.h>

#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/sms_text.h"
#include "adapters/telegram_adapter.h"
#include "channel_fixture.h"
#include "core/utf8.h"

namespace {

using nlohmann::json;

constexpr char kSecret[] = "fuzz-telegram-secret";

// The chat id and text of an update's message, when it has them.
struct Incoming {
  std::optional<int64_t> chat_id;
  bool private_chat = false;
  std::optional<std::string> text;
  std::optional<int64_t> update_id;
};

Incoming Read(const std::string& body) {
  Incoming in;
  const json update = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!update.is_object()) return in;
  if (update.contains("update_id") && update["update_id"].is_number_integer()) {
    in.update_id = update["update_id"].get<int64_t>();
  }
  if (!update.contains("message") || !update["message"].is_object()) return in;
  const json& message = update["message"];
  if (message.contains("chat") && message["chat"].is_object()) {
    const json& chat = message["chat"];
    if (chat.contains("id") && chat["id"].is_number_integer()) in.chat_id = chat["id"].get<int64_t>();
    in.private_chat = chat.contains("type") && chat["type"] == "private";
  }
  if (message.contains("text") && message["text"].is_string()) {
    in.text = message["text"].get<std::string>();
  }
  return in;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  steady::fuzz::ChannelFixture& fixture = steady::fuzz::ChannelFixture::Get();
  static steady::adapters::TelegramAdapter adapter(fixture.sessions.get(), kSecret);

  std::set<int64_t> chats;
  std::set<std::pair<int64_t, int64_t>> deliveries;
  for (std::string_view line : steady::fuzz::SplitLines(steady::fuzz::AsText(data, size), 3)) {
    const std::string body(line);
    const Incoming in = Read(body);
    steady::SessionState before;
    if (in.chat_id) {
      chats.insert(*in.chat_id);
      fixture.sessions->LoadState(
          fixture.sessions->SessionIdFor("telegram", std::to_string(*in.chat_id)), &before);
    }
    // Telegram redelivering an update gets the first reply again.
    const bool retry = in.chat_id && in.update_id &&
                       !deliveries.insert({*in.chat_id, *in.update_id}).second;

    httplib::Request req;
    req.method = "POST";
    req.target = req.path = "/v1/adapters/telegram";
    req.headers.emplace("Content-Type", "application/json");
    req.headers.emplace("X-Telegram-Bot-Api-Secret-Token", kSecret);
    httplib::Response res;
    adapter.Handle(req, body, res);

    FUZZ_CHECK(res.status == 200 || res.status == 400, "the answer is 200 or 400");
    if (res.status == 400) {
      FUZZ_CHECK(res.get_header_value("Content-Type").rfind("application/json", 0) == 0 &&
                     json::parse(res.body, nullptr, false).contains("error"),
                 "a refusal is a JSON error");
      continue;
    }
    if (res.body.empty()) continue;  // not a message: acknowledged, nothing to say
    const json sent = json::parse(res.body, nullptr, /*allow_exceptions=*/false);
    FUZZ_CHECK(sent.is_object() && sent.value("method", "") == "sendMessage",
               "an answer is one sendMessage");
    FUZZ_CHECK(in.chat_id && sent["chat_id"] == *in.chat_id, "the answer goes to the update's chat");
    FUZZ_CHECK(sent["text"].is_string(), "a sendMessage has a text");
    const std::string text = sent["text"].get<std::string>();
    FUZZ_CHECK(!text.empty(), "a sendMessage's text is not empty");
    FUZZ_CHECK(steady::IsValidUtf8(text), "a sendMessage's text is valid UTF-8");
    FUZZ_CHECK(steady::adapters::Utf16Length(text) <= steady::adapters::kMaxTelegramTextChars,
               "a sendMessage's text fits Telegram's limit");
    FUZZ_CHECK(sent.contains("reply_markup") && sent["reply_markup"].is_object(),
               "a sendMessage sets or removes the keyboard");

    const bool command = in.text && !in.text->empty() && (*in.text)[0] == '/';
    if (in.private_chat && in.text && !command && !retry) {
      if (auto crisis = fixture.CrisisOf(*in.text, before)) {
        FUZZ_CHECK(text.rfind(fixture.FirstCrisisLine(*crisis), 0) == 0,
                   "a crisis is answered with its first resource line before any other words");
      }
    }
  }
  for (int64_t chat : chats) {
    FUZZ_CHECK(fixture.sessions->Erase(fixture.sessions->SessionIdFor("telegram",
                                                                        std::to_string(chat)))
                   .ok(),
               "the chats of the input are erased");
  }
  return 0;
}
