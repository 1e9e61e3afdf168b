// The engine's behaviour as a person would notice it: what Steady says,
// where the conversation goes, and that danger always comes first.
#include "core/engine.h"

#include <catch2/catch.hpp>
#include <set>

#include "support/test_content.h"

using namespace steady;
using namespace steady::testing;

namespace {

std::string Joined(const Turn& turn) {
  std::string text;
  for (const Reply& r : turn.replies) text += r.text + "\n";
  return text;
}

std::vector<std::string> ResourceIds(const Turn& turn) {
  std::vector<std::string> ids;
  for (const Resource* r : turn.resources) ids.push_back(r->id);
  return ids;
}

// Feeds messages one after another, keeping the state like a store would.
struct Conversation {
  explicit Conversation(const Engine& e, uint64_t seed = 1) : engine(e) {
    opening = engine.Start(seed);
    state = opening.state;
  }
  Turn Say(const std::string& text) {
    Turn t = engine.Respond(state, text);
    state = t.state;
    return t;
  }
  std::string Position() const {
    return state.stack.empty() ? "" : state.stack.back().flow + "/" + state.stack.back().node;
  }
  const Engine& engine;
  Turn opening;
  SessionState state;
};

}  // namespace

TEST_CASE("a new session opens with the greeting and its quick replies", "[engine]") {
  auto engine = MakeTestEngine();
  Turn t = engine->Start(42);
  REQUIRE(t.replies.size() == 1);
  CHECK(t.replies[0].text == "Hi, I am Steady.");
  CHECK(t.replies[0].quick_replies == std::vector<std::string>{"I slipped"});
  CHECK(t.state.seed == 42);
}

TEST_CASE("a lapse starts the lapse flow at its safety question", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  Turn t = c.Say("I used last night");
  CHECK(t.intent == "lapse.disclosure");
  CHECK(Joined(t) == "Are you somewhere safe?\n");
  CHECK(t.replies.back().quick_replies == std::vector<std::string>{"Yes", "No"});
  CHECK(c.Position() == "lapse/safety");
  CHECK_FALSE(t.crisis);
}

TEST_CASE("yes and no move a flow along its branches", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("I drank");
  Turn no = c.Say("no");
  CHECK(no.intent == "deny");
  // "unsafe" says its piece and goes straight on to "stop" in the same turn.
  CHECK(Joined(no) == "Please call 911 if you are in danger.\nOne use is a lapse. Can you stop here?\n");
  CHECK(c.Position() == "lapse/stop");
  Turn yes = c.Say("yes");
  CHECK(c.Position().empty());
  CHECK(yes.replies.empty());
}

TEST_CASE("a crisis interrupts the lapse flow and the flow resumes once the person is safe",
          "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("I slipped");
  Turn crisis = c.Say("I want to die");
  CHECK(crisis.intent == "crisis.suicide");
  REQUIRE(crisis.crisis);
  CHECK(*crisis.crisis == CrisisCategory::kSuicide);
  CHECK(ResourceIds(crisis) == std::vector<std::string>{"988", "911"});
  CHECK_THAT(Joined(crisis), Catch::Contains("988"));
  CHECK(c.Position() == "crisis.suicide/reply");
  REQUIRE(c.state.stack.size() == 2);
  CHECK(c.state.stack[0].flow == "lapse");

  Turn safe = c.Say("I'm safe");
  CHECK_FALSE(safe.crisis);
  CHECK(Joined(safe) ==
        "I am glad you are safe.\nBack to where we were.\nAre you somewhere safe right now?\n");
  CHECK(c.Position() == "lapse/safety");
}

TEST_CASE("crisis mode persists across unrelated messages and keeps resources in reach",
          "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("kms");
  for (const char* text : {"thanks", "I used last night", "whatever"}) {
    Turn t = c.Say(text);
    INFO(text);
    REQUIRE(t.crisis);
    CHECK(*t.crisis == CrisisCategory::kSuicide);
    CHECK(ResourceIds(t) == std::vector<std::string>{"988", "911"});
    CHECK(Joined(t) == "I am still here. Are you safe right now?\n");
    CHECK(c.Position() == "crisis.suicide/check");
  }
  Turn safe = c.Say("yes");
  CHECK_FALSE(safe.crisis);
  CHECK_FALSE(c.state.crisis_mode);
  CHECK(c.state.risk_context);
}

TEST_CASE("a message that is both a lapse and a wish to die is a crisis", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  Turn t = c.Say("I used and I want to end my life");
  CHECK(t.intent == "crisis.suicide");
  REQUIRE(t.crisis);
  CHECK(*t.crisis == CrisisCategory::kSuicide);
}

TEST_CASE("an overdose shows 911 first", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  Turn t = c.Say("my friend is not breathing and wants to die");
  REQUIRE(t.crisis);
  CHECK(*t.crisis == CrisisCategory::kOverdose);
  CHECK(ResourceIds(t).front() == "911");
}

TEST_CASE("a negated crisis is not a crisis", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  Turn t = c.Say("I'm not going to kill myself. I slipped though.");
  CHECK_FALSE(t.crisis);
  CHECK(t.intent == "lapse.disclosure");
}

TEST_CASE("ambiguous risk gets a direct question; yes leads to the suicide crisis", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  Turn ask = c.Say("I can't do this anymore");
  CHECK(ask.intent == "crisis.check_in");
  CHECK_FALSE(ask.crisis);
  CHECK_THAT(Joined(ask), Catch::Contains("thinking about suicide"));
  CHECK(ResourceIds(ask) == std::vector<std::string>{"988"});
  Turn yes = c.Say("yes");
  REQUIRE(yes.crisis);
  CHECK(*yes.crisis == CrisisCategory::kSuicide);
  CHECK(c.Position() == "crisis.suicide/reply");
}

TEST_CASE("ambiguous risk answered no returns to the interrupted conversation", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("I slipped");
  c.Say("there is no point");
  Turn no = c.Say("no");
  CHECK_FALSE(no.crisis);
  CHECK(Joined(no) == "Thank you for telling me.\nBack to where we were.\nAre you somewhere safe right now?\n");
  CHECK(c.Position() == "lapse/safety");
}

TEST_CASE("after risk, a question about means is itself a crisis", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation fresh(*engine);
  CHECK_FALSE(fresh.Say("how many pills for a school project").crisis);

  Conversation c(*engine);
  c.Say("no point anymore");
  c.Say("no");
  Turn t = c.Say("just curious, how many pills would it take, for a school project");
  REQUIRE(t.crisis);
  CHECK(*t.crisis == CrisisCategory::kSuicide);
}

TEST_CASE("a global intent interrupts a flow and the flow resumes after it", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("I used");
  Turn t = c.Say("thank you");
  CHECK(t.intent == "thanks");
  CHECK(Joined(t) == "You are welcome.\nBack to where we were.\nAre you somewhere safe right now?\n");
  CHECK(c.Position() == "lapse/safety");
}

TEST_CASE("free text is captured into a slot and used in the reply", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("can we look at what happened");
  CHECK(c.Position() == "analysis/ask");
  // Text that would otherwise start the lapse flow is an answer here.
  Turn t = c.Say("  I slipped after a fight with my brother ");
  CHECK(Joined(t) == "Thank you. You said: I slipped after a fight with my brother\n");
  CHECK(c.state.slots.at("what_happened") == "I slipped after a fight with my brother");
}

TEST_CASE("only a crisis interrupts a free-text question", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("what happened");
  Turn t = c.Say("I took too much");
  REQUIRE(t.crisis);
  CHECK(*t.crisis == CrisisCategory::kOverdose);
}

TEST_CASE("an unmatched answer gets the fallback and the question again", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("hi");  // greeting flow ends at once
  Turn t = c.Say("purple elephants");
  CHECK(t.intent == "fallback");
  CHECK(Joined(t) == "I am not sure I followed.\n");
}

TEST_CASE("two unmatched messages in a row offer what Steady can help with", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("purple elephants");
  Turn second = c.Say("green giraffes");
  CHECK(Joined(second) == "Here is what I can help with.\n");
  CHECK(second.replies.back().quick_replies == std::vector<std::string>{"I slipped", "What happened"});
  Turn matched = c.Say("hello");
  CHECK(c.state.unmatched_streak == 0);
  CHECK(matched.intent == "greeting");
}

TEST_CASE("an empty message gets the fallback, not a crash", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  Turn t = c.Say("");
  CHECK(t.ok());
  CHECK(t.intent == "fallback");
}

TEST_CASE("invalid UTF-8 and too-long messages are refused and change nothing", "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("I used");
  const SessionState before = c.state;
  Turn bad = engine->Respond(c.state, std::string("I used \xff\xfe"));
  CHECK(bad.error == InputError::kInvalidUtf8);
  CHECK(bad.replies.empty());
  CHECK(bad.state == before);
  // 2,000 characters are fine; 2,001 are not. Characters, not bytes: "é" is 2 bytes.
  std::string limit;
  for (int i = 0; i < 2000; ++i) limit += "\xc3\xa9";
  CHECK(engine->Respond(c.state, limit).ok());
  Turn too_long = engine->Respond(c.state, limit + "e");
  CHECK(too_long.error == InputError::kTooLong);
  CHECK_THAT(too_long.error_message, Catch::Contains("2000"));
  CHECK(too_long.state == before);
}

TEST_CASE("replies are chosen from the seed: same seed, same words", "[engine]") {
  auto content = MakeTestContent();
  for (Flow& f : content->flows) {
    if (f.id == "lapse") {
      f.nodes["safety"].say = {{"Variant A"}, {"Variant B"}, {"Variant C"}, {"Variant D"}};
    }
  }
  auto engine = MakeTestEngine(content);
  std::set<std::string> seen;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Conversation a(*engine, seed), b(*engine, seed);
    std::string first = Joined(a.Say("I used"));
    CHECK(first == Joined(b.Say("I used")));
    seen.insert(first);
  }
  CHECK(seen.size() > 1);  // different sessions do hear different phrasings
}

TEST_CASE("content that breaks mid-turn still answers with 988 and 911", "[engine]") {
  auto content = MakeTestContent();
  for (Flow& f : content->flows) {
    if (f.id == "lapse") f.nodes["safety"].expect.yes = To("no_such_node");
  }
  auto engine = MakeTestEngine(content);
  Conversation c(*engine);
  c.Say("I used");
  Turn t = c.Say("yes");
  CHECK(t.fail_safe);
  CHECK_THAT(Joined(t), Catch::Contains("988") && Catch::Contains("911"));
}

TEST_CASE("a state from a session whose flow no longer exists does not crash", "[engine]") {
  auto engine = MakeTestEngine();
  SessionState state;
  state.stack.push_back(FlowFrame{"retired_flow", "gone"});
  Turn t = engine->Respond(state, "I want to die");
  REQUIRE(t.crisis);
  Turn u = engine->Respond(state, "hello");
  CHECK(u.ok());
  CHECK(u.intent == "greeting");
}

TEST_CASE("an answer the node routes by `other` moves the flow on and reports fallback",
          "[engine]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("I used");
  Turn t = c.Say("purple elephants");
  CHECK(t.intent == "fallback");
  CHECK(Joined(t) == "One use is a lapse. Can you stop here?\n");
  CHECK(c.Position() == "lapse/stop");
  CHECK(c.state.unmatched_streak == 0);  // the flow understood it; no "I didn't follow"
}

TEST_CASE("crisis mode records when it started and when it ended", "[engine][crisis]") {
  auto engine = MakeTestEngine();
  SessionState state = engine->Start(1).state;
  state = engine->Respond(state, "kms", TurnContext{1000}).state;
  CHECK(state.crisis_started_at == 1000);
  CHECK_FALSE(state.crisis_ended_at);
  // Another crisis message continues the same crisis: the start stays.
  state = engine->Respond(state, "I took too much", TurnContext{1100}).state;
  CHECK(state.crisis_mode == CrisisCategory::kOverdose);
  CHECK(state.crisis_started_at == 1000);
  state = engine->Respond(state, "thanks", TurnContext{1200}).state;
  CHECK_FALSE(state.crisis_ended_at);
  state = engine->Respond(state, "I am safe", TurnContext{1300}).state;
  CHECK_FALSE(state.crisis_mode);
  CHECK(state.crisis_started_at == 1000);
  CHECK(state.crisis_ended_at == 1300);
  // A later crisis starts a new record.
  state = engine->Respond(state, "I want to die", TurnContext{2000}).state;
  CHECK(state.crisis_started_at == 2000);
  CHECK_FALSE(state.crisis_ended_at);
}

TEST_CASE("a new crisis message during crisis mode gets the crisis reply again",
          "[engine][crisis]") {
  auto engine = MakeTestEngine();
  Conversation c(*engine);
  c.Say("kms");
  c.Say("whatever");
  CHECK(c.Position() == "crisis.suicide/check");
  Turn again = c.Say("I want to end my life");
  CHECK(again.intent == "crisis.suicide");
  CHECK(Joined(again) == "Call or text 988, or call 911.\n");
  CHECK(ResourceIds(again) == std::vector<std::string>{"988", "911"});
  CHECK(c.Position() == "crisis.suicide/reply");
}

TEST_CASE("in crisis mode a coaching intent gets the crisis check-in, not its flow",
          "[engine][crisis]") {
  auto engine = MakeTestEngine();
  // Crisis mode with no crisis flow waiting: say, the flow was renamed
  // under a stored session, or content sent the crisis flow elsewhere.
  SessionState state = engine->Start(1).state;
  state.crisis_mode = CrisisCategory::kSuicide;
  state.risk_context = true;
  state.stack = {FlowFrame{"lapse", "stop"}};
  for (const char* text : {"I used last night", "what happened", "yes", "purple"}) {
    INFO(text);
    Turn t = engine->Respond(state, text);
    REQUIRE(t.crisis);
    CHECK(*t.crisis == CrisisCategory::kSuicide);
    CHECK(ResourceIds(t) == std::vector<std::string>{"988", "911"});
    REQUIRE(!t.state.stack.empty());
    CHECK(t.state.stack.back().flow == "crisis.suicide");
    CHECK(Joined(t).find("lapse") == std::string::npos);
    CHECK(Joined(t).find("One use") == std::string::npos);
  }
  // Once safe, the interrupted flow resumes.
  Turn t = engine->Respond(state, "hello");
  Turn safe = engine->Respond(t.state, "I am safe");
  CHECK_FALSE(safe.crisis);
  REQUIRE(!safe.state.stack.empty());
  CHECK(safe.state.stack.back().flow == "lapse");
}
