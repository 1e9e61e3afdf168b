// The escalation event: what the operator's system receives for a crisis
// turn, and how it is signed.
//
//   POST <escalation url>
//   Content-Type: application/json
//   X-Steady-Event-Id: evt_...
//   X-Steady-Timestamp: 1795930200
//   X-Steady-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//
//   {"event_id":"evt_...","type":"crisis_turn","category":"suicide",
//    "intent":"crisis.suicide","session":"3f9a0c1d2e4b5a69",
//    "session_path":"/v1/sessions/<id>","time":"2026-11-29T04:30:00Z",
//    "crisis_started_at":"2026-11-29T04:29:12Z","turn":7}
//
// plus "text" when EscalationOptions::include_text. "session" is the same
// short hash the access log uses; "session_path" lets someone with access
// to the API read the conversation. The timestamp is signed too, so a
// receiver can refuse old replays.
#ifndef STEADY_SERVER_ESCALATION_EVENT_H_
#define STEADY_SERVER_ESCALATION_EVENT_H_

#include <cstdint>
#include <string>

#include "store/session_store.h"

namespace steady {

struct CrisisTurnFacts {
  std::string session_id;
  std::string category;        // "suicide", "overdose", ...
  std::string intent;          // the intent that decided the turn
  int64_t now = 0;             // unix seconds
  int64_t crisis_started_at = 0;  // unix seconds; 0 if unknown
  int64_t turn = 0;            // the session version this turn produces
  const std::string* text = nullptr;  // the message, only when it is to be sent
};

// A new event (fresh random id) for the outbox, due at once. False only when
// the system has no random source.
bool BuildEscalationEvent(const CrisisTurnFacts& facts, OutboxEvent* out);

// "sha256=" + lowercase hex HMAC-SHA256(secret, timestamp + "." + body).
std::string SignEscalation(const std::string& secret, const std::string& timestamp,
                           const std::string& body);

}  // namespace steady

#endif  // STEADY_SERVER_ESCALATION_EVENT_H_
