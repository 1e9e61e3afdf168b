// SessionState: everything the engine remembers about one conversation
// between two messages. It is a plain value: the store saves it as JSON and
// hands it back; the engine never keeps it.
#ifndef STEADY_CORE_SESSION_STATE_H_
#define STEADY_CORE_SESSION_STATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/content.h"
#include "core/status.h"

namespace steady {

// Where a flow is waiting: the node that spoke last and awaits an answer.
struct FlowFrame {
  std::string flow;
  std::string node;
  bool operator==(const FlowFrame& o) const { return flow == o.flow && node == o.node; }
};

// One lapse the person told about, kept so the coach can recall it ("last
// time, calling your sister helped") and the person can see it again.
struct Episode {
  int64_t when = 0;  // unix seconds from TurnContext::now; 0 when unknown
  // Field name -> the person's words: "what", "trigger", "helped"... The
  // names are the content's (a node's `save` of "episode.NAME").
  std::map<std::string, std::string> fields;
  bool operator==(const Episode& o) const { return when == o.when && fields == o.fields; }
};

struct SessionState {
  uint64_t seed = 0;        // chooses reply variants; fixed for the session
  uint64_t turn_count = 0;  // messages answered so far
  // Innermost flow last. A global intent pushes its flow; when that flow
  // ends, the one below resumes.
  std::vector<FlowFrame> stack;
  std::map<std::string, std::string> slots;  // free-text answers by slot name
  std::optional<CrisisCategory> crisis_mode;  // active until the person is safe
  bool risk_context = false;  // a crisis or check-in happened: risk is sticky
  int unmatched_streak = 0;   // messages in a row that matched nothing
  // When the current (or last) crisis mode started and ended, in unix
  // seconds from TurnContext::now. Ended is unset while crisis mode is on.
  std::optional<int64_t> crisis_started_at;
  std::optional<int64_t> crisis_ended_at;
  // The relapse-prevention plan: list name ("triggers", "helps", "people")
  // -> entries in the person's words, oldest first, without repeats.
  std::map<std::string, std::vector<std::string>> plan;
  // Lapses told about, oldest first; bounded (EngineOptions::max_episodes).
  std::vector<Episode> episodes;
  // The quick replies the last reply offered, in order, so a text-only
  // channel can let the person answer with a number (SMS: "2").
  std::vector<std::string> offered_quick_replies;
  // The person asked a messaging channel to stop (SMS STOP): nothing is
  // answered until they opt in again. Set by the adapters, never by the
  // engine, which carries it through turns unchanged.
  bool opted_out = false;

  bool operator==(const SessionState& o) const;
};

// JSON text for storage; stable field names, unknown fields ignored on read.
std::string SerializeState(const SessionState& state);
// Fails with kCorruption when `json` is not a state this version can read.
Status ParseState(const std::string& json, SessionState* state);

}  // namespace steady

#endif  // STEADY_CORE_SESSION_STATE_H_
