#include "core/session_state.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

using namespace steady;

namespace {

SessionState BusyState() {
  SessionState state;
  state.seed = 42;
  state.turn_count = 7;
  state.stack = {FlowFrame{"lapse", "safety"}, FlowFrame{"crisis_suicide", "check_safe"}};
  state.slots = {{"what_happened", "I drank at my cousin\xE2\x80\x99s party \xF0\x9F\x98\x9E"},
                 {"trigger", "stress \"at work\""}};
  state.crisis_mode = CrisisCategory::kSuicide;
  state.risk_context = true;
  state.unmatched_streak = 2;
  state.crisis_started_at = 1767225600;
  state.plan = {{"triggers", {"payday", "my cousin\xE2\x80\x99s place"}}, {"people", {"Ana"}}};
  Episode episode;
  episode.when = 1767222000;
  episode.fields = {{"what", "a party"}, {"helped", "call Ana"}};
  state.episodes = {episode, Episode{}};
  return state;
}

SessionState Parsed(const std::string& json) {
  SessionState state;
  Status s = ParseState(json, &state);
  INFO(s.message());
  REQUIRE(s.ok());
  return state;
}

}  // namespace

TEST_CASE("a session comes back exactly as it was saved", "[session_state]") {
  const SessionState state = BusyState();
  const SessionState back = Parsed(SerializeState(state));
  CHECK(back == state);
  CHECK(back.stack[1].node == "check_safe");
  CHECK(back.slots.at("trigger") == "stress \"at work\"");
  CHECK(back.crisis_mode == CrisisCategory::kSuicide);
  CHECK(back.crisis_started_at == 1767225600);
  CHECK_FALSE(back.crisis_ended_at);
  CHECK(back.plan.at("people") == std::vector<std::string>{"Ana"});
  REQUIRE(back.episodes.size() == 2);
  CHECK(back.episodes[0].when == 1767222000);
  CHECK(back.episodes[0].fields.at("helped") == "call Ana");
}

TEST_CASE("a state stored before crisis times, plan and episodes existed still reads",
          "[session_state]") {
  const SessionState state = Parsed(
      R"({"v":1,"seed":5,"turn_count":1,"stack":[],"slots":{},"crisis_mode":"suicide",)"
      R"("risk_context":true,"unmatched_streak":0})");
  CHECK(state.crisis_mode == CrisisCategory::kSuicide);
  CHECK_FALSE(state.crisis_started_at);
  CHECK_FALSE(state.crisis_ended_at);
  CHECK(state.plan.empty());
  CHECK(state.episodes.empty());
}

TEST_CASE("a damaged plan or episode list is reported, not half read", "[session_state]") {
  const char* bad[] = {
      R"({"v":1,"seed":1,"plan":[]})",
      R"({"v":1,"seed":1,"plan":{"triggers":"payday"}})",
      R"({"v":1,"seed":1,"plan":{"triggers":[3]}})",
      R"({"v":1,"seed":1,"episodes":{}})",
      R"({"v":1,"seed":1,"episodes":[{"when":"today"}]})",
      R"({"v":1,"seed":1,"episodes":[{"fields":{"what":1}}]})",
      R"({"v":1,"seed":1,"crisis_started_at":"noon"})",
  };
  for (const char* json : bad) {
    INFO(json);
    SessionState state;
    CHECK(ParseState(json, &state).code() == Status::Code::kCorruption);
  }
}

TEST_CASE("a fresh session round-trips too", "[session_state]") {
  const SessionState fresh;
  CHECK(Parsed(SerializeState(fresh)) == fresh);
}

TEST_CASE("seeds above 2^53 survive storage exactly", "[session_state]") {
  for (uint64_t seed : {uint64_t{(1ULL << 53) + 1}, uint64_t{0x9E3779B97F4A7C15ULL},
                        std::numeric_limits<uint64_t>::max()}) {
    SessionState state;
    state.seed = seed;
    const std::string json = SerializeState(state);
    CHECK(json.find(std::to_string(seed)) != std::string::npos);  // a plain JSON number
    CHECK(Parsed(json).seed == seed);
  }
}

TEST_CASE("every crisis category is stored by name", "[session_state]") {
  for (CrisisCategory category :
       {CrisisCategory::kOverdose, CrisisCategory::kSuicide, CrisisCategory::kHarmToOthers,
        CrisisCategory::kAbuse, CrisisCategory::kSelfHarm}) {
    SessionState state;
    state.crisis_mode = category;
    const std::string json = SerializeState(state);
    CHECK(json.find(std::string("\"crisis_mode\":\"") + CrisisCategoryName(category) + "\"") !=
          std::string::npos);
    CHECK(Parsed(json).crisis_mode == category);
  }
}

TEST_CASE("stored state uses the documented field names", "[session_state]") {
  const std::string json = SerializeState(BusyState());
  for (const char* field : {"\"v\":1", "\"seed\":42", "\"turn_count\":7",
                            "\"stack\":[{\"flow\":\"lapse\",\"node\":\"safety\"}",
                            "\"slots\":{", "\"crisis_mode\":\"suicide\"",
                            "\"risk_context\":true", "\"unmatched_streak\":2",
                            "\"crisis_started_at\":1767225600", "\"crisis_ended_at\":null",
                            "\"plan\":{\"people\":[\"Ana\"]",
                            "\"episodes\":[{\"fields\":{\"helped\":\"call Ana\",\"what\":\"a party\"},"
                            "\"when\":1767222000}"}) {
    INFO(field);
    CHECK(json.find(field) != std::string::npos);
  }
  CHECK(SerializeState(SessionState()).find("\"crisis_mode\":null") != std::string::npos);
}

TEST_CASE("unknown fields in stored state are ignored", "[session_state]") {
  const SessionState state = Parsed(
      R"({"v":1,"seed":5,"turn_count":1,"stack":[],"slots":{},"crisis_mode":null,)"
      R"("risk_context":false,"unmatched_streak":0,"added_later":{"x":[1,2]}})");
  CHECK(state.seed == 5);
  CHECK(state.turn_count == 1);
}

TEST_CASE("corrupt state JSON is reported, not thrown", "[session_state]") {
  const char* bad[] = {
      "",
      "not json",
      "{\"v\":1,\"seed\":1",                             // truncated
      "[1,2,3]",                                          // not an object
      R"({"seed":1})",                                    // no version
      R"({"v":2,"seed":1})",                              // a version this code cannot read
      R"({"v":1})",                                       // no seed
      R"({"v":1,"seed":-1})",
      R"({"v":1,"seed":1.5})",
      R"({"v":1,"seed":"1"})",
      R"({"v":1,"seed":1,"turn_count":"3"})",
      R"({"v":1,"seed":1,"stack":{}})",
      R"({"v":1,"seed":1,"stack":[{"flow":"lapse"}]})",
      R"({"v":1,"seed":1,"stack":[{"flow":"lapse","node":3}]})",
      R"({"v":1,"seed":1,"slots":{"a":1}})",
      R"({"v":1,"seed":1,"crisis_mode":"sad"})",
      R"({"v":1,"seed":1,"crisis_mode":3})",
      R"({"v":1,"seed":1,"risk_context":1})",
      R"({"v":1,"seed":1,"unmatched_streak":-1})",
      R"({"v":1,"seed":1,"unmatched_streak":99999999999})",
      "{\"v\":1,\"seed\":1,\"slots\":{\"a\":\"\xFF\"}}",  // invalid UTF-8 inside a string
  };
  for (const char* json : bad) {
    INFO(json);
    SessionState state = BusyState();
    Status s;
    REQUIRE_NOTHROW(s = ParseState(json, &state));
    CHECK(s.code() == Status::Code::kCorruption);
    CHECK(state == BusyState());  // left untouched on failure
  }
}

TEST_CASE("states differing in any field are not equal", "[session_state]") {
  const SessionState base = BusyState();
  SessionState other = base;
  CHECK(other == base);
  other.unmatched_streak = 3;
  CHECK_FALSE(other == base);
  other = base;
  other.crisis_mode.reset();
  CHECK_FALSE(other == base);
  other = base;
  other.stack.pop_back();
  CHECK_FALSE(other == base);
  other = base;
  other.slots["trigger"] = "boredom";
  CHECK_FALSE(other == base);
  other = base;
  other.risk_context = false;
  CHECK_FALSE(other == base);
  other = base;
  other.crisis_ended_at = 5;
  CHECK_FALSE(other == base);
  other = base;
  other.plan["helps"] = {"walk"};
  CHECK_FALSE(other == base);
  other = base;
  other.episodes.pop_back();
  CHECK_FALSE(other == base);
}

TEST_CASE("a slot holding broken bytes still saves", "[session_state]") {
  SessionState state;
  state.slots["what_happened"] = "bad \xFF byte";
  std::string json;
  REQUIRE_NOTHROW(json = SerializeState(state));
  CHECK(Parsed(json).slots.at("what_happened") == "bad \xEF\xBF\xBD byte");
}
