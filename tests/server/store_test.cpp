// tests/server/store_test.cpp — the SQLite store: migrations, durability, transactions, counts.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "leadflow/wire.hpp"
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
        EXPECT_TRUE(tx.has_workflow("org_1", "wf_1").value());
        EXPECT_FALSE(tx.has_workflow("org_2", "wf_1").value());
        EXPECT_FALSE(tx.has_workflow("org_1", "wf_2").value());
        return Status::ok();
    });
    EXPECT_TRUE(st);
}

// Org org_1 with workflows `wfs`, each with the given leads.
Status seed(Store& store,
            const std::vector<std::pair<std::string, std::vector<std::string>>>& wfs) {
    return store.transact([&](StoreTx& tx) {
        auto org = tx.ensure_organization("acme", "org_1", 1);
        if (!org.ok()) return org.status();
        for (const auto& [wf, leads] : wfs) {
            Workflow w = sample_workflow("org_1");
            w.id = wf;
            if (Status x = tx.insert_workflow(w); !x) return x;
            std::vector<LeadRecord> records;
            for (const std::string& id : leads) {
                LeadRecord r;
                r.lead.id = id;
                r.lead.workflow_id = wf;
                r.lead.phone_number = "+14155552671";
                records.push_back(r);
            }
            if (Status x = tx.insert_leads(records); !x) return x;
        }
        return Status::ok();
    });
}

HistoryEntry history_entry(const std::string& label) {
    HistoryEntry h;
    h.node_id = "n1";
    h.node_type = "TIME";
    h.label = label;
    h.status = "completed";
    h.started_at = 5;
    return h;
}

std::vector<std::string> history_labels(Store& store, const std::string& lead_id) {
    std::vector<std::string> labels;
    Status st = store.read([&](StoreTx& tx) {
        auto rows = tx.history(lead_id);
        if (!rows.ok()) return rows.status();
        for (const HistoryEntry& h : rows.value()) labels.push_back(h.label);
        return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.message();
    return labels;
}

// Runs `sql` on its own connection to `path` (as another program would) and returns column
// `col` of every row.
std::vector<std::string> raw_sql(const std::string& path, const std::string& sql, int col = 0) {
    sqlite3* db = nullptr;
    std::vector<std::string> out;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const auto* t = sqlite3_column_text(st, col);
        out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

TEST(SqliteStore, HistoryWrittenByVersion3ReadsBackInOrderGrowsAndGoesWithItsWorkflow) {
    // Version 4 keeps each lead's history as a chain (no per-lead index): rows written by
    // version 3 are linked in their order, new rows extend the chains, and deleting a
    // workflow deletes its leads' rows and no others.
    TempDir dir;
    const std::string path = dir.path() + "/v3.db";
    {
        auto v3 = open_sqlite_store(path, 3);
        ASSERT_TRUE(v3.ok()) << v3.status().message();
        ASSERT_EQ(v3.value()->schema_version(), 3);
        Status st = seed(*v3.value(), {{"wf_1", {}}, {"wf_2", {}}});
        ASSERT_TRUE(st.is_ok()) << st.message();
    }
    // The leads as version 3 stored them (today's insert names columns it did not have).
    for (const auto& [wf, lead] : {std::pair{"wf_1", "wlead_1"}, std::pair{"wf_1", "wlead_2"},
                                   std::pair{"wf_2", "wlead_3"}, std::pair{"wf_2", "wlead_4"}}) {
        raw_sql(path,
                std::string("INSERT INTO leads(id, workflow_id, phone_number, variables, status,"
                            " phase, created_at, updated_at) VALUES ('") +
                    lead + "', '" + wf + "', '+14155552671', '{}', 'pending', 'entering', 0, 0)");
    }
    const char* leads[] = {"wlead_1", "wlead_2", "wlead_3"};
    for (int i = 0; i < 9; ++i) {  // interleaved, as leads moving side by side write them
        raw_sql(path, "INSERT INTO history(lead_id, entry) VALUES ('" + std::string(leads[i % 3]) +
                          "', '" + to_json(history_entry("row " + std::to_string(i))).dump() +
                          "')");
    }
    raw_sql(path, "UPDATE leads SET phase = 'in_call' WHERE id = 'wlead_1'");
    raw_sql(path, "UPDATE leads SET phase = 'stuck' WHERE id = 'wlead_2'");

    auto s = open_sqlite_store(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
    Store& store = *s.value();
    EXPECT_EQ(store.schema_version(), sqlite_schema_latest_version());
    // Version 8 keys due leads by the workflow's seq: every lead has its workflow's.
    EXPECT_EQ(raw_sql(path,
                      "SELECT count(*) FROM leads l JOIN workflows w ON w.id = l.workflow_id"
                      " WHERE l.workflow_seq IS w.seq AND w.seq IS NOT NULL"),
              std::vector<std::string>{"4"});
    EXPECT_EQ(raw_sql(path, "SELECT count(DISTINCT seq) FROM workflows"),
              std::vector<std::string>{"2"});
    // Rows written without it (by any writer) get it from the triggers.
    raw_sql(path,
            "INSERT INTO workflows(id, organization_id, title, description, status, settings,"
            " extra, created_at, updated_at) VALUES ('wf_3', 'org_1', 't', '', 'draft', '{}',"
            " '{}', 0, 0)");
    raw_sql(path,
            "INSERT INTO leads(id, workflow_id, phone_number, variables, status, phase,"
            " created_at, updated_at) VALUES ('wlead_5', 'wf_3', '+14155552671', '{}', 'pending',"
            " 'entering', 0, 0)");
    EXPECT_EQ(raw_sql(path,
                      "SELECT l.workflow_seq = w.seq AND w.seq > 2 FROM leads l"
                      " JOIN workflows w ON w.id = l.workflow_id WHERE l.id = 'wlead_5'"),
              std::vector<std::string>{"1"});
    EXPECT_EQ(history_labels(store, "wlead_1"),
              (std::vector<std::string>{"row 0", "row 3", "row 6"}));
    EXPECT_EQ(history_labels(store, "wlead_2"),
              (std::vector<std::string>{"row 1", "row 4", "row 7"}));
    EXPECT_EQ(history_labels(store, "wlead_3"),
              (std::vector<std::string>{"row 2", "row 5", "row 8"}));
    EXPECT_TRUE(history_labels(store, "wlead_4").empty());  // a lead without history
    EXPECT_TRUE(history_labels(store, "wlead_none").empty());

    Status st = store.transact([&](StoreTx& tx) {
        const HistoryEntry h = history_entry("after");
        if (Status x = tx.append_history("wlead_1", h); !x) return x;
        if (Status x = tx.append_history("wlead_3", h); !x) return x;
        if (Status x = tx.append_history("wlead_4", h); !x) return x;
        EXPECT_EQ(tx.append_history("wlead_none", h).code(), StatusCode::kNotFound);
        return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.message();
    EXPECT_EQ(history_labels(store, "wlead_1"),
              (std::vector<std::string>{"row 0", "row 3", "row 6", "after"}));
    // The scheduler's appends extend the same chains, mixed with the API's form in one
    // transaction and without the lead being saved afterwards.
    st = store.live_transact([&](StoreTx& tx) {
        const std::string live = to_json(history_entry("live")).dump();
        if (Status x = tx.live_append_history("wlead_1", live); !x) return x;
        if (Status x = tx.append_history("wlead_1", history_entry("api")); !x) return x;
        return tx.live_append_history("wlead_4", live);
    });
    ASSERT_TRUE(st.is_ok()) << st.message();
    EXPECT_EQ(history_labels(store, "wlead_1"),
              (std::vector<std::string>{"row 0", "row 3", "row 6", "after", "live", "api"}));

    // The phases found through the partial indexes that replaced the index of every phase.
    st = store.read([&](StoreTx& tx) {
        EXPECT_EQ(tx.count_leads_in_phases("wf_1", {Phase::kInCall, Phase::kInAction}).value(), 1);
        EXPECT_EQ(tx.count_leads_in_phases("wf_1", {Phase::kStuck}).value(), 1);
        EXPECT_EQ(tx.count_leads_in_phases("wf_1", {Phase::kEntering, Phase::kStuck}).value(), 1);
        EXPECT_EQ(tx.count_leads_in_phases("wf_2", {Phase::kInCall}).value(), 0);
        return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.message();
    EXPECT_EQ(raw_sql(path,
                      "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN"
                      " ('history_by_lead', 'leads_by_workflow_phase', 'leads_in_call',"
                      " 'leads_in_action', 'leads_stuck') ORDER BY name"),
              (std::vector<std::string>{"leads_in_action", "leads_in_call", "leads_stuck"}));
    // The scheduler counts the calls in flight of a workflow once per batch (tens of thousands
    // with a backlog): from the index alone, without reading the lead rows.
    EXPECT_EQ(raw_sql(path,
                      "EXPLAIN QUERY PLAN SELECT count(*) FROM leads INDEXED BY leads_in_call"
                      " WHERE workflow_id = 'wf_1' AND phase = 'in_call' AND status = 'active'",
                      3),
              std::vector<std::string>{
                  "SEARCH leads USING COVERING INDEX leads_in_call (workflow_id=? AND status=? AND "
                  "phase=?)"});

    st = store.transact([](StoreTx& tx) { return tx.delete_workflow("wf_1"); });
    ASSERT_TRUE(st.is_ok()) << st.message();
    EXPECT_EQ(history_labels(store, "wlead_3"),
              (std::vector<std::string>{"row 2", "row 5", "row 8", "after"}));
    EXPECT_EQ(history_labels(store, "wlead_4"), (std::vector<std::string>{"after", "live"}));
    EXPECT_EQ(raw_sql(path, "SELECT count(*) FROM history"), std::vector<std::string>{"6"});
}

TEST(SqliteStore, LeadVersionsReadsAPagesLeadsByIdWithoutWalkingTheWorkflow) {
    // The lead view asks where each lead of a page runs once a publish has left running leads
    // on older versions (docs/versions.md): it used to walk every lead of the workflow through
    // leads_by_workflow, 140 ms a page at 100,000 leads (bench/publish.sh).
    TempDir dir;
    const std::string path = dir.path() + "/v.db";
    auto s = open_sqlite_store(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
    Store& store = *s.value();
    ASSERT_TRUE(
        seed(store, {{"wf_1", {"wlead_1", "wlead_2", "wlead_3"}}, {"wf_2", {"wlead_4"}}}).is_ok());
    raw_sql(path, "UPDATE leads SET version = 1, version_seen = 2 WHERE id = 'wlead_1'");
    raw_sql(path, "UPDATE leads SET version = 2 WHERE id IN ('wlead_2', 'wlead_4')");
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> found;
    Status st = store.read([&](StoreTx& tx) {
        auto v = tx.lead_versions("wf_1", {"wlead_1", "wlead_2", "wlead_3", "wlead_4", "x"});
        if (v.ok()) found = v.value();
        return v.status();
    });
    ASSERT_TRUE(st.is_ok()) << st.message();
    EXPECT_EQ(found, (std::map<std::string, std::pair<std::int64_t, std::int64_t>>{
                         {"wlead_1", {1, 2}}, {"wlead_2", {2, 2}}}))
        << "started leads of wf_1 only; version_seen defaults to the version";
    EXPECT_EQ(raw_sql(path,
                      "EXPLAIN QUERY PLAN SELECT id, version, coalesce(version_seen, version)"
                      " FROM leads WHERE id IN (SELECT value FROM json_each(?2))"
                      " AND +workflow_id = ?1 AND version IS NOT NULL",
                      3)
                  .at(0),
              "SEARCH leads USING INDEX sqlite_autoindex_leads_1 (id=?)");
}

TEST(SqliteStore, ApiCommitsLeaveCheckpointsToTheBackgroundThreadAndTheLogStillRestarts) {
    // An API commit never copies the WAL back itself (that stalled requests for hundreds of
    // milliseconds): past 1.5 times kSqliteCheckpointPages it asks the background thread, and
    // the first write after that checkpoint restarts the log instead of growing it.
    TempDir dir;
    const std::string path = dir.path() + "/c.db";
    auto s = open_sqlite_store(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
    Store& store = *s.value();
    ASSERT_TRUE(seed(store, {{"wf_1", {"wlead_1"}}}).is_ok());
    const HistoryEntry h = history_entry(std::string(3900, 'x'));  // about one page per row
    const int rows_per_tx = 200;
    auto write_tx = [&] {
        return store.transact([&](StoreTx& tx) {
            for (int i = 0; i < rows_per_tx; ++i) {
                if (Status x = tx.append_history("wlead_1", h); !x) return x;
            }
            return Status::ok();
        });
    };
    const int txs = kSqliteCheckpointPages * 3 / 2 / rows_per_tx + 2;
    for (int t = 0; t < txs; ++t) ASSERT_TRUE(write_tx().is_ok());
    // How far the log grew depends on how fast the background pass ran beside the burst (on a
    // slow or loaded machine it may keep up); that it was asked at all (counts.background below)
    // shows the log passed 1.5 times kSqliteCheckpointPages.
    // Writes as requests come: each waits for the background checkpoint asked for by the
    // commits before it (a pass that ran beside the burst leaves its last frames to the next).
    constexpr int kMaxExtra = 10;
    int extra = 0;
    for (; extra < kMaxExtra; ++extra) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (sqlite_checkpoint_counts(store).background_running &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        ASSERT_TRUE(write_tx().is_ok());
        if (sqlite_checkpoint_counts(store).log_pages < 2 * rows_per_tx) break;
    }
    const auto counts = sqlite_checkpoint_counts(store);
    EXPECT_LT(extra, kMaxExtra) << "the log did not restart: " << counts.log_pages << " pages";
    EXPECT_GE(counts.background, 1);
    EXPECT_EQ(counts.writer, 0);
    EXPECT_EQ(counts.scheduler, 0);
    const int written = txs + std::min(extra + 1, kMaxExtra);
    EXPECT_EQ(raw_sql(path, "SELECT count(*) FROM history"),
              std::vector<std::string>{std::to_string(written * rows_per_tx)});
}

TEST(SqliteStore, AWriteBlockedByAnotherProcessGoesOnWithinMillisecondsOfTheRelease) {
    // Another program holds the write lock for 245 ms. SQLite's default busy timeout would try
    // again only at 328 ms (sleeps of 1, 2, 5, ... 100 ms); the store's connections retry
    // every millisecond.
    TempDir dir;
    const std::string path = dir.path() + "/b.db";
    auto s = open_sqlite_store(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
    Store& store = *s.value();
    ASSERT_TRUE(seed(store, {{"wf_1", {"wlead_1"}}}).is_ok());
    std::atomic<bool> locked{false};
    using Clock = std::chrono::steady_clock;
    Clock::time_point released;
    std::thread other([&] {
        sqlite3* db = nullptr;
        EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        EXPECT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        locked = true;  // also after a failure above: the test then fails instead of hanging
        std::this_thread::sleep_for(std::chrono::milliseconds(245));
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        released = Clock::now();
        sqlite3_close(db);
    });
    while (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    Status st = store.transact(
        [](StoreTx& tx) { return tx.append_history("wlead_1", history_entry("after the lock")); });
    const Clock::time_point done = Clock::now();
    other.join();
    ASSERT_TRUE(st.is_ok()) << st.message();
    const auto late = std::chrono::duration_cast<std::chrono::milliseconds>(done - released);
    EXPECT_LT(late.count(), 60) << "went on " << late.count() << " ms after the release";
    EXPECT_EQ(history_labels(store, "wlead_1"), std::vector<std::string>{"after the lock"});
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
        auto page = tx.list_leads("wf_1", LeadQuery{{LeadStatus::kActive}, {}, 1, 3, {}});
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

std::vector<LeadRecord> numbered_leads(int first, int n) {
    std::vector<LeadRecord> leads(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        leads[i].lead.id = "wlead_" + std::to_string(first + i);
        leads[i].lead.workflow_id = "wf_1";
        leads[i].lead.phone_number = "+1415555" + std::to_string(1000 + first + i);
    }
    return leads;
}

// Readers run on their own connections while transactions and WAL checkpoints go on: no read
// may fail, and each read sees one snapshot (counts and rows agree, whole transactions only).
TEST(SqliteStore, ConcurrentReadersDuringWritesAndCheckpointsNeverFail) {
    TempDir dir;
    const std::string path = dir.path() + "/concurrent.db";
    auto opened = open_sqlite_store(path);
    ASSERT_TRUE(opened.ok());
    Store& store = *opened.value();
    ASSERT_TRUE(store.transact([](StoreTx& tx) {
        tx.ensure_organization("acme", "org_1", 1);
        return tx.insert_workflow(sample_workflow("org_1"));
    }));

    constexpr int kBatches = 100, kBatchSize = 10, kReaders = 4;
    std::atomic<bool> done{false};
    std::atomic<int> write_failures{0}, read_failures{0}, inconsistent{0}, reads{0};
    std::vector<std::string> errors;
    std::mutex errors_mu;
    auto note = [&](const std::string& e) {
        std::lock_guard<std::mutex> lock(errors_mu);
        if (errors.size() < 5) errors.push_back(e);
    };

    std::thread writer([&] {
        for (int b = 0; b < kBatches; ++b) {
            Status st = store.transact([&](StoreTx& tx) {
                if (Status x = tx.insert_leads(numbered_leads(b * kBatchSize, kBatchSize)); !x)
                    return x;
                auto moved = tx.transition_leads("wf_1", {LeadStatus::kPending},
                                                 LeadStatus::kActive, std::nullopt, 2);
                return moved.status();
            });
            if (!st) {
                ++write_failures;
                note("write: " + st.message());
            }
        }
        done = true;
    });
    // Checkpoints that reset the WAL under the readers' feet.
    std::thread checkpointer([&] {
        sqlite3* db = nullptr;
        if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return;
        sqlite3_busy_timeout(db, 5000);
        while (!done) {
            sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        sqlite3_close(db);
    });
    std::vector<std::thread> readers;
    for (int r = 0; r < kReaders; ++r) {
        readers.emplace_back([&] {
            std::int64_t last = 0;
            while (!done) {
                Status st = store.read([&](StoreTx& tx) {
                    auto w = tx.get_workflow("org_1", "wf_1");
                    if (!w.ok()) return w.status();
                    auto counts = tx.workflow_counts("wf_1");
                    if (!counts.ok()) return counts.status();
                    auto rows = tx.leads_where("wf_1", all_lead_statuses(), {});
                    if (!rows.ok()) return rows.status();
                    LeadQuery q;
                    q.limit = 100;
                    auto page = tx.list_leads("wf_1", q);
                    if (!page.ok()) return page.status();
                    const auto n = static_cast<std::int64_t>(rows->size());
                    if (counts->enrolled_leads != n || page->total != n || n % kBatchSize != 0 ||
                        n < last || counts->lead_counts.at(LeadStatus::kActive) != n) {
                        ++inconsistent;
                        note("snapshot: rows " + std::to_string(n) + ", counted " +
                             std::to_string(counts->enrolled_leads) + ", page total " +
                             std::to_string(page->total));
                    }
                    last = n;
                    return Status::ok();
                });
                ++reads;
                if (!st) {
                    ++read_failures;
                    note("read: " + st.message());
                }
            }
        });
    }
    writer.join();
    checkpointer.join();
    for (auto& t : readers) t.join();

    EXPECT_EQ(write_failures.load(), 0);
    EXPECT_EQ(read_failures.load(), 0);
    EXPECT_EQ(inconsistent.load(), 0);
    EXPECT_GT(reads.load(), kReaders);
    for (const auto& e : errors) ADD_FAILURE() << e;
    // Everything written is visible to a read that starts afterwards.
    ASSERT_TRUE(store.read([](StoreTx& tx) {
        auto counts = tx.workflow_counts("wf_1");
        EXPECT_EQ(counts->enrolled_leads, kBatches * kBatchSize);
        return Status::ok();
    }));
}

// A read that ends with an exception must not leave its connection inside an old snapshot: the
// next reads see later commits.
TEST(SqliteStore, AReadEndedByAnExceptionDoesNotKeepAStaleSnapshot) {
    TempDir dir;
    auto opened = open_sqlite_store(dir.path() + "/throw.db");
    ASSERT_TRUE(opened.ok());
    Store& store = *opened.value();
    ASSERT_TRUE(store.transact([](StoreTx& tx) {
        tx.ensure_organization("acme", "org_1", 1);
        return tx.insert_workflow(sample_workflow("org_1"));
    }));
    EXPECT_THROW(store.read([](StoreTx& tx) -> Status {
        auto counts = tx.workflow_counts("wf_1");
        if (counts.ok()) throw std::runtime_error("handler failed");
        return counts.status();
    }),
                 std::runtime_error);
    ASSERT_TRUE(store.transact([](StoreTx& tx) { return tx.insert_leads(numbered_leads(0, 3)); }));
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(store.read([](StoreTx& tx) {
            EXPECT_EQ(tx.workflow_counts("wf_1")->enrolled_leads, 3);
            return Status::ok();
        }));
    }
}

// ":memory:" has no second connection to read from: reads share the writer's.
TEST(SqliteStore, InMemoryDatabaseReadsWhatWasWritten) {
    auto opened = open_sqlite_store(":memory:");
    ASSERT_TRUE(opened.ok());
    Store& store = *opened.value();
    ASSERT_TRUE(store.transact([](StoreTx& tx) {
        tx.ensure_organization("acme", "org_1", 1);
        return tx.insert_workflow(sample_workflow("org_1"));
    }));
    ASSERT_TRUE(store.read([](StoreTx& tx) {
        auto w = tx.get_workflow("org_1", "wf_1");
        EXPECT_TRUE(w.ok()) << w.status().message();
        return Status::ok();
    }));
}

// Lead variables come back as written whatever their text (escapes, non-ASCII, empty), and
// stored text of another shape (spacing, non-string members, repeated names) reads as the JSON
// parser reads it.
TEST(SqliteStore, LeadVariablesReadBackWhateverTheirStoredText) {
    TempDir dir;
    const std::string path = dir.path() + "/vars.db";
    auto opened = open_sqlite_store(path);
    ASSERT_TRUE(opened.ok());
    Store& store = *opened.value();
    const std::vector<std::map<std::string, std::string>> written = {
        {},
        {{"city", "Pune, MH"}, {"first_name", "Lead 1"}},
        {{"quote", "say \"hi\""}, {"back\\slash", "a\\b"}, {"ctl", "tab\tnl\n"}},
        {{"name", "Zoë"}, {"emoji", "😀"}},
        {{"", ""}, {"empty", ""}},
    };
    ASSERT_TRUE(store.transact([&](StoreTx& tx) {
        tx.ensure_organization("acme", "org_1", 1);
        if (Status x = tx.insert_workflow(sample_workflow("org_1")); !x) return x;
        auto leads = numbered_leads(0, static_cast<int>(written.size()) + 4);
        for (std::size_t i = 0; i < written.size(); ++i) leads[i].lead.variables = written[i];
        return tx.insert_leads(leads);
    }));
    // Stored text in other shapes, as another writer could have left it.
    const std::vector<std::pair<std::string, std::map<std::string, std::string>>> raw = {
        {R"( { "a" : "1" , "b":"2" } )", {{"a", "1"}, {"b", "2"}}},
        {R"({"n":1,"s":"x","t":true,"o":{"k":"v"},"z":null})", {{"s", "x"}}},
        {R"({"a":"first","a":"last"})", {{"a", "last"}}},
        {R"({"esc":"\u0041\n"})", {{"esc", "A\n"}}},
    };
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        sqlite3_stmt* st = nullptr;
        ASSERT_EQ(
            sqlite3_prepare_v2(db, "UPDATE leads SET variables = ? WHERE id = ?", -1, &st, nullptr),
            SQLITE_OK);
        const std::string id = "wlead_" + std::to_string(written.size() + i);
        sqlite3_bind_text(st, 1, raw[i].first.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, id.c_str(), -1, SQLITE_TRANSIENT);
        EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    ASSERT_TRUE(store.read([&](StoreTx& tx) {
        LeadQuery q;
        q.limit = 100;
        auto page = tx.list_leads("wf_1", q);
        EXPECT_TRUE(page.ok()) << page.status().message();
        if (!page.ok()) return Status::ok();
        EXPECT_EQ(page->items.size(), written.size() + raw.size());
        for (std::size_t i = 0; i < page->items.size(); ++i) {
            const auto& want = i < written.size() ? written[i] : raw[i - written.size()].second;
            EXPECT_EQ(page->items[i].variables, want) << "lead " << i;
            auto one = tx.get_lead("wf_1", page->items[i].id);
            EXPECT_EQ(one->lead.variables, want) << "lead " << i;
        }
        return Status::ok();
    }));
}

// API keys stay verified in memory only while nothing has committed: a commit by this store's
// writer or by another process (the `keys` commands) must change the counter.
TEST(SqliteStore, CommitCounterChangesWithEveryCommitFromAnyConnection) {
    TempDir dir;
    const std::string path = dir.path() + "/a.db";
    auto s = open_sqlite_store(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
    Store& store = *s.value();
    const auto first = store.commit_counter();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(store.commit_counter(), first) << "no commit in between";
    ASSERT_TRUE(store.transact(
        [](StoreTx& tx) { return tx.ensure_organization("counter", "org_counter", 1).status(); }));
    const auto after_writer = store.commit_counter();
    EXPECT_NE(after_writer, first);
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(other, "UPDATE organizations SET name = 'renamed'", nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(other);
    EXPECT_NE(store.commit_counter(), after_writer) << "a commit by another process";
}

}  // namespace
}  // namespace leadflow::server
