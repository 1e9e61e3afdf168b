// The arithmetic behind `steady eval`, on hand-made confusion sets.
#include <catch2/catch.hpp>

#include "cli/eval.h"

namespace steady {
namespace {

// 10 messages: craving 4 (3 right, 1 -> fallback), lapse 4 (2 right,
// 2 -> craving), fallback 2 (2 right).
std::vector<LabeledPrediction> SmallIntentSet() {
  return {
      {"craving", "craving"},   {"craving", "craving"},   {"craving", "craving"},
      {"craving", "fallback"},  {"lapse", "lapse"},       {"lapse", "lapse"},
      {"lapse", "craving"},     {"lapse", "craving"},     {"fallback", "fallback"},
      {"fallback", "fallback"},
  };
}

TEST_CASE("precision and recall count true and false positives per label") {
  const ClassificationMetrics m = ComputeMetrics(SmallIntentSet());

  const LabelStats* craving = m.Find("craving");
  REQUIRE(craving != nullptr);
  CHECK(craving->support == 4);
  CHECK(craving->predicted == 5);
  CHECK(craving->true_positives == 3);
  CHECK(craving->false_positives == 2);
  CHECK(craving->false_negatives == 1);
  CHECK(*craving->precision == Approx(3.0 / 5.0));
  CHECK(*craving->recall == Approx(3.0 / 4.0));
  CHECK(*craving->f1 == Approx(2 * 0.6 * 0.75 / (0.6 + 0.75)));

  const LabelStats* lapse = m.Find("lapse");
  REQUIRE(lapse != nullptr);
  CHECK(*lapse->precision == Approx(1.0));
  CHECK(*lapse->recall == Approx(0.5));

  const LabelStats* fallback = m.Find("fallback");
  REQUIRE(fallback != nullptr);
  CHECK(*fallback->precision == Approx(2.0 / 3.0));
  CHECK(*fallback->recall == Approx(1.0));
}

TEST_CASE("accuracy is the share of messages labelled right") {
  const ClassificationMetrics m = ComputeMetrics(SmallIntentSet());
  CHECK(m.total == 10);
  CHECK(m.correct == 7);
  CHECK(*m.accuracy == Approx(0.7));
}

TEST_CASE("rows are sorted by label") {
  const ClassificationMetrics m = ComputeMetrics(SmallIntentSet());
  REQUIRE(m.labels.size() == 3);
  CHECK(m.labels[0].label == "craving");
  CHECK(m.labels[1].label == "fallback");
  CHECK(m.labels[2].label == "lapse");
}

TEST_CASE("confusions list the most frequent mistakes first") {
  const ClassificationMetrics m = ComputeMetrics(SmallIntentSet());
  REQUIRE(m.confusions.size() == 2);
  CHECK(m.confusions[0].expected == "lapse");
  CHECK(m.confusions[0].predicted == "craving");
  CHECK(m.confusions[0].count == 2);
  CHECK(m.confusions[1].expected == "craving");
  CHECK(m.confusions[1].predicted == "fallback");
  CHECK(m.confusions[1].count == 1);
}

TEST_CASE("confusions with the same count are ordered by name") {
  const ClassificationMetrics m =
      ComputeMetrics({{"b", "a"}, {"a", "c"}, {"a", "b"}, {"c", "a"}});
  REQUIRE(m.confusions.size() == 4);
  CHECK(m.confusions[0].expected == "a");
  CHECK(m.confusions[0].predicted == "b");
  CHECK(m.confusions[1].expected == "a");
  CHECK(m.confusions[1].predicted == "c");
  CHECK(m.confusions[2].expected == "b");
  CHECK(m.confusions[3].expected == "c");
}

TEST_CASE("a label never predicted has no precision, not a precision of zero") {
  const ClassificationMetrics m = ComputeMetrics({{"craving", "fallback"}});
  const LabelStats* craving = m.Find("craving");
  REQUIRE(craving != nullptr);
  CHECK_FALSE(craving->precision.has_value());
  REQUIRE(craving->recall.has_value());
  CHECK(*craving->recall == 0.0);
  // Nothing right: F1 is 0, defined.
  REQUIRE(craving->f1.has_value());
  CHECK(*craving->f1 == 0.0);
}

TEST_CASE("a label never expected has no recall") {
  const ClassificationMetrics m = ComputeMetrics({{"craving", "fallback"}});
  const LabelStats* fallback = m.Find("fallback");
  REQUIRE(fallback != nullptr);
  CHECK(fallback->support == 0);
  CHECK_FALSE(fallback->recall.has_value());
  REQUIRE(fallback->precision.has_value());
  CHECK(*fallback->precision == 0.0);
}

TEST_CASE("no messages at all gives no accuracy and no rows") {
  const ClassificationMetrics m = ComputeMetrics({});
  CHECK(m.total == 0);
  CHECK_FALSE(m.accuracy.has_value());
  CHECK(m.labels.empty());
  CHECK(m.confusions.empty());
}

TEST_CASE("an always-included label gets an empty row") {
  const ClassificationMetrics m = ComputeMetrics({{"suicide", "suicide"}}, {"abuse", "suicide"});
  const LabelStats* abuse = m.Find("abuse");
  REQUIRE(abuse != nullptr);
  CHECK(abuse->support == 0);
  CHECK(abuse->predicted == 0);
  CHECK_FALSE(abuse->precision.has_value());
  CHECK_FALSE(abuse->recall.has_value());
  CHECK_FALSE(abuse->f1.has_value());
  CHECK(m.Find("suicide")->support == 1);
}

TEST_CASE("Ratio is undefined only for a zero denominator") {
  CHECK_FALSE(Ratio(0, 0).has_value());
  CHECK_FALSE(Ratio(3, 0).has_value());
  CHECK(*Ratio(0, 4) == 0.0);
  CHECK(*Ratio(1, 4) == Approx(0.25));
}

TEST_CASE("crisis recall counts any category as detected") {
  const CrisisSummary s = SummarizeCrisis({
      {"suicide", "suicide", false},
      {"suicide", "overdose", false},  // detected, wrong category
      {"self_harm", "none", true},     // only the check-in
      {"abuse", "none", false},        // missed
  });
  CHECK(s.expected_crisis == 4);
  CHECK(s.detected == 2);
  CHECK(s.category_right == 1);
  CHECK(s.caught_only_by_check_in == 1);
  CHECK(*s.recall() == Approx(0.5));
  CHECK(*s.category_right_rate() == Approx(0.25));
}

TEST_CASE("the false-alarm rate is crises predicted among non-crisis messages") {
  const CrisisSummary s = SummarizeCrisis({
      {"none", "none", false},
      {"none", "none", true},      // a check-in is not a false alarm
      {"none", "suicide", false},  // a false alarm
      {"none", "none", false},
      {"suicide", "suicide", false},
  });
  CHECK(s.expected_none == 4);
  CHECK(s.false_alarms == 1);
  CHECK(s.check_ins_on_none == 1);
  CHECK(*s.false_alarm_rate() == Approx(0.25));
}

TEST_CASE("crisis rates with nothing to measure are undefined") {
  const CrisisSummary only_none = SummarizeCrisis({{"none", "none", false}});
  CHECK_FALSE(only_none.recall().has_value());
  CHECK_FALSE(only_none.category_right_rate().has_value());
  CHECK(*only_none.false_alarm_rate() == 0.0);

  const CrisisSummary only_crisis = SummarizeCrisis({{"overdose", "overdose", false}});
  CHECK_FALSE(only_crisis.false_alarm_rate().has_value());
  CHECK(*only_crisis.recall() == 1.0);

  const CrisisSummary empty = SummarizeCrisis({});
  CHECK_FALSE(empty.recall().has_value());
  CHECK_FALSE(empty.false_alarm_rate().has_value());
}

TEST_CASE("the category-accuracy gate fails when crises are caught under the wrong category") {
  // Every crisis is detected, but one overdose is called suicide: 988 instead of 911 first.
  const CrisisSummary s = SummarizeCrisis({
      {"overdose", "overdose", false},
      {"overdose", "suicide", false},
      {"suicide", "suicide", false},
      {"abuse", "abuse", false},
      {"none", "none", false},
  });
  CrisisGates gates;
  gates.min_crisis_recall = 1.0;
  gates.min_category_accuracy = 0.9;
  const std::vector<GateResult> r = CheckCrisisGates(s, gates);
  REQUIRE(r.size() == 2);
  CHECK(r[0].flag == "--min-crisis-recall");
  CHECK(r[0].met);
  CHECK(r[1].flag == "--min-category-accuracy");
  CHECK(*r[1].rate == Approx(0.75));
  CHECK_FALSE(r[1].met);

  gates.min_category_accuracy = 0.75;  // exactly at the bar passes
  CHECK(CheckCrisisGates(s, gates)[1].met);
}

TEST_CASE("a gate with nothing to measure fails, and an unset gate is not checked") {
  const CrisisSummary only_none = SummarizeCrisis({{"none", "none", false}});
  CrisisGates gates;
  CHECK(CheckCrisisGates(only_none, gates).empty());
  gates.min_category_accuracy = 0.5;
  gates.max_false_alarm = 0.05;
  const std::vector<GateResult> r = CheckCrisisGates(only_none, gates);
  REQUIRE(r.size() == 2);
  CHECK(r[0].flag == "--max-false-alarm");
  CHECK(r[0].met);
  CHECK(r[1].flag == "--min-category-accuracy");
  CHECK_FALSE(r[1].rate.has_value());
  CHECK_FALSE(r[1].met);
}

}  // namespace
}  // namespace steady
