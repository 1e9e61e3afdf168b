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

  bool operator==(const SessionState& o) const;
};

// JSON text for storage; stable field names, unknown fields ignored on read.
std::string SerializeState(const SessionState& state);
// Fails with kCorruption when `json` is not a state this version can read.
Status ParseState(const std::string& json, SessionState* state);

}  // namespace steady

#endif  // STEADY_CORE_SESSION_STATE_H_
