// Two `steady serve` processes on one PostgreSQL database, as behind a
// load balancer: a client alternates the turns of many sessions between
// them, concurrently, and one node is killed mid-run. Every turn answered
// 200 is stored exactly once and in order. Tagged [pg]: runs through
// tests/support/with_pg_cluster (ctest: store_postgresql).
#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "server/api_helpers.h"
#include "support/server_process.h"
#include "support/store_makers.h"

namespace steady::testing {
namespace {

TEST_CASE("two nodes share every conversation; one is killed and nothing is lost or doubled",
          "[pg][server]") {
  PgMaker database;
  // One client address sends everything here: no per-address limit.
  ServerProcess a({"--db", database.db(), "--address-rate", "0"});
  ServerProcess b({"--db", database.db(), "--address-rate", "0"});
  constexpr int kClients = 4, kSessionsPerClient = 4, kTurnsPerSession = 12;

  std::mt19937 rng(std::random_device{}());
  const int kill_after = 20 + static_cast<int>(rng() % 60);  // turns answered before the kill
  INFO("node b is killed after " << kill_after << " answered turns");
  std::atomic<int> answered{0};
  std::atomic<bool> b_dead{false};
  std::mutex kill_mu;
  std::atomic<int> lost{0};

  // Each client owns its sessions; texts are unique so the transcript
  // shows exactly which turns were stored.
  std::vector<std::vector<std::string>> ids(kClients), sent(kClients * kSessionsPerClient);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client to_a = a.Client();
      httplib::Client to_b = b.Client();
      for (int s = 0; s < kSessionsPerClient; ++s) ids[c].push_back(StartConversation(to_a));
      for (int t = 0; t < kTurnsPerSession; ++t) {
        for (int s = 0; s < kSessionsPerClient; ++s) {
          const std::string text = "c" + std::to_string(c) + " s" + std::to_string(s) +
                                   " turn " + std::to_string(t) + " i slipped";
          const std::string message_id = "m-" + std::to_string(t);
          bool ok = false;
          if ((t + s) % 2 == 1 && !b_dead) {  // every other turn to node b
            httplib::Result r = Send(to_b, ids[c][s], text, message_id);
            ok = r && r->status == 200;
          }
          if (!ok) {  // node a, or the load balancer's retry after b failed
            httplib::Result r = Send(to_a, ids[c][s], text, message_id);
            ok = r && r->status == 200;
          }
          if (!ok) {
            ++lost;
            continue;
          }
          sent[c * kSessionsPerClient + s].push_back(text);
          if (++answered == kill_after) {
            std::lock_guard<std::mutex> lock(kill_mu);
            b.Stop(SIGKILL);
            b_dead = true;
          }
        }
      }
    });
  }
  for (std::thread& t : clients) t.join();
  CHECK(b_dead);
  CHECK(lost == 0);

  httplib::Client reader = a.Client();
  for (int c = 0; c < kClients; ++c) {
    for (int s = 0; s < kSessionsPerClient; ++s) {
      const std::vector<std::string>& expected = sent[c * kSessionsPerClient + s];
      REQUIRE(expected.size() == static_cast<size_t>(kTurnsPerSession));
      CHECK(UserLines(reader, ids[c][s]) == expected);  // once each, in order
      nlohmann::json view = BodyJson(reader.Get("/v1/sessions/" + ids[c][s]));
      CHECK(view["state"]["turn_count"] == kTurnsPerSession);
    }
  }
  // The survivor keeps going.
  CHECK(Send(reader, ids[0][0], "still here")->status == 200);
}

}  // namespace
}  // namespace steady::testing
