#include "cli/conversation_test_runner.h"

#include <exception>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "core/content.h"
#include "core/engine.h"

namespace steady {

namespace {

using nlohmann::json;

// How much of the replies a failure shows: enough to recognise the node,
// short enough that a failing suite stays readable.
constexpr size_t kMaxShownReplyBytes = 200;
// A long user message is clipped when it names a turn.
constexpr size_t kMaxShownUserBytes = 80;

const std::set<std::string>& CheckKeys() {
  static const std::set<std::string> keys = {"intent",   "crisis",        "node",
                                             "contains", "not_contains",  "matches",
                                             "quick_replies", "resources"};
  return keys;
}

bool Fail(std::string* error, const std::string& path, const std::string& what) {
  *error = path + ": " + what;
  return false;
}

bool ReadString(const json& value, const std::string& path, std::string* out,
                std::string* error) {
  if (!value.is_string()) return Fail(error, path, "expected a string");
  *out = value.get<std::string>();
  return true;
}

// A list of strings; a lone string is accepted as a list of one, since
// `"contains": "safe"` can only mean one thing.
bool ReadStringList(const json& value, const std::string& path, std::vector<std::string>* out,
                    std::string* error) {
  out->clear();
  if (value.is_string()) {
    out->push_back(value.get<std::string>());
    return true;
  }
  if (!value.is_array()) return Fail(error, path, "expected a string or an array of strings");
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) {
      return Fail(error, path + "[" + std::to_string(i) + "]", "expected a string");
    }
    out->push_back(value[i].get<std::string>());
  }
  return true;
}

// Reads one check key into *checks. REQUIRES: key is in CheckKeys().
bool ReadCheck(const std::string& key, const json& value, const std::string& path,
               TurnChecks* checks, std::string* error) {
  if (key == "intent") {
    std::string intent;
    if (!ReadString(value, path, &intent, error)) return false;
    checks->intent = intent;
  } else if (key == "crisis") {
    if (value.is_null()) {
      checks->crisis = std::optional<std::string>();
    } else {
      std::string name;
      if (!ReadString(value, path, &name, error)) return false;
      // A misspelt category would otherwise fail every run with a
      // misleading "got suicide"; say so at parse time instead.
      if (!ParseCrisisCategory(name)) {
        return Fail(error, path,
                    "unknown crisis category \"" + name +
                        "\" (suicide, self_harm, overdose, harm_to_others, abuse or null)");
      }
      checks->crisis = std::optional<std::string>(name);
    }
  } else if (key == "node") {
    std::string node;
    if (!value.is_null() && !ReadString(value, path, &node, error)) return false;
    checks->node = node;
  } else if (key == "contains") {
    return ReadStringList(value, path, &checks->contains, error);
  } else if (key == "not_contains") {
    return ReadStringList(value, path, &checks->not_contains, error);
  } else if (key == "matches") {
    if (!ReadString(value, path, &checks->matches, error)) return false;
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<RE2>(checks->matches, options);
    if (!re->ok()) return Fail(error, path, "invalid regex: " + re->error());
    checks->matches_re = std::move(re);
  } else if (key == "quick_replies") {
    return ReadStringList(value, path, &checks->quick_replies, error);
  } else if (key == "resources") {
    return ReadStringList(value, path, &checks->resources, error);
  }
  return true;
}

// Reads the opening (user == nullptr) or a turn (which must have "user").
bool ReadChecks(const json& object, const std::string& path, TurnChecks* checks,
                std::string* user, std::string* error) {
  if (!object.is_object()) return Fail(error, path, "expected an object");
  bool has_user = false;
  for (const auto& item : object.items()) {
    const std::string key_path = path + "." + item.key();
    if (user != nullptr && item.key() == "user") {
      if (!ReadString(item.value(), key_path, user, error)) return false;
      has_user = true;
    } else if (CheckKeys().count(item.key()) != 0) {
      if (!ReadCheck(item.key(), item.value(), key_path, checks, error)) return false;
    } else {
      return Fail(error, key_path, "unknown key");
    }
  }
  if (user != nullptr && !has_user) return Fail(error, path, "missing \"user\"");
  return true;
}

std::string AsciiLower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// A JSON string literal: quotes and control characters escaped, UTF-8 kept.
std::string Quote(const std::string& text) {
  return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

// Cuts `text` to at most `max` bytes without splitting a UTF-8 sequence.
std::string Clip(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

std::string ListOf(const std::vector<std::string>& items) {
  if (items.empty()) return "none";
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  return out + "]";
}

std::string JoinReplies(const Turn& turn, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < turn.replies.size(); ++i) {
    if (i > 0) out += separator;
    out += turn.replies[i].text;
  }
  return out;
}

std::string NodeOf(const Turn& turn) {
  if (turn.debug.flow.empty()) return "";
  return turn.debug.flow + "/" + turn.debug.node;
}

std::string CrisisOf(const Turn& turn) {
  return turn.crisis ? CrisisCategoryName(*turn.crisis) : "none";
}

std::string DescribeEngine(const Turn& turn) {
  std::string shown = JoinReplies(turn, " / ");
  for (char& c : shown) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  std::string out = turn.fail_safe ? "built-in crisis fallback; " : "";
  out += "intent " + (turn.intent.empty() ? std::string("(none)") : turn.intent);
  out += ", crisis " + CrisisOf(turn);
  const std::string node = NodeOf(turn);
  out += ", node " + (node.empty() ? std::string("(none)") : node);
  out += ", replies " + Quote(Clip(shown, kMaxShownReplyBytes));
  return out;
}

// "Hi {name}, welcome." -> {"Hi ", ", welcome."}: the literal text around
// each `{...}` placeholder, as the engine renders it (dialog.cpp). An
// unclosed brace is literal text.
std::vector<std::string> SplitAtPlaceholders(const std::string& text) {
  std::vector<std::string> pieces(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const size_t close = text.find('}', i + 1);
      if (close != std::string::npos) {
        pieces.emplace_back();
        i = close;
        continue;
      }
    }
    pieces.back() += text[i];
  }
  return pieces;
}

// Every check of `checks` that `turn` does not satisfy, one sentence each.
std::vector<std::string> CheckTurn(const Turn& turn, const TurnChecks& checks) {
  std::vector<std::string> problems;
  if (!turn.ok()) {
    // The other checks would all fail for the same reason; say it once.
    problems.push_back("the engine refused the message: " + turn.error_message);
    return problems;
  }
  if (checks.intent && *checks.intent != turn.intent) {
    problems.push_back("expected intent " + *checks.intent + ", got " +
                       (turn.intent.empty() ? std::string("(none)") : turn.intent));
  }
  if (checks.crisis) {
    const std::optional<std::string>& want = *checks.crisis;
    if (!want && turn.crisis) {
      problems.push_back("expected no crisis, got " + CrisisOf(turn));
    } else if (want && CrisisOf(turn) != *want) {
      problems.push_back("expected crisis " + *want + ", got " + CrisisOf(turn));
    }
  }
  if (checks.node && *checks.node != NodeOf(turn)) {
    const std::string got = NodeOf(turn);
    problems.push_back("expected node " + (checks.node->empty() ? "(none)" : *checks.node) +
                       ", got " + (got.empty() ? "(none)" : got));
  }
  const std::string joined = JoinReplies(turn, "\n");
  const std::string lowered = AsciiLower(joined);
  for (const std::string& text : checks.contains) {
    if (lowered.find(AsciiLower(text)) == std::string::npos) {
      problems.push_back("expected the replies to contain " + Quote(text));
    }
  }
  for (const std::string& text : checks.not_contains) {
    if (lowered.find(AsciiLower(text)) != std::string::npos) {
      problems.push_back("expected the replies not to contain " + Quote(text));
    }
  }
  if (checks.matches_re && !RE2::PartialMatch(joined, *checks.matches_re)) {
    problems.push_back("expected the replies to match /" + checks.matches + "/");
  }
  std::vector<std::string> offered;
  for (const Reply& reply : turn.replies) {
    offered.insert(offered.end(), reply.quick_replies.begin(), reply.quick_replies.end());
  }
  for (const std::string& wanted : checks.quick_replies) {
    bool found = false;
    for (const std::string& q : offered) found = found || q == wanted;
    if (!found) {
      std::vector<std::string> quoted;
      for (const std::string& q : offered) quoted.push_back(Quote(q));
      problems.push_back("expected quick reply " + Quote(wanted) + ", got " + ListOf(quoted));
    }
  }
  std::vector<std::string> shown_ids;
  for (const Resource* resource : turn.resources) {
    if (resource != nullptr) shown_ids.push_back(resource->id);
  }
  for (const std::string& wanted : checks.resources) {
    bool found = false;
    for (const std::string& id : shown_ids) found = found || id == wanted;
    if (!found) {
      problems.push_back("expected resource " + wanted + ", got " + ListOf(shown_ids));
    }
  }
  return problems;
}

}  // namespace

bool ParseConversationTest(const json& doc, const std::string& default_name,
                           ConversationTest* test, std::string* error) {
  *test = ConversationTest();
  test->name = default_name;
  if (!doc.is_object()) return Fail(error, "(top level)", "expected an object");
  bool has_turns = false;
  for (const auto& item : doc.items()) {
    const std::string& key = item.key();
    const json& value = item.value();
    if (key == "name") {
      if (!ReadString(value, key, &test->name, error)) return false;
    } else if (key == "seed") {
      // The parser stores every non-negative integer as unsigned.
      if (!value.is_number_unsigned()) {
        return Fail(error, key, "expected a non-negative integer");
      }
      test->seed = value.get<uint64_t>();
    } else if (key == "opening") {
      if (!ReadChecks(value, key, &test->opening, nullptr, error)) return false;
    } else if (key == "turns") {
      if (!value.is_array()) return Fail(error, key, "expected an array of turns");
      has_turns = true;
      for (size_t i = 0; i < value.size(); ++i) {
        TestTurn turn;
        const std::string path = "turns[" + std::to_string(i) + "]";
        if (!ReadChecks(value[i], path, &turn.checks, &turn.user, error)) return false;
        test->turns.push_back(std::move(turn));
      }
    } else {
      return Fail(error, key, "unknown key");
    }
  }
  if (!has_turns) return Fail(error, "(top level)", "missing \"turns\"");
  return true;
}

CoverageTracker::CoverageTracker(const Content& content) {
  for (const Intent& intent : content.intents) intents_[intent.id] = false;
  for (const Flow& flow : content.flows) {
    for (const auto& [id, node] : flow.nodes) {
      const std::string key = flow.id + "/" + id;
      nodes_[key] = false;
      for (const auto* list : {&node.say, &node.reprompt}) {
        for (const std::vector<std::string>& messages : *list) {
          Phrasing phrasing;
          phrasing.node = key;
          bool has_text = false;
          for (const std::string& message : messages) {
            phrasing.messages.push_back(SplitAtPlaceholders(message));
            for (const std::string& piece : phrasing.messages.back()) {
              has_text = has_text || !piece.empty();
            }
          }
          if (has_text) phrasings_.push_back(std::move(phrasing));
        }
      }
    }
  }
}

bool CoverageTracker::Matches(const MessagePattern& pattern, const std::string& reply) {
  if (pattern.size() == 1) return reply == pattern[0];
  const std::string& first = pattern.front();
  const std::string& last = pattern.back();
  if (reply.size() < first.size() + last.size()) return false;
  if (reply.compare(0, first.size(), first) != 0) return false;
  if (reply.compare(reply.size() - last.size(), last.size(), last) != 0) return false;
  size_t at = first.size();
  const size_t end = reply.size() - last.size();
  for (size_t i = 1; i + 1 < pattern.size(); ++i) {
    const size_t found = reply.find(pattern[i], at);
    if (found == std::string::npos || found + pattern[i].size() > end) return false;
    at = found + pattern[i].size();
  }
  return true;
}

void CoverageTracker::Observe(const Turn& turn) {
  if (!turn.ok()) return;
  auto intent = intents_.find(turn.intent);
  if (intent != intents_.end()) intent->second = true;
  auto waiting = nodes_.find(NodeOf(turn));
  if (waiting != nodes_.end()) waiting->second = true;
  const std::vector<Reply>& replies = turn.replies;
  for (const Phrasing& phrasing : phrasings_) {
    const size_t count = phrasing.messages.size();
    if (count == 0 || count > replies.size()) continue;
    for (size_t start = 0; start + count <= replies.size(); ++start) {
      bool all = true;
      for (size_t i = 0; i < count && all; ++i) {
        all = Matches(phrasing.messages[i], replies[start + i].text);
      }
      if (all) {
        nodes_[phrasing.node] = true;
        break;
      }
    }
  }
}

std::vector<std::string> CoverageTracker::UnreachedNodes() const {
  std::vector<std::string> out;
  for (const auto& [key, reached] : nodes_) {
    if (!reached) out.push_back(key);
  }
  return out;
}

std::vector<std::string> CoverageTracker::UnreachedIntents() const {
  std::vector<std::string> out;
  for (const auto& [id, reached] : intents_) {
    if (!reached) out.push_back(id);
  }
  return out;
}

ConversationResult RunConversation(const Engine& engine, const ConversationTest& test,
                                   CoverageTracker* coverage) {
  ConversationResult result;
  result.name = test.name;
  auto record = [&result](int index, const std::string& user, const Turn& turn,
                          std::vector<std::string> problems) {
    if (problems.empty()) return;
    TurnFailure failure;
    failure.turn = index;
    failure.user = user;
    failure.problems = std::move(problems);
    failure.engine_did = DescribeEngine(turn);
    result.failures.push_back(std::move(failure));
  };
  // Respond() promises not to throw, but a test runner that dies on the
  // first engine bug hides every later result; report it as a failure and
  // stop this conversation (its state is unknown from here on).
  int index = 0;
  std::string user;
  try {
    Turn turn = engine.Start(test.seed);
    if (coverage != nullptr) coverage->Observe(turn);
    record(0, "", turn, CheckTurn(turn, test.opening));
    SessionState state = turn.state;
    for (const TestTurn& step : test.turns) {
      ++index;
      user = step.user;
      turn = engine.Respond(state, step.user);
      if (coverage != nullptr) coverage->Observe(turn);
      record(index, step.user, turn, CheckTurn(turn, step.checks));
      state = turn.state;
    }
  } catch (const std::exception& e) {
    TurnFailure failure;
    failure.turn = index;
    failure.user = user;
    failure.problems.push_back(std::string("the engine threw: ") + e.what());
    failure.engine_did = "(nothing: the conversation stopped here)";
    result.failures.push_back(std::move(failure));
  }
  return result;
}

std::string DescribeTurn(const TurnFailure& failure) {
  if (failure.turn == 0) return "opening";
  return "turn " + std::to_string(failure.turn) + " (" +
         Quote(Clip(failure.user, kMaxShownUserBytes)) + ")";
}

}  // namespace steady
