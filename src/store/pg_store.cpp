#include "store/pg_store.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <map>
#include <utility>

namespace steady {
namespace {

// Advisory lock keys: any constants, as long as nothing else in the
// database uses them. ('S','T','D','Y' and two more letters.)
// The purge's key is written into its statement below (6004126713670727).
constexpr int64_t kMigrationLockKey = 6004126713670726;

// Version 1: sessions, messages, turns, as in the SQLite store. Message
// text is BYTEA because PostgreSQL's text type cannot hold a NUL byte and
// the store keeps text byte for byte, whatever it is.
constexpr const char kSchemaV1[] = R"sql(
CREATE TABLE sessions (
  id          TEXT    NOT NULL PRIMARY KEY,
  state_json  TEXT    NOT NULL,
  version     BIGINT  NOT NULL,
  created_at  BIGINT  NOT NULL,
  updated_at  BIGINT  NOT NULL
);
CREATE INDEX sessions_by_updated_at ON sessions (updated_at);
CREATE TABLE messages (
  session_id  TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq         BIGINT  NOT NULL,
  role        TEXT    NOT NULL CHECK (role IN ('user', 'coach')),
  text        BYTEA   NOT NULL,
  intent      TEXT    NOT NULL DEFAULT '',
  crisis      TEXT    NOT NULL DEFAULT '',
  created_at  BIGINT  NOT NULL,
  PRIMARY KEY (session_id, seq)
);
CREATE INDEX messages_by_created_at ON messages (created_at);
CREATE TABLE turns (
  session_id         TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  version            BIGINT  NOT NULL,
  client_message_id  TEXT,
  response_json      TEXT    NOT NULL,
  created_at         BIGINT  NOT NULL,
  PRIMARY KEY (session_id, version)
);
CREATE UNIQUE INDEX turns_by_client_message_id ON turns (session_id, client_message_id)
  WHERE client_message_id IS NOT NULL;
CREATE INDEX turns_by_created_at ON turns (created_at);
)sql";

// Version 2: the outbox (see sqlite_migrations.cpp for its design).
constexpr const char kSchemaV2[] = R"sql(
CREATE TABLE outbox (
  id               TEXT    NOT NULL PRIMARY KEY,
  session_id       TEXT    NOT NULL,
  payload_json     TEXT    NOT NULL,
  created_ms       BIGINT  NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms  BIGINT  NOT NULL
);
CREATE INDEX outbox_by_next_attempt ON outbox (next_attempt_ms);
CREATE INDEX outbox_by_session ON outbox (session_id);
)sql";

constexpr const char* kSteps[] = {kSchemaV1, kSchemaV2};
constexpr int kLatest = sizeof(kSteps) / sizeof(kSteps[0]);

// Every statement, prepared on each connection. $n parameters are text,
// except where a statement's binary mask says otherwise (message text).
struct StatementSpec {
  const char* name;
  const char* sql;
  unsigned binary_params;  // bit i set: parameter i+1 is sent as raw bytes
};

const StatementSpec kStatements[] = {
    {"select_session",
     "SELECT state_json, version, created_at, updated_at FROM sessions WHERE id = $1", 0},
    {"session_exists", "SELECT 1 FROM sessions WHERE id = $1", 0},
    {"insert_session",
     "INSERT INTO sessions (id, state_json, version, created_at, updated_at)"
     " VALUES ($1, $2, 0, $3, $3) ON CONFLICT (id) DO NOTHING",
     0},
    // The row lock orders the turns of one session across every node.
    {"lock_session", "SELECT version FROM sessions WHERE id = $1 FOR UPDATE", 0},
    {"next_seq", "SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE session_id = $1", 0},
    {"insert_message",
     "INSERT INTO messages (session_id, seq, role, text, intent, crisis, created_at)"
     " VALUES ($1, $2, $3, $4, $5, $6, $7)",
     1u << 3},
    {"select_transcript",
     "SELECT role, text, intent, crisis, created_at FROM messages WHERE session_id = $1"
     " ORDER BY seq",
     0},
    {"select_response",
     "SELECT response_json FROM turns WHERE session_id = $1 AND client_message_id = $2", 0},
    {"turn_exists", "SELECT 1 FROM turns WHERE session_id = $1 AND client_message_id = $2", 0},
    {"update_session",
     "UPDATE sessions SET state_json = $2, version = version + 1, updated_at = $3"
     " WHERE id = $1 AND version = $4",
     0},
    {"insert_turn",
     "INSERT INTO turns (session_id, version, client_message_id, response_json, created_at)"
     " VALUES ($1, $2, $3, $4, $5)",
     0},
    {"erase_messages", "DELETE FROM messages WHERE session_id = $1", 0},
    {"erase_turns", "DELETE FROM turns WHERE session_id = $1", 0},
    {"erase_outbox", "DELETE FROM outbox WHERE session_id = $1", 0},
    {"erase_session", "DELETE FROM sessions WHERE id = $1", 0},
    {"try_purge_lock", "SELECT pg_try_advisory_xact_lock(" "6004126713670727" ")", 0},
    {"purge_idle_messages",
     "DELETE FROM messages WHERE session_id IN (SELECT id FROM sessions WHERE updated_at < $1)",
     0},
    {"purge_idle_turns",
     "DELETE FROM turns WHERE session_id IN (SELECT id FROM sessions WHERE updated_at < $1)", 0},
    {"purge_idle_sessions", "DELETE FROM sessions WHERE updated_at < $1", 0},
    {"purge_old_messages", "DELETE FROM messages WHERE created_at < $1", 0},
    {"purge_old_turns", "DELETE FROM turns WHERE created_at < $1", 0},
    {"purge_old_events", "DELETE FROM outbox WHERE created_ms < $1::bigint * 1000", 0},
    {"insert_event",
     "INSERT INTO outbox (id, session_id, payload_json, created_ms, attempts, next_attempt_ms)"
     " VALUES ($1, $2, $3, $4, $5, $6)",
     0},
    {"add_event",
     "INSERT INTO outbox (id, session_id, payload_json, created_ms, attempts, next_attempt_ms)"
     " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
     0},
    // SKIP LOCKED: a node never waits for events another node is leasing.
    {"claim_events",
     "UPDATE outbox SET next_attempt_ms = $2 WHERE id IN (SELECT id FROM outbox"
     " WHERE next_attempt_ms <= $1 ORDER BY next_attempt_ms LIMIT $3 FOR UPDATE SKIP LOCKED)"
     " RETURNING id, session_id, payload_json, created_ms, attempts",
     0},
    {"complete_event", "DELETE FROM outbox WHERE id = $1", 0},
    {"retry_event",
     "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = $2 WHERE id = $1", 0},
    {"outbox_stats",
     "SELECT COUNT(*), COUNT(*) FILTER (WHERE attempts > 0), COALESCE(MIN(created_ms), 0)"
     " FROM outbox",
     0},
    {"ping", "SELECT 1 FROM sessions LIMIT 1", 0},
};

// Owns a PGresult.
class Result {
 public:
  explicit Result(PGresult* r = nullptr) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(Result&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  Result& operator=(Result&& o) noexcept {
    if (this != &o) {
      PQclear(r_);
      r_ = std::exchange(o.r_, nullptr);
    }
    return *this;
  }
  PGresult* get() const { return r_; }
  int rows() const { return PQntuples(r_); }
  std::string Text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col), PQgetlength(r_, row, col));
  }
  int64_t Int(int row, int col) const { return std::strtoll(PQgetvalue(r_, row, col), nullptr, 10); }
  // A BYTEA column in text output: "\x" then two hex digits a byte.
  std::string Bytes(int row, int col) const {
    const std::string hex = Text(row, col);
    std::string out;
    if (hex.size() < 2 || hex[0] != '\\' || hex[1] != 'x') return out;
    out.reserve((hex.size() - 2) / 2);
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (size_t i = 2; i + 1 < hex.size(); i += 2) {
      out.push_back(static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
    }
    return out;
  }
  int64_t Affected() const { return std::strtoll(PQcmdTuples(r_), nullptr, 10); }

 private:
  PGresult* r_;
};

std::string SqlState(const Result& r) {
  const char* s = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
  return s ? s : "";
}

bool IsOk(const Result& r) {
  const ExecStatusType t = PQresultStatus(r.get());
  return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
}

// A failed statement as a Status. The server's message is kept (it names
// constraints and types, never values, for the statements above).
Status Failed(const Result& r, const char* context) {
  const std::string state = SqlState(r);
  std::string message = std::string("postgres store: ") + context + ": ";
  const char* primary = PQresultErrorField(r.get(), PG_DIAG_MESSAGE_PRIMARY);
  message += primary ? primary : "no answer from the server";
  if (state == "23505") return Status::Conflict(message + " (duplicate)");
  if (state == "40001" || state == "40P01") return Status::Conflict(message + " (retry)");
  if (state.rfind("XX", 0) == 0) return Status::Corruption(message);
  return Status::Unavailable(message);
}

using Param = std::optional<std::string>;  // nullopt: SQL NULL

}  // namespace

bool IsPostgresUrl(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

class PgStore::Connection {
 public:
  ~Connection() { PQfinish(conn_); }

  static Status Connect(const std::string& url, const PgStoreOptions& options,
                        std::unique_ptr<Connection>* out) {
    const std::string timeout = std::to_string(options.connect_timeout_seconds);
    const std::string settings = "-c statement_timeout=" +
                                 std::to_string(options.statement_timeout_ms) +
                                 " -c client_encoding=UTF8 -c client_min_messages=warning";
    const char* keys[] = {"dbname", "connect_timeout", "application_name", "options", nullptr};
    const char* values[] = {url.c_str(), timeout.c_str(), "steady", settings.c_str(), nullptr};
    std::unique_ptr<Connection> c(new Connection(PQconnectdbParams(keys, values, 1)));
    if (c->conn_ == nullptr || PQstatus(c->conn_) != CONNECTION_OK) {
      std::string why = c->conn_ ? PQerrorMessage(c->conn_) : "out of memory";
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      return Status::Unavailable("postgres store: cannot connect: " + why);
    }
    *out = std::move(c);
    return Status::Ok();
  }

  // Prepares every statement (after the schema exists).
  Status Prepare() {
    for (const StatementSpec& s : kStatements) {
      Result r(PQprepare(conn_, s.name, s.sql, 0, nullptr));
      if (!IsOk(r)) return Failed(r, "preparing statements");
    }
    return Status::Ok();
  }

  // Reconnects a connection the server or network dropped, and prepares
  // its statements again. Ok when it is usable.
  Status EnsureUsable() {
    if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Status::Unavailable("postgres store: the database connection is down");
    }
    return Prepare();
  }

  // Runs a prepared statement. Ok, or the statement's error as a Status.
  Status Run(const char* name, const std::vector<Param>& params, Result* out,
             const char* context) {
    unsigned binary = 0;
    for (const StatementSpec& s : kStatements) {
      if (std::string_view(s.name) == name) binary = s.binary_params;
    }
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      values[i] = params[i] ? params[i]->data() : nullptr;
      lengths[i] = params[i] ? static_cast<int>(params[i]->size()) : 0;
      formats[i] = (binary >> i) & 1u;
    }
    Result r(PQexecPrepared(conn_, name, static_cast<int>(params.size()), values.data(),
                            lengths.data(), formats.data(), 0));
    if (!IsOk(r)) return Failed(r, context);
    if (out != nullptr) *out = std::move(r);
    return Status::Ok();
  }

  Status Exec(const char* sql, const char* context, Result* out = nullptr) {
    Result r(PQexec(conn_, sql));
    if (!IsOk(r)) return Failed(r, context);
    if (out != nullptr) *out = std::move(r);
    return Status::Ok();
  }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
};

// A transaction on a borrowed connection that rolls back unless committed.
class Txn {
 public:
  explicit Txn(PgStore::Connection* c) : c_(c) {}
  ~Txn() {
    if (open_) c_->Exec("ROLLBACK", "rolling back");
  }
  Status Begin(const char* sql = "BEGIN") {
    Status s = c_->Exec(sql, "starting a transaction");
    open_ = s.ok();
    return s;
  }
  Status Commit(const char* context) {
    open_ = false;
    Status s = c_->Exec("COMMIT", context);
    if (!s.ok()) c_->Exec("ROLLBACK", "rolling back");
    return s;
  }

 private:
  PgStore::Connection* c_;
  bool open_ = false;
};

class PgStore::Lease {
 public:
  Lease(PgStore* store, Connection* c) : store_(store), c_(c) {}
  ~Lease() {
    {
      std::lock_guard<std::mutex> lock(store_->mu_);
      store_->idle_.push_back(c_);
    }
    store_->available_.notify_one();
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Connection* operator->() const { return c_; }
  Connection* get() const { return c_; }

 private:
  PgStore* store_;
  Connection* c_;
};

namespace {

std::string N(int64_t v) { return std::to_string(v); }

Status MigrateOn(PgStore::Connection* c, int* from_version, int* to_version) {
  Txn txn(c);
  Status s = txn.Begin();
  if (!s.ok()) return s;
  // Nodes starting at once migrate one at a time; the later ones find
  // nothing left to do.
  s = c->Exec(("SELECT pg_advisory_xact_lock(" + N(kMigrationLockKey) + ")").c_str(),
              "locking to migrate");
  if (s.ok()) {
    s = c->Exec("CREATE TABLE IF NOT EXISTS steady_schema (version INTEGER NOT NULL)",
                "creating the schema table");
  }
  Result r;
  if (s.ok()) s = c->Exec("SELECT MAX(version) FROM steady_schema", "reading the schema version", &r);
  if (!s.ok()) return s;
  const int found = PQgetisnull(r.get(), 0, 0) ? 0 : static_cast<int>(r.Int(0, 0));
  if (found > kLatest) {
    return Status::Corruption("postgres store: the database is newer than this binary (schema " +
                              N(found) + ", this binary knows up to " + N(kLatest) + ")");
  }
  for (int v = found + 1; v <= kLatest; ++v) {
    s = c->Exec(kSteps[v - 1], ("applying migration " + N(v)).c_str());
    if (!s.ok()) return s;
  }
  if (found < kLatest) {
    s = c->Exec("DELETE FROM steady_schema", "recording the schema version");
    if (s.ok()) {
      s = c->Exec(("INSERT INTO steady_schema (version) VALUES (" + N(kLatest) + ")").c_str(),
                  "recording the schema version");
    }
    if (!s.ok()) return s;
  }
  s = txn.Commit("committing the migration");
  if (!s.ok()) return s;
  if (from_version) *from_version = found;
  if (to_version) *to_version = kLatest;
  return Status::Ok();
}

}  // namespace

PgStore::PgStore(std::vector<std::unique_ptr<Connection>> pool) : pool_(std::move(pool)) {
  for (auto& c : pool_) idle_.push_back(c.get());
}

PgStore::~PgStore() = default;

int PgStore::SchemaVersion() { return kLatest; }

Status PgStore::Migrate(const std::string& url, int* from_version, int* to_version) {
  std::unique_ptr<Connection> c;
  Status s = Connection::Connect(url, PgStoreOptions(), &c);
  if (!s.ok()) return s;
  return MigrateOn(c.get(), from_version, to_version);
}

Status PgStore::Open(const std::string& url, const PgStoreOptions& options,
                     std::unique_ptr<PgStore>* out) {
  if (options.pool_size < 1) return Status::Invalid("postgres store: the pool needs a connection");
  std::vector<std::unique_ptr<Connection>> pool;
  for (int i = 0; i < options.pool_size; ++i) {
    std::unique_ptr<Connection> c;
    Status s = Connection::Connect(url, options, &c);
    if (!s.ok()) return s;
    if (i == 0) {
      s = MigrateOn(c.get(), nullptr, nullptr);
      if (!s.ok()) return s;
    }
    s = c->Prepare();
    if (!s.ok()) return s;
    pool.push_back(std::move(c));
  }
  out->reset(new PgStore(std::move(pool)));
  return Status::Ok();
}

PgStore::Lease PgStore::Borrow() {
  std::unique_lock<std::mutex> lock(mu_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  Connection* c = idle_.back();
  idle_.pop_back();
  return Lease(this, c);
}

// Every call: borrow a connection, make sure it is up, run.
#define STEADY_PG_LEASE(c)                 \
  Lease c = Borrow();                      \
  if (Status up = c->EnsureUsable(); !up.ok()) return up

Status PgStore::Create(const std::string& id, const std::string& state_json,
                       const std::vector<TranscriptEntry>& opening, int64_t now) {
  if (id.empty()) return Status::Invalid("postgres store: the session id is empty");
  STEADY_PG_LEASE(c);
  Txn txn(c.get());
  Status s = txn.Begin();
  if (!s.ok()) return s;
  Result r;
  s = c->Run("insert_session", {id, state_json, N(now)}, &r, "creating a session");
  if (!s.ok()) return s;
  if (r.Affected() == 0) return Status::Conflict("postgres store: a session with this id exists");
  int64_t seq = 1;
  for (const TranscriptEntry& e : opening) {
    s = c->Run("insert_message", {id, N(seq++), std::string("coach"), e.text, e.intent, e.crisis, N(now)},
               nullptr, "storing a transcript line");
    if (!s.ok()) return s;
  }
  return txn.Commit("committing a new session");
}

Status PgStore::Load(const std::string& id, StoredSession* out) {
  STEADY_PG_LEASE(c);
  Result r;
  Status s = c->Run("select_session", {id}, &r, "loading a session");
  if (!s.ok()) return s;
  if (r.rows() == 0) return Status::NotFound("postgres store: no such session");
  out->id = id;
  out->state_json = r.Text(0, 0);
  out->version = r.Int(0, 1);
  out->created_at = r.Int(0, 2);
  out->updated_at = r.Int(0, 3);
  return Status::Ok();
}

Status PgStore::FindResponse(const std::string& session_id, const std::string& client_message_id,
                             std::optional<std::string>* response) {
  response->reset();
  if (client_message_id.empty()) return Status::Ok();
  STEADY_PG_LEASE(c);
  Result r;
  Status s = c->Run("select_response", {session_id, client_message_id}, &r,
                    "looking up a stored response");
  if (!s.ok()) return s;
  if (r.rows() > 0) *response = r.Text(0, 0);
  return Status::Ok();
}

Status PgStore::CommitTurn(const TurnRecord& turn) {
  STEADY_PG_LEASE(c);
  Txn txn(c.get());
  Status s = txn.Begin();
  if (!s.ok()) return s;
  Result r;
  s = c->Run("lock_session", {turn.session_id}, &r, "locking a session");
  if (!s.ok()) return s;
  if (r.rows() == 0) return Status::NotFound("postgres store: no such session");
  const int64_t version = r.Int(0, 0);
  if (!turn.client_message_id.empty()) {
    s = c->Run("turn_exists", {turn.session_id, turn.client_message_id}, &r,
               "checking client_message_id");
    if (!s.ok()) return s;
    if (r.rows() > 0) {
      return Status::Conflict(
          "postgres store: duplicate client_message_id: this message was already answered;"
          " FindResponse returns the stored reply");
    }
  }
  if (version != turn.expected_version) {
    return Status::Conflict("postgres store: stale version: the session is at version " +
                            N(version) + ", the turn expected " + N(turn.expected_version) +
                            "; reload and retry");
  }
  s = c->Run("next_seq", {turn.session_id}, &r, "numbering transcript lines");
  if (!s.ok()) return s;
  int64_t seq = r.Int(0, 0);
  s = c->Run("insert_message",
             {turn.session_id, N(seq++), std::string("user"), turn.user_text, turn.intent,
              turn.crisis, N(turn.now)},
             nullptr, "storing a transcript line");
  for (size_t i = 0; s.ok() && i < turn.coach_messages.size(); ++i) {
    const TranscriptEntry& e = turn.coach_messages[i];
    s = c->Run("insert_message",
               {turn.session_id, N(seq++), std::string("coach"), e.text, e.intent, e.crisis,
                N(turn.now)},
               nullptr, "storing a transcript line");
  }
  if (!s.ok()) return s;
  s = c->Run("update_session",
             {turn.session_id, turn.new_state_json, N(turn.now), N(turn.expected_version)}, &r,
             "saving session state");
  if (!s.ok()) return s;
  if (r.Affected() != 1) {
    return Status::Internal("postgres store: the session changed under its row lock");
  }
  s = c->Run("insert_turn",
             {turn.session_id, N(turn.expected_version + 1),
              turn.client_message_id.empty() ? Param() : Param(turn.client_message_id),
              turn.response_json, N(turn.now)},
             nullptr, "recording the turn");
  for (size_t i = 0; s.ok() && i < turn.outbox.size(); ++i) {
    const OutboxEvent& e = turn.outbox[i];
    s = c->Run("insert_event",
               {e.id, e.session_id, e.payload_json, N(e.created_ms), N(e.attempts),
                N(e.next_attempt_ms)},
               nullptr, "recording an outbox event");
  }
  if (!s.ok()) return s;
  return txn.Commit("committing a turn");
}

Status PgStore::Transcript(const std::string& id, std::vector<TranscriptEntry>* out) {
  STEADY_PG_LEASE(c);
  Txn txn(c.get());
  // One snapshot for the existence check and the lines.
  Status s = txn.Begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!s.ok()) return s;
  Result r;
  s = c->Run("session_exists", {id}, &r, "looking up a session");
  if (!s.ok()) return s;
  if (r.rows() == 0) return Status::NotFound("postgres store: no such session");
  s = c->Run("select_transcript", {id}, &r, "reading a transcript");
  if (!s.ok()) return s;
  std::vector<TranscriptEntry> lines;
  for (int i = 0; i < r.rows(); ++i) {
    TranscriptEntry e;
    const std::string role = r.Text(i, 0);
    if (role == "user") {
      e.role = TranscriptEntry::Role::kUser;
    } else if (role == "coach") {
      e.role = TranscriptEntry::Role::kCoach;
    } else {
      return Status::Corruption("postgres store: a transcript line has an unknown role");
    }
    e.text = r.Bytes(i, 1);
    e.intent = r.Text(i, 2);
    e.crisis = r.Text(i, 3);
    e.created_at = r.Int(i, 4);
    lines.push_back(std::move(e));
  }
  s = txn.Commit("finishing a transcript read");
  if (!s.ok()) return s;
  *out = std::move(lines);
  return Status::Ok();
}

Status PgStore::Erase(const std::string& id) {
  STEADY_PG_LEASE(c);
  Txn txn(c.get());
  Status s = txn.Begin();
  if (!s.ok()) return s;
  Result r;
  for (const char* step : {"erase_messages", "erase_turns", "erase_outbox", "erase_session"}) {
    s = c->Run(step, {id}, &r, "erasing a session");
    if (!s.ok()) return s;
  }
  if (r.Affected() == 0) return Status::NotFound("postgres store: no such session");
  return txn.Commit("committing an erase");
}

Status PgStore::PurgeOlderThan(int64_t cutoff, int64_t* sessions_removed) {
  STEADY_PG_LEASE(c);
  Txn txn(c.get());
  Status s = txn.Begin();
  if (!s.ok()) return s;
  Result r;
  s = c->Run("try_purge_lock", {}, &r, "locking the purge");
  if (!s.ok()) return s;
  if (r.Text(0, 0) != "t") {  // another node is purging right now: its work is ours
    if (sessions_removed) *sessions_removed = 0;
    return Status::Ok();
  }
  int64_t removed = 0;
  for (const char* step : {"purge_idle_messages", "purge_idle_turns", "purge_idle_sessions",
                           "purge_old_messages", "purge_old_turns", "purge_old_events"}) {
    s = c->Run(step, {N(cutoff)}, &r, "purging old sessions");
    if (!s.ok()) return s;
    if (std::string_view(step) == "purge_idle_sessions") removed = r.Affected();
  }
  s = txn.Commit("committing a purge");
  if (!s.ok()) return s;
  if (sessions_removed) *sessions_removed = removed;
  return Status::Ok();
}

Status PgStore::Ping() {
  STEADY_PG_LEASE(c);
  return c->Run("ping", {}, nullptr, "checking the database");
}

Status PgStore::AddOutboxEvent(const OutboxEvent& e) {
  if (e.id.empty()) return Status::Invalid("postgres store: an outbox event needs an id");
  STEADY_PG_LEASE(c);
  return c->Run("add_event",
                {e.id, e.session_id, e.payload_json, N(e.created_ms), N(e.attempts),
                 N(e.next_attempt_ms)},
                nullptr, "recording an outbox event");
}

Status PgStore::ClaimOutboxEvents(int64_t now_ms, int64_t lease_ms, int max_events,
                                  std::vector<OutboxEvent>* out) {
  out->clear();
  STEADY_PG_LEASE(c);
  Result r;
  Status s = c->Run("claim_events", {N(now_ms), N(now_ms + lease_ms), N(max_events)}, &r,
                    "claiming outbox events");
  if (!s.ok()) return s;
  for (int i = 0; i < r.rows(); ++i) {
    OutboxEvent e;
    e.id = r.Text(i, 0);
    e.session_id = r.Text(i, 1);
    e.payload_json = r.Text(i, 2);
    e.created_ms = r.Int(i, 3);
    e.attempts = static_cast<int>(r.Int(i, 4));
    e.next_attempt_ms = now_ms + lease_ms;
    out->push_back(std::move(e));
  }
  return Status::Ok();
}

Status PgStore::CompleteOutboxEvent(const std::string& event_id) {
  STEADY_PG_LEASE(c);
  return c->Run("complete_event", {event_id}, nullptr, "removing a delivered outbox event");
}

Status PgStore::RetryOutboxEvent(const std::string& event_id, int64_t next_attempt_ms) {
  STEADY_PG_LEASE(c);
  return c->Run("retry_event", {event_id, N(next_attempt_ms)}, nullptr,
                "rescheduling an outbox event");
}

Status PgStore::GetOutboxStats(OutboxStats* stats) {
  STEADY_PG_LEASE(c);
  Result r;
  Status s = c->Run("outbox_stats", {}, &r, "counting outbox events");
  if (!s.ok()) return s;
  stats->pending = r.Int(0, 0);
  stats->failing = r.Int(0, 1);
  stats->oldest_created_ms = r.Int(0, 2);
  return Status::Ok();
}

}  // namespace steady
