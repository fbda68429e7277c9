// tests/pg/pg_test_db.cpp — see pg_test_db.hpp.
#include "pg_test_db.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace leadflow::testing {
namespace {

// Runs `sql` on a new connection to `uri`; "" on success, else the server's complaint.
std::string run_admin(const std::string& uri, const std::string& sql) {
    PGconn* c = PQconnectdb(uri.c_str());
    std::string err;
    if (PQstatus(c) != CONNECTION_OK) {
        err = PQerrorMessage(c);
    } else {
        PGresult* r = PQexec(c, sql.c_str());
        if (PQresultStatus(r) != PGRES_COMMAND_OK) err = PQresultErrorMessage(r);
        PQclear(r);
    }
    PQfinish(c);
    return err;
}

// `uri` (a postgresql:// URI) naming the database `db` instead.
std::string with_database(const std::string& uri, const std::string& db) {
    return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "dbname=" + db;
}

}  // namespace

PgTestDatabase::PgTestDatabase() {
    const char* admin = std::getenv("LEADFLOW_TEST_PG");
    if (!admin || !*admin) {
        why_ = "LEADFLOW_TEST_PG is not set (tests/pg/pg-temp-server sets it)";
        return;
    }
    admin_uri_ = admin;
    static std::atomic<int> counter{0};
    name_ = "leadflow_t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (std::string err = run_admin(admin_uri_, "CREATE DATABASE " + name_); !err.empty()) {
        why_ = "cannot create a test database: " + err;
        return;
    }
    uri_ = with_database(admin_uri_, name_);
}

PgTestDatabase::~PgTestDatabase() {
    if (!uri_.empty()) run_admin(admin_uri_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

bool test_db_is_postgres() {
    const char* db = std::getenv("LEADFLOW_TEST_DB");
    return db && std::string(db) == "postgres";
}

}  // namespace leadflow::testing
