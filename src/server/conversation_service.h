// ConversationService: one conversation turn, end to end, for every channel.
//
//   load state -> engine.Respond -> commit turn (+ idempotency record) -> reply
//
// The HTTP routes and the messaging adapters all call this; they differ only
// in how they parse input and render the reply. It owns the rules that keep
// conversations whole:
//  - turns of one session run one at a time, in arrival order (SessionLocks);
//  - a message retried with the same client_message_id gets the first reply,
//    byte for byte, and stores nothing new;
//  - a commit that lost a race with another process reloads and retries;
//  - when the store fails, a crisis message still gets its crisis reply
//    (marked unavailable, so nothing pretends to have been saved);
//  - with escalation on, a turn that leaves the session in crisis mode
//    commits an escalation event in the same transaction (EscalationHooks).
//
// Thread-safe: any number of threads may call it at once.
#ifndef STEADY_SERVER_CONVERSATION_SERVICE_H_
#define STEADY_SERVER_CONVERSATION_SERVICE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/engine.h"
#include "server/engine_holder.h"
#include "server/metrics.h"
#include "server/session_locks.h"
#include "store/session_store.h"

namespace steady {

struct TurnOutcome {
  enum class Kind {
    kAnswered,     // a new turn was stored; `response` is the reply
    kReplayed,     // the client_message_id was answered before; `response` is that reply
    kRefused,      // the message was refused (input_error says why); nothing changed
    kNotFound,     // no such session
    kUnavailable,  // the store failed; nothing was saved. `response` holds the
                   // crisis reply when the message was a crisis, else is empty
    kInternal,     // a bug; `response` is the built-in crisis fallback
  };
  Kind kind = Kind::kInternal;
  InputError input_error = InputError::kNone;
  std::string error_message;  // for kRefused: a sentence for the person
  std::string response;       // JSON text of the reply (TurnResponseJson)
  std::string crisis;         // the turn's crisis category, or ""
  // The turn itself, when one was computed now (kAnswered, and kUnavailable
  // with a reply), for channels that render from it (the terminal's
  // --debug, messaging adapters). Its resources point into `engine`'s
  // content, which `engine` keeps alive across a reload.
  std::optional<Turn> turn;
  std::shared_ptr<const Engine> engine;
};

// How the service hands escalation events on (escalation_worker.h).
struct EscalationHooks {
  bool include_text = false;  // put the message text in the event
  // Called after a turn with an event committed: deliver soon.
  std::function<void()> committed;
  // Called with the event of a crisis turn that could not be stored.
  std::function<void(OutboxEvent)> not_stored;
};

class ConversationService {
 public:
  using Clock = std::function<int64_t()>;  // unix seconds

  // None of the pointers is owned; all must outlive the service. `metrics`
  // may be null.
  ConversationService(EngineHolder* engines, SessionStore* store, Metrics* metrics,
                      Clock now = nullptr);

  // Starts a conversation: a new random id (or `requested_id` when not
  // empty; kConflict if it exists) and seed, the greeting stored. Sets
  // *session_id, *response ({"session_id", "messages"} as JSON text) and,
  // when not null, *opening (the greeting turn).
  Status StartSession(std::string* session_id, std::string* response,
                      const std::string& requested_id = "", Turn* opening = nullptr);

  // Turns escalation on. REQUIRES: called before any other call.
  void EnableEscalation(EscalationHooks hooks) { escalation_ = std::move(hooks); escalate_ = true; }

  // Answers one message of `session_id`. See TurnOutcome.
  TurnOutcome PostMessage(const std::string& session_id, const std::string& text,
                          const std::string& client_message_id);

  // What GET /v1/sessions/{id} shows: times, where the conversation stands,
  // and the transcript. kNotFound when no session.
  Status DescribeSession(const std::string& session_id, nlohmann::json* view);

  // Erases the session and everything about it, after any turn in flight.
  Status DeleteSession(const std::string& session_id);

 private:
  TurnOutcome Answer(const Engine& engine, const std::string& session_id, const std::string& text,
                     const std::string& client_message_id);
  TurnOutcome StoreFailed(const Turn* turn, const Engine& engine, const std::string& session_id,
                          const std::string& text);
  // The escalation event of `turn` when escalation is on and the turn
  // leaves the session in crisis mode.
  std::optional<OutboxEvent> EscalationFor(const Turn& turn, const std::string& session_id,
                                           const std::string& text, int64_t version,
                                           int64_t now) const;
  int64_t Now() const;

  EngineHolder* const engines_;
  SessionStore* const store_;
  Metrics* const metrics_;
  const Clock now_;
  SessionLocks locks_;
  bool escalate_ = false;
  EscalationHooks escalation_;
};

// "2026-11-29T04:30:00Z" for unix seconds.
std::string FormatUtc(int64_t unix_seconds);

}  // namespace steady

#endif  // STEADY_SERVER_CONVERSATION_SERVICE_H_
