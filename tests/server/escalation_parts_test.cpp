// The small parts of escalation: the receiver URL, the retry schedule and
// the signature, checked against values worked out by hand.
#include <catch2/catch.hpp>

#include "server/escalation_event.h"
#include "server/escalation_options.h"
#include "server/escalation_worker.h"

namespace steady {
namespace {

TEST_CASE("escalation URLs: http(s) with host, port and path; nothing else",
          "[escalation]") {
  HttpUrl url;
  std::string error;
  REQUIRE(ParseHttpUrl("https://ops.example.org/steady/events", &url, &error));
  CHECK(url.origin == "https://ops.example.org");
  CHECK(url.path == "/steady/events");
  REQUIRE(ParseHttpUrl("http://127.0.0.1:8081", &url, &error));
  CHECK(url.origin == "http://127.0.0.1:8081");
  CHECK(url.path == "/");
  REQUIRE(ParseHttpUrl("http://[::1]:9000/hook?team=night", &url, &error));
  CHECK(url.origin == "http://[::1]:9000");
  CHECK(url.path == "/hook?team=night");
  for (const char* bad : {"ftp://ops.example/x", "ops.example/x", "https://", "https:///x",
                          "https://user:pw@ops.example/x", "https://ops.example/x#frag",
                          "https://ops.example:99999/x", "https://ops.example:http/x",
                          "https://ops example/x"}) {
    INFO(bad);
    CHECK_FALSE(ParseHttpUrl(bad, &url, &error));
    CHECK_FALSE(error.empty());
  }
}

TEST_CASE("retries wait twice as long each time, up to the cap, with jitter",
          "[escalation]") {
  EscalationOptions options;  // 2 s first, 900 s cap
  CHECK(EscalationWorker::BackoffMs(options, 1, 1.0) == 2000);
  CHECK(EscalationWorker::BackoffMs(options, 2, 1.0) == 4000);
  CHECK(EscalationWorker::BackoffMs(options, 5, 1.0) == 32000);
  CHECK(EscalationWorker::BackoffMs(options, 9, 1.0) == 512000);
  CHECK(EscalationWorker::BackoffMs(options, 10, 1.0) == 900000);   // capped
  CHECK(EscalationWorker::BackoffMs(options, 1000, 1.0) == 900000);  // no overflow
  CHECK(EscalationWorker::BackoffMs(options, 3, 0.5) == 4000);       // jitter halves at most
  CHECK(EscalationWorker::BackoffMs(options, 3, 0.1) == 4000);       // ... never more
}

TEST_CASE("the signature is HMAC-SHA256 of timestamp.body in lowercase hex",
          "[escalation]") {
  // Worked out with OpenSSL's command line, as a receiver's developer would:
  //   printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac Jefe
  CHECK(SignEscalation("Jefe", "1700000000", "{\"a\":1}") ==
        "sha256=fa5f6481efc59da48b19c9dc10196c9953e5651f8304b3a318b6b87d70272e0a");
  CHECK(SignEscalation("Jefe", "1700000001", "{\"a\":1}") !=
        SignEscalation("Jefe", "1700000000", "{\"a\":1}"));  // the time is signed too
}

}  // namespace
}  // namespace steady
