// OpenStore: the SessionStore a `--db` value names.
//
//   postgresql://user@host/dbname  (or postgres://)  -> PgStore
//   anything else                                    -> SqliteStore on that file
//
// Both migrate the schema on open. The caller owns the store.
#ifndef STEADY_STORE_OPEN_STORE_H_
#define STEADY_STORE_OPEN_STORE_H_

#include <memory>
#include <string>

#include "core/status.h"
#include "store/pg_store.h"
#include "store/session_store.h"
#include "store/sqlite_store.h"

namespace steady {

struct StoreOptions {
  SqliteStoreOptions sqlite;
  PgStoreOptions postgres;
};

Status OpenStore(const std::string& db, const StoreOptions& options,
                 std::unique_ptr<SessionStore>* out);

// `db` fit for a log or an error message: a URL's password is replaced by
// "***" ("postgresql://steady:***@db/steady"); file paths are unchanged.
std::string RedactDbUrl(const std::string& db);

// What `steady migrate --db DB` does, for either kind of database.
Status MigrateStore(const std::string& db, int* from_version, int* to_version);

}  // namespace steady

#endif  // STEADY_STORE_OPEN_STORE_H_
