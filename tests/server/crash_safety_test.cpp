// Crash safety: `steady serve` killed with SIGKILL at a random moment while
// several clients send turns on many sessions. After a restart on the same
// file, every turn that was answered 200 is in its transcript exactly once,
// no turn is half-written, the file passes PRAGMA integrity_check, and every
// conversation goes on.
//
// The moments are drawn from a seed printed with any failure; to replay one,
//   STEADY_CRASH_SEED=<seed> build/steady_tests "a server killed*"
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "server/api_helpers.h"
#include "support/server_process.h"

namespace steady::testing {
namespace {

constexpr int kRounds = 5;
constexpr int kClients = 4;
constexpr int kSessions = 12;

// What a client knows about one message it sent.
struct Sent {
  std::string session_id;
  std::string text;  // unique: it names the round, the client and the count
  std::string client_message_id;
  int client = 0;
  bool answered = false;  // 200 came back; otherwise the outcome is unknown
};

// Realistic openings for the unique texts, crisis included: a crisis turn
// writes more (crisis mode, resources) and must be as safe.
const char* const kOpenings[] = {
    "I used last night",  "I really want to use right now", "does relapsing mean I failed?",
    "I feel worthless",   "I can't do this anymore",        "I want to kill myself",
    "yes",                "talking to my sister helps",
};

uint64_t CrashSeed() {
  if (const char* given = std::getenv("STEADY_CRASH_SEED")) return std::strtoull(given, nullptr, 10);
  return (static_cast<uint64_t>(std::random_device()()) << 32) | std::random_device()();
}

std::vector<std::string> ServeArgs(const std::string& db) {
  return {"--db", db, "--session-rate", "0", "--address-rate", "0", "--no-access-log"};
}

// Runs `sql` and returns the first column of every row as text.
std::vector<std::string> Query(sqlite3* db, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(st, 0);
    rows.push_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(st);
  return rows;
}

// The file as the crash left it: sound, and each session's turns, version
// and transcript agree (what the API shows is checked separately).
void CheckFile(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  CHECK(Query(db, "PRAGMA integrity_check") == std::vector<std::string>{"ok"});
  CHECK(Query(db, "PRAGMA foreign_key_check").empty());
  // A session whose count of turns or of user lines differs from its
  // version holds a half-written turn.
  CHECK(Query(db,
              "SELECT s.id FROM sessions s WHERE s.version !="
              " (SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id) OR s.version !="
              " (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id AND m.role = 'user')")
            .empty());
  sqlite3_close(db);
}

// Every turn answered 200 is in the transcript exactly once, in the order
// its client sent it; a turn whose answer was lost to the crash is there
// at most once; nothing else is; each user line is followed by the coach's
// replies; turn_count matches.
void CheckTranscripts(httplib::Client& client, const std::vector<std::string>& ids,
                      const std::vector<Sent>& sent) {
  for (const std::string& id : ids) {
    INFO("session " << id);
    nlohmann::json view = BodyJson(client.Get("/v1/sessions/" + id));
    const nlohmann::json& lines = view.at("transcript");
    std::vector<std::string> user;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].at("role") != "user") continue;
      user.push_back(lines[i].at("text"));
      const bool replied = i + 1 < lines.size() && lines[i + 1].at("role") == "coach";
      CHECK(replied);
    }
    CHECK(!lines.empty());
    CHECK(lines.front().at("role") == "coach");  // the greeting
    CHECK(view.at("state").at("turn_count") == static_cast<int>(user.size()));

    std::multiset<std::string> stored(user.begin(), user.end());
    std::set<std::string> mine;
    std::map<int, std::vector<std::string>> answered_by_client;
    for (const Sent& s : sent) {
      if (s.session_id != id) continue;
      mine.insert(s.text);
      INFO("turn " << s.text << (s.answered ? " (answered)" : " (answer lost)"));
      if (s.answered) {
        CHECK(stored.count(s.text) == 1);
        answered_by_client[s.client].push_back(s.text);
      } else {
        CHECK(stored.count(s.text) <= 1);
      }
    }
    for (const std::string& text : user) {
      INFO("stored line " << text);
      CHECK(mine.count(text) == 1);  // nothing stored that was not sent
    }
    // One client's turns on a session were sent one after another.
    for (const auto& [c, texts] : answered_by_client) {
      std::vector<std::string> order;
      for (const std::string& text : user) {
        if (std::find(texts.begin(), texts.end(), text) != texts.end()) order.push_back(text);
      }
      CHECK(order == texts);
    }
  }
}

}  // namespace

TEST_CASE("a server killed mid-load loses no answered turn and leaves none half-written",
          "[server][crash]") {
  const uint64_t seed = CrashSeed();
  INFO("STEADY_CRASH_SEED=" << seed);
  std::mt19937_64 rng(seed);
  TempDir dir;
  const std::string db = dir.File("crash.db");
  auto server = std::make_unique<ServerProcess>(ServeArgs(db));

  std::vector<std::string> ids;
  {
    httplib::Client setup = server->Client();
    for (int i = 0; i < kSessions; ++i) ids.push_back(StartConversation(setup));
  }
  std::vector<Sent> sent;  // every message of every round

  for (int round = 0; round < kRounds; ++round) {
    const int kill_after_ms = std::uniform_int_distribution<int>(30, 600)(rng);
    INFO("round " << round << ": SIGKILL after " << kill_after_ms << " ms of load");
    std::mutex mu;
    std::atomic<int> answered{0};
    std::vector<std::string> created;  // sessions started during the load (201)
    std::vector<int> unexpected;       // statuses other than 200 before the crash
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      const uint64_t client_seed = rng();
      clients.emplace_back([&, c, client_seed] {
        std::mt19937_64 mine(client_seed);
        httplib::Client client = server->Client();
        for (int n = 0;; ++n) {
          // Now and then a client starts a conversation; it must survive too.
          if (c == 0 && n % 10 == 5) {
            httplib::Result r = client.Post("/v1/sessions", "", "application/json");
            if (!r) return;
            if (r->status == 201) {
              std::lock_guard<std::mutex> lock(mu);
              created.push_back(BodyJson(r).at("session_id"));
            }
            continue;
          }
          Sent s;
          s.session_id = ids[mine() % ids.size()];
          s.text = std::string(kOpenings[mine() % std::size(kOpenings)]) + " [r" +
                   std::to_string(round) + " c" + std::to_string(c) + " n" + std::to_string(n) +
                   "]";
          s.client_message_id = "r" + std::to_string(round) + "-c" + std::to_string(c) + "-n" +
                                std::to_string(n);
          s.client = c;
          httplib::Result r = Send(client, s.session_id, s.text, s.client_message_id);
          s.answered = r && r->status == 200;
          const bool gone = !r;
          {
            std::lock_guard<std::mutex> lock(mu);
            sent.push_back(s);
          }
          if (s.answered) ++answered;
          if (gone) return;  // the server died under this request
          if (!s.answered) {
            std::lock_guard<std::mutex> lock(mu);
            unexpected.push_back(r->status);
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
    CHECK(server->Stop(SIGKILL) == -SIGKILL);
    for (std::thread& t : clients) t.join();
    INFO(answered.load() << " turns answered before the kill");
    CHECK(unexpected.empty());

    CheckFile(db);
    server = std::make_unique<ServerProcess>(ServeArgs(db));
    httplib::Client client = server->Client();
    CheckTranscripts(client, ids, sent);
    for (const std::string& id : created) CHECK(client.Get("/v1/sessions/" + id)->status == 200);

    // A client retries each message whose answer it lost, with the same
    // client_message_id: each is then answered, and stored exactly once.
    for (Sent& s : sent) {
      if (s.answered) continue;
      httplib::Result r = Send(client, s.session_id, s.text, s.client_message_id);
      REQUIRE(r);
      CHECK(r->status == 200);
      s.answered = true;
    }
    CheckTranscripts(client, ids, sent);
    // And every conversation goes on.
    for (const std::string& id : ids) {
      Sent s{id, "still here [r" + std::to_string(round) + " after]", "", -1, false};
      httplib::Result r = Send(client, id, s.text);
      REQUIRE(r);
      CHECK(r->status == 200);
      s.answered = r->status == 200;
      sent.push_back(s);
    }
  }
  CHECK(server->Stop() == 0);
  CheckFile(db);
}

}  // namespace steady::testing
