// `steady eval` gates as CI uses them, through the real binary.
#include <catch2/catch.hpp>

#include "support/run_process.h"
#include "support/temp_dir.h"

namespace steady::testing {

TEST_CASE("the accuracy gate fails the run when too few intents are right", "[cli][eval]") {
  TempDir dir;
  // Two of three right: "the weather is nice" is no lapse.
  dir.Write("set.tsv",
            "lapse.disclosure\tI drank last night\n"
            "shame.worthless\tI feel worthless\n"
            "lapse.disclosure\tthe weather is nice\n");
  auto run = [&](const char* bar) {
    return RunProcess(STEADY_BINARY, {"eval", "--content", STEADY_SOURCE_DIR, "--min-accuracy",
                                      bar, dir.File("set.tsv")});
  };
  ProcessResult pass = run("0.66");
  CHECK(pass.exit_code == 0);
  CHECK(pass.out.find("gate --min-accuracy") != std::string::npos);
  ProcessResult fail = run("0.67");
  CHECK(fail.exit_code == 1);
  CHECK(RunProcess(STEADY_BINARY, {"eval", "--min-accuracy", "1.5", dir.File("set.tsv")})
            .exit_code == 2);
}

}  // namespace steady::testing
