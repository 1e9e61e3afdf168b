// The curl examples of docs/api.md work as written: every ```sh block, in
// order and in one shell (they share $SID), against a real server, with
// the documented 127.0.0.1:8080 replaced by the test server's port.
#include <catch2/catch.hpp>

#include "support/run_process.h"
#include "support/server_process.h"

namespace steady::testing {

TEST_CASE("every curl example in docs/api.md runs against the server", "[server][docs]") {
  const std::string doc = ReadFile(std::string(STEADY_SOURCE_DIR) + "/docs/api.md");
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db")});
  const std::string address = "127.0.0.1:" + std::to_string(server.port());

  std::string script = "set -e -o pipefail\n";
  int blocks = 0;
  for (size_t at = doc.find("```sh\n"); at != std::string::npos; at = doc.find("```sh\n", at)) {
    at += 6;
    size_t end = doc.find("```", at);
    REQUIRE(end != std::string::npos);
    std::string block = doc.substr(at, end - at);
    for (size_t p = block.find("127.0.0.1:8080"); p != std::string::npos;
         p = block.find("127.0.0.1:8080", p)) {
      block.replace(p, 14, address);
    }
    script += "echo '--- block " + std::to_string(++blocks) + "'\n" + block + "\n";
    at = end + 3;
  }
  REQUIRE(blocks >= 5);
  dir.Write("examples.sh", script);
  ProcessResult r = RunProcess("/bin/bash", {dir.File("examples.sh")});
  INFO(r.out.substr(r.out.size() > 3000 ? r.out.size() - 3000 : 0) << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("--- block " + std::to_string(blocks)) != std::string::npos);
}

}  // namespace steady::testing
