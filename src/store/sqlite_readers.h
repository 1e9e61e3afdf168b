// SqliteReaders: extra connections to a store's file, for reads only, so
// that loading a session, looking up a stored reply or reading a transcript
// never waits behind the writer's commit.
//
// In WAL mode readers and the writer do not block each other: a read sees
// the last commit made before it began. So SqliteStore writes through its
// one connection (under its mutex, in group commits) and reads through
// these, any number at once.
//
//   std::unique_ptr<SqliteReaders> readers;
//   Status s = SqliteReaders::Open(opener, 4, &readers);
//   SqliteReaders::Lease reader;
//   s = readers->Acquire(&reader);   // waits while all four are in use
//   ... reader->select_session ...
//   // the connection goes back to the pool when `reader` goes out of scope
//
// The pool has a fixed size, opened at once: the files a server holds open
// do not change with load, and a reader is never opened mid-request.
//
// Internal to src/store/. Thread-safe; a Lease is used by one thread.
#ifndef STEADY_STORE_SQLITE_READERS_H_
#define STEADY_STORE_SQLITE_READERS_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/status.h"
#include "store/sqlite_statement.h"

struct sqlite3;

namespace steady {
namespace sqlite {

// One read connection and its statements, prepared once.
struct Reader {
  ~Reader();
  sqlite3* db = nullptr;  // owned; closed after the statements are finalized
  Statement begin;        // BEGIN (deferred: one snapshot, never blocks)
  Statement commit;
  Statement rollback;
  Statement select_session;
  Statement select_version;
  Statement select_response;
  Statement select_transcript;
};

class SqliteReaders {
 public:
  // Opens a new connection to the store's file with the store's settings.
  using Opener = std::function<Status(sqlite3** db)>;

  // Opens `count` connections with `open` (at least one).
  static Status Open(const Opener& open, int count, std::unique_ptr<SqliteReaders>* out);
  SqliteReaders(const SqliteReaders&) = delete;
  SqliteReaders& operator=(const SqliteReaders&) = delete;

  // Gives its reader back to the pool when destroyed.
  class Lease {
   public:
    Lease() = default;
    ~Lease() { Release(); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Reader& operator*() const { return *reader_; }
    Reader* operator->() const { return reader_.get(); }

   private:
    friend class SqliteReaders;
    void Release();
    SqliteReaders* pool_ = nullptr;
    std::unique_ptr<Reader> reader_;
  };

  // An idle reader; waits for one while all are in use. Never fails
  // today; returns a Status so that callers need not change if it can.
  // REQUIRES: *out holds no reader.
  Status Acquire(Lease* out);

 private:
  SqliteReaders() = default;
  static Status OpenReader(const Opener& open, std::unique_ptr<Reader>* out);

  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Reader>> idle_;
};

}  // namespace sqlite
}  // namespace steady

#endif  // STEADY_STORE_SQLITE_READERS_H_
