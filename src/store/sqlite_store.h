// SqliteStore: the default SessionStore, one SQLite file on local disk.
//
//   std::unique_ptr<SqliteStore> store;
//   Status s = SqliteStore::Open("var/steady.db", SqliteStoreOptions(), &store);
//
// The file runs in WAL mode, so readers never block the writer and a commit
// costs one append to the WAL. Every write is one transaction taken with
// BEGIN IMMEDIATE: it holds the write lock from its first statement, so the
// existence, idempotency and version checks it makes cannot be invalidated
// by another writer before it commits.
//
// Text (messages, state, responses) is stored exactly as given, byte for
// byte; nothing is validated or normalized here.
//
// Errors: a busy, locked, read-only, full or failing disk is kUnavailable;
// a file that is not a database, or is newer than this binary, is
// kCorruption. Error messages never hold message text or session ids.
#ifndef STEADY_STORE_SQLITE_STORE_H_
#define STEADY_STORE_SQLITE_STORE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/group_commit.h"
#include "store/session_store.h"

struct sqlite3;

namespace steady {
namespace sqlite {
class Statement;
class SqliteCheckpointer;
class SqliteReaders;
}  // namespace sqlite

struct SqliteStoreOptions {
  // How long a write waits for another connection (another process, or
  // another SqliteStore on the same file) to release the write lock before
  // failing with kUnavailable. Milliseconds; default 5000.
  int busy_timeout_ms = 5000;

  // Create the folder that holds the file (e.g. var/) when it is missing.
  // Default true.
  bool create_parent_folder = true;

  // PRAGMA synchronous. false (default): NORMAL, which in WAL mode never
  // corrupts the file and loses no commit if the process crashes, but may
  // lose the last commits if the machine loses power. true: FULL, which
  // syncs the WAL on every commit and survives power loss, at the cost of
  // one fsync per turn.
  bool sync_every_commit = false;

  // Scrub deleted text from disk. true (default): PRAGMA secure_delete=ON,
  // so deleted rows are overwritten with zeros, and Erase and PurgeOlderThan
  // end with a TRUNCATE checkpoint, so that when they return neither the
  // file nor its WAL holds the deleted text. The checkpoint is best effort:
  // if another connection is mid-read past busy_timeout_ms it gives up and
  // the WAL is scrubbed by later checkpoints; the call still succeeds.
  // Costs extra writes and an fsync per erase. false: deleted text stays
  // in free pages and the WAL until SQLite reuses them.
  bool secure_delete = true;

  // Connections that only read, opened with the store and shared by all
  // threads: this many reads run at once, in parallel with the writer; a
  // read waits while all are busy. Reads take microseconds, so a few
  // serve many threads. Each holds three files open (the database, the
  // WAL and its index). Default 4.
  int read_connections = 4;
};

// Thread-safe. One SqliteStore writes through one SQLite connection,
// guarded by a mutex, and reads (Load, FindResponse, Transcript) through a
// pool of read connections (sqlite_readers.h) that never wait for it. Turns committed at the same time by several threads are
// grouped (group_commit.h): one transaction holds them all, each turn in
// its own savepoint so that one refused turn does not undo the others, and
// each CommitTurn returns only once that transaction has committed.
//
// Several stores (or processes) may open the same file. SQLite's file locks
// serialize their writes; a writer waits up to busy_timeout_ms, then gets
// kUnavailable. A commit made through one store is seen by the next read
// through any other.
class SqliteStore : public SessionStore {
 public:
  // Opens the file at `path`, creating it (and, if the options say so, its
  // folder) when missing, sets the connection PRAGMAs (journal_mode=WAL,
  // synchronous, busy_timeout, foreign_keys=ON, secure_delete) and applies
  // any migrations the file lacks. On success sets *out; on failure leaves
  // it untouched. kCorruption when the file is not a database or its schema
  // is newer than this binary; kUnavailable when it cannot be opened, or
  // only for reading.
  // REQUIRES: out != nullptr.
  static Status Open(const std::string& path, const SqliteStoreOptions& options,
                     std::unique_ptr<SqliteStore>* out);

  // What `steady migrate --db PATH` does: opens (creating if needed) and
  // upgrades the file, then closes it. Sets *from_version to the schema
  // version found (0 for a new file) and *to_version to the version left;
  // either may be null. Fails, changing nothing, like Open.
  static Status Migrate(const std::string& path, int* from_version, int* to_version);

  // The schema version this binary creates and upgrades files to.
  static int SchemaVersion();

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // SessionStore. Notes beyond the interface's contract:
  //  - Create stores `opening` as coach lines, and CommitTurn stores
  //    `coach_messages` as coach lines, whatever their `role` field says.
  //    Every line a call writes is stamped with that call's `now`; the
  //    entries' `created_at` is ignored.
  //  - An empty id is kInvalid for Create, kNotFound elsewhere.
  //  - CommitTurn checks, in this order: the session exists (kNotFound),
  //    client_message_id is unused (kConflict, message says "duplicate"),
  //    expected_version is current (kConflict, message says "stale").
  //    A duplicate is reported even when the version is also stale, since
  //    a retry usually carries the version it was first sent with.
  //  - PurgeOlderThan runs as one transaction; on a very large backlog it
  //    holds the write lock for as long as the deletes take.
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

 private:
  struct Statements;  // every statement, prepared once at Open

  // A bigger batch holds the write lock longer (another process waits
  // for it) for little gain: past a few dozen turns the commit's fixed
  // cost is already shared thin.
  static constexpr size_t kMaxTurnsPerCommit = 64;
  // WAL pages that make a checkpoint due (SQLite's own default: about 4 MB).
  static constexpr int kCheckpointPages = 1000;

  SqliteStore(const std::string& path, sqlite3* db, std::unique_ptr<Statements> statements,
              std::unique_ptr<sqlite::SqliteReaders> readers, const SqliteStoreOptions& options);

  // Commits the turns of `batch` in one transaction, setting
  // (*results)[i] for each. Takes mu_.
  void CommitBatch(const std::vector<const TurnRecord*>& batch, std::vector<Status>* results);

  // The checks and writes of one turn. REQUIRES: mu_ held, inside a write
  // transaction.
  Status ApplyTurn(const TurnRecord& turn);

  // Moves the WAL into the file and empties it, when options_ ask for
  // deleted text to be scrubbed. REQUIRES: mu_ held, no open transaction.
  void ScrubWal();

  // Appends one transcript line. REQUIRES: mu_ held, inside a write
  // transaction.
  Status InsertMessage(const std::string& session_id, int64_t seq, const char* role,
                       const std::string& text, const std::string& intent,
                       const std::string& crisis, int64_t now);

  // Inserts one outbox row with `insert` (insert_event or add_event).
  // REQUIRES: mu_ held.
  Status InsertEvent(sqlite::Statement* insert, const OutboxEvent& event);

  const SqliteStoreOptions options_;
  std::mutex mu_;
  sqlite3* const db_;                  // owned; used under mu_
  std::unique_ptr<Statements> stmts_;  // used under mu_; finalized before db_ closes
  GroupCommit<TurnRecord> commits_{kMaxTurnsPerCommit};
  // Connections that only read (Load, FindResponse, Transcript), so reads
  // never wait for mu_ while a batch commits.
  std::unique_ptr<sqlite::SqliteReaders> readers_;
  // Checkpoints the WAL off the commit path (sqlite_checkpointer.h); null
  // if its connection could not be opened.
  std::unique_ptr<sqlite::SqliteCheckpointer> checkpointer_;
};

}  // namespace steady

#endif  // STEADY_STORE_SQLITE_STORE_H_
