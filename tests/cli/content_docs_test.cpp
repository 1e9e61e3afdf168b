// docs/content.md's "complete small example" must work as printed: its
// three files, added to the shipped content, validate and pass `steady test`.
#include <catch2/catch.hpp>

#include "support/run_process.h"

using namespace steady::testing;

namespace {

// The fenced ```json block that follows the line naming `file`.
std::string BlockAfter(const std::string& doc, const std::string& file) {
  size_t at = doc.find("`" + file + "`:");
  if (at == std::string::npos) return "";
  size_t open = doc.find("```json\n", at);
  size_t close = doc.find("\n```", open + 8);
  if (open == std::string::npos || close == std::string::npos) return "";
  return doc.substr(open + 8, close - open - 8);
}

}  // namespace

TEST_CASE("the content guide's complete example validates and its test passes", "[docs]") {
  const std::string root = STEADY_SOURCE_DIR;
  const std::string doc = ReadFile(root + "/docs/content.md");
  TempDir dir;
  std::filesystem::copy(root + "/intents", dir.path() / "intents");
  std::filesystem::copy(root + "/dialogs", dir.path() / "dialogs");
  for (const char* file :
       {"intents/sleep.json", "dialogs/sleep.json", "tests/conversations/sleep.json"}) {
    std::string block = BlockAfter(doc, file);
    INFO(file);
    REQUIRE_FALSE(block.empty());
    WriteFile(dir.path() / file, block);
  }
  ProcessResult validate =
      RunProcess(STEADY_BINARY, {"validate", "--content", dir.path().string()});
  INFO(validate.err);
  CHECK(validate.exit_code == 0);
  ProcessResult test = RunProcess(
      STEADY_BINARY, {"test", "--content", dir.path().string(),
                      (dir.path() / "tests/conversations/sleep.json").string()});
  INFO(test.out);
  CHECK(test.exit_code == 0);
  CHECK_THAT(test.out, Catch::Contains("1 passed, 0 failed"));
}
