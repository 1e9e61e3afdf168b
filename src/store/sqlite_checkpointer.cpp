#include "store/sqlite_checkpointer.h"

#include <signal.h>
#include <sqlite3.h>

namespace steady {
namespace sqlite {

Status SqliteCheckpointer::Start(const Opener& open, int wal_pages,
                                 std::unique_ptr<SqliteCheckpointer>* out) {
  sqlite3* db = nullptr;
  Status s = open(&db);
  if (!s.ok()) return s;
  // The thread starts with every signal blocked (it inherits the mask it
  // is created with): SIGTERM, SIGHUP and the rest belong to the server's
  // own handling, and a signal delivered here would take the default
  // action and end the process.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  out->reset(new SqliteCheckpointer(db, wal_pages));
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return Status::Ok();
}

SqliteCheckpointer::SqliteCheckpointer(sqlite3* db, int wal_pages)
    : db_(db), wal_pages_(wal_pages), thread_([this] { Run(); }) {}

SqliteCheckpointer::~SqliteCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_close_v2(db_);
}

void SqliteCheckpointer::Watch(sqlite3* writer) { sqlite3_wal_hook(writer, &OnCommit, this); }

void SqliteCheckpointer::Unwatch(sqlite3* writer) { sqlite3_wal_hook(writer, nullptr, nullptr); }

// Called by SQLite on the writer's thread after each commit, with the
// number of pages now in the WAL. Must be quick, and must return SQLITE_OK
// (anything else would be reported as the commit's error).
int SqliteCheckpointer::OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto* checkpointer = static_cast<SqliteCheckpointer*>(self);
  if (wal_pages >= checkpointer->wal_pages_) {
    // What SQLite's own hook does, here in the writer's thread: it finishes
    // the copy between two commits, so the next commit starts the WAL over
    // from its beginning. The thread has already copied most pages.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  // From half the mark on, every commit wakes the thread (a wake-up while
  // it copies only makes it go round once more), so that when the writer
  // reaches the mark almost nothing is left for it to copy. Each pass ends
  // with a sync of the database file, off the writer's path.
  if (wal_pages < checkpointer->wal_pages_ / 2) return SQLITE_OK;
  {
    std::lock_guard<std::mutex> lock(checkpointer->mu_);
    checkpointer->due_ = true;
  }
  checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void SqliteCheckpointer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    lock.unlock();
    // PASSIVE: copies what it can without waiting for any lock, while
    // turns go on committing. A failure (a busy or full disk) is left for
    // the next round; the WAL still holds every commit.
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
}

}  // namespace sqlite
}  // namespace steady
