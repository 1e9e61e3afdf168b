// Placeholders in reply text: what the session remembers, put into what the
// content says.
//
//   {coach}                 the coach's name (system.coach_name, "Coach")
//   {SLOT}                  a free-text answer the person gave ({doing})
//   {plan.LIST}             a plan list's entries, joined by "; "
//   {last_episode.FIELD}    the field from the most recent episode that has it
//   {last_episode.date}     the most recent episode's date, YYYY-MM-DD (UTC);
//                           empty when unknown
//   {episodes}              the most recent episodes, one a line, each as
//                           the node's `episode_line` says
//   {episode.FIELD}, {episode.number}, {episode.date}
//                           inside `episode_line` only: the episode shown
//
// `{name|words}` says `words` when the value is empty, so the content, not
// the code, decides what "nothing yet" sounds like. A brace pair whose inside
// is not a placeholder name (lowercase, digits, '_' and '.') is left as
// written. A name the session has no value for renders as the fallback, or
// as nothing. `steady validate` reports names the content can never fill.
//
// Pure functions over their arguments; thread-safe.
#ifndef STEADY_CORE_RENDER_H_
#define STEADY_CORE_RENDER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/content.h"
#include "core/session_state.h"

namespace steady {

// Everything a placeholder may read. Pointers are not owned; `episode` is
// set only while rendering an `episode_line`.
struct RenderScope {
  const SessionState* state = nullptr;
  const SystemContent* system = nullptr;
  const std::string* episode_line = nullptr;  // the speaking node's, or null
  size_t episodes_shown = 5;
  const Episode* episode = nullptr;
  size_t episode_number = 0;  // 1-based position of `episode` in the session
};

// `text` with every placeholder replaced.
std::string RenderText(const std::string& text, const RenderScope& scope);

// One placeholder found in a text: its name and whether it has a fallback.
struct Placeholder {
  std::string name;
  bool has_fallback = false;
};
// The placeholders of `text`, in order (for the validator).
std::vector<Placeholder> FindPlaceholders(const std::string& text);

// Whether a name has a value in the session, as a node's `requires` sees
// it: "plan" (any entry in any list), "episodes" or "last_episode" (any
// episode), "plan.LIST", "last_episode.FIELD", or a slot.
bool HasValue(const std::string& name, const RenderScope& scope);

// "YYYY-MM-DD" in UTC for unix seconds; "" for 0.
std::string UtcDate(int64_t unix_seconds);

}  // namespace steady

#endif  // STEADY_CORE_RENDER_H_
