// steady migrate --db PATH: create or upgrade the schema, then exit.
#include <ostream>

#include "cli/arg_parser.h"
#include "cli/commands.h"
#include "store/sqlite_store.h"

namespace steady {

int RunMigrate(const Args& args, std::istream&, std::ostream& out, std::ostream& err) {
  ParsedArgs parsed;
  std::string error;
  if (!ParseArgs(args, {"--db"}, {}, &parsed, &error) || !parsed.positional.empty() ||
      parsed.Value("--db").empty()) {
    err << "steady migrate: " << (error.empty() ? "usage: steady migrate --db PATH" : error)
        << "\n";
    return kExitUsage;
  }
  const std::string db = parsed.Value("--db");
  if (db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0) {
    err << "steady migrate: PostgreSQL is not supported yet\n";
    return kExitUsage;
  }
  int from = 0, to = 0;
  Status s = SqliteStore::Migrate(db, &from, &to);
  if (!s.ok()) {
    err << "steady migrate: " << db << ": " << s.message() << "\n";
    return kExitCheckFailed;
  }
  out << db << ": schema version " << from << " -> " << to << "\n";
  return kExitOk;
}

}  // namespace steady
