// What a content author sees from LoadContent: content that loads, and
// problems that name the file, the thing and what is wrong.

#include "core/content_loader.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/content.h"
#include "support/temp_dir.h"

namespace steady {
namespace {

namespace fs = std::filesystem;

// A content folder under /tmp, removed when the test ends.
using TempContent = testing::TempDir;

std::vector<std::string> Lines(const LoadResult& result) {
  std::vector<std::string> lines;
  for (const ContentProblem& problem : result.problems) lines.push_back(problem.ToString());
  return lines;
}

bool HasProblem(const LoadResult& result, const std::string& line) {
  std::vector<std::string> lines = Lines(result);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

std::string AllProblems(const LoadResult& result) {
  std::string out;
  for (const std::string& line : Lines(result)) out += line + "\n";
  return out;
}

// The smallest content that is structurally fine, for tests that break one
// thing and add another file.
void WriteMinimal(TempContent* content) {
  content->Write("intents/core.json", R"({"intents": [{"id": "greeting", "keywords": ["hi"]}]})");
  content->Write("dialogs/greeting.json", R"({"flows": [{"id": "greeting", "triggers": ["greeting"],
      "start": "hello", "nodes": [{"id": "hello", "say": ["Hi."]}]}]})");
}

TEST_CASE("a complete small content loads with every field in place") {
  TempContent dir;
  dir.Write("intents/core.json", R"({
    "intents": [
      { "id": "lapse.disclosure", "priority": 50,
        "patterns": ["\\bi (used|drank)\\b"], "keywords": ["relapsed", "slipped up"],
        "unless": ["\\bused to\\b"], "examples": ["I used last night"],
        "counter_examples": ["I used to drink"] },
      { "id": "affirm", "keywords": ["yes"], "contextual": true },
      { "id": "crisis.suicide", "patterns": ["kill myself"], "crisis": "suicide" },
      { "id": "crisis.method", "patterns": ["how many pills"], "crisis": "overdose",
        "after_risk_only": true },
      { "id": "crisis.check_in", "patterns": ["cannot do this anymore"], "check_in": true }
    ],
    "lexicon": { "contractions": {"i'm": "i am"}, "substitutions": {"kms": "kill myself"} }
  })");
  dir.Write("dialogs/lapse.json", R"({
    "flows": [{
      "id": "lapse", "triggers": ["lapse.disclosure"], "start": "safety",
      "nodes": [
        { "id": "safety",
          "say": ["Are you safe?", ["Thanks for telling me.", "Are you safe?"]],
          "reprompt": ["Back to you: are you safe?"],
          "quick_replies": ["Yes", "Not really"], "resources": ["988"],
          "expect": { "type": "yes_no", "yes": "what", "no": "flow:crisis",
                      "other": "end", "routes": {"crisis.safe": "what"} } },
        { "id": "what", "say": ["What happened?"],
          "expect": { "type": "text", "slot": "what_happened" }, "next": "end" },
        { "id": "help", "say": ["Here is help."], "enter_crisis": "overdose",
          "end_crisis": true, "expect": { "type": "intent", "routes": {"affirm": "safety"} } }
      ]
    }],
    "resources": [
      { "id": "988", "name": "988 Suicide & Crisis Lifeline", "phone": "988", "sms": "988",
        "url": "https://988lifeline.org", "text": "Call or text 988", "region": "US",
        "last_verified": "2026-02-28" }
    ],
    "crisis_resources": { "suicide": ["988"] },
    "system": { "greeting_flow": "hello", "fallback_flow": "lost",
                "resume_prefix": ["Where were we."], "crisis_mode_reminder": ["Help is near."] }
  })");

  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  REQUIRE(result.problems.empty());
  REQUIRE(result.content != nullptr);
  CHECK_FALSE(result.missing_folder);
  const Content& content = *result.content;
  CHECK(content.root == dir.root());

  REQUIRE(content.intents.size() == 5);
  const Intent& lapse = content.intents[0];
  CHECK(lapse.id == "lapse.disclosure");
  CHECK(lapse.priority == 50);
  CHECK(lapse.patterns == std::vector<std::string>{"\\bi (used|drank)\\b"});
  CHECK(lapse.keywords == std::vector<std::string>{"relapsed", "slipped up"});
  CHECK(lapse.unless == std::vector<std::string>{"\\bused to\\b"});
  CHECK(lapse.examples == std::vector<std::string>{"I used last night"});
  CHECK(lapse.counter_examples == std::vector<std::string>{"I used to drink"});
  CHECK_FALSE(lapse.contextual);
  CHECK_FALSE(lapse.crisis.has_value());
  CHECK(lapse.source.file == "intents/core.json");
  CHECK(content.intents[1].contextual);
  CHECK(content.intents[1].priority == 0);
  CHECK(content.intents[2].crisis == CrisisCategory::kSuicide);
  CHECK(content.intents[3].after_risk_only);
  CHECK(content.intents[4].check_in);
  CHECK_FALSE(content.intents[4].crisis.has_value());

  REQUIRE(content.flows.size() == 1);
  const Flow& flow = content.flows[0];
  CHECK(flow.id == "lapse");
  CHECK(flow.triggers == std::vector<std::string>{"lapse.disclosure"});
  CHECK(flow.start == "safety");
  CHECK(flow.source.file == "dialogs/lapse.json");
  REQUIRE(flow.nodes.size() == 3);

  const Node& safety = flow.nodes.at("safety");
  CHECK(safety.say == std::vector<std::vector<std::string>>{
                          {"Are you safe?"}, {"Thanks for telling me.", "Are you safe?"}});
  CHECK(safety.reprompt == std::vector<std::vector<std::string>>{{"Back to you: are you safe?"}});
  CHECK(safety.quick_replies == std::vector<std::string>{"Yes", "Not really"});
  CHECK(safety.resources == std::vector<std::string>{"988"});
  CHECK(safety.expect.kind == Expectation::Kind::kYesNo);
  CHECK(safety.expect.yes.kind == Target::Kind::kNode);
  CHECK(safety.expect.yes.id == "what");
  CHECK(safety.expect.no.kind == Target::Kind::kFlow);
  CHECK(safety.expect.no.id == "crisis");
  CHECK(safety.expect.other.kind == Target::Kind::kEnd);
  REQUIRE(safety.expect.routes.count("crisis.safe") == 1);
  CHECK(safety.expect.routes.at("crisis.safe").id == "what");
  CHECK(safety.next.empty());

  const Node& what = flow.nodes.at("what");
  CHECK(what.expect.kind == Expectation::Kind::kText);
  CHECK(what.expect.slot == "what_happened");
  CHECK(what.next.kind == Target::Kind::kEnd);

  const Node& help = flow.nodes.at("help");
  CHECK(help.enter_crisis == CrisisCategory::kOverdose);
  CHECK(help.end_crisis);
  CHECK(help.expect.kind == Expectation::Kind::kIntent);
  CHECK(help.expect.routes.at("affirm").id == "safety");

  REQUIRE(content.resources.size() == 1);
  const Resource& lifeline = content.resources[0];
  CHECK(lifeline.id == "988");
  CHECK(lifeline.name == "988 Suicide & Crisis Lifeline");
  CHECK(lifeline.phone == "988");
  CHECK(lifeline.sms == "988");
  CHECK(lifeline.url == "https://988lifeline.org");
  CHECK(lifeline.text == "Call or text 988");
  CHECK(lifeline.region == "US");
  CHECK(lifeline.last_verified == "2026-02-28");
  CHECK(content.crisis_resources.at(CrisisCategory::kSuicide) == std::vector<std::string>{"988"});

  CHECK(content.lexicon.contractions.at("i'm") == "i am");
  CHECK(content.lexicon.substitutions.at("kms") == "kill myself");
  CHECK(content.system.greeting_flow == "hello");
  CHECK(content.system.fallback_flow == "lost");
  CHECK(content.system.resume_prefix == std::vector<std::string>{"Where were we."});
  CHECK(content.system.crisis_mode_reminder == std::vector<std::string>{"Help is near."});

  CHECK(content.FindIntent("affirm") == &content.intents[1]);
  CHECK(content.FindFlow("lapse") == &flow);
  CHECK(content.FindResource("988") == &lifeline);
  CHECK(content.FlowTriggeredBy("lapse.disclosure") == &flow);
  CHECK(content.FindIntent("nope") == nullptr);
  CHECK(content.FlowTriggeredBy("affirm") == nullptr);
}

TEST_CASE("system wording not written in content keeps its defaults") {
  TempContent dir;
  WriteMinimal(&dir);
  LoadResult result = LoadContent(dir.root());
  REQUIRE(result.content != nullptr);
  CHECK(result.content->system.greeting_flow == "greeting");
  CHECK(result.content->system.fallback_flow == "fallback");
}

TEST_CASE("a syntax error names the file, line and column, and nothing loads") {
  TempContent dir;
  WriteMinimal(&dir);
  // A missing comma between two intents, at the second "{".
  dir.Write("intents/broken.json",
            "{\n  \"intents\": [\n    {\"id\": \"x\"} {\"id\": \"y\"}\n  ]\n}\n");
  LoadResult result = LoadContent(dir.root());
  CHECK(result.content == nullptr);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where == "intents/broken.json:3:17");
  CHECK(result.problems[0].message.find("unexpected '{'; expected ']'") != std::string::npos);
  // nlohmann's exception prefix and its own position are not repeated.
  CHECK(result.problems[0].message.find("json.exception") == std::string::npos);
  CHECK(result.problems[0].message.find("line") == std::string::npos);
}

TEST_CASE("a trailing comma is pointed out") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("dialogs/extra.json", "{\n  \"resources\": [],\n}\n");
  LoadResult result = LoadContent(dir.root());
  CHECK(result.content == nullptr);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where == "dialogs/extra.json:3:1");
  CHECK(result.problems[0].message.find("comma after the last item") != std::string::npos);
}

TEST_CASE("columns count characters, not bytes, after accented text") {
  TempContent dir;
  WriteMinimal(&dir);
  // "é" is two bytes; the stray "2" is the 13th character on line 2.
  dir.Write("intents/accents.json", "{\n  \"caf\xC3\xA9\": 1 2}");
  LoadResult result = LoadContent(dir.root());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where == "intents/accents.json:2:13");
}

TEST_CASE("every syntax error is reported, one per broken file") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("intents/a.json", "{");
  dir.Write("dialogs/b.json", "[1, 2");
  LoadResult result = LoadContent(dir.root());
  CHECK(result.content == nullptr);
  std::vector<std::string> lines = Lines(result);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind("intents/a.json:1:2: ", 0) == 0);
  CHECK(lines[1].rfind("dialogs/b.json:1:6: ", 0) == 0);
}

TEST_CASE("comments are allowed in content files") {
  TempContent dir;
  dir.Write("intents/core.json", R"({
    // Said when someone opens the chat.
    "intents": [ { "id": "greeting", /* simple */ "keywords": ["hi"] } ]
  })");
  dir.Write("dialogs/greeting.json", R"({ "flows": [ { "id": "greeting", // first flow
      "start": "hello", "nodes": [ { "id": "hello", "say": ["Hi."] } ] } ] })");
  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  CHECK(result.problems.empty());
  REQUIRE(result.content != nullptr);
  CHECK(result.content->intents.size() == 1);
}

TEST_CASE("a misspelled field is named, with the field it probably meant") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("intents/extra.json", R"({"intents": [{"id": "craving", "pattern": ["want to use"],
                                                   "keywords": ["craving"]}]})");
  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  CHECK(HasProblem(result,
                   "intents/extra.json: intent 'craving': unknown field 'pattern'; did you mean "
                   "'patterns'?"));
  CHECK(result.problems.size() == 1);
}

TEST_CASE("an unknown field inside a node's expect is named with its path") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("dialogs/ask.json", R"({"flows": [{"id": "ask", "start": "q", "nodes": [
      {"id": "q", "say": ["Ok?"], "expect": {"type": "yes_no", "yes": "end", "noo": "end"}}]}]})");
  LoadResult result = LoadContent(dir.root());
  CHECK(HasProblem(result,
                   "dialogs/ask.json: flow 'ask' node 'q': unknown field 'expect.noo'; did you "
                   "mean 'expect.no'?"));
}

TEST_CASE("an unknown section is reported") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("intents/extra.json", R"({"intent": []})");
  LoadResult result = LoadContent(dir.root());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where == "intents/extra.json");
  CHECK(result.problems[0].message.find("unknown section 'intent'; did you mean 'intents'?") == 0);
}

TEST_CASE("a field of the wrong type says what it must be") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("intents/extra.json", R"({"intents": [
      {"id": "craving", "priority": "high", "keywords": ["craving"], "contextual": "no"},
      {"id": "thanks", "patterns": ["thanks", 3]}]})");
  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  CHECK(HasProblem(result,
                   "intents/extra.json: intent 'craving': 'priority' must be an integer, not a "
                   "string"));
  CHECK(HasProblem(result,
                   "intents/extra.json: intent 'craving': 'contextual' must be true or false, not "
                   "a string"));
  CHECK(HasProblem(result,
                   "intents/extra.json: intent 'thanks': 'patterns' must be an array of strings; "
                   "item 2 is an integer"));
  CHECK(result.problems.size() == 3);
}

TEST_CASE("schema problems still give content, so the validator can check more") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("intents/extra.json", R"({"intents": [{"id": "craving", "priority": 1.5,
                                                   "keywords": ["craving"]}]})");
  LoadResult result = LoadContent(dir.root());
  CHECK(result.problems.size() == 1);
  REQUIRE(result.content != nullptr);
  CHECK(result.content->FindIntent("craving") != nullptr);
}

TEST_CASE("the same intent id in two files is reported, naming the first file") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("intents/more.json", R"({"intents": [{"id": "greeting", "keywords": ["hello"]}]})");
  LoadResult result = LoadContent(dir.root());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].ToString() ==
        "intents/more.json: intent 'greeting': duplicate intent id; first defined in "
        "intents/core.json");
  REQUIRE(result.content != nullptr);
  REQUIRE(result.content->intents.size() == 1);
  CHECK(result.content->intents[0].keywords == std::vector<std::string>{"hi"});
}

TEST_CASE("duplicate flow, node and resource ids are reported") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("dialogs/more.json", R"({
    "flows": [{"id": "greeting", "start": "a", "nodes": [{"id": "a", "say": ["A"]}]},
              {"id": "other", "start": "a", "nodes": [{"id": "a", "say": ["A"]},
                                                       {"id": "a", "say": ["B"]}]}],
    "resources": [{"id": "911", "name": "911"}, {"id": "911", "name": "Emergency"}]
  })");
  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  CHECK(HasProblem(result,
                   "dialogs/more.json: flow 'greeting': duplicate flow id; first defined in "
                   "dialogs/greeting.json"));
  CHECK(HasProblem(result,
                   "dialogs/more.json: flow 'other' node 'a': duplicate node id in this flow"));
  CHECK(HasProblem(result,
                   "dialogs/more.json: resource '911': duplicate resource id; first defined in "
                   "this file"));
  CHECK(result.problems.size() == 3);
}

TEST_CASE("a missing content folder sets missing_folder and names it") {
  LoadResult result = LoadContent("/tmp/steady_no_such_content_folder");
  CHECK(result.missing_folder);
  CHECK(result.content == nullptr);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].ToString() ==
        "/tmp/steady_no_such_content_folder: content folder not found");
}

TEST_CASE("a folder with neither intents/ nor dialogs/ sets missing_folder") {
  TempContent dir;
  dir.Write("readme.txt", "not content");
  LoadResult result = LoadContent(dir.root());
  CHECK(result.missing_folder);
  CHECK(result.content == nullptr);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where == dir.root());
  CHECK(result.problems[0].message.find("intents/") != std::string::npos);
}

TEST_CASE("a missing dialogs folder is a problem, but intents still load") {
  TempContent dir;
  dir.Write("intents/core.json", R"({"intents": [{"id": "greeting", "keywords": ["hi"]}]})");
  LoadResult result = LoadContent(dir.root());
  CHECK_FALSE(result.missing_folder);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where == "dialogs/");
  CHECK(result.problems[0].message.find("not found") != std::string::npos);
  REQUIRE(result.content != nullptr);
  CHECK(result.content->intents.size() == 1);
}

TEST_CASE("several problems across files are all reported, in file order") {
  TempContent dir;
  dir.Write("intents/a.json", R"({"intents": [{"id": "Bad Id", "keywords": ["x"]},
                                              {"priority": 3, "keywords": ["y"]},
                                              {"id": "empty"}]})");
  dir.Write("dialogs/b.json", R"({"flows": [{"id": "f", "nodes": [
      {"id": "n", "say": [], "expect": {"type": "text"}}]}],
      "resources": [{"id": "r", "last_verified": "2025-02-30"}],
      "crisis_resources": {"sucide": ["r"]}})");
  LoadResult result = LoadContent(dir.root());
  std::vector<std::string> expected = {
      "intents/a.json: intent 'Bad Id': id may use only a-z, 0-9, '_' and '.'",
      "intents/a.json: intent #2: missing required field 'id'",
      "intents/a.json: intent 'empty': needs at least one of 'patterns' or 'keywords'",
      "dialogs/b.json: crisis_resources: unknown crisis category 'sucide' (expected one of "
      "overdose, suicide, harm_to_others, abuse, self_harm)",
      "dialogs/b.json: flow 'f': missing required field 'start'",
      "dialogs/b.json: flow 'f' node 'n': 'say' needs at least one phrasing",
      "dialogs/b.json: flow 'f' node 'n': a 'text' expect needs a 'slot' to store the answer in",
      "dialogs/b.json: resource 'r': missing required field 'name'",
      "dialogs/b.json: resource 'r': 'last_verified' must be a date written YYYY-MM-DD, not "
      "'2025-02-30'",
  };
  CHECK(Lines(result) == expected);
  CHECK(result.content != nullptr);
}

TEST_CASE("an unknown crisis category on an intent or node is reported") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("intents/crisis.json", R"({"intents": [{"id": "crisis.x", "patterns": ["x"],
                                                    "crisis": "suicidal"}]})");
  dir.Write("dialogs/crisis.json", R"({"flows": [{"id": "c", "start": "n", "nodes": [
      {"id": "n", "say": ["Help."], "enter_crisis": "overdosed"}]}]})");
  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  REQUIRE(result.problems.size() == 2);
  CHECK(result.problems[0].ToString().find(
            "intents/crisis.json: intent 'crisis.x': 'crisis': unknown crisis category "
            "'suicidal'") == 0);
  CHECK(result.problems[1].ToString().find(
            "dialogs/crisis.json: flow 'c' node 'n': 'enter_crisis': unknown crisis category "
            "'overdosed'") == 0);
}

TEST_CASE("expect fields that do not fit the expect type are reported") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("dialogs/ask.json", R"({"flows": [{"id": "ask", "start": "a", "nodes": [
      {"id": "a", "say": ["?"], "expect": {"type": "intent", "yes": "b", "slot": "s",
                                           "routes": {"affirm": "b"}}},
      {"id": "b", "say": ["?"], "expect": {"type": "yes_no", "yes": "end"}, "next": "a"},
      {"id": "c", "say": ["?"], "expect": {"type": "maybe"}},
      {"id": "d", "say": ["?"], "expect": {"type": "intent"}},
      {"id": "e", "say": ["?"], "expect": {"type": "none", "routes": {}}}]}]})");
  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  std::string prefix = "dialogs/ask.json: flow 'ask' node ";
  CHECK(HasProblem(result, prefix + "'a': 'expect.yes' applies only to expect type 'yes_no'"));
  CHECK(HasProblem(result, prefix + "'a': 'expect.slot' applies only to expect type 'text'"));
  CHECK(HasProblem(result, prefix +
                               "'b': 'next' does not apply to a node that expects an answer; use "
                               "the expect's routes (and 'other')"));
  CHECK(HasProblem(result, prefix +
                               "'c': unknown expect type 'maybe' (expected none, yes_no, intent "
                               "or text)"));
  CHECK(HasProblem(result, prefix + "'d': an 'intent' expect needs 'routes'"));
  CHECK(HasProblem(
      result, prefix + "'e': 'expect.routes' applies only to expect type 'yes_no', 'intent' or 'text'"));
  CHECK(result.problems.size() == 6);
}

TEST_CASE("phrasings must be strings or arrays of strings") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("dialogs/say.json", R"({"flows": [{"id": "s", "start": "a", "nodes": [
      {"id": "a", "say": ["ok", 5, [], ["fine", true]]}, {"id": "b"}]}]})");
  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  std::string prefix = "dialogs/say.json: flow 's' node ";
  CHECK(HasProblem(result, prefix + "'a': 'say[2]' must be a string or an array of strings, not "
                                    "an integer"));
  CHECK(HasProblem(result, prefix + "'a': 'say[3]' is an empty array"));
  CHECK(HasProblem(result, prefix + "'a': 'say[4]' must be an array of strings; item 2 is a "
                                    "boolean"));
  CHECK(HasProblem(result, prefix + "'b': missing required field 'say'"));
  CHECK(result.problems.size() == 4);
}

TEST_CASE("a bad transition target is reported") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("dialogs/go.json", R"({"flows": [{"id": "go", "start": "a", "nodes": [
      {"id": "a", "say": ["?"], "next": "flow:"},
      {"id": "b", "say": ["?"], "next": 7},
      {"id": "end", "say": ["?"]}]}]})");
  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  std::string prefix = "dialogs/go.json: flow 'go' node ";
  CHECK(HasProblem(result, prefix + "'a': target 'next' names no flow after \"flow:\""));
  CHECK(HasProblem(result, prefix +
                               "'b': 'next' must be a target (a node id, \"end\" or \"flow:ID\"), "
                               "not an integer"));
  CHECK(HasProblem(result,
                   prefix + "'end': a node may not be called \"end\" or start with \"flow:\""));
  CHECK(result.problems.size() == 3);
}

TEST_CASE("the lexicon merges across files and a conflicting entry is reported") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write(
      "intents/lexicon.json",
      R"({"lexicon": {"contractions": {"im": "i am"}, "substitutions": {"kms": "kill myself"}}})");
  dir.Write("intents/slang.json", R"({"lexicon": {"substitutions": {"kms": "kill myself",
                                                                    "od": "overdose"},
                                                  "contractions": {"im": "instant message"}}})");
  LoadResult result = LoadContent(dir.root());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].ToString() ==
        "intents/slang.json: lexicon: contraction 'im' is defined twice with different values: "
        "'i am' and 'instant message'");
  REQUIRE(result.content != nullptr);
  CHECK(result.content->lexicon.substitutions.size() == 2);
  CHECK(result.content->lexicon.contractions.at("im") == "i am");
}

TEST_CASE("system fields may be split across files but each is set once") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("dialogs/system_a.json", R"({"system": {"greeting_flow": "hello"}})");
  dir.Write("dialogs/system_b.json", R"({"system": {"fallback_flow": "lost",
                                                     "greeting_flow": "hey"}})");
  LoadResult result = LoadContent(dir.root());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].ToString() ==
        "dialogs/system_b.json: system: 'greeting_flow' is already set in dialogs/system_a.json");
  REQUIRE(result.content != nullptr);
  CHECK(result.content->system.greeting_flow == "hello");
  CHECK(result.content->system.fallback_flow == "lost");
}

TEST_CASE("crisis resources for one category listed in two files are reported") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("dialogs/r1.json", R"({"crisis_resources": {"suicide": ["988"]}})");
  dir.Write("dialogs/r2.json", R"({"crisis_resources": {"suicide": ["911"]}})");
  LoadResult result = LoadContent(dir.root());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].ToString() ==
        "dialogs/r2.json: crisis_resources: resources for 'suicide' are listed twice; first in "
        "dialogs/r1.json");
}

TEST_CASE("a key written twice in one object is reported, since only the last counts") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("intents/twice.json",
            R"({"intents": [{"id": "x", "patterns": ["a"], "patterns": ["b"]}]})");
  LoadResult result = LoadContent(dir.root());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].ToString() ==
        "intents/twice.json: key 'patterns' appears twice in one object; only the last is kept");
}

TEST_CASE("files load in name order and only .json files are read") {
  TempContent dir;
  dir.Write("intents/b.json", R"({"intents": [{"id": "second", "keywords": ["b"]}]})");
  dir.Write("intents/a.json", R"({"intents": [{"id": "first", "keywords": ["a"]}]})");
  dir.Write("intents/notes.txt", "not json {");
  dir.Write("intents/old.json~", "not json {");
  dir.MakeFolder("intents/sub.json");
  dir.MakeFolder("dialogs");
  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  CHECK(result.problems.empty());
  REQUIRE(result.content != nullptr);
  REQUIRE(result.content->intents.size() == 2);
  CHECK(result.content->intents[0].id == "first");
  CHECK(result.content->intents[1].id == "second");
}

TEST_CASE("a file that is not an object of sections is reported") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("intents/list.json", R"([{"id": "x"}])");
  LoadResult result = LoadContent(dir.root());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].ToString() ==
        "intents/list.json: a content file must hold one JSON object of sections, not an array");
}

TEST_CASE("a problem reads as where, subject and message, leaving out empty parts") {
  CHECK((ContentProblem{"intents/core.json", "intent 'x'", "unknown field 'pattern'"}).ToString() ==
        "intents/core.json: intent 'x': unknown field 'pattern'");
  CHECK((ContentProblem{"intents/core.json:3:5", "", "syntax error"}).ToString() ==
        "intents/core.json:3:5: syntax error");
  CHECK((ContentProblem{"", "flow 'x'", "bad"}).ToString() == "flow 'x': bad");
}

TEST_CASE("crisis category names round-trip in order of precedence") {
  const std::vector<CrisisCategory>& all = AllCrisisCategories();
  REQUIRE(all.size() == 5);
  CHECK(all.front() == CrisisCategory::kOverdose);
  CHECK(std::string(CrisisCategoryName(CrisisCategory::kHarmToOthers)) == "harm_to_others");
  for (CrisisCategory category : all) {
    CHECK(ParseCrisisCategory(CrisisCategoryName(category)) == category);
  }
  CHECK_FALSE(ParseCrisisCategory("Suicide").has_value());
  CHECK_FALSE(ParseCrisisCategory("").has_value());
}

TEST_CASE("plan and episode fields of a node load, and mistakes in them are named") {
  TempContent dir;
  WriteMinimal(&dir);
  dir.Write("dialogs/language.json", R"({"system": {"coach_name": "Robin"},
      "stigmatizing_words": [{"word": "addict", "instead": "person in recovery"}]})");
  dir.Write("dialogs/memory.json", R"({"flows": [{"id": "m", "start": "a", "nodes": [
      {"id": "a", "say": ["{episodes}"], "requires": "episodes", "otherwise": "b",
       "action": "record_episode", "save": {"plan.triggers": "{t}", "episode.what": "{t}"},
       "episode_line": "{episode.what}", "next": "b"},
      {"id": "b", "say": ["?"], "action": "forget_everything",
       "save": {"slots.x": "y", "plan.Bad Name": "z", "episode.ok": 3}},
      {"id": "c", "say": ["?"], "requires": ["plan"]},
      {"id": "d", "say": ["?"], "otherwise": "a"}]}]})");
  LoadResult result = LoadContent(dir.root());
  INFO(AllProblems(result));
  REQUIRE(result.content);
  CHECK(result.content->system.coach_name == "Robin");
  REQUIRE(result.content->stigmatizing_words.size() == 1);
  CHECK(result.content->stigmatizing_words[0].instead == "person in recovery");
  const Flow* flow = result.content->FindFlow("m");
  REQUIRE(flow);
  const Node& a = flow->nodes.at("a");
  CHECK(a.requires_values == std::vector<std::string>{"episodes"});
  CHECK(a.otherwise.id == "b");
  CHECK(a.action == "record_episode");
  CHECK(a.save.size() == 2);
  CHECK(a.episode_line == "{episode.what}");
  std::string prefix = "dialogs/memory.json: flow 'm' node ";
  CHECK(HasProblem(result, prefix + "'b': unknown action 'forget_everything' (known: record_episode)"));
  CHECK(HasProblem(result, prefix + "'b': 'save' target 'slots.x' must be \"plan.NAME\" or "
                                    "\"episode.NAME\" (lowercase, digits, '_')"));
  CHECK(HasProblem(result, prefix + "'b': 'save' target 'plan.Bad Name' must be \"plan.NAME\" or "
                                    "\"episode.NAME\" (lowercase, digits, '_')"));
  CHECK(HasProblem(result, prefix + "'b': 'save.episode.ok' must be a string, not an integer"));
  CHECK(HasProblem(result, prefix + "'c': 'requires' needs an 'otherwise' target for when a value is empty"));
  CHECK(HasProblem(result, prefix + "'d': 'otherwise' applies only with 'requires'"));
  CHECK(result.problems.size() == 6);
}

}  // namespace
}  // namespace steady
