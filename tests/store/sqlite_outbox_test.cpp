// The outbox of SqliteStore: escalation events committed with their turn,
// leased to one worker at a time, retried, removed when delivered, and
// erased and purged with their session.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace steady {
namespace {

using testing::TempDir;

std::unique_ptr<SqliteStore> OpenStore(const std::string& path) {
  std::unique_ptr<SqliteStore> store;
  Status s = SqliteStore::Open(path, SqliteStoreOptions(), &store);
  INFO(s.message());
  REQUIRE(s.ok());
  return store;
}

OutboxEvent Event(const std::string& id, const std::string& session_id, int64_t created_ms) {
  OutboxEvent e;
  e.id = id;
  e.session_id = session_id;
  e.payload_json = "{\"event_id\":\"" + id + "\",\"category\":\"suicide\"}";
  e.created_ms = created_ms;
  e.next_attempt_ms = 0;
  return e;
}

TurnRecord CrisisTurn(const std::string& session_id, int64_t expected_version, int64_t now,
                      const std::string& event_id) {
  TurnRecord t;
  t.session_id = session_id;
  t.expected_version = expected_version;
  t.user_text = "I want to end it";
  t.intent = "crisis.suicide";
  t.crisis = "suicide";
  t.new_state_json = "{}";
  t.response_json = "{}";
  t.now = now;
  t.outbox.push_back(Event(event_id, session_id, now * 1000));
  return t;
}

void Create(SessionStore* store, const std::string& id, int64_t now) {
  REQUIRE(store->Create(id, "{}", {}, now).ok());
}

std::vector<OutboxEvent> Claim(SessionStore* store, int64_t now_ms, int64_t lease_ms = 60000) {
  std::vector<OutboxEvent> out;
  Status s = store->ClaimOutboxEvents(now_ms, lease_ms, 8, &out);
  INFO(s.message());
  REQUIRE(s.ok());
  return out;
}

OutboxStats Stats(SessionStore* store) {
  OutboxStats stats;
  REQUIRE(store->GetOutboxStats(&stats).ok());
  return stats;
}

TEST_CASE("a crisis turn's event is committed with the turn and survives a restart",
          "[store][outbox]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  {
    auto store = OpenStore(path);
    Create(store.get(), "s1", 100);
    REQUIRE(store->CommitTurn(CrisisTurn("s1", 0, 200, "evt_1")).ok());
  }
  auto store = OpenStore(path);
  std::vector<OutboxEvent> due = Claim(store.get(), 200 * 1000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == "evt_1");
  CHECK(due[0].session_id == "s1");
  CHECK(due[0].payload_json == "{\"event_id\":\"evt_1\",\"category\":\"suicide\"}");
  CHECK(due[0].attempts == 0);
}

TEST_CASE("a turn refused as stale leaves no event behind", "[store][outbox]") {
  TempDir dir;
  auto store = OpenStore(dir.File("steady.db"));
  Create(store.get(), "s1", 100);
  REQUIRE(store->CommitTurn(CrisisTurn("s1", 0, 200, "evt_first")).ok());
  Status s = store->CommitTurn(CrisisTurn("s1", 0, 201, "evt_stale"));
  REQUIRE(s.code() == Status::Code::kConflict);
  std::vector<OutboxEvent> due = Claim(store.get(), 300 * 1000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == "evt_first");
}

TEST_CASE("a claimed event is leased to one worker until the lease runs out",
          "[store][outbox]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  auto first = OpenStore(path);
  auto second = OpenStore(path);  // another process on the same file
  Create(first.get(), "s1", 1);
  REQUIRE(first->CommitTurn(CrisisTurn("s1", 0, 2, "evt_1")).ok());

  REQUIRE(Claim(first.get(), 10000, 5000).size() == 1);
  CHECK(Claim(second.get(), 10001).empty());     // leased to the first
  CHECK(Claim(second.get(), 14999).empty());
  // The first worker died without answering: at least once means the
  // event comes back when the lease ends.
  std::vector<OutboxEvent> again = Claim(second.get(), 15000);
  REQUIRE(again.size() == 1);
  CHECK(again[0].id == "evt_1");
}

TEST_CASE("a failed delivery is rescheduled and counted; a delivered one is gone",
          "[store][outbox]") {
  TempDir dir;
  auto store = OpenStore(dir.File("steady.db"));
  Create(store.get(), "s1", 1);
  Create(store.get(), "s2", 1);
  REQUIRE(store->CommitTurn(CrisisTurn("s1", 0, 2, "evt_a")).ok());
  REQUIRE(store->CommitTurn(CrisisTurn("s2", 0, 3, "evt_b")).ok());
  OutboxStats stats = Stats(store.get());
  CHECK(stats.pending == 2);
  CHECK(stats.failing == 0);
  CHECK(stats.oldest_created_ms == 2000);

  std::vector<OutboxEvent> due = Claim(store.get(), 5000);
  REQUIRE(due.size() == 2);
  REQUIRE(store->RetryOutboxEvent("evt_a", 9000).ok());
  REQUIRE(store->CompleteOutboxEvent("evt_b").ok());
  REQUIRE(store->CompleteOutboxEvent("evt_b").ok());  // already gone: still ok

  stats = Stats(store.get());
  CHECK(stats.pending == 1);
  CHECK(stats.failing == 1);
  CHECK(Claim(store.get(), 8999).empty());  // not before its retry time
  due = Claim(store.get(), 9000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == "evt_a");
  CHECK(due[0].attempts == 1);
}

TEST_CASE("erasing a session erases its undelivered events, not others'",
          "[store][outbox]") {
  TempDir dir;
  auto store = OpenStore(dir.File("steady.db"));
  Create(store.get(), "gone", 1);
  Create(store.get(), "kept", 1);
  REQUIRE(store->CommitTurn(CrisisTurn("gone", 0, 2, "evt_gone")).ok());
  REQUIRE(store->CommitTurn(CrisisTurn("kept", 0, 2, "evt_kept")).ok());
  REQUIRE(store->Erase("gone").ok());
  std::vector<OutboxEvent> due = Claim(store.get(), 5000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == "evt_kept");
}

TEST_CASE("purge removes events older than the cutoff", "[store][outbox]") {
  TempDir dir;
  auto store = OpenStore(dir.File("steady.db"));
  Create(store.get(), "old", 100);
  Create(store.get(), "new", 100);
  REQUIRE(store->CommitTurn(CrisisTurn("old", 0, 200, "evt_old")).ok());
  REQUIRE(store->CommitTurn(CrisisTurn("new", 0, 900, "evt_new")).ok());
  int64_t removed = 0;
  REQUIRE(store->PurgeOlderThan(500, &removed).ok());
  std::vector<OutboxEvent> due = Claim(store.get(), 1000 * 1000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == "evt_new");
}

TEST_CASE("an event added after a failed turn is stored once however often it is added",
          "[store][outbox]") {
  TempDir dir;
  auto store = OpenStore(dir.File("steady.db"));
  REQUIRE(store->AddOutboxEvent(Event("evt_x", "nowhere", 1000)).ok());
  REQUIRE(store->AddOutboxEvent(Event("evt_x", "nowhere", 1000)).ok());
  CHECK(Stats(store.get()).pending == 1);
  CHECK(store->AddOutboxEvent(Event("", "nowhere", 1000)).code() == Status::Code::kInvalid);
}

TEST_CASE("a version 1 database gains the outbox and keeps its conversations",
          "[store][outbox]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  {
    auto store = OpenStore(path);
    Create(store.get(), "s1", 100);
  }
  {  // make it a file written by the previous release
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "DROP TABLE outbox; PRAGMA user_version = 1;", nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  int from = 0, to = 0;
  REQUIRE(SqliteStore::Migrate(path, &from, &to).ok());
  CHECK(from == 1);
  CHECK(to == SqliteStore::SchemaVersion());
  auto store = OpenStore(path);
  StoredSession session;
  CHECK(store->Load("s1", &session).ok());
  REQUIRE(store->CommitTurn(CrisisTurn("s1", 0, 200, "evt_1")).ok());
  CHECK(Stats(store.get()).pending == 1);
}

}  // namespace
}  // namespace steady
