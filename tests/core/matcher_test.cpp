#include "core/matcher.h"

#include <catch2/catch.hpp>

#include "support/test_content.h"

using namespace steady;
using namespace steady::testing;

namespace {

std::vector<std::string> Ids(const MatchResult& r) {
  std::vector<std::string> ids;
  for (const IntentMatch& m : r.matches) ids.push_back(m.intent->id);
  return ids;
}

struct BuiltMatcher {
  explicit BuiltMatcher(std::shared_ptr<Content> c) : content(std::move(c)) {
    Status s = matcher.Build(*content, MatcherOptions());
    REQUIRE(s.ok());
  }
  std::shared_ptr<Content> content;
  Matcher matcher;
};

}  // namespace

TEST_CASE("a lapse message matches the lapse intent and names its pattern", "[matcher]") {
  BuiltMatcher m(MakeTestContent());
  MatchResult r = m.matcher.Match("i used last night", false);
  REQUIRE(Ids(r) == std::vector<std::string>{"lapse.disclosure"});
  CHECK(r.matches[0].pattern == "\\bi (used|drank|slipped)\\b");
  CHECK(r.matches[0].specificity == 6);
}

TEST_CASE("an unless pattern vetoes the intent", "[matcher]") {
  BuiltMatcher m(MakeTestContent());
  MatchResult r = m.matcher.Match("i used to drink a lot", false);
  CHECK(Ids(r).empty());
  CHECK(r.vetoed == std::vector<std::string>{"lapse.disclosure"});
}

TEST_CASE("crisis intents rank before every ordinary intent whatever their priority",
          "[matcher]") {
  BuiltMatcher m(MakeTestContent());
  MatchResult r = m.matcher.Match("i used and i want to die", false);
  REQUIRE(Ids(r).size() == 2);
  CHECK(Ids(r)[0] == "crisis.suicide");
  CHECK(Ids(r)[1] == "lapse.disclosure");
}

TEST_CASE("overdose outranks suicide, and both outrank the check-in", "[matcher]") {
  BuiltMatcher m(MakeTestContent());
  MatchResult r = m.matcher.Match("there is no point i want to die and i took too much", false);
  CHECK(Ids(r) == std::vector<std::string>{"crisis.overdose", "crisis.suicide", "crisis.check_in"});
}

TEST_CASE("higher priority wins among ordinary intents", "[matcher]") {
  BuiltMatcher m(MakeTestContent());
  // lapse.disclosure (50) beats greeting (10) though greeting comes first.
  MatchResult r = m.matcher.Match("hi i slipped", false);
  CHECK(Ids(r) == std::vector<std::string>{"lapse.disclosure", "greeting"});
}

TEST_CASE("equal priority goes to the longer match", "[matcher]") {
  auto c = std::make_shared<Content>();
  c->intents = {MakeIntent("short", 1, {"\\bcraving\\b"}),
                MakeIntent("long", 1, {"\\bstrong craving tonight\\b"})};
  BuiltMatcher m(c);
  CHECK(Ids(m.matcher.Match("a strong craving tonight", false)) ==
        std::vector<std::string>{"long", "short"});
}

TEST_CASE("a means question counts only once the session has shown risk", "[matcher]") {
  BuiltMatcher m(MakeTestContent());
  CHECK(Ids(m.matcher.Match("how many pills for a school project", false)).empty());
  CHECK(Ids(m.matcher.Match("how many pills for a school project", true)) ==
        std::vector<std::string>{"crisis.means"});
}

TEST_CASE("keywords match whole words only, next to non-ASCII letters too", "[matcher]") {
  auto c = std::make_shared<Content>();
  Intent i;
  i.id = "craving";
  i.keywords = {"antojo", "craving"};
  c->intents = {i};
  BuiltMatcher m(c);
  CHECK(Ids(m.matcher.Match("tengo un antojo fuerte", false)) == std::vector<std::string>{"craving"});
  CHECK(Ids(m.matcher.Match("cravings", false)).empty());
  CHECK(Ids(m.matcher.Match("ñcraving", false)).empty());
  CHECK(Ids(m.matcher.Match("craving", false)) == std::vector<std::string>{"craving"});
}

TEST_CASE("a pattern that does not compile is refused with the intent and RE2's reason",
          "[matcher]") {
  auto c = std::make_shared<Content>();
  c->intents = {MakeIntent("broken", 1, {"(unclosed"})};
  Matcher matcher;
  Status s = matcher.Build(*c, MatcherOptions());
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("intent 'broken'"));
  CHECK_THAT(s.message(), Catch::Contains("missing )"));
}

TEST_CASE("a lookahead, which RE2 does not support, is refused", "[matcher]") {
  auto c = std::make_shared<Content>();
  c->intents = {MakeIntent("perlish", 1, {"i (?!never)used"})};
  Matcher matcher;
  CHECK_FALSE(matcher.Build(*c, MatcherOptions()).ok());
}

TEST_CASE("a thousand intents still compile into one set and match correctly", "[matcher]") {
  auto c = std::make_shared<Content>();
  for (int i = 0; i < 1000; ++i) {
    c->intents.push_back(MakeIntent("topic" + std::to_string(i), i % 7,
                                    {"\\bword" + std::to_string(i) + " (alpha|beta)\\b"}));
  }
  BuiltMatcher m(c);
  CHECK(Ids(m.matcher.Match("say word417 beta please", false)) ==
        std::vector<std::string>{"topic417"});
  CHECK(Ids(m.matcher.Match("word41 gamma", false)).empty());
}
