#include "core/render.h"

#include <cstdio>

namespace steady {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

bool StartsWith(const std::string& s, const char* prefix, std::string* rest) {
  const std::string p = prefix;
  if (s.compare(0, p.size(), p) != 0) return false;
  *rest = s.substr(p.size());
  return true;
}

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) {
    if (item.empty()) continue;
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string EpisodeValue(const Episode& episode, const std::string& field) {
  if (field == "date") return UtcDate(episode.when);
  auto it = episode.fields.find(field);
  return it == episode.fields.end() ? std::string() : it->second;
}

std::string RenderEpisodes(const RenderScope& scope) {
  const std::vector<Episode>& episodes = scope.state->episodes;
  if (scope.episode_line == nullptr || scope.episode_line->empty()) return "";
  const size_t first = episodes.size() > scope.episodes_shown
                           ? episodes.size() - scope.episodes_shown
                           : 0;
  std::vector<std::string> lines;
  for (size_t i = first; i < episodes.size(); ++i) {
    RenderScope inner = scope;
    inner.episode = &episodes[i];
    inner.episode_number = i + 1;
    inner.episode_line = nullptr;  // no {episodes} inside a line
    lines.push_back(RenderText(*scope.episode_line, inner));
  }
  return Join(lines, "\n");
}

// The text a placeholder name stands for; empty when there is none.
std::string Lookup(const std::string& name, const RenderScope& scope) {
  const SessionState& state = *scope.state;
  std::string rest;
  if (name == "coach") return scope.system ? scope.system->coach_name : "";
  if (name == "episodes") return RenderEpisodes(scope);
  if (StartsWith(name, "plan.", &rest)) {
    auto it = state.plan.find(rest);
    return it == state.plan.end() ? "" : Join(it->second, "; ");
  }
  if (StartsWith(name, "last_episode.", &rest)) {
    // The most recent episode that has the field: "last time, X helped"
    // still holds after a lapse whose look-back stopped early.
    if (rest == "date") return state.episodes.empty() ? "" : UtcDate(state.episodes.back().when);
    for (auto it = state.episodes.rbegin(); it != state.episodes.rend(); ++it) {
      std::string value = EpisodeValue(*it, rest);
      if (!value.empty()) return value;
    }
    return "";
  }
  if (StartsWith(name, "episode.", &rest)) {
    if (scope.episode == nullptr) return "";
    if (rest == "number") return std::to_string(scope.episode_number);
    return EpisodeValue(*scope.episode, rest);
  }
  auto slot = state.slots.find(name);
  return slot == state.slots.end() ? "" : slot->second;
}

// Parses the placeholder at text[open] == '{'. On success sets the name,
// the fallback and the index of the closing brace.
bool ParsePlaceholder(const std::string& text, size_t open, std::string* name,
                      std::string* fallback, bool* has_fallback, size_t* close) {
  size_t i = open + 1;
  while (i < text.size() && IsNameChar(text[i])) ++i;
  if (i == open + 1 || i >= text.size()) return false;
  *name = text.substr(open + 1, i - open - 1);
  if (text[i] == '}') {
    fallback->clear();
    *has_fallback = false;
    *close = i;
    return true;
  }
  if (text[i] != '|') return false;
  size_t end = text.find('}', i + 1);
  if (end == std::string::npos) return false;
  *fallback = text.substr(i + 1, end - i - 1);
  *has_fallback = true;
  *close = end;
  return true;
}

}  // namespace

std::string RenderText(const std::string& text, const RenderScope& scope) {
  // Most texts have no placeholder: copy the runs between braces whole
  // (this runs for every reply of every turn).
  size_t open = text.find('{');
  if (open == std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + 32);
  std::string name, fallback;
  size_t copied = 0;  // text[0, copied) is in `out`
  for (; open != std::string::npos; open = text.find('{', open + 1)) {
    bool has_fallback = false;
    size_t close = 0;
    if (!ParsePlaceholder(text, open, &name, &fallback, &has_fallback, &close)) continue;
    out.append(text, copied, open - copied);
    std::string value = Lookup(name, scope);
    out += value.empty() ? fallback : value;
    copied = close + 1;
    open = close;
  }
  out.append(text, copied, std::string::npos);
  return out;
}

std::vector<Placeholder> FindPlaceholders(const std::string& text) {
  std::vector<Placeholder> found;
  for (size_t i = 0; i < text.size(); ++i) {
    std::string name, fallback;
    bool has_fallback = false;
    size_t close = 0;
    if (text[i] == '{' && ParsePlaceholder(text, i, &name, &fallback, &has_fallback, &close)) {
      found.push_back(Placeholder{name, has_fallback});
      i = close;
    }
  }
  return found;
}

bool HasValue(const std::string& name, const RenderScope& scope) {
  const SessionState& state = *scope.state;
  if (name == "plan") {
    for (const auto& [list, entries] : state.plan) {
      if (!entries.empty()) return true;
    }
    return false;
  }
  if (name == "episodes" || name == "last_episode") return !state.episodes.empty();
  return !Lookup(name, scope).empty();
}

std::string UtcDate(int64_t unix_seconds) {
  if (unix_seconds <= 0) return "";
  // Howard Hinnant's civil_from_days: no clock, no time zone, no locale.
  int64_t z = unix_seconds / 86400 + 719468;
  const int64_t era = z / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return buffer;
}

}  // namespace steady
