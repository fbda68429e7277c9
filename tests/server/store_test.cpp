// tests/server/store_test.cpp — the SQLite store: migrations, durability, transactions, counts.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "server_test_util.hpp"
#include "store/sqlite_store.hpp"

namespace leadflow::server {
namespace {

using testing::TempDir;

Workflow sample_workflow(const std::string& org) {
    Workflow w;
    w.id = "wf_1";
    w.organization_id = org;
    w.title = "Nurture";
    w.created_at = w.updated_at = 1000;
    w.settings.timezone = "Asia/Kolkata";
    w.extra["custom"] = "kept";
    return w;
}

TEST(SqliteStore, MigratesToTheLatestVersionWithWalAndForeignKeys) {
    TempDir dir;
    const std::string path = dir.path() + "/a.db";
    auto s = open_sqlite_store(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s.value()->schema_version(), sqlite_schema_latest_version());
    s.value().reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

TEST(SqliteStore, RefusesADatabaseFromANewerSchema) {
    TempDir dir;
    const std::string path = dir.path() + "/new.db";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    auto s = open_sqlite_store(path);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(s.status().message().find("newer"), std::string::npos);
}

TEST(SqliteStore, FailsClearlyWhenTheFileCannotBeOpened) {
    auto s = open_sqlite_store("/nonexistent-dir/x/y.db");
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.status().message().find("/nonexistent-dir/x/y.db"), std::string::npos);
}

TEST(SqliteStore, KeepsWorkflowsGraphsAndLeadsAcrossReopen) {
    TempDir dir;
    const std::string path = dir.path() + "/p.db";
    {
        auto s = open_sqlite_store(path);
        ASSERT_TRUE(s.ok());
        Status st = s.value()->transact([](StoreTx& tx) {
            auto org = tx.ensure_organization("acme", "org_1", 1);
            if (!org.ok()) return org.status();
            if (Status x = tx.insert_workflow(sample_workflow("org_1")); !x) return x;
            Node n;
            n.id = "n1";
            n.node_type_raw = "FUTURE_TYPE";  // unknown types round-trip
            n.config = Json{{"x", 1}};
            if (Status x = tx.insert_node("wf_1", n); !x) return x;
            LeadRecord r;
            r.lead.id = "wlead_1";
            r.lead.workflow_id = "wf_1";
            r.lead.phone_number = "+14155552671";
            r.lead.variables = {{"city", "Pune"}};
            return tx.insert_leads({r});
        });
        ASSERT_TRUE(st) << st.message();
    }
    auto s = open_sqlite_store(path);
    ASSERT_TRUE(s.ok());
    Status st = s.value()->read([](StoreTx& tx) {
        auto w = tx.get_workflow("org_1", "wf_1");
        EXPECT_TRUE(w.ok());
        EXPECT_EQ(w->settings.timezone, "Asia/Kolkata");
        EXPECT_EQ(w->extra["custom"], "kept");
        auto nodes = tx.list_nodes("wf_1");
        EXPECT_EQ(nodes->size(), 1u);
        EXPECT_EQ(nodes->at(0).node_type_raw, "FUTURE_TYPE");
        EXPECT_EQ(nodes->at(0).type, NodeType::kUnknown);
        auto lead = tx.get_lead("wf_1", "wlead_1");
        EXPECT_TRUE(lead.ok());
        EXPECT_EQ(lead->lead.variables.at("city"), "Pune");
        auto keys = tx.variable_keys("wf_1");
        EXPECT_EQ(keys.value(), std::vector<std::string>{"city"});
        // Another organization sees nothing.
        EXPECT_EQ(tx.get_workflow("org_2", "wf_1").status().code(), StatusCode::kNotFound);
        return Status::ok();
    });
    EXPECT_TRUE(st);
}

TEST(SqliteStore, RollsBackEveryChangeWhenTheTransactionFails) {
    TempDir dir;
    auto s = open_sqlite_store(dir.path() + "/r.db");
    ASSERT_TRUE(s.ok());
    Status st = s.value()->transact([](StoreTx& tx) {
        auto org = tx.ensure_organization("acme", "org_1", 1);
        if (!org.ok()) return org.status();
        if (Status x = tx.insert_workflow(sample_workflow("org_1")); !x) return x;
        return Status::invalid("stop here");
    });
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(st.message(), "stop here");
    s.value()->read([](StoreTx& tx) {
        EXPECT_EQ(tx.get_workflow("org_1", "wf_1").status().code(), StatusCode::kNotFound);
        return Status::ok();
    });
}

TEST(SqliteStore, MaintainsLeadCountsThroughInsertsTransitionsAndDeletes) {
    TempDir dir;
    auto s = open_sqlite_store(dir.path() + "/c.db");
    ASSERT_TRUE(s.ok());
    Status st = s.value()->transact([](StoreTx& tx) {
        tx.ensure_organization("acme", "org_1", 1);
        tx.insert_workflow(sample_workflow("org_1"));
        std::vector<LeadRecord> leads(5);
        for (int i = 0; i < 5; ++i) {
            leads[i].lead.id = "wlead_" + std::to_string(i);
            leads[i].lead.workflow_id = "wf_1";
            leads[i].lead.phone_number = "+1415555267" + std::to_string(i);
        }
        if (Status x = tx.insert_leads(leads); !x) return x;
        auto moved = tx.transition_leads("wf_1", {LeadStatus::kPending}, LeadStatus::kActive,
                                         std::nullopt, 5);
        EXPECT_EQ(moved.value(), 5);
        auto r = tx.get_lead("wf_1", "wlead_0");
        r->lead.status = LeadStatus::kRemoved;
        return tx.update_lead(r.value());
    });
    ASSERT_TRUE(st) << st.message();
    s.value()->read([](StoreTx& tx) {
        auto c = tx.workflow_counts("wf_1");
        EXPECT_EQ(c->enrolled_leads, 5);
        EXPECT_EQ(c->lead_counts.at(LeadStatus::kActive), 4);
        EXPECT_EQ(c->lead_counts.at(LeadStatus::kRemoved), 1);
        EXPECT_EQ(c->lead_counts.at(LeadStatus::kPending), 0);
        auto page = tx.list_leads("wf_1", LeadQuery{{LeadStatus::kActive}, {}, 1, 3});
        EXPECT_EQ(page->total, 4);
        EXPECT_EQ(page->items.size(), 3u);
        return Status::ok();
    });
    s.value()->transact([](StoreTx& tx) { return tx.delete_workflow("wf_1"); });
    s.value()->read([](StoreTx& tx) {
        auto totals = tx.lead_status_totals();
        EXPECT_EQ(totals->at(LeadStatus::kActive), 0);
        EXPECT_EQ(tx.get_lead("wf_1", "wlead_1").status().code(), StatusCode::kNotFound);
        return Status::ok();
    });
}

}  // namespace
}  // namespace leadflow::server
