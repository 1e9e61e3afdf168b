#include "cli/eval.h"

#include <algorithm>
#include <map>
#include <utility>

namespace steady {

const char kNoCrisisLabel[] = "none";

std::optional<double> Ratio(int numerator, int denominator) {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

const LabelStats* ClassificationMetrics::Find(const std::string& label) const {
  for (const LabelStats& stats : labels) {
    if (stats.label == label) return &stats;
  }
  return nullptr;
}

ClassificationMetrics ComputeMetrics(const std::vector<LabeledPrediction>& predictions,
                                     const std::vector<std::string>& always_include) {
  // std::map keeps the rows sorted by label.
  std::map<std::string, LabelStats> by_label;
  std::map<std::pair<std::string, std::string>, int> confused;
  for (const std::string& label : always_include) by_label[label].label = label;

  ClassificationMetrics metrics;
  for (const LabeledPrediction& p : predictions) {
    ++metrics.total;
    LabelStats& expected = by_label[p.expected];
    LabelStats& predicted = by_label[p.predicted];
    expected.label = p.expected;
    predicted.label = p.predicted;
    ++expected.support;
    ++predicted.predicted;
    if (p.expected == p.predicted) {
      ++metrics.correct;
      ++expected.true_positives;
    } else {
      ++expected.false_negatives;
      ++predicted.false_positives;
      ++confused[{p.expected, p.predicted}];
    }
  }

  for (auto& entry : by_label) {
    LabelStats& s = entry.second;
    s.precision = Ratio(s.true_positives, s.true_positives + s.false_positives);
    s.recall = Ratio(s.true_positives, s.true_positives + s.false_negatives);
    s.f1 = Ratio(2 * s.true_positives,
                 2 * s.true_positives + s.false_positives + s.false_negatives);
    metrics.labels.push_back(std::move(s));
  }
  for (const auto& entry : confused) {
    metrics.confusions.push_back({entry.first.first, entry.first.second, entry.second});
  }
  // The map gave name order; a stable sort by count keeps it for ties.
  std::stable_sort(metrics.confusions.begin(), metrics.confusions.end(),
                   [](const Confusion& a, const Confusion& b) { return a.count > b.count; });
  metrics.accuracy = Ratio(metrics.correct, metrics.total);
  return metrics;
}

CrisisSummary SummarizeCrisis(const std::vector<CrisisOutcome>& outcomes) {
  CrisisSummary summary;
  for (const CrisisOutcome& o : outcomes) {
    const bool predicted_crisis = o.predicted != kNoCrisisLabel;
    if (o.expected == kNoCrisisLabel) {
      ++summary.expected_none;
      if (predicted_crisis) ++summary.false_alarms;
      if (!predicted_crisis && o.check_in) ++summary.check_ins_on_none;
    } else {
      ++summary.expected_crisis;
      if (predicted_crisis) ++summary.detected;
      if (o.predicted == o.expected) ++summary.category_right;
      if (!predicted_crisis && o.check_in) ++summary.caught_only_by_check_in;
    }
  }
  return summary;
}

std::vector<GateResult> CheckCrisisGates(const CrisisSummary& summary, const CrisisGates& gates) {
  // Rates are compared with this slack so that 19/20 meets a gate of 0.95
  // whatever the rounding of either side.
  constexpr double kGateSlack = 1e-9;
  std::vector<GateResult> results;
  auto check = [&](const char* flag, const std::optional<double>& limit, bool at_least,
                   const std::optional<double>& rate) {
    if (!limit) return;
    GateResult r{flag, *limit, rate, false};
    if (rate) r.met = at_least ? *rate >= *limit - kGateSlack : *rate <= *limit + kGateSlack;
    results.push_back(std::move(r));
  };
  check("--min-crisis-recall", gates.min_crisis_recall, true, summary.recall());
  check("--max-false-alarm", gates.max_false_alarm, false, summary.false_alarm_rate());
  check("--min-category-accuracy", gates.min_category_accuracy, true,
        summary.category_right_rate());
  return results;
}

}  // namespace steady
