// A short soak: several seconds of mixed load against a real `steady
// serve` (conversations started, answered, read and erased, plus refused
// requests of every kind), while its memory and open file descriptors are
// sampled from /proc. After a warm-up they must stay flat; once the load
// stops, the descriptors are back to what the idle server had.
// scripts/soak does the same for minutes, with wrk.
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "server/api_helpers.h"
#include "support/server_process.h"

namespace steady::testing {
namespace {

using Clock = std::chrono::steady_clock;

// The bounds, after a warm-up. Memory: the SQLite page cache and the
// allocator's arenas settle in the warm-up; a leak of a few hundred bytes
// per request (thousands of requests a second) passes 16 MiB in seconds.
constexpr long kMaxRssGrowthKib = 16 * 1024;
// Descriptors while loaded: the clients' connections come and go.
constexpr int kMaxFdGrowthLoaded = 8;

// AddressSanitizer holds freed memory back (its quarantine) and
// ThreadSanitizer keeps shadow state, so under them memory grows by design;
// descriptors are still checked.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

struct Sample {
  long rss_kib = -1;
  int fds = -1;
};

Sample Measure(pid_t pid) {
  Sample s;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = std::stol(line.substr(6));
  }
  s.fds = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++s.fds;
  }
  return s;
}

// One client's share of the load, until `stop`: a conversation from start
// to erasure, and the refusals that close or cut a connection.
void Load(int port, int client_number, const std::atomic<bool>& stop, std::atomic<int>* requests,
          std::atomic<int>* unexpected) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10);
  const char* texts[] = {"I used last night", "I really want to use right now",
                         "I feel worthless", "I want to kill myself", "yes"};
  auto expect = [&](const httplib::Result& r, int status) {
    ++*requests;
    if (!r || r->status != status) ++*unexpected;
  };
  for (int round = 0; !stop; ++round) {
    httplib::Result started = client.Post("/v1/sessions", "", "application/json");
    expect(started, 201);
    if (!started || started->status != 201) continue;
    const std::string id = BodyJson(started).at("session_id");
    for (int i = 0; i < 5; ++i) {
      expect(Send(client, id, texts[(round + i) % 5],
                  "c" + std::to_string(client_number) + "-" + std::to_string(round) + "-" +
                      std::to_string(i)),
             200);
    }
    expect(Send(client, id, "yes", "c" + std::to_string(client_number) + "-" +
                                       std::to_string(round) + "-0"),
           200);  // a retry, answered from the record
    expect(client.Get("/v1/sessions/" + id), 200);
    expect(client.Post("/v1/sessions/" + id + "/messages", "{", "application/json"), 400);
    expect(client.Get("/widget.js"), 200);
    expect(client.Get("/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA"), 404);
    expect(client.Delete("/v1/sessions/" + id), 204);
    switch (round % 4) {
      case 0: {  // a body over the limit: refused unread, connection closed
        httplib::Client once("127.0.0.1", port);
        expect(once.Post("/v1/sessions/" + id + "/messages", std::string(70000, ' '),
                         "application/json"),
               413);
        break;
      }
      case 1: {  // a chunked body: refused, connection closed
        httplib::Client once("127.0.0.1", port);
        expect(once.Post("/v1/sessions", {{"Transfer-Encoding", "chunked"}}, "2\r\n{}\r\n0\r\n\r\n",
                         "application/json"),
               411);
        break;
      }
      case 2: {  // headers over the limit: cut
        httplib::Client once("127.0.0.1", port);
        expect(once.Get("/healthz", {{"X-Big", std::string(200000, 'a')}}), 431);
        break;
      }
      default:
        expect(client.Get("/metrics"), 200);
    }
  }
}

}  // namespace

TEST_CASE("under seconds of steady load, memory and open files stay flat",
          "[server][soak]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db"), "--session-rate", "0", "--address-rate", "0",
                        "--no-access-log", "--threads", "8"});
  {
    httplib::Client warm = server.Client();
    REQUIRE(warm.Get("/healthz")->status == 200);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const Sample idle = Measure(server.pid());

  std::atomic<bool> stop{false};
  std::atomic<int> requests{0}, unexpected{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back(Load, server.port(), c, std::cref(stop), &requests, &unexpected);
  }
  // Warm-up, then samples every half second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const Sample warm = Measure(server.pid());
  Sample peak = warm, last = warm;
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    last = Measure(server.pid());
    peak.rss_kib = std::max(peak.rss_kib, last.rss_kib);
    peak.fds = std::max(peak.fds, last.fds);
  }
  stop = true;
  for (std::thread& t : clients) t.join();

  INFO(requests.load() << " requests; idle: " << idle.rss_kib << " KiB, " << idle.fds
                       << " fds; after warm-up: " << warm.rss_kib << " KiB, " << warm.fds
                       << " fds; last: " << last.rss_kib << " KiB, " << last.fds
                       << " fds; peak: " << peak.rss_kib << " KiB, " << peak.fds << " fds");
  CHECK(unexpected == 0);
  CHECK(requests > 1000);  // the load really ran
  if (kSanitized) {
    WARN("memory not checked: a sanitizer build");
  } else {
    CHECK(last.rss_kib - warm.rss_kib <= kMaxRssGrowthKib);
  }
  CHECK(peak.fds - warm.fds <= kMaxFdGrowthLoaded);

  // The clients are gone: so are their connections, and nothing else stays
  // open (the server closes a connection as soon as its client has).
  Sample after = Measure(server.pid());
  for (int i = 0; i < 40 && after.fds > idle.fds; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    after = Measure(server.pid());
  }
  INFO("idle again: " << after.fds << " fds");
  CHECK(after.fds <= idle.fds);
  CHECK(server.Client().Get("/healthz")->status == 200);
  CHECK(server.Stop() == 0);
}

}  // namespace steady::testing
