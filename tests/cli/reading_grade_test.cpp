// scripts/reading_grade as the test suite and an author use it: the
// Flesch-Kincaid grade of a content folder's reply text, and exit 1 above
// the limit.
#include <catch2/catch.hpp>

#include <string>

#include "support/run_process.h"
#include "support/temp_dir.h"

using namespace steady::testing;

namespace {

const std::string kScript = std::string(STEADY_SOURCE_DIR) + "/scripts/reading_grade";

// A content folder whose only reply text is `say` (a JSON array of
// phrasings) in one node, plus `system` lines when given.
void WriteContent(const TempDir& dir, const std::string& say,
                  const std::string& system_lines = "[]") {
  dir.Write("intents/core.json", R"({"intents": [{"id": "greeting", "keywords": ["hi"]}]})");
  dir.Write("dialogs/flows.json",
            "// comments are allowed, even with a URL: https://example.org\n"
            "{\"flows\": [{\"id\": \"greeting\", \"triggers\": [\"greeting\"], \"start\": \"hello\",\n"
            "  \"nodes\": [{\"id\": \"hello\", \"say\": " + say +
                ", \"quick_replies\": [\"Institutionalization considerations\"]}]}],\n"
                " \"system\": {\"greeting_flow\": \"greeting\", \"resume_prefix\": " +
                system_lines + "}}\n");
}

ProcessResult Grade(const TempDir& dir, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--content", dir.root()};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunProcess(kScript, args);
}

const char kHardText[] = R"([
  "Notwithstanding considerable methodological heterogeneity, epidemiological investigations consistently demonstrate that neurobiological adaptations associated with prolonged substance administration substantially complicate individualized therapeutic interventions.",
  ["Comprehensive multidisciplinary rehabilitation necessitates collaborative institutional coordination, pharmacological stabilization and continuous psychosocial reevaluation."]
])";

const char kPlainText[] = R"([
  "Thank you for telling me. That took courage.",
  ["One slip is not the end.", "Are you safe right now?"]
])";

}  // namespace

TEST_CASE("long sentences of long words fail the reading grade", "[reading_grade]") {
  TempDir dir;
  WriteContent(dir, kHardText);
  const ProcessResult r = Grade(dir);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("above the limit 8"));
  // The hardest lines are shown with where they live.
  CHECK_THAT(r.out, Catch::Contains("dialogs/flows.json greeting/hello") &&
                        Catch::Contains("Notwithstanding considerable"));
}

TEST_CASE("short plain sentences pass the reading grade", "[reading_grade]") {
  TempDir dir;
  WriteContent(dir, kPlainText);
  const ProcessResult r = Grade(dir);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  // 3 lines, 19 words, 4 sentences (quick replies are not reply text).
  CHECK_THAT(r.out, Catch::Contains("3 lines, 19 words, 4 sentences"));
}

TEST_CASE("the grade limit can be moved with a flag", "[reading_grade]") {
  TempDir dir;
  WriteContent(dir, kHardText);
  CHECK(Grade(dir, {"--max-grade", "60"}).exit_code == 0);
  WriteContent(dir, kPlainText);
  CHECK(Grade(dir, {"--max-grade", "-5"}).exit_code == 1);
}

TEST_CASE("placeholders, web addresses, phone numbers and numbers are not words",
          "[reading_grade]") {
  TempDir dir;
  WriteContent(dir,
               R"(["Call 1-800-662-4357 or chat at 988lifeline.org, {name}.",
                   "See https://www.samhsa.gov/find-help/national-helpline 24/7 {slot}"])",
               R"(["Okay, back to it."])");
  const ProcessResult r = Grade(dir);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  // "Call or chat at" + "See" + "Okay back to it": the system line counts.
  CHECK_THAT(r.out, Catch::Contains("3 lines, 9 words"));
}

TEST_CASE("a content folder with broken JSON is an input error", "[reading_grade]") {
  TempDir dir;
  dir.Write("dialogs/flows.json", "{\"flows\": [\n");
  const ProcessResult r = Grade(dir);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("dialogs/flows.json"));
}
