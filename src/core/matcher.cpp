#include "core/matcher.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

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
  const RE2::Options re_options = PatternOptions(options.max_mem);
  auto compiled = std::make_unique<CompiledSet>(re_options);

  auto add = [&](size_t intent_index, bool veto, const std::string& source,
                 const std::string& pattern) -> Status {
    const Intent& intent = content.intents[intent_index];
    auto re = std::make_unique<RE2>(pattern, re_options);
    if (!re->ok()) {
      return Status::Invalid("intent '" + intent.id + "': pattern \"" + source +
                             "\" does not compile: " + re->error());
    }
    std::string error;
    int index = compiled->set.Add(pattern, &error);
    if (index < 0) {
      return Status::Invalid("intent '" + intent.id + "': pattern \"" + source +
                             "\" does not compile: " + error);
    }
    // Set indices are assigned in order, so they equal entry positions.
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
      Status s = add(i, false, source, KeywordPattern(intent.keywords));
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

MatchResult Matcher::Match(std::string_view text, bool risk_context) const {
  MatchResult result;
  if (!set_) {
    result.error = true;
    return result;
  }
  std::vector<int> hits;
  RE2::Set::ErrorInfo error_info{};
  if (!set_->set.Match(re2::StringPiece(text.data(), text.size()), &hits, &error_info)) {
    if (error_info.kind != RE2::Set::kNoError) result.error = true;
    return result;
  }
  std::sort(hits.begin(), hits.end());

  // Group hits by intent: vetoed if any `unless` hit, else best span.
  struct Candidate {
    size_t intent_index;
    bool vetoed = false;
    int specificity = -1;
    const std::string* pattern = nullptr;
  };
  std::vector<Candidate> candidates;
  for (int hit : hits) {
    const Entry& entry = entries_[static_cast<size_t>(hit)];
    if (candidates.empty() || candidates.back().intent_index != entry.intent_index) {
      // Entries of one intent are contiguous, so sorted hits group by intent.
      candidates.push_back(Candidate{entry.intent_index});
    }
    Candidate& c = candidates.back();
    if (entry.veto) {
      c.vetoed = true;
      continue;
    }
    re2::StringPiece span;
    int length = 0;
    if (entry.re->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                        RE2::UNANCHORED, &span, 1)) {
      length = static_cast<int>(span.size());
    }
    if (length > c.specificity) {
      c.specificity = length;
      c.pattern = &entry.source;
    }
  }

  for (const Candidate& c : candidates) {
    const Intent& intent = content_->intents[c.intent_index];
    if (c.pattern == nullptr) {
      // Only `unless` patterns hit; nothing to veto.
      continue;
    }
    if (c.vetoed) {
      result.vetoed.push_back(intent.id);
      continue;
    }
    if (intent.after_risk_only && !risk_context) continue;
    result.matches.push_back(IntentMatch{&intent, *c.pattern, c.specificity});
  }

  std::stable_sort(result.matches.begin(), result.matches.end(),
                   [](const IntentMatch& a, const IntentMatch& b) {
                     int ra = CrisisRank(*a.intent), rb = CrisisRank(*b.intent);
                     if (ra != rb) return ra < rb;
                     if (a.intent->priority != b.intent->priority) {
                       return a.intent->priority > b.intent->priority;
                     }
                     return a.specificity > b.specificity;
                   });
  return result;
}

}  // namespace steady
