// What `steady validate` tells a content author, on content built in code.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/content_loader.h"
#include "support/test_content.h"

using namespace steady;
using namespace steady::testing;

namespace {

std::vector<std::string> Problems(std::shared_ptr<Content> content, const std::string& today = "2026-11-29") {
  auto engine = MakeTestEngine(std::move(content));
  ValidateOptions options;
  options.today = today;
  std::vector<std::string> lines;
  for (const ContentProblem& p : ValidateContent(*engine, options)) {
    lines.push_back((p.warning ? "warning: " : "") + p.ToString());
  }
  return lines;
}

// The problems `changed` has that the unchanged fixture does not.
std::vector<std::string> NewProblems(std::shared_ptr<Content> changed) {
  std::vector<std::string> before = Problems(MakeTestContent());
  std::vector<std::string> after = Problems(std::move(changed)), added;
  for (const std::string& line : after) {
    if (std::find(before.begin(), before.end(), line) == before.end()) added.push_back(line);
  }
  return added;
}

Intent& IntentById(Content& c, const std::string& id) {
  for (Intent& i : c.intents) {
    if (i.id == id) return i;
  }
  throw std::runtime_error("no intent " + id);
}

Flow& FlowById(Content& c, const std::string& id) {
  for (Flow& f : c.flows) {
    if (f.id == id) return f;
  }
  throw std::runtime_error("no flow " + id);
}

}  // namespace

TEST_CASE("the fixture's only problems are the crisis categories it leaves out", "[validator]") {
  for (const std::string& line : Problems(MakeTestContent())) {
    INFO(line);
    CHECK_THAT(line, Catch::Contains("crisis category"));
  }
}

TEST_CASE("an example that another intent wins is reported with what it was read as",
          "[validator]") {
  auto c = MakeTestContent();
  IntentById(*c, "greeting").examples = {"hello", "hi, I slipped"};
  auto added = NewProblems(c);
  REQUIRE(added.size() == 1);
  CHECK_THAT(added[0], Catch::Contains("intent 'greeting'") &&
                           Catch::Contains("\"hi, I slipped\" is read as 'lapse.disclosure'"));
}

TEST_CASE("a counter-example that matches is reported with the pattern", "[validator]") {
  auto c = MakeTestContent();
  IntentById(*c, "lapse.disclosure").counter_examples = {"I used to drink", "I drank water"};
  auto added = NewProblems(c);
  REQUIRE(added.size() == 1);
  CHECK_THAT(added[0], Catch::Contains("counter-example \"I drank water\" matches it"));
}

TEST_CASE("a pattern with a capital letter or an apostrophe is reported as never matching",
          "[validator]") {
  auto c = MakeTestContent();
  IntentById(*c, "thanks").patterns.push_back("\\bThank u\\b");
  IntentById(*c, "greeting").patterns.push_back("\\bhow's it going\\b");
  IntentById(*c, "analysis.start").patterns.push_back("\\pL+ \\p{Latin} \\bwhy\\b");  // fine
  auto added = NewProblems(c);
  REQUIRE(added.size() == 2);
  CHECK_THAT(added[0] + added[1], Catch::Contains("Thank u") && Catch::Contains("how's it"));
}

TEST_CASE("a transition to a node that does not exist is named", "[validator]") {
  auto c = MakeTestContent();
  FlowById(*c, "lapse").nodes["stop"].expect.no = To("nowhere");
  auto added = NewProblems(c);
  REQUIRE_FALSE(added.empty());
  CHECK_THAT(added[0], Catch::Contains("flow 'lapse' node 'stop'") &&
                           Catch::Contains("'nowhere', which this flow does not have"));
}

TEST_CASE("a node nothing leads to is reported as unreachable", "[validator]") {
  auto c = MakeTestContent();
  FlowById(*c, "lapse").nodes["orphan"] = Say("orphan", "Nobody hears me.");
  auto added = NewProblems(c);
  REQUIRE(added.size() == 1);
  CHECK_THAT(added[0], Catch::Contains("node 'orphan'") && Catch::Contains("not reachable"));
}

TEST_CASE("a quick reply the node would not understand is reported", "[validator]") {
  auto c = MakeTestContent();
  FlowById(*c, "lapse").nodes["stop"].quick_replies = {"Yes", "Tell me more"};
  auto added = NewProblems(c);
  REQUIRE(added.size() == 1);
  CHECK_THAT(added[0], Catch::Contains("quick reply \"Tell me more\" is not understood"));
}

TEST_CASE("a crisis flow with no way out of crisis mode is reported", "[validator]") {
  auto c = MakeTestContent();
  FlowById(*c, "crisis.overdose").nodes["safe"].end_crisis = false;
  auto added = NewProblems(c);
  REQUIRE(added.size() == 1);
  CHECK_THAT(added[0], Catch::Contains("flow 'crisis.overdose'") &&
                           Catch::Contains("no node ends it"));
}

TEST_CASE("a resource not verified for over a year is a warning naming the date",
          "[validator]") {
  std::vector<std::string> later = Problems(MakeTestContent(), "2028-01-01");
  int stale = 0;
  for (const std::string& line : later) {
    if (line.find("last verified on 2026-11-01") != std::string::npos) {
      CHECK_THAT(line, Catch::StartsWith("warning: "));
      ++stale;
    }
  }
  CHECK(stale == 3);
}

TEST_CASE("an intent that starts nothing must be marked contextual", "[validator]") {
  auto c = MakeTestContent();
  c->intents.push_back(MakeIntent("orphan.intent", 1, {"\\borphan\\b"}));
  auto added = NewProblems(c);
  REQUIRE(added.size() == 1);
  CHECK_THAT(added[0], Catch::Contains("intent 'orphan.intent'") &&
                           Catch::Contains("starts no flow"));
}

TEST_CASE("a placeholder the content can never fill is reported", "[validator]") {
  auto c = AddPlanContent(MakeTestContent());
  FlowById(*c, "plan_show").nodes.at("empty").say = {
      {"{coach} {plan.triggers} {plan.helps} {plan.hopes} {last_episode.helped} "
       "{last_episode.mood} {episode.what} {episodes} {what_happened} {whatever}"}};
  std::vector<std::string> added = NewProblems(c);
  INFO(Catch::Detail::stringify(added));
  auto has = [&](const std::string& part) {
    return std::any_of(added.begin(), added.end(),
                       [&](const std::string& l) { return l.find(part) != std::string::npos; });
  };
  CHECK(has("unknown placeholder {plan.hopes}"));
  CHECK(has("no node saves plan list 'hopes'"));
  CHECK(has("unknown placeholder {last_episode.mood}"));
  CHECK(has("{episode.what} is only for an 'episode_line'"));
  CHECK(has("{episodes} needs the node to have an 'episode_line'"));
  CHECK(has("'whatever' is not a slot, plan list, episode field or 'coach'"));
  CHECK_FALSE(has("unknown placeholder {coach}"));
  CHECK_FALSE(has("unknown placeholder {plan.triggers}"));
  CHECK_FALSE(has("unknown placeholder {plan.helps}"));
  CHECK_FALSE(has("unknown placeholder {last_episode.helped}"));
  CHECK_FALSE(has("unknown placeholder {what_happened}"));
  CHECK(added.size() == 5);
}

TEST_CASE("the plan test content validates without new problems", "[validator]") {
  CHECK(NewProblems(AddPlanContent(MakeTestContent())).empty());
}

TEST_CASE("a node that requires a value nothing can fill is reported", "[validator]") {
  auto c = AddPlanContent(MakeTestContent());
  FlowById(*c, "plan_show").nodes.at("show").requires_values = {"plan.wishes"};
  std::vector<std::string> added = NewProblems(c);
  REQUIRE(added.size() == 1);
  CHECK_THAT(added[0], Catch::Contains("requires 'plan.wishes': no node saves plan list 'wishes'"));
}

TEST_CASE("an episode_line no text shows is reported", "[validator]") {
  auto c = AddPlanContent(MakeTestContent());
  FlowById(*c, "episodes_show").nodes.at("list").say = {{"Your episodes."}};
  std::vector<std::string> added = NewProblems(c);
  REQUIRE(added.size() == 1);
  CHECK_THAT(added[0], Catch::Contains("has an 'episode_line' but says no {episodes}"));
}

TEST_CASE("reply text with a stigmatizing word is a warning naming kinder words", "[validator]") {
  auto c = MakeTestContent();
  c->stigmatizing_words = {StigmatizingWord{"addict", "person in recovery", {}},
                           StigmatizingWord{"stayed clean", "stayed sober", {}}};
  FlowById(*c, "thanks").nodes.at("welcome").say = {
      {"You are welcome. Every addict deserves care.", "Addiction is a health condition."}};
  c->system.resume_prefix = {"The days you STAYED CLEAN still count."};
  std::vector<std::string> added = NewProblems(c);
  INFO(Catch::Detail::stringify(added));
  REQUIRE(added.size() == 2);
  CHECK_THAT(added[0], Catch::StartsWith("warning: test: flow 'thanks' node 'welcome': says \"addict\""));
  CHECK_THAT(added[0], Catch::Contains("kinder words: person in recovery"));
  CHECK_THAT(added[1], Catch::StartsWith("warning: dialogs: system: says \"stayed clean\""));
}
