// The local try-out in docs/adapters.md works as written: every ```sh
// block, in order and in one shell, against a real server started with
// the credentials the page uses, with 127.0.0.1:8080 replaced by the test
// server's port. (The ```bash blocks talk to Telegram and Twilio
// themselves and are not run.)
#include <catch2/catch.hpp>

#include "support/run_process.h"
#include "support/server_process.h"

namespace steady::testing {

TEST_CASE("the try-out examples in docs/adapters.md run against the server",
          "[adapters][docs]") {
  const std::string doc = ReadFile(std::string(STEADY_SOURCE_DIR) + "/docs/adapters.md");
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db"), "--telegram-secret", "local-telegram-secret",
                        "--twilio-auth-token", "local-twilio-token", "--public-url",
                        "https://coach.example.org"});
  const std::string address = "127.0.0.1:" + std::to_string(server.port());

  std::string script = "set -e -o pipefail\n";
  int blocks = 0;
  for (size_t at = doc.find("```sh\n"); at != std::string::npos; at = doc.find("```sh\n", at)) {
    at += 6;
    const size_t end = doc.find("```", at);
    REQUIRE(end != std::string::npos);
    std::string block = doc.substr(at, end - at);
    for (size_t p = block.find("127.0.0.1:8080"); p != std::string::npos;
         p = block.find("127.0.0.1:8080", p)) {
      block.replace(p, 14, address);
    }
    script += "echo '--- block " + std::to_string(++blocks) + "'\n" + block + "\n";
    at = end + 3;
  }
  REQUIRE(blocks >= 4);
  dir.Write("examples.sh", script);
  ProcessResult r = RunProcess("/bin/bash", {dir.File("examples.sh")});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\"method\":\"sendMessage\"") != std::string::npos);
  CHECK(r.out.find("<Response><Message>") != std::string::npos);
  CHECK(r.out.find("401\n403\n") != std::string::npos);
}

}  // namespace steady::testing
