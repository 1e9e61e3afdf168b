// `steady test [--content DIR] [--coverage] [FILES or DIRS...]`: runs
// conversation tests.
//
// Output, one block per conversation, in file-name order; each failed check
// is a line starting with the test file's path, and each failing turn ends
// with what the engine did:
//
//   ok   a lapse is met with kindness
//   FAIL a crisis interrupts the lapse flow and it resumes
//     crisis.json: turn 2 ("I want to die"): expected intent crisis.suicide, got fallback
//     crisis.json: turn 2 ("I want to die"): expected resource 988, got none
//         engine: intent fallback, crisis none, node fallback/first, replies "Sorry, ..."
//   3 passed, 1 failed
//
// The last line is "N passed, M failed", counting conversations. With
// --coverage, what the conversations did not reach follows it (see
// CoverageTracker for what "reached" means):
//
//   3 passed, 0 failed
//   coverage: 41 of 43 dialog nodes and 30 of 32 intents reached
//     node not reached: lapse/body_check
//     intent not reached (information only): plan.review
//
// A node no test reaches is a check that failed: content that no test walks
// can break unnoticed. An unreached intent is listed but does not fail the
// run (an intent may be covered by examples and the eval set instead).
// Exit 0 when all passed (and, with --coverage, every node was reached), 1
// when any failed or a node was not reached, 2 for a usage error (unknown
// option, a named file or folder that does not exist); content that does not
// load exits with LoadEngine's code (2 missing, 1 inconsistent).
//
// A malformed test file (bad JSON, unknown key, wrong type, bad regex) is
// counted as a failed conversation, named by its file, with the reason, and
// the run goes on: one broken file should not hide the results of all the
// others, and the run still exits 1, so CI still stops. Exit 2 stays for
// problems with the command itself, where nothing could be run.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/arg_parser.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/conversation_test_runner.h"
#include "core/engine.h"

namespace steady {

namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] = "usage: steady test [--content DIR] [--coverage] [FILES or DIRS...]";

// Where the default tests live, relative to the content root.
constexpr char kDefaultTestDir[] = "tests/conversations";

// Expands `paths` into test files: a folder gives its *.json files (not
// recursive, sorted by name), a file is taken as named. Returns false and
// sets *missing for the first path that is neither.
bool ExpandPaths(const std::vector<std::string>& paths, std::vector<std::string>* files,
                 std::string* missing) {
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code file_ec;
        if (it->path().extension() == ".json" && it->is_regular_file(file_ec)) {
          found.push_back(it->path().string());
        }
      }
      if (ec) {
        *missing = path;
        return false;
      }
      std::sort(found.begin(), found.end());
      files->insert(files->end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files->push_back(path);
    } else {
      *missing = path;
      return false;
    }
  }
  return true;
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the
// line and column that follow are what an author needs.
std::string JsonErrorText(const std::exception& e) {
  std::string text = e.what();
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find("] ");
    if (close != std::string::npos) text.erase(0, close + 2);
  }
  return text;
}

// Reads and parses one test file; false with *error when it is malformed.
bool LoadTest(const std::string& file, ConversationTest* test, std::string* error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    *error = "cannot read the file";
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json doc;
  try {
    // Comments allowed, like every content file (docs/content.md).
    doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/true,
                                /*ignore_comments=*/true);
  } catch (const nlohmann::json::exception& e) {
    *error = JsonErrorText(e);
    return false;
  }
  return ParseConversationTest(doc, fs::path(file).filename().string(), test, error);
}

void PrintFailures(const std::string& file, const ConversationResult& result,
                   std::ostream& out) {
  for (const TurnFailure& failure : result.failures) {
    const std::string where = "  " + file + ": " + DescribeTurn(failure) + ": ";
    for (const std::string& problem : failure.problems) out << where << problem << "\n";
    out << "      engine: " << failure.engine_did << "\n";
  }
}

// Prints what `coverage` saw as unreached; returns true when every node was
// reached.
bool PrintCoverage(const CoverageTracker& coverage, std::ostream& out) {
  const std::vector<std::string> nodes = coverage.UnreachedNodes();
  const std::vector<std::string> intents = coverage.UnreachedIntents();
  out << "coverage: " << coverage.node_count() - nodes.size() << " of " << coverage.node_count()
      << " dialog nodes and " << coverage.intent_count() - intents.size() << " of "
      << coverage.intent_count() << " intents reached\n";
  for (const std::string& node : nodes) out << "  node not reached: " << node << "\n";
  for (const std::string& intent : intents) {
    out << "  intent not reached (information only): " << intent << "\n";
  }
  return nodes.empty();
}

}  // namespace

int RunConversationTests(const Args& args, std::istream& /*in*/, std::ostream& out,
                         std::ostream& err) {
  ParsedArgs parsed;
  std::string error;
  if (!ParseArgs(args, {"--content"}, {"--help", "--coverage"}, &parsed, &error)) {
    err << "steady test: " << error << " (" << kUsage << ")\n";
    return kExitUsage;
  }
  if (parsed.Has("--help")) {
    out << kUsage << "\n";
    return kExitOk;
  }
  const std::string content_flag = parsed.Value("--content");
  std::vector<std::string> paths = parsed.positional;

  const std::string root = ResolveContentRoot(content_flag);
  if (paths.empty()) paths.push_back((fs::path(root) / kDefaultTestDir).string());

  std::vector<std::string> files;
  std::string missing;
  if (!ExpandPaths(paths, &files, &missing)) {
    err << "steady test: no such file or folder: " << missing << "\n";
    return kExitUsage;
  }

  std::unique_ptr<Engine> engine;
  const int load_code = LoadEngine(root, err, &engine);
  if (load_code != kExitOk) return load_code;

  if (files.empty()) err << "steady test: no conversation tests (*.json) found\n";

  std::unique_ptr<CoverageTracker> coverage;
  if (parsed.Has("--coverage")) coverage = std::make_unique<CoverageTracker>(engine->content());

  int passed = 0;
  int failed = 0;
  for (const std::string& file : files) {
    ConversationTest test;
    if (!LoadTest(file, &test, &error)) {
      ++failed;
      out << "FAIL " << file << "\n";
      out << "  " << file << ": invalid test: " << error << "\n";
      continue;
    }
    const ConversationResult result = RunConversation(*engine, test, coverage.get());
    if (result.passed()) {
      ++passed;
      out << "ok   " << result.name << "\n";
    } else {
      ++failed;
      out << "FAIL " << result.name << "\n";
      PrintFailures(file, result, out);
    }
  }
  out << passed << " passed, " << failed << " failed\n";
  const bool covered = coverage == nullptr || PrintCoverage(*coverage, out);
  return failed == 0 && covered ? kExitOk : kExitCheckFailed;
}

}  // namespace steady
