// The relapse-prevention plan and lapse episodes as a person would notice
// them: what they told Steady comes back in their own words, when asked and
// when it helps, and never grows without bound.
#include <catch2/catch.hpp>

#include <string>

#include "core/engine.h"
#include "support/test_content.h"

using namespace steady;
using namespace steady::testing;

namespace {

std::string Joined(const Turn& turn) {
  std::string text;
  for (const Reply& r : turn.replies) text += r.text + "\n";
  return text;
}

struct Conversation {
  explicit Conversation(const Engine& e) : engine(e) { state = engine.Start(1).state; }
  Turn Say(const std::string& text, int64_t now = 0) {
    Turn t = engine.Respond(state, text, TurnContext{now});
    state = t.state;
    return t;
  }
  std::string Position() const {
    return state.stack.empty() ? "" : state.stack.back().flow + "/" + state.stack.back().node;
  }
  const Engine& engine;
  SessionState state;
};

// 2026-01-01 00:00:00 UTC.
constexpr int64_t kNewYear = 1767225600;

void LookBack(Conversation* c, const std::string& what, const std::string& helped,
              int64_t now = 0) {
  c->Say("look back", now);
  c->Say(what, now);
  if (helped.empty()) {
    c->Say("no", now);
    return;
  }
  c->Say("yes", now);
  c->Say(helped, now);
}

}  // namespace

TEST_CASE("a plan entry is saved and shown back in the person's words", "[plan]") {
  auto engine = MakeTestEngine(AddPlanContent(MakeTestContent()));
  Conversation c(*engine);
  c.Say("update my plan");
  CHECK(Joined(c.Say("payday")) == "Added payday.\n");
  c.Say("update my plan");
  c.Say("being home alone.");
  c.Say("update my plan");
  c.Say("payday");  // already there: not repeated
  CHECK(c.state.plan.at("triggers") == std::vector<std::string>{"payday", "being home alone"});
  CHECK(Joined(c.Say("show my plan")) == "Triggers: payday; being home alone\n");
}

TEST_CASE("an empty plan gets the content's own words and the coach's name", "[plan]") {
  auto content = AddPlanContent(MakeTestContent());
  {
    auto engine = MakeTestEngine(content);
    Conversation c(*engine);
    CHECK(Joined(c.Say("show my plan")) == "Your plan is empty. Coach can help you start it.\n");
  }
  content->system.coach_name = "Robin";
  auto engine = MakeTestEngine(content);
  Conversation c(*engine);
  CHECK(Joined(c.Say("show my plan")) == "Your plan is empty. Robin can help you start it.\n");
}

TEST_CASE("a plan list keeps only its most recent entries", "[plan]") {
  EngineOptions options;
  options.max_plan_entries = 2;
  auto engine = MakeTestEngine(AddPlanContent(MakeTestContent()), options);
  Conversation c(*engine);
  for (const char* trigger : {"one", "two", "three"}) {
    c.Say("update my plan");
    c.Say(trigger);
  }
  CHECK(c.state.plan.at("triggers") == std::vector<std::string>{"two", "three"});
}

TEST_CASE("a look back records an episode dated by the time handed in", "[episodes]") {
  auto engine = MakeTestEngine(AddPlanContent(MakeTestContent()));
  Conversation c(*engine);
  LookBack(&c, "a party after work", "", kNewYear + 3600);
  REQUIRE(c.state.episodes.size() == 1);
  CHECK(c.state.episodes[0].when == kNewYear + 3600);
  CHECK(c.state.episodes[0].fields.at("what") == "a party after work");
  CHECK(Joined(c.Say("show my episodes")) ==
        "Your episodes:\n1. 2026-01-01: a party after work\n");
}

TEST_CASE("without a time handed in, an episode has no date and says so in the content's words",
          "[episodes]") {
  auto engine = MakeTestEngine(AddPlanContent(MakeTestContent()));
  Conversation c(*engine);
  c.state = engine->Respond(c.state, "look back").state;  // two-argument Respond
  c.state = engine->Respond(c.state, "at home").state;
  c.state = engine->Respond(c.state, "no").state;
  REQUIRE(c.state.episodes.size() == 1);
  CHECK(c.state.episodes[0].when == 0);
  CHECK(Joined(c.Say("show my episodes")) == "Your episodes:\n1. no date: at home\n");
}

TEST_CASE("with no episodes, asking to see them gets the content's empty answer", "[episodes]") {
  auto engine = MakeTestEngine(AddPlanContent(MakeTestContent()));
  Conversation c(*engine);
  CHECK(Joined(c.Say("show my episodes")) == "Nothing saved yet.\n");
  CHECK(c.Position().empty());
}

TEST_CASE("the next look back recalls what helped last time", "[episodes]") {
  auto engine = MakeTestEngine(AddPlanContent(MakeTestContent()));
  Conversation c(*engine);
  Turn first = c.Say("look back");
  CHECK(Joined(first) == "What happened?\n");  // nothing to recall yet
  c.Say("a fight with my brother");
  c.Say("yes");
  c.Say("calling my sister");
  CHECK(c.state.plan.at("helps") == std::vector<std::string>{"calling my sister"});
  // A second lapse whose look-back stops early still recalls the first's.
  LookBack(&c, "payday", "");
  Turn third = c.Say("look back");
  CHECK(Joined(third) == "Last time, calling my sister helped.\nWhat happened?\n");
}

TEST_CASE("saving to an episode fills it in and never overwrites it", "[episodes]") {
  auto engine = MakeTestEngine(AddPlanContent(MakeTestContent()));
  Conversation c(*engine);
  c.Say("update my plan");
  c.Say("payday");
  CHECK(c.state.episodes.empty());  // a plan update alone is not a lapse
  LookBack(&c, "at a bar", "");
  c.Say("update my plan");
  c.Say("friday nights");
  c.Say("update my plan");
  c.Say("boredom");
  REQUIRE(c.state.episodes.size() == 1);
  CHECK(c.state.episodes[0].fields.at("trigger") == "friday nights");
}

TEST_CASE("only the most recent episodes are kept", "[episodes]") {
  EngineOptions options;
  options.max_episodes = 3;
  auto engine = MakeTestEngine(AddPlanContent(MakeTestContent()), options);
  Conversation c(*engine);
  for (int i = 1; i <= 5; ++i) LookBack(&c, "lapse " + std::to_string(i), "", i);
  REQUIRE(c.state.episodes.size() == 3);
  CHECK(c.state.episodes.front().fields.at("what") == "lapse 3");
  CHECK(c.state.episodes.back().fields.at("what") == "lapse 5");
}

TEST_CASE("long answers are cut to the limit at a character boundary", "[episodes]") {
  EngineOptions options;
  options.max_saved_chars = 5;
  auto engine = MakeTestEngine(AddPlanContent(MakeTestContent()), options);
  Conversation c(*engine);
  c.Say("look back");
  c.Say("caf\xC3\xA9\xC3\xA9\xC3\xA9 and more");
  CHECK(c.state.slots.at("what") == "caf\xC3\xA9\xC3\xA9");
  CHECK(c.state.episodes.back().fields.at("what") == "caf\xC3\xA9\xC3\xA9");
}

TEST_CASE("a crisis at the episode's question does not record it twice when the flow resumes",
          "[episodes]") {
  auto engine = MakeTestEngine(AddPlanContent(MakeTestContent()));
  Conversation c(*engine);
  c.Say("look back");
  c.Say("at home");
  CHECK(c.Position() == "look_back/record");
  Turn crisis = c.Say("I want to die");
  REQUIRE(crisis.crisis);
  Turn safe = c.Say("I am safe");
  CHECK(c.Position() == "look_back/record");
  CHECK(Joined(safe) ==
        "I am glad you are safe.\nBack to where we were.\nNoted: at home. Add what helps?\n");
  CHECK(c.state.episodes.size() == 1);
}
