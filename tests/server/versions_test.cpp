// Workflow versions (docs/versions.md) through the HTTP API with a live scheduler: edits of a
// running workflow never strand a lead, the scheduler is fair between workflows, calls in
// flight always finish, and the version routes (publish, dry run, list, read, diff, restore).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "live_test_util.hpp"

namespace leadflow::server::testing {
namespace {

constexpr TimeMs kMinute = 60 * 1000;
constexpr TimeMs kHour = 60 * kMinute;

class Versions : public LiveTest {
  protected:
    std::string versions_path(const std::string& wf) { return "/v1/workflows/" + wf + "/versions"; }
    // Runs one SQL statement on the database file behind the server's back.
    void raw_sql(const std::string& sql) {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
        char* err = nullptr;
        int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
        EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
        sqlite3_free(err);
        sqlite3_close(db);
    }
    // Saves to the draft only (?publish=false) a second TIME hold of `hours` after the wait of
    // the last wait_workflow: wait → wait2 → won. Returns wait2's id ("" after a failure).
    std::string draft_second_wait(const std::string& wf, const std::string& label, int hours) {
        const std::string wait = nodes_[0], won = nodes_[1];
        Response n =
            send("POST", "/v1/workflows/" + wf + "/nodes?publish=false",
                 Json{{"node_type", "TIME"},
                      {"label", label},
                      {"config", Json{{"duration_value", hours}, {"duration_unit", "hours"}}}}
                     .dump());
        EXPECT_EQ(n.status, 201) << n.body;
        if (n.status != 201) return "";
        const std::string wait2 = body_of(n)["id"].get<std::string>();
        Json edges = body_of(get("/v1/workflows/" + wf + "/edges"))["data"];
        EXPECT_EQ(send("DELETE", "/v1/workflows/" + wf + "/edges/" +
                                     edges[0]["id"].get<std::string>() + "?publish=false")
                      .status,
                  200);
        for (const auto& [from, to] : {std::pair{wait, wait2}, std::pair{wait2, won}}) {
            Response e = send("POST", "/v1/workflows/" + wf + "/edges?publish=false",
                              Json{{"from_node_id", from}, {"to_node_id", to}}.dump());
            EXPECT_EQ(e.status, 201) << e.body;
            EXPECT_EQ(header_of(e, "X-Leadflow-Published"), "false");
        }
        return wait2;
    }
    int count_rows(const Json& hist, const std::string& key, const std::string& value) {
        int n = 0;
        for (const auto& h : hist) n += h.contains(key) && h[key] == value;
        return n;
    }
};

// A client that adds a node to a running workflow before its edges
// (docs/versions.md#lifecycle-and-edits-of-a-running-workflow): the draft then has a node that
// nothing reaches, so it is not published; every lead keeps running on version 1.
TEST_F(Versions, AnEditThatBreaksTheGraphKeepsEveryLeadMoving) {
    std::string wf = simple_call_workflow("COMPLETED");
    enrol(wf, 300);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(10);
    Response r = post("/v1/workflows/" + wf + "/nodes",
                      Json{{"node_type", "VOICE_CALL"}, {"label", "Second call"}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(header_of(r, "X-Leadflow-Published"), "false");
    Json w = workflow(wf);
    EXPECT_EQ(w["status"], "active");
    EXPECT_EQ(w["published_version"], 1);
    ASSERT_FALSE(w["problems"].empty());
    EXPECT_EQ(w["problems"][0]["source"], "draft");
    Response m = get("/metrics");
    ASSERT_EQ(m.status, 200);
    EXPECT_NE(m.body.find("leadflow_workflows_with_problems 1"), std::string::npos) << m.body;
    EXPECT_NE(m.body.find("leadflow_workflow_problems{code=\""), std::string::npos);
    ASSERT_TRUE(run_until_status(wf, "completed", kMinute, 20));
    EXPECT_EQ(workflow(wf)["lead_counts"]["completed"], 300);
}

// A client building a graph node by node on an active workflow passes through drafts that do
// not validate (saved, not published) until the edit that makes it valid publishes with move.
TEST_F(Versions, TheEditThatMakesTheDraftValidPublishesIt) {
    std::string wf = wait_workflow(10);
    auto ids = enrol(wf, 3);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(10);
    Response n = post("/v1/workflows/" + wf + "/nodes",
                      Json{{"node_type", "TIME"},
                           {"label", "Cool down"},
                           {"config", Json{{"duration_value", 1}, {"duration_unit", "hours"}}}});
    ASSERT_EQ(n.status, 201) << n.body;
    EXPECT_EQ(header_of(n, "X-Leadflow-Published"), "false");
    const std::string cool = body_of(n)["id"].get<std::string>();
    Json edges = body_of(get("/v1/workflows/" + wf + "/edges"))["data"];
    Response e = del("/v1/workflows/" + wf + "/edges/" + edges[0]["id"].get<std::string>());
    ASSERT_EQ(e.status, 200);
    EXPECT_EQ(header_of(e, "X-Leadflow-Published"), "false");
    e = post("/v1/workflows/" + wf + "/edges",
             Json{{"from_node_id", nodes_[0]}, {"to_node_id", cool}});
    ASSERT_EQ(e.status, 201) << e.body;
    EXPECT_EQ(header_of(e, "X-Leadflow-Published"), "false");
    EXPECT_FALSE(workflow(wf)["problems"].empty());
    e = post("/v1/workflows/" + wf + "/edges",
             Json{{"from_node_id", cool}, {"to_node_id", nodes_[1]}});
    ASSERT_EQ(e.status, 201) << e.body;
    EXPECT_EQ(header_of(e, "X-Leadflow-Published"), "true");
    Json w = workflow(wf);
    EXPECT_EQ(w["published_version"], 2);
    EXPECT_TRUE(w["problems"].empty());
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/versions/2"))["version"]["migrate"], "move");
    // The waiting leads moved: after their 10 h they cool down for 1 h, then win.
    advance(10 * kHour);
    for (const auto& id : ids) {
        Json l = lead(wf, id);
        EXPECT_EQ(l["version"], 2);
        EXPECT_EQ(l["current_node_id"], cool);
    }
    ASSERT_TRUE(run_until_status(wf, "completed", kHour, 3));
}

// One workflow's backlog (hundreds of leads to start, then hundreds of timers due at once) does
// not delay another workflow's single lead: every batch serves every workflow.
TEST_F(Versions, OneWorkflowsBacklogDoesNotDelayAnother) {
    live_config_.batch = 8;
    restart_live();
    std::string busy = wait_workflow(1);
    enrol(busy, 1000);
    std::string quiet = wait_workflow(1);
    const std::string quiet_won = nodes_[1];
    auto quiet_lead = enrol(quiet, 1);
    ASSERT_EQ(post("/v1/workflows/" + busy + "/activate", Json()).status, 200);
    ASSERT_EQ(post("/v1/workflows/" + quiet + "/activate", Json()).status, 200);
    advance(10);
    // 1000 leads to start are 125 batches of 8: the quiet lead started in the first tick.
    Json l = lead(quiet, quiet_lead[0]);
    EXPECT_EQ(l["execution"]["phase"], "waiting") << l.dump();
    EXPECT_EQ(l["version"], 1);
    // Until every busy lead has started, both workflows' timers are not yet due.
    while (workflow(busy)["lead_counts"]["active"] != 1000 ||
           !body_of(get("/v1/workflows/" + busy + "/leads?limit=1&page=1000"))["data"][0].contains(
               "version")) {
        advance(10);
    }
    // Every timer is now due at once (1000 busy ones, due no later than the quiet one): the quiet
    // lead completes in the first tick all the same.
    advance(kHour);
    l = lead(quiet, quiet_lead[0]);
    EXPECT_EQ(l["status"], "completed");
    EXPECT_EQ(l["current_node_id"], quiet_won);
    EXPECT_LT(workflow(busy)["lead_counts"]["completed"].get<int>(), 1000)
        << "the busy workflow's backlog is larger than a tick";
    ASSERT_TRUE(run_until_status(busy, "completed", 10, 100));
}

// A version that cannot run (stored before publishing checked graphs) parks its leads with one
// history row and a problem on the workflow, while another workflow keeps its timer lag; a
// publish with `move` takes the parked leads to a version that runs.
TEST_F(Versions, AVersionThatCannotRunParksItsLeadsUntilAPublishMovesThem) {
    if (on_postgres()) GTEST_SKIP() << "breaks a stored version in the SQLite file";
    live_config_.batch = 8;
    restart_live();
    std::string broken = wait_workflow(1);
    const std::string won = nodes_[1];
    auto parked = enrol(broken, 40);  // 5 batches
    std::string healthy = wait_workflow(1);
    auto fine = enrol(healthy, 3);
    ASSERT_EQ(post("/v1/workflows/" + broken + "/activate", Json()).status, 200);
    ASSERT_EQ(post("/v1/workflows/" + healthy + "/activate", Json()).status, 200);
    advance(10);
    ASSERT_EQ(lead(broken, parked[39])["execution"]["phase"], "waiting");
    // Version 1's edge now leads nowhere: it cannot compile.
    scheduler_.reset();
    raw_sql("UPDATE workflow_versions SET graph = replace(graph, '\"to_node_id\":\"" + won +
            "\"', '\"to_node_id\":\"node_gone\"') WHERE workflow_id = '" + broken + "'");
    restart_live();
    advance(kHour);
    advance(10);
    for (const auto& id : fine) EXPECT_EQ(lead(healthy, id)["status"], "completed");
    Json w = workflow(broken);
    ASSERT_EQ(w["problems"].size(), 1u) << w.dump();
    EXPECT_EQ(w["problems"][0]["code"], "VERSION_CANNOT_RUN");
    EXPECT_EQ(w["problems"][0]["version"], 1);
    for (const auto& id : parked) {
        Json l = lead(broken, id);
        EXPECT_EQ(l["status"], "active");
        EXPECT_EQ(l["execution"]["phase"], "stuck");
        EXPECT_EQ(count_rows(history(broken, id), "reason", "version_cannot_run"), 1);
    }
    EXPECT_EQ(advance(kHour), 0) << "parked leads are not due again";
    // A `keep` publish leaves them on version 1: still listed once they are parked again.
    Response k = post("/v1/workflows/" + broken + "/publish", Json{{"migrate", "keep"}});
    ASSERT_EQ(k.status, 201) << k.body;
    advance(10);
    w = workflow(broken);
    ASSERT_EQ(w["problems"].size(), 1u) << w.dump();
    EXPECT_EQ(w["problems"][0]["code"], "VERSION_CANNOT_RUN");
    EXPECT_EQ(lead(broken, parked[0])["execution"]["phase"], "stuck");
    // The draft still has the good graph: publishing it with move frees every parked lead, and
    // the problem goes with them.
    Response p = post("/v1/workflows/" + broken + "/publish", Json{{"migrate", "move"}});
    ASSERT_EQ(p.status, 201) << p.body;
    EXPECT_EQ(body_of(p)["leads"]["move"], 40);
    ASSERT_TRUE(run_until_status(broken, "completed", 10, 20));
    for (const auto& id : parked) EXPECT_EQ(lead(broken, id)["version"], 3);
    EXPECT_EQ(workflow(broken)["problems"], Json::array());
}

// Pause, fix the graph, resume: the leads that were stuck move on (resume publishes the draft).
TEST_F(Versions, PauseEditResumeReevaluatesStuckLeads) {
    std::string wf = simple_call_workflow("BUSY");
    // make_valid_graph routes COMPLETED → won and NO_ANSWER … → lost; BUSY has no edge? Make
    // sure the call has only a COMPLETED edge.
    Json edges = body_of(get("/v1/workflows/" + wf + "/edges"))["data"];
    for (const auto& e : edges) {
        if (e["label"] != "COMPLETED") {
            ASSERT_EQ(del("/v1/workflows/" + wf + "/edges/" + e["id"].get<std::string>()).status,
                      200);
        }
    }
    ASSERT_EQ(patch("/v1/workflows/" + wf, Json{{"entry_node_id", nodes_[0]}}).status, 200);
    auto ids = enrol(wf, 3);
    Response act = post("/v1/workflows/" + wf + "/activate", Json());
    ASSERT_EQ(act.status, 200) << act.body;
    advance(10);
    advance(kMinute);
    ASSERT_EQ(lead(wf, ids[0])["execution"]["phase"], "stuck");
    ASSERT_EQ(post("/v1/workflows/" + wf + "/pause", Json()).status, 200);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/edges",
                   Json{{"from_node_id", nodes_[0]}, {"to_node_id", nodes_[2]}, {"label", "BUSY"}})
                  .status,
              201);
    EXPECT_EQ(workflow(wf)["published_version"], 1) << "a paused workflow's edit is a draft";
    advance(kMinute);
    EXPECT_EQ(lead(wf, ids[0])["execution"]["phase"], "stuck") << "paused";
    Response resumed = post("/v1/workflows/" + wf + "/resume", Json());
    ASSERT_EQ(resumed.status, 200) << resumed.body;
    EXPECT_EQ(body_of(resumed)["published_version"], 2);
    advance(10);
    for (const auto& id : ids) {
        Json l = lead(wf, id);
        EXPECT_EQ(l["status"], "dropped");
        EXPECT_EQ(l["version"], 2);
    }
}

// Deleting the node a lead is calling from (or replacing the whole graph) does not discard the
// call: the lead runs on version 1, which keeps the node; the result is recorded and applied.
TEST_F(Versions, ACallInFlightFinishesWhenItsNodeIsDeleted) {
    std::string wf;
    std::vector<std::string> ids;
    ASSERT_NO_FATAL_FAILURE(start_webhook_calls(2, &wf, &ids));
    ASSERT_EQ(post("/v1/workflows/" + wf + "/pause", Json()).status, 200);
    ASSERT_EQ(put("/v1/workflows/" + wf + "/graph",
                  Json{{"nodes", Json::array({Json{{"id", "x"}, {"node_type", "DROPPED"}}})},
                       {"edges", Json::array()}})
                  .status,
              200);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/resume", Json()).status, 200);
    for (const auto& id : ids) {
        Json call = body_of(get("/v1/calls?lead_id=" + id))["data"][0];
        ASSERT_EQ(call["status"], "in_progress");
        Response r = post_call_result(call["id"].get<std::string>(),
                                      R"({"status":"completed","duration_s":12})", "s3cret");
        ASSERT_EQ(r.status, 200) << r.body;
    }
    advance(10);
    for (const auto& id : ids) {
        Json l = lead(wf, id);
        EXPECT_EQ(l["status"], "completed");
        EXPECT_EQ(l["version"], 1);
        EXPECT_EQ(l["current_node_id"], nodes_[1]);
        Json call = body_of(get("/v1/calls?lead_id=" + id))["data"][0];
        EXPECT_EQ(call["status"], "completed");
        EXPECT_EQ(call["outcome"], "COMPLETED");
        EXPECT_EQ(count_rows(history(wf, id), "status", "stuck"), 0);
    }
}

// A removed lead's call in flight keeps its slot until the call ends.
TEST_F(Versions, ARemovedLeadsCallCountsAgainstTheLimitUntilItEnds) {
    std::string wf = simple_call_workflow("COMPLETED", Json{{"max_concurrent_calls", 1}});
    auto ids = enrol(wf, 2);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(10);
    ASSERT_EQ(lead(wf, ids[0])["execution"]["phase"], "in_call");
    ASSERT_EQ(lead(wf, ids[1])["execution"]["phase"], "queued");
    ASSERT_EQ(del("/v1/workflows/" + wf + "/leads/" + ids[0]).status, 200);
    advance(10 * 1000);
    EXPECT_EQ(lead(wf, ids[1])["execution"]["phase"], "queued")
        << "the removed lead's call is still in flight";
    advance(51 * 1000);  // the call ends (60 s)
    advance(10);
    EXPECT_EQ(lead(wf, ids[1])["execution"]["phase"], "in_call");
    ASSERT_TRUE(run_until_status(wf, "completed", kMinute, 5));
}

// A lead enrolled in a draft has no node until it starts, so changing the entry node (even
// deleting the old one) never writes anything on it; it starts at the entry it finds.
TEST_F(Versions, APendingLeadStartsAtTheEntryNodeOfItsVersion) {
    std::string wf = simple_call_workflow("COMPLETED");
    auto ids = enrol(wf, 1);
    EXPECT_TRUE(lead(wf, ids[0])["current_node_id"].is_null());
    std::string wait =
        make_node(wf, Json{{"node_type", "TIME"},
                           {"label", "Wait first"},
                           {"config", Json{{"duration_value", 1}, {"duration_unit", "hours"}}}});
    ASSERT_EQ(post("/v1/workflows/" + wf + "/edges",
                   Json{{"from_node_id", wait}, {"to_node_id", nodes_[0]}})
                  .status,
              201);
    ASSERT_EQ(patch("/v1/workflows/" + wf, Json{{"entry_node_id", wait}}).status, 200);
    EXPECT_TRUE(history(wf, ids[0]).empty());
    Json dry = body_of(post("/v1/workflows/" + wf + "/publish", Json{{"dry_run", true}}));
    EXPECT_EQ(dry["leads"]["not_started"], 1) << dry.dump();
    EXPECT_EQ(dry["version"], 1);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(10);
    Json l = lead(wf, ids[0]);
    EXPECT_EQ(l["current_node_id"], wait);
    EXPECT_EQ(l["version"], 1);
    Json h = history(wf, ids[0]);
    ASSERT_FALSE(h.empty());
    EXPECT_EQ(h[0]["node_id"], wait);
}

// Validation uses the engine's field parser: a condition on `call.foo` cannot be activated.
TEST_F(Versions, AConditionOnAnUnknownFieldIsAValidationError) {
    std::string wf = simple_call_workflow("COMPLETED");
    std::string cond =
        make_node(wf, Json{{"node_type", "CONDITIONAL"},
                           {"label", "Check"},
                           {"config", Json{{"conditions", Json::array({Json{{"field", "call.foo"},
                                                                            {"operator", "equals"},
                                                                            {"value", "x"}}})}}}});
    ASSERT_EQ(post("/v1/workflows/" + wf + "/edges",
                   Json{{"from_node_id", nodes_[0]}, {"to_node_id", cond}, {"label", "BUSY"}})
                  .status,
              201);
    Json report = body_of(post("/v1/workflows/" + wf + "/validate", Json()));
    bool found = false;
    for (const auto& e : report["errors"]) found = found || e["code"] == "INVALID_CONDITION_FIELD";
    EXPECT_TRUE(found) << report.dump();
    Response act = post("/v1/workflows/" + wf + "/activate", Json());
    EXPECT_EQ(act.status, 400) << act.body;
}

TEST_F(Versions, PublishDryRunListReadDiffAndRestore) {
    std::string wf = wait_workflow(1);
    const std::string wait = nodes_[0], won = nodes_[1];
    auto ids = enrol(wf, 5);
    // Nothing published yet.
    EXPECT_EQ(body_of(get(versions_path(wf)))["meta"]["total"], 0);
    EXPECT_EQ(get(versions_path(wf) + "/latest").status, 404);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(10);
    // Draft: a second wait before the win.
    const std::string wait2 = draft_second_wait(wf, "Second wait", 2);
    ASSERT_FALSE(wait2.empty());
    EXPECT_EQ(workflow(wf)["published_version"], 1);

    // Dry run: nothing changes; every running lead would move (its node is in the draft).
    Response dry =
        post("/v1/workflows/" + wf + "/publish", Json{{"migrate", "move"}, {"dry_run", true}});
    ASSERT_EQ(dry.status, 200) << dry.body;
    Json d = body_of(dry);
    EXPECT_EQ(d["valid"], true);
    EXPECT_EQ(d["version"], 2);
    EXPECT_EQ(d["leads"]["move"], 5);
    EXPECT_EQ(d["leads"]["stay"], 0);
    EXPECT_EQ(workflow(wf)["published_version"], 1);
    // With keep, everyone stays.
    d = body_of(post("/v1/workflows/" + wf + "/publish", Json{{"dry_run", true}}));
    EXPECT_EQ(d["leads"]["stay"], 5);
    EXPECT_EQ(d["leads"]["stay_by_version"], Json::array({Json{{"version", 1}, {"leads", 5}}}));
    // Bad bodies.
    EXPECT_EQ(post("/v1/workflows/" + wf + "/publish", Json{{"migrate", "teleport"}}).status, 400);
    EXPECT_EQ(
        post("/v1/workflows/" + wf + "/publish", Json{{"node_map", Json{{wait, "node_nope"}}}})
            .status,
        400);
    EXPECT_EQ(post("/v1/workflows/" + wf + "/publish", Json{{"dry_run", "yes"}}).status, 400);

    // Diff of version 1 and the draft: one node added, one edge removed, two added.
    Response df = get(versions_path(wf) + "/1/diff/draft");
    ASSERT_EQ(df.status, 200) << df.body;
    Json diff = body_of(df);
    EXPECT_EQ(diff["summary"]["nodes_added"], 1);
    EXPECT_EQ(diff["nodes"]["added"][0]["id"], wait2);
    EXPECT_EQ(diff["summary"]["edges_removed"], 1);
    EXPECT_EQ(diff["summary"]["edges_added"], 2);
    EXPECT_EQ(get(versions_path(wf) + "/1/diff/9").status, 404);
    EXPECT_EQ(get(versions_path(wf) + "/x/diff/draft").status, 400);

    // Publish for real.
    Response pub =
        post("/v1/workflows/" + wf + "/publish", Json{{"migrate", "move"}, {"note", "two waits"}});
    ASSERT_EQ(pub.status, 201) << pub.body;
    Json v = body_of(pub)["version"];
    EXPECT_EQ(v["number"], 2);
    EXPECT_EQ(v["note"], "two waits");
    EXPECT_EQ(v["migrate"], "move");
    EXPECT_EQ(v["current"], true);
    EXPECT_EQ(v["node_count"], 3);
    EXPECT_TRUE(v["published_by"].is_string());
    // The leads show version 2 at once; the scheduler moves them at their next step.
    for (const auto& id : ids) EXPECT_EQ(lead(wf, id)["version"], 2);
    Json page = body_of(get(versions_path(wf)));
    EXPECT_EQ(page["meta"]["total"], 2);
    EXPECT_EQ(page["data"][0]["number"], 2);
    EXPECT_EQ(page["data"][1]["number"], 1);
    EXPECT_EQ(page["data"][1]["current"], false);
    Json one = body_of(get(versions_path(wf) + "/1"));
    EXPECT_EQ(one["nodes"].size(), 2u);
    EXPECT_EQ(one["edges"].size(), 1u);
    EXPECT_EQ(body_of(get(versions_path(wf) + "/latest"))["version"]["number"], 2);
    EXPECT_EQ(get(versions_path(wf) + "/3").status, 404);
    EXPECT_EQ(get(versions_path(wf) + "/0").status, 400);

    // The moved leads wait 1 h (their timer was set on version 1), then 2 h, then win.
    advance(kHour);
    for (const auto& id : ids) EXPECT_EQ(lead(wf, id)["current_node_id"], wait2);
    ASSERT_TRUE(run_until_status(wf, "completed", kHour, 4));

    // Restore version 1 into the draft: the draft equals version 1 again; nothing published.
    Response rs = post(versions_path(wf) + "/1/restore", Json());
    ASSERT_EQ(rs.status, 409) << "a completed workflow's graph cannot change";
}

// A lead the API ends (removed, or its workflow cancelled) after a `move` publish stays on the
// version and node the publish put it on: the lead view, its history and its row agree.
TEST_F(Versions, ALeadEndedByTheApiAfterAMoveStaysWhereThePublishPutIt) {
    std::string wf = wait_workflow(1);
    const std::string wait = nodes_[0], won = nodes_[1];
    auto ids = enrol(wf, 3);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(10);
    // wait → wait2 → won, and the leads at `wait` go straight to wait2.
    const std::string wait2 = draft_second_wait(wf, "Longer wait", 3);
    ASSERT_FALSE(wait2.empty());
    Response pub = post("/v1/workflows/" + wf + "/publish",
                        Json{{"migrate", "move"}, {"node_map", Json{{wait, wait2}}}});
    ASSERT_EQ(pub.status, 201) << pub.body;
    for (const auto& id : ids) {
        Json l = lead(wf, id);
        EXPECT_EQ(l["version"], 2);
        EXPECT_EQ(l["current_node_id"], wait2);
    }
    ASSERT_EQ(send("DELETE", "/v1/workflows/" + wf + "/leads/" + ids[0]).status, 200);
    Json removed = lead(wf, ids[0]);
    EXPECT_EQ(removed["status"], "removed");
    EXPECT_EQ(removed["version"], 2);
    EXPECT_EQ(removed["current_node_id"], wait2);
    Json h = history(wf, ids[0]);
    ASSERT_FALSE(h.empty());
    EXPECT_EQ(h.back()["status"], "removed");
    EXPECT_EQ(h.back()["node_id"], wait2);
    EXPECT_EQ(h.back()["label"], "Longer wait");
    ASSERT_EQ(post("/v1/workflows/" + wf + "/cancel", Json()).status, 200);
    advance(4 * kHour);
    for (const auto& id : {ids[1], ids[2]}) {
        Json l = lead(wf, id);
        EXPECT_EQ(l["status"], "cancelled");
        EXPECT_EQ(l["version"], 2);
        EXPECT_EQ(l["current_node_id"], wait2);
        Json hc = history(wf, id);
        ASSERT_FALSE(hc.empty());
        EXPECT_EQ(hc.back()["status"], "cancelled");
        EXPECT_EQ(hc.back()["node_id"], wait2);
        EXPECT_EQ(hc.back()["label"], "Longer wait");
    }
    EXPECT_EQ(lead(wf, ids[0])["current_node_id"], wait2);
}

// A DialNexa client creates the workflow `active`, enrols leads, then adds nodes and edges one
// by one: the workflow lists its draft's problems and nothing runs until the edit that makes the
// graph valid publishes version 1; then the leads run.
TEST_F(Versions, AWorkflowCreatedActiveRunsFromTheEditThatMakesItValid) {
    Response c = post("/v1/workflows", Json{{"title", "Live at once"}, {"status", "active"}});
    ASSERT_EQ(c.status, 201) << c.body;
    Json w = body_of(c);
    const std::string wf = w["id"].get<std::string>();
    EXPECT_EQ(w["status"], "active");
    EXPECT_TRUE(w["published_version"].is_null()) << w.dump();
    EXPECT_FALSE(w["problems"].empty()) << "an empty graph cannot run";
    EXPECT_EQ(post("/v1/workflows", Json{{"title", "x"}, {"status", "paused"}}).status, 400);
    auto ids = enrol(wf, 3);
    advance(10);
    EXPECT_TRUE(lead(wf, ids[0])["current_node_id"].is_null()) << "nothing runs yet";
    Response wait = send("POST", "/v1/workflows/" + wf + "/nodes",
                         Json{{"node_type", "TIME"},
                              {"config", Json{{"duration_value", 1}, {"duration_unit", "hours"}}}}
                             .dump());
    ASSERT_EQ(wait.status, 201) << wait.body;
    EXPECT_EQ(header_of(wait, "X-Leadflow-Published"), "false");
    Response won =
        send("POST", "/v1/workflows/" + wf + "/nodes", Json{{"node_type", "CONVERTED"}}.dump());
    ASSERT_EQ(won.status, 201) << won.body;
    Response e = send(
        "POST", "/v1/workflows/" + wf + "/edges",
        Json{{"from_node_id", body_of(wait)["id"]}, {"to_node_id", body_of(won)["id"]}}.dump());
    ASSERT_EQ(e.status, 201) << e.body;
    EXPECT_EQ(header_of(e, "X-Leadflow-Published"), "true");
    w = workflow(wf);
    EXPECT_EQ(w["published_version"], 1);
    EXPECT_EQ(w["problems"], Json::array());
    ASSERT_TRUE(run_until_status(wf, "completed", kHour / 4, 40));
    for (const auto& id : ids) EXPECT_EQ(lead(wf, id)["status"], "completed");
}

TEST_F(Versions, RestoreReplacesTheDraftOnlyAndPublishingIsASeparateStep) {
    std::string wf = wait_workflow(1);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    ASSERT_EQ(
        patch("/v1/workflows/" + wf + "/nodes/" + nodes_[0], Json{{"label", "Renamed"}}).status,
        200);
    EXPECT_EQ(workflow(wf)["published_version"], 2);
    Response rs = post(versions_path(wf) + "/1/restore", Json());
    ASSERT_EQ(rs.status, 200) << rs.body;
    EXPECT_EQ(header_of(rs, "X-Leadflow-Published"), "false");
    EXPECT_EQ(body_of(rs)["restored"], 1);
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/nodes/" + nodes_[0]))["label"], "Wait");
    EXPECT_EQ(workflow(wf)["published_version"], 2);
    EXPECT_TRUE(body_of(get(versions_path(wf) + "/1/diff/draft"))["summary"]["empty"].get<bool>());
    Response pub = post("/v1/workflows/" + wf + "/publish", Json());
    ASSERT_EQ(pub.status, 201);
    EXPECT_EQ(body_of(pub)["version"]["number"], 3);
    EXPECT_EQ(body_of(pub)["version"]["migrate"], "keep");
}

}  // namespace
}  // namespace leadflow::server::testing
