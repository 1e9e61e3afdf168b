// SqliteStore against real files: every test opens a fresh temp folder,
// and most close and reopen the store to prove what reached the disk.
// Where a test needs to see rows the interface does not expose, it opens
// the file with its own raw SQLite connection, as another tool would.
#include "store/sqlite_store.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace steady {
namespace {

using testing::TempDir;

std::unique_ptr<SqliteStore> OpenStore(const std::string& path,
                                       const SqliteStoreOptions& options = SqliteStoreOptions()) {
  std::unique_ptr<SqliteStore> store;
  Status s = SqliteStore::Open(path, options, &store);
  INFO(s.message());
  REQUIRE(s.ok());
  REQUIRE(store != nullptr);
  return store;
}

TranscriptEntry Coach(const std::string& text) {
  TranscriptEntry e;
  e.role = TranscriptEntry::Role::kCoach;
  e.text = text;
  return e;
}

TurnRecord Turn(const std::string& session_id, int64_t expected_version,
                const std::string& client_message_id, const std::string& user_text,
                int64_t now) {
  TurnRecord t;
  t.session_id = session_id;
  t.expected_version = expected_version;
  t.client_message_id = client_message_id;
  t.user_text = user_text;
  t.coach_messages = {Coach("reply to " + user_text)};
  t.intent = "lapse.disclosure";
  t.new_state_json = "{\"turn_count\":" + std::to_string(expected_version + 1) + "}";
  t.response_json = "{\"messages\":[{\"text\":\"reply to " + user_text + "\"}]}";
  t.now = now;
  return t;
}

void CreateSession(SessionStore* store, const std::string& id, int64_t now) {
  Status s = store->Create(id, "{}", {Coach("Hi, I'm here.")}, now);
  INFO(s.message());
  REQUIRE(s.ok());
}

int64_t VersionOf(SessionStore* store, const std::string& id) {
  StoredSession session;
  Status s = store->Load(id, &session);
  INFO(s.message());
  REQUIRE(s.ok());
  return session.version;
}

std::vector<TranscriptEntry> TranscriptOf(SessionStore* store, const std::string& id) {
  std::vector<TranscriptEntry> lines;
  Status s = store->Transcript(id, &lines);
  INFO(s.message());
  REQUIRE(s.ok());
  return lines;
}

// A raw connection to the file, as an operator's sqlite3 shell would have.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err != nullptr ? err : "";
    sqlite3_free(err);
    INFO(sql << ": " << msg);
    REQUIRE(rc == SQLITE_OK);
  }

  // The first column of the first row as text ("" when no row).
  std::string Query(const std::string& sql, const std::string& param = std::string()) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    if (sqlite3_bind_parameter_count(stmt) > 0) {
      sqlite3_bind_text(stmt, 1, param.data(), static_cast<int>(param.size()), SQLITE_TRANSIENT);
    }
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }

  std::vector<std::string> Column(const std::string& sql, int col) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    std::vector<std::string> out;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, col)));
    }
    sqlite3_finalize(stmt);
    return out;
  }

  // Rows naming session `id` in every table: `id` in sessions, `session_id`
  // anywhere else. Tables are discovered, so a table added later is
  // checked too. *tables_checked counts the tables that had such a column.
  int64_t RowsAbout(const std::string& id, int* tables_checked) {
    int64_t rows = 0;
    *tables_checked = 0;
    for (const std::string& table :
         Column("SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%'",
                0)) {
      for (const std::string& column : Column("PRAGMA table_info(\"" + table + "\")", 1)) {
        const bool names_session =
            column == "session_id" || (table == "sessions" && column == "id");
        if (!names_session) continue;
        ++*tables_checked;
        rows += std::stoll(
            Query("SELECT COUNT(*) FROM \"" + table + "\" WHERE " + column + " = ?1", id));
      }
    }
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_CASE("opening creates the missing folder and a WAL file at the current schema",
          "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("var/nested/steady.db");
  REQUIRE_FALSE(std::filesystem::exists(dir.File("var")));
  { OpenStore(path); }
  REQUIRE(std::filesystem::is_regular_file(path));
  RawDb raw(path);
  CHECK(raw.Query("PRAGMA journal_mode") == "wal");
  CHECK(raw.Query("PRAGMA user_version") == std::to_string(SqliteStore::SchemaVersion()));
  CHECK(SqliteStore::SchemaVersion() >= 1);
}

TEST_CASE("a folder that cannot be created makes open unavailable", "[store][sqlite]") {
  TempDir dir;
  { std::ofstream(dir.File("not_a_folder")) << "x"; }
  std::unique_ptr<SqliteStore> store;
  Status s = SqliteStore::Open(dir.File("not_a_folder/steady.db"), SqliteStoreOptions(), &store);
  CHECK(s.code() == Status::Code::kUnavailable);
  CHECK(store == nullptr);
}

TEST_CASE("a committed turn survives closing and reopening the store", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  {
    auto store = OpenStore(path);
    // The opening line is marked kUser by mistake: the store files it as
    // the coach's all the same.
    TranscriptEntry opening;
    opening.text = "Hi, I'm here.";
    REQUIRE(store->Create("s1", "{\"seed\":7}", {opening}, 1000).ok());
    TurnRecord turn = Turn("s1", 0, "m1", "I drank last night", 1060);
    turn.crisis = "";
    turn.coach_messages = {Coach("Thank you for telling me."), Coach("What happened?")};
    REQUIRE(turn.coach_messages[1].created_at == 0);
    Status s = store->CommitTurn(turn);
    INFO(s.message());
    REQUIRE(s.ok());
  }
  auto store = OpenStore(path);
  StoredSession session;
  REQUIRE(store->Load("s1", &session).ok());
  CHECK(session.id == "s1");
  CHECK(session.version == 1);
  CHECK(session.state_json == "{\"turn_count\":1}");
  CHECK(session.created_at == 1000);
  CHECK(session.updated_at == 1060);

  std::vector<TranscriptEntry> lines = TranscriptOf(store.get(), "s1");
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].role == TranscriptEntry::Role::kCoach);
  CHECK(lines[0].text == "Hi, I'm here.");
  CHECK(lines[0].created_at == 1000);
  CHECK(lines[1].role == TranscriptEntry::Role::kUser);
  CHECK(lines[1].text == "I drank last night");
  CHECK(lines[1].intent == "lapse.disclosure");
  CHECK(lines[1].created_at == 1060);
  CHECK(lines[2].role == TranscriptEntry::Role::kCoach);
  CHECK(lines[2].text == "Thank you for telling me.");
  CHECK(lines[3].text == "What happened?");
  CHECK(lines[3].created_at == 1060);

  std::optional<std::string> response;
  REQUIRE(store->FindResponse("s1", "m1", &response).ok());
  REQUIRE(response.has_value());
  CHECK(*response == "{\"messages\":[{\"text\":\"reply to I drank last night\"}]}");
}

TEST_CASE("text is stored and replayed byte for byte", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  // An embedded NUL, a byte that is not UTF-8, a 4-byte emoji, quotes that
  // would break naive SQL, and a value far larger than one page.
  const std::string odd = std::string("a\0b", 3) + "\xff\xfe" + "\xF0\x9F\x92\x9A" + "'; --\"";
  const std::string big(200 * 1024, 'x');
  {
    auto store = OpenStore(path);
    CreateSession(store.get(), "s1", 1);
    TurnRecord turn = Turn("s1", 0, odd, odd, 2);
    turn.crisis = "suicide";
    turn.new_state_json = odd + big;
    turn.response_json = big + odd;
    REQUIRE(store->CommitTurn(turn).ok());
  }
  auto store = OpenStore(path);
  StoredSession session;
  REQUIRE(store->Load("s1", &session).ok());
  CHECK(session.state_json == odd + big);
  std::optional<std::string> response;
  REQUIRE(store->FindResponse("s1", odd, &response).ok());
  REQUIRE(response.has_value());
  CHECK(response->size() == big.size() + odd.size());
  CHECK(*response == big + odd);
  std::vector<TranscriptEntry> lines = TranscriptOf(store.get(), "s1");
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].text == odd);
  CHECK(lines[1].crisis == "suicide");
}

TEST_CASE("a retried client_message_id returns the first response and stores nothing new",
          "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  {
    auto store = OpenStore(path);
    CreateSession(store.get(), "s1", 1);
    REQUIRE(store->CommitTurn(Turn("s1", 0, "m1", "first", 2)).ok());
  }
  auto store = OpenStore(path);
  // The retry carries the version the first attempt was sent with; it must
  // still be reported as a duplicate, not as a stale version.
  TurnRecord retry = Turn("s1", 0, "m1", "first (retried)", 3);
  Status s = store->CommitTurn(retry);
  CHECK(s.code() == Status::Code::kConflict);
  CHECK(s.message().find("duplicate") != std::string::npos);
  // Same id at the current version is still a duplicate.
  s = store->CommitTurn(Turn("s1", 1, "m1", "first (again)", 4));
  CHECK(s.code() == Status::Code::kConflict);

  std::optional<std::string> response;
  REQUIRE(store->FindResponse("s1", "m1", &response).ok());
  REQUIRE(response.has_value());
  CHECK(*response == Turn("s1", 0, "m1", "first", 2).response_json);
  CHECK(VersionOf(store.get(), "s1") == 1);
  CHECK(TranscriptOf(store.get(), "s1").size() == 3);  // opening + user + reply

  // The same id in another session is a different message.
  CreateSession(store.get(), "s2", 5);
  CHECK(store->CommitTurn(Turn("s2", 0, "m1", "other", 6)).ok());
}

TEST_CASE("turns sent without a client_message_id never collide", "[store][sqlite]") {
  TempDir dir;
  auto store = OpenStore(dir.File("steady.db"));
  CreateSession(store.get(), "s1", 1);
  REQUIRE(store->CommitTurn(Turn("s1", 0, "", "one", 2)).ok());
  REQUIRE(store->CommitTurn(Turn("s1", 1, "", "two", 3)).ok());
  CHECK(VersionOf(store.get(), "s1") == 2);
  std::optional<std::string> response = std::string("left over");
  REQUIRE(store->FindResponse("s1", "", &response).ok());
  CHECK_FALSE(response.has_value());
}

TEST_CASE("a stale version is refused and changes nothing", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  auto store = OpenStore(path);
  CreateSession(store.get(), "s1", 1);
  REQUIRE(store->CommitTurn(Turn("s1", 0, "m1", "first", 2)).ok());

  TurnRecord stale = Turn("s1", 0, "m2", "late", 3);
  stale.new_state_json = "{\"stale\":true}";
  Status s = store->CommitTurn(stale);
  CHECK(s.code() == Status::Code::kConflict);
  CHECK(s.message().find("stale") != std::string::npos);
  // A version from the future is just as wrong.
  CHECK(store->CommitTurn(Turn("s1", 5, "m3", "future", 3)).code() == Status::Code::kConflict);

  StoredSession session;
  REQUIRE(store->Load("s1", &session).ok());
  CHECK(session.version == 1);
  CHECK(session.state_json == "{\"turn_count\":1}");
  CHECK(session.updated_at == 2);
  std::vector<TranscriptEntry> lines = TranscriptOf(store.get(), "s1");
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].text == "first");
  std::optional<std::string> response;
  REQUIRE(store->FindResponse("s1", "m2", &response).ok());
  CHECK_FALSE(response.has_value());  // the refused turn left no idempotency record
}

TEST_CASE("unknown session is not found", "[store][sqlite]") {
  TempDir dir;
  auto store = OpenStore(dir.File("steady.db"));
  StoredSession session;
  CHECK(store->Load("nope", &session).code() == Status::Code::kNotFound);
  std::vector<TranscriptEntry> lines;
  CHECK(store->Transcript("nope", &lines).code() == Status::Code::kNotFound);
  CHECK(store->CommitTurn(Turn("nope", 0, "m1", "hello", 1)).code() ==
        Status::Code::kNotFound);
  CHECK(store->Erase("nope").code() == Status::Code::kNotFound);
  std::optional<std::string> response;
  CHECK(store->FindResponse("nope", "m1", &response).ok());
  CHECK_FALSE(response.has_value());
  // The refused commit did not create the session as a side effect.
  CHECK(store->Load("nope", &session).code() == Status::Code::kNotFound);
}

TEST_CASE("creating a session whose id exists conflicts and keeps the first",
          "[store][sqlite]") {
  TempDir dir;
  auto store = OpenStore(dir.File("steady.db"));
  REQUIRE(store->Create("s1", "{\"first\":1}", {Coach("hello")}, 1).ok());
  Status s = store->Create("s1", "{\"second\":2}", {Coach("again"), Coach("and again")}, 2);
  CHECK(s.code() == Status::Code::kConflict);
  StoredSession session;
  REQUIRE(store->Load("s1", &session).ok());
  CHECK(session.state_json == "{\"first\":1}");
  CHECK(session.version == 0);
  std::vector<TranscriptEntry> lines = TranscriptOf(store.get(), "s1");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].text == "hello");
  CHECK(store->Create("", "{}", {}, 1).code() == Status::Code::kInvalid);
}

TEST_CASE("erase leaves no row of the session in any table", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  {
    auto store = OpenStore(path);
    CreateSession(store.get(), "gone", 1);
    CreateSession(store.get(), "kept", 1);
    for (int64_t v = 0; v < 3; ++v) {
      TurnRecord gone = Turn("gone", v, "g" + std::to_string(v), "text", 2 + v);
      OutboxEvent event;  // an escalation event waiting to be delivered
      event.id = "evt_" + std::to_string(v);
      event.session_id = "gone";
      event.payload_json = "{}";
      gone.outbox.push_back(event);
      REQUIRE(store->CommitTurn(gone).ok());
      REQUIRE(store->CommitTurn(Turn("kept", v, "k" + std::to_string(v), "text", 2 + v)).ok());
    }
    {
      RawDb raw(path);
      int tables = 0;
      REQUIRE(raw.RowsAbout("gone", &tables) > 0);  // the check below is not vacuous
    }
    Status s = store->Erase("gone");
    INFO(s.message());
    REQUIRE(s.ok());
    StoredSession session;
    CHECK(store->Load("gone", &session).code() == Status::Code::kNotFound);
    CHECK(store->Erase("gone").code() == Status::Code::kNotFound);
  }
  RawDb raw(path);
  int tables = 0;
  CHECK(raw.RowsAbout("gone", &tables) == 0);
  CHECK(tables >= 4);  // sessions, messages, turns, outbox at least
  CHECK(raw.RowsAbout("kept", &tables) == 1 + 7 + 3);  // session, 1 + 3*2 lines, 3 turns
}

TEST_CASE("erased text is gone from the file and its WAL when erase returns",
          "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  const std::string secret = "zq-private-disclosure-7741";
  auto on_disk = [&path] { return ReadFileBytes(path) + ReadFileBytes(path + "-wal"); };
  auto store = OpenStore(path);
  CreateSession(store.get(), "s1", 1);
  CreateSession(store.get(), "s2", 1);
  REQUIRE(store->CommitTurn(Turn("s1", 0, "m1", secret, 2)).ok());
  REQUIRE(store->CommitTurn(Turn("s2", 0, "m1", "something else", 2)).ok());
  REQUIRE(on_disk().find(secret) != std::string::npos);  // the check below is not vacuous

  REQUIRE(store->Erase("s1").ok());
  CHECK(on_disk().find(secret) == std::string::npos);
  CHECK(TranscriptOf(store.get(), "s2").size() == 3);
  store.reset();
  CHECK(on_disk().find(secret) == std::string::npos);
}

TEST_CASE("purged text is gone from the file and its WAL when purge returns",
          "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  const std::string secret = "zq-old-disclosure-9902";
  auto on_disk = [&path] { return ReadFileBytes(path) + ReadFileBytes(path + "-wal"); };
  auto store = OpenStore(path);
  CreateSession(store.get(), "s1", 1);
  REQUIRE(store->CommitTurn(Turn("s1", 0, "m1", secret, 2)).ok());
  REQUIRE(store->CommitTurn(Turn("s1", 1, "m2", "recent", 100)).ok());
  REQUIRE(on_disk().find(secret) != std::string::npos);

  int64_t removed = -1;
  REQUIRE(store->PurgeOlderThan(50, &removed).ok());
  CHECK(removed == 0);
  CHECK(on_disk().find(secret) == std::string::npos);
  CHECK(TranscriptOf(store.get(), "s1").size() == 2);
}

TEST_CASE("purge removes sessions idle past the cutoff and keeps recent ones",
          "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  {
    auto store = OpenStore(path);
    CreateSession(store.get(), "idle", 100);
    REQUIRE(store->CommitTurn(Turn("idle", 0, "i1", "old news", 200)).ok());
    CreateSession(store.get(), "active", 100);
    REQUIRE(store->CommitTurn(Turn("active", 0, "a1", "early", 200)).ok());
    REQUIRE(store->CommitTurn(Turn("active", 1, "a2", "late", 1000)).ok());

    int64_t removed = -1;
    Status s = store->PurgeOlderThan(500, &removed);
    INFO(s.message());
    REQUIRE(s.ok());
    CHECK(removed == 1);
  }
  auto store = OpenStore(path);
  StoredSession session;
  CHECK(store->Load("idle", &session).code() == Status::Code::kNotFound);
  {
    RawDb raw(path);
    int tables = 0;
    CHECK(raw.RowsAbout("idle", &tables) == 0);
  }

  // The active session stays, with its state, but its lines and retry
  // records from before the cutoff are gone.
  REQUIRE(store->Load("active", &session).ok());
  CHECK(session.version == 2);
  std::vector<TranscriptEntry> lines = TranscriptOf(store.get(), "active");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].text == "late");
  CHECK(lines[1].text == "reply to late");
  std::optional<std::string> response;
  REQUIRE(store->FindResponse("active", "a1", &response).ok());
  CHECK_FALSE(response.has_value());
  REQUIRE(store->FindResponse("active", "a2", &response).ok());
  CHECK(response.has_value());

  // New lines still sort after the surviving ones.
  REQUIRE(store->CommitTurn(Turn("active", 2, "a3", "later still", 1100)).ok());
  lines = TranscriptOf(store.get(), "active");
  REQUIRE(lines.size() == 4);
  CHECK(lines[2].text == "later still");

  // The cutoff is exclusive: a session updated exactly at it is kept.
  int64_t removed = -1;
  REQUIRE(store->PurgeOlderThan(1100, &removed).ok());
  CHECK(removed == 0);
  CHECK(store->Load("active", &session).ok());
  REQUIRE(store->PurgeOlderThan(1101, &removed).ok());
  CHECK(removed == 1);
  CHECK(store->Load("active", &session).code() == Status::Code::kNotFound);
}

TEST_CASE("a database newer than the binary is refused", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  { OpenStore(path); }
  const int newer = SqliteStore::SchemaVersion() + 1;
  { RawDb(path).Exec("PRAGMA user_version = " + std::to_string(newer)); }

  std::unique_ptr<SqliteStore> store;
  Status s = SqliteStore::Open(path, SqliteStoreOptions(), &store);
  CHECK(s.code() == Status::Code::kCorruption);
  CHECK(s.message().find("newer than this binary") != std::string::npos);
  CHECK(store == nullptr);
  int from = -1, to = -1;
  CHECK(SqliteStore::Migrate(path, &from, &to).code() == Status::Code::kCorruption);
  // Refusing did not "fix" the file.
  CHECK(RawDb(path).Query("PRAGMA user_version") == std::to_string(newer));
}

TEST_CASE("a file that is not a database is refused as corrupt", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  { std::ofstream(path) << std::string(8192, 'z'); }
  std::unique_ptr<SqliteStore> store;
  CHECK(SqliteStore::Open(path, SqliteStoreOptions(), &store).code() ==
        Status::Code::kCorruption);
  CHECK(store == nullptr);
}

TEST_CASE("migrate creates the schema once and then has nothing to do", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("var/steady.db");
  int from = -1, to = -1;
  Status s = SqliteStore::Migrate(path, &from, &to);
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(from == 0);
  CHECK(to == SqliteStore::SchemaVersion());
  REQUIRE(SqliteStore::Migrate(path, &from, &to).ok());
  CHECK(from == SqliteStore::SchemaVersion());
  CHECK(to == SqliteStore::SchemaVersion());
  auto store = OpenStore(path);
  CreateSession(store.get(), "s1", 1);
  CHECK(VersionOf(store.get(), "s1") == 0);
}

TEST_CASE("two stores on one file: the second commit with the same expected version conflicts",
          "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  auto a = OpenStore(path);
  auto b = OpenStore(path);
  CreateSession(a.get(), "s1", 1);
  // Both load the session at version 0, as two servers would.
  CHECK(VersionOf(a.get(), "s1") == 0);
  CHECK(VersionOf(b.get(), "s1") == 0);

  REQUIRE(a->CommitTurn(Turn("s1", 0, "from-a", "sent to server a", 2)).ok());
  Status s = b->CommitTurn(Turn("s1", 0, "from-b", "sent to server b", 2));
  CHECK(s.code() == Status::Code::kConflict);

  // B sees A's turn and nothing of its own.
  StoredSession session;
  REQUIRE(b->Load("s1", &session).ok());
  CHECK(session.version == 1);
  std::vector<TranscriptEntry> lines = TranscriptOf(b.get(), "s1");
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].text == "sent to server a");
  // After reloading, B's retry at the new version lands.
  CHECK(b->CommitTurn(Turn("s1", 1, "from-b", "sent to server b", 3)).ok());
  CHECK(VersionOf(a.get(), "s1") == 2);
}

TEST_CASE("concurrent commits from 8 threads on different sessions all land",
          "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  constexpr int kThreads = 8;
  constexpr int kTurns = 50;
  std::atomic<int> failures{0};
  {
    auto store = OpenStore(path);
    for (int t = 0; t < kThreads; ++t) CreateSession(store.get(), "s" + std::to_string(t), 1);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&store, &failures, t] {
        const std::string id = "s" + std::to_string(t);
        for (int v = 0; v < kTurns; ++v) {
          if (!store->CommitTurn(Turn(id, v, "m" + std::to_string(v), "hi", 2 + v)).ok()) {
            ++failures;
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  CHECK(failures == 0);
  auto store = OpenStore(path);
  for (int t = 0; t < kThreads; ++t) {
    const std::string id = "s" + std::to_string(t);
    CHECK(VersionOf(store.get(), id) == kTurns);
    CHECK(TranscriptOf(store.get(), id).size() == 1 + 2 * kTurns);
  }
}

TEST_CASE("turns committed together: a refused one is undone alone, the others all land",
          "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  SqliteStoreOptions options;
  options.busy_timeout_ms = 10000;
  auto store = OpenStore(path, options);
  for (const char* id : {"a", "b", "c", "d"}) CreateSession(store.get(), id, 1);

  // Another connection holds the write lock, so the first commit waits in
  // BEGIN while the next ones queue up behind it: they commit as one batch.
  RawDb other(path);
  other.Exec("BEGIN IMMEDIATE");
  std::vector<std::thread> threads;
  std::vector<Status> got(4);
  threads.emplace_back([&] { got[0] = store->CommitTurn(Turn("a", 0, "a1", "first", 2)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  threads.emplace_back([&] { got[1] = store->CommitTurn(Turn("b", 0, "b1", "one", 2)); });
  threads.emplace_back([&] { got[2] = store->CommitTurn(Turn("c", 5, "c1", "stale", 2)); });
  threads.emplace_back([&] { got[3] = store->CommitTurn(Turn("d", 0, "d1", "two", 2)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  other.Exec("ROLLBACK");
  for (std::thread& t : threads) t.join();

  CHECK(got[0].ok());
  CHECK(got[1].ok());
  CHECK(got[2].code() == Status::Code::kConflict);
  CHECK(got[3].ok());
  auto reopened = OpenStore(path);
  CHECK(VersionOf(reopened.get(), "a") == 1);
  CHECK(VersionOf(reopened.get(), "b") == 1);
  CHECK(VersionOf(reopened.get(), "c") == 0);
  CHECK(TranscriptOf(reopened.get(), "c").size() == 1);  // nothing of the refused turn
  CHECK(VersionOf(reopened.get(), "d") == 1);
  CHECK(TranscriptOf(reopened.get(), "d").size() == 3);
}

TEST_CASE("a batch that fails as a whole acknowledges none of its turns", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  SqliteStoreOptions options;
  options.busy_timeout_ms = 10000;
  auto store = OpenStore(path, options);
  for (const char* id : {"a", "b", "c"}) CreateSession(store.get(), id, 1);
  // The second turn of the batch hits a failure that is not its own.
  RawDb(path).Exec(
      "CREATE TRIGGER fail_b BEFORE INSERT ON turns WHEN NEW.session_id = 'b'"
      " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

  RawDb other(path);
  other.Exec("BEGIN IMMEDIATE");
  std::vector<std::thread> threads;
  std::vector<Status> got(3);
  threads.emplace_back([&] { got[0] = store->CommitTurn(Turn("a", 5, "a1", "stale", 2)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  threads.emplace_back([&] { got[1] = store->CommitTurn(Turn("a", 0, "a2", "fine", 2)); });
  threads.emplace_back([&] { got[2] = store->CommitTurn(Turn("b", 0, "b1", "fails", 2)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  other.Exec("ROLLBACK");
  for (std::thread& t : threads) t.join();

  CHECK(got[0].code() == Status::Code::kConflict);
  // Whether "a2" shared b1's batch or not, nothing acknowledged is missing,
  // and nothing missing was acknowledged.
  CHECK(!got[2].ok());
  CHECK(VersionOf(store.get(), "b") == 0);
  CHECK(VersionOf(store.get(), "a") == (got[1].ok() ? 1 : 0));
  CHECK(TranscriptOf(store.get(), "a").size() == (got[1].ok() ? 3u : 1u));
}

TEST_CASE("the WAL is checkpointed off the commit path and stays bounded", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  auto store = OpenStore(path);
  CreateSession(store.get(), "s1", 1);
  // Each turn appends several pages to the WAL; 3,000 turns write far more
  // than the 1,000-page checkpoint mark many times over. Without a
  // checkpoint (SQLite's own is off: the store's thread does it) the WAL
  // would grow past 50 MB.
  const std::string words(600, 'w');
  for (int v = 0; v < 3000; ++v) {
    REQUIRE(store->CommitTurn(Turn("s1", v, "m" + std::to_string(v), words, 2)).ok());
  }
  std::error_code ec;
  const auto wal_bytes = std::filesystem::file_size(path + "-wal", ec);
  REQUIRE_FALSE(ec);
  CHECK(wal_bytes < 16u * 1024 * 1024);
  CHECK(VersionOf(store.get(), "s1") == 3000);
}

TEST_CASE("stores on one file wait for each other's writes instead of failing",
          "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  constexpr int kStores = 8;
  constexpr int kTurns = 20;
  {
    auto setup = OpenStore(path);
    for (int t = 0; t < kStores; ++t) CreateSession(setup.get(), "s" + std::to_string(t), 1);
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kStores; ++t) {
    threads.emplace_back([&path, &failures, t] {
      std::unique_ptr<SqliteStore> store;
      if (!SqliteStore::Open(path, SqliteStoreOptions(), &store).ok()) {
        ++failures;
        return;
      }
      const std::string id = "s" + std::to_string(t);
      for (int v = 0; v < kTurns; ++v) {
        if (!store->CommitTurn(Turn(id, v, "", "hi", 2 + v)).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(failures == 0);
  auto store = OpenStore(path);
  for (int t = 0; t < kStores; ++t) CHECK(VersionOf(store.get(), "s" + std::to_string(t)) == kTurns);
}

TEST_CASE("a locked database makes a commit unavailable, changes nothing and leaks no text",
          "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  SqliteStoreOptions options;
  options.busy_timeout_ms = 50;
  auto store = OpenStore(path, options);
  CreateSession(store.get(), "secret-session-id", 1);

  RawDb other(path);
  other.Exec("BEGIN IMMEDIATE");  // another process holds the write lock
  const std::string text = "my private words";
  Status s = store->CommitTurn(Turn("secret-session-id", 0, "m1", text, 2));
  CHECK(s.code() == Status::Code::kUnavailable);
  CHECK(s.message().find(text) == std::string::npos);
  CHECK(s.message().find("secret-session-id") == std::string::npos);
  // Readers are not blocked by the writer.
  CHECK(VersionOf(store.get(), "secret-session-id") == 0);
  CHECK(store->Erase("secret-session-id").code() == Status::Code::kUnavailable);
  other.Exec("ROLLBACK");

  CHECK(TranscriptOf(store.get(), "secret-session-id").size() == 1);
  CHECK(store->CommitTurn(Turn("secret-session-id", 0, "m1", text, 3)).ok());
}

TEST_CASE("a turn that fails part way leaves no trace", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("steady.db");
  auto store = OpenStore(path);
  CreateSession(store.get(), "s1", 1);
  // Make the last write of a turn fail, after the transcript lines and the
  // state have been written inside the transaction.
  RawDb(path).Exec(
      "CREATE TRIGGER fail_turns BEFORE INSERT ON turns"
      " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

  Status s = store->CommitTurn(Turn("s1", 0, "m1", "half written", 2));
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("injected failure") == std::string::npos);  // no SQLite text leaks
  StoredSession session;
  REQUIRE(store->Load("s1", &session).ok());
  CHECK(session.version == 0);
  CHECK(session.state_json == "{}");
  CHECK(TranscriptOf(store.get(), "s1").size() == 1);

  RawDb(path).Exec("DROP TRIGGER fail_turns");
  CHECK(store->CommitTurn(Turn("s1", 0, "m1", "whole", 3)).ok());
  CHECK(TranscriptOf(store.get(), "s1").size() == 3);
}

}  // namespace
}  // namespace steady
