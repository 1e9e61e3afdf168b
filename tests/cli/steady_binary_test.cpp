// The `steady` binary as a person or tool uses it, with the shipped content.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <sstream>

#include "support/run_process.h"

using namespace steady::testing;
using nlohmann::json;

namespace {

const std::string kSteady = STEADY_BINARY;
const std::string kRoot = STEADY_SOURCE_DIR;

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(json::parse(line));
  return lines;
}

std::string SessionIdFrom(const std::string& err) {
  const std::string marker = "--session ";
  size_t at = err.find(marker);
  if (at == std::string::npos) return "";
  size_t start = at + marker.size();
  size_t end = err.find_first_of(")\n ", start);
  return err.substr(start, end - start);
}

}  // namespace

TEST_CASE("match --json reports a wish to die as a suicide crisis", "[cli]") {
  ProcessResult r = RunProcess(kSteady, {"match", "--json", "i want to kill myself"}, "", kRoot);
  REQUIRE(r.exit_code == 0);
  std::vector<json> lines = JsonLines(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["text"] == "i want to kill myself");
  CHECK(lines[0]["crisis"] == "suicide");
  CHECK(lines[0]["matches"].is_array());
  CHECK_FALSE(lines[0]["matches"].empty());
  CHECK(lines[0]["intent"].is_string());
}

TEST_CASE("match --json without text reads one message a line and answers one line each",
          "[cli]") {
  ProcessResult r = RunProcess(kSteady, {"match", "--json"},
                               "I used last night\nhi\nI feel worthless\n", kRoot);
  REQUIRE(r.exit_code == 0);
  std::vector<json> lines = JsonLines(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["intent"] == "lapse.disclosure");
  CHECK(lines[0]["crisis"].is_null());
  CHECK(lines[1]["intent"] == "greeting");
  CHECK(lines[2]["intent"] == "shame.worthless");
}

TEST_CASE("match refuses invalid UTF-8 with exit 2 and one line", "[cli]") {
  ProcessResult r = RunProcess(kSteady, {"match", "--json"}, "hello\n\xff\xfe oops\n", kRoot);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("line 2") && Catch::Contains("UTF-8"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("a missing content folder is named, with exit 2", "[cli]") {
  ProcessResult r = RunProcess(kSteady, {"match", "--content", "/nonexistent/steady", "hi"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("/nonexistent/steady"));
}

TEST_CASE("a content file with a syntax error is named with its line", "[cli]") {
  TempDir dir;
  std::filesystem::copy(kRoot + "/intents", dir.path() / "intents");
  std::filesystem::copy(kRoot + "/dialogs", dir.path() / "dialogs");
  WriteFile(dir.path() / "intents" / "zz_broken.json", "{\n  \"intents\": [\n    {\"id\": }\n  ]\n}\n");
  ProcessResult r = RunProcess(kSteady, {"validate", "--content", dir.path().string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("intents/zz_broken.json:3:"));
}

TEST_CASE("validate names the intent and the reason for a bad regex", "[cli]") {
  TempDir dir;
  std::filesystem::copy(kRoot + "/intents", dir.path() / "intents");
  std::filesystem::copy(kRoot + "/dialogs", dir.path() / "dialogs");
  WriteFile(dir.path() / "intents" / "zz_bad_regex.json",
            R"({"intents": [{"id": "broken.one", "patterns": ["(unclosed"], "contextual": true}]})");
  ProcessResult r = RunProcess(kSteady, {"validate", "--content", dir.path().string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("broken.one") && Catch::Contains("missing )"));
  // Nothing starts on broken content.
  ProcessResult chat = RunProcess(kSteady, {"chat", "--content", dir.path().string(), "--db",
                                            (dir.path() / "x.db").string()},
                                  "hi\n");
  CHECK(chat.exit_code != 0);
  CHECK(chat.out.empty());
}

TEST_CASE("the shipped content validates", "[cli]") {
  ProcessResult r = RunProcess(kSteady, {"validate"}, "", kRoot);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("ok:"));
}

TEST_CASE("chat holds a conversation and --session resumes it from the SQLite file", "[cli]") {
  TempDir dir;
  const std::string db = (dir.path() / "var" / "steady.db").string();
  ProcessResult first = RunProcess(kSteady, {"chat", "--db", db}, "hi\nI used last night\n", kRoot);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("you: I used last night"));
  CHECK(std::filesystem::exists(db));
  const std::string id = SessionIdFrom(first.err);
  REQUIRE(id.size() >= 22);

  // The lapse flow asked whether they are safe; the resumed session takes
  // "yes" as the answer to that question, not as a stray word.
  ProcessResult second =
      RunProcess(kSteady, {"chat", "--db", db, "--session", id, "--debug"}, "yes\n", kRoot);
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.err, Catch::Contains("resuming session " + id));
  CHECK_THAT(second.out, Catch::Contains("intent=affirm"));
  CHECK_THAT(second.out, Catch::Contains("flow=lapse"));
}

TEST_CASE("chat --debug shows intent, pattern, crisis, flow and node", "[cli]") {
  TempDir dir;
  ProcessResult r = RunProcess(kSteady,
                               {"chat", "--debug", "--db", (dir.path() / "s.db").string()},
                               "I want to die\n", kRoot);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("intent=crisis.suicide"));
  CHECK_THAT(r.out, Catch::Contains("crisis=suicide"));
  CHECK_THAT(r.out, Catch::Contains("flow=crisis.suicide"));
  CHECK_THAT(r.out, Catch::Contains("[debug] pattern:"));
  CHECK_THAT(r.out, Catch::Contains("988"));
}

TEST_CASE("chat stops at invalid UTF-8 with exit 2 and saves nothing for it", "[cli]") {
  TempDir dir;
  ProcessResult r = RunProcess(kSteady, {"chat", "--db", (dir.path() / "s.db").string()},
                               "hi\n\xc3\x28\n", kRoot);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("line 2") && Catch::Contains("UTF-8"));
}

TEST_CASE("an unknown subcommand or option is a usage error", "[cli]") {
  CHECK(RunProcess(kSteady, {"frobnicate"}, "", kRoot).exit_code == 2);
  CHECK(RunProcess(kSteady, {"match", "--nope"}, "", kRoot).exit_code == 2);
}

TEST_CASE("migrate creates the schema and reports the version", "[cli]") {
  TempDir dir;
  const std::string db = (dir.path() / "m.db").string();
  ProcessResult r = RunProcess(kSteady, {"migrate", "--db", db});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("schema version 0 ->"));
  ProcessResult again = RunProcess(kSteady, {"migrate", "--db", db});
  CHECK(again.exit_code == 0);
}
