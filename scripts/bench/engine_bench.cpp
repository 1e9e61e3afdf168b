// Engine benchmark: how long one message takes through normalize + crisis
// check + intent match + dialog step + render, with the shipped content and
// with 50, 200, 1,000 and 5,000 synthetic intents added; the bare RE2::Set
// pass over the same messages, for comparison; and the inputs of the peer
// benchmark (RiveScript, scripts/bench/peer/).
//
//   scripts/bench/engine [--smoke] [--markdown FILE]   # builds, runs, runs the peer
//   build/steady_bench_engine --help
//
// Targets (issue 8): flat from 50 to 5,000 intents (within 2x); a whole turn
// no more than 3 times the bare RE2::Set pass; at least 100 times
// RiveScript's messages per second.
//
// Method. A fixed list of 10,000 messages (500 with --smoke) is generated
// from templates (lapse, craving, shame, greetings, questions, crisis,
// idioms, answers, filler words; 5-300 characters) with a fixed-seed
// std::mt19937_64, so every run and every configuration sees the same
// messages. They are fed through Engine::Respond as a walk of sessions:
// each session starts with Engine::Start and is replaced by a new one every
// 20 turns, so the flow stack, crisis mode and slots look like real
// conversations. Every message is timed on its own with
// std::chrono::steady_clock (the clock's own cost, printed, is a few tens of
// nanoseconds and is included). One untimed pass warms caches and RE2's
// lazily built DFA; then each configuration runs three timed passes (one
// with --smoke) and the table shows the median of the medians (and of the
// p99s, and of the throughputs). The bare pass times only
// Matcher::MatchSetOnly (the engine's own RE2::Set, `set.Match(text,
// &hits)`) over the messages normalized beforehand, alternating with the
// turn passes.
//
// It prints; it never fails on slowness. Exit 2 when the content does not
// load, the engine cannot be built or a file cannot be written.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(label)
#endif

#include "core/content.h"
#include "core/content_loader.h"
#include "core/engine.h"
#include "core/session_state.h"

namespace {

using steady::Content;
using steady::Engine;
using steady::Flow;
using steady::Intent;
using steady::Node;
using steady::SessionState;
using steady::Turn;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kMessageSeed = 0x5eed'57ea'd1e5'0001ULL;
constexpr uint64_t kSyntheticSeed = 0x5eed'57ea'd1e5'0002ULL;
constexpr size_t kMessageCount = 10000;
constexpr size_t kMinLength = 5;
constexpr size_t kMaxLength = 300;
constexpr int kTurnsPerSession = 20;
constexpr size_t kSmokeMessageCount = 500;
constexpr int kTimedPasses = 3;

// ---------------------------------------------------------------------------
// Deterministic message generation.

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  // Uniform in [0, n).
  size_t Below(size_t n) { return static_cast<size_t>(gen_() % n); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(gen_) < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Below(v.size())]; }

 private:
  std::mt19937_64 gen_;
};

// Message openings by theme. "{n}", "{when}", "{drug}", "{place}", "{who}"
// are filled in; apostrophes are sometimes made curly or dropped below.
const std::vector<std::string> kGreetings = {
    "hi", "hello", "hey", "hey there", "hi steady", "good morning", "good evening",
    "hello? is anyone there", "yo", "hi, I'm new here", "hey, can we talk",
};
const std::vector<std::string> kLapse = {
    "I used {when}", "I drank {when}", "I slipped {when}", "I relapsed {when}",
    "I used {drug} {when} after {n} days clean", "I drank again {when}, {n} days down the drain",
    "I slipped up at {place} {when}", "I picked up again {when}",
    "I went back to {drug} {when}", "relapsed {when}. I don't know what happened",
    "I had a few drinks at {place} {when}", "I'm high right now", "I'm drunk right now",
    "i'm using right now and I can't stop",
};
const std::vector<std::string> kCraving = {
    "I really want to use", "the cravings are so bad tonight", "I want to drink so bad",
    "I keep thinking about {drug}", "I'm craving {drug} right now",
    "my {who} offered me some and I really want it", "i'm about to go buy {drug}",
    "urges are through the roof after work",
};
const std::vector<std::string> kShame = {
    "I feel worthless", "I'm such a failure", "I hate myself for this",
    "I already blew it, might as well keep going", "what's the point of stopping now",
    "everyone is going to find out and hate me", "I let my {who} down again",
    "I'm a disappointment", "I'm so ashamed",
};
const std::vector<std::string> kQuestions = {
    "does relapsing mean I failed?", "what's the difference between a lapse and a relapse",
    "is a slip the same as a relapse", "can you help me make a plan",
    "I want to figure out what happened", "I need someone to talk to",
    "how do I find a coach", "can we go over my relapse prevention plan",
    "what should I do now", "how do I tell my {who}",
};
const std::vector<std::string> kCrisis = {
    "i want to kill myself", "kms", "I took too many pills", "I think I'm overdosing",
    "I want to die", "I'm going to hurt my {who}", "my {who} hits me and I'm scared to go home",
    "I cut myself again", "I can't do this anymore", "I don't see the point anymore",
    "i'm thinking about ending it", "my friend isn't breathing after using",
    "how many pills would it take", "I'm suicidal",
};
const std::vector<std::string> kIdioms = {
    "this craving is killing me", "I could kill for a coffee", "I used to drink a lot",
    "I'm dying to see my kids", "I'm not suicidal, just tired", "work is killing me",
    "I nearly died laughing at my {who}", "I used to be a mess but not anymore",
    "I'm dead tired", "that movie was overdone",
};
const std::vector<std::string> kAnswers = {
    "yes", "no", "yeah", "nope", "yes I'm safe", "I'm safe now", "not really",
    "ok", "thanks", "thank you so much", "bye", "maybe", "I don't know", "sure",
    "I was at {place} with my {who} and it just happened",
};
const std::vector<std::string> kWhen = {
    "last night", "yesterday", "this morning", "again", "an hour ago", "tonight",
    "on saturday", "after work", "",
};
const std::vector<std::string> kDrugs = {
    "meth", "heroin", "weed", "pills", "alcohol", "coke", "fentanyl", "beer", "vodka",
};
const std::vector<std::string> kPlaces = {
    "a party", "my cousin's place", "the bar", "work", "home", "a friend's house",
};
const std::vector<std::string> kWho = {
    "mom", "dad", "wife", "husband", "partner", "kids", "sponsor", "boss", "roommate",
};
// Filler: everyday words, so long messages look like people writing.
const std::vector<std::string> kFiller = {
    "and", "then", "so", "really", "just", "like", "honestly", "anyway", "the", "a",
    "my", "day", "was", "long", "week", "tired", "work", "kids", "money", "rent",
    "feel", "think", "know", "maybe", "because", "after", "before", "sleep", "again",
    "phone", "car", "bus", "dinner", "weather", "meeting", "group", "therapist",
    "idk", "lol", "ugh", "sooo", "tbh", "rn", "gonna", "wanna", "didn't", "can't",
    "wasn't", "everything", "nothing", "somehow", "it", "is", "what", "it", "is",
};

struct Theme {
  const std::vector<std::string>* templates;
  double weight;
};

std::string Fill(std::string text, Rng& rng) {
  auto replace = [&](const std::string& key, const std::vector<std::string>& choices) {
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key)) {
      text.replace(at, key.size(), rng.Pick(choices));
    }
  };
  replace("{when}", kWhen);
  replace("{drug}", kDrugs);
  replace("{place}", kPlaces);
  replace("{who}", kWho);
  for (size_t at = text.find("{n}"); at != std::string::npos; at = text.find("{n}")) {
    text.replace(at, 3, std::to_string(2 + rng.Below(400)));
  }
  // Collapse the double space an empty {when} leaves.
  for (size_t at = text.find("  "); at != std::string::npos; at = text.find("  ")) {
    text.erase(at, 1);
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// Typing variations the normalizer has to undo.
std::string Vary(std::string text, Rng& rng) {
  if (rng.Chance(0.15)) {  // curly apostrophes (3 bytes each in UTF-8)
    std::string out;
    for (char c : text) out += (c == '\'') ? std::string("\xE2\x80\x99") : std::string(1, c);
    text = std::move(out);
  } else if (rng.Chance(0.15)) {  // apostrophes dropped
    text.erase(std::remove(text.begin(), text.end(), '\''), text.end());
  }
  if (rng.Chance(0.1)) {  // SHOUTING
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  } else if (rng.Chance(0.3) && !text.empty()) {  // Sentence case
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  }
  if (rng.Chance(0.1)) {  // a stretched vowel: "sooooo"
    size_t at = text.find_first_of("aeiou");
    if (at != std::string::npos) text.insert(at, 2 + rng.Below(4), text[at]);
  }
  static const std::vector<std::string> kEndings = {"", "", "", ".", "!", "?", "...", " :(", "!!"};
  text += rng.Pick(kEndings);
  return text;
}

// Cuts at the last space at or before `max` bytes, so no UTF-8 sequence is
// split.
void TruncateAtWord(std::string* text, size_t max) {
  if (text->size() <= max) return;
  size_t cut = text->rfind(' ', max);
  text->resize(cut == std::string::npos || cut == 0 ? max : cut);
}

std::vector<std::string> GenerateMessages(size_t count) {
  Rng rng(kMessageSeed);
  const std::vector<Theme> themes = {
      {&kGreetings, 0.08}, {&kLapse, 0.20}, {&kCraving, 0.14}, {&kShame, 0.12},
      {&kQuestions, 0.12}, {&kCrisis, 0.05}, {&kIdioms, 0.08}, {&kAnswers, 0.16},
      {nullptr, 0.05},  // filler only: matches nothing
  };
  std::vector<double> weights;
  for (const Theme& t : themes) weights.push_back(t.weight);
  std::discrete_distribution<size_t> pick_theme(weights.begin(), weights.end());
  std::mt19937_64 theme_gen(kMessageSeed ^ 0x9e3779b97f4a7c15ULL);

  std::vector<std::string> messages;
  messages.reserve(count);
  while (messages.size() < count) {
    // Target length: mostly short, as chat is, with a long tail.
    size_t target;
    double r = std::uniform_real_distribution<double>(0, 1)(theme_gen);
    if (r < 0.5) {
      target = kMinLength + rng.Below(36);  // 5-40
    } else if (r < 0.85) {
      target = 40 + rng.Below(100);  // 40-139
    } else {
      target = 140 + rng.Below(kMaxLength - 140 + 1);  // 140-300
    }

    const Theme& theme = themes[pick_theme(theme_gen)];
    std::string text;
    if (theme.templates != nullptr) text = Vary(Fill(rng.Pick(*theme.templates), rng), rng);
    // Pad with filler words, and now and then a second sentence from
    // another theme, until the target length.
    while (text.size() < target) {
      if (!text.empty() && rng.Chance(0.08)) {
        const Theme& other = themes[pick_theme(theme_gen)];
        if (other.templates != nullptr) {
          text += ". " + Fill(rng.Pick(*other.templates), rng);
          continue;
        }
      }
      if (!text.empty()) text += ' ';
      text += rng.Pick(kFiller);
    }
    TruncateAtWord(&text, kMaxLength);
    while (text.size() < kMinLength) text += " ok";
    messages.push_back(std::move(text));
  }
  return messages;
}

// ---------------------------------------------------------------------------
// Synthetic intents: ordinary intents over pseudo-words, each triggering a
// one-node flow, so the content stays consistent.

std::string PseudoWord(Rng& rng) {
  static const std::vector<std::string> kOnsets = {"z", "q", "v", "x", "k", "bl", "gr", "th",
                                                    "pr", "st", "fl", "dr", "m", "n", "j"};
  static const std::vector<std::string> kNuclei = {"o", "a", "e", "i", "u", "oo", "ai", "ue"};
  static const std::vector<std::string> kCodas = {"rb", "lat", "x", "q", "nk", "zz", "v",
                                                  "th", "rp", "lm", "ck", "sk"};
  std::string w;
  size_t syllables = 2 + rng.Below(2);
  for (size_t i = 0; i < syllables; ++i) {
    w += rng.Pick(kOnsets) + rng.Pick(kNuclei);
    if (i + 1 == syllables || rng.Chance(0.4)) w += rng.Pick(kCodas);
  }
  return w;
}

// The lowercase words of the messages.
std::set<std::string> WordsOf(const std::vector<std::string>& messages) {
  std::set<std::string> words;
  for (const std::string& m : messages) {
    std::string w;
    for (char c : m + " ") {
      if (std::isalpha(static_cast<unsigned char>(c))) {
        w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (!w.empty()) {
        words.insert(w);
        w.clear();
      }
    }
  }
  return words;
}

// `count` pseudo-words, all different and none a word the messages use, so
// synthetic intents add scanning work but (almost) never win a message.
std::vector<std::string> PseudoVocabulary(size_t count, std::set<std::string> taken, Rng& rng) {
  std::vector<std::string> words;
  while (words.size() < count) {
    std::string w = PseudoWord(rng);
    if (taken.insert(w).second) words.push_back(w);
  }
  return words;
}

struct SyntheticIntent {
  Intent intent;
  Flow flow;
};

// `n` synthetic intents and their flows, from a fixed seed.
std::vector<SyntheticIntent> SyntheticIntents(size_t n, const std::set<std::string>& avoid) {
  Rng rng(kSyntheticSeed);
  std::vector<std::string> vocab = PseudoVocabulary(4 * n + 16, avoid, rng);
  auto word = [&] { return rng.Pick(vocab); };
  std::vector<SyntheticIntent> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    SyntheticIntent s;
    Intent& intent = s.intent;
    intent.id = "bench.synthetic_" + std::to_string(i);
    intent.priority = static_cast<int>(rng.Below(40));
    intent.source.file = "(benchmark, synthetic)";
    const size_t pattern_count = 2 + rng.Below(2);
    for (size_t p = 0; p < pattern_count; ++p) {
      switch (rng.Below(4)) {
        case 0:
          intent.patterns.push_back("\\b" + word() + " (?:" + word() + "|" + word() +
                                    ") [a-z]+\\b");
          break;
        case 1:
          intent.patterns.push_back("\\b(?:i|we) " + word() + "(?:ed|ing)? (?:my|the|a) " +
                                    word() + "\\b");
          break;
        case 2:
          intent.patterns.push_back("\\b" + word() + "(?: [a-z]+){0,3} " + word() + "\\b");
          break;
        default:
          intent.patterns.push_back("^(?:" + word() + "|" + word() + ")\\b");
          break;
      }
    }
    const size_t keyword_count = 1 + rng.Below(3);
    for (size_t k = 0; k < keyword_count; ++k) {
      intent.keywords.push_back(rng.Chance(0.3) ? word() + " " + word() : word());
    }
    if (rng.Chance(0.2)) intent.unless.push_back("\\bnot " + word() + "\\b");

    Flow& flow = s.flow;
    flow.id = "bench.synthetic_" + std::to_string(i);
    flow.triggers = {intent.id};
    flow.start = "only";
    flow.source.file = intent.source.file;
    Node node;
    node.id = "only";
    node.say = {{"Synthetic reply " + std::to_string(i) + "."}};
    flow.nodes.emplace(node.id, std::move(node));
    out.push_back(std::move(s));
  }
  return out;
}

// Regexes in the engine's RE2::Set: patterns, one keyword alternation per
// intent that has keywords, and the `unless` vetoes (as Matcher::Build
// adds them).
size_t PatternCount(const Content& content) {
  size_t n = 0;
  for (const Intent& intent : content.intents) {
    n += intent.patterns.size() + (intent.keywords.empty() ? 0 : 1) + intent.unless.size();
  }
  return n;
}

// ---------------------------------------------------------------------------
// The peer: a RiveScript document equivalent to the loaded intents.
//
// RiveScript (rivescript.com; the `rivescript` npm package) matches a whole
// message, lowercased and stripped of everything but letters, digits and
// spaces, against "triggers" tried in a sorted order; the first that matches
// answers. A trigger is words plus a few operators: `*` (one or more words),
// `[*]` (optional words), `(a|b)` (alternatives, passed through to a JS
// regexp, so they may nest), `[a|b]` (optional alternatives, flat only),
// `#` (a number), `_` (a word), and `{weight=N}` (higher is tried first).
// RiveScript has no substitutions step of our kind but has `! sub`, which
// it applies before matching, so our lexicon (contractions and slang) is
// given to it as `! sub` lines: it does the same normalizing work we do.
//
// Mapping, per intent, with the same reply text (the first phrasing of the
// first node of the flow the intent starts; "fallback" gets the fallback
// flow's first text; `+ *` catches the rest):
//   - keywords: one trigger `[*] (k1|k2|...) [*]`;
//   - each regex pattern becomes triggers (see RegexToTriggers): words and
//     spaces as they are; `(?:a|b)` -> `(a|b)`; an optional group of plain
//     words -> `[a|b]`; any other optional part (a nested optional group,
//     an optional letter as in `drinks?`) -> the trigger is written out
//     once with and once without it (at most kMaxVariants = 4 triggers
//     per pattern, after which the optional part is kept as required,
//     which is stricter); `\d+` -> `#`; `\w+`, `[a-z]+` -> `_`; `.*`, `.+` and a
//     repeated group (`(?: a| b)*`) -> `[*]` or `*` (looser: any words);
//     a repeated letter (`hi+`, `hel+o+`) -> the letter once (stricter:
//     "hiii" is not matched; our normalizer folds it, RiveScript does not);
//     `\b` and punctuation dropped (RiveScript strips punctuation from the
//     message too); a pattern not anchored with ^ / $ gets `[*]` at that end;
//   - crisis intents get the highest weights (in our precedence order),
//     ordinary intents `{weight=100+priority}`, so RiveScript tries them in
//     our order; within one weight RiveScript's own sort (more words first)
//     decides, where we rank by the longest matched span;
//   - not mapped: `unless` vetoes (RiveScript has no veto, so an idiom
//     like "this craving is killing me" may reach a crisis trigger), the
//     after_risk_only flag, dialog state (flows, expected answers, slots)
//     and crisis mode. So the peer does less work per message than the
//     engine: one ordered scan of triggers, no dialog step.
// The agreement line of the report says how often the two gave the same
// reply text for a message in a fresh session; it is printed to show the
// mapping is close, not to gate anything.

// At most this many triggers per pattern: enough for an optional letter
// or two, without making RiveScript scan many more triggers than we have
// patterns (which would flatter the ratio).
constexpr size_t kMaxVariants = 4;

// A tiny parser for the RE2 subset our content uses, producing RiveScript
// trigger variants.
class RegexToTriggers {
 public:
  explicit RegexToTriggers(const std::string& re) : re_(re) {}

  std::vector<std::string> Convert() {
    bool anchored_start = false, anchored_end = false;
    if (!re_.empty() && re_[0] == '^') {
      anchored_start = true;
      pos_ = 1;
    }
    std::vector<std::string> body = ParseAlternation(/*top=*/true, &anchored_end);
    std::vector<std::string> out;
    for (std::string& b : body) {
      std::string t = (anchored_start ? "" : "[*] ") + b + (anchored_end ? "" : " [*]");
      t = Tidy(t);
      if (!t.empty()) out.push_back(t);
    }
    return out;
  }

 private:
  using Variants = std::vector<std::string>;

  static Variants Product(const Variants& a, const Variants& b) {
    if (a.size() * b.size() > kMaxVariants) {
      // Too many: keep the first of b (its "present" form), stricter.
      Variants out;
      for (const std::string& x : a) out.push_back(x + b.front());
      return out;
    }
    Variants out;
    for (const std::string& x : a) {
      for (const std::string& y : b) out.push_back(x + y);
    }
    return out;
  }

  static bool Plain(const std::string& s) {
    return s.find_first_of("()[]*#_") == std::string::npos;
  }

  // alternation := sequence ('|' sequence)*
  Variants ParseAlternation(bool top, bool* anchored_end) {
    std::vector<Variants> alternatives;
    alternatives.push_back(ParseSequence(top, anchored_end));
    while (pos_ < re_.size() && re_[pos_] == '|') {
      ++pos_;
      alternatives.push_back(ParseSequence(top, anchored_end));
    }
    if (alternatives.size() == 1) return alternatives[0];
    // One variant each: a RiveScript alternation (it nests, being a JS group).
    bool single = true;
    for (const Variants& v : alternatives) single = single && v.size() == 1 && !v[0].empty();
    if (single) {
      std::string joined = "(";
      for (size_t i = 0; i < alternatives.size(); ++i) {
        if (i) joined += '|';
        joined += Tidy(alternatives[i][0]);
      }
      return {joined + ")"};
    }
    Variants out;
    for (const Variants& v : alternatives) {
      for (const std::string& s : v) {
        if (out.size() < kMaxVariants) out.push_back(s);
      }
    }
    return out;
  }

  Variants ParseSequence(bool top, bool* anchored_end) {
    Variants acc = {""};
    while (pos_ < re_.size() && re_[pos_] != '|' && re_[pos_] != ')') {
      char c = re_[pos_];
      if (c == '$') {
        ++pos_;
        if (top && pos_ == re_.size()) *anchored_end = true;
        continue;
      }
      if (c == '^') {  // inside a group: dropped (looser)
        ++pos_;
        continue;
      }
      // An atom and its quantifier.
      Variants atom;
      bool wildcard = false;  // the atom stands for "any word(s)"
      bool group_opens_with_space = false;
      std::string wild_one = "*", wild_word = "_";
      if (c == '(') {
        ++pos_;
        if (re_.compare(pos_, 2, "?:") == 0) pos_ += 2;
        group_opens_with_space = pos_ < re_.size() && re_[pos_] == ' ';
        bool unused = false;
        atom = ParseAlternation(false, &unused);
        if (pos_ < re_.size() && re_[pos_] == ')') ++pos_;
      } else if (c == '\\' && pos_ + 1 < re_.size()) {
        char e = re_[pos_ + 1];
        pos_ += 2;
        if (e == 'b' || e == 'B') continue;
        if (e == 'd') {
          wildcard = true;
          wild_word = "#";
        } else if (e == 's') {
          atom = {" "};
        } else if (e == 'w' || e == 'S' || e == 'W' || e == 'D') {
          wildcard = true;
        } else {
          atom = {std::string(1, e)};  // an escaped literal
        }
      } else if (c == '[') {  // a character class: some letter(s)
        size_t end = re_.find(']', pos_ + 2);
        pos_ = end == std::string::npos ? re_.size() : end + 1;
        wildcard = true;
      } else if (c == '.') {
        ++pos_;
        wildcard = true;
      } else {
        ++pos_;
        atom = {std::string(1, c)};
      }
      // Quantifier.
      char q = 0;
      if (pos_ < re_.size() && (re_[pos_] == '?' || re_[pos_] == '*' || re_[pos_] == '+')) {
        q = re_[pos_++];
      } else if (pos_ < re_.size() && re_[pos_] == '{') {
        size_t end = re_.find('}', pos_);
        std::string range = re_.substr(pos_ + 1, end - pos_ - 1);
        pos_ = end + 1;
        q = (range.rfind("0", 0) == 0) ? '*' : '+';
        if (range == "0,1") q = '?';
      }
      if (pos_ < re_.size() && re_[pos_] == '?' && q != 0) ++pos_;  // lazy: same set

      if (wildcard) {
        // A run of letters or digits: a word, a number, or any words.
        if (q == '*' || q == '?') {
          acc = Product(acc, {" [*] "});
        } else if (wild_word == "#") {
          acc = Product(acc, {"#"});
        } else if (q == '+') {
          acc = Product(acc, {c == '.' ? wild_one : wild_word});
        } else {
          acc = Product(acc, {wild_word});
        }
        continue;
      }
      if (q == 0) {
        acc = Product(acc, atom);
      } else if (q == '+') {
        acc = Product(acc, atom.size() == 1 && atom[0].size() == 1 ? atom : Variants{" * "});
      } else if (q == '*') {
        acc = Product(acc, atom.size() == 1 && atom[0].size() == 1 ? Variants{""}
                                                                    : Variants{" [*] "});
      } else {  // '?': optional
        bool flat = atom.size() == 1 && atom[0].size() > 2 && atom[0].front() == '(' &&
                    Plain(atom[0].substr(1, atom[0].size() - 2));
        std::string inner = flat ? atom[0].substr(1, atom[0].size() - 2) : "";
        // A RiveScript optional is whole words: it needs a word boundary
        // before it (a space in the pattern before or inside the group).
        bool spaced = acc.front().empty() || acc.front().back() == ' ' ||
                      group_opens_with_space;
        if (flat && spaced) {
          acc = Product(acc, {" [" + TidyAlternatives(inner) + "] "});
        } else {
          Variants with_without = atom;
          with_without.push_back("");
          acc = Product(acc, with_without);
        }
      }
    }
    return acc;
  }

  // "a |b c" -> "a|b c": no spaces next to the pipes of an optional.
  static std::string TidyAlternatives(const std::string& s) {
    std::string out;
    size_t start = 0;
    while (true) {
      size_t bar = s.find('|', start);
      std::string part = Tidy(s.substr(start, bar == std::string::npos ? bar : bar - start));
      if (!part.empty()) {
        if (!out.empty()) out += '|';
        out += part;
      }
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    return out;
  }

 public:
  // Only what a RiveScript trigger may hold, single spaces, no spaces just
  // inside brackets.
  static std::string Tidy(const std::string& in) {
    std::string s;
    for (char c : in) {
      unsigned char u = static_cast<unsigned char>(c);
      if (std::islower(u) || std::isdigit(u) || std::strchr("()[]|*#_ ", c) != nullptr) {
        s += c;
      } else if (std::isupper(u)) {
        s += static_cast<char>(std::tolower(u));
      } else {
        s += ' ';  // punctuation: RiveScript strips it from messages
      }
    }
    std::string out;
    for (char c : s) {
      if (c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '(' ||
                       out.back() == '[' || out.back() == '|')) {
        continue;
      }
      if ((c == ')' || c == ']' || c == '|') && !out.empty() && out.back() == ' ') out.pop_back();
      out += c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    // Empty alternatives and doubled optional wildcards confuse RiveScript.
    for (const std::string bad : {"()", "[]", "(|", "|)", "[|", "|]", "||"}) {
      const bool empty_group = bad == "()" || bad == "[]";
      for (size_t at = out.find(bad); at != std::string::npos; at = out.find(bad)) {
        if (empty_group) {
          out.erase(at, 2);
        } else {
          out.erase(bad[0] == '|' ? at : at + 1, 1);  // the pipe
        }
      }
    }
    for (size_t at = out.find("[*] [*]"); at != std::string::npos; at = out.find("[*] [*]")) {
      out.erase(at, 4);
    }
    return out;
  }

 private:
  const std::string& re_;
  size_t pos_ = 0;
};

// The reply text RiveScript gives for an intent: the first phrasing of the
// start node of the first flow it triggers; "" when no flow starts on it.
std::string ReplyTextFor(const Content& content, const std::string& intent_id) {
  auto first_text = [](const Flow& flow) -> std::string {
    auto node = flow.nodes.find(flow.start);
    if (node == flow.nodes.end() || node->second.say.empty()) return "";
    std::string text;
    for (const std::string& part : node->second.say.front()) text += (text.empty() ? "" : " ") + part;
    return text;
  };
  if (intent_id == "fallback") {
    for (const Flow& flow : content.flows) {
      if (flow.id == content.system.fallback_flow) return first_text(flow);
    }
    return "";
  }
  for (const Flow& flow : content.flows) {
    for (const std::string& t : flow.triggers) {
      if (t == intent_id) return first_text(flow);
    }
  }
  return "";
}

// One line of a RiveScript reply: no newlines, no tag characters.
std::string RiveReplyLine(std::string text, const std::string& intent_id) {
  if (text.empty()) text = "[" + intent_id + "]";
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
    if (c == '{' || c == '<') c = '(';
    if (c == '}' || c == '>') c = ')';
  }
  return text;
}

// The RiveScript document for `content` (as the engine prepared it, with
// keywords normalized). `lexicon` gives the `! sub` lines.
std::string RiveScriptFor(const Content& content, size_t* trigger_count) {
  std::string out =
      "// Generated by scripts/bench/engine_bench.cpp from Steady's intents; see the\n"
      "// mapping there. Do not edit; do not commit.\n! version = 2.0\n\n";
  auto clean_sub = [](const std::string& s) {
    std::string t;
    for (char c : s) {
      if (c != '\n' && c != '=') t += c;
    }
    return RegexToTriggers::Tidy(t);
  };
  for (const auto& [from, to] : content.lexicon.contractions) {
    out += "! sub " + from + " = " + clean_sub(to) + "\n";
  }
  for (const auto& [from, to] : content.lexicon.substitutions) {
    out += "! sub " + from + " = " + clean_sub(to) + "\n";
  }
  out += "\n";
  size_t triggers = 0;
  std::set<std::string> seen;
  for (const Intent& intent : content.intents) {
    int weight;
    if (intent.crisis) {
      weight = 10000 - 10 * static_cast<int>(*intent.crisis);
    } else if (intent.check_in) {
      weight = 9000;
    } else {
      weight = std::max(1, 100 + intent.priority);
    }
    const std::string reply = RiveReplyLine(ReplyTextFor(content, intent.id), intent.id);
    std::vector<std::string> intent_triggers;
    for (const std::string& p : intent.patterns) {
      for (std::string& t : RegexToTriggers(p).Convert()) intent_triggers.push_back(std::move(t));
    }
    if (!intent.keywords.empty()) {
      std::string alternation;
      for (const std::string& k : intent.keywords) {
        std::string word = RegexToTriggers::Tidy(k);
        if (word.empty() || word.find_first_of("()[]|*#_") != std::string::npos) continue;
        alternation += (alternation.empty() ? "" : "|") + word;
      }
      if (!alternation.empty()) intent_triggers.push_back("[*] (" + alternation + ") [*]");
    }
    out += "// " + intent.id + "\n";
    for (const std::string& t : intent_triggers) {
      // RiveScript keeps one reply set per trigger text: the first intent
      // to claim a trigger keeps it.
      if (t.empty() || t == "*" || t == "[*]" || !seen.insert(t).second) continue;
      out += "+ " + t + " {weight=" + std::to_string(weight) + "}\n- " + reply + "\n\n";
      ++triggers;
    }
  }
  out += "+ *\n- " + RiveReplyLine(ReplyTextFor(content, "fallback"), "fallback") + "\n";
  *trigger_count = triggers;
  return out;
}

// ---------------------------------------------------------------------------
// Timing.

struct Stats {
  double median_us = 0;
  double p99_us = 0;
  double msgs_per_s = 0;
};

struct PassResult {
  Stats turn;
  // Turn mix, to see that the walk exercises what it should.
  size_t crisis = 0, fallback = 0, fail_safe = 0, refused = 0;
};

double Percentile(std::vector<int64_t>* ns, double q) {
  if (ns->empty()) return 0;
  size_t rank = static_cast<size_t>(q * static_cast<double>(ns->size()));
  if (rank >= ns->size()) rank = ns->size() - 1;
  std::nth_element(ns->begin(), ns->begin() + static_cast<ptrdiff_t>(rank), ns->end());
  return static_cast<double>((*ns)[rank]) / 1000.0;
}

Stats Summarize(std::vector<int64_t>* ns) {
  Stats s;
  int64_t total = 0;
  for (int64_t d : *ns) total += d;
  s.msgs_per_s = total > 0 ? 1e9 * static_cast<double>(ns->size()) / static_cast<double>(total) : 0;
  s.median_us = Percentile(ns, 0.50);
  s.p99_us = Percentile(ns, 0.99);
  return s;
}

// Sessions are seeded from their index, so every pass walks the same
// conversations.
SessionState NewSession(const Engine& engine, uint64_t session_index) {
  return engine.Start(0x5e55'1011ULL + session_index).state;
}

PassResult RunPass(const Engine& engine, const std::vector<std::string>& messages) {
  std::vector<int64_t> ns;
  ns.reserve(messages.size());
  PassResult result;
  uint64_t session_index = 0;
  SessionState state = NewSession(engine, session_index);
  int turns = 0;
  for (const std::string& message : messages) {
    if (turns == kTurnsPerSession) {
      state = NewSession(engine, ++session_index);  // not timed
      turns = 0;
    }
    // Timed: the turn, taking its state, and destroying the rest of it,
    // which is what a caller pays per message.
    const Clock::time_point start = Clock::now();
    {
      Turn turn = engine.Respond(state, message);
      if (!turn.ok()) {
        ++result.refused;
      } else {
        if (turn.crisis) ++result.crisis;
        if (turn.fail_safe) ++result.fail_safe;
        if (turn.intent == "fallback") ++result.fallback;
        state = std::move(turn.state);
      }
    }
    const Clock::time_point end = Clock::now();
    ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
    ++turns;
  }
  result.turn = Summarize(&ns);
  return result;
}

// The bare RE2::Set pass over the normalized messages: the engine's own
// Set, `set.Match(text, &hits)` and nothing else, timed the same way.
Stats RunSetPass(const Engine& engine, const std::vector<std::string>& normalized,
                 size_t* matched) {
  std::vector<int64_t> ns;
  ns.reserve(normalized.size());
  std::vector<int> hits;
  *matched = 0;
  for (const std::string& text : normalized) {
    const Clock::time_point start = Clock::now();
    const bool any = engine.matcher().MatchSetOnly(text, &hits);
    const Clock::time_point end = Clock::now();
    if (any) ++*matched;
    ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
  }
  return Summarize(&ns);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// The cost of one Clock::now() pair, which every per-message time includes.
double ClockOverheadNs() {
  std::vector<int64_t> ns(20000);
  for (int64_t& d : ns) {
    const Clock::time_point a = Clock::now();
    const Clock::time_point b = Clock::now();
    d = std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
  }
  return Percentile(&ns, 0.5) * 1000.0;
}

struct Row {
  std::string label;
  size_t added = 0;  // synthetic intents added
  size_t intents = 0;
  size_t patterns = 0;
  double build_ms = 0;
  PassResult result;  // medians over passes
  Stats set;          // the bare RE2::Set pass, medians over passes
  size_t set_matched = 0;
};

int64_t g_max_mem = 0;  // --max-mem; 0: EngineOptions' default

std::unique_ptr<Engine> BuildEngine(std::shared_ptr<const Content> content, double* build_ms) {
  std::unique_ptr<Engine> engine;
  steady::EngineOptions options;
  if (g_max_mem > 0) options.matcher.max_mem = g_max_mem;
  const Clock::time_point start = Clock::now();
  steady::Status s = Engine::Create(std::move(content), options, &engine);
  *build_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (!s.ok()) {
    std::fprintf(stderr, "steady_bench_engine: cannot build the engine: %s\n", s.message().c_str());
    return nullptr;
  }
  return engine;
}

Stats MedianStats(const std::vector<Stats>& passes) {
  std::vector<double> medians, p99s, rates;
  for (const Stats& s : passes) {
    medians.push_back(s.median_us);
    p99s.push_back(s.p99_us);
    rates.push_back(s.msgs_per_s);
  }
  return Stats{Median(medians), Median(p99s), Median(rates)};
}

// One configuration: a warm-up pass of each kind (untimed), then `passes`
// timed passes, turn pass and Set pass alternating so that a busy machine
// weighs on both alike.
//
// `profile`: under callgrind, each timed pass is dumped on its own
// (callgrind.out.*.N, "turn" then "set"), warm-up excluded; a no-op otherwise.
bool Measure(Row* row, const std::shared_ptr<const Content>& content,
             const std::vector<std::string>& messages, int passes, bool profile) {
  row->intents = content->intents.size();
  row->patterns = PatternCount(*content);
  std::unique_ptr<Engine> engine = BuildEngine(content, &row->build_ms);
  if (!engine) return false;
  std::vector<std::string> normalized;
  normalized.reserve(messages.size());
  for (const std::string& m : messages) normalized.push_back(engine->normalizer().Normalize(m));

  RunPass(*engine, messages);  // warm-up: RE2 builds its DFA lazily
  RunSetPass(*engine, normalized, &row->set_matched);
  std::vector<Stats> turns, sets;
  for (int pass = 0; pass < passes; ++pass) {
    if (profile) CALLGRIND_ZERO_STATS;
    PassResult r = RunPass(*engine, messages);
    if (profile) CALLGRIND_DUMP_STATS_AT("turn");
    turns.push_back(r.turn);
    row->result = r;  // the mix is the same every pass (deterministic)
    sets.push_back(RunSetPass(*engine, normalized, &row->set_matched));
    if (profile) CALLGRIND_DUMP_STATS_AT("set");
  }
  row->result.turn = MedianStats(turns);
  row->set = MedianStats(sets);
  return true;
}

// --dump DIR: what the RiveScript peer (scripts/bench/peer/rivescript_bench.js)
// reads: the messages, one a line; the expected reply text of each (what
// the RiveScript document answers for the intent the engine picks in a
// fresh session), one a line; and the document itself.
bool DumpPeerFiles(const std::string& dir, const Engine& engine,
                   const std::vector<std::string>& messages, const std::string& rive_name) {
  size_t triggers = 0;
  const std::string rive = RiveScriptFor(engine.content(), &triggers);
  auto write = [&](const std::string& name, const std::string& text) {
    const std::string path = dir + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
      std::fprintf(stderr, "steady_bench_engine: cannot write %s\n", path.c_str());
      return false;
    }
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    return std::fclose(f) == 0 && ok;
  };
  if (!write(rive_name, rive)) return false;
  std::printf("  peer: %s (%zu triggers) written to %s\n", rive_name.c_str(), triggers, dir.c_str());
  if (rive_name != "steady.rive") return true;
  std::string lines, expected;
  for (const std::string& m : messages) {
    if (m.find('\n') != std::string::npos) return false;  // never: generated on one line
    lines += m + "\n";
    const Engine::Classification c = engine.Classify(m);
    expected += RiveReplyLine(ReplyTextFor(engine.content(), c.intent), c.intent) + "\n";
  }
  return write("messages.txt", lines) && write("expected.txt", expected);
}

struct Options {
  bool smoke = false;
  bool profile = false;  // --profile: --smoke with the shipped content only
  long added = -1;       // --added N: only the configuration with N added intents
  int64_t max_mem = 0;   // --max-mem MB: MatcherOptions::max_mem (0: the default)
  std::string markdown;  // write markdown tables here
  std::string dump_dir;  // write the peer's inputs here
  std::string root = ".";
};

const char kUsage[] =
    "usage: steady_bench_engine [--smoke] [--markdown FILE] [--dump DIR] [CONTENT_ROOT]\n"
    "  --smoke          500 messages, one timed pass, no 5,000-intent row (a few seconds)\n"
    "  --profile        --smoke with the shipped content only (for callgrind)\n"
    "  --added N        only the row with N added intents (0: the shipped content)\n"
    "  --max-mem MB     the matcher's memory budget (default: EngineOptions')\n"
    "  --markdown FILE  also write the tables as markdown to FILE\n"
    "  --dump DIR       write messages.txt, expected.txt and steady.rive for the peer\n"
    "  CONTENT_ROOT     holds intents/ and dialogs/ (default .)\n";

std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string WithCommas(size_t n) {
  std::string s = std::to_string(n);
  for (int at = static_cast<int>(s.size()) - 3; at > 0; at -= 3) s.insert(static_cast<size_t>(at), ",");
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  bool root_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--smoke") {
      opt.smoke = true;
    } else if (a == "--profile") {
      opt.smoke = opt.profile = true;
    } else if (a == "--added" && i + 1 < argc) {
      opt.added = std::atol(argv[++i]);
    } else if (a == "--max-mem" && i + 1 < argc) {
      opt.max_mem = static_cast<int64_t>(std::atol(argv[++i])) << 20;
    } else if ((a == "--markdown" || a == "--dump") && i + 1 < argc) {
      (a == "--markdown" ? opt.markdown : opt.dump_dir) = argv[++i];
    } else if (!a.empty() && a[0] != '-' && !root_given) {
      opt.root = a;
      root_given = true;
    } else {
      std::fputs(kUsage, stderr);
      return 2;
    }
  }

  steady::LoadResult loaded = steady::LoadContent(opt.root);
  bool load_failed = !loaded.content;
  for (const steady::ContentProblem& p : loaded.problems) {
    std::fprintf(stderr, "%s%s\n", p.warning ? "warning: " : "", p.ToString().c_str());
    if (!p.warning) load_failed = true;
  }
  if (loaded.missing_folder || load_failed) {
    std::fprintf(stderr,
                 "steady_bench_engine: the content in '%s' does not load "
                 "(expected intents/ and dialogs/; run steady validate)\n",
                 opt.root.c_str());
    return 2;
  }
  const std::shared_ptr<const Content> shipped = loaded.content;

  const Clock::time_point run_start = Clock::now();
  const size_t count = opt.smoke ? kSmokeMessageCount : kMessageCount;
  const int passes = opt.smoke ? 1 : kTimedPasses;
  const std::vector<std::string> messages = GenerateMessages(count);
  size_t total_bytes = 0;
  for (const std::string& m : messages) total_bytes += m.size();

  std::printf("Steady engine benchmark%s\n", opt.smoke ? " (smoke run)" : "");
  std::printf("  content: %s (%zu intents, %zu flows)\n", opt.root.c_str(), shipped->intents.size(),
              shipped->flows.size());
  std::printf("  messages: %zu generated (seed %#" PRIx64 "), mean %.0f bytes, %zu-%zu\n",
              messages.size(), kMessageSeed,
              static_cast<double>(total_bytes) / static_cast<double>(messages.size()), kMinLength,
              kMaxLength);
  std::printf("  sessions of %d turns; %d timed pass(es) after one warm-up; single thread\n",
              kTurnsPerSession, passes);
  const double clock_ns = ClockOverheadNs();
  std::printf("  cores: %u   clock overhead: ~%.0f ns per message (included)\n",
              std::thread::hardware_concurrency(), clock_ns);
#if defined(__OPTIMIZE__)
  const char* optimized = "yes";
#else
  const char* optimized = "NO (numbers are not meaningful)";
#endif
  std::printf("  compiler: %s   optimized: %s\n", __VERSION__, optimized);
  std::fflush(stdout);

  const std::set<std::string> message_words = WordsOf(messages);
  std::vector<size_t> additions = {0, 50, 200, 1000};
  if (!opt.smoke) additions.push_back(5000);
  if (opt.profile) additions = {0};
  if (opt.added >= 0) additions = {static_cast<size_t>(opt.added)};
  g_max_mem = opt.max_mem;
  std::vector<Row> rows;
  for (size_t n : additions) {
    Row row;
    row.added = n;
    std::shared_ptr<const Content> content = shipped;
    if (n > 0) {
      auto grown = std::make_shared<Content>(*shipped);
      for (SyntheticIntent& s : SyntheticIntents(n, message_words)) {
        grown->intents.push_back(std::move(s.intent));
        grown->flows.push_back(std::move(s.flow));
      }
      content = grown;
    }
    row.label = std::to_string(content->intents.size()) +
                (n == 0 ? " (shipped)" : " (+" + WithCommas(n) + ")");
    if (!Measure(&row, content, messages, passes, opt.profile)) return 2;
    std::printf("  measured %s\n", row.label.c_str());
    std::fflush(stdout);
    rows.push_back(std::move(row));
  }

  if (!opt.dump_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(opt.dump_dir, error);  // fopen reports failures
    double ms = 0;
    std::unique_ptr<Engine> engine = BuildEngine(shipped, &ms);
    if (!engine || !DumpPeerFiles(opt.dump_dir, *engine, messages, "steady.rive")) return 2;
  }

  // The 50-intent row is the base of "flat as content grows".
  const Row* base = &rows.front();
  for (const Row& row : rows) {
    if (row.added == 50) base = &row;
  }
  std::string md;
  md += "| intents | patterns | median µs | p99 µs | msgs/s | median vs +50 |\n";
  md += "|---|---:|---:|---:|---:|---:|\n";
  for (const Row& row : rows) {
    md += "| " + row.label + " | " + std::to_string(row.patterns) + " | " +
          Fmt("%.2f", row.result.turn.median_us) + " | " + Fmt("%.2f", row.result.turn.p99_us) +
          " | " + Fmt("%.0f", row.result.turn.msgs_per_s) + " | " +
          Fmt("%.2f", row.result.turn.median_us / base->result.turn.median_us) + "× |\n";
  }
  auto verdict = [](bool met) { return std::string(met ? "**met**" : "**not met**"); };
  const Row& last = rows.back();
  const double growth = last.result.turn.median_us / base->result.turn.median_us;
  md += "\n- Engine cost flat as content grows: the median turn with " + last.label +
        " intents is " + Fmt("%.2f", growth) + "× the +50 row (target ≤ 2× at +5,000): " +
        verdict(growth <= 2.0) + ".\n\n";
  md += "| intents | bare RE2::Set pass median µs | p99 µs | msgs/s | whole turn / pass (median) |\n";
  md += "|---|---:|---:|---:|---:|\n";
  for (const Row& row : rows) {
    md += "| " + row.label + " | " + Fmt("%.2f", row.set.median_us) + " | " +
          Fmt("%.2f", row.set.p99_us) + " | " + Fmt("%.0f", row.set.msgs_per_s) + " | " +
          Fmt("%.2f", row.result.turn.median_us / row.set.median_us) + "× |\n";
  }
  const Row& shipped_row = rows.front();
  const double turn_vs_pass = shipped_row.result.turn.median_us / shipped_row.set.median_us;
  md += "\n- Whole engine turn / bare RE2::Set pass, shipped content: " +
        Fmt("%.2f", turn_vs_pass) + "× at the median (" +
        Fmt("%.2f", shipped_row.set.msgs_per_s / shipped_row.result.turn.msgs_per_s) +
        "× in total time) (target ≤ 3×): " + verdict(turn_vs_pass <= 3.0) + ".\n";
  md += "\nMethod: " + WithCommas(messages.size()) + " generated messages (mean " +
        Fmt("%.0f", static_cast<double>(total_bytes) / static_cast<double>(messages.size())) +
        " bytes, 5-300), sessions of " + std::to_string(kTurnsPerSession) +
        " turns, one thread; each message timed alone (clock overhead ~" + Fmt("%.0f", clock_ns) +
        " ns, included); median of " + std::to_string(passes) +
        " timed pass(es) after a warm-up; " + std::to_string(std::thread::hardware_concurrency()) +
        " cores; g++ " + __VERSION__ + ".\n";

  std::printf("\n%s", md.c_str());
  std::printf("\n  turn mix per pass of %zu messages (crisis / fallback / refused / fail-safe):\n",
              messages.size());
  bool abnormal = false;
  for (const Row& row : rows) {
    const PassResult& mix = row.result;
    std::printf("    %-16s %5zu / %5zu / %zu / %zu   (Set pass: %zu messages hit)\n",
                row.label.c_str(), mix.crisis, mix.fallback, mix.refused, mix.fail_safe,
                row.set_matched);
    if (mix.fail_safe > 0 || mix.refused > 0) abnormal = true;
  }
  if (abnormal) {
    std::printf("  WARNING: fail-safe or refused turns: the engine is not answering normally, "
                "so these numbers do not measure the real path\n");
  }
  std::printf("  engine build:");
  for (const Row& row : rows) std::printf(" %s %.0f ms;", row.label.c_str(), row.build_ms);
  std::printf("\n");
  // For scripts/bench/engine, which compares with the peer.
  std::printf("RESULT steady_msgs_per_s %.0f\n", shipped_row.result.turn.msgs_per_s);
  std::printf("RESULT steady_median_us %.2f\n", shipped_row.result.turn.median_us);
  std::printf("RESULT steady_messages %zu\n", messages.size());
  std::printf("  total time: %.1f s\n",
              std::chrono::duration<double>(Clock::now() - run_start).count());

  if (!opt.markdown.empty()) {
    FILE* f = std::fopen(opt.markdown.c_str(), "wb");
    if (f == nullptr || std::fwrite(md.data(), 1, md.size(), f) != md.size() || std::fclose(f) != 0) {
      std::fprintf(stderr, "steady_bench_engine: cannot write %s\n", opt.markdown.c_str());
      return 2;
    }
  }
  return 0;
}
