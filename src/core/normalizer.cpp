// Normalizer: one pass over the message decodes, folds and tokenizes it
// (steps 1-3); a second pass over the tokens expands contractions and
// collapses stretched letters (steps 4-5) into space-joined words; a third
// pass over the words applies the lexicon's substitutions (step 6).
//
// Case folding is a small table of ranges written out below rather than ICU
// or the C locale: it must not depend on process-wide state (setlocale), it
// must give the same answer on every machine, and the scripts that matter to
// the people writing to Steady fit in a few comparisons per code point.
//
// Cost: a message of n bytes costs O(n) plus one hash lookup per token for
// contractions and one per word for substitutions. Tokens are short, so the
// std::string keys built for those lookups stay in the small-string buffer
// and do not allocate.

#include "core/normalizer.h"

#include <algorithm>
#include <utility>

#include "core/utf8.h"

namespace steady {
namespace {

// ---------------------------------------------------------------------------
// Steps 1-2: folding one code point.

// Latin Extended-A (U+0100-U+017F) pairs capitals with small letters, but the
// parity flips twice in the block, and a few letters have no pair.
char32_t LowerLatinExtendedA(char32_t c) {
  if (c == 0x130) return 'i';    // İ: the simple mapping, dot dropped
  if (c == 0x178) return 0xFF;   // Ÿ -> ÿ, which lives in Latin-1
  if (c <= 0x12F || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) {
    return c | 1;  // capital even, small odd
  }
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) {
    return (c & 1) ? c + 1 : c;  // capital odd, small even
  }
  return c;  // ı, ĸ, ŉ, ſ: no capital to fold
}

char32_t LowerGreek(char32_t c) {
  if (c == 0x386) return 0x3AC;                          // Ά
  if (c >= 0x388 && c <= 0x38A) return c + 0x25;         // Έ Ή Ί
  if (c == 0x38C) return 0x3CC;                          // Ό
  if (c == 0x38E || c == 0x38F) return c + 0x3F;         // Ύ Ώ
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 0x20;  // Α-Ω, Ϊ Ϋ
  return c;
}

char32_t LowerCyrillic(char32_t c) {
  if (c <= 0x40F) return c + 0x50;                       // Ѐ-Џ
  if (c <= 0x42F) return c + 0x20;                       // А-Я
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
      (c >= 0x4D0 && c <= 0x52F)) {
    return c | 1;                                        // Ѡ.., Ґ.., Ӑ..: capital even
  }
  if (c == 0x4C0) return 0x4CF;                          // Ӏ
  if (c >= 0x4C1 && c <= 0x4CE) return (c & 1) ? c + 1 : c;  // Ӂ..: capital odd
  return c;
}

// Lowercase, fullwidth ASCII to ASCII, apostrophe and quote look-alikes to
// ' and ". Everything not named here is returned unchanged.
char32_t Fold(char32_t c) {
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') return c + 0x20;
    if (c == '`') return '\'';
    return c;
  }
  if (c < 0x100) {
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
    if (c == 0xB4) return '\'';  // ´
    return c;
  }
  if (c < 0x180) return LowerLatinExtendedA(c);
  if (c == 0x2BC) return '\'';  // ʼ
  if (c >= 0x386 && c <= 0x3AB) return LowerGreek(c);
  if (c >= 0x400 && c <= 0x52F) return LowerCyrillic(c);
  if (c >= 0x2018 && c <= 0x2032) {
    if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x2032) return '\'';  // ‘ ’ ‛ ′
    if (c == 0x201C || c == 0x201D) return '"';                                // “ ”
    return c;
  }
  if (c >= 0xFF01 && c <= 0xFF5E) return Fold(c - 0xFEE0);  // ＫＭＳ -> kms
  return c;
}

// ---------------------------------------------------------------------------
// Step 3: what a folded code point does to tokenization.

enum class CharClass {
  kWord,        // part of a word: letters, digits, and by default anything non-ASCII
  kApostrophe,  // part of a word only between two word characters
  kSymbol,      // emoji and pictographs: a token of its own
  kModifier,    // emoji skin tone: joins the symbol just before it
  kIgnorable,   // invisible format characters: dropped without splitting a word
  kSeparator,   // whitespace, punctuation, controls
};

CharClass Classify(char32_t c) {
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return CharClass::kWord;
    if (c == '\'') return CharClass::kApostrophe;
    return CharClass::kSeparator;  // capitals are already folded away
  }
  if (c < 0xC0) {
    // C1 controls, then Latin-1 punctuation and symbols. The soft hyphen is
    // invisible, so "ki\u00ADll" must still read as "kill".
    return c == 0xAD ? CharClass::kIgnorable : CharClass::kSeparator;
  }
  if (c == 0xD7 || c == 0xF7) return CharClass::kSeparator;  // × ÷
  if (c < 0x2000) return CharClass::kWord;
  if (c <= 0x206F) {
    // General punctuation. Zero-width characters are ignorable rather than
    // separators so that "k\u200Bm\u200Bs" cannot slip past the lexicon.
    if ((c >= 0x200B && c <= 0x200D) || (c >= 0x2060 && c <= 0x2064)) {
      return CharClass::kIgnorable;
    }
    return CharClass::kSeparator;
  }
  if (c >= 0x2190 && c <= 0x2BFF) return CharClass::kSymbol;  // arrows .. dingbats, ⭐
  if (c >= 0x3000 && c <= 0x303F) return CharClass::kSeparator;  // CJK punctuation
  if (c >= 0xFE00 && c <= 0xFE0F) return CharClass::kIgnorable;  // variation selectors
  if ((c >= 0xFE10 && c <= 0xFE1F) || (c >= 0xFE30 && c <= 0xFE6F)) {
    return CharClass::kSeparator;  // vertical, compatibility and small forms
  }
  if (c == 0xFEFF) return CharClass::kIgnorable;                  // BOM / ZWNBSP
  if ((c >= 0xFF5F && c <= 0xFF65) || (c >= 0xFFE0 && c <= 0xFFEE)) {
    return CharClass::kSeparator;  // halfwidth CJK punctuation, fullwidth ¢ £ ¥ and signs
  }
  if (c == 0xFFFD) return CharClass::kSymbol;  // kept visible, as the header promises
  if (c >= 0xFFF0 && c <= 0xFFFF) return CharClass::kSeparator;
  if (c >= 0x1F3FB && c <= 0x1F3FF) return CharClass::kModifier;
  if (c >= 0x1F000 && c <= 0x1FAFF) return CharClass::kSymbol;
  if (c >= 0xE0000 && c <= 0xE01EF) return CharClass::kIgnorable;  // tags, selectors
  return CharClass::kWord;
}

bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }

// A token is a byte range of the tokenizer's buffer.
struct Token {
  size_t begin = 0;
  size_t end = 0;
  bool has_apostrophe = false;
  // Some letter appears three or more times in a row (apostrophes between
  // them ignored, since they are dropped before step 5 looks).
  bool has_long_run = false;
};

// AppendUtf8 into a buffer known to have room: at most 4 bytes.
size_t PutUtf8(char32_t cp, char* out) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;  // as AppendUtf8
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

// Steps 1-3. Appends the folded tokens' bytes to *buf and their ranges to
// *tokens.
//
// Each step of the loop reads at least one byte and writes at most five (a
// code point of up to four, after an apostrophe kept from before it), so
// *buf is sized once for that and written through a pointer, then trimmed.
void Tokenize(std::string_view text, std::string* buf, std::vector<Token>* tokens) {
  const size_t base = buf->size();
  buf->resize(base + 5 * text.size());
  char* const out = &(*buf)[0];
  size_t len = base;  // bytes written
  tokens->reserve(tokens->size() + text.size() / 4 + 1);

  Token word;
  bool in_word = false;
  // An apostrophe seen after a word character; it joins the word only if
  // another word character follows.
  bool pending_apostrophe = false;
  bool after_symbol = false;  // the last token is a symbol a modifier may join
  char32_t run_char = 0;
  int run_length = 0;

  auto end_word = [&]() {
    if (in_word) {
      word.end = len;
      tokens->push_back(word);
      in_word = false;
    }
    pending_apostrophe = false;
  };

  size_t pos = 0;
  while (pos < text.size()) {
    char32_t c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {
      ++pos;
    } else {
      c = DecodeUtf8(text, &pos);
    }
    c = Fold(c);
    switch (Classify(c)) {
      case CharClass::kWord:
        if (!in_word) {
          word = Token();
          word.begin = len;
          in_word = true;
          run_char = 0;
          run_length = 0;
        } else if (pending_apostrophe) {
          out[len++] = '\'';
          word.has_apostrophe = true;
          pending_apostrophe = false;
        }
        if (c == run_char && !IsAsciiDigit(c)) {
          if (++run_length >= 3) word.has_long_run = true;
        } else {
          run_char = c;
          run_length = 1;
        }
        if (c < 0x80) {
          out[len++] = static_cast<char>(c);
        } else {
          len += PutUtf8(c, out + len);
        }
        after_symbol = false;
        // The rest of the word while it is ASCII letters and digits, without
        // the general decode/fold/classify dispatch (the same steps).
        while (pos < text.size()) {
          unsigned char b = static_cast<unsigned char>(text[pos]);
          if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b + 0x20);
          if (!((b >= 'a' && b <= 'z') || IsAsciiDigit(b))) break;
          ++pos;
          if (b == run_char && !IsAsciiDigit(b)) {
            if (++run_length >= 3) word.has_long_run = true;
          } else {
            run_char = b;
            run_length = 1;
          }
          out[len++] = static_cast<char>(b);
        }
        break;
      case CharClass::kApostrophe:
        if (in_word && !pending_apostrophe) {
          pending_apostrophe = true;
        } else {
          end_word();
        }
        after_symbol = false;
        break;
      case CharClass::kSymbol: {
        end_word();
        Token symbol;
        symbol.begin = len;
        len += PutUtf8(c, out + len);
        symbol.end = len;
        tokens->push_back(symbol);
        after_symbol = true;
        break;
      }
      case CharClass::kModifier:
        if (after_symbol) {
          len += PutUtf8(c, out + len);
          tokens->back().end = len;
          after_symbol = false;  // one modifier per symbol
        } else {
          end_word();
        }
        break;
      case CharClass::kIgnorable:
        break;
      case CharClass::kSeparator:
        end_word();
        after_symbol = false;
        break;
    }
  }
  end_word();
  buf->resize(len);
}

// ---------------------------------------------------------------------------
// Steps 4-5 and 7: tokens to words.

// Words joined by single spaces, with each word's byte range so step 6 can
// compare whole words without splitting again.
struct Words {
  std::string text;
  std::vector<std::pair<size_t, size_t>> spans;  // (begin, length) in text

  void Append(std::string_view word) {
    if (word.empty()) return;
    if (!text.empty()) text.push_back(' ');
    spans.emplace_back(text.size(), word.size());
    text.append(word.data(), word.size());
  }
  // `words` is already space-joined normalized text (a lexicon value).
  void AppendAll(std::string_view words) {
    size_t start = 0;
    while (start < words.size()) {
      size_t space = words.find(' ', start);
      if (space == std::string_view::npos) space = words.size();
      Append(words.substr(start, space - start));
      start = space + 1;
    }
  }
  std::string_view At(size_t i) const {
    return std::string_view(text).substr(spans[i].first, spans[i].second);
  }
};

void RemoveApostrophes(std::string_view in, std::string* out) {
  out->clear();
  for (char ch : in) {
    if (ch != '\'') out->push_back(ch);
  }
}

// Copies `word` with every run of three or more of the same letter cut to
// `keep` letters; shorter runs stay as they are. Digits are never cut:
// "1000" is a number, not a stretched word.
void CollapseRuns(std::string_view word, int keep, std::string* out) {
  out->clear();
  size_t pos = 0;
  while (pos < word.size()) {
    const size_t start = pos;
    const char32_t c = DecodeUtf8(word, &pos);
    const std::string_view unit = word.substr(start, pos - start);
    int length = 1;
    while (word.compare(pos, unit.size(), unit) == 0) {
      pos += unit.size();
      ++length;
    }
    if (length >= 3 && !IsAsciiDigit(c)) length = keep;
    for (int i = 0; i < length; ++i) out->append(unit.data(), unit.size());
  }
}

// Step 5 for one word: the one-letter form if the content uses it, else the
// two-letter form ("killlll": "kil" is no word, "kill" is). A stretched
// contraction expands after collapsing ("cantttt" -> "cannot"), so shouting
// does not hide "i cannot do this anymore".
void AppendCollapsed(std::string_view word,
                     const std::unordered_map<std::string, std::string>& contractions,
                     const std::unordered_set<std::string>& vocabulary, Words* words) {
  std::string once;
  CollapseRuns(word, 1, &once);
  if (auto it = contractions.find(once); it != contractions.end()) {
    words->AppendAll(it->second);
    return;
  }
  if (vocabulary.count(once) != 0) {
    words->Append(once);
    return;
  }
  std::string twice;
  CollapseRuns(word, 2, &twice);
  if (auto it = contractions.find(twice); it != contractions.end()) {
    words->AppendAll(it->second);
    return;
  }
  words->Append(twice);
}

// Steps 4-5 over all tokens of `buf`, into `*out` (cleared first).
void ExpandTokens(const std::string& buf, const std::vector<Token>& tokens,
                  const std::unordered_map<std::string, std::string>& contractions,
                  const Normalizer::KeyFilter& contraction_filter,
                  const std::unordered_set<std::string>& vocabulary, Words* out) {
  static constexpr std::string_view kNot = "not";
  Words& words = *out;
  words.text.clear();
  words.spans.clear();
  words.text.reserve(buf.size() + buf.size() / 4 + 8);
  words.spans.reserve(tokens.size() + 4);
  std::string key;      // reused: lookups build no new string per token
  std::string scratch;  // reused: the token without its apostrophes
  for (const Token& token : tokens) {
    std::string_view text = std::string_view(buf).substr(token.begin, token.end - token.begin);
    if (!contractions.empty() && contraction_filter.MayContain(text)) {
      key.assign(text.data(), text.size());
      auto it = contractions.find(key);
      if (it != contractions.end()) {
        words.AppendAll(it->second);  // normalized when the Normalizer was built
        continue;
      }
    }
    bool negated = false;
    if (token.has_apostrophe && text.size() > 3 && text.substr(text.size() - 3) == "n't") {
      text.remove_suffix(3);  // "shouldn't" -> "should" + "not"
      negated = true;
    }
    if (token.has_apostrophe) {
      RemoveApostrophes(text, &scratch);
      text = scratch;
    }
    if (token.has_long_run) {
      AppendCollapsed(text, contractions, vocabulary, &words);
    } else {
      words.Append(text);
    }
    if (negated) words.Append(kNot);
  }
}

// Steps 1-5 and 7 for a Normalizer's tables, into `*out`.
//
// The tokenizer's buffers are per-thread scratch, kept between calls, so a
// message allocates only for what it returns.
void NormalizeToWords(std::string_view text,
                      const std::unordered_map<std::string, std::string>& contractions,
                      const Normalizer::KeyFilter& contraction_filter,
                      const std::unordered_set<std::string>& vocabulary, Words* out) {
  thread_local std::string buf;
  thread_local std::vector<Token> tokens;
  buf.clear();
  tokens.clear();
  Tokenize(text, &buf, &tokens);
  ExpandTokens(buf, tokens, contractions, contraction_filter, vocabulary, out);
}

// Per-thread Words for Normalize(), whose text is copied out.
Words& ScratchWords() {
  thread_local Words words;
  return words;
}

}  // namespace

Normalizer::Normalizer(const Lexicon& lexicon, const std::vector<std::string>& vocabulary) {
  // The vocabulary first: normalizing the lexicon below already collapses
  // stretched letters, and should do so the way messages will be.
  vocabulary_.reserve(vocabulary.size() + 2 * (lexicon.contractions.size() +
                                               lexicon.substitutions.size()));
  for (const std::string& word : vocabulary) {
    if (!word.empty()) vocabulary_.insert(word);
  }
  auto add_words = [this](const std::string& text) {
    for (std::string& word : VocabularyWords(text)) vocabulary_.insert(std::move(word));
  };
  for (const auto& [from, to] : lexicon.contractions) {
    add_words(from);
    add_words(to);
  }
  for (const auto& [from, to] : lexicon.substitutions) {
    add_words(from);
    add_words(to);
  }

  // Contractions match one folded token with its apostrophe, so a key is
  // folded and tokenized like a message; a key that is not one token
  // ("i am", "?") could never match and is skipped. Values are normalized
  // while contractions_ is still empty, so no expansion feeds another.
  std::unordered_map<std::string, std::string> contractions;
  contractions.reserve(lexicon.contractions.size());
  for (const auto& [from, to] : lexicon.contractions) {
    std::string buf;
    std::vector<Token> tokens;
    Tokenize(from, &buf, &tokens);
    if (tokens.size() != 1) continue;
    contractions.emplace(buf.substr(tokens[0].begin, tokens[0].end - tokens[0].begin),
                         NormalizeWithoutSubstitutions(to));
  }
  contractions_ = std::move(contractions);
  for (const auto& [key, value] : contractions_) contraction_filter_.Add(key);

  // Substitution keys are normalized like messages (with contractions), so
  // "k.m.s", "KMS" and "i'm done" match what a message turns into.
  for (const auto& [from, to] : lexicon.substitutions) {
    Words key;
    NormalizeToWords(from, contractions_, contraction_filter_, vocabulary_, &key);
    if (key.spans.empty()) continue;
    Phrase phrase;
    for (size_t i = 0; i < key.spans.size(); ++i) phrase.words.emplace_back(key.At(i));
    phrase.replacement = NormalizeWithoutSubstitutions(to);
    substitution_filter_.Add(phrase.words[0]);
    substitutions_[phrase.words[0]].push_back(std::move(phrase));
  }
  // Longest first; stable, so among equal keys the lexicon's order decides.
  for (auto& [first, phrases] : substitutions_) {
    std::stable_sort(phrases.begin(), phrases.end(), [](const Phrase& a, const Phrase& b) {
      return a.words.size() > b.words.size();
    });
  }
}

std::string Normalizer::NormalizeWithoutSubstitutions(std::string_view text) const {
  Words& words = ScratchWords();
  NormalizeToWords(text, contractions_, contraction_filter_, vocabulary_, &words);
  return words.text;
}

std::string Normalizer::Normalize(std::string_view text) const {
  Words& words = ScratchWords();
  NormalizeToWords(text, contractions_, contraction_filter_, vocabulary_, &words);
  if (substitutions_.empty()) return words.text;

  // Step 6: left to right, longest phrase first at each word; a replacement
  // is copied out and never scanned again, so "od" -> "overdose" cannot
  // cascade into another rewrite.
  // `out` is built only from the first substitution on; before it, it
  // would be a copy of words.text (and most messages have none at all).
  std::string out;
  bool rewriting = false;
  std::string key;
  const size_t n = words.spans.size();
  size_t i = 0;
  while (i < n) {
    const std::string_view word = words.At(i);
    const Phrase* match = nullptr;
    auto it = substitutions_.end();
    if (substitution_filter_.MayContain(word)) {
      key.assign(word.data(), word.size());
      it = substitutions_.find(key);
    }
    if (it != substitutions_.end()) {
      for (const Phrase& phrase : it->second) {
        const size_t len = phrase.words.size();
        if (len > n - i) continue;
        size_t k = 1;
        while (k < len && words.At(i + k) == phrase.words[k]) ++k;
        if (k == len) {
          match = &phrase;
          break;
        }
      }
    }
    std::string_view emit = word;
    if (match != nullptr) {
      if (!rewriting) {
        // The words before this one, as they were, without the space after.
        out.reserve(words.text.size() + 32);
        out.assign(words.text, 0, i == 0 ? 0 : words.spans[i].first - 1);
        rewriting = true;
      }
      emit = match->replacement;  // may be empty: the phrase is deleted
      i += match->words.size();
    } else {
      ++i;
      if (!rewriting) continue;
    }
    if (emit.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(emit.data(), emit.size());
  }
  if (rewriting) return out;
  return words.text;
}

std::vector<std::string> VocabularyWords(std::string_view text) {
  std::string buf;
  std::vector<Token> tokens;
  Tokenize(text, &buf, &tokens);
  std::vector<std::string> words;
  words.reserve(tokens.size());
  for (const Token& token : tokens) {
    std::string word;
    RemoveApostrophes(std::string_view(buf).substr(token.begin, token.end - token.begin), &word);
    if (!word.empty()) words.push_back(std::move(word));
  }
  return words;
}

}  // namespace steady
