// The Telegram adapter through the real `steady serve` on loopback, with
// updates shaped like Telegram's and the secret token set up at setWebhook.
#include <catch2/catch.hpp>

#include "adapters/adapter_helpers.h"

namespace steady::testing {
namespace {

constexpr int64_t kChat = 7001;

std::string TelegramSession(int64_t chat = kChat) {
  return SessionIdOf("telegram", std::to_string(chat));
}

}  // namespace

TEST_CASE("Telegram: a message with the right secret is answered with a sendMessage call",
          "[adapters][telegram]") {
  AdapterServer f;
  SentMessage sent = ReadSent(PostTelegram(f.client, TextUpdate(1, kChat, "I slipped last night")));
  CHECK(sent.status == 200);
  CHECK(sent.method == "sendMessage");
  CHECK(sent.chat_id == kChat);
  CHECK(sent.text.find("are you somewhere safe right now?") != std::string::npos);
  // The quick replies of the turn, as a one-time keyboard.
  CHECK(sent.keyboard == std::vector<std::string>{"Yes, I'm safe", "Not really", "I'm still using"});
  // Stored under the derived id, with the intent like any other turn.
  std::vector<nlohmann::json> lines = UserEntries(f.client, TelegramSession());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["intent"] == "lapse.disclosure");
}

TEST_CASE("Telegram: a wrong or missing secret token gets 401 and nothing is processed",
          "[adapters][telegram]") {
  AdapterServer f;
  for (const std::string secret : {"wrong-secret", "", "telegram-webhook-secret_4"}) {
    INFO("secret '" << secret << "'");
    httplib::Result r = PostTelegram(f.client, TextUpdate(1, kChat, "I want to die").dump(), secret);
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(nlohmann::json::parse(r->body)["error"]["code"] == "unauthorized");
    CHECK(r->body.find("sendMessage") == std::string::npos);
  }
  CHECK(SessionView(f.client, TelegramSession()).is_null());
}

TEST_CASE("Telegram: a malformed body gets 400 and changes nothing", "[adapters][telegram]") {
  AdapterServer f;
  for (const std::string body : {"{not json", "[1,2]", R"({"message":{"text":"hi"}})",
                                 R"({"update_id":"1"})",
                                 R"({"update_id":3,"message":{"text":"hi","chat":{}}})",
                                 R"({"update_id":4,"message":{"text":"hi","chat":{"id":101,"type":{}}}})"}) {
    INFO(body);
    httplib::Result r = PostTelegram(f.client, body);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(nlohmann::json::parse(r->body)["error"]["code"] == "malformed_update");
  }
  httplib::Result r = f.client.Post(kTelegramPath,
                                    {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}},
                                    TextUpdate(1, kChat, "hi").dump(), "text/plain");
  REQUIRE(r);
  CHECK(r->status == 415);
  CHECK(SessionView(f.client, TelegramSession()).is_null());
}

TEST_CASE("Telegram: updates that are not new messages are acknowledged and ignored",
          "[adapters][telegram]") {
  AdapterServer f;
  nlohmann::json edit = TextUpdate(5, kChat, "I want to die");
  edit["edited_message"] = edit["message"];
  edit.erase("message");
  const nlohmann::json callback = {{"update_id", 6},
                                   {"callback_query", {{"id", "1"}, {"data", "x"}}}};
  for (const nlohmann::json& update : {edit, callback}) {
    httplib::Result r = PostTelegram(f.client, update);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body.empty());
  }
  CHECK(SessionView(f.client, TelegramSession()).is_null());
}

TEST_CASE("Telegram: a photo or sticker gets a short reply that only text is understood",
          "[adapters][telegram]") {
  AdapterServer f;
  nlohmann::json photo = TextUpdate(8, kChat, "");
  photo["message"].erase("text");
  photo["message"]["photo"] = {{{"file_id", "abc"}, {"width", 90}, {"height", 90}}};
  SentMessage sent = ReadSent(PostTelegram(f.client, photo));
  CHECK(sent.status == 200);
  CHECK(sent.method == "sendMessage");
  CHECK(sent.text.find("only read text") != std::string::npos);
  CHECK(SessionView(f.client, TelegramSession()).is_null());  // nothing stored
}

TEST_CASE("Telegram: in a group chat the coach asks for a private message instead",
          "[adapters][telegram]") {
  AdapterServer f;
  nlohmann::json group = TextUpdate(9, -100123, "I slipped");
  group["message"]["chat"]["type"] = "group";
  SentMessage sent = ReadSent(PostTelegram(f.client, group));
  CHECK(sent.chat_id == -100123);
  CHECK(sent.text.find("one to one") != std::string::npos);
  CHECK(SessionView(f.client, TelegramSession(-100123)).is_null());
}

TEST_CASE("Telegram: /start greets with the opening and its quick replies, the same each time",
          "[adapters][telegram]") {
  AdapterServer f;
  SentMessage first = ReadSent(PostTelegram(f.client, TextUpdate(10, kChat, "/start")));
  CHECK(first.text.find("coach") != std::string::npos);
  CHECK(first.text.find("call 911, or call or text 988") != std::string::npos);
  CHECK(first.keyboard ==
        std::vector<std::string>{"I slipped", "I'm having cravings", "I need to talk",
                                 "Just checking in"});
  // Telegram redelivers, or the person taps START again: the same opening,
  // and no second conversation.
  SentMessage again = ReadSent(PostTelegram(f.client, TextUpdate(11, kChat, "/start@SteadyBot")));
  CHECK(again.text == first.text);
  nlohmann::json view = SessionView(f.client, TelegramSession());
  REQUIRE(view.is_object());
  CHECK(view["state"]["turn_count"] == 0);
}

TEST_CASE("Telegram: a crisis lists the numbers first, in plain text", "[adapters][telegram]") {
  AdapterServer f;
  SentMessage sent = ReadSent(PostTelegram(f.client, TextUpdate(12, kChat, "I want to kill myself")));
  REQUIRE(sent.status == 200);
  CHECK(StartsWith(sent.text, "988 Suicide & Crisis Lifeline: call or text 988"));
  // The whole first paragraph is numbers; the coach's words come after.
  const std::string numbers = sent.text.substr(0, sent.text.find("\n\n"));
  CHECK(numbers.find("\n911: call") != std::string::npos);
  CHECK(numbers.find("text HOME to 741741") != std::string::npos);
  CHECK(sent.text.size() > numbers.size() + 2);
  std::vector<nlohmann::json> lines = UserEntries(f.client, TelegramSession());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["crisis"] == "suicide");
}

TEST_CASE("Telegram: a redelivered update gets the same reply and is stored once",
          "[adapters][telegram]") {
  AdapterServer f;
  const nlohmann::json update = TextUpdate(20, kChat, "I really want to use right now");
  httplib::Result first = PostTelegram(f.client, update);
  httplib::Result retry = PostTelegram(f.client, update);
  REQUIRE(first);
  REQUIRE(retry);
  CHECK(first->status == 200);
  CHECK(retry->body == first->body);
  CHECK(UserEntries(f.client, TelegramSession()).size() == 1);
  // A new update id is a new message.
  PostTelegram(f.client, TextUpdate(21, kChat, "I really want to use right now"));
  CHECK(UserEntries(f.client, TelegramSession()).size() == 2);
}

TEST_CASE("Telegram: a very long message is refused kindly and not stored", "[adapters][telegram]") {
  AdapterServer f;
  SentMessage sent = ReadSent(PostTelegram(f.client, TextUpdate(30, kChat, std::string(4000, 'a'))));
  CHECK(sent.status == 200);
  CHECK(sent.text.find("too long") != std::string::npos);
  CHECK(UserEntries(f.client, TelegramSession()).empty());
}

TEST_CASE("Telegram: /delete erases the conversation", "[adapters][telegram]") {
  AdapterServer f;
  PostTelegram(f.client, TextUpdate(40, kChat, "I slipped"));
  REQUIRE(SessionView(f.client, TelegramSession()).is_object());
  SentMessage sent = ReadSent(PostTelegram(f.client, TextUpdate(41, kChat, "/delete")));
  CHECK(sent.text.find("erased our conversation") != std::string::npos);
  CHECK(SessionView(f.client, TelegramSession()).is_null());
  // Talking again starts a new conversation.
  PostTelegram(f.client, TextUpdate(42, kChat, "hi"));
  CHECK(UserEntries(f.client, TelegramSession()).size() == 1);
}

TEST_CASE("Telegram: /help says what this is and lists help numbers", "[adapters][telegram]") {
  AdapterServer f;
  SentMessage sent = ReadSent(PostTelegram(f.client, TextUpdate(50, kChat, "/help")));
  CHECK(sent.text.find("computer program") != std::string::npos);
  CHECK(sent.text.find("/delete") != std::string::npos);
  CHECK(sent.text.find("call or text 988") != std::string::npos);
  CHECK(sent.text.find("1-800-662-4357") != std::string::npos);
  CHECK(sent.removes_keyboard);
}

TEST_CASE("Telegram: the chat id is never stored in clear", "[adapters][telegram]") {
  AdapterServer f;
  const int64_t chat = 918273645;
  PostTelegram(f.client, TextUpdate(60, chat, "I slipped"));
  f.server.Stop();
  const std::string db = ReadFile(f.dir.File("steady.db")) + ReadFile(f.dir.File("steady.db-wal"));
  CHECK(db.find("918273645") == std::string::npos);
  CHECK(db.find(TelegramSession(chat)) != std::string::npos);
  CHECK(f.server.err().find("918273645") == std::string::npos);
  CHECK(f.server.err().find("I slipped") == std::string::npos);
}

TEST_CASE("Telegram: without --telegram-secret the route answers 404", "[adapters][telegram]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db")});
  httplib::Client client = server.Client();
  httplib::Result r = PostTelegram(client, TextUpdate(1, kChat, "hi"));
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(nlohmann::json::parse(r->body)["error"]["code"] == "adapter_not_enabled");
  CHECK(client.Get(kTelegramPath)->status == 405);
}

}  // namespace steady::testing
