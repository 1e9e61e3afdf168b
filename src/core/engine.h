// Engine: one message in, the replies and the next state out.
//
//   validate -> normalize -> crisis check -> intent match -> dialog step -> render
//
// Respond() is a pure function of (Content, SessionState, message,
// TurnContext): no I/O, no clock of its own (the time comes in the
// TurnContext), no randomness beyond the session's seed. The crisis check runs on
// every message in every dialog state before anything else; if anything goes
// wrong while answering, the reply is the built-in crisis fallback that names
// 988 and 911 (the one reply text that lives in C++).
//
// Thread-safe: an Engine is immutable after Create() and may serve any
// number of threads at once.
#ifndef STEADY_CORE_ENGINE_H_
#define STEADY_CORE_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/content.h"
#include "core/matcher.h"
#include "core/normalizer.h"
#include "core/session_state.h"
#include "core/status.h"

namespace steady {

struct EngineOptions {
  // Longest message accepted, in Unicode code points. Default 2,000.
  size_t max_message_chars = 2000;
  // Deepest flow stack; the oldest interrupted flow is dropped beyond it.
  size_t max_stack_depth = 5;
  MatcherOptions matcher;
  // Lapse episodes kept per session; the oldest is dropped beyond it. Default 20.
  size_t max_episodes = 20;
  // Entries kept per plan list; the oldest is dropped beyond it. Default 10.
  size_t max_plan_entries = 10;
  // Longest text kept in a slot, plan entry or episode field, in Unicode
  // code points; longer text is cut at a character boundary. Default 300.
  size_t max_saved_chars = 300;
  // Episodes `{episodes}` shows, the most recent ones. Default 5.
  size_t episodes_shown = 5;
};

// What the caller knows about the moment of a turn. The engine reads no
// clock: the time is handed in, so turns stay repeatable in tests.
struct TurnContext {
  int64_t now = 0;  // unix seconds; 0 when unknown (episodes and crisis times record 0)
};

// One message Steady sends: text plus tappable answers.
struct Reply {
  std::string text;
  std::vector<std::string> quick_replies;
};

// Why a message was refused. Refused messages change nothing.
enum class InputError { kNone, kInvalidUtf8, kTooLong };

// What --debug shows and `steady match` prints.
struct TurnDebug {
  std::string normalized;
  std::vector<IntentMatch> matches;
  std::vector<std::string> vetoed;
  std::string pattern;  // the pattern of the winning intent, if any
  std::string flow;     // flow and node the session waits at after the turn
  std::string node;
};

struct Turn {
  InputError error = InputError::kNone;
  std::string error_message;  // a sentence for the person; set when error

  std::vector<Reply> replies;
  // The intent that decided the turn: an intent id, "crisis.check_in",
  // a crisis intent ("crisis.suicide"), or "fallback".
  std::string intent;
  // The crisis the session is in after this turn, if any. Set on the turn
  // that detects a crisis and on every later turn until the person is safe.
  std::optional<CrisisCategory> crisis;
  // Resources to show with this turn, in order (crisis ones first).
  std::vector<const Resource*> resources;
  SessionState state;  // the state after this turn
  bool fail_safe = false;  // the built-in fallback answered (content failure)
  TurnDebug debug;

  bool ok() const { return error == InputError::kNone; }
};

class Engine {
 public:
  // Builds an engine over loaded content. Fails when a pattern does not
  // compile or the content is inconsistent (run `steady validate`).
  static Status Create(std::shared_ptr<const Content> content, const EngineOptions& options,
                       std::unique_ptr<Engine>* out);

  // The opening of a new conversation: the greeting flow's first node.
  // `seed` is the session's random seed, handed in by the caller.
  Turn Start(uint64_t seed) const;

  // Answers `message` given `state` at the moment `context` describes. When
  // the message is refused (invalid UTF-8, too long) the turn carries
  // `error` and `state` unchanged and no replies. Never throws.
  Turn Respond(const SessionState& state, std::string_view message,
               const TurnContext& context) const;
  // The same with an unknown time (TurnContext::now = 0).
  Turn Respond(const SessionState& state, std::string_view message) const;

  // What a message matches, without any dialog context (for `steady match`,
  // `steady validate` and `steady eval`). Decision is the intent the engine
  // would report in a fresh session: crisis first, else best intent, else
  // "fallback".
  struct Classification {
    std::string normalized;
    MatchResult result;
    std::string intent;
    std::optional<CrisisCategory> crisis;  // nullopt also for check-in
  };
  Classification Classify(std::string_view message, bool risk_context = false) const;

  // Checks input only: invalid UTF-8 or over the limit.
  InputError CheckInput(std::string_view message, std::string* error_message) const;

  const Content& content() const { return *content_; }
  const Normalizer& normalizer() const { return *normalizer_; }
  // The compiled patterns (for the engine benchmark's bare RE2::Set pass).
  const Matcher& matcher() const { return *matcher_; }
  const EngineOptions& options() const { return options_; }

 private:
  Engine() = default;
  Turn RespondOrThrow(const SessionState& state, std::string_view message,
                      const TurnContext& context) const;

  std::shared_ptr<const Content> content_;
  std::unique_ptr<Normalizer> normalizer_;
  std::unique_ptr<Matcher> matcher_;
  EngineOptions options_;
};

// The reply used when content is missing or something failed: 988 and 911.
// This is the one piece of reply text allowed in C++ (DESIGN.md).
Turn CrisisFallbackTurn(const SessionState& state);
extern const char kCrisisFallbackText[];

}  // namespace steady

#endif  // STEADY_CORE_ENGINE_H_
