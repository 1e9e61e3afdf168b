// One suite of store behaviours, run against SQLite and PostgreSQL alike,
// so the server cannot tell the stores apart. Each behaviour is written
// once, as a function of a StoreMaker, and registered for both stores:
// "... (sqlite)" runs everywhere; "... (postgresql)" is tagged [pg] and runs
// through tests/support/with_pg_cluster (ctest: store_postgresql).
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/store_makers.h"

namespace steady::testing {
namespace {

#define STORE_CONFORMANCE(name, function)                          \
  TEST_CASE(name " (sqlite)", "[store][conformance]") {            \
    SqliteMaker maker;                                             \
    function(maker);                                               \
  }                                                                \
  TEST_CASE(name " (postgresql)", "[pg][store][conformance]") {    \
    PgMaker maker;                                                 \
    function(maker);                                               \
  }

TranscriptEntry Coach(const std::string& text) {
  TranscriptEntry e;
  e.role = TranscriptEntry::Role::kCoach;
  e.text = text;
  return e;
}

TurnRecord Turn(const std::string& session_id, int64_t expected_version,
                const std::string& client_message_id, const std::string& text, int64_t now) {
  TurnRecord t;
  t.session_id = session_id;
  t.expected_version = expected_version;
  t.client_message_id = client_message_id;
  t.user_text = text;
  t.coach_messages = {Coach("reply to " + text)};
  t.intent = "lapse.disclosure";
  t.new_state_json = "{\"turn_count\":" + std::to_string(expected_version + 1) + "}";
  t.response_json = "{\"messages\":[{\"text\":\"reply to " + text + "\"}]}";
  t.now = now;
  return t;
}

void Create(SessionStore* store, const std::string& id, int64_t now) {
  Status s = store->Create(id, "{}", {Coach("Hi, I'm here.")}, now);
  INFO(s.message());
  REQUIRE(s.ok());
}

std::vector<TranscriptEntry> Lines(SessionStore* store, const std::string& id) {
  std::vector<TranscriptEntry> lines;
  Status s = store->Transcript(id, &lines);
  INFO(s.message());
  REQUIRE(s.ok());
  return lines;
}

void CommittedTurnSurvivesReopening(StoreMaker& maker) {
  {
    auto store = maker.Open();
    Create(store.get(), "s1", 100);
    Status s = store->CommitTurn(Turn("s1", 0, "m1", "I used last night", 200));
    INFO(s.message());
    REQUIRE(s.ok());
  }
  auto store = maker.Open();
  StoredSession session;
  REQUIRE(store->Load("s1", &session).ok());
  CHECK(session.version == 1);
  CHECK(session.state_json == "{\"turn_count\":1}");
  CHECK(session.created_at == 100);
  CHECK(session.updated_at == 200);
  std::vector<TranscriptEntry> lines = Lines(store.get(), "s1");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].role == TranscriptEntry::Role::kCoach);
  CHECK(lines[1].role == TranscriptEntry::Role::kUser);
  CHECK(lines[1].text == "I used last night");
  CHECK(lines[1].intent == "lapse.disclosure");
  CHECK(lines[1].created_at == 200);
  CHECK(lines[2].text == "reply to I used last night");
}
STORE_CONFORMANCE("a committed turn survives closing and reopening the store",
                  CommittedTurnSurvivesReopening)

void TextByteForByte(StoreMaker& maker) {
  auto store = maker.Open();
  Create(store.get(), "s1", 1);
  const std::string text = std::string("caf\xC3\xA9 \xF0\x9F\x98\x94 'quotes' \"double\" \\ ") +
                           std::string(1, '\0') + " after a NUL\n\ttab";
  TurnRecord turn = Turn("s1", 0, "", text, 2);
  turn.response_json = "{\"text\":\"\\u0000 and \xF0\x9F\x98\x94\"}";
  REQUIRE(store->CommitTurn(turn).ok());
  std::vector<TranscriptEntry> lines = Lines(store.get(), "s1");
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].text == text);
  CHECK(lines[1].text.size() == text.size());
}
STORE_CONFORMANCE("text is stored byte for byte, a NUL and emoji included", TextByteForByte)

void RetriedClientMessageId(StoreMaker& maker) {
  auto store = maker.Open();
  Create(store.get(), "s1", 1);
  REQUIRE(store->CommitTurn(Turn("s1", 0, "m1", "first", 2)).ok());
  Status again = store->CommitTurn(Turn("s1", 1, "m1", "first", 3));
  CHECK(again.code() == Status::Code::kConflict);
  std::optional<std::string> response;
  REQUIRE(store->FindResponse("s1", "m1", &response).ok());
  REQUIRE(response.has_value());
  CHECK(*response == "{\"messages\":[{\"text\":\"reply to first\"}]}");
  REQUIRE(store->FindResponse("s1", "m2", &response).ok());
  CHECK_FALSE(response.has_value());
  CHECK(Lines(store.get(), "s1").size() == 3);  // nothing new
}
STORE_CONFORMANCE("a retried client_message_id conflicts and the first reply is found",
                  RetriedClientMessageId)

void StaleVersion(StoreMaker& maker) {
  auto store = maker.Open();
  Create(store.get(), "s1", 1);
  REQUIRE(store->CommitTurn(Turn("s1", 0, "", "one", 2)).ok());
  CHECK(store->CommitTurn(Turn("s1", 0, "", "stale", 3)).code() == Status::Code::kConflict);
  StoredSession session;
  REQUIRE(store->Load("s1", &session).ok());
  CHECK(session.version == 1);
  CHECK(Lines(store.get(), "s1").size() == 3);
}
STORE_CONFORMANCE("a stale version is refused and changes nothing", StaleVersion)

void UnknownSession(StoreMaker& maker) {
  auto store = maker.Open();
  StoredSession session;
  std::vector<TranscriptEntry> lines;
  CHECK(store->Load("nope", &session).code() == Status::Code::kNotFound);
  CHECK(store->CommitTurn(Turn("nope", 0, "", "x", 1)).code() == Status::Code::kNotFound);
  CHECK(store->Transcript("nope", &lines).code() == Status::Code::kNotFound);
  CHECK(store->Erase("nope").code() == Status::Code::kNotFound);
  CHECK(store->Create("", "{}", {}, 1).code() == Status::Code::kInvalid);
}
STORE_CONFORMANCE("an unknown session is not found everywhere", UnknownSession)

void CreateConflict(StoreMaker& maker) {
  auto store = maker.Open();
  REQUIRE(store->Create("s1", "{\"first\":true}", {}, 1).ok());
  CHECK(store->Create("s1", "{\"second\":true}", {}, 2).code() == Status::Code::kConflict);
  StoredSession session;
  REQUIRE(store->Load("s1", &session).ok());
  CHECK(session.state_json == "{\"first\":true}");
}
STORE_CONFORMANCE("creating a session whose id exists conflicts and keeps the first",
                  CreateConflict)

OutboxEvent Event(const std::string& id, const std::string& session_id, int64_t created_ms) {
  OutboxEvent e;
  e.id = id;
  e.session_id = session_id;
  e.payload_json = "{\"event_id\":\"" + id + "\"}";
  e.created_ms = created_ms;
  return e;
}

void EraseEverything(StoreMaker& maker) {
  auto store = maker.Open();
  Create(store.get(), "gone", 1);
  Create(store.get(), "kept", 1);
  TurnRecord turn = Turn("gone", 0, "g1", "text", 2);
  turn.outbox.push_back(Event("evt_gone", "gone", 2000));
  REQUIRE(store->CommitTurn(turn).ok());
  turn = Turn("kept", 0, "k1", "text", 2);
  turn.outbox.push_back(Event("evt_kept", "kept", 2000));
  REQUIRE(store->CommitTurn(turn).ok());
  REQUIRE(store->Erase("gone").ok());
  StoredSession session;
  CHECK(store->Load("gone", &session).code() == Status::Code::kNotFound);
  std::optional<std::string> response;
  REQUIRE(store->FindResponse("gone", "g1", &response).ok());
  CHECK_FALSE(response.has_value());
  std::vector<OutboxEvent> due;
  REQUIRE(store->ClaimOutboxEvents(10000, 1000, 10, &due).ok());
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == "evt_kept");
  CHECK(Lines(store.get(), "kept").size() == 3);
}
STORE_CONFORMANCE("erase removes the session, its replies and its events, nothing else",
                  EraseEverything)

void Purge(StoreMaker& maker) {
  auto store = maker.Open();
  Create(store.get(), "idle", 100);
  REQUIRE(store->CommitTurn(Turn("idle", 0, "i1", "old news", 200)).ok());
  Create(store.get(), "active", 100);
  REQUIRE(store->CommitTurn(Turn("active", 0, "a1", "early", 200)).ok());
  REQUIRE(store->CommitTurn(Turn("active", 1, "a2", "late", 1000)).ok());
  int64_t removed = -1;
  REQUIRE(store->PurgeOlderThan(500, &removed).ok());
  CHECK(removed == 1);
  StoredSession session;
  CHECK(store->Load("idle", &session).code() == Status::Code::kNotFound);
  std::vector<TranscriptEntry> lines = Lines(store.get(), "active");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].text == "late");
  std::optional<std::string> response;
  REQUIRE(store->FindResponse("active", "a1", &response).ok());
  CHECK_FALSE(response.has_value());
  REQUIRE(store->PurgeOlderThan(1000, &removed).ok());  // exclusive cutoff
  CHECK(removed == 0);
  REQUIRE(store->PurgeOlderThan(1001, &removed).ok());
  CHECK(removed == 1);
}
STORE_CONFORMANCE("purge removes idle sessions and old lines, the cutoff exclusive", Purge)

void OutboxLeases(StoreMaker& maker) {
  auto first = maker.Open();
  auto second = maker.Open();  // another server on the same database
  Create(first.get(), "s1", 1);
  TurnRecord turn = Turn("s1", 0, "", "crisis", 2);
  turn.outbox.push_back(Event("evt_1", "s1", 2000));
  REQUIRE(first->CommitTurn(turn).ok());
  std::vector<OutboxEvent> due;
  REQUIRE(first->ClaimOutboxEvents(10000, 5000, 8, &due).ok());
  REQUIRE(due.size() == 1);
  CHECK(due[0].payload_json == "{\"event_id\":\"evt_1\"}");
  REQUIRE(second->ClaimOutboxEvents(14999, 5000, 8, &due).ok());
  CHECK(due.empty());  // leased to the first
  REQUIRE(second->ClaimOutboxEvents(15000, 5000, 8, &due).ok());
  REQUIRE(due.size() == 1);  // the lease ran out: at least once
  REQUIRE(second->RetryOutboxEvent("evt_1", 30000).ok());
  OutboxStats stats;
  REQUIRE(first->GetOutboxStats(&stats).ok());
  CHECK(stats.pending == 1);
  CHECK(stats.failing == 1);
  CHECK(stats.oldest_created_ms == 2000);
  REQUIRE(first->ClaimOutboxEvents(30000, 5000, 8, &due).ok());
  REQUIRE(due.size() == 1);
  CHECK(due[0].attempts == 1);
  REQUIRE(first->CompleteOutboxEvent("evt_1").ok());
  REQUIRE(first->GetOutboxStats(&stats).ok());
  CHECK(stats.pending == 0);
  REQUIRE(first->AddOutboxEvent(Event("evt_2", "s1", 5)).ok());
  REQUIRE(first->AddOutboxEvent(Event("evt_2", "s1", 5)).ok());  // once only
  REQUIRE(first->GetOutboxStats(&stats).ok());
  CHECK(stats.pending == 1);
}
STORE_CONFORMANCE("outbox events are leased to one server at a time and retried",
                  OutboxLeases)

void TwoStoresConflict(StoreMaker& maker) {
  auto a = maker.Open();
  auto b = maker.Open();
  Create(a.get(), "s1", 1);
  REQUIRE(a->CommitTurn(Turn("s1", 0, "", "from a", 2)).ok());
  CHECK(b->CommitTurn(Turn("s1", 0, "", "from b", 2)).code() == Status::Code::kConflict);
  StoredSession session;
  REQUIRE(b->Load("s1", &session).ok());
  CHECK(session.version == 1);
}
STORE_CONFORMANCE("two stores on one database: the second commit of a version conflicts",
                  TwoStoresConflict)

// Writers on two stores hammer one session with reload-and-retry, as two
// servers would: every turn lands once, and versions count without a gap.
void ConcurrentSameSession(StoreMaker& maker) {
  auto setup = maker.Open();
  Create(setup.get(), "s1", 1);
  std::vector<std::unique_ptr<SessionStore>> stores;
  stores.push_back(maker.Open());
  stores.push_back(maker.Open());
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  constexpr int kWriters = 4, kTurns = 10;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      SessionStore* store = stores[w % 2].get();
      for (int i = 0; i < kTurns; ++i) {
        const std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
        bool done = false;
        for (int attempt = 0; attempt < 200 && !done; ++attempt) {
          StoredSession session;
          if (!store->Load("s1", &session).ok()) break;
          Status s = store->CommitTurn(Turn("s1", session.version, id, id, 5));
          done = s.ok();
          if (!s.ok() && s.code() != Status::Code::kConflict) break;
        }
        if (!done) ++failures;
      }
    });
  }
  for (std::thread& t : writers) t.join();
  CHECK(failures == 0);
  StoredSession session;
  REQUIRE(setup->Load("s1", &session).ok());
  CHECK(session.version == kWriters * kTurns);
  std::vector<std::string> seen;
  for (const TranscriptEntry& e : Lines(setup.get(), "s1")) {
    if (e.role == TranscriptEntry::Role::kUser) seen.push_back(e.text);
  }
  CHECK(seen.size() == static_cast<size_t>(kWriters * kTurns));
  std::sort(seen.begin(), seen.end());
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());  // none doubled
}
STORE_CONFORMANCE("turns of one session from two stores at once all land, none doubled",
                  ConcurrentSameSession)

void MigrateTwice(StoreMaker& maker) {
  { auto store = maker.Open(); }  // opening migrates
  int from = -1, to = -1;
  Status s = MigrateStore(maker.db(), &from, &to);
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(from == to);  // nothing left to do
  CHECK(to == SqliteStore::SchemaVersion());
  CHECK(PgStore::SchemaVersion() == SqliteStore::SchemaVersion());
}
STORE_CONFORMANCE("migrate finds an opened database current, at the same version for both",
                  MigrateTwice)

}  // namespace
}  // namespace steady::testing
