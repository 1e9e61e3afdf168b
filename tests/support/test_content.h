// A small, complete Content built in code, so engine tests state exactly
// what they rely on and do not break when the shipped content is reworded.
#ifndef STEADY_TESTS_SUPPORT_TEST_CONTENT_H_
#define STEADY_TESTS_SUPPORT_TEST_CONTENT_H_

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/content.h"
#include "core/engine.h"

namespace steady::testing {

inline Target To(const std::string& spec) {
  Target t;
  if (spec.empty()) return t;
  if (spec == "end") {
    t.kind = Target::Kind::kEnd;
  } else if (spec.rfind("flow:", 0) == 0) {
    t.kind = Target::Kind::kFlow;
    t.id = spec.substr(5);
  } else {
    t.kind = Target::Kind::kNode;
    t.id = spec;
  }
  return t;
}

inline Intent MakeIntent(const std::string& id, int priority, std::vector<std::string> patterns,
                         std::vector<std::string> unless = {}) {
  Intent i;
  i.id = id;
  i.priority = priority;
  i.patterns = std::move(patterns);
  i.unless = std::move(unless);
  i.source.file = "test";
  return i;
}

inline Node Say(const std::string& id, const std::string& text) {
  Node n;
  n.id = id;
  n.say = {{text}};
  return n;
}

inline Node YesNo(const std::string& id, const std::string& text, const std::string& yes,
                  const std::string& no, const std::string& other = "") {
  Node n = Say(id, text);
  n.expect.kind = Expectation::Kind::kYesNo;
  n.expect.yes = To(yes);
  n.expect.no = To(no);
  n.expect.other = To(other);
  return n;
}

inline Flow MakeFlow(const std::string& id, std::vector<std::string> triggers,
                     std::vector<Node> nodes) {
  Flow f;
  f.id = id;
  f.triggers = std::move(triggers);
  f.start = nodes.front().id;
  for (Node& n : nodes) f.nodes[n.id] = std::move(n);
  f.source.file = "test";
  return f;
}

// Greeting, a three-step lapse flow, thanks, a free-text analysis flow, two
// crisis categories, the check-in, and a means question that only counts
// after risk.
inline std::shared_ptr<Content> MakeTestContent() {
  auto c = std::make_shared<Content>();
  c->intents = {
      MakeIntent("greeting", 10, {"^(hi|hello|hey)\\b"}),
      MakeIntent("thanks", 10, {"\\bthank(s| you)\\b"}),
      MakeIntent("affirm", 5, {"^(yes|yeah|yep|i am safe)\\b"}),
      MakeIntent("deny", 5, {"^(no|nope|not really)\\b"}),
      MakeIntent("lapse.disclosure", 50, {"\\bi (used|drank|slipped)\\b"}, {"\\bused to\\b"}),
      MakeIntent("analysis.start", 40, {"\\bwhat happened\\b"}),
      MakeIntent("crisis.safe", 5, {"\\bi am safe\\b"}, {"\\bnot safe\\b"}),
      MakeIntent("crisis.suicide", 0, {"\\b(kill myself|want to die|end my life)\\b"},
                 {"\\bnot (suicidal|going to kill myself)\\b"}),
      MakeIntent("crisis.overdose", 0, {"\\b(not breathing|took too much)\\b"}),
      MakeIntent("crisis.check_in", 0, {"\\b(cannot do this anymore|no point)\\b"}),
      MakeIntent("crisis.means", 0, {"\\bhow many pills\\b"}),
  };
  c->intents[1].keywords = {"cheers"};
  for (Intent& i : c->intents) {
    if (i.id == "affirm" || i.id == "deny" || i.id == "crisis.safe") i.contextual = true;
    if (i.id == "crisis.suicide" || i.id == "crisis.means") i.crisis = CrisisCategory::kSuicide;
    if (i.id == "crisis.overdose") i.crisis = CrisisCategory::kOverdose;
    if (i.id == "crisis.check_in") i.check_in = true;
    if (i.id == "crisis.means") i.after_risk_only = true;
  }

  Node greet = Say("hello", "Hi, I am Steady.");
  greet.quick_replies = {"I slipped"};
  Node safety = YesNo("safety", "Are you somewhere safe?", "stop", "unsafe", "stop");
  safety.quick_replies = {"Yes", "No"};
  safety.reprompt = {{"Are you somewhere safe right now?"}};
  Node unsafe = Say("unsafe", "Please call 911 if you are in danger.");
  unsafe.next = To("stop");
  Node stop = YesNo("stop", "One use is a lapse. Can you stop here?", "end", "end");

  Node analysis = Say("ask", "What happened just before?");
  analysis.expect.kind = Expectation::Kind::kText;
  analysis.expect.slot = "what_happened";
  analysis.next = To("echo");
  Node echo = Say("echo", "Thank you. You said: {what_happened}");

  auto crisis_flow = [](const std::string& id, CrisisCategory category, const std::string& text) {
    Node reply = YesNo("reply", text, "safe", "unsafe", "check");
    reply.enter_crisis = category;
    reply.expect.routes["crisis.safe"] = To("safe");
    Node check = YesNo("check", "I am still here. Are you safe right now?", "safe", "unsafe",
                       "check");
    check.expect.routes["crisis.safe"] = To("safe");
    Node unsafe_node = YesNo("unsafe", "Please call 911 now.", "safe", "unsafe", "check");
    Node safe = Say("safe", "I am glad you are safe.");
    safe.end_crisis = true;
    return MakeFlow(id, {id}, {reply, check, unsafe_node, safe});
  };

  Node ask = YesNo("ask", "Are you thinking about suicide? You can call or text 988.",
                   "flow:crisis.suicide", "relief");
  ask.resources = {"988"};
  Node relief = Say("relief", "Thank you for telling me.");

  Node first = Say("first", "I am not sure I followed.");
  Node repeated = Say("repeated", "Here is what I can help with.");
  repeated.quick_replies = {"I slipped", "What happened"};

  c->flows = {
      MakeFlow("greeting", {"greeting"}, {greet}),
      MakeFlow("thanks", {"thanks"}, {Say("welcome", "You are welcome.")}),
      MakeFlow("lapse", {"lapse.disclosure"}, {safety, unsafe, stop}),
      MakeFlow("analysis", {"analysis.start"}, {analysis, echo}),
      crisis_flow("crisis.suicide", CrisisCategory::kSuicide, "Call or text 988, or call 911."),
      crisis_flow("crisis.overdose", CrisisCategory::kOverdose, "Call 911 now."),
      MakeFlow("crisis.check_in", {"crisis.check_in"}, {ask, relief}),
      MakeFlow("fallback", {}, {first, repeated}),
  };
  c->flows[4].triggers.push_back("crisis.means");

  auto resource = [](const std::string& id, const std::string& phone) {
    Resource r;
    r.id = id;
    r.name = id;
    r.phone = phone;
    r.text = id + ": call " + phone;
    r.region = "US";
    r.last_verified = "2026-11-01";
    return r;
  };
  c->resources = {resource("988", "988"), resource("911", "911"),
                  resource("poison_control", "1-800-222-1222")};
  c->crisis_resources[CrisisCategory::kSuicide] = {"988", "911"};
  c->crisis_resources[CrisisCategory::kOverdose] = {"911", "poison_control", "988"};
  c->system.resume_prefix = {"Back to where we were."};
  c->system.crisis_mode_reminder = {"Help is still one call away."};
  c->lexicon.substitutions = {{"kms", "kill myself"}};
  c->lexicon.contractions = {{"can't", "cannot"}, {"i'm", "i am"}};
  return c;
}

// Adds what the plan and episode tests rely on to MakeTestContent():
//   "update my plan" asks for a trigger and saves it to plan.triggers and
//   the latest episode; "show my plan" shows it, or says it is empty (with
//   {coach}); "look back" recalls what helped last time, asks what happened,
//   records an episode, asks whether to note what helps, and saves it;
//   "show my episodes" lists them.
inline std::shared_ptr<Content> AddPlanContent(std::shared_ptr<Content> c) {
  c->intents.push_back(MakeIntent("plan.review", 30, {"\\bupdate my plan\\b"}));
  c->intents.push_back(MakeIntent("plan.show", 30, {"\\bshow my plan\\b"}));
  c->intents.push_back(MakeIntent("episodes.show", 30, {"\\bshow my episodes\\b"}));
  c->intents.push_back(MakeIntent("lookback.start", 30, {"\\blook back\\b"}));

  Node ask_trigger = Say("ask", "What trigger should I add?");
  ask_trigger.expect.kind = Expectation::Kind::kText;
  ask_trigger.expect.slot = "trigger";
  ask_trigger.next = To("got");
  Node got_trigger = Say("got", "Added {trigger}.");
  got_trigger.save = {{"plan.triggers", "{trigger}"}, {"episode.trigger", "{trigger}"}};

  Node show = Say("show", "Triggers: {plan.triggers|none yet}");
  show.requires_values = {"plan"};
  show.otherwise = To("empty");
  Node empty = Say("empty", "Your plan is empty. {coach} can help you start it.");

  Node recall = Say("recall", "Last time, {last_episode.helped} helped.");
  recall.requires_values = {"last_episode.helped"};
  recall.otherwise = To("what");
  recall.next = To("what");
  Node what = Say("what", "What happened?");
  what.expect.kind = Expectation::Kind::kText;
  what.expect.slot = "what";
  what.next = To("record");
  Node record = YesNo("record", "Noted: {what}. Add what helps?", "helps", "end", "end");
  record.action = "record_episode";
  record.save = {{"episode.what", "{what}"}};
  Node helps = Say("helps", "What helps?");
  helps.expect.kind = Expectation::Kind::kText;
  helps.expect.slot = "helped";
  helps.next = To("saved");
  Node saved = Say("saved", "Saved.");
  saved.save = {{"episode.helped", "{helped}"}, {"plan.helps", "{helped}"}};

  Node list = Say("list", "Your episodes:\n{episodes}");
  list.requires_values = {"episodes"};
  list.otherwise = To("none");
  list.episode_line = "{episode.number}. {episode.date|no date}: {episode.what|?}";
  Node none = Say("none", "Nothing saved yet.");

  c->flows.push_back(MakeFlow("plan_update", {"plan.review"}, {ask_trigger, got_trigger}));
  c->flows.push_back(MakeFlow("plan_show", {"plan.show"}, {show, empty}));
  c->flows.push_back(MakeFlow("look_back", {"lookback.start"}, {recall, what, record, helps, saved}));
  c->flows.push_back(MakeFlow("episodes_show", {"episodes.show"}, {list, none}));
  return c;
}

inline std::unique_ptr<Engine> MakeTestEngine(std::shared_ptr<Content> content = MakeTestContent(),
                                              const EngineOptions& options = EngineOptions()) {
  std::unique_ptr<Engine> engine;
  Status s = Engine::Create(content, options, &engine);
  if (!s.ok()) throw std::runtime_error(s.message());
  return engine;
}

}  // namespace steady::testing

#endif  // STEADY_TESTS_SUPPORT_TEST_CONTENT_H_
