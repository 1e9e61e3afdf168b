// Normalizer: turns what a person typed into the canonical text that intent
// patterns are written against.
//
// Steps, in order (docs/content.md explains them to authors):
//   1. Lowercase, including non-ASCII letters (Latin-1, Latin Extended-A,
//      Greek, Cyrillic, fullwidth ASCII).
//   2. Fold curly quotes and apostrophes (’ ‘ ʼ ′ “ ”) to ' and ".
//   3. Split into tokens at whitespace and punctuation; an apostrophe inside a
//      word stays part of the token ("don't").
//   4. Contractions from the lexicon, whole token ("i'm" -> "i am"); a token
//      still ending in "n't" becomes stem + " not"; then apostrophes drop
//      ("mom's" -> "moms").
//   5. Letters repeated three or more times collapse ("soooo", "dieeee"):
//      to the shortest form found in the vocabulary (words the content
//      uses), else to two letters.
//   6. Lexicon substitutions on whole words or phrases, longest first
//      ("kms" -> "kill myself", "od" -> "overdose").
//   7. Tokens joined by single spaces; no leading or trailing space.
// Emoji and other symbols are kept as tokens of their own.
//
// REQUIRES: input is valid UTF-8 (see utf8.h). Invalid sequences are
// replaced by U+FFFD rather than crashing, but callers reject them first.
//
// Thread-safe: a Normalizer is immutable after construction.
#ifndef STEADY_CORE_NORMALIZER_H_
#define STEADY_CORE_NORMALIZER_H_

#include <bitset>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/content.h"

namespace steady {

class Normalizer {
 public:
  // `vocabulary`: words (already lowercase, one word each) the content uses;
  // it guides step 5. The lexicon's keys and values are added to it.
  Normalizer(const Lexicon& lexicon, const std::vector<std::string>& vocabulary);

  std::string Normalize(std::string_view text) const;

  // Steps 1-5 and 7 only, without lexicon substitutions: used to normalize
  // the lexicon itself and keywords at load time.
  std::string NormalizeWithoutSubstitutions(std::string_view text) const;

 public:
  // A 4,096-bit filter over the keys of a table, by (length, first byte,
  // last byte): a word whose bit is clear is certainly not a key, so most
  // words of a message skip the hash lookup (two per word otherwise).
  class KeyFilter {
   public:
    void Add(std::string_view key) { bits_.set(Slot(key)); }
    bool MayContain(std::string_view word) const { return bits_.test(Slot(word)); }

   private:
    static size_t Slot(std::string_view w) {
      if (w.empty()) return 0;
      return (w.size() * 0x9E37u + static_cast<unsigned char>(w.front()) * 131u +
              static_cast<unsigned char>(w.back())) & 4095u;
    }
    std::bitset<4096> bits_;
  };

 private:
  std::unordered_map<std::string, std::string> contractions_;
  KeyFilter contraction_filter_;    // the keys of contractions_
  KeyFilter substitution_filter_;   // the keys of substitutions_
  // Substitutions keyed by their first word, longest phrase first.
  struct Phrase {
    std::vector<std::string> words;
    std::string replacement;
  };
  std::unordered_map<std::string, std::vector<Phrase>> substitutions_;
  std::unordered_set<std::string> vocabulary_;
};

// Words of `text` as the normalizer would split it (steps 1-4), for building
// the vocabulary from examples and keywords.
std::vector<std::string> VocabularyWords(std::string_view text);

}  // namespace steady

#endif  // STEADY_CORE_NORMALIZER_H_
