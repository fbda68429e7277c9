// tests/hostile/graph_put_test.cpp — PUT /v1/workflows/{id}/graph with 20,000 nodes and
// 20,000 edges (issue 14, item 6, the graph part). Each inserted row used to look up the
// workflow's max(seq) by reading every row inserted before it, inside the single write lock:
// minutes for one request while every tenant's writes waited. The lookup now reads one entry
// of an index. Through App::handle (the bytes a client would send, no socket needed).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>

#include "http/limits.hpp"
#include "leadflow/json.hpp"
#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

class GraphPut : public ApiTest {};

// The query plan of the next-seq lookup in the test's database file.
std::string plan_of(const std::string& db_path, const char* sql) {
    sqlite3* db = nullptr;
    std::string plan;
    if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* s = nullptr;
        const std::string q = std::string("EXPLAIN QUERY PLAN ") + sql;
        if (sqlite3_prepare_v2(db, q.c_str(), -1, &s, nullptr) == SQLITE_OK) {
            while (sqlite3_step(s) == SQLITE_ROW) {
                plan += reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
                plan += "\n";
            }
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return plan;
}

TEST_F(GraphPut, NextSeqLookupReadsAnIndexNotEveryRow) {
    // A scan of the workflow's rows per insert is quadratic in the graph's size.
    for (const char* table : {"nodes", "edges"}) {
        const std::string sql = std::string("SELECT coalesce(max(seq), 0) + 1 FROM ") + table +
                                " WHERE workflow_id = 'w'";
        const std::string plan = plan_of(db_path_, sql.c_str());
        EXPECT_NE(plan.find("COVERING INDEX " + std::string(table) + "_by_seq"), std::string::npos)
            << table << ": " << plan;
    }
}

// The largest graph a workflow may hold (limits.hpp): with a scan per insert it took minutes.
TEST_F(GraphPut, TheLargestAllowedGraphIsStoredInOrder) {
    const std::string wf = make_workflow("big graph");
    const int n = static_cast<int>(limits::kMaxNodesPerWorkflow);
    ASSERT_EQ(limits::kMaxEdgesPerWorkflow, limits::kMaxNodesPerWorkflow);
    Json nodes = Json::array(), edges = Json::array();
    for (int i = 0; i < n; ++i) {
        nodes.push_back(Json{{"id", "n" + std::to_string(i)},
                             {"node_type", "CONVERTED"},
                             {"config", Json::object()},
                             {"position", Json{{"x", i}, {"y", 0}}}});
        edges.push_back(Json{{"id", "e" + std::to_string(i)},
                             {"from_node_id", "n" + std::to_string(i)},
                             {"to_node_id", "n" + std::to_string((i + 1) % n)}});
    }
    Response r = put("/v1/workflows/" + wf + "/graph", Json{{"nodes", nodes}, {"edges", edges}});
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
    Json w = body_of(get("/v1/workflows/" + wf));
    EXPECT_EQ(w["node_count"], n);
    EXPECT_EQ(w["edge_count"], n);
    // Replacing it again keeps the request order (seq restarts per workflow's rows).
    std::reverse(nodes.begin(), nodes.end());
    r = put("/v1/workflows/" + wf + "/graph", Json{{"nodes", nodes}, {"edges", edges}});
    ASSERT_EQ(r.status, 200);
    Json listed = body_of(get("/v1/workflows/" + wf + "/nodes"));
    const Json& data = listed.is_array() ? listed : listed["data"];
    ASSERT_EQ(data.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(data[0]["id"], "n" + std::to_string(n - 1));
    EXPECT_EQ(data[n - 1]["id"], "n0");
    // Another organization's write goes through afterwards.
    EXPECT_EQ(post("/v1/workflows", Json{{"title", "other"}}, key_b_).status, 201);
}

}  // namespace
}  // namespace leadflow::server::testing
