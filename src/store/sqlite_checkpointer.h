// SqliteCheckpointer: moves the WAL into the database file from a thread of
// its own, so that no turn waits for it.
//
// By default SQLite checkpoints inside the commit that takes the WAL past
// 1,000 pages: that commit copies every page back into the file and syncs
// it, and with one writer every turn queued behind that commit waits too.
// Here the writer's commit only notes the WAL's size (sqlite3_wal_hook,
// which replaces SQLite's own automatic checkpoint) and, from half the
// mark on, wakes this thread, which copies
// the WAL into the file on its own connection with PASSIVE checkpoints:
// they never take the write lock, so turns go on committing while the
// pages are copied. At the mark the
// writer still runs a PASSIVE checkpoint itself, as SQLite's hook would,
// because only a checkpoint that finishes between two commits lets the
// next commit reuse the WAL from its beginning (a busy writer always adds
// pages while another thread copies, and the WAL would grow without
// bound). By then this thread has copied most of the pages, so the
// writer's part is short. Durability is unchanged: a commit is in the WAL,
// synced as the store's `synchronous` setting says, before it returns; a
// checkpoint only moves it.
//
// Internal to src/store/. Thread-safe.
#ifndef STEADY_STORE_SQLITE_CHECKPOINTER_H_
#define STEADY_STORE_SQLITE_CHECKPOINTER_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/status.h"

struct sqlite3;

namespace steady {
namespace sqlite {

class SqliteCheckpointer {
 public:
  using Opener = std::function<Status(sqlite3** db)>;

  // Opens a connection with `open` and starts the thread. The thread
  // checkpoints from wal_pages / 2 on, the writer at wal_pages.
  static Status Start(const Opener& open, int wal_pages, std::unique_ptr<SqliteCheckpointer>* out);

  // Stops the thread (after the checkpoint in progress, if any) and
  // closes its connection.
  ~SqliteCheckpointer();
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

  // Makes `writer`'s commits wake this thread, and checkpoint themselves
  // only at the mark. REQUIRES: `writer` is not used by another thread during
  // the call; this object outlives `writer`'s use, or Unwatch is called.
  void Watch(sqlite3* writer);
  static void Unwatch(sqlite3* writer);

 private:
  SqliteCheckpointer(sqlite3* db, int wal_pages);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Run();

  sqlite3* const db_;  // owned; used by the thread only
  const int wal_pages_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sqlite
}  // namespace steady

#endif  // STEADY_STORE_SQLITE_CHECKPOINTER_H_
