#include "store/sqlite_readers.h"

#include <sqlite3.h>

#include <algorithm>
#include <utility>

namespace steady {
namespace sqlite {

Reader::~Reader() {
  // Statements first: a connection with live statements will not close.
  begin = Statement();
  commit = Statement();
  rollback = Statement();
  select_session = Statement();
  select_version = Statement();
  select_response = Statement();
  select_transcript = Statement();
  sqlite3_close_v2(db);
}

void SqliteReaders::Lease::Release() {
  if (pool_ == nullptr || reader_ == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(pool_->mu_);
    pool_->idle_.push_back(std::move(reader_));
  }
  pool_->returned_.notify_one();
}

Status SqliteReaders::Open(const Opener& open, int count, std::unique_ptr<SqliteReaders>* out) {
  std::unique_ptr<SqliteReaders> pool(new SqliteReaders());
  for (int i = 0; i < std::max(1, count); ++i) {
    std::unique_ptr<Reader> reader;
    Status s = OpenReader(open, &reader);
    if (!s.ok()) return s;
    pool->idle_.push_back(std::move(reader));
  }
  *out = std::move(pool);
  return Status::Ok();
}

Status SqliteReaders::Acquire(Lease* out) {
  std::unique_lock<std::mutex> lock(mu_);
  returned_.wait(lock, [this] { return !idle_.empty(); });
  out->reader_ = std::move(idle_.back());
  idle_.pop_back();
  out->pool_ = this;
  return Status::Ok();
}

Status SqliteReaders::OpenReader(const Opener& open, std::unique_ptr<Reader>* out) {
  auto reader = std::make_unique<Reader>();
  Status s = open(&reader->db);
  if (!s.ok()) return s;
  const struct {
    Statement* statement;
    const char* sql;
  } all[] = {
      // A deferred transaction: one snapshot for several reads.
      {&reader->begin, "BEGIN"},
      {&reader->commit, "COMMIT"},
      {&reader->rollback, "ROLLBACK"},
      {&reader->select_session,
       "SELECT state_json, version, created_at, updated_at FROM sessions WHERE id = ?1"},
      {&reader->select_version, "SELECT version FROM sessions WHERE id = ?1"},
      {&reader->select_response,
       "SELECT response_json FROM turns WHERE session_id = ?1 AND client_message_id = ?2"},
      {&reader->select_transcript,
       "SELECT role, text, intent, crisis, created_at FROM messages"
       " WHERE session_id = ?1 ORDER BY seq"},
  };
  for (const auto& one : all) {
    int rc = one.statement->Prepare(reader->db, one.sql);
    if (rc != SQLITE_OK) return ToStatus(rc, "preparing a read statement");
  }
  *out = std::move(reader);
  return Status::Ok();
}

}  // namespace sqlite
}  // namespace steady
