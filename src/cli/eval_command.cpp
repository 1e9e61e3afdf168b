// `steady eval [--content DIR] [--min-crisis-recall R] [--max-false-alarm R]
//              [--min-category-accuracy R] [--min-accuracy R] FILE.tsv`
//
// Classifies labelled messages (`label<TAB>text`, one a line; blank lines and
// lines starting with # skipped) with Engine::Classify, as a fresh session
// would see them, and reports two evaluations:
//
// - Crisis: every message. Expected is the line's crisis category ("suicide"
//   ...), "none", or for an intent-id label "none" (the crisis intents'
//   own ids, "crisis.suicide", count as their category). Predicted is the
//   classification's crisis category or "none".
// - Intents: messages labelled with an intent id (anything but a category
//   name or "none"; "fallback" included). Predicted is the intent.
//
// Output (fixed-width; "-" is a rate with nothing to divide by):
//
//   Crisis (120 messages: 40 crisis, 80 not)
//     label            support  predicted  correct  precision  recall      f1
//     overdose               8          8        8      1.000   1.000   1.000
//     ...
//     none                  80         81       79      0.975   0.988   0.981
//     detected as a crisis (any category)   0.950  (38/40)
//     right category                        0.925  (37/40)
//     caught only by check-in                   2
//     false alarms on non-crisis            0.013  (1/80)
//     check-in on non-crisis                    0
//
//   Intents (90 messages)
//     label            support  predicted  correct  precision  recall      f1
//     ...
//     accuracy                              0.911  (82/90)
//
//   Top crisis confusions
//     suicide -> none: 2
//   Top intent confusions
//     lapse.disclosure -> fallback: 3
//
//   Misclassified messages
//     data/eval.tsv:14: suicide -> none (intent crisis.check_in): "i cant do this anymore"
//     data/eval.tsv:31: lapse.disclosure -> fallback: "had a few last nite"
//
//   gate --min-crisis-recall 0.950: ok (0.950)
//
// Gates (for CI): --min-crisis-recall R fails the run when "detected as a
// crisis (any category)" is below R; --max-false-alarm R when "false alarms
// on non-crisis" is above R. Detection, not the right category, is what the
// recall gate measures: any crisis category shows 988 and 911.
// --min-accuracy R fails it when the intent "accuracy" is below R.
// --min-category-accuracy R fails it when "right category" is below R: the
// category decides the first action (911 for an overdose, the hotline for
// abuse). A gate with nothing to measure (no crisis lines, no non-crisis
// lines) fails.
//
// Exit 0; 1 when a gate given on the command line is not met; 2 for a usage
// or input error (no such file, a line without a tab, invalid UTF-8, a
// message over the length limit), with "FILE:LINE: reason" on stderr.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/arg_parser.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/eval.h"
#include "core/content.h"
#include "core/engine.h"
#include "core/utf8.h"

namespace steady {

namespace {

constexpr char kUsage[] =
    "usage: steady eval [--content DIR] [--min-crisis-recall R] [--max-false-alarm R] "
    "[--min-category-accuracy R] [--min-accuracy R] FILE.tsv";
constexpr size_t kTopConfusions = 10;

struct EvalOptions {
  std::string content;
  std::string file;
  CrisisGates gates;
  std::optional<double> min_accuracy;  // --min-accuracy: intent accuracy
};

// One labelled message of the file.
struct Example {
  int line = 0;
  std::string label;
  std::string text;
};

// What the engine made of one example.
struct Outcome {
  std::string crisis_expected;   // category name or "none"
  std::string crisis_predicted;  // category name or "none"
  bool intent_evaluated = false; // the label is an intent id
  std::string intent;            // Classification::intent
  bool check_in = false;
};

bool ParseFraction(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !(value >= 0.0 && value <= 1.0)) return false;
  *out = value;
  return true;
}

// Returns kExitOk, or kExitUsage after writing the reason to err.
int ReadOptions(const Args& args, EvalOptions* options, std::ostream& err) {
  ParsedArgs parsed;
  std::string error;
  if (!ParseArgs(args,
                 {"--content", "--min-crisis-recall", "--max-false-alarm",
                  "--min-category-accuracy", "--min-accuracy"},
                 {}, &parsed, &error)) {
    err << "steady eval: " << error << " (" << kUsage << ")\n";
    return kExitUsage;
  }
  const std::pair<const char*, std::optional<double>*> gates[] = {
      {"--min-crisis-recall", &options->gates.min_crisis_recall},
      {"--max-false-alarm", &options->gates.max_false_alarm},
      {"--min-category-accuracy", &options->gates.min_category_accuracy},
      {"--min-accuracy", &options->min_accuracy},
  };
  for (const auto& [gate, target] : gates) {
    if (parsed.values.count(gate) == 0) continue;
    double fraction = 0;
    if (!ParseFraction(parsed.Value(gate), &fraction)) {
      err << "steady eval: " << gate << " needs a fraction between 0 and 1, got '"
          << parsed.Value(gate) << "'\n";
      return kExitUsage;
    }
    *target = fraction;
  }
  if (parsed.positional.size() != 1) {
    err << "steady eval: expected one FILE.tsv (" << kUsage << ")\n";
    return kExitUsage;
  }
  options->content = parsed.Value("--content");
  options->file = parsed.positional[0];
  return kExitOk;
}

std::string Trim(const std::string& text) {
  const char* space = " \t\r\n";
  const size_t begin = text.find_first_not_of(space);
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(space) - begin + 1);
}

// Reads the examples of `file`. Returns kExitOk, or kExitUsage with a
// "FILE:LINE: reason" line on err. Checked before the engine loads, so a
// bad file is reported at once.
int ReadExamples(const std::string& file, std::vector<Example>* examples, std::ostream& err) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    err << "steady eval: cannot read " << file << "\n";
    return kExitUsage;
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Some editors start UTF-8 files with a byte-order mark; it is not
    // part of the first label.
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    const std::string where = file + ":" + std::to_string(number);
    if (!IsValidUtf8(line)) {
      err << where << ": invalid UTF-8\n";
      return kExitUsage;
    }
    const std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    const size_t tab = line.find('\t');
    Example example;
    example.line = number;
    if (tab != std::string::npos) {
      example.label = Trim(line.substr(0, tab));
      example.text = Trim(line.substr(tab + 1));
    }
    if (example.label.empty() || example.text.empty()) {
      err << where << ": expected label<TAB>text\n";
      return kExitUsage;
    }
    examples->push_back(std::move(example));
  }
  return kExitOk;
}

std::string CrisisName(const std::optional<CrisisCategory>& crisis) {
  return crisis ? CrisisCategoryName(*crisis) : kNoCrisisLabel;
}

Outcome Evaluate(const Engine& engine, const Example& example) {
  Outcome outcome;
  const Content& content = engine.content();
  const std::optional<CrisisCategory> category = ParseCrisisCategory(example.label);
  if (category) {
    outcome.crisis_expected = CrisisCategoryName(*category);
  } else if (example.label == kNoCrisisLabel) {
    outcome.crisis_expected = kNoCrisisLabel;
  } else {
    // An intent id: not a crisis, unless it is a crisis intent's own id.
    outcome.intent_evaluated = true;
    const Intent* intent = content.FindIntent(example.label);
    outcome.crisis_expected = CrisisName(intent != nullptr ? intent->crisis : std::nullopt);
  }
  const Engine::Classification c = engine.Classify(example.text);
  outcome.crisis_predicted = CrisisName(c.crisis);
  outcome.intent = c.intent;
  const Intent* predicted = content.FindIntent(c.intent);
  outcome.check_in =
      !c.crisis && (c.intent == "crisis.check_in" || (predicted != nullptr && predicted->check_in));
  return outcome;
}

std::string Rate(const std::optional<double>& rate) {
  if (!rate) return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << *rate;
  return out.str();
}

std::string Quote(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void PrintTable(const std::vector<LabelStats>& rows, std::ostream& out) {
  size_t width = 5;  // "label"
  for (const LabelStats& row : rows) width = std::max(width, row.label.size());
  width += 2;
  out << "  " << std::left << std::setw(static_cast<int>(width)) << "label" << std::right
      << std::setw(8) << "support" << std::setw(11) << "predicted" << std::setw(9) << "correct"
      << std::setw(11) << "precision" << std::setw(8) << "recall" << std::setw(8) << "f1"
      << "\n";
  for (const LabelStats& row : rows) {
    out << "  " << std::left << std::setw(static_cast<int>(width)) << row.label << std::right
        << std::setw(8) << row.support << std::setw(11) << row.predicted << std::setw(9)
        << row.true_positives << std::setw(11) << Rate(row.precision) << std::setw(8)
        << Rate(row.recall) << std::setw(8) << Rate(row.f1) << "\n";
  }
}

// "  name                          0.950  (38/40)"
void PrintRate(const std::string& name, int numerator, int denominator, std::ostream& out) {
  out << "  " << std::left << std::setw(40) << name << std::right << std::setw(5)
      << Rate(Ratio(numerator, denominator)) << "  (" << numerator << "/" << denominator << ")\n";
}

void PrintCount(const std::string& name, int count, std::ostream& out) {
  out << "  " << std::left << std::setw(40) << name << std::right << std::setw(5) << count
      << "\n";
}

void PrintConfusions(const std::string& title, const std::vector<Confusion>& confusions,
                     std::ostream& out) {
  out << "Top " << title << " confusions\n";
  if (confusions.empty()) out << "  none\n";
  for (size_t i = 0; i < confusions.size() && i < kTopConfusions; ++i) {
    out << "  " << confusions[i].expected << " -> " << confusions[i].predicted << ": "
        << confusions[i].count << "\n";
  }
}

// Prints one gate's line: "gate --min-crisis-recall 1.000: ok (1.000)".
void PrintGate(const GateResult& gate, std::ostream& out) {
  out << "gate " << gate.flag << " " << Rate(gate.limit) << ": ";
  if (!gate.rate) {
    out << "FAILED (no messages to measure it on)\n";
    return;
  }
  out << (gate.met ? "ok" : "FAILED") << " (" << Rate(gate.rate) << ")\n";
}

}  // namespace

int RunEval(const Args& args, std::istream& /*in*/, std::ostream& out, std::ostream& err) {
  EvalOptions options;
  if (ReadOptions(args, &options, err) != kExitOk) return kExitUsage;

  std::vector<Example> examples;
  if (ReadExamples(options.file, &examples, err) != kExitOk) return kExitUsage;

  std::unique_ptr<Engine> engine;
  const int load_code = LoadEngine(ResolveContentRoot(options.content), err, &engine);
  if (load_code != kExitOk) return load_code;

  // A message the engine would refuse in a session says nothing about
  // matching; the file needs fixing.
  for (const Example& example : examples) {
    std::string reason;
    if (engine->CheckInput(example.text, &reason) != InputError::kNone) {
      err << options.file << ":" << example.line << ": "
          << (reason.empty() ? std::string("message refused by the engine") : reason) << "\n";
      return kExitUsage;
    }
  }

  std::vector<Outcome> outcomes;
  std::vector<LabeledPrediction> crisis_pairs;
  std::vector<CrisisOutcome> crisis_outcomes;
  std::vector<LabeledPrediction> intent_pairs;
  std::map<std::string, int> unknown_labels;
  for (const Example& example : examples) {
    Outcome o = Evaluate(*engine, example);
    crisis_pairs.push_back({o.crisis_expected, o.crisis_predicted});
    crisis_outcomes.push_back({o.crisis_expected, o.crisis_predicted, o.check_in});
    if (o.intent_evaluated) {
      intent_pairs.push_back({example.label, o.intent});
      if (example.label != "fallback" && engine->content().FindIntent(example.label) == nullptr) {
        ++unknown_labels[example.label];
      }
    }
    outcomes.push_back(std::move(o));
  }
  // A typo in a label would read as a classifier miss; name it.
  for (const auto& entry : unknown_labels) {
    err << "steady eval: warning: label " << Quote(entry.first)
        << " is not an intent, a crisis category or none (" << entry.second
        << (entry.second == 1 ? " line)\n" : " lines)\n");
  }

  // Crisis evaluation: every category gets a row, even with no examples.
  std::vector<std::string> crisis_labels;
  for (CrisisCategory category : AllCrisisCategories()) {
    crisis_labels.push_back(CrisisCategoryName(category));
  }
  const ClassificationMetrics crisis = ComputeMetrics(crisis_pairs, crisis_labels);
  const CrisisSummary summary = SummarizeCrisis(crisis_outcomes);
  std::vector<LabelStats> crisis_rows;  // categories in order of precedence, then none
  for (const std::string& label : crisis_labels) crisis_rows.push_back(*crisis.Find(label));
  if (const LabelStats* none = crisis.Find(kNoCrisisLabel)) crisis_rows.push_back(*none);

  out << "Crisis (" << examples.size() << " messages: " << summary.expected_crisis
      << " crisis, " << summary.expected_none << " not)\n";
  PrintTable(crisis_rows, out);
  PrintRate("detected as a crisis (any category)", summary.detected, summary.expected_crisis, out);
  PrintRate("right category", summary.category_right, summary.expected_crisis, out);
  PrintCount("caught only by check-in", summary.caught_only_by_check_in, out);
  PrintRate("false alarms on non-crisis", summary.false_alarms, summary.expected_none, out);
  PrintCount("check-in on non-crisis", summary.check_ins_on_none, out);
  out << "\n";

  const ClassificationMetrics intents = ComputeMetrics(intent_pairs);
  out << "Intents (" << intents.total << " messages)\n";
  PrintTable(intents.labels, out);
  PrintRate("accuracy", intents.correct, intents.total, out);
  out << "\n";

  PrintConfusions("crisis", crisis.confusions, out);
  PrintConfusions("intent", intents.confusions, out);
  out << "\n";

  out << "Misclassified messages\n";
  int misclassified = 0;
  for (size_t i = 0; i < examples.size(); ++i) {
    const Example& example = examples[i];
    const Outcome& o = outcomes[i];
    const bool crisis_wrong = o.crisis_expected != o.crisis_predicted;
    const bool intent_wrong = o.intent_evaluated && example.label != o.intent;
    if (!crisis_wrong && !intent_wrong) continue;
    ++misclassified;
    // Intent labels are compared with the intent; category and "none"
    // labels with the crisis, plus the intent that answered instead.
    std::string predicted = o.intent;
    if (!o.intent_evaluated) {
      predicted = o.crisis_predicted;
      if (o.crisis_predicted == kNoCrisisLabel) predicted += " (intent " + o.intent + ")";
    }
    out << "  " << options.file << ":" << example.line << ": " << example.label << " -> "
        << predicted << ": " << Quote(example.text) << "\n";
  }
  if (misclassified == 0) out << "  none\n";

  bool gates_met = true;
  std::vector<GateResult> gates = CheckCrisisGates(summary, options.gates);
  if (options.min_accuracy) {
    // Same slack and rule as the crisis gates: nothing to measure fails.
    GateResult r{"--min-accuracy", *options.min_accuracy, intents.accuracy, false};
    r.met = intents.accuracy && *intents.accuracy >= *options.min_accuracy - 1e-9;
    gates.push_back(r);
  }
  if (!gates.empty()) out << "\n";
  for (const GateResult& gate : gates) {
    PrintGate(gate, out);
    gates_met &= gate.met;
  }
  return gates_met ? kExitOk : kExitCheckFailed;
}

}  // namespace steady
