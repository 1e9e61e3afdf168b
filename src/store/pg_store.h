// PgStore: the SessionStore on PostgreSQL, for several `steady serve`
// processes behind a load balancer sharing one database.
//
//   std::unique_ptr<PgStore> store;
//   Status s = PgStore::Open("postgresql://steady@db.internal/steady", PgStoreOptions(), &store);
//
// Same semantics as SqliteStore, so the server cannot tell them apart:
//  - a turn commits in one transaction that first locks the session's row
//    (SELECT ... FOR UPDATE), so two nodes committing turns of one session
//    run one after the other; the version check then refuses the one that
//    loaded a stale state (kConflict: the caller reloads and retries), and
//    the unique (session, client_message_id) index refuses a retry that
//    raced its first delivery on another node;
//  - outbox events are claimed with FOR UPDATE SKIP LOCKED, so nodes never
//    wait for each other and each event is leased to one node at a time;
//  - a purge takes a transaction-scoped advisory lock and is skipped by a
//    node that finds another node purging.
//
// Thread-safe. A fixed pool of connections, each with every statement
// prepared once; a call borrows one connection for its duration. A broken
// connection is reset on its next use.
//
// Errors: a database that cannot be reached, or fails mid-call, is
// kUnavailable; messages never hold message text or session ids.
#ifndef STEADY_STORE_PG_STORE_H_
#define STEADY_STORE_PG_STORE_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/session_store.h"

namespace steady {

struct PgStoreOptions {
  // Connections in the pool: how many calls run at once. Default 8.
  int pool_size = 8;
  // Seconds to wait for a connection to the server. Default 5.
  int connect_timeout_seconds = 5;
  // Longest a statement may run before it is cancelled, milliseconds. A
  // turn waiting for another node's lock on the same session counts.
  // Default 5000.
  int statement_timeout_ms = 5000;
};

// True when `db` names a PostgreSQL database (postgresql:// or postgres://).
bool IsPostgresUrl(const std::string& db);

class PgStore : public SessionStore {
 public:
  // Connects the pool and applies any migrations the database lacks (under
  // an advisory lock, so nodes starting together migrate once).
  static Status Open(const std::string& url, const PgStoreOptions& options,
                     std::unique_ptr<PgStore>* out);

  // What `steady migrate --db postgresql://...` does.
  static Status Migrate(const std::string& url, int* from_version, int* to_version);

  // The schema version this binary creates and upgrades databases to.
  static int SchemaVersion();

  ~PgStore() override;
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  Status Create(const std::string& id, const std::string& state_json,
                const std::vector<TranscriptEntry>& opening, int64_t now) override;
  Status Load(const std::string& id, StoredSession* out) override;
  Status FindResponse(const std::string& session_id, const std::string& client_message_id,
                      std::optional<std::string>* response) override;
  Status CommitTurn(const TurnRecord& turn) override;
  Status Transcript(const std::string& id, std::vector<TranscriptEntry>* out) override;
  Status Erase(const std::string& id) override;
  Status PurgeOlderThan(int64_t cutoff, int64_t* sessions_removed) override;
  Status Ping() override;
  Status AddOutboxEvent(const OutboxEvent& event) override;
  Status ClaimOutboxEvents(int64_t now_ms, int64_t lease_ms, int max_events,
                           std::vector<OutboxEvent>* out) override;
  Status CompleteOutboxEvent(const std::string& event_id) override;
  Status RetryOutboxEvent(const std::string& event_id, int64_t next_attempt_ms) override;
  Status GetOutboxStats(OutboxStats* stats) override;

  class Connection;  // one libpq connection with its prepared statements

 private:
  explicit PgStore(std::vector<std::unique_ptr<Connection>> pool);

  // Borrows a connection for one call; gives it back when destroyed.
  class Lease;
  Lease Borrow();

  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> pool_;  // all connections, owned
  std::vector<Connection*> idle_;                  // guarded by mu_
};

}  // namespace steady

#endif  // STEADY_STORE_PG_STORE_H_
