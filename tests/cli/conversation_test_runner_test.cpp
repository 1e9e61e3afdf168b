// Conversation tests as `steady test` runs them: parsing a test file and
// playing it against an engine built over a tiny content folder.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/conversation_test_runner.h"
#include "core/content_loader.h"
#include "core/engine.h"
#include "support/temp_dir.h"

namespace steady {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The smallest content a session can run on: a greeting, a lapse flow that
// asks about safety, a note flow that captures free text into a slot, a
// fallback, and one crisis flow per category (the engine needs every
// category covered).
json CoreIntents() {
  return json::parse(R"({
    "intents": [
      { "id": "greeting", "keywords": ["hi", "hello"] },
      { "id": "note", "keywords": ["take a note"] },
      { "id": "affirm", "contextual": true, "patterns": ["^(yes|yeah)\\b"] },
      { "id": "deny", "contextual": true, "patterns": ["^(no|not really)\\b"] },
      { "id": "lapse.disclosure", "priority": 50,
        "patterns": ["\\bi (used|drank)\\b"], "unless": ["\\bused to\\b"],
        "examples": ["I used last night"], "counter_examples": ["I used to drink"] }
    ],
    "lexicon": { "contractions": { "i'm": "i am" }, "substitutions": {} }
  })");
}

json CrisisIntents() {
  const std::pair<const char*, const char*> categories[] = {
      {"suicide", "\\bwant to die\\b"},
      {"self_harm", "\\bcut myself\\b"},
      {"overdose", "\\bcannot wake (him|her) up\\b"},
      {"harm_to_others", "\\bhurt someone\\b"},
      {"abuse", "\\bhe hits me\\b"},
  };
  json intents = json::array();
  for (const auto& c : categories) {
    intents.push_back(json::object({{"id", std::string("crisis.") + c.first},
                                    {"crisis", c.first},
                                    {"patterns", json::array({c.second})}}));
  }
  return json::object({{"intents", intents}});
}

json Flows() {
  json flows = json::parse(R"([
    { "id": "greeting", "triggers": ["greeting"], "start": "hello",
      "nodes": [ { "id": "hello", "say": ["Hi, I'm Steady. What's on your mind?"] } ] },
    { "id": "lapse", "triggers": ["lapse.disclosure"], "start": "safety",
      "nodes": [
        { "id": "safety",
          "say": ["Thank you for telling me. Are you somewhere safe right now?"],
          "quick_replies": ["Yes, I'm safe", "Not really"],
          "expect": { "type": "yes_no", "yes": "glad", "no": "end" } },
        { "id": "glad", "say": ["I'm glad you're safe."] } ] },
    { "id": "note", "triggers": ["note"], "start": "ask",
      "nodes": [
        { "id": "ask", "say": ["What should I write down?"],
          "expect": { "type": "text", "slot": "what" }, "next": "echo" },
        { "id": "echo", "say": [["Noted: {what}.", "Anything else?"]] } ] },
    { "id": "fallback", "start": "first",
      "nodes": [
        { "id": "first", "say": ["I'm not sure I follow. Can you say more?"] },
        { "id": "repeated", "say": ["I can help after a slip."],
          "quick_replies": ["I used again"] } ] }
  ])");
  for (const char* category : {"suicide", "self_harm", "overdose", "harm_to_others", "abuse"}) {
    const std::string id = std::string("crisis_") + category;
    const json check = json::object(
        {{"id", "check"},
         {"enter_crisis", category},
         {"say", json::array({"You matter. Please call or text 988 now. Are you safe?"})},
         {"expect", json::object(
             {{"type", "yes_no"}, {"yes", "safe"}, {"no", "check"}, {"other", "check"}})}});
    const json safe = json::object(
        {{"id", "safe"}, {"end_crisis", true}, {"say", json::array({"I'm glad."})}});
    flows.push_back(json::object({{"id", id},
                                  {"triggers", json::array({std::string("crisis.") + category})},
                                  {"start", "check"},
                                  {"nodes", json::array({check, safe})}}));
  }
  return json::object({{"flows", flows}});
}

json Resources() {
  return json::parse(R"({
    "resources": [
      { "id": "988", "name": "988 Suicide & Crisis Lifeline", "phone": "988", "sms": "988",
        "text": "Call or text 988", "region": "US", "last_verified": "2026-01-01" },
      { "id": "911", "name": "Emergency services", "phone": "911",
        "text": "Call 911", "region": "US", "last_verified": "2026-01-01" }
    ],
    "crisis_resources": {
      "suicide": ["988", "911"], "self_harm": ["988", "911"], "overdose": ["911", "988"],
      "harm_to_others": ["911", "988"], "abuse": ["911", "988"]
    },
    "system": {
      "greeting_flow": "greeting", "fallback_flow": "fallback",
      "resume_prefix": ["Let's pick up where we were."],
      "crisis_mode_reminder": ["I'm still here with you."]
    }
  })");
}

// The tiny content in a fresh temporary folder, removed afterwards.
class TinyContent {
 public:
  TinyContent() {
    Write("intents/core.json", CoreIntents());
    Write("intents/crisis.json", CrisisIntents());
    Write("dialogs/flows.json", Flows());
    Write("dialogs/resources.json", Resources());
  }

  std::string root() const { return dir_.root(); }

  std::unique_ptr<Engine> MakeEngine() const {
    LoadResult loaded = LoadContent(dir_.root());
    std::string problems;
    for (const ContentProblem& problem : loaded.problems) {
      if (!problem.warning) problems += problem.ToString() + "\n";
    }
    INFO(problems);
    REQUIRE(problems.empty());
    REQUIRE(loaded.content != nullptr);
    std::unique_ptr<Engine> engine;
    const Status status = Engine::Create(loaded.content, EngineOptions(), &engine);
    INFO(status.message());
    REQUIRE(status.ok());
    return engine;
  }

 private:
  void Write(const std::string& relative, const json& doc) { dir_.Write(relative, doc.dump(2) + "\n"); }

  testing::TempDir dir_;
};

ConversationTest Parse(const std::string& text) {
  ConversationTest test;
  std::string error;
  const bool ok = ParseConversationTest(json::parse(text, nullptr, true, true), "test.json",
                                        &test, &error);
  INFO(error);
  REQUIRE(ok);
  return test;
}

// Parse's failure sentence, or "" when the test parsed.
std::string ParseError(const std::string& text) {
  ConversationTest test;
  std::string error;
  if (ParseConversationTest(json::parse(text, nullptr, true, true), "test.json", &test, &error)) {
    return "";
  }
  return error;
}

std::string Describe(const ConversationResult& result) {
  std::string out;
  for (const TurnFailure& f : result.failures) {
    for (const std::string& p : f.problems) out += DescribeTurn(f) + ": " + p + "\n";
    out += "  engine: " + f.engine_did + "\n";
  }
  return out;
}

const char kPassing[] = R"({
  "name": "a lapse is met with a safety question, a crisis with 988",
  "seed": 7,
  "opening": { "contains": ["hi"] },  // case-insensitive
  "turns": [
    { "user": "I used last night",
      "intent": "lapse.disclosure",
      "crisis": null,
      "node": "lapse/safety",
      "contains": ["SOMEWHERE SAFE"],
      "not_contains": ["failure"],
      "matches": "(?i)are you somewhere safe",
      "quick_replies": ["Yes, I'm safe"] },
    { "user": "I want to die",
      "intent": "crisis.suicide",
      "crisis": "suicide",
      "contains": "988",
      "resources": ["988", "911"] }
  ]
})";

TEST_CASE("a conversation that does what its test says passes") {
  TinyContent content;
  const std::unique_ptr<Engine> engine = content.MakeEngine();
  const ConversationResult result = RunConversation(*engine, Parse(kPassing));
  INFO(Describe(result));
  CHECK(result.passed());
  CHECK(result.name == "a lapse is met with a safety question, a crisis with 988");
}

TEST_CASE("a wrong expected intent fails, naming the turn and what the engine did") {
  TinyContent content;
  const std::unique_ptr<Engine> engine = content.MakeEngine();
  const ConversationResult result = RunConversation(*engine, Parse(R"({
    "name": "wrong intent",
    "turns": [ { "user": "I used last night", "intent": "craving" } ]
  })"));
  REQUIRE_FALSE(result.passed());
  REQUIRE(result.failures.size() == 1);
  const TurnFailure& failure = result.failures[0];
  CHECK(failure.turn == 1);
  CHECK(DescribeTurn(failure) == "turn 1 (\"I used last night\")");
  REQUIRE(failure.problems.size() == 1);
  CHECK(failure.problems[0] == "expected intent craving, got lapse.disclosure");
  CHECK_THAT(failure.engine_did, Catch::Contains("intent lapse.disclosure"));
  CHECK_THAT(failure.engine_did, Catch::Contains("node lapse/safety"));
  CHECK_THAT(failure.engine_did, Catch::Contains("somewhere safe"));
}

TEST_CASE("every failed check of a turn is reported, and later turns still run") {
  TinyContent content;
  const std::unique_ptr<Engine> engine = content.MakeEngine();
  const ConversationResult result = RunConversation(*engine, Parse(R"({
    "turns": [
      { "user": "I used last night", "crisis": "suicide", "contains": ["988"],
        "not_contains": ["safe"], "quick_replies": ["Call me"], "resources": ["988"] },
      { "user": "I want to die", "crisis": null, "node": "" }
    ]
  })"));
  REQUIRE(result.failures.size() == 2);
  CHECK(result.failures[0].turn == 1);
  CHECK(result.failures[0].problems == std::vector<std::string>{
      "expected crisis suicide, got none",
      "expected the replies to contain \"988\"",
      "expected the replies not to contain \"safe\"",
      "expected quick reply \"Call me\", got [\"Yes, I'm safe\", \"Not really\"]",
      "expected resource 988, got none",
  });
  CHECK(result.failures[1].turn == 2);
  REQUIRE(result.failures[1].problems.size() == 2);
  CHECK(result.failures[1].problems[0] == "expected no crisis, got suicide");
  CHECK_THAT(result.failures[1].problems[1], Catch::StartsWith("expected node (none), got "));
}

TEST_CASE("opening checks apply to the greeting") {
  TinyContent content;
  const std::unique_ptr<Engine> engine = content.MakeEngine();
  const ConversationResult result = RunConversation(*engine, Parse(R"({
    "opening": { "contains": ["goodbye"] }, "turns": []
  })"));
  REQUIRE(result.failures.size() == 1);
  CHECK(result.failures[0].turn == 0);
  CHECK(DescribeTurn(result.failures[0]) == "opening");
}

TEST_CASE("a test without a name is named by its file") {
  CHECK(Parse(R"({"turns": []})").name == "test.json");
}

TEST_CASE("the seed defaults to 1") {
  CHECK(Parse(R"({"turns": []})").seed == 1);
  CHECK(Parse(R"({"seed": 42, "turns": []})").seed == 42);
}

TEST_CASE("a misspelt check is a malformed test, not a silent pass") {
  CHECK(ParseError(R"({"turns": [{"user": "hi", "contians": ["x"]}]})") ==
        "turns[0].contians: unknown key");
  CHECK(ParseError(R"({"name": "x", "turn": []})") == "turn: unknown key");
}

TEST_CASE("wrong types in a test are reported with where they are") {
  CHECK(ParseError(R"({"turns": [{"user": 3}]})") == "turns[0].user: expected a string");
  CHECK(ParseError(R"({"turns": [{"user": "hi", "intent": ["a"]}]})") ==
        "turns[0].intent: expected a string");
  CHECK(ParseError(R"({"turns": [{"user": "hi", "contains": ["a", 1]}]})") ==
        "turns[0].contains[1]: expected a string");
  CHECK(ParseError(R"({"seed": -1, "turns": []})") == "seed: expected a non-negative integer");
  CHECK(ParseError(R"({"turns": {}})") == "turns: expected an array of turns");
  CHECK(ParseError(R"([])") == "(top level): expected an object");
}

TEST_CASE("a turn needs a user message and a test needs turns") {
  CHECK(ParseError(R"({"turns": [{"intent": "greeting"}]})") == "turns[0]: missing \"user\"");
  CHECK(ParseError(R"({"name": "x"})") == "(top level): missing \"turns\"");
}

TEST_CASE("an unknown crisis category or a bad regex is caught when the test is read") {
  CHECK_THAT(ParseError(R"({"turns": [{"user": "x", "crisis": "suicidal"}]})"),
             Catch::StartsWith("turns[0].crisis: unknown crisis category \"suicidal\""));
  CHECK_THAT(ParseError(R"({"turns": [{"user": "x", "matches": "(unclosed"}]})"),
             Catch::StartsWith("turns[0].matches: invalid regex: "));
}

// --- Coverage (`steady test --coverage`) ---------------------------------

bool Reached(const CoverageTracker& coverage, const std::string& node) {
  const std::vector<std::string> unreached = coverage.UnreachedNodes();
  return std::find(unreached.begin(), unreached.end(), node) == unreached.end();
}

TEST_CASE("nodes and intents that no conversation reaches are listed") {
  TinyContent content;
  const std::unique_ptr<Engine> engine = content.MakeEngine();
  CoverageTracker coverage(engine->content());
  RunConversation(*engine, Parse(R"({"turns": [{"user": "I used last night"}]})"), &coverage);
  CHECK(coverage.UnreachedNodes() == std::vector<std::string>{
      "crisis_abuse/check", "crisis_abuse/safe",
      "crisis_harm_to_others/check", "crisis_harm_to_others/safe",
      "crisis_overdose/check", "crisis_overdose/safe",
      "crisis_self_harm/check", "crisis_self_harm/safe",
      "crisis_suicide/check", "crisis_suicide/safe",
      "fallback/first", "fallback/repeated",
      "lapse/glad",
      "note/ask", "note/echo",
  });
  CHECK(coverage.node_count() == 17);
  const std::vector<std::string> intents = coverage.UnreachedIntents();
  CHECK_THAT(intents, Catch::VectorContains(std::string("note")) &&
                          Catch::VectorContains(std::string("affirm")) &&
                          !Catch::VectorContains(std::string("lapse.disclosure")));
}

TEST_CASE("a node a turn passes through is reached, though the turn ends elsewhere") {
  TinyContent content;
  const std::unique_ptr<Engine> engine = content.MakeEngine();
  CoverageTracker coverage(engine->content());
  // "yes" says lapse/glad and ends the flow: the turn ends waiting nowhere.
  RunConversation(*engine, Parse(R"({"turns": [
    {"user": "I used last night"}, {"user": "yes", "node": ""}
  ]})"), &coverage);
  CHECK(Reached(coverage, "lapse/glad"));
  CHECK(Reached(coverage, "lapse/safety"));
  CHECK_FALSE(Reached(coverage, "note/echo"));
}

TEST_CASE("a captured slot in a reply does not hide the node that says it") {
  TinyContent content;
  const std::unique_ptr<Engine> engine = content.MakeEngine();
  CoverageTracker coverage(engine->content());
  const ConversationResult result = RunConversation(*engine, Parse(R"({"turns": [
    {"user": "take a note", "node": "note/ask"},
    {"user": "call my sister on sunday", "node": "", "contains": ["Noted: call my sister"]}
  ]})"), &coverage);
  INFO(Describe(result));
  REQUIRE(result.passed());
  CHECK(Reached(coverage, "note/echo"));
}

TEST_CASE("the fallback's nodes are reached by messages that match nothing") {
  TinyContent content;
  const std::unique_ptr<Engine> engine = content.MakeEngine();
  CoverageTracker coverage(engine->content());
  RunConversation(*engine, Parse(R"({"turns": [{"user": "purple monkey"}]})"), &coverage);
  CHECK(Reached(coverage, "fallback/first"));
  CHECK_FALSE(Reached(coverage, "fallback/repeated"));
  RunConversation(*engine, Parse(R"({"turns": [{"user": "purple"}, {"user": "monkey"}]})"),
                  &coverage);
  CHECK(Reached(coverage, "fallback/repeated"));
}

// Runs `steady test --coverage` in-process on `tests` (file name -> text).
int RunCoverage(const TinyContent& content,
                const std::vector<std::pair<std::string, std::string>>& tests, std::string* out) {
  testing::TempDir dir;
  for (const auto& [name, text] : tests) dir.Write(name, text);
  std::istringstream in;
  std::ostringstream out_stream;
  std::ostringstream err_stream;
  const int code = RunConversationTests({"--content", content.root(), "--coverage", dir.root()},
                                        in, out_stream, err_stream);
  *out = out_stream.str() + err_stream.str();
  return code;
}

// Walks every node of TinyContent.
const char kEveryNode[] = R"({"turns": [
  {"user": "hi"},
  {"user": "I used last night"}, {"user": "yes"},
  {"user": "I used last night"}, {"user": "no"},
  {"user": "take a note"}, {"user": "milk"},
  {"user": "purple"}, {"user": "monkey"},
  {"user": "I want to die"}, {"user": "yes"},
  {"user": "I cut myself"}, {"user": "yes"},
  {"user": "I cannot wake him up"}, {"user": "yes"},
  {"user": "I might hurt someone"}, {"user": "yes"},
  {"user": "he hits me"}, {"user": "yes"}
]})";

TEST_CASE("steady test --coverage passes only when every node is walked") {
  TinyContent content;
  std::string out;
  CHECK(RunCoverage(content, {{"all.json", kEveryNode}}, &out) == kExitOk);
  INFO(out);
  CHECK_THAT(out, Catch::Contains("coverage: 17 of 17 dialog nodes"));
  CHECK_THAT(out, !Catch::Contains("node not reached"));

  const int code = RunCoverage(content, {{"some.json", R"({"turns": [
    {"user": "I used last night"}, {"user": "no"}
  ]})"}}, &out);
  INFO(out);
  CHECK(code == kExitCheckFailed);
  CHECK_THAT(out, Catch::Contains("1 passed, 0 failed"));
  CHECK_THAT(out, Catch::Contains("  node not reached: lapse/glad\n"));
  CHECK_THAT(out, Catch::Contains("  node not reached: note/echo\n"));
  CHECK_THAT(out, !Catch::Contains("node not reached: lapse/safety"));
  // Intents are listed for information; they alone do not fail the run.
  CHECK_THAT(out, Catch::Contains("intent not reached (information only): note\n"));
}

TEST_CASE("an unreached intent alone does not fail steady test --coverage") {
  TinyContent content;
  std::string out;
  // The opening says greeting/hello, so without the "hi" turn every node is
  // still walked, but the greeting intent never decides a turn.
  std::string every = kEveryNode;
  every.replace(every.find(R"({"user": "hi"},)"), std::string(R"({"user": "hi"},)").size(), "");
  CHECK(RunCoverage(content, {{"all.json", every}}, &out) == kExitOk);
  INFO(out);
  CHECK_THAT(out, Catch::Contains("intent not reached (information only): greeting\n"));
}

TEST_CASE("without --coverage, steady test says nothing about coverage") {
  TinyContent content;
  testing::TempDir dir;
  dir.Write("some.json", R"({"turns": [{"user": "I used last night"}]})");
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  CHECK(RunConversationTests({"--content", content.root(), dir.root()}, in, out, err) == kExitOk);
  CHECK_THAT(out.str(), !Catch::Contains("coverage"));
}

}  // namespace
}  // namespace steady
