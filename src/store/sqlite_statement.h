// Small RAII helpers over the SQLite C API, shared by SqliteStore and its
// migrations: error codes to Status, prepared statements, transactions.
//
// Internal to src/store/; nothing outside the store should include this.
//
// Two rules these helpers exist to keep:
//  - Values only ever reach SQL through bound parameters, never by
//    formatting them into the SQL text.
//  - A statement is reset as soon as its result has been read (StatementUse),
//    because a SELECT left mid-way keeps a read transaction open, which in
//    WAL mode pins the WAL and in a writer blocks COMMIT.
#ifndef STEADY_STORE_SQLITE_STATEMENT_H_
#define STEADY_STORE_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "core/status.h"

namespace steady {
namespace sqlite {

// Maps a SQLite result code to a Status. `context` says what the store was
// doing ("committing a turn"); it must not contain message text or session
// ids (an id is a bearer credential for its transcript). The message uses
// sqlite3_errstr(), never sqlite3_errmsg(), because the latter can quote
// values (a trigger's RAISE text, for one).
//
//   BUSY LOCKED READONLY FULL IOERR CANTOPEN PERM NOMEM PROTOCOL NOLFS
//   INTERRUPT                           -> kUnavailable (retry later)
//   CORRUPT NOTADB                      -> kCorruption
//   CONSTRAINT_PRIMARYKEY / _UNIQUE     -> kConflict
//   TOOBIG                              -> kInvalid
//   anything else (other constraints, MISUSE, ERROR...) -> kInternal
Status ToStatus(int rc, const char* context);

// One prepared statement. Move-only; finalized on destruction.
// Not thread-safe: belongs to one connection, used under its lock.
class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;

  // Compiles `sql`, which must hold exactly one statement.
  // REQUIRES: not yet prepared. Returns a SQLite result code.
  int Prepare(sqlite3* db, const char* sql);

  // Binding, 1-based as in SQLite. A bind error is remembered and returned
  // by the next Step(), so callers check once.
  //
  // Text is bound byte for byte (embedded NULs and all) without a copy.
  // REQUIRES: `value` outlives every Step() until the next Reset(). The
  // rvalue and const char* overloads are deleted so a temporary cannot be
  // bound by mistake; use BindLiteral() for string literals.
  void BindText(int index, const std::string& value);
  void BindText(int index, std::string&& value) = delete;
  void BindText(int index, const char* value) = delete;
  void BindLiteral(int index, const char* literal);
  void BindInt64(int index, int64_t value);
  void BindNull(int index);

  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step();

  // Columns of the current row, 0-based. REQUIRES: the last Step() was ROW.
  int64_t ColumnInt64(int col) const;
  // The exact bytes stored (NULL reads as "").
  std::string ColumnText(int col) const;

  // Ends the current run and clears bindings and any remembered bind error.
  void Reset();

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

// Resets a statement when the scope ends, however it ends.
class StatementUse {
 public:
  explicit StatementUse(Statement* statement) : statement_(statement) {}
  ~StatementUse() { statement_->Reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

 private:
  Statement* statement_;
};

// A transaction that rolls back unless Commit() succeeded.
// Declare it before the StatementUse objects of the same scope so that they
// reset their statements before the rollback runs.
class Transaction {
 public:
  // The statements are "BEGIN" or "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK",
  // prepared on `db`; they must outlive the Transaction.
  Transaction(sqlite3* db, Statement* begin, Statement* commit, Statement* rollback)
      : db_(db), begin_(begin), commit_(commit), rollback_(rollback) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Begin(const char* context);
  Status Commit(const char* context);

 private:
  sqlite3* db_;
  Statement* begin_;
  Statement* commit_;
  Statement* rollback_;
  bool open_ = false;
};

}  // namespace sqlite
}  // namespace steady

#endif  // STEADY_STORE_SQLITE_STATEMENT_H_
