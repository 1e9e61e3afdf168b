// ConversationService with the shipped content and a real SQLite file,
// wrapped in a store that can be told to fail.
#include "server/conversation_service.h"

#include <sstream>

#include <catch2/catch.hpp>

#include "cli/cli_common.h"
#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace steady {
namespace {

// Passes every call to a SqliteStore unless told to fail it.
class FaultyStore : public SessionStore {
 public:
  explicit FaultyStore(std::unique_ptr<SqliteStore> inner) : inner_(std::move(inner)) {}
  bool fail_load = false;
  bool fail_commit = false;
  int stale_commits = 0;  // commits answered "stale" before the real one

  Status Create(const std::string& id, const std::string& state,
                const std::vector<TranscriptEntry>& opening, int64_t now) override {
    return inner_->Create(id, state, opening, now);
  }
  Status Load(const std::string& id, StoredSession* out) override {
    if (fail_load) return Status::Unavailable("disk on fire");
    return inner_->Load(id, out);
  }
  Status FindResponse(const std::string& id, const std::string& cmid,
                      std::optional<std::string>* response) override {
    if (fail_load) return Status::Unavailable("disk on fire");
    return inner_->FindResponse(id, cmid, response);
  }
  Status CommitTurn(const TurnRecord& turn) override {
    if (fail_commit) return Status::Unavailable("disk full");
    if (stale_commits > 0) {
      --stale_commits;
      return Status::Conflict("stale");
    }
    return inner_->CommitTurn(turn);
  }
  Status Transcript(const std::string& id, std::vector<TranscriptEntry>* out) override {
    return inner_->Transcript(id, out);
  }
  Status Erase(const std::string& id) override { return inner_->Erase(id); }
  Status PurgeOlderThan(int64_t cutoff, int64_t* removed) override {
    return inner_->PurgeOlderThan(cutoff, removed);
  }
  Status Ping() override { return inner_->Ping(); }
  Status AddOutboxEvent(const OutboxEvent& event) override {
    if (fail_commit) return Status::Unavailable("disk full");
    return inner_->AddOutboxEvent(event);
  }
  Status ClaimOutboxEvents(int64_t now_ms, int64_t lease_ms, int max_events,
                           std::vector<OutboxEvent>* out) override {
    return inner_->ClaimOutboxEvents(now_ms, lease_ms, max_events, out);
  }
  Status CompleteOutboxEvent(const std::string& id) override {
    return inner_->CompleteOutboxEvent(id);
  }
  Status RetryOutboxEvent(const std::string& id, int64_t next_ms) override {
    return inner_->RetryOutboxEvent(id, next_ms);
  }
  Status GetOutboxStats(OutboxStats* stats) override { return inner_->GetOutboxStats(stats); }

 private:
  std::unique_ptr<SqliteStore> inner_;
};

struct Fixture {
  Fixture() {
    std::unique_ptr<Engine> engine;
    std::ostringstream err;
    if (LoadEngine(STEADY_SOURCE_DIR, err, &engine) != 0) FAIL(err.str());
    engines = std::make_unique<EngineHolder>(std::shared_ptr<const Engine>(std::move(engine)));
    std::unique_ptr<SqliteStore> sqlite;
    REQUIRE(SqliteStore::Open(dir.File("s.db"), SqliteStoreOptions(), &sqlite).ok());
    store = std::make_unique<FaultyStore>(std::move(sqlite));
    service = std::make_unique<ConversationService>(engines.get(), store.get(), &metrics,
                                                    [] { return int64_t{1767225600}; });
    std::string body;
    REQUIRE(service->StartSession(&id, &body).ok());
  }
  int Turns() {
    nlohmann::json view;
    REQUIRE(service->DescribeSession(id, &view).ok());
    return view["state"]["turn_count"];
  }

  testing::TempDir dir;
  std::unique_ptr<EngineHolder> engines;
  std::unique_ptr<FaultyStore> store;
  Metrics metrics;
  std::unique_ptr<ConversationService> service;
  std::string id;
};

}  // namespace

TEST_CASE("when saving fails, a crisis message still gets its crisis reply",
          "[server][service]") {
  Fixture f;
  f.store->fail_commit = true;
  TurnOutcome out = f.service->PostMessage(f.id, "I took too many pills and can't breathe", "");
  CHECK(out.kind == TurnOutcome::Kind::kUnavailable);
  nlohmann::json reply = nlohmann::json::parse(out.response);
  CHECK(reply["crisis"]["category"] == "overdose");
  CHECK(reply["crisis"]["resources"].dump().find("911") != std::string::npos);
  CHECK(f.Turns() == 0);  // nothing pretends to be saved
}

TEST_CASE("when the session can't even be loaded, a crisis still gets its reply",
          "[server][service]") {
  Fixture f;
  f.store->fail_load = true;
  TurnOutcome out = f.service->PostMessage(f.id, "i want to kms", "");
  CHECK(out.kind == TurnOutcome::Kind::kUnavailable);
  nlohmann::json reply = nlohmann::json::parse(out.response);
  CHECK(reply["crisis"]["category"] == "suicide");
  CHECK(reply["messages"].dump().find("988") != std::string::npos);
}

TEST_CASE("when saving fails, an ordinary message gets no reply that looks saved",
          "[server][service]") {
  Fixture f;
  f.store->fail_commit = true;
  TurnOutcome out = f.service->PostMessage(f.id, "I used last night", "");
  CHECK(out.kind == TurnOutcome::Kind::kUnavailable);
  CHECK(out.response.empty());
  CHECK(f.metrics.Render().find("steady_store_errors_total 1") != std::string::npos);
  f.store->fail_commit = false;
  CHECK(f.service->PostMessage(f.id, "I used last night", "").kind ==
        TurnOutcome::Kind::kAnswered);
  CHECK(f.Turns() == 1);
}

TEST_CASE("a commit that lost a race reloads and is answered once", "[server][service]") {
  Fixture f;
  f.store->stale_commits = 2;
  TurnOutcome out = f.service->PostMessage(f.id, "I slipped", "m1");
  CHECK(out.kind == TurnOutcome::Kind::kAnswered);
  CHECK(f.Turns() == 1);
  TurnOutcome again = f.service->PostMessage(f.id, "I slipped", "m1");
  CHECK(again.kind == TurnOutcome::Kind::kReplayed);
  CHECK(again.response == out.response);
  CHECK(f.Turns() == 1);
}

TEST_CASE("a refused message changes nothing", "[server][service]") {
  Fixture f;
  TurnOutcome out = f.service->PostMessage(f.id, std::string(2001, 'x'), "");
  CHECK(out.kind == TurnOutcome::Kind::kRefused);
  CHECK(out.input_error == InputError::kTooLong);
  CHECK(f.Turns() == 0);
  CHECK(f.service->PostMessage("no-such-session", "hi", "").kind == TurnOutcome::Kind::kNotFound);
}

}  // namespace steady
