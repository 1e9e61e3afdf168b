#include "core/session_memory.h"

#include <algorithm>

#include "core/utf8.h"

namespace steady {

std::string BoundedText(const std::string& text, size_t max_chars) {
  const char* ws = " \t\r\n\f\v";
  size_t begin = text.find_first_not_of(ws);
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(ws) + 1;
  std::string_view view(text.data() + begin, end - begin);
  size_t pos = 0;
  size_t count = 0;
  while (pos < view.size() && count < max_chars) {
    DecodeUtf8(view, &pos);
    ++count;
  }
  std::string out(view.substr(0, pos));
  out.erase(out.find_last_not_of(ws) + 1);
  return out;
}

void RecordEpisode(SessionState* state, int64_t now, const EngineOptions& options) {
  Episode episode;
  episode.when = now;
  state->episodes.push_back(std::move(episode));
  if (options.max_episodes == 0) {
    state->episodes.clear();
    return;
  }
  while (state->episodes.size() > options.max_episodes) {
    state->episodes.erase(state->episodes.begin());
  }
}

void SaveValue(SessionState* state, const std::string& target, const std::string& value,
               const EngineOptions& options) {
  std::string text = BoundedText(value, options.max_saved_chars);
  // "payday." reads as "payday" in a list; the person's words stay theirs.
  while (!text.empty() && (text.back() == '.' || text.back() == ',')) text.pop_back();
  if (text.empty()) return;
  static const std::string kPlan = "plan.";
  static const std::string kEpisode = "episode.";
  if (target.compare(0, kPlan.size(), kPlan) == 0) {
    std::vector<std::string>& list = state->plan[target.substr(kPlan.size())];
    if (std::find(list.begin(), list.end(), text) != list.end()) return;
    list.push_back(text);
    while (list.size() > options.max_plan_entries) list.erase(list.begin());
    if (list.empty()) state->plan.erase(target.substr(kPlan.size()));
    return;
  }
  if (target.compare(0, kEpisode.size(), kEpisode) == 0) {
    // Fills in, never overwrites: a plan updated long after a lapse must not
    // rewrite what that lapse's own answers said.
    if (state->episodes.empty()) return;
    state->episodes.back().fields.emplace(target.substr(kEpisode.size()), text);
  }
}

}  // namespace steady
