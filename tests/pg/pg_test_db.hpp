// tests/pg/pg_test_db.hpp — fresh PostgreSQL databases for tests, on the server
// tests/pg/pg-temp-server started (its URI in LEADFLOW_TEST_PG).
#pragma once

#include <optional>
#include <string>

namespace leadflow::testing {

// A database created empty for one test and dropped (with any connection still open to it)
// when the object goes away.
class PgTestDatabase {
  public:
    // Creates the database on the server LEADFLOW_TEST_PG names. available() is false (and
    // why() says why) when the variable is unset or the database cannot be created.
    PgTestDatabase();
    ~PgTestDatabase();
    PgTestDatabase(const PgTestDatabase&) = delete;
    PgTestDatabase& operator=(const PgTestDatabase&) = delete;

    bool available() const { return !uri_.empty(); }
    const std::string& why() const { return why_; }
    // The database's connection URI (a --db value).
    const std::string& uri() const { return uri_; }
    const std::string& name() const { return name_; }

  private:
    std::string admin_uri_, name_, uri_, why_;
};

// LEADFLOW_TEST_DB: "postgres" when the API and live suites are to run on PostgreSQL (and
// LEADFLOW_TEST_PG is set), else SQLite.
bool test_db_is_postgres();

}  // namespace leadflow::testing
