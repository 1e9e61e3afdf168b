// The stores the conformance suite runs against, behind one interface:
// each maker owns a fresh, empty database and opens stores on it.
//
//   SqliteMaker: a file in a temp folder.
//   PgMaker: a new database on the PostgreSQL server named by
//            STEADY_TEST_PG_URL (tests/support/with_pg_cluster starts one),
//            dropped when the maker goes.
#ifndef STEADY_TESTS_SUPPORT_STORE_MAKERS_H_
#define STEADY_TESTS_SUPPORT_STORE_MAKERS_H_

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>

#include "store/open_store.h"
#include "support/temp_dir.h"

namespace steady::testing {

class StoreMaker {
 public:
  virtual ~StoreMaker() = default;
  // A new store on this maker's database (several may be open at once, as
  // several servers would have).
  virtual std::unique_ptr<SessionStore> Open() = 0;
  // What `--db` would be for this database.
  virtual std::string db() const = 0;
};

class SqliteMaker : public StoreMaker {
 public:
  std::unique_ptr<SessionStore> Open() override {
    std::unique_ptr<SessionStore> store;
    Status s = OpenStore(db(), StoreOptions(), &store);
    if (!s.ok()) throw std::runtime_error(s.message());
    return store;
  }
  std::string db() const override { return dir_.File("steady.db"); }

 private:
  TempDir dir_;
};

class PgMaker : public StoreMaker {
 public:
  PgMaker() {
    const char* base = std::getenv("STEADY_TEST_PG_URL");
    if (base == nullptr || *base == '\0') {
      throw std::runtime_error(
          "STEADY_TEST_PG_URL is not set: run through tests/support/with_pg_cluster");
    }
    base_ = base;
    static std::atomic<int> counter{0};
    name_ = "t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    Admin("CREATE DATABASE " + name_);
    const size_t slash = base_.rfind('/');
    url_ = base_.substr(0, slash + 1) + name_;
  }
  ~PgMaker() override {
    try {
      Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  std::unique_ptr<SessionStore> Open() override {
    std::unique_ptr<SessionStore> store;
    StoreOptions options;
    options.postgres.pool_size = 4;
    Status s = OpenStore(url_, options, &store);
    if (!s.ok()) throw std::runtime_error(s.message());
    return store;
  }
  std::string db() const override { return url_; }

  // Runs `sql` on this maker's own database (to look at rows directly).
  std::string Query(const std::string& sql) const { return Run(url_, sql); }

 private:
  void Admin(const std::string& sql) const { Run(base_, sql); }

  static std::string Run(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
      std::string why = PQerrorMessage(c);
      PQfinish(c);
      throw std::runtime_error("cannot connect to the test server: " + why);
    }
    PGresult* r = PQexec(c, sql.c_str());
    const ExecStatusType t = PQresultStatus(r);
    std::string out;
    if (t == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    std::string why = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) throw std::runtime_error(sql + ": " + why);
    return out;
  }

  std::string base_, name_, url_;
};

}  // namespace steady::testing

#endif  // STEADY_TESTS_SUPPORT_STORE_MAKERS_H_
