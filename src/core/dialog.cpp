#include "core/dialog.h"

#include <algorithm>
#include <stdexcept>

#include "core/render.h"
#include "core/session_memory.h"

namespace steady {
namespace {

// A turn never enters more nodes than this: a chain of nodes that wait for
// nothing and loop would otherwise never end. `steady validate` reports such
// loops; this is the guard if one slips through.
constexpr int kMaxNodesPerTurn = 16;

// splitmix64: a small, well-mixed, platform-independent hash step.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

// Thrown only for content the validator would have refused; Respond() turns
// it into the crisis fallback.
struct ContentInconsistency : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Content::FindFlow(id) answers a flow whose id is `id`, or null, so the
// last answer stands for every later question with the same id.
const Flow* DialogStep::FindFlow(const std::string& id) const {
  if (last_flow_ == nullptr || last_flow_->id != id) last_flow_ = content_.FindFlow(id);
  return last_flow_;
}

const Node* DialogStep::FindNode(const Flow& flow, const std::string& id) const {
  if (last_node_flow_ != &flow || last_node_->first != id) {
    auto it = flow.nodes.find(id);
    if (it == flow.nodes.end()) return nullptr;
    last_node_flow_ = &flow;
    last_node_ = &*it;
  }
  return &last_node_->second;
}

const Flow& DialogStep::FlowById(const std::string& id) const {
  const Flow* flow = FindFlow(id);
  if (flow == nullptr) throw ContentInconsistency("no flow " + id);
  return *flow;
}

const Node& DialogStep::NodeOf(const FlowFrame& frame) const {
  const Flow& flow = FlowById(frame.flow);
  const Node* node = FindNode(flow, frame.node);
  if (node == nullptr) throw ContentInconsistency("no node " + frame.node);
  return *node;
}

const Node* DialogStep::CurrentNode() const {
  if (state_.stack.empty()) return nullptr;
  const FlowFrame& top = state_.stack.back();
  const Flow* flow = FindFlow(top.flow);
  if (flow == nullptr) return nullptr;  // content changed under a stored session
  return FindNode(*flow, top.node);
}

size_t DialogStep::Pick(size_t count, const PhrasingKey& key) const {
  if (count <= 1) return 0;
  uint64_t h = Mix(state_.seed ^ Mix(state_.turn_count));
  for (std::string_view part : {key.a, key.b, key.c, key.d}) {
    for (unsigned char c : part) h = Mix(h ^ c);
  }
  return static_cast<size_t>(h % count);
}

std::string DialogStep::Render(const std::string& text, const Node* node) const {
  RenderScope scope;
  scope.state = &state_;
  scope.system = &content_.system;
  scope.episode_line = node != nullptr ? &node->episode_line : nullptr;
  scope.episodes_shown = options_.episodes_shown;
  return RenderText(text, scope);
}

void DialogStep::Say(const std::vector<std::vector<std::string>>& phrasings,
                     const PhrasingKey& key, const Node* node) {
  if (phrasings.empty()) return;
  if (turn_->replies.capacity() == 0) turn_->replies.reserve(4);  // a turn says a few
  for (const std::string& message : phrasings[Pick(phrasings.size(), key)]) {
    turn_->replies.push_back(Reply{Render(message, node), {}});
  }
}

void DialogStep::SayLine(const std::vector<std::string>& phrasings, std::string_view key) {
  if (phrasings.empty()) return;
  turn_->replies.push_back(
      Reply{Render(phrasings[Pick(phrasings.size(), PhrasingKey{key})], nullptr), {}});
}

void DialogStep::AddResource(const std::string& id, bool front) {
  const Resource* resource = content_.FindResource(id);
  if (resource == nullptr) return;
  auto& list = turn_->resources;
  auto it = std::find(list.begin(), list.end(), resource);
  if (it != list.end()) {
    if (!front) return;
    list.erase(it);
  }
  if (front) {
    list.insert(list.begin(), resource);
  } else {
    list.push_back(resource);
  }
}

bool DialogStep::IsRiskFlow(const std::string& flow_id) const {
  const Flow* flow = FindFlow(flow_id);
  if (flow == nullptr) return false;
  if (flow != last_risk_flow_) {
    last_risk_flow_ = flow;
    last_risk_ = IsRiskFlow(*flow);
  }
  return last_risk_;
}

bool DialogStep::IsRiskFlow(const Flow& flow) const {
  for (const std::string& trigger : flow.triggers) {
    const Intent* intent = content_.FindIntent(trigger);
    if (intent != nullptr && (intent->crisis || intent->check_in)) return true;
  }
  for (const auto& [id, node] : flow.nodes) {
    if (node.enter_crisis) return true;
  }
  return false;
}

bool DialogStep::TopIsRiskFlow() const {
  return !state_.stack.empty() && IsRiskFlow(state_.stack.back().flow);
}

void DialogStep::PopRiskFlows() {
  while (TopIsRiskFlow()) {
    state_.stack.pop_back();
  }
}

void DialogStep::Open() {
  StartFlow(FlowById(content_.system.greeting_flow));
}

void DialogStep::StartFlow(const Flow& flow) {
  // A flow already on the stack starts over rather than nesting in itself.
  for (size_t i = 0; i < state_.stack.size(); ++i) {
    if (state_.stack[i].flow == flow.id) {
      state_.stack.resize(i);
      break;
    }
  }
  if (state_.stack.size() >= options_.max_stack_depth) {
    state_.stack.erase(state_.stack.begin());  // forget the oldest interruption
  }
  state_.stack.push_back(FlowFrame{flow.id, flow.start});
  EnterNode(flow, flow.start, /*resuming=*/false);
}

void DialogStep::EnterNode(const Flow& flow, const std::string& node_id, bool resuming) {
  if (++entered_ > kMaxNodesPerTurn) throw ContentInconsistency("node chain too long");
  const Node* found = FindNode(flow, node_id);
  if (found == nullptr) throw ContentInconsistency("no node " + node_id);
  const Node& node = *found;
  FlowFrame& top = state_.stack.back();
  top.flow = flow.id;
  top.node = node.id;

  // What a node remembers happens once, on the first entry: a resumed or
  // re-asked node must not record the same episode twice.
  if (!resuming) {
    if (!RequirementsMet(node)) {
      GoTo(node.otherwise);
      return;
    }
    Remember(node);
  }

  if (resuming && !node.reprompt.empty()) {
    Say(node.reprompt, PhrasingKey{flow.id, "/", node.id, "#reprompt"}, &node);
  } else {
    Say(node.say, PhrasingKey{flow.id, "/", node.id}, &node);
  }
  quick_replies_ = &node.quick_replies;
  for (const std::string& id : node.resources) AddResource(id, /*front=*/false);
  UpdateCrisisMode(node);

  switch (node.expect.kind) {
    case Expectation::Kind::kNothing:
      if (node.next.empty()) {
        EndFlow();
      } else {
        GoTo(node.next);
      }
      return;
    case Expectation::Kind::kIntent:
    case Expectation::Kind::kYesNo:
    case Expectation::Kind::kText:
      return;  // wait here for the answer
  }
}

bool DialogStep::RequirementsMet(const Node& node) const {
  if (node.requires_values.empty()) return true;
  RenderScope scope;
  scope.state = &state_;
  scope.system = &content_.system;
  for (const std::string& name : node.requires_values) {
    if (!HasValue(name, scope)) return false;
  }
  return true;
}

void DialogStep::Remember(const Node& node) {
  if (node.action == "record_episode") RecordEpisode(&state_, context_.now, options_);
  for (const auto& [target, text] : node.save) {
    SaveValue(&state_, target, Render(text, nullptr), options_);
  }
}

void DialogStep::UpdateCrisisMode(const Node& node) {
  if (node.enter_crisis) {
    // A new category during crisis mode continues the same crisis; its
    // start time stays the first one.
    if (!state_.crisis_mode) {
      state_.crisis_started_at = context_.now;
      state_.crisis_ended_at.reset();
    }
    state_.crisis_mode = node.enter_crisis;
    state_.risk_context = true;
  }
  if (node.end_crisis && state_.crisis_mode) {
    state_.crisis_mode.reset();
    state_.crisis_ended_at = context_.now;
  }
}

void DialogStep::GoTo(const Target& target) {
  switch (target.kind) {
    case Target::Kind::kNone:
    case Target::Kind::kEnd:
      EndFlow();
      return;
    case Target::Kind::kNode: {
      const Flow& flow = FlowById(state_.stack.back().flow);
      EnterNode(flow, target.id, /*resuming=*/false);
      return;
    }
    case Target::Kind::kFlow: {
      const Flow& next = FlowById(target.id);
      state_.stack.pop_back();
      StartFlow(next);
      return;
    }
  }
}

void DialogStep::EndFlow() {
  if (!state_.stack.empty()) state_.stack.pop_back();
  if (state_.stack.empty()) return;
  // The interrupted flow resumes: a short bridge, then its question again.
  // EnterNode reads node_id (here the frame's own) before it changes the frame.
  const FlowFrame& frame = state_.stack.back();
  SayLine(content_.system.resume_prefix, "resume");
  EnterNode(FlowById(frame.flow), frame.node, /*resuming=*/true);
}

void DialogStep::SayFallback() {
  const Flow& fallback = FlowById(content_.system.fallback_flow);
  ++state_.unmatched_streak;
  const char* node_id = state_.unmatched_streak >= 2 ? "repeated" : "first";
  auto it = fallback.nodes.find(node_id);
  if (it == fallback.nodes.end()) throw ContentInconsistency("fallback node missing");
  Say(it->second.say, PhrasingKey{fallback.id, "/", node_id}, &it->second);
  quick_replies_ = &it->second.quick_replies;
  if (state_.unmatched_streak < 2 && !state_.stack.empty()) {
    // Ask the waiting question again so the person knows what is expected.
    // EnterNode reads node_id (here the frame's own) before it changes the frame.
    const FlowFrame& frame = state_.stack.back();
    EnterNode(FlowById(frame.flow), frame.node, /*resuming=*/true);
  }
}

void DialogStep::HandleCrisis(const Intent& intent) {
  state_.risk_context = true;
  const Flow* flow = content_.FlowTriggeredBy(intent.id);
  if (flow == nullptr) throw ContentInconsistency("no flow for " + intent.id);
  // One risk conversation at a time: a new crisis replaces the one open.
  PopRiskFlows();
  StartFlow(*flow);
}

const Flow* DialogStep::CrisisFlowFor(CrisisCategory category) const {
  for (const Intent& intent : content_.intents) {
    if (intent.crisis != category || intent.after_risk_only) continue;
    if (const Flow* flow = content_.FlowTriggeredBy(intent.id)) return flow;
  }
  return nullptr;
}

void DialogStep::ResumeCrisisCheckIn() {
  // Crisis mode is on but no crisis flow is waiting (it went elsewhere, or
  // the content changed under a stored session). Nothing else starts: the
  // category's crisis flow takes the turn again, with its reprompt when it
  // has one, so the person is asked again whether they are safe.
  const Flow* flow = CrisisFlowFor(*state_.crisis_mode);
  if (flow == nullptr) throw ContentInconsistency("no crisis flow for the crisis mode");
  if (state_.stack.size() >= options_.max_stack_depth) {
    state_.stack.erase(state_.stack.begin());
  }
  state_.stack.push_back(FlowFrame{flow->id, flow->start});
  EnterNode(*flow, flow->start, /*resuming=*/true);
}

bool DialogStep::HandleAnswer(std::string_view text, const MatchResult& matches) {
  const Node* node = CurrentNode();
  if (node == nullptr) return false;
  const Expectation& expect = node->expect;
  if (expect.kind == Expectation::Kind::kText) {
    // A free-text answer is taken as it is, unless the node routes the
    // intent it matched (only a crisis interrupts a free-text question).
    for (const IntentMatch& m : matches.matches) {
      auto route = expect.routes.find(m.intent->id);
      if (route != expect.routes.end()) {
        turn_->intent = m.intent->id;
        GoTo(route->second);
        return true;
      }
    }
    if (!expect.slot.empty()) {
      state_.slots[expect.slot] = BoundedText(std::string(text), options_.max_saved_chars);
    }
    turn_->intent = matches.matches.empty() ? "fallback" : matches.matches.front().intent->id;
    GoTo(node->next);
    return true;
  }
  if (expect.kind == Expectation::Kind::kNothing) return false;
  for (const IntentMatch& m : matches.matches) {
    const std::string& id = m.intent->id;
    auto route = expect.routes.find(id);
    if (route != expect.routes.end()) {
      turn_->intent = id;
      GoTo(route->second);
      return true;
    }
    if (expect.kind == Expectation::Kind::kYesNo) {
      if (id == "affirm" && !expect.yes.empty()) {
        turn_->intent = id;
        GoTo(expect.yes);
        return true;
      }
      if (id == "deny" && !expect.no.empty()) {
        turn_->intent = id;
        GoTo(expect.no);
        return true;
      }
    }
  }
  return false;
}

void DialogStep::HandleUnanswered(const MatchResult& matches) {
  const Node* node = CurrentNode();
  const bool in_crisis_flow = state_.crisis_mode && TopIsRiskFlow();

  // In crisis mode the crisis flow keeps the conversation: ordinary intents
  // do not interrupt it, so every turn checks in until the person is safe.
  if (!in_crisis_flow) {
    for (const IntentMatch& m : matches.matches) {
      if (m.intent->contextual) continue;
      const Flow* flow = content_.FlowTriggeredBy(m.intent->id);
      if (flow == nullptr) continue;
      turn_->intent = m.intent->id;
      // An open check-in question stays on the stack below the new topic,
      // so it is asked again when that topic ends.
      StartFlow(*flow);
      return;
    }
  }
  // The intent reported is what the message meant, even when the node's
  // `other` route answers it; "fallback" when it meant nothing we know.
  turn_->intent = matches.matches.empty() ? "fallback" : matches.matches.front().intent->id;
  if (node != nullptr && !node->expect.other.empty()) {
    GoTo(node->expect.other);
    return;
  }
  if (in_crisis_flow && node != nullptr) {
    // No `other` route: ask the crisis question again rather than fall back.
    EnterNode(FlowById(state_.stack.back().flow), node->id, /*resuming=*/true);
    return;
  }
  SayFallback();
}

void DialogStep::PruneStaleFrames() {
  // A session stored before the content changed may wait at a flow or node
  // that no longer exists; forget those frames rather than fail.
  auto& stack = state_.stack;
  stack.erase(std::remove_if(stack.begin(), stack.end(),
                             [&](const FlowFrame& frame) {
                               const Flow* flow = FindFlow(frame.flow);
                               return flow == nullptr || FindNode(*flow, frame.node) == nullptr;
                             }),
              stack.end());
}

void DialogStep::Handle(std::string_view text, const MatchResult& matches) {
  PruneStaleFrames();
  const Intent* best = matches.matches.empty() ? nullptr : matches.matches.front().intent;
  const int streak_before = state_.unmatched_streak;
  const Node* node = CurrentNode();
  const bool node_routes_best =
      best != nullptr && node != nullptr && node->expect.routes.count(best->id) > 0;

  if (best != nullptr && best->crisis) {
    // Danger comes first, in every state.
    turn_->intent = best->id;
    HandleCrisis(*best);
  } else if (best != nullptr && best->check_in && !state_.crisis_mode && !node_routes_best) {
    // Ambiguous risk: ask directly. During crisis mode the crisis flow is
    // already checking in, so it answers instead.
    turn_->intent = best->id;
    HandleCrisis(*best);
  } else if (state_.crisis_mode && !TopIsRiskFlow()) {
    // While in crisis mode no coaching flow starts or goes on.
    turn_->intent = best != nullptr ? best->id : "fallback";
    ResumeCrisisCheckIn();
  } else if (!HandleAnswer(text, matches)) {
    HandleUnanswered(matches);
  }
  if (state_.unmatched_streak == streak_before) state_.unmatched_streak = 0;
}

void DialogStep::Finish() {
  if (state_.crisis_mode) {
    turn_->crisis = state_.crisis_mode;
    // The category's resources lead the list, in the order content gives.
    auto it = content_.crisis_resources.find(*state_.crisis_mode);
    if (it != content_.crisis_resources.end()) {
      for (auto id = it->second.rbegin(); id != it->second.rend(); ++id) {
        AddResource(*id, /*front=*/true);
      }
    }
    if (!TopIsRiskFlow()) {
      std::vector<Reply> reminder;
      if (!content_.system.crisis_mode_reminder.empty()) {
        const auto& lines = content_.system.crisis_mode_reminder;
        reminder.push_back(
            Reply{Render(lines[Pick(lines.size(), PhrasingKey{"reminder"})], nullptr), {}});
      }
      turn_->replies.insert(turn_->replies.begin(), reminder.begin(), reminder.end());
    }
  }
  // What the person can now answer with a number on a text-only channel.
  if (turn_->replies.empty()) {
    state_.offered_quick_replies.clear();
  } else if (quick_replies_ == nullptr) {
    turn_->replies.back().quick_replies.clear();
    state_.offered_quick_replies.clear();
  } else {
    turn_->replies.back().quick_replies = *quick_replies_;
    state_.offered_quick_replies = *quick_replies_;
  }
  if (!state_.stack.empty()) {
    turn_->debug.flow = state_.stack.back().flow;
    turn_->debug.node = state_.stack.back().node;
  }
}

}  // namespace steady
