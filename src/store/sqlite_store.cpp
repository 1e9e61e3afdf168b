#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <system_error>
#include <utility>

#include "store/sqlite_checkpointer.h"
#include "store/sqlite_migrations.h"
#include "store/sqlite_readers.h"
#include "store/sqlite_statement.h"

namespace steady {

using sqlite::Statement;
using sqlite::StatementUse;
using sqlite::ToStatus;
using sqlite::Transaction;

// Every statement the store runs, compiled once per connection. Parameters
// are numbered (?1, ?2...) so the binding code can be read against the SQL.
struct SqliteStore::Statements {
  Statement begin_write;
  Statement commit;
  Statement rollback;
  Statement savepoint;
  Statement release;
  Statement rollback_to;

  Statement select_version;
  Statement insert_session;
  Statement update_session;
  Statement next_seq;
  Statement insert_message;
  Statement turn_exists;
  Statement insert_turn;

  Statement erase_messages;
  Statement erase_turns;
  Statement erase_outbox;
  Statement erase_session;

  Statement insert_event;
  Statement add_event;
  Statement select_due_events;
  Statement lease_event;
  Statement delete_event;
  Statement retry_event;
  Statement outbox_stats;

  Statement purge_idle_messages;
  Statement purge_idle_turns;
  Statement purge_idle_sessions;
  Statement purge_old_messages;
  Statement purge_old_turns;
  Statement purge_old_events;

  int PrepareAll(sqlite3* db) {
    const struct {
      Statement* statement;
      const char* sql;
    } all[] = {
        // Writes lock at once, so their checks hold until COMMIT.
        {&begin_write, "BEGIN IMMEDIATE"},
        {&commit, "COMMIT"},
        {&rollback, "ROLLBACK"},
        // One per turn of a group commit, so a turn that fails its checks
        // is undone alone and the rest of the batch still commits.
        {&savepoint, "SAVEPOINT turn"},
        {&release, "RELEASE turn"},
        {&rollback_to, "ROLLBACK TO turn"},

        {&select_version, "SELECT version FROM sessions WHERE id = ?1"},
        {&insert_session,
         "INSERT INTO sessions (id, state_json, version, created_at, updated_at)"
         " VALUES (?1, ?2, 0, ?3, ?3)"},
        // `version = ?4` repeats the check CommitTurn already made under the
        // write lock, so a logic slip cannot overwrite a newer state.
        {&update_session,
         "UPDATE sessions SET state_json = ?2, version = version + 1, updated_at = ?3"
         " WHERE id = ?1 AND version = ?4"},
        // After a purge a session's oldest lines are gone but its newest
        // remain, so MAX + 1 still sorts new lines last.
        {&next_seq, "SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE session_id = ?1"},
        {&insert_message,
         "INSERT INTO messages (session_id, seq, role, text, intent, crisis, created_at)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
        {&turn_exists, "SELECT 1 FROM turns WHERE session_id = ?1 AND client_message_id = ?2"},
        {&insert_turn,
         "INSERT INTO turns (session_id, version, client_message_id, response_json, created_at)"
         " VALUES (?1, ?2, ?3, ?4, ?5)"},

        {&erase_messages, "DELETE FROM messages WHERE session_id = ?1"},
        {&erase_turns, "DELETE FROM turns WHERE session_id = ?1"},
        {&erase_outbox, "DELETE FROM outbox WHERE session_id = ?1"},
        {&erase_session, "DELETE FROM sessions WHERE id = ?1"},

        {&purge_idle_messages,
         "DELETE FROM messages WHERE session_id IN"
         " (SELECT id FROM sessions WHERE updated_at < ?1)"},
        {&purge_idle_turns,
         "DELETE FROM turns WHERE session_id IN"
         " (SELECT id FROM sessions WHERE updated_at < ?1)"},
        {&purge_idle_sessions, "DELETE FROM sessions WHERE updated_at < ?1"},
        {&purge_old_messages, "DELETE FROM messages WHERE created_at < ?1"},
        {&purge_old_turns, "DELETE FROM turns WHERE created_at < ?1"},
        // An idle session's events are older than its last turn, so this
        // one age test also takes the events of the sessions purged above.
        {&purge_old_events, "DELETE FROM outbox WHERE created_ms < ?1 * 1000"},

        {&insert_event,
         "INSERT INTO outbox (id, session_id, payload_json, created_ms, attempts,"
         " next_attempt_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
        {&add_event,
         "INSERT OR IGNORE INTO outbox (id, session_id, payload_json, created_ms, attempts,"
         " next_attempt_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
        {&select_due_events,
         "SELECT id, session_id, payload_json, created_ms, attempts FROM outbox"
         " WHERE next_attempt_ms <= ?1 ORDER BY next_attempt_ms LIMIT ?2"},
        {&lease_event, "UPDATE outbox SET next_attempt_ms = ?2 WHERE id = ?1"},
        {&delete_event, "DELETE FROM outbox WHERE id = ?1"},
        {&retry_event,
         "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?2 WHERE id = ?1"},
        {&outbox_stats,
         "SELECT COUNT(*), COUNT(CASE WHEN attempts > 0 THEN 1 END),"
         " COALESCE(MIN(created_ms), 0) FROM outbox"},
    };
    for (const auto& s : all) {
      int rc = s.statement->Prepare(db, s.sql);
      if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
  }
};

namespace {

constexpr const char kRoleUser[] = "user";
constexpr const char kRoleCoach[] = "coach";

struct ConnectionCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

// Runs a statement that returns no rows. REQUIRES: the caller holds a
// StatementUse for it.
Status Exec(Statement* statement, const char* context) {
  int rc = statement->Step();
  return rc == SQLITE_DONE ? Status::Ok() : ToStatus(rc, context);
}

Status NoSuchSession() { return Status::NotFound("sqlite store: no such session"); }

// The stored version of session `id`, or kNotFound.
// REQUIRES: inside a transaction on the statement's connection.
Status SelectVersion(Statement* select_version, const std::string& id, int64_t* version) {
  StatementUse use(select_version);
  select_version->BindText(1, id);
  int rc = select_version->Step();
  if (rc == SQLITE_DONE) return NoSuchSession();
  if (rc != SQLITE_ROW) return ToStatus(rc, "looking up a session");
  *version = select_version->ColumnInt64(0);
  return Status::Ok();
}

// Opens the connection and sets the per-connection PRAGMAs. The journal
// mode is stored in the file; the others must be set on every connection.
Status OpenConnection(const std::string& path, const SqliteStoreOptions& options,
                      Connection* out) {
  if (path.empty()) return Status::Invalid("sqlite store: the database path is empty");
  if (options.create_parent_folder) {
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
      std::filesystem::create_directories(parent, ec);
      if (ec) {
        return Status::Unavailable("sqlite store: cannot create the folder " + parent.string() +
                                   ": " + ec.message());
      }
    }
  }

  const std::string opening = "opening " + path;
  sqlite3* raw = nullptr;
  // NOMUTEX: SQLite's own per-connection mutex would be redundant with mu_.
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  Connection db(raw);  // closes it on every early return, even a failed open
  if (rc != SQLITE_OK) return ToStatus(rc, opening.c_str());
  sqlite3_extended_result_codes(db.get(), 1);
  // SQLite falls back to read-only when the file can't be written; such a
  // store would answer no turn ever again, even once the file is fixed.
  if (sqlite3_db_readonly(db.get(), "main") == 1) {
    return Status::Unavailable("sqlite store: " + path +
                               " is read-only; this user must be able to write it and its folder");
  }

  // First, so that everything after waits for a lock instead of failing.
  rc = sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);
  if (rc != SQLITE_OK) return ToStatus(rc, opening.c_str());

  // journal_mode answers with the mode in force; a filesystem without
  // shared memory (some network mounts) silently keeps the old one.
  {
    Statement wal;
    rc = wal.Prepare(db.get(), "PRAGMA journal_mode = WAL");
    if (rc == SQLITE_OK) rc = wal.Step();
    if (rc != SQLITE_ROW) return ToStatus(rc, (opening + " in WAL mode").c_str());
    const std::string mode = wal.ColumnText(0);
    if (mode != "wal" && mode != "memory") {
      return Status::Unavailable("sqlite store: " + path + " cannot use WAL mode (got " + mode +
                                 "); put it on a local filesystem");
    }
  }

  // temp_store = MEMORY: a group commit undoes a refused turn with ROLLBACK
  // TO its savepoint, which needs a statement journal; past 64 KiB SQLite
  // spills that journal to a temporary file (open, unlink, writes) in
  // every such batch. Kept in memory, it costs only what it holds.
  const std::string pragmas =
      std::string("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;") +
      (options.sync_every_commit ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;") +
      (options.secure_delete ? "PRAGMA secure_delete = ON;" : "PRAGMA secure_delete = OFF;");
  rc = sqlite3_exec(db.get(), pragmas.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return ToStatus(rc, "setting connection pragmas");

  *out = std::move(db);
  return Status::Ok();
}

// Opens more connections to the same file, as the store's readers and
// checkpointer need.
std::function<Status(sqlite3**)> ConnectionOpener(const std::string& path,
                                                  const SqliteStoreOptions& options) {
  return [path, options](sqlite3** out) {
    Connection db;
    Status s = OpenConnection(path, options, &db);
    if (s.ok()) *out = db.release();
    return s;
  };
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path, sqlite3* db,
                         std::unique_ptr<Statements> statements,
                         std::unique_ptr<sqlite::SqliteReaders> readers,
                         const SqliteStoreOptions& options)
    : options_(options),
      db_(db),
      stmts_(std::move(statements)),
      readers_(std::move(readers)) {
  // Without a connection of its own for checkpoints, SQLite's automatic
  // checkpoint in the committing thread stays on: slower, still correct.
  if (sqlite::SqliteCheckpointer::Start(ConnectionOpener(path, options), kCheckpointPages,
                                        &checkpointer_)
          .ok()) {
    checkpointer_->Watch(db_);
  }
}

SqliteStore::~SqliteStore() {
  if (checkpointer_) {
    sqlite::SqliteCheckpointer::Unwatch(db_);
    checkpointer_.reset();
  }
  readers_.reset();
  stmts_.reset();  // finalize first: a connection with live statements won't close
  sqlite3_close_v2(db_);
}

Status SqliteStore::Open(const std::string& path, const SqliteStoreOptions& options,
                         std::unique_ptr<SqliteStore>* out) {
  Connection db;
  Status s = OpenConnection(path, options, &db);
  if (!s.ok()) return s;
  s = sqlite::Migrate(db.get(), nullptr, nullptr);
  if (!s.ok()) return s;
  auto statements = std::make_unique<Statements>();
  int rc = statements->PrepareAll(db.get());
  if (rc != SQLITE_OK) return ToStatus(rc, "preparing statements");
  // After the migration: the readers' statements need the tables.
  std::unique_ptr<sqlite::SqliteReaders> readers;
  s = sqlite::SqliteReaders::Open(ConnectionOpener(path, options), options.read_connections,
                                  &readers);
  if (!s.ok()) return s;
  out->reset(
      new SqliteStore(path, db.release(), std::move(statements), std::move(readers), options));
  return Status::Ok();
}

Status SqliteStore::Migrate(const std::string& path, int* from_version, int* to_version) {
  Connection db;
  Status s = OpenConnection(path, SqliteStoreOptions(), &db);
  if (!s.ok()) return s;
  return sqlite::Migrate(db.get(), from_version, to_version);
}

int SqliteStore::SchemaVersion() { return sqlite::LatestSchemaVersion(); }

void SqliteStore::ScrubWal() {
  // secure_delete zeroed the deleted rows, but only in the new page images
  // appended to the WAL; the WAL's older frames still hold the text. A
  // TRUNCATE checkpoint copies the zeroed pages into the file and cuts the
  // WAL to nothing. Best effort: the delete is already committed, and a
  // checkpoint that cannot finish now will be completed by a later one.
  if (!options_.secure_delete) return;
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

Status SqliteStore::InsertMessage(const std::string& session_id, int64_t seq, const char* role,
                                  const std::string& text, const std::string& intent,
                                  const std::string& crisis, int64_t now) {
  Statement& st = stmts_->insert_message;
  StatementUse use(&st);
  st.BindText(1, session_id);
  st.BindInt64(2, seq);
  st.BindLiteral(3, role);
  st.BindText(4, text);
  st.BindText(5, intent);
  st.BindText(6, crisis);
  st.BindInt64(7, now);
  return Exec(&st, "storing a transcript line");
}

Status SqliteStore::Create(const std::string& id, const std::string& state_json,
                           const std::vector<TranscriptEntry>& opening, int64_t now) {
  if (id.empty()) return Status::Invalid("sqlite store: the session id is empty");
  std::lock_guard<std::mutex> lock(mu_);
  Statements& st = *stmts_;
  Transaction txn(db_, &st.begin_write, &st.commit, &st.rollback);
  Status s = txn.Begin("starting to create a session");
  if (!s.ok()) return s;
  int64_t existing = 0;
  s = SelectVersion(&st.select_version, id, &existing);
  if (s.ok()) return Status::Conflict("sqlite store: a session with this id exists");
  if (s.code() != Status::Code::kNotFound) return s;
  {
    StatementUse use(&st.insert_session);
    st.insert_session.BindText(1, id);
    st.insert_session.BindText(2, state_json);
    st.insert_session.BindInt64(3, now);
    s = Exec(&st.insert_session, "creating a session");
    if (!s.ok()) return s;
  }
  int64_t seq = 1;
  for (const TranscriptEntry& entry : opening) {
    s = InsertMessage(id, seq++, kRoleCoach, entry.text, entry.intent, entry.crisis, now);
    if (!s.ok()) return s;
  }
  return txn.Commit("committing a new session");
}

Status SqliteStore::Load(const std::string& id, StoredSession* out) {
  sqlite::SqliteReaders::Lease reader;
  Status s = readers_->Acquire(&reader);
  if (!s.ok()) return s;
  Statement& st = reader->select_session;
  StatementUse use(&st);
  st.BindText(1, id);
  int rc = st.Step();
  if (rc == SQLITE_DONE) return NoSuchSession();
  if (rc != SQLITE_ROW) return ToStatus(rc, "loading a session");
  out->id = id;
  out->state_json = st.ColumnText(0);
  out->version = st.ColumnInt64(1);
  out->created_at = st.ColumnInt64(2);
  out->updated_at = st.ColumnInt64(3);
  return Status::Ok();
}

Status SqliteStore::FindResponse(const std::string& session_id,
                                 const std::string& client_message_id,
                                 std::optional<std::string>* response) {
  response->reset();
  if (client_message_id.empty()) return Status::Ok();  // stored as NULL, never matches
  sqlite::SqliteReaders::Lease reader;
  Status s = readers_->Acquire(&reader);
  if (!s.ok()) return s;
  Statement& st = reader->select_response;
  StatementUse use(&st);
  st.BindText(1, session_id);
  st.BindText(2, client_message_id);
  int rc = st.Step();
  if (rc == SQLITE_DONE) return Status::Ok();
  if (rc != SQLITE_ROW) return ToStatus(rc, "looking up a stored response");
  *response = st.ColumnText(0);
  return Status::Ok();
}

Status SqliteStore::CommitTurn(const TurnRecord& turn) {
  return commits_.Submit(turn, [this](const std::vector<const TurnRecord*>& batch,
                                      std::vector<Status>* results) {
    CommitBatch(batch, results);
  });
}

namespace {

// Whether a turn's failure is its own (its checks failed), so that undoing
// the turn alone leaves the rest of its batch good. Anything else (a full
// disk, an I/O error, a lost lock) fails the whole transaction.
bool FailsOnlyItsTurn(const Status& s) {
  return s.code() == Status::Code::kConflict || s.code() == Status::Code::kNotFound;
}

// Runs a statement that takes no parameters and returns no rows.
int StepOnce(Statement* statement) {
  StatementUse use(statement);
  return statement->Step();
}

}  // namespace

void SqliteStore::CommitBatch(const std::vector<const TurnRecord*>& batch,
                              std::vector<Status>* results) {
  std::lock_guard<std::mutex> lock(mu_);
  Statements& st = *stmts_;
  // fail(s): every turn not already refused on its own gets `s`; the
  // transaction (if open) rolls back when `txn` goes out of scope.
  auto fail = [&](const Status& s) {
    for (Status& r : *results) {
      if (r.ok() || !FailsOnlyItsTurn(r)) r = s;
    }
  };
  Transaction txn(db_, &st.begin_write, &st.commit, &st.rollback);
  Status s = txn.Begin("starting to commit turns");
  if (!s.ok()) return fail(s);
  for (size_t i = 0; i < batch.size(); ++i) {
    int rc = StepOnce(&st.savepoint);
    if (rc != SQLITE_DONE) return fail(ToStatus(rc, "starting a turn"));
    Status applied = ApplyTurn(*batch[i]);
    // SQLite rolls the whole transaction back by itself after some errors.
    const bool still_open = sqlite3_get_autocommit(db_) == 0;
    if (!applied.ok() && !(FailsOnlyItsTurn(applied) && still_open)) return fail(applied);
    if (!applied.ok()) {
      rc = StepOnce(&st.rollback_to);
      if (rc != SQLITE_DONE) return fail(ToStatus(rc, "undoing a refused turn"));
    }
    rc = StepOnce(&st.release);
    if (rc != SQLITE_DONE) return fail(ToStatus(rc, "ending a turn"));
    (*results)[i] = applied;
  }
  s = txn.Commit("committing turns");
  if (!s.ok()) return fail(s);
}

Status SqliteStore::ApplyTurn(const TurnRecord& turn) {
  Statements& st = *stmts_;
  int64_t version = 0;
  Status s = SelectVersion(&st.select_version, turn.session_id, &version);
  if (!s.ok()) return s;
  if (!turn.client_message_id.empty()) {
    StatementUse use(&st.turn_exists);
    st.turn_exists.BindText(1, turn.session_id);
    st.turn_exists.BindText(2, turn.client_message_id);
    int rc = st.turn_exists.Step();
    if (rc == SQLITE_ROW) {
      return Status::Conflict(
          "sqlite store: duplicate client_message_id: this message was already answered;"
          " FindResponse returns the stored reply");
    }
    if (rc != SQLITE_DONE) return ToStatus(rc, "checking client_message_id");
  }
  if (version != turn.expected_version) {
    return Status::Conflict("sqlite store: stale version: the session is at version " +
                            std::to_string(version) + ", the turn expected " +
                            std::to_string(turn.expected_version) + "; reload and retry");
  }

  int64_t seq = 0;
  {
    StatementUse use(&st.next_seq);
    st.next_seq.BindText(1, turn.session_id);
    int rc = st.next_seq.Step();
    if (rc != SQLITE_ROW) return ToStatus(rc, "numbering transcript lines");
    seq = st.next_seq.ColumnInt64(0);
  }
  s = InsertMessage(turn.session_id, seq++, kRoleUser, turn.user_text, turn.intent, turn.crisis,
                    turn.now);
  if (!s.ok()) return s;
  for (const TranscriptEntry& entry : turn.coach_messages) {
    s = InsertMessage(turn.session_id, seq++, kRoleCoach, entry.text, entry.intent, entry.crisis,
                      turn.now);
    if (!s.ok()) return s;
  }
  {
    StatementUse use(&st.update_session);
    st.update_session.BindText(1, turn.session_id);
    st.update_session.BindText(2, turn.new_state_json);
    st.update_session.BindInt64(3, turn.now);
    st.update_session.BindInt64(4, turn.expected_version);
    s = Exec(&st.update_session, "saving session state");
    if (!s.ok()) return s;
    if (sqlite3_changes(db_) != 1) {
      return Status::Internal("sqlite store: the session changed under the write lock");
    }
  }
  {
    StatementUse use(&st.insert_turn);
    st.insert_turn.BindText(1, turn.session_id);
    st.insert_turn.BindInt64(2, turn.expected_version + 1);
    if (turn.client_message_id.empty()) {
      st.insert_turn.BindNull(3);
    } else {
      st.insert_turn.BindText(3, turn.client_message_id);
    }
    st.insert_turn.BindText(4, turn.response_json);
    st.insert_turn.BindInt64(5, turn.now);
    s = Exec(&st.insert_turn, "recording the turn");
    if (!s.ok()) return s;
  }
  for (const OutboxEvent& event : turn.outbox) {
    s = InsertEvent(&st.insert_event, event);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status SqliteStore::InsertEvent(Statement* insert, const OutboxEvent& event) {
  StatementUse use(insert);
  insert->BindText(1, event.id);
  insert->BindText(2, event.session_id);
  insert->BindText(3, event.payload_json);
  insert->BindInt64(4, event.created_ms);
  insert->BindInt64(5, event.attempts);
  insert->BindInt64(6, event.next_attempt_ms);
  return Exec(insert, "recording an outbox event");
}

Status SqliteStore::AddOutboxEvent(const OutboxEvent& event) {
  if (event.id.empty()) return Status::Invalid("sqlite store: an outbox event needs an id");
  std::lock_guard<std::mutex> lock(mu_);
  return InsertEvent(&stmts_->add_event, event);
}

Status SqliteStore::ClaimOutboxEvents(int64_t now_ms, int64_t lease_ms, int max_events,
                                      std::vector<OutboxEvent>* out) {
  out->clear();
  std::lock_guard<std::mutex> lock(mu_);
  Statements& st = *stmts_;
  // A write transaction from the first read: the events chosen cannot be
  // leased by another process between the SELECT and the UPDATE.
  Transaction txn(db_, &st.begin_write, &st.commit, &st.rollback);
  Status s = txn.Begin("starting to claim outbox events");
  if (!s.ok()) return s;
  std::vector<OutboxEvent> claimed;
  {
    StatementUse use(&st.select_due_events);
    st.select_due_events.BindInt64(1, now_ms);
    st.select_due_events.BindInt64(2, max_events);
    int rc;
    while ((rc = st.select_due_events.Step()) == SQLITE_ROW) {
      OutboxEvent event;
      event.id = st.select_due_events.ColumnText(0);
      event.session_id = st.select_due_events.ColumnText(1);
      event.payload_json = st.select_due_events.ColumnText(2);
      event.created_ms = st.select_due_events.ColumnInt64(3);
      event.attempts = static_cast<int>(st.select_due_events.ColumnInt64(4));
      event.next_attempt_ms = now_ms + lease_ms;
      claimed.push_back(std::move(event));
    }
    if (rc != SQLITE_DONE) return ToStatus(rc, "reading due outbox events");
  }
  if (claimed.empty()) return Status::Ok();  // the read-only transaction rolls back
  for (const OutboxEvent& event : claimed) {
    StatementUse use(&st.lease_event);
    st.lease_event.BindText(1, event.id);
    st.lease_event.BindInt64(2, event.next_attempt_ms);
    s = Exec(&st.lease_event, "leasing an outbox event");
    if (!s.ok()) return s;
  }
  s = txn.Commit("committing an outbox lease");
  if (!s.ok()) return s;
  *out = std::move(claimed);
  return Status::Ok();
}

Status SqliteStore::CompleteOutboxEvent(const std::string& event_id) {
  std::lock_guard<std::mutex> lock(mu_);
  StatementUse use(&stmts_->delete_event);
  stmts_->delete_event.BindText(1, event_id);
  return Exec(&stmts_->delete_event, "removing a delivered outbox event");
}

Status SqliteStore::RetryOutboxEvent(const std::string& event_id, int64_t next_attempt_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  StatementUse use(&stmts_->retry_event);
  stmts_->retry_event.BindText(1, event_id);
  stmts_->retry_event.BindInt64(2, next_attempt_ms);
  return Exec(&stmts_->retry_event, "rescheduling an outbox event");
}

Status SqliteStore::GetOutboxStats(OutboxStats* stats) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement& st = stmts_->outbox_stats;
  StatementUse use(&st);
  int rc = st.Step();
  if (rc != SQLITE_ROW) return ToStatus(rc, "counting outbox events");
  stats->pending = st.ColumnInt64(0);
  stats->failing = st.ColumnInt64(1);
  stats->oldest_created_ms = st.ColumnInt64(2);
  return Status::Ok();
}

Status SqliteStore::Transcript(const std::string& id, std::vector<TranscriptEntry>* out) {
  sqlite::SqliteReaders::Lease reader;
  Status s = readers_->Acquire(&reader);
  if (!s.ok()) return s;
  sqlite::Reader& st = *reader;
  // One snapshot for the existence check and the lines.
  Transaction txn(st.db, &st.begin, &st.commit, &st.rollback);
  s = txn.Begin("starting to read a transcript");
  if (!s.ok()) return s;
  int64_t version = 0;
  s = SelectVersion(&st.select_version, id, &version);
  if (!s.ok()) return s;
  std::vector<TranscriptEntry> lines;
  {
    StatementUse use(&st.select_transcript);
    st.select_transcript.BindText(1, id);
    int rc;
    while ((rc = st.select_transcript.Step()) == SQLITE_ROW) {
      TranscriptEntry entry;
      const std::string role = st.select_transcript.ColumnText(0);
      if (role == kRoleUser) {
        entry.role = TranscriptEntry::Role::kUser;
      } else if (role == kRoleCoach) {
        entry.role = TranscriptEntry::Role::kCoach;
      } else {
        return Status::Corruption("sqlite store: a transcript line has an unknown role");
      }
      entry.text = st.select_transcript.ColumnText(1);
      entry.intent = st.select_transcript.ColumnText(2);
      entry.crisis = st.select_transcript.ColumnText(3);
      entry.created_at = st.select_transcript.ColumnInt64(4);
      lines.push_back(std::move(entry));
    }
    if (rc != SQLITE_DONE) return ToStatus(rc, "reading a transcript");
  }
  s = txn.Commit("finishing a transcript read");
  if (!s.ok()) return s;
  *out = std::move(lines);
  return Status::Ok();
}

Status SqliteStore::Erase(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  Statements& st = *stmts_;
  Transaction txn(db_, &st.begin_write, &st.commit, &st.rollback);
  Status s = txn.Begin("starting to erase a session");
  if (!s.ok()) return s;
  // Children first and by hand, so erasing does not depend on the
  // connection having foreign_keys on; the cascade is only a backstop.
  // The session row last: its change count tells whether it existed.
  Statement* const steps[] = {&st.erase_messages, &st.erase_turns, &st.erase_outbox,
                              &st.erase_session};
  for (Statement* step : steps) {
    StatementUse use(step);
    step->BindText(1, id);
    s = Exec(step, "erasing a session");
    if (!s.ok()) return s;
  }
  if (sqlite3_changes(db_) == 0) return NoSuchSession();  // rolls back: nothing was there
  s = txn.Commit("committing an erase");
  if (!s.ok()) return s;
  ScrubWal();
  return Status::Ok();
}

Status SqliteStore::PurgeOlderThan(int64_t cutoff, int64_t* sessions_removed) {
  std::lock_guard<std::mutex> lock(mu_);
  Statements& st = *stmts_;
  Transaction txn(db_, &st.begin_write, &st.commit, &st.rollback);
  Status s = txn.Begin("starting a purge");
  if (!s.ok()) return s;
  // Idle sessions' children first, while their subquery can still find the
  // sessions; then the sessions; then old lines of the sessions that stay.
  int64_t removed = 0;
  const int changes_before = sqlite3_total_changes(db_);
  Statement* const steps[] = {&st.purge_idle_messages, &st.purge_idle_turns,
                              &st.purge_idle_sessions, &st.purge_old_messages,
                              &st.purge_old_turns, &st.purge_old_events};
  for (Statement* step : steps) {
    StatementUse use(step);
    step->BindInt64(1, cutoff);
    s = Exec(step, "purging old sessions");
    if (!s.ok()) return s;
    if (step == &st.purge_idle_sessions) removed = sqlite3_changes(db_);
  }
  s = txn.Commit("committing a purge");
  if (!s.ok()) return s;
  if (sqlite3_total_changes(db_) != changes_before) ScrubWal();
  if (sessions_removed != nullptr) *sessions_removed = removed;
  return Status::Ok();
}

Status SqliteStore::Ping() {
  std::lock_guard<std::mutex> lock(mu_);
  // A real read of the sessions table: it fails when the file is gone,
  // locked past the busy timeout or no longer a database.
  int rc = sqlite3_exec(db_, "SELECT 1 FROM sessions LIMIT 1", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return ToStatus(rc, "checking the database");
  return Status::Ok();
}

}  // namespace steady
