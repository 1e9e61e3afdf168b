#include "store/sqlite_statement.h"

#include <utility>

namespace steady {
namespace sqlite {

Status ToStatus(int rc, const char* context) {
  std::string msg = "sqlite store: ";
  msg += context;
  msg += ": ";
  msg += sqlite3_errstr(rc);
  msg += " (sqlite code " + std::to_string(rc) + ")";
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return Status::Internal(msg + " reported as an error");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
    case SQLITE_INTERRUPT:
      return Status::Unavailable(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(msg);
    case SQLITE_TOOBIG:
      return Status::Invalid(msg);
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
        return Status::Conflict(msg);
      }
      return Status::Internal(msg);
    default:
      return Status::Internal(msg);
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

int Statement::Prepare(sqlite3* db, const char* sql) {
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt_, &tail);
  if (rc != SQLITE_OK) return rc;
  if (stmt_ == nullptr) return SQLITE_MISUSE;  // empty SQL
  for (; tail != nullptr && *tail != '\0'; ++tail) {
    if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r') {
      return SQLITE_MISUSE;  // more than one statement
    }
  }
  return SQLITE_OK;
}

void Statement::BindText(int index, const std::string& value) {
  // SQLITE_STATIC: no copy. Safe because Reset() clears the bindings before
  // the caller's string can go away (see the REQUIRES in the header).
  // std::string::data() is never null, so "" binds as '' and not as NULL.
  int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC,
                               SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindLiteral(int index, const char* literal) {
  int rc = sqlite3_bind_text(stmt_, index, literal, -1, SQLITE_STATIC);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindInt64(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

int Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return bind_rc_;
  return sqlite3_step(stmt_);
}

int64_t Statement::ColumnInt64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Statement::ColumnText(int col) const {
  // column_text then column_bytes, in that order, as SQLite documents: the
  // byte count is of the text representation just produced.
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr || n <= 0) return std::string();
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
}

void Statement::Reset() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

Transaction::~Transaction() {
  // SQLite rolls back by itself after some errors (FULL, IOERR, NOMEM, BUSY
  // mid-statement); then there is nothing left to roll back.
  if (open_ && sqlite3_get_autocommit(db_) == 0) {
    StatementUse use(rollback_);
    rollback_->Step();
  }
}

Status Transaction::Begin(const char* context) {
  StatementUse use(begin_);
  int rc = begin_->Step();
  if (rc != SQLITE_DONE) return ToStatus(rc, context);
  open_ = true;
  return Status::Ok();
}

Status Transaction::Commit(const char* context) {
  StatementUse use(commit_);
  int rc = commit_->Step();
  if (rc != SQLITE_DONE) return ToStatus(rc, context);  // the destructor rolls back
  open_ = false;
  return Status::Ok();
}

}  // namespace sqlite
}  // namespace steady
