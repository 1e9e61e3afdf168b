// SessionState as JSON. The store keeps this text between messages, so the
// field names are a storage format: change them only with a new "v".
//
//   {"v": 1, "seed": 18446744073709551615, "turn_count": 3,
//    "stack": [{"flow": "lapse", "node": "safety"}], "slots": {"what": "..."},
//    "crisis_mode": "suicide" | null, "risk_context": true, "unmatched_streak": 0,
//    "crisis_started_at": 1767225600 | null, "crisis_ended_at": null,
//    "plan": {"triggers": ["payday"]},
//    "episodes": [{"when": 1767225600, "fields": {"what": "...", "helped": "..."}}],
//    "offered_quick_replies": ["I slipped"], "opted_out": false}
//
// Fields added after the first release (the crisis times, plan, episodes,
// offered quick replies, opted_out) are optional on read, so a state stored
// before them still parses.
//
// Seeds are full 64-bit values. nlohmann/json keeps non-negative integers as
// uint64_t both when writing and when parsing, so a seed above 2^53 survives
// the round trip exactly (a double would not).
//
// Reading never throws: the text is parsed without exceptions and every field
// is type-checked before it is read, so stored data that is damaged or from
// another version becomes a Corruption status the caller can act on.

#include "core/session_state.h"

#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

namespace steady {
namespace {

using Json = nlohmann::json;

constexpr int kFormatVersion = 1;

// Reads a non-negative integer that fits in uint64_t.
bool ReadUnsigned(const Json& value, uint64_t* out) {
  if (value.is_number_unsigned()) {
    *out = value.get<uint64_t>();
    return true;
  }
  if (value.is_number_integer() && value.get<int64_t>() >= 0) {
    *out = static_cast<uint64_t>(value.get<int64_t>());
    return true;
  }
  return false;
}

Status Corrupt(const std::string& what) {
  return Status::Corruption("session state: " + what);
}

Status ParseObject(const Json& root, SessionState* out) {
  if (!root.is_object()) return Corrupt("not a JSON object");

  auto version = root.find("v");
  if (version == root.end() || !version->is_number_integer() ||
      version->get<int64_t>() != kFormatVersion) {
    return Corrupt("unsupported or missing version");
  }

  SessionState state;
  auto seed = root.find("seed");
  if (seed == root.end() || !ReadUnsigned(*seed, &state.seed)) {
    return Corrupt("\"seed\" is missing or not a non-negative integer");
  }

  // The fields below default when absent, like a fresh session's.
  if (auto it = root.find("turn_count"); it != root.end()) {
    if (!ReadUnsigned(*it, &state.turn_count)) {
      return Corrupt("\"turn_count\" is not a non-negative integer");
    }
  }

  if (auto it = root.find("stack"); it != root.end()) {
    if (!it->is_array()) return Corrupt("\"stack\" is not an array");
    for (const Json& frame : *it) {
      if (!frame.is_object()) return Corrupt("a \"stack\" frame is not an object");
      auto flow = frame.find("flow");
      auto node = frame.find("node");
      if (flow == frame.end() || !flow->is_string() || node == frame.end() ||
          !node->is_string()) {
        return Corrupt("a \"stack\" frame lacks a string \"flow\" or \"node\"");
      }
      state.stack.push_back(FlowFrame{flow->get<std::string>(), node->get<std::string>()});
    }
  }

  if (auto it = root.find("slots"); it != root.end()) {
    if (!it->is_object()) return Corrupt("\"slots\" is not an object");
    for (const auto& [name, value] : it->items()) {
      if (!value.is_string()) return Corrupt("a slot value is not a string");
      state.slots.emplace(name, value.get<std::string>());
    }
  }

  if (auto it = root.find("crisis_mode"); it != root.end() && !it->is_null()) {
    if (!it->is_string()) return Corrupt("\"crisis_mode\" is not a string or null");
    std::optional<CrisisCategory> category = ParseCrisisCategory(it->get<std::string>());
    if (!category) return Corrupt("\"crisis_mode\" names no crisis category");
    state.crisis_mode = category;
  }

  if (auto it = root.find("risk_context"); it != root.end()) {
    if (!it->is_boolean()) return Corrupt("\"risk_context\" is not a boolean");
    state.risk_context = it->get<bool>();
  }

  if (auto it = root.find("unmatched_streak"); it != root.end()) {
    if (!it->is_number_integer()) return Corrupt("\"unmatched_streak\" is not an integer");
    // An unsigned value above INT64_MAX reads back negative here and is
    // rejected with the rest below.
    const int64_t streak = it->get<int64_t>();
    if (streak < 0 || streak > std::numeric_limits<int>::max()) {
      return Corrupt("\"unmatched_streak\" is out of range");
    }
    state.unmatched_streak = static_cast<int>(streak);
  }

  for (const char* name : {"crisis_started_at", "crisis_ended_at"}) {
    auto it = root.find(name);
    if (it == root.end() || it->is_null()) continue;
    if (!it->is_number_integer()) return Corrupt(std::string("\"") + name + "\" is not an integer");
    const int64_t when = it->get<int64_t>();
    if (std::string(name) == "crisis_started_at") {
      state.crisis_started_at = when;
    } else {
      state.crisis_ended_at = when;
    }
  }

  if (auto it = root.find("plan"); it != root.end()) {
    if (!it->is_object()) return Corrupt("\"plan\" is not an object");
    for (const auto& [name, entries] : it->items()) {
      if (!entries.is_array()) return Corrupt("a \"plan\" list is not an array");
      std::vector<std::string>& list = state.plan[name];
      for (const Json& entry : entries) {
        if (!entry.is_string()) return Corrupt("a \"plan\" entry is not a string");
        list.push_back(entry.get<std::string>());
      }
    }
  }

  if (auto it = root.find("episodes"); it != root.end()) {
    if (!it->is_array()) return Corrupt("\"episodes\" is not an array");
    for (const Json& item : *it) {
      if (!item.is_object()) return Corrupt("an episode is not an object");
      Episode episode;
      if (auto when = item.find("when"); when != item.end()) {
        if (!when->is_number_integer()) return Corrupt("an episode's \"when\" is not an integer");
        episode.when = when->get<int64_t>();
      }
      if (auto fields = item.find("fields"); fields != item.end()) {
        if (!fields->is_object()) return Corrupt("an episode's \"fields\" is not an object");
        for (const auto& [name, value] : fields->items()) {
          if (!value.is_string()) return Corrupt("an episode field is not a string");
          episode.fields.emplace(name, value.get<std::string>());
        }
      }
      state.episodes.push_back(std::move(episode));
    }
  }

  if (auto it = root.find("offered_quick_replies"); it != root.end()) {
    if (!it->is_array()) return Corrupt("\"offered_quick_replies\" is not an array");
    for (const Json& label : *it) {
      if (!label.is_string()) return Corrupt("an offered quick reply is not a string");
      state.offered_quick_replies.push_back(label.get<std::string>());
    }
  }

  if (auto it = root.find("opted_out"); it != root.end()) {
    if (!it->is_boolean()) return Corrupt("\"opted_out\" is not a boolean");
    state.opted_out = it->get<bool>();
  }

  *out = std::move(state);
  return Status::Ok();
}

}  // namespace

bool SessionState::operator==(const SessionState& o) const {
  return seed == o.seed && turn_count == o.turn_count && stack == o.stack && slots == o.slots &&
         crisis_mode == o.crisis_mode && risk_context == o.risk_context &&
         unmatched_streak == o.unmatched_streak && crisis_started_at == o.crisis_started_at &&
         crisis_ended_at == o.crisis_ended_at && plan == o.plan && episodes == o.episodes &&
         offered_quick_replies == o.offered_quick_replies && opted_out == o.opted_out;
}

std::string SerializeState(const SessionState& state) {
  Json root = Json::object();
  root["v"] = kFormatVersion;
  root["seed"] = state.seed;  // stored as an unsigned 64-bit number
  root["turn_count"] = state.turn_count;
  Json stack = Json::array();
  for (const FlowFrame& frame : state.stack) {
    stack.push_back(Json{{"flow", frame.flow}, {"node", frame.node}});
  }
  root["stack"] = std::move(stack);
  Json slots = Json::object();
  for (const auto& [name, value] : state.slots) slots[name] = value;
  root["slots"] = std::move(slots);
  root["crisis_mode"] =
      state.crisis_mode ? Json(CrisisCategoryName(*state.crisis_mode)) : Json(nullptr);
  root["risk_context"] = state.risk_context;
  root["unmatched_streak"] = state.unmatched_streak;
  root["crisis_started_at"] =
      state.crisis_started_at ? Json(*state.crisis_started_at) : Json(nullptr);
  root["crisis_ended_at"] = state.crisis_ended_at ? Json(*state.crisis_ended_at) : Json(nullptr);
  Json plan = Json::object();
  for (const auto& [name, entries] : state.plan) plan[name] = entries;
  root["plan"] = std::move(plan);
  Json episodes = Json::array();
  for (const Episode& episode : state.episodes) {
    Json fields = Json::object();
    for (const auto& [name, value] : episode.fields) fields[name] = value;
    episodes.push_back(Json{{"when", episode.when}, {"fields", std::move(fields)}});
  }
  root["episodes"] = std::move(episodes);
  root["offered_quick_replies"] = state.offered_quick_replies;
  root["opted_out"] = state.opted_out;
  // Slots hold what people typed. Messages are checked for UTF-8 before they
  // get here, but dump() would throw on a bad byte; replacing it with U+FFFD
  // keeps serialization from ever failing a turn.
  return root.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Status ParseState(const std::string& json, SessionState* state) {
  // allow_exceptions = false: malformed text yields a discarded value.
  Json root = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Corrupt("not valid JSON");
  try {
    return ParseObject(root, state);
  } catch (const Json::exception&) {
    // Every read above is type-checked first; this is only a backstop so a
    // surprise in stored data is still a status, not a crash.
    return Corrupt("unexpected JSON shape");
  }
}

}  // namespace steady
