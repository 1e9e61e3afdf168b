// One conversation, every channel: each conversation test of
// tests/conversations/ is played through the HTTP API, the Telegram
// adapter and the Twilio SMS adapter of one real `steady serve`, and must
// come out the same on all of them. A channel only changes the rendering.
//
// What a channel must not change is checked on every turn, from what the
// server stored (GET /v1/sessions/{id}, with the adapters' session ids
// worked out from the known server secret): the intent, the crisis
// category, where the conversation waits, and that the message was stored
// exactly once. What the person sees is checked in each channel's own
// rendering: every quick reply the test expects is offered (JSON, Telegram
// keyboard, SMS numbered list), every resource it expects is shown, and on
// a turn about risk the numbers come before any other words.
//
// The wording checks of a test (contains, not_contains, matches) are left
// to `steady test`: the words depend on the session's random seed, which a
// test fixes only there. Over SMS, a test message that is one of the quick
// replies just offered is sent as its number ("2"), so the numbered
// choice is walked by every conversation too; and SMS has no separate
// opening (its first reply carries the introduction), so a test's opening
// checks run on the other two channels.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "adapters/adapter_helpers.h"
#include "cli/conversation_test_runner.h"
#include "core/content_loader.h"

namespace steady::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

enum class Channel { kHttp, kTelegram, kSms };

const char* Name(Channel c) {
  return c == Channel::kHttp ? "http" : c == Channel::kTelegram ? "telegram" : "sms";
}

std::vector<std::pair<std::string, ConversationTest>> ConversationTests() {
  std::vector<std::pair<std::string, ConversationTest>> tests;
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(std::string(STEADY_SOURCE_DIR) + "/tests/conversations")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    ConversationTest test;
    std::string error;
    const json doc = json::parse(ReadFile(file), nullptr, true, /*ignore_comments=*/true);
    if (!ParseConversationTest(doc, file.filename().string(), &test, &error)) {
      throw std::runtime_error(file.string() + ": " + error);
    }
    tests.emplace_back(file.filename().string(), std::move(test));
  }
  return tests;
}

// What one channel showed for one turn.
struct Shown {
  bool ok = false;             // the channel answered as it should (200, a reply)
  std::string problem;         // when not ok
  std::string text;            // everything the person reads, in order
  std::vector<std::string> quick_replies;
  std::vector<std::string> resource_ids;  // HTTP: the ids; others: found by their lines
};

// What the server stored after a turn.
struct Stored {
  size_t user_lines = 0;
  std::string intent;
  std::string crisis;  // "" for none
  std::string node;    // "flow/node" or ""
};

class ChannelRunner {
 public:
  ChannelRunner(Channel channel, httplib::Client* client, const Content* content)
      : channel_(channel), client_(client), content_(content) {}

  // Plays `test` and returns one line per check that did not hold.
  std::vector<std::string> Run(const std::string& file, const ConversationTest& test) {
    problems_.clear();
    file_ = file;
    ++conversation_;
    offered_.clear();
    update_id_ = conversation_ * 1000;
    session_.clear();
    if (channel_ == Channel::kTelegram) {
      session_ = SessionIdOf("telegram", std::to_string(ChatId()));
    } else if (channel_ == Channel::kSms) {
      session_ = SessionIdOf("sms", Phone());
    }
    if (channel_ != Channel::kSms) {
      Shown opening = Open();
      if (!opening.ok) {
        Fail("opening", opening.problem);
        return problems_;
      }
      CheckShown("opening", test.opening, opening, Load(), false);
    }
    size_t before = channel_ == Channel::kSms ? 0 : Load().user_lines;
    for (size_t i = 0; i < test.turns.size(); ++i) {
      const TestTurn& turn = test.turns[i];
      const std::string where = "turn " + std::to_string(i + 1) + " (\"" + turn.user + "\")";
      Shown shown = Send(turn.user, i);
      if (!shown.ok) {
        Fail(where, shown.problem);
        break;
      }
      const Stored stored = Load();
      if (stored.user_lines != before + 1) {
        Fail(where, "expected the message stored once, found " +
                        std::to_string(stored.user_lines - before) + " new lines");
      }
      before = stored.user_lines;
      CheckStored(where, turn.checks, stored);
      CheckShown(where, turn.checks, shown, stored, true);
    }
    return problems_;
  }

 private:
  int64_t ChatId() const { return 500000 + conversation_; }
  std::string Phone() const { return "+1555010" + std::to_string(1000 + conversation_); }

  void Fail(const std::string& where, const std::string& what) {
    problems_.push_back(std::string(Name(channel_)) + ": " + file_ + ": " + where + ": " + what);
  }

  Shown Open() {
    Shown shown;
    if (channel_ == Channel::kHttp) {
      httplib::Result r = client_->Post("/v1/sessions", "", "application/json");
      if (!r || r->status != 201) {
        shown.problem = "POST /v1/sessions failed";
        return shown;
      }
      const json body = json::parse(r->body);
      session_ = body["session_id"];
      ReadJsonTurn(body, &shown);
      return shown;
    }
    return ReadTelegram(PostTelegram(*client_, TextUpdate(++update_id_, ChatId(), "/start")));
  }

  Shown Send(const std::string& text, size_t index) {
    if (channel_ == Channel::kHttp) {
      json request = {{"text", text}, {"client_message_id", "t" + std::to_string(index)}};
      httplib::Result r = client_->Post("/v1/sessions/" + session_ + "/messages", request.dump(),
                                        "application/json");
      Shown shown;
      if (!r || r->status != 200) {
        shown.problem = "the API answered " + (r ? std::to_string(r->status) : std::string("nothing"));
        return shown;
      }
      ReadJsonTurn(json::parse(r->body), &shown);
      return shown;
    }
    if (channel_ == Channel::kTelegram) {
      return ReadTelegram(PostTelegram(*client_, TextUpdate(++update_id_, ChatId(), text)));
    }
    // SMS: a quick reply just offered goes as its number.
    std::string body = text;
    for (size_t i = 0; i < offered_.size(); ++i) {
      if (offered_[i] == text) body = std::to_string(i + 1);
    }
    const std::string sid = "SM" + std::to_string(conversation_) + "x" + std::to_string(index);
    return ReadSms(PostSms(*client_, SmsForm(Phone(), body, sid)));
  }

  void ReadJsonTurn(const json& body, Shown* shown) {
    shown->ok = true;
    for (const auto& m : body["messages"]) {
      shown->text += (shown->text.empty() ? "" : "\n\n") + m["text"].get<std::string>();
      for (const auto& q : m["quick_replies"]) shown->quick_replies.push_back(q);
    }
    if (body.contains("resources")) {
      for (const auto& r : body["resources"]) shown->resource_ids.push_back(r["id"]);
    }
    // The API shows resources apart from the messages; a turn about risk
    // must carry them in the crisis object (or, for the check-in, in
    // "resources"), which the client shows first.
    if (body.contains("crisis") && body["crisis"].is_object()) {
      std::string lines;
      for (const auto& r : body["crisis"]["resources"]) lines += r.value("text", "") + "\n";
      shown->text = lines + "\n" + shown->text;
    } else if (body.value("intent", "") == "crisis.check_in") {
      std::string lines;
      for (const auto& r : body["resources"]) lines += r.value("text", "") + "\n";
      shown->text = lines + "\n" + shown->text;
    }
  }

  Shown ReadTelegram(const httplib::Result& r) {
    Shown shown;
    const SentMessage sent = ReadSent(r);
    if (sent.status != 200 || sent.method != "sendMessage" || sent.chat_id != ChatId()) {
      shown.problem = "expected a sendMessage to this chat, got status " +
                      std::to_string(sent.status);
      return shown;
    }
    shown.ok = true;
    shown.text = sent.text;
    shown.quick_replies = sent.keyboard;
    FindResources(&shown);
    return shown;
  }

  Shown ReadSms(const httplib::Result& r) {
    Shown shown;
    if (!r || r->status != 200 || SmsBodies(r).empty()) {
      shown.problem = "expected TwiML with a message, got status " +
                      (r ? std::to_string(r->status) : std::string("nothing"));
      return shown;
    }
    shown.ok = true;
    shown.text = SmsText(r);
    // The numbered list: "1. I slipped" lines after the hint.
    offered_.clear();
    std::istringstream lines(shown.text);
    std::string line;
    bool in_list = false;
    while (std::getline(lines, line)) {
      const std::string prefix = std::to_string(offered_.size() + 1) + ". ";
      if (in_list && StartsWith(line, prefix)) offered_.push_back(line.substr(prefix.size()));
      in_list = in_list || line == content_->channels.sms->quick_reply_hint;
    }
    shown.quick_replies = offered_;
    FindResources(&shown);
    return shown;
  }

  // Text channels show a resource as its line of text.
  void FindResources(Shown* shown) const {
    for (const Resource& r : content_->resources) {
      if (!r.text.empty() && shown->text.find(r.text) != std::string::npos) {
        shown->resource_ids.push_back(r.id);
      }
    }
  }

  Stored Load() {
    Stored stored;
    const json view = SessionView(*client_, session_);
    if (view.is_null()) return stored;
    for (const auto& line : view["transcript"]) {
      if (line["role"] != "user") continue;
      ++stored.user_lines;
      stored.intent = line.value("intent", "");
      stored.crisis = line["crisis"].is_string() ? line["crisis"].get<std::string>() : "";
    }
    const json& waiting = view["state"]["waiting_at"];
    if (waiting.is_object()) {
      stored.node = waiting["flow"].get<std::string>() + "/" + waiting["node"].get<std::string>();
    }
    return stored;
  }

  void CheckStored(const std::string& where, const TurnChecks& checks, const Stored& stored) {
    if (checks.intent && *checks.intent != stored.intent) {
      Fail(where, "expected intent " + *checks.intent + ", got " + stored.intent);
    }
    if (checks.crisis) {
      const std::string want = checks.crisis->value_or("");
      if (want != stored.crisis) {
        Fail(where, "expected crisis " + (want.empty() ? "none" : want) + ", got " +
                        (stored.crisis.empty() ? "none" : stored.crisis));
      }
    }
    if (checks.node && *checks.node != stored.node) {
      Fail(where, "expected node " + *checks.node + ", got " + stored.node);
    }
  }

  void CheckShown(const std::string& where, const TurnChecks& checks, const Shown& shown,
                  const Stored& stored, bool is_turn) {
    for (const std::string& q : checks.quick_replies) {
      if (std::find(shown.quick_replies.begin(), shown.quick_replies.end(), q) ==
          shown.quick_replies.end()) {
        Fail(where, "expected quick reply \"" + q + "\" to be offered");
      }
    }
    for (const std::string& id : checks.resources) {
      if (std::find(shown.resource_ids.begin(), shown.resource_ids.end(), id) ==
          shown.resource_ids.end()) {
        Fail(where, "expected resource " + id + " to be shown");
      }
    }
    if (is_turn && (!stored.crisis.empty() || stored.intent == "crisis.check_in")) {
      // Numbers first: the reply opens with a resource's line.
      bool leads = false;
      for (const Resource& r : content_->resources) {
        leads = leads || (!r.text.empty() && StartsWith(shown.text, r.text));
      }
      if (!leads) Fail(where, "a turn about risk must open with the crisis numbers");
    }
  }

  const Channel channel_;
  httplib::Client* const client_;
  const Content* const content_;
  std::vector<std::string> problems_;
  std::string file_;
  std::string session_;
  std::vector<std::string> offered_;  // SMS: the numbered list last shown
  int conversation_ = 0;
  int64_t update_id_ = 0;
};

void RunEveryConversation(Channel channel) {
  LoadResult loaded = LoadContent(STEADY_SOURCE_DIR);
  REQUIRE(loaded.content);
  const auto tests = ConversationTests();
  REQUIRE(tests.size() >= 40);
  AdapterServer f({"--session-rate", "0", "--address-rate", "0"});
  f.client.set_keep_alive(true);
  ChannelRunner runner(channel, &f.client, loaded.content.get());
  std::vector<std::string> problems;
  size_t turns = 0;
  for (const auto& [file, test] : tests) {
    std::vector<std::string> found = runner.Run(file, test);
    problems.insert(problems.end(), found.begin(), found.end());
    turns += test.turns.size();
  }
  std::string report;
  for (const std::string& p : problems) report += p + "\n";
  INFO(tests.size() << " conversations, " << turns << " turns over " << Name(channel) << "\n"
                    << report);
  CHECK(problems.empty());
}

}  // namespace

TEST_CASE("every conversation test holds over the HTTP API", "[adapters][channels]") {
  RunEveryConversation(Channel::kHttp);
}

TEST_CASE("every conversation test holds over Telegram", "[adapters][channels]") {
  RunEveryConversation(Channel::kTelegram);
}

TEST_CASE("every conversation test holds over SMS", "[adapters][channels]") {
  RunEveryConversation(Channel::kSms);
}

}  // namespace steady::testing
