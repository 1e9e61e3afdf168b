#include "core/normalizer.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace steady;

namespace {

// A lexicon shaped like intents/lexicon.json, small enough to read here.
Lexicon TestLexicon() {
  Lexicon lexicon;
  lexicon.contractions = {
      {"i'm", "i am"},      {"im", "i am"},        {"can't", "cannot"},
      {"won't", "will not"}, {"ain't", "is not"},  {"gonna", "going to"},
      {"wanna", "want to"}, {"i’ve", "i have"},  {"cant", "cannot"},
  };
  lexicon.substitutions = {
      {"kms", "kill myself"},
      {"od", "overdose"},
      {"od'd", "overdosed"},
      {"unalive", "kill"},
      {"unalive myself", "kill myself"},
      {"suicidel", "suicidal"},
      {"K.M.S.", "kill myself"},
      {"rn", "right now"},
      {"overdose", "od"},  // would loop if replacements were rewritten again
  };
  return lexicon;
}

const std::vector<std::string> kVocabulary = {"so", "die", "kill", "want", "to", "help",
                                             "need", "good", "please"};

std::string Norm(const std::string& text) {
  static const Normalizer normalizer(TestLexicon(), kVocabulary);
  return normalizer.Normalize(text);
}

}  // namespace

TEST_CASE("an empty message normalizes to empty", "[normalizer]") {
  CHECK(Norm("").empty());
  CHECK(Norm("   \t\n ").empty());
  CHECK(Norm("?!...").empty());
}

TEST_CASE("shouting reads like lowercase", "[normalizer]") {
  CHECK(Norm("I USED LAST NIGHT") == "i used last night");
  CHECK(Norm("\xD0\xAF \xD0\xA5\xD0\x9E\xD0\xA7\xD0\xA3") ==  // Я ХОЧУ
        "\xD1\x8F \xD1\x85\xD0\xBE\xD1\x87\xD1\x83");        // я хочу
  CHECK(Norm("\xC3\x89" "COLE") == "\xC3\xA9" "cole");        // ÉCOLE -> école
  CHECK(Norm("\xD0\x81\xD0\x96") == "\xD1\x91\xD0\xB6");      // ЁЖ -> ёж
  CHECK(Norm("\xCE\x94\xCE\xA9") == "\xCE\xB4\xCF\x89");      // ΔΩ -> δω
  // ŁÓDŹ -> łódź
  CHECK(Norm("\xC5\x81\xC3\x93" "D\xC5\xB9") == "\xC5\x82\xC3\xB3" "d\xC5\xBA");
  CHECK(Norm("\xC5\xB8") == "\xC3\xBF");                      // Ÿ -> ÿ
}

TEST_CASE("fullwidth letters read as plain ones", "[normalizer]") {
  CHECK(Norm("\xEF\xBC\xAB\xEF\xBC\xAD\xEF\xBC\xB3") == "kill myself");  // ＫＭＳ
  CHECK(Norm("\xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x90\xEF\xBC\x81") ==
        "help");  // ｈｅｌｐ！
}

TEST_CASE("curly apostrophes and contractions read like straight ones", "[normalizer]") {
  CHECK(Norm("I\xE2\x80\x99m done") == "i am done");  // I’m
  CHECK(Norm("I'm done") == "i am done");
  CHECK(Norm("I\xCA\xBCm done") == "i am done");       // Iʼm
  CHECK(Norm("I`m done") == "i am done");
  CHECK(Norm("I\xE2\x80\x99ve used") == "i have used");  // key written with ’ in the lexicon
  CHECK(Norm("I can\xE2\x80\x99t stop") == "i cannot stop");
  CHECK(Norm("im gonna use") == "i am going to use");
}

TEST_CASE("any other n't becomes not", "[normalizer]") {
  CHECK(Norm("I shouldn't have") == "i should not have");
  CHECK(Norm("it doesn\xE2\x80\x99t matter") == "it does not matter");
  CHECK(Norm("I won't") == "i will not");  // irregular ones come from the lexicon
}

TEST_CASE("apostrophes inside words are dropped, quotes around words vanish",
          "[normalizer]") {
  CHECK(Norm("my mom's house") == "my moms house");
  CHECK(Norm("'relapse' he said \xE2\x80\x9C" "again\xE2\x80\x9D") == "relapse he said again");
  CHECK(Norm("rock 'n' roll") == "rock n roll");
}

TEST_CASE("punctuation and extra spaces vanish", "[normalizer]") {
  CHECK(Norm("  I used...   again!!!  ") == "i used again");
  CHECK(Norm("relapse,again?yes") == "relapse again yes");
  CHECK(Norm("self-harm") == "self harm");
  CHECK(Norm("24/7 \xC2\xBFqu\xC3\xA9?") == "24 7 qu\xC3\xA9");  // ¿qué?
  CHECK(Norm("yes\xE2\x80\x94no\xE3\x80\x82ok") == "yes no ok");  // em dash, ideographic stop
}

TEST_CASE("stretched words still match", "[normalizer]") {
  CHECK(Norm("i want to dieeeee") == "i want to die");
  CHECK(Norm("soooo tired") == "so tired");
  CHECK(Norm("killlll") == "kill");            // "kil" is no word, "kill" is
  CHECK(Norm("gooood") == "good");
  CHECK(Norm("pleeeease help") == "please help");
  CHECK(Norm("noooo") == "noo");               // not in the vocabulary: two letters
  CHECK(Norm("I neeeed it") == "i need it");
  CHECK(Norm("dieee") == "die");
  CHECK(Norm("see you") == "see you");         // doubled letters are left alone
}

TEST_CASE("stretched words fall back to two letters without a vocabulary", "[normalizer]") {
  Normalizer plain(Lexicon(), {});
  CHECK(plain.Normalize("soooo") == "soo");
  CHECK(plain.Normalize("aaaand hmmmm") == "aand hmm");
}

TEST_CASE("stretched contractions still expand", "[normalizer]") {
  CHECK(Norm("i cantttt do this") == "i cannot do this");
  CHECK(Norm("immmm done") == "i am done");
  CHECK(Norm("gonnnna") == "going to");
}

TEST_CASE("numbers are never collapsed", "[normalizer]") {
  CHECK(Norm("1000 mg") == "1000 mg");
  CHECK(Norm("call 9111") == "call 9111");
}

TEST_CASE("slang is rewritten from the lexicon", "[normalizer]") {
  CHECK(Norm("I wanna kms") == "i want to kill myself");
  CHECK(Norm("i think i od'd") == "i think i overdosed");
  CHECK(Norm("might OD rn") == "might overdose right now");
  CHECK(Norm("feeling suicidel") == "feeling suicidal");
  CHECK(Norm("kmssss") == "kill myself");  // stretched, then rewritten
}

TEST_CASE("multi-word slang is matched longest first", "[normalizer]") {
  CHECK(Norm("i want to unalive myself") == "i want to kill myself");
  CHECK(Norm("unalive") == "kill");
}

TEST_CASE("lexicon keys are written the way people type them", "[normalizer]") {
  CHECK(Norm("k.m.s.") == "kill myself");
  CHECK(Norm("K M S") == "kill myself");
}

TEST_CASE("a substitution is applied once, never to its own output", "[normalizer]") {
  CHECK(Norm("overdose") == "od");
  CHECK(Norm("od") == "overdose");
}

TEST_CASE("slang is only rewritten as a whole word", "[normalizer]") {
  CHECK(Norm("kmsx") == "kmsx");
  CHECK(Norm("mod") == "mod");
}

TEST_CASE("emoji stay as their own tokens", "[normalizer]") {
  CHECK(Norm("sad\xF0\x9F\x98\xAD") == "sad \xF0\x9F\x98\xAD");
  CHECK(Norm("\xF0\x9F\x98\xAD\xF0\x9F\x98\xAD") == "\xF0\x9F\x98\xAD \xF0\x9F\x98\xAD");
  // ❤️: the variation selector is dropped, the heart kept
  CHECK(Norm("i \xE2\x9D\xA4\xEF\xB8\x8F you") == "i \xE2\x9D\xA4 you");
  CHECK(Norm("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD ok") ==
        "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD ok");  // 👍🏽 keeps its skin tone
}

TEST_CASE("invisible characters cannot split a word", "[normalizer]") {
  CHECK(Norm("k\xE2\x80\x8Bm\xE2\x80\x8Bs") == "kill myself");  // zero-width spaces
  CHECK(Norm("ki\xC2\xADll") == "kill");                        // soft hyphen
  CHECK(Norm("\xEF\xBB\xBFhello") == "hello");                  // byte-order mark
}

TEST_CASE("invalid bytes do not crash the normalizer", "[normalizer]") {
  CHECK(Norm("ok\xFF" "fine") == "ok \xEF\xBF\xBD fine");
  CHECK(Norm("\xE2\x80") == "\xEF\xBF\xBD \xEF\xBF\xBD");
}

TEST_CASE("normalizing without substitutions keeps slang as typed", "[normalizer]") {
  Normalizer normalizer(TestLexicon(), kVocabulary);
  CHECK(normalizer.NormalizeWithoutSubstitutions("I\xE2\x80\x99m gonna KMS!!") ==
        "i am going to kms");
}

TEST_CASE("normalized text normalizes to itself", "[normalizer]") {
  // Without substitutions: a lexicon may rewrite its own output ("od" <->
  // "overdose" above), which is why they are applied once.
  Normalizer normalizer(TestLexicon(), kVocabulary);
  for (const char* text : {"I\xE2\x80\x99m soooo DONE, can't do this!!", "kms rn",
                           "my mom's \xF0\x9F\x98\xAD\xF0\x9F\x98\xAD"}) {
    const std::string once = normalizer.NormalizeWithoutSubstitutions(text);
    CHECK(normalizer.NormalizeWithoutSubstitutions(once) == once);
  }
}

TEST_CASE("vocabulary words are lowercase words without apostrophes", "[normalizer]") {
  CHECK(VocabularyWords("I'm SO tired, mom's car!") ==
        std::vector<std::string>{"im", "so", "tired", "moms", "car"});
  CHECK(VocabularyWords("  ").empty());
}
