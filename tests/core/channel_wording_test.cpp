// The "channels" content section (dialogs/channels.json) as a content
// author meets it in `steady validate`, and the session state the
// messaging channels rely on: offered quick replies and the opt-out.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/content_loader.h"
#include "core/session_state.h"
#include "support/temp_dir.h"
#include "support/test_content.h"

using namespace steady;
using namespace steady::testing;

namespace {

SmsWording GoodSms() {
  SmsWording w;
  w.intro = "Hi, this is {coach}.";
  w.help = "This is {coach}. Help is here:";
  w.help_resources = {"988", "911"};
  w.not_text = "I can only read text.";
  w.stopped = "You won't get more texts. Text START to talk again.";
  w.quick_reply_hint = "Reply with a number:";
  w.unavailable = "I can't answer right now. If you are in danger, call 911.";
  w.stop_keywords = {"STOP", "QUIT"};
  w.start_keywords = {"START", "YES"};
  w.help_keywords = {"HELP", "INFO"};
  w.source.file = "dialogs/channels.json";
  return w;
}

std::vector<std::string> Problems(std::shared_ptr<Content> c) {
  auto engine = MakeTestEngine(std::move(c));
  ValidateOptions options;
  options.today = "2026-11-29";
  std::vector<std::string> lines;
  for (const ContentProblem& p : ValidateContent(*engine, options)) {
    if (p.subject.rfind("channel", 0) == 0) lines.push_back(p.ToString());
  }
  return lines;
}

bool Mentions(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

// Loads a content folder holding only `channels_json` as dialogs/channels.json.
LoadResult LoadChannels(const TempDir& dir, const std::string& channels_json) {
  dir.Write("intents/none.json", "{}");
  dir.Write("dialogs/channels.json", channels_json);
  return LoadContent(dir.root());
}

}  // namespace

TEST_CASE("channel wording that is complete and sound has no problems", "[channels]") {
  auto c = MakeTestContent();
  c->channels.sms = GoodSms();
  CHECK(Problems(c).empty());
}

TEST_CASE("a help list naming a missing resource is reported", "[channels]") {
  auto c = MakeTestContent();
  c->channels.sms = GoodSms();
  c->channels.sms->help_resources.push_back("samhsa_typo");
  CHECK(Mentions(Problems(c), "resource 'samhsa_typo' does not exist"));
}

TEST_CASE("SMS keywords must be single words, each in one list, with STOP START HELP",
          "[channels]") {
  auto c = MakeTestContent();
  c->channels.sms = GoodSms();
  c->channels.sms->stop_keywords = {"QUIT", "stop now"};
  c->channels.sms->help_keywords = {"HELP", "yes"};
  const std::vector<std::string> lines = Problems(c);
  CHECK(Mentions(lines, "stop_keywords: \"stop now\" must be one word"));
  CHECK(Mentions(lines, "stop_keywords must include \"STOP\""));
  CHECK(Mentions(lines, "help_keywords: \"yes\" is already in start_keywords"));
}

TEST_CASE("channel wording may use {coach} and nothing else", "[channels]") {
  auto c = MakeTestContent();
  c->channels.sms = GoodSms();
  c->channels.sms->stopped = "Bye {what_happened}.";
  CHECK(Mentions(Problems(c), "channel wording can use only {coach}"));
}

TEST_CASE("the loader reads both channels and reports a missing or unknown field",
          "[channels]") {
  TempDir dir;
  LoadResult ok = LoadChannels(dir, R"({"channels": {
      "telegram": {"help": "h", "help_resources": ["988"], "not_text": "n", "deleted": "d",
                   "private_only": "p"}}})");
  REQUIRE(ok.content);
  CHECK(ok.problems.empty());
  REQUIRE(ok.content->channels.telegram);
  CHECK(ok.content->channels.telegram->deleted == "d");
  CHECK(ok.content->channels.telegram->source.file == "dialogs/channels.json");
  CHECK_FALSE(ok.content->channels.sms);

  TempDir bad;
  LoadResult loaded = LoadChannels(bad, R"({"channels": {
      "sms": {"intro": "i", "helpp": "h"}, "whatsapp": {}}})");
  std::vector<std::string> lines;
  for (const ContentProblem& p : loaded.problems) lines.push_back(p.ToString());
  CHECK(Mentions(lines, "dialogs/channels.json: channel 'sms': missing required field 'help'"));
  CHECK(Mentions(lines, "missing required field 'stop_keywords'"));
  CHECK(Mentions(lines, "'helpp'"));
  CHECK(Mentions(lines, "'whatsapp'"));
}

TEST_CASE("the shipped content has the wording of both channels", "[channels]") {
  LoadResult loaded = LoadContent(STEADY_SOURCE_DIR);
  REQUIRE(loaded.content);
  CHECK(loaded.problems.empty());
  CHECK(loaded.content->channels.telegram);
  REQUIRE(loaded.content->channels.sms);
  const auto& stop = loaded.content->channels.sms->stop_keywords;
  CHECK(std::find(stop.begin(), stop.end(), "STOP") != stop.end());
}

TEST_CASE("a turn remembers the quick replies it offered, for answers by number",
          "[channels][session_state]") {
  auto engine = MakeTestEngine();
  Turn opening = engine->Start(1);
  CHECK(opening.state.offered_quick_replies == std::vector<std::string>{"I slipped"});
  Turn lapse = engine->Respond(opening.state, "I slipped");
  CHECK(lapse.state.offered_quick_replies == lapse.replies.back().quick_replies);
  CHECK(lapse.state.offered_quick_replies == std::vector<std::string>{"Yes", "No"});
  // A refused message changes nothing, offers included.
  Turn refused = engine->Respond(lapse.state, std::string(3000, 'a'));
  CHECK(refused.state.offered_quick_replies == lapse.state.offered_quick_replies);
}

TEST_CASE("the opt-out and the offered quick replies are stored with the session",
          "[channels][session_state]") {
  SessionState state;
  state.seed = 9;
  state.offered_quick_replies = {"I slipped", "I need to talk"};
  state.opted_out = true;
  SessionState back;
  REQUIRE(ParseState(SerializeState(state), &back).ok());
  CHECK(back == state);
  // A state stored before these fields existed reads as "not opted out".
  REQUIRE(ParseState(R"({"v":1,"seed":9})", &back).ok());
  CHECK_FALSE(back.opted_out);
  CHECK(back.offered_quick_replies.empty());
  CHECK_FALSE(ParseState(R"({"v":1,"seed":9,"opted_out":"yes"})", &back).ok());
  CHECK_FALSE(ParseState(R"({"v":1,"seed":9,"offered_quick_replies":[1]})", &back).ok());
}
