// tests/store/pg_schema_test.cpp — what the PostgreSQL schema promises beyond the Store contract:
// every text column compares bytes (COLLATE "C", schema migration 5) whatever the database's
// locale, and the triggers that migration made again are in place. Skipped without a server
// (LEADFLOW_TEST_PG, tests/pg/pg-temp-server).
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <string>
#include <vector>

#include "pg_test_db.hpp"
#include "store/open_store.hpp"

namespace leadflow::server {
namespace {

// The first column of every row `sql` returns, as text; a failed query fails the test.
std::vector<std::string> column(const std::string& uri, const std::string& sql) {
    std::vector<std::string> out;
    PGconn* c = PQconnectdb(uri.c_str());
    EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
    PGresult* r = PQexec(c, sql.c_str());
    EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
    for (int i = 0; i < PQntuples(r); ++i) out.emplace_back(PQgetvalue(r, i, 0));
    PQclear(r);
    PQfinish(c);
    return out;
}

TEST(PgSchema, EveryTextColumnComparesBytesAndTheCountTriggerIsKept) {
    ::leadflow::testing::PgTestDatabase db;
    if (!db.available()) GTEST_SKIP() << db.why();
    auto store = open_store(db.uri());
    ASSERT_TRUE(store.ok()) << store.status().message();

    EXPECT_EQ(column(db.uri(),
                     "SELECT table_name || '.' || column_name FROM information_schema.columns"
                     " WHERE table_schema = current_schema() AND data_type = 'text'"
                     " AND collation_name IS DISTINCT FROM 'C' ORDER BY 1"),
              std::vector<std::string>{});
    // The columns the indexes of `leads` hold; a migration that skipped the table shows here.
    EXPECT_EQ(column(db.uri(),
                     "SELECT column_name FROM information_schema.columns WHERE table_name = 'leads'"
                     " AND column_name IN ('id', 'workflow_id', 'status', 'phase')"
                     " AND collation_name = 'C' ORDER BY 1"),
              (std::vector<std::string>{"id", "phase", "status", "workflow_id"}));
    EXPECT_EQ(column(db.uri(),
                     "SELECT tgname FROM pg_trigger WHERE tgrelid = 'leads'::regclass"
                     " AND NOT tgisinternal ORDER BY 1"),
              (std::vector<std::string>{"leads_count_delete", "leads_count_insert",
                                        "leads_count_update", "leads_stats_arrival"}));
}

}  // namespace
}  // namespace leadflow::server
