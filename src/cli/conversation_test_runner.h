// Conversation tests: a scripted conversation and what each turn must show.
//
// The file format is specified in docs/content.md ("Conversation tests").
// A test is parsed once into a ConversationTest (every key and type checked,
// regexes compiled), then RunConversation plays it against an Engine from a
// fresh session and collects every check that did not hold. Parsing and
// running are separate so a malformed file is told apart from a failing one,
// and so both can be unit-tested without files or a command line. A
// CoverageTracker, when given, records which intents and dialog nodes the
// conversations reached (`steady test --coverage`).
#ifndef STEADY_CLI_CONVERSATION_TEST_RUNNER_H_
#define STEADY_CLI_CONVERSATION_TEST_RUNNER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace re2 {
class RE2;
}  // namespace re2

namespace steady {

class Engine;
struct Content;
struct Turn;

// The checks of one turn (or of the opening). Every check is optional; an
// empty TurnChecks asserts nothing.
struct TurnChecks {
  std::optional<std::string> intent;  // equals Turn::intent
  // Outer optional: whether crisis is checked. Inner: nullopt means "no
  // crisis" (JSON null), else a category name, validated at parse time.
  std::optional<std::optional<std::string>> crisis;
  // "flow/node" the session waits at after the turn; "" when the stack is
  // empty (JSON null is read as "").
  std::optional<std::string> node;
  std::vector<std::string> contains;      // each, ASCII case-insensitive, in the replies
  std::vector<std::string> not_contains;  // none, ASCII case-insensitive
  std::string matches;                    // RE2 source; empty: not checked
  std::shared_ptr<const re2::RE2> matches_re;  // compiled `matches`
  std::vector<std::string> quick_replies;  // each offered by some reply, exactly
  std::vector<std::string> resources;      // each resource id among Turn::resources
};

struct TestTurn {
  std::string user;  // the message sent
  TurnChecks checks;
};

struct ConversationTest {
  std::string name;
  uint64_t seed = 1;   // the session seed; docs/content.md default
  TurnChecks opening;  // checked against Engine::Start(seed)
  std::vector<TestTurn> turns;
};

// Builds a test from a parsed file. Strict on purpose: an unknown key or a
// wrong type is an error (a misspelt "contians" would otherwise check
// nothing and pass silently). `default_name` is used when "name" is absent
// (the CLI passes the file name). Returns false and sets *error to one
// sentence naming the offending key ("turns[2].intent: expected a string")
// when the document is not a valid test.
bool ParseConversationTest(const nlohmann::json& doc, const std::string& default_name,
                           ConversationTest* test, std::string* error);

// One turn (or the opening) that did not do what the test expected.
struct TurnFailure {
  int turn = 0;      // 1-based index into ConversationTest::turns; 0 is the opening
  std::string user;  // the message sent; empty for the opening
  // One sentence per failed check: "expected intent craving, got lapse.disclosure".
  std::vector<std::string> problems;
  // What the engine did on that turn, for the reader:
  // "intent lapse.disclosure, crisis none, node lapse/safety, replies \"...\"".
  std::string engine_did;
};

struct ConversationResult {
  std::string name;
  std::vector<TurnFailure> failures;  // in turn order; empty when the test passed

  bool passed() const { return failures.empty(); }
};

// Which intents and dialog nodes a set of conversations reached.
//
// An intent is reached when it decided a turn (Turn::intent). A node
// ("flow/node") is reached when a turn ends waiting at it (Turn::debug), or
// when a turn's replies hold one of its phrasings (`say` or `reprompt`),
// message for message and in order. The text match is needed because the
// engine reports only the node a turn ends at: nodes passed through on the
// way (a `next` chain, a node that ends its flow, the fallback's nodes) leave
// no other trace. In a phrasing, a `{placeholder}` matches any text, so
// captured slots (and any other rendered value) do not hide a node; a
// phrasing made only of placeholders is never matched by text. Limits: a
// node with no `say` that waits for nothing leaves no trace and stays
// unreached, and a phrasing found inside another node's longer phrasing is
// counted for both.
//
// Not thread-safe; one tracker per run. `content` must outlive the tracker.
class CoverageTracker {
 public:
  explicit CoverageTracker(const Content& content);

  // Records what `turn` reached. A refused turn (error set) reaches nothing.
  void Observe(const Turn& turn);

  // Every node of every flow as "flow/node", and every intent id, that no
  // observed turn reached; sorted.
  std::vector<std::string> UnreachedNodes() const;
  std::vector<std::string> UnreachedIntents() const;

  size_t node_count() const { return nodes_.size(); }
  size_t intent_count() const { return intents_.size(); }

 private:
  // One message of a phrasing, cut at its placeholders: "Thanks, {name}."
  // is {"Thanks, ", "."}. Matches a reply that starts with the first piece,
  // ends with the last, and holds the others in order between.
  using MessagePattern = std::vector<std::string>;
  struct Phrasing {
    std::string node;  // "flow/node"
    std::vector<MessagePattern> messages;
  };

  static bool Matches(const MessagePattern& pattern, const std::string& reply);

  std::vector<Phrasing> phrasings_;
  std::map<std::string, bool> nodes_;    // "flow/node" -> reached
  std::map<std::string, bool> intents_;  // id -> reached
};

// Plays `test` against `engine` from Engine::Start(test.seed), feeding each
// turn's state to the next, and checks every turn. Keeps going after a
// failed turn so one run shows every problem. A message the engine refuses
// (invalid UTF-8, too long) is a failure of that turn. Every turn, opening
// included, is shown to `coverage` when it is not null. Never throws.
ConversationResult RunConversation(const Engine& engine, const ConversationTest& test,
                                   CoverageTracker* coverage = nullptr);

// "turn 3 (\"I want to die\")" or "opening": how failures name a turn.
std::string DescribeTurn(const TurnFailure& failure);

}  // namespace steady

#endif  // STEADY_CLI_CONVERSATION_TEST_RUNNER_H_
