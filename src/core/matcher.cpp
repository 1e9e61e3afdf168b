#include "core/matcher.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstring>

namespace steady {

struct Matcher::CompiledSet {
  explicit CompiledSet(const RE2::Options& options) : set(options, RE2::UNANCHORED) {}
  RE2::Set set;
};

namespace {

RE2::Options PatternOptions(int64_t max_mem) {
  RE2::Options options;
  options.set_max_mem(max_mem);
  options.set_log_errors(false);  // errors are reported by Build(), not on stderr
  options.set_case_sensitive(true);  // text is normalized to lowercase already
  return options;
}

// Rank of a crisis intent among matches: categories by DESIGN.md precedence,
// then the check-in; ordinary intents after all of them.
int CrisisRank(const Intent& intent) {
  if (intent.crisis) return static_cast<int>(*intent.crisis);
  if (intent.check_in) return static_cast<int>(AllCrisisCategories().size());
  return static_cast<int>(AllCrisisCategories().size()) + 1;
}

// The Set entries for one pattern: `P(?:a|b|c)R` -> `PaR`, `PbR`, `PcR`
// when the pattern starts (after an optional ^ or \b) with a group of plain
// words that is not repeated; else the pattern itself. The union is the
// same language (concatenation binds tighter than any later top-level |).
// RE2 factors common literal prefixes of Set entries into a trie, but not
// a leading alternation, so this keeps the DFA smaller: with 5,000
// synthetic intents the benchmark's warm-up took 3.4 s instead of 6.1 s
// and 220 MB instead of 260 MB. Only the Set sees the split; the Entry
// keeps the pattern as written (for specificity and debug output).
std::vector<std::string> SetEntriesFor(const std::string& pattern) {
  constexpr size_t kMaxAlternatives = 64;
  size_t at = 0;
  if (pattern.compare(0, 1, "^") == 0) {
    at = 1;
  } else if (pattern.compare(0, 2, "\\b") == 0) {
    at = 2;
  }
  const std::string prefix = pattern.substr(0, at);
  if (pattern.compare(at, 3, "(?:") == 0) {
    at += 3;
  } else if (pattern.compare(at, 1, "(") == 0 && pattern.compare(at, 2, "(?") != 0) {
    at += 1;
  } else {
    return {pattern};
  }
  const size_t close = pattern.find(')', at);
  if (close == std::string::npos) return {pattern};
  for (size_t i = at; i < close; ++i) {
    const char c = pattern[i];
    const bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' ||
                       c == '\'' || c == '|';
    if (!plain) return {pattern};
  }
  if (close + 1 < pattern.size() && std::strchr("?*+{", pattern[close + 1]) != nullptr) {
    return {pattern};
  }
  std::vector<std::string> out;
  const std::string rest = pattern.substr(close + 1);
  size_t start = at;
  while (true) {
    const size_t bar = std::min(pattern.find('|', start), close);
    if (bar == start) return {pattern};  // an empty alternative: leave it to RE2
    out.push_back(prefix + pattern.substr(start, bar - start) + rest);
    if (bar == close) break;
    start = bar + 1;
  }
  if (out.size() > kMaxAlternatives) return {pattern};
  return out;
}

}  // namespace

std::string KeywordPattern(const std::vector<std::string>& keywords) {
  // Normalized text is tokens joined by single spaces, so a space or the
  // ends of the text are the word boundaries; this also holds around
  // non-ASCII letters, where RE2's \b would not.
  std::string alternation;
  for (const std::string& keyword : keywords) {
    if (keyword.empty()) continue;
    if (!alternation.empty()) alternation += '|';
    alternation += RE2::QuoteMeta(keyword);
  }
  return "(?:^| )(?:" + alternation + ")(?: |$)";
}

Matcher::Matcher() = default;
Matcher::~Matcher() = default;

Status Matcher::Build(const Content& content, const MatcherOptions& options) {
  content_ = &content;
  entries_.clear();
  set_entry_.clear();
  const RE2::Options re_options = PatternOptions(options.max_mem);
  auto compiled = std::make_unique<CompiledSet>(re_options);

  auto add = [&](size_t intent_index, bool veto, const std::string& source,
                 const std::string& pattern,
                 const std::vector<std::string>* keywords = nullptr) -> Status {
    const Intent& intent = content.intents[intent_index];
    auto re = std::make_unique<RE2>(pattern, re_options);
    if (!re->ok()) {
      return Status::Invalid("intent '" + intent.id + "': pattern \"" + source +
                             "\" does not compile: " + re->error());
    }
    // A keyword list goes into the Set one keyword at a time (see
    // set_entry_); everything else as it is.
    std::vector<std::string> set_patterns;
    if (keywords != nullptr) {
      // `(?:^| )k(?: |$)` as two entries, `^k(?: |$)` and ` k(?: |$)`: a
      // leading alternation is not factored by RE2, a literal or ^ is.
      for (const std::string& keyword : *keywords) {
        if (keyword.empty()) continue;
        const std::string quoted = RE2::QuoteMeta(keyword);
        set_patterns.push_back("^" + quoted + "(?: |$)");
        set_patterns.push_back(" " + quoted + "(?: |$)");
      }
    }
    if (set_patterns.empty()) set_patterns = SetEntriesFor(pattern);  // (or all-empty keywords)
    for (const std::string& set_pattern : set_patterns) {
      std::string error;
      int index = compiled->set.Add(set_pattern, &error);
      if (index < 0) {
        return Status::Invalid("intent '" + intent.id + "': pattern \"" + source +
                               "\" does not compile: " + error);
      }
      // Set indices are assigned in order, so they index set_entry_.
      set_entry_.push_back(entries_.size());
    }
    entries_.push_back(Entry{intent_index, veto, source, std::move(re)});
    return Status::Ok();
  };

  for (size_t i = 0; i < content.intents.size(); ++i) {
    const Intent& intent = content.intents[i];
    for (const std::string& p : intent.patterns) {
      Status s = add(i, false, p, p);
      if (!s.ok()) return s;
    }
    if (!intent.keywords.empty()) {
      std::string source = "keywords: ";
      for (size_t k = 0; k < intent.keywords.size(); ++k) {
        if (k) source += ", ";
        source += intent.keywords[k];
      }
      Status s = add(i, false, source, KeywordPattern(intent.keywords), &intent.keywords);
      if (!s.ok()) return s;
    }
    for (const std::string& p : intent.unless) {
      Status s = add(i, true, "unless: " + p, p);
      if (!s.ok()) return s;
    }
  }
  if (entries_.empty()) return Status::Invalid("no intent has any pattern or keyword");
  // A Set that failed to compile must never be matched against (Debian's
  // RE2 20220601 crashes), so the Matcher only keeps one that compiled.
  if (!compiled->set.Compile()) {
    return Status::Invalid("the intent patterns do not fit in " +
                           std::to_string(options.max_mem >> 20) + " MiB; raise max_mem");
  }
  set_ = std::move(compiled);
  return Status::Ok();
}

bool Matcher::MatchSetOnly(std::string_view text, std::vector<int>* hits) const {
  return set_ != nullptr && set_->set.Match(re2::StringPiece(text.data(), text.size()), hits);
}

MatchResult Matcher::Match(std::string_view text, bool risk_context) const {
  MatchResult result;
  if (!set_) {
    result.error = true;
    return result;
  }
  // Per-thread scratch: most turns would otherwise allocate both vectors.
  thread_local std::vector<int> hits;
  hits.clear();
  RE2::Set::ErrorInfo error_info{};
  if (!set_->set.Match(re2::StringPiece(text.data(), text.size()), &hits, &error_info)) {
    if (error_info.kind != RE2::Set::kNoError) result.error = true;
    return result;
  }
  // Set indices to entries, in entry order, each once (several keywords
  // of one list may hit).
  for (int& hit : hits) hit = static_cast<int>(set_entry_[static_cast<size_t>(hit)]);
  std::sort(hits.begin(), hits.end());
  hits.erase(std::unique(hits.begin(), hits.end()), hits.end());

  // Group hits by intent: vetoed if any `unless` hit, else best span.
  // Entries of one intent are contiguous, so sorted hits group by intent.
  // Spans (the one costly step: each re-runs one pattern) are measured only
  // for intents that will be reported as matches.
  struct Candidate {
    size_t intent_index;
    size_t first_hit;  // its hits are hits[first_hit, end_hit)
    size_t end_hit;
    bool vetoed = false;
    bool matched = false;  // a pattern or keyword hit, not only `unless`
  };
  thread_local std::vector<Candidate> candidates;
  candidates.clear();
  for (size_t h = 0; h < hits.size(); ++h) {
    const Entry& entry = entries_[static_cast<size_t>(hits[h])];
    if (candidates.empty() || candidates.back().intent_index != entry.intent_index) {
      candidates.push_back(Candidate{entry.intent_index, h, h});
    }
    Candidate& c = candidates.back();
    c.end_hit = h + 1;
    (entry.veto ? c.vetoed : c.matched) = true;
  }

  result.matches.reserve(candidates.size());
  for (const Candidate& c : candidates) {
    const Intent& intent = content_->intents[c.intent_index];
    if (!c.matched) continue;  // only `unless` patterns hit; nothing to veto
    if (c.vetoed) {
      result.vetoed.push_back(intent.id);
      continue;
    }
    if (intent.after_risk_only && !risk_context) continue;
    // The longest span any of its patterns matches; the first such pattern.
    int specificity = -1;
    const std::string* pattern = nullptr;
    for (size_t h = c.first_hit; h < c.end_hit; ++h) {
      const Entry& entry = entries_[static_cast<size_t>(hits[h])];
      re2::StringPiece span;
      int length = 0;
      if (entry.re->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                          RE2::UNANCHORED, &span, 1)) {
        length = static_cast<int>(span.size());
      }
      if (length > specificity) {
        specificity = length;
        pattern = &entry.source;
      }
    }
    result.matches.push_back(IntentMatch{&intent, *pattern, specificity});
  }

  // Best first, ties in entry order: a stable insertion sort, which for
  // the few matches a message has costs less than std::stable_sort's
  // temporary buffer (the order is the same: a stable order is unique).
  auto better = [](const IntentMatch& a, const IntentMatch& b) {
    int ra = CrisisRank(*a.intent), rb = CrisisRank(*b.intent);
    if (ra != rb) return ra < rb;
    if (a.intent->priority != b.intent->priority) {
      return a.intent->priority > b.intent->priority;
    }
    return a.specificity > b.specificity;
  };
  std::vector<IntentMatch>& matches = result.matches;
  for (size_t i = 1; i < matches.size(); ++i) {
    size_t j = i;
    while (j > 0 && better(matches[i], matches[j - 1])) --j;
    if (j == i) continue;
    IntentMatch moving = std::move(matches[i]);
    std::move_backward(matches.begin() + static_cast<std::ptrdiff_t>(j),
                       matches.begin() + static_cast<std::ptrdiff_t>(i),
                       matches.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    matches[j] = std::move(moving);
  }
  return result;
}

}  // namespace steady
