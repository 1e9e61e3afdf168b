// Evaluation metrics for `steady eval`: how well labelled messages are
// classified, per label and overall.
//
// Pure arithmetic over (expected, predicted) label pairs; no engine, no I/O,
// so the numbers can be unit-tested on hand-made confusion sets. Labels are
// plain strings: intent ids for the intent evaluation, crisis category names
// and "none" for the crisis evaluation.
//
// A rate whose denominator is zero (precision of a label never predicted,
// recall of a label never expected) is nullopt, not 0 or 1: "no evidence"
// must not read as "perfect" or as "always wrong", and gates on it decide
// explicitly what to do.
#ifndef STEADY_CLI_EVAL_H_
#define STEADY_CLI_EVAL_H_

#include <optional>
#include <string>
#include <vector>

namespace steady {

// The crisis label of a message that is not a crisis.
extern const char kNoCrisisLabel[];  // "none"

// numerator / denominator, or nullopt when denominator is 0.
std::optional<double> Ratio(int numerator, int denominator);

struct LabeledPrediction {
  std::string expected;
  std::string predicted;
};

// One label's counts and rates.
struct LabelStats {
  std::string label;
  int support = 0;          // messages expected to have this label (tp + fn)
  int predicted = 0;        // messages predicted to have it (tp + fp)
  int true_positives = 0;   // expected and predicted
  int false_positives = 0;  // predicted, expected something else
  int false_negatives = 0;  // expected, predicted something else
  std::optional<double> precision;  // tp / (tp + fp); nullopt if never predicted
  std::optional<double> recall;     // tp / (tp + fn); nullopt if never expected
  // 2tp / (2tp + fp + fn): the harmonic mean of precision and recall where
  // both exist, and 0 (not undefined) when one is 0 and the other undefined.
  std::optional<double> f1;
};

// How often messages expected as one label were predicted as another.
struct Confusion {
  std::string expected;
  std::string predicted;
  int count = 0;
};

struct ClassificationMetrics {
  // Every label expected or predicted (plus any always-included one),
  // sorted by name.
  std::vector<LabelStats> labels;
  // Pairs with expected != predicted; most frequent first, ties by name.
  std::vector<Confusion> confusions;
  int total = 0;    // messages
  int correct = 0;  // expected == predicted
  std::optional<double> accuracy;  // correct / total

  // The stats of `label`, or nullptr if it was never seen.
  const LabelStats* Find(const std::string& label) const;
};

// Counts and rates for `predictions`. Labels in `always_include` get a row
// even when no message has them (zero support shows a gap in the test data).
ClassificationMetrics ComputeMetrics(const std::vector<LabeledPrediction>& predictions,
                                     const std::vector<std::string>& always_include = {});

// One message of the crisis evaluation. Labels are category names or
// kNoCrisisLabel.
struct CrisisOutcome {
  std::string expected;
  std::string predicted;
  // The message got the ambiguous-risk check-in (intent crisis.check_in,
  // crisis null): a direct question about suicide but no crisis resources.
  bool check_in = false;
};

// The numbers a safety review asks about, beyond per-category rows.
struct CrisisSummary {
  int expected_crisis = 0;  // messages labelled with a crisis category
  int detected = 0;         // ...predicted as some crisis category (any)
  int category_right = 0;   // ...predicted as their own category
  // ...predicted as no crisis but given the check-in. Not counted as
  // detected: the check-in asks, it does not show the resources.
  int caught_only_by_check_in = 0;
  int expected_none = 0;     // messages that are not a crisis
  int false_alarms = 0;      // ...predicted as some crisis category
  int check_ins_on_none = 0; // ...given the check-in

  // detected / expected_crisis: the share of crises that reach crisis routing.
  std::optional<double> recall() const { return Ratio(detected, expected_crisis); }
  std::optional<double> category_right_rate() const {
    return Ratio(category_right, expected_crisis);
  }
  // false_alarms / expected_none.
  std::optional<double> false_alarm_rate() const { return Ratio(false_alarms, expected_none); }
};

CrisisSummary SummarizeCrisis(const std::vector<CrisisOutcome>& outcomes);

// The bars `steady eval` can hold the crisis evaluation to (fractions 0..1;
// unset: no gate).
struct CrisisGates {
  std::optional<double> min_crisis_recall;      // --min-crisis-recall: recall()
  std::optional<double> max_false_alarm;        // --max-false-alarm: false_alarm_rate()
  std::optional<double> min_category_accuracy;  // --min-category-accuracy: category_right_rate()
};

// One gate checked: its flag, its bar, the measured rate and the verdict.
struct GateResult {
  std::string flag;   // "--min-crisis-recall"
  double limit = 0;
  std::optional<double> rate;  // nullopt: nothing to measure it on
  // The rate meets the bar (with 1e-9 of slack, so 19/20 meets 0.95). A gate
  // with nothing to measure fails: a safety gate must not pass silently.
  bool met = false;
};

// The gates set in `gates`, in the order above.
std::vector<GateResult> CheckCrisisGates(const CrisisSummary& summary, const CrisisGates& gates);

}  // namespace steady

#endif  // STEADY_CLI_EVAL_H_
