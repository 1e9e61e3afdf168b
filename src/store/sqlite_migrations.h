// The SQLite schema, as a list of numbered migration steps.
//
// The schema version lives in the file header (PRAGMA user_version): 0 is an
// empty file, N means steps 1..N have run. Opening applies the missing steps
// in order, all inside one write transaction together with the new
// user_version, so a file is always at exactly one known version and two
// processes starting at once cannot both upgrade it.
//
// To change the schema, append a step; never edit a step that has shipped.
//
// Internal to src/store/.
#ifndef STEADY_STORE_SQLITE_MIGRATIONS_H_
#define STEADY_STORE_SQLITE_MIGRATIONS_H_

#include <sqlite3.h>

#include "core/status.h"

namespace steady {
namespace sqlite {

// The version the last migration step brings a file to.
int LatestSchemaVersion();

// Brings `db` to LatestSchemaVersion(). Sets *from_version to the version
// found and *to_version to the version left (both may be null).
// Fails with kCorruption, changing nothing, when the file's version is newer
// than this binary knows. kUnavailable when the write lock cannot be had
// within the connection's busy timeout.
// REQUIRES: `db` is open and not inside a transaction.
Status Migrate(sqlite3* db, int* from_version, int* to_version);

}  // namespace sqlite
}  // namespace steady

#endif  // STEADY_STORE_SQLITE_MIGRATIONS_H_
