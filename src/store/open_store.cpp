#include "store/open_store.h"

namespace steady {

Status OpenStore(const std::string& db, const StoreOptions& options,
                 std::unique_ptr<SessionStore>* out) {
  if (IsPostgresUrl(db)) {
    std::unique_ptr<PgStore> pg;
    Status s = PgStore::Open(db, options.postgres, &pg);
    if (s.ok()) *out = std::move(pg);
    return s;
  }
  std::unique_ptr<SqliteStore> sqlite;
  Status s = SqliteStore::Open(db, options.sqlite, &sqlite);
  if (s.ok()) *out = std::move(sqlite);
  return s;
}

std::string RedactDbUrl(const std::string& db) {
  if (!IsPostgresUrl(db)) return db;
  const size_t start = db.find("://") + 3;
  const size_t at = db.find('@', start);
  if (at == std::string::npos) return db;
  const size_t colon = db.find(':', start);
  if (colon == std::string::npos || colon > at) return db;
  return db.substr(0, colon + 1) + "***" + db.substr(at);
}

Status MigrateStore(const std::string& db, int* from_version, int* to_version) {
  if (IsPostgresUrl(db)) return PgStore::Migrate(db, from_version, to_version);
  return SqliteStore::Migrate(db, from_version, to_version);
}

}  // namespace steady
