// SessionStore: where conversations live between messages.
//
// The engine never touches storage; the caller loads a session, asks the
// engine for a turn, and commits the turn here in one transaction: the
// user's message, the replies, the new state and the idempotency record.
// The interface is small on purpose so a PostgreSQL store can sit beside
// SqliteStore without the engine or the server changing.
#ifndef STEADY_STORE_SESSION_STORE_H_
#define STEADY_STORE_SESSION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace steady {

// One line of a transcript.
struct TranscriptEntry {
  enum class Role { kUser, kCoach };
  Role role = Role::kUser;
  std::string text;
  std::string intent;  // kUser: the intent the message matched ("" if none)
  std::string crisis;  // kUser: crisis category name, or ""
  int64_t created_at = 0;  // unix seconds
};

// What is stored about a session.
struct StoredSession {
  std::string id;
  std::string state_json;  // SerializeState() output
  int64_t version = 0;     // increases by one with every committed turn
  int64_t created_at = 0;  // unix seconds
  int64_t updated_at = 0;
};

// A message for another system, kept in the store's outbox until a worker
// has delivered it (the escalation of a crisis turn to a human). It is
// written in the same transaction as the turn that caused it, so a turn is
// never stored without its event, nor an event without its turn.
struct OutboxEvent {
  std::string id;            // unique; the receiver de-duplicates by it
  std::string session_id;    // erased and purged with the session; never sent
  std::string payload_json;  // exactly what is sent
  int64_t created_ms = 0;    // unix milliseconds
  int attempts = 0;          // failed delivery attempts so far
  int64_t next_attempt_ms = 0;  // not sent before this time
};

// What /metrics shows about the outbox.
struct OutboxStats {
  int64_t pending = 0;            // events not yet delivered
  int64_t failing = 0;            // of those, events with at least one failed attempt
  int64_t oldest_created_ms = 0;  // creation time of the oldest pending event; 0 if none
};

// A turn to commit.
struct TurnRecord {
  std::string session_id;
  int64_t expected_version = 0;  // the version the state was loaded at
  std::string client_message_id;  // "" when the client sent none
  std::string user_text;
  std::vector<TranscriptEntry> coach_messages;  // replies, in order
  std::string intent;
  std::string crisis;              // category name or ""
  std::string new_state_json;
  std::string response_json;  // exactly what the client got; replayed on retry
  int64_t now = 0;            // unix seconds
  std::vector<OutboxEvent> outbox;  // events committed with the turn (may be empty)
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Creates a session with its opening messages. kConflict if the id exists.
  virtual Status Create(const std::string& id, const std::string& state_json,
                        const std::vector<TranscriptEntry>& opening, int64_t now) = 0;

  // kNotFound when there is no such session.
  virtual Status Load(const std::string& id, StoredSession* out) = 0;

  // The response stored for (session, client_message_id), if that message
  // was already answered. Not found is ok with *response empty.
  virtual Status FindResponse(const std::string& session_id, const std::string& client_message_id,
                              std::optional<std::string>* response) = 0;

  // Commits a turn atomically: user message, coach messages, new state,
  // version + 1, the idempotency record and the turn's outbox events. kConflict when the session's
  // version is no longer expected_version (someone else committed first:
  // reload and retry) or when client_message_id was already used (then
  // FindResponse returns the stored reply). kNotFound if the session is gone.
  virtual Status CommitTurn(const TurnRecord& turn) = 0;

  // The whole transcript, oldest first. kNotFound when no session.
  virtual Status Transcript(const std::string& id, std::vector<TranscriptEntry>* out) = 0;

  // Erases the session and everything about it, its undelivered outbox
  // events included. kNotFound when no session.
  virtual Status Erase(const std::string& id) = 0;

  // Deletes sessions not updated since `cutoff` (unix seconds) with all
  // their rows, and transcript rows older than `cutoff` of other sessions.
  // Outbox events created before `cutoff` go too. *sessions_removed counts
  // whole sessions deleted.
  virtual Status PurgeOlderThan(int64_t cutoff, int64_t* sessions_removed) = 0;

  // Reads from the store to show it is reachable (for /readyz). kUnavailable
  // or kCorruption when it is not.
  virtual Status Ping() = 0;

  // The outbox. Several workers (threads or processes) may share it; each
  // event is leased to one of them at a time, and delivery is at least
  // once: a worker that dies mid-send leaves its lease to expire.

  // Adds an event outside a turn (one whose turn could not be stored when
  // it happened). Adding an id that is already there changes nothing.
  virtual Status AddOutboxEvent(const OutboxEvent& event) = 0;

  // Leases up to `max_events` events due at `now_ms` (oldest due first) to
  // the caller until now_ms + lease_ms, and returns them.
  virtual Status ClaimOutboxEvents(int64_t now_ms, int64_t lease_ms, int max_events,
                                   std::vector<OutboxEvent>* out) = 0;

  // Delivered: the event is removed. Ok if it is already gone.
  virtual Status CompleteOutboxEvent(const std::string& event_id) = 0;

  // Not delivered: attempts + 1, next try at `next_attempt_ms`.
  virtual Status RetryOutboxEvent(const std::string& event_id, int64_t next_attempt_ms) = 0;

  virtual Status GetOutboxStats(OutboxStats* stats) = 0;
};

}  // namespace steady

#endif  // STEADY_STORE_SESSION_STORE_H_
