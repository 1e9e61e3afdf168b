#include "core/engine.h"

#include <exception>
#include <utility>

#include "core/dialog.h"
#include "core/utf8.h"

namespace steady {

// The last resort when content is missing or answering failed. It is the one
// reply text in C++ (DESIGN.md): whatever broke, a person in danger still
// learns where to turn.
const char kCrisisFallbackText[] =
    "I'm having trouble answering right now, and I don't want to leave you "
    "without help. If you are in danger, may have taken too much, or are "
    "thinking about suicide, call 911 now, or call or text 988 (Suicide & "
    "Crisis Lifeline), any time, day or night.";

Turn CrisisFallbackTurn(const SessionState& state) {
  Turn turn;
  turn.state = state;
  turn.state.offered_quick_replies.clear();  // the fallback offers none
  turn.intent = "fallback";
  turn.fail_safe = true;
  turn.replies.push_back(Reply{kCrisisFallbackText, {}});
  return turn;
}

namespace {

std::string_view Trim(std::string_view text) {
  const char* ws = " \t\r\n\f\v";
  size_t begin = text.find_first_not_of(ws);
  if (begin == std::string_view::npos) return std::string_view();
  size_t end = text.find_last_not_of(ws);
  return text.substr(begin, end - begin + 1);
}

// Words the content uses, so the normalizer can tell "soooo" -> "so" from
// "killlll" -> "kill".
std::vector<std::string> ContentVocabulary(const Content& content) {
  std::vector<std::string> words;
  auto add = [&](const std::string& text) {
    for (std::string& w : VocabularyWords(text)) words.push_back(std::move(w));
  };
  for (const Intent& intent : content.intents) {
    for (const auto& t : intent.examples) add(t);
    for (const auto& t : intent.counter_examples) add(t);
    for (const auto& t : intent.keywords) add(t);
  }
  for (const Flow& flow : content.flows) {
    for (const auto& [id, node] : flow.nodes) {
      for (const auto& t : node.quick_replies) add(t);
    }
  }
  return words;
}

}  // namespace

Status Engine::Create(std::shared_ptr<const Content> content, const EngineOptions& options,
                      std::unique_ptr<Engine>* out) {
  if (!content) return Status::Invalid("no content");
  std::unique_ptr<Engine> engine(new Engine());
  engine->options_ = options;
  engine->normalizer_ =
      std::make_unique<Normalizer>(content->lexicon, ContentVocabulary(*content));

  // Keywords are matched against normalized text, so they are normalized
  // the same way once here; authors write them as people type them.
  auto prepared = std::make_shared<Content>(*content);
  for (Intent& intent : prepared->intents) {
    for (std::string& keyword : intent.keywords) {
      keyword = engine->normalizer_->Normalize(keyword);
    }
  }
  prepared->BuildIndex();
  if (prepared->FindFlow(prepared->system.greeting_flow) == nullptr) {
    return Status::Invalid("the greeting flow '" + prepared->system.greeting_flow +
                           "' does not exist");
  }
  if (prepared->FindFlow(prepared->system.fallback_flow) == nullptr) {
    return Status::Invalid("the fallback flow '" + prepared->system.fallback_flow +
                           "' does not exist");
  }
  engine->content_ = prepared;
  engine->matcher_ = std::make_unique<Matcher>();
  Status s = engine->matcher_->Build(*engine->content_, options.matcher);
  if (!s.ok()) return s;
  *out = std::move(engine);
  return Status::Ok();
}

InputError Engine::CheckInput(std::string_view message, std::string* error_message) const {
  if (!IsValidUtf8(message)) {
    if (error_message) *error_message = "The message is not valid UTF-8 text.";
    return InputError::kInvalidUtf8;
  }
  // A code point takes at least one byte, so short messages need no count.
  if (message.size() > options_.max_message_chars &&
      CountCodePoints(message) > options_.max_message_chars) {
    if (error_message) {
      *error_message = "The message is too long: the limit is " +
                       std::to_string(options_.max_message_chars) + " characters.";
    }
    return InputError::kTooLong;
  }
  return InputError::kNone;
}

Turn Engine::Start(uint64_t seed) const {
  SessionState state;
  state.seed = seed;
  try {
    Turn turn;
    turn.state = state;
    DialogStep step(*content_, options_, TurnContext{}, &turn);
    step.Open();
    step.Finish();
    return turn;
  } catch (const std::exception&) {
    return CrisisFallbackTurn(state);
  }
}

Turn Engine::Respond(const SessionState& state, std::string_view message) const {
  return Respond(state, message, TurnContext{});
}

Turn Engine::Respond(const SessionState& state, std::string_view message,
                     const TurnContext& context) const {
  Turn refused;
  refused.error = CheckInput(message, &refused.error_message);
  if (refused.error != InputError::kNone) {
    refused.state = state;
    return refused;
  }
  try {
    return RespondOrThrow(state, message, context);
  } catch (const std::exception&) {
    return CrisisFallbackTurn(state);
  } catch (...) {
    return CrisisFallbackTurn(state);
  }
}

Turn Engine::RespondOrThrow(const SessionState& state, std::string_view message,
                            const TurnContext& context) const {
  Turn turn;
  turn.state = state;
  turn.debug.normalized = normalizer_->Normalize(message);
  MatchResult result = matcher_->Match(turn.debug.normalized, state.risk_context);
  if (result.error) {
    turn = CrisisFallbackTurn(state);
    return turn;  // every return names `turn`, so the copy is elided
  }

  // Counted first so this turn's phrasings are drawn apart from the
  // opening's (which ran at count 0).
  ++turn.state.turn_count;
  DialogStep step(*content_, options_, context, &turn);
  step.Handle(Trim(message), result);
  step.Finish();
  if (!result.matches.empty()) {
    for (const IntentMatch& m : result.matches) {
      if (m.intent->id == turn.intent) turn.debug.pattern = m.pattern;
    }
  }
  turn.debug.matches = std::move(result.matches);
  turn.debug.vetoed = std::move(result.vetoed);
  return turn;
}

Engine::Classification Engine::Classify(std::string_view message, bool risk_context) const {
  Classification c;
  c.normalized = normalizer_->Normalize(message);
  c.result = matcher_->Match(c.normalized, risk_context);
  if (c.result.matches.empty()) {
    c.intent = "fallback";
  } else {
    const Intent* best = c.result.matches.front().intent;
    c.intent = best->id;
    c.crisis = best->crisis;
  }
  return c;
}

}  // namespace steady
