// SessionMemory: the changes a node's `action` and `save` make to what the
// session remembers (the relapse-prevention plan and lapse episodes), with
// the bounds that keep a stored state small whatever a person types.
//
// Internal to the engine (dialog.cpp). Functions edit the state they are
// given and nothing else; thread-safe on distinct states.
#ifndef STEADY_CORE_SESSION_MEMORY_H_
#define STEADY_CORE_SESSION_MEMORY_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/engine.h"
#include "core/session_state.h"

namespace steady {

// `text` cut to at most `max_chars` code points, never inside a character,
// and trimmed of surrounding spaces.
std::string BoundedText(const std::string& text, size_t max_chars);

// Starts a new episode at `now`; drops the oldest beyond
// options.max_episodes.
void RecordEpisode(SessionState* state, int64_t now, const EngineOptions& options);

// Writes `value` (bounded, trailing '.' and ',' dropped) to `target`:
// "plan.LIST" appends to that list unless already there, dropping the oldest
// beyond options.max_plan_entries; "episode.FIELD" fills that field of the
// latest episode when it has none yet (no episode: nothing). An empty value
// changes nothing; any other target is ignored (the loader refuses it).
void SaveValue(SessionState* state, const std::string& target, const std::string& value,
               const EngineOptions& options);

}  // namespace steady

#endif  // STEADY_CORE_SESSION_MEMORY_H_
