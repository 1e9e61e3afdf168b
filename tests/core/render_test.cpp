// How remembered values appear in reply text.
#include "core/render.h"

#include <catch2/catch.hpp>

using namespace steady;

namespace {

struct Scope {
  SessionState state;
  SystemContent system;
  RenderScope Get() {
    RenderScope scope;
    scope.state = &state;
    scope.system = &system;
    return scope;
  }
};

}  // namespace

TEST_CASE("an empty value says the content's fallback words", "[render]") {
  Scope s;
  CHECK(RenderText("Triggers: {plan.triggers|none yet}.", s.Get()) == "Triggers: none yet.");
  s.state.plan["triggers"] = {"payday", "Fridays"};
  CHECK(RenderText("Triggers: {plan.triggers|none yet}.", s.Get()) == "Triggers: payday; Fridays.");
}

TEST_CASE("the coach's name and slots fill in; unknown names say nothing", "[render]") {
  Scope s;
  s.state.slots["who"] = "my sister";
  CHECK(RenderText("{coach} here. You said {who}.{nothing}", s.Get()) ==
        "Coach here. You said my sister.");
}

TEST_CASE("braces that are not a placeholder are left as written", "[render]") {
  Scope s;
  CHECK(RenderText("a {Big Deal} and {half", s.Get()) == "a {Big Deal} and {half");
}

TEST_CASE("placeholders are listed with whether they have a fallback", "[render]") {
  std::vector<Placeholder> found = FindPlaceholders("{a} {b.c|x} {Not one}");
  REQUIRE(found.size() == 2);
  CHECK(found[0].name == "a");
  CHECK_FALSE(found[0].has_fallback);
  CHECK(found[1].name == "b.c");
  CHECK(found[1].has_fallback);
}

TEST_CASE("episode dates are UTC calendar dates, empty when unknown", "[render]") {
  CHECK(UtcDate(0) == "");
  CHECK(UtcDate(1767225600) == "2026-01-01");
  CHECK(UtcDate(951782400) == "2000-02-29");
  CHECK(UtcDate(1767225599) == "2025-12-31");
}
