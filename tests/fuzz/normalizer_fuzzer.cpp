// Fuzzes the normalizer (src/core/normalizer.h) with the shipped lexicon
// and vocabulary: any bytes, valid UTF-8 or not, as a message.
//
// Promises checked, for any input: no crash; the output is valid UTF-8
// (invalid input becomes U+FFFD); tokens are joined by single spaces with
// none leading or trailing (step 7); and the words VocabularyWords finds
// are themselves valid UTF-8 with no space in them.
#include <cstdint>
#include <string>

#include "core/normalizer.h"
#include "core/utf8.h"
#include "fuzz_support.h"

namespace {

void CheckJoined(const std::string& out, const char* what) {
  FUZZ_CHECK(steady::IsValidUtf8(out), what);
  FUZZ_CHECK(out.empty() || (out.front() != ' ' && out.back() != ' '), what);
  FUZZ_CHECK(out.find("  ") == std::string::npos, what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const steady::Normalizer& normalizer = steady::fuzz::ShippedEngine()->normalizer();
  const std::string_view text = steady::fuzz::AsText(data, size);

  CheckJoined(normalizer.Normalize(text), "Normalize: valid UTF-8, single spaces, trimmed");
  CheckJoined(normalizer.NormalizeWithoutSubstitutions(text),
              "NormalizeWithoutSubstitutions: valid UTF-8, single spaces, trimmed");
  for (const std::string& word : steady::VocabularyWords(text)) {
    FUZZ_CHECK(steady::IsValidUtf8(word), "VocabularyWords: each word is valid UTF-8");
    FUZZ_CHECK(word.find(' ') == std::string::npos, "VocabularyWords: a word has no space");
  }
  return 0;
}
