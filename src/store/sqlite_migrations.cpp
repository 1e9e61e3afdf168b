#include "store/sqlite_migrations.h"

#include <string>

#include "store/sqlite_statement.h"

namespace steady {
namespace sqlite {
namespace {

struct MigrationStep {
  int version;      // the user_version after this step; steps count 1, 2, 3...
  const char* sql;  // run with sqlite3_exec: may hold several statements
};

// Version 1.
//
// sessions: one row per conversation. `version` is the optimistic-lock
//   counter CommitTurn compares against.
// messages: the transcript. `seq` orders a session's lines; role is 'user'
//   or 'coach'. created_at is indexed because purge deletes by age.
// turns: one row per committed turn, keyed by the session version it
//   produced; holds the response replayed when a client retries with the
//   same client_message_id. A client that sent no id stores NULL, which the
//   partial unique index leaves out, so only real ids must be unique.
//
// Children name their session with ON DELETE CASCADE so nothing can outlive
// its session even if a row is deleted by hand; the store also deletes the
// children explicitly and does not rely on the cascade.
constexpr const char kSchemaV1[] = R"sql(
CREATE TABLE sessions (
  id          TEXT    NOT NULL PRIMARY KEY,
  state_json  TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX sessions_by_updated_at ON sessions (updated_at);

CREATE TABLE messages (
  session_id  TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  role        TEXT    NOT NULL CHECK (role IN ('user', 'coach')),
  text        TEXT    NOT NULL,
  intent      TEXT    NOT NULL DEFAULT '',
  crisis      TEXT    NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (session_id, seq)
);
CREATE INDEX messages_by_created_at ON messages (created_at);

CREATE TABLE turns (
  session_id         TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  version            INTEGER NOT NULL,
  client_message_id  TEXT,
  response_json      TEXT    NOT NULL,
  created_at         INTEGER NOT NULL,
  PRIMARY KEY (session_id, version)
);
CREATE UNIQUE INDEX turns_by_client_message_id ON turns (session_id, client_message_id)
  WHERE client_message_id IS NOT NULL;
CREATE INDEX turns_by_created_at ON turns (created_at);
)sql";

// Version 2: the outbox (escalations of crisis turns to a human).
//
// outbox: events waiting to be delivered. A row is written in the turn's
//   transaction and deleted once delivered. next_attempt_ms is both the
//   retry schedule and the lease: a worker that claims an event moves it
//   into the future, so no other worker takes it while it is being sent,
//   and if that worker dies the event is due again when the lease ends.
//   session_id is kept so that erasing a session erases its events; it has
//   no foreign key because an event recorded after a failed turn commit
//   may outlive a session erased meanwhile, and must still be sendable.
constexpr const char kSchemaV2[] = R"sql(
CREATE TABLE outbox (
  id               TEXT    NOT NULL PRIMARY KEY,
  session_id       TEXT    NOT NULL,
  payload_json     TEXT    NOT NULL,
  created_ms       INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms  INTEGER NOT NULL
);
CREATE INDEX outbox_by_next_attempt ON outbox (next_attempt_ms);
CREATE INDEX outbox_by_session ON outbox (session_id);
)sql";

constexpr MigrationStep kSteps[] = {
    {1, kSchemaV1},
    {2, kSchemaV2},
};

Status ReadUserVersion(sqlite3* db, int* version) {
  Statement stmt;
  int rc = stmt.Prepare(db, "PRAGMA user_version");
  if (rc != SQLITE_OK) return ToStatus(rc, "reading the schema version");
  rc = stmt.Step();
  if (rc != SQLITE_ROW) return ToStatus(rc, "reading the schema version");
  *version = static_cast<int>(stmt.ColumnInt64(0));
  return Status::Ok();
}

Status TooNew(int found) {
  return Status::Corruption("sqlite store: the database is newer than this binary (schema version " +
                            std::to_string(found) + ", this binary knows up to " +
                            std::to_string(LatestSchemaVersion()) +
                            "); upgrade steady or use another file");
}

}  // namespace

int LatestSchemaVersion() { return kSteps[sizeof(kSteps) / sizeof(kSteps[0]) - 1].version; }

Status Migrate(sqlite3* db, int* from_version, int* to_version) {
  for (size_t i = 0; i < sizeof(kSteps) / sizeof(kSteps[0]); ++i) {
    if (kSteps[i].version != static_cast<int>(i) + 1) {
      return Status::Internal("sqlite store: migration steps are not numbered 1, 2, 3...");
    }
  }
  const int latest = LatestSchemaVersion();

  // Fast path without the write lock: a store opening a file that is already
  // current should not queue behind another process's long write.
  int found = 0;
  Status s = ReadUserVersion(db, &found);
  if (!s.ok()) return s;
  if (found > latest) return TooNew(found);
  if (found < latest) {
    Statement begin, commit, rollback;
    int rc = begin.Prepare(db, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK) rc = commit.Prepare(db, "COMMIT");
    if (rc == SQLITE_OK) rc = rollback.Prepare(db, "ROLLBACK");
    if (rc != SQLITE_OK) return ToStatus(rc, "preparing the migration");
    Transaction txn(db, &begin, &commit, &rollback);
    s = txn.Begin("locking the database to migrate it");
    if (!s.ok()) return s;
    // Read again under the lock: another process may have migrated between
    // the first read and BEGIN IMMEDIATE.
    s = ReadUserVersion(db, &found);
    if (!s.ok()) return s;
    if (found > latest) return TooNew(found);
    for (const MigrationStep& step : kSteps) {
      if (step.version <= found) continue;
      rc = sqlite3_exec(db, step.sql, nullptr, nullptr, nullptr);
      if (rc != SQLITE_OK) {
        return ToStatus(rc, ("applying migration " + std::to_string(step.version)).c_str());
      }
    }
    // PRAGMA takes no bound parameters; `latest` is our own constant, not
    // input, so formatting it into the SQL is safe.
    const std::string set_version = "PRAGMA user_version = " + std::to_string(latest);
    rc = sqlite3_exec(db, set_version.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return ToStatus(rc, "recording the schema version");
    s = txn.Commit("committing the migration");
    if (!s.ok()) return s;
  }
  if (from_version != nullptr) *from_version = found;
  if (to_version != nullptr) *to_version = latest;
  return Status::Ok();
}

}  // namespace sqlite
}  // namespace steady
