// steady migrate --db PATH|URL: create or upgrade the schema (SQLite file or
// PostgreSQL database), then exit.
#include <ostream>

#include "cli/arg_parser.h"
#include "cli/commands.h"
#include "store/open_store.h"

namespace steady {

int RunMigrate(const Args& args, std::istream&, std::ostream& out, std::ostream& err) {
  ParsedArgs parsed;
  std::string error;
  if (!ParseArgs(args, {"--db"}, {}, &parsed, &error) || !parsed.positional.empty() ||
      parsed.Value("--db").empty()) {
    err << "steady migrate: " << (error.empty() ? "usage: steady migrate --db PATH|postgresql://..." : error)
        << "\n";
    return kExitUsage;
  }
  const std::string db = parsed.Value("--db");
  int from = 0, to = 0;
  Status s = MigrateStore(db, &from, &to);
  if (!s.ok()) {
    err << "steady migrate: " << RedactDbUrl(db) << ": " << s.message() << "\n";
    return kExitCheckFailed;
  }
  out << RedactDbUrl(db) << ": schema version " << from << " -> " << to << "\n";
  return kExitOk;
}

}  // namespace steady
