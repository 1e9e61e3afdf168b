// Matcher: which intents a normalized message matches, in one pass.
//
// Every pattern, keyword and `unless` veto of every intent is compiled once
// into a single RE2::Set, so a message is scanned once however many intents
// there are. Keywords enter the Set one per entry, `(?:^| )word(?: |$)`,
// rather than one alternation per intent: RE2 factors the common prefix of
// Set entries into a trie, so after a space the DFA tracks the few keywords
// that share the letters read so far; thousands of per-intent alternations
// would each stay live at every word start, making every DFA state huge
// (with 5,000 intents the DFA cache thrashed and a message took 1.5 ms). The few intents the Set reports are then ranked:
// crisis intents first, in order of precedence (overdose > suicide >
// harm_to_others > abuse > self_harm > check-in); then ordinary intents by
// priority, then by specificity (the length of the longest span one of the
// intent's own patterns matched, found by re-running only those patterns).
//
// Thread-safe: immutable after a successful Build().
#ifndef STEADY_CORE_MATCHER_H_
#define STEADY_CORE_MATCHER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/content.h"
#include "core/status.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace steady {

struct MatcherOptions {
  // Memory budget for the RE2::Set, in bytes. Debian's RE2 20220601 thrashes
  // its DFA cache silently at the 8 MiB default; default 256 MiB.
  int64_t max_mem = 256 << 20;
};

// One intent that matched a message.
struct IntentMatch {
  const Intent* intent = nullptr;
  std::string pattern;  // the pattern (or "keyword: x") that matched
  int specificity = 0;  // length of the longest matched span
};

struct MatchResult {
  // Every intent that matched and was not vetoed, best first (crisis
  // intents first, then by priority and specificity).
  std::vector<IntentMatch> matches;
  // Intents whose patterns matched but an `unless` vetoed them (for --debug).
  std::vector<std::string> vetoed;
  bool error = false;  // RE2 failed to match (out of memory); treat as unsafe
};

class Matcher {
 public:
  Matcher();
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Compiles every pattern of `content` (which must outlive the Matcher).
  // Keywords are expected already normalized. Fails with the intent id,
  // the pattern and RE2's error for the first bad pattern.
  Status Build(const Content& content, const MatcherOptions& options);

  // REQUIRES: Build() succeeded. `text` is normalized.
  // `risk_context`: whether the session has shown risk, enabling the
  // intents marked after_risk_only.
  MatchResult Match(std::string_view text, bool risk_context) const;

  size_t pattern_count() const { return entries_.size(); }

  // The bare RE2::Set pass that Match() starts with, and nothing else:
  // fills `hits` with the Set indices that match `text` (unsorted). For the engine benchmark, which compares a whole turn with
  // this pass. REQUIRES: Build() succeeded. Returns false when nothing
  // matched or RE2 failed.
  bool MatchSetOnly(std::string_view text, std::vector<int>* hits) const;

 private:
  struct Entry {
    size_t intent_index;
    bool veto;
    std::string source;  // as shown in debug output
    std::unique_ptr<re2::RE2> re;  // for specificity
  };
  const Content* content_ = nullptr;
  std::vector<Entry> entries_;
  // The entry of each RE2::Set index: an entry per pattern and veto, and
  // one per keyword list whose keywords each have a Set index.
  std::vector<size_t> set_entry_;
  struct CompiledSet;  // wraps RE2::Set, which cannot be forward-declared
  std::unique_ptr<CompiledSet> set_;
};

// The RE2 source of a keyword list: word-bounded alternation that also works
// around non-ASCII letters (RE2's \b is ASCII-only).
std::string KeywordPattern(const std::vector<std::string>& keywords);

}  // namespace steady

#endif  // STEADY_CORE_MATCHER_H_
