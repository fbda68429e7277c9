// tests/server/versions_stats_test.cpp — publishing while thousands of leads run (in-process,
// fake clocks, sandbox calls): with `move` every running lead continues on the new version, with
// `keep` it finishes on its own, and a lead whose node the new version removed stays and
// finishes on the old one. Each population's converted share is compared with the exact
// analysis of the version it must have run on (within 4 standard errors), and every lead is
// audited: it ends once, and each of its calls is in the call log once, with its result.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "versions_test_util.hpp"

namespace leadflow::server::testing {
namespace {

using VersionsStats = VersionsTest;

TEST_F(VersionsStats, MoveWhileEveryLeadWaitsRunsThemAllOnTheNewVersion) {
    std::string wf = make_graph_workflow(one_call(24), versions_scenario());
    auto ids = enrol_fixed(wf, "wlead_move_", 2000);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(1);  // every lead starts and waits a day at n_wait
    expect_phase(wf, ids, "n_wait", "waiting");
    Json reply = publish(wf, with_retry(24), "move");
    EXPECT_EQ(reply["version"]["number"], 2);
    EXPECT_EQ(reply["leads"]["move"], 2000) << reply.dump();
    EXPECT_EQ(reply["leads"]["stay"], 0);
    // The API shows them on version 2 at once, before the scheduler rewrote any row.
    for (const auto& [id, l] : leads_now(wf)) {
        ASSERT_EQ(l["version"], 2) << l.dump();
        ASSERT_EQ(l["current_node_id"], "n_wait") << l.dump();
    }
    auto runs = finish_and_audit(wf);
    int retried = 0;
    for (const auto& [id, run] : runs) {
        EXPECT_EQ(run.version, 2) << id;
        retried += run.nodes.count("n_call2") > 0;
    }
    EXPECT_GT(retried, 0) << "leads took the new version's retry";
    expect_share(runs, ids, exact_converted(wf, 2), "move, version 2");
}

TEST_F(VersionsStats, KeepFinishesRunningLeadsOnTheirVersionAndStartsNewOnesOnTheNew) {
    std::string wf = make_graph_workflow(one_call(24), versions_scenario());
    auto before = enrol_fixed(wf, "wlead_keep_a_", 2000);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(1);
    expect_phase(wf, before, "n_wait", "waiting");
    Json reply = publish(wf, with_retry(24), "keep");
    EXPECT_EQ(reply["version"]["number"], 2);
    EXPECT_EQ(reply["leads"]["move"], 0) << reply.dump();
    EXPECT_EQ(reply["leads"]["stay"], 2000);
    auto after = enrol_fixed(wf, "wlead_keep_b_", 2000);
    advance(1);  // the new leads start on version 2
    auto leads = leads_now(wf);
    for (const auto& id : before) ASSERT_EQ(leads.at(id)["version"], 1) << leads.at(id).dump();
    for (const auto& id : after) ASSERT_EQ(leads.at(id)["version"], 2) << leads.at(id).dump();
    expect_phase(wf, after, "n_wait", "waiting");
    auto runs = finish_and_audit(wf);
    int retried = 0;
    for (const auto& id : before) {
        EXPECT_EQ(runs.at(id).version, 1) << id;
        EXPECT_EQ(runs.at(id).nodes.count("n_call2"), 0u) << id << " ran version 2's retry";
    }
    for (const auto& id : after) {
        EXPECT_EQ(runs.at(id).version, 2) << id;
        retried += runs.at(id).nodes.count("n_call2") > 0;
    }
    EXPECT_GT(retried, 0);
    expect_share(runs, before, exact_converted(wf, 1), "keep, running before: version 1");
    expect_share(runs, after, exact_converted(wf, 2), "keep, enrolled after: version 2");
}

TEST_F(VersionsStats, MoveLeavesLeadsOnARemovedNodeOnTheirVersionUntilTheyFinish) {
    std::string wf = make_graph_workflow(second_chance(), versions_scenario());
    auto first = enrol_fixed(wf, "wlead_rm_a_", 1000);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(1);   // start: an hour at n_wait
    advance(50);  // 5,000 s: the first call is placed
    advance(50);  // and has ended: COMPLETED and FAILED are done, DNP waits a day at n_wait2
    auto leads = leads_now(wf);
    std::vector<std::string> parked;
    for (const auto& id : first) {
        const Json& l = leads.at(id);
        if (l["status"] == "active") {
            ASSERT_EQ(l["current_node_id"], "n_wait2") << l.dump();
            parked.push_back(id);
        }
    }
    ASSERT_GT(parked.size(), 500u);
    auto second = enrol_fixed(wf, "wlead_rm_b_", 1000);
    advance(1);
    expect_phase(wf, second, "n_wait", "waiting");
    // Version 2 drops the second chance (DNP is lost at once): the parked leads' node is gone,
    // so they stay on version 1; the leads at n_wait move.
    Json reply = publish(wf, one_call(1), "move");
    EXPECT_EQ(reply["leads"]["move"], 1000) << reply.dump();
    EXPECT_EQ(reply["leads"]["stay"], parked.size());
    EXPECT_EQ(
        reply["leads"]["stay_by_node"],
        Json::array({Json{{"version", 1}, {"node_id", "n_wait2"}, {"leads", parked.size()}}}));
    leads = leads_now(wf);
    for (const auto& id : parked) {
        ASSERT_EQ(leads.at(id)["version"], 1) << leads.at(id).dump();
        ASSERT_EQ(leads.at(id)["current_node_id"], "n_wait2") << leads.at(id).dump();
    }
    for (const auto& id : second) ASSERT_EQ(leads.at(id)["version"], 2) << leads.at(id).dump();
    auto runs = finish_and_audit(wf);
    const std::set<std::string> v1 = version_nodes(wf, 1), v2 = version_nodes(wf, 2);
    for (const auto& id : first) {
        const LeadRun& run = runs.at(id);
        EXPECT_EQ(run.version, 1) << id;
        for (const auto& n : run.nodes) EXPECT_EQ(v1.count(n), 1u) << id << " visited " << n;
    }
    for (const auto& id : parked) {
        EXPECT_EQ(runs.at(id).nodes.count("n_call2"), 1u) << id << " had its second chance";
    }
    for (const auto& id : second) {
        const LeadRun& run = runs.at(id);
        EXPECT_EQ(run.version, 2) << id;
        for (const auto& n : run.nodes) EXPECT_EQ(v2.count(n), 1u) << id << " visited " << n;
    }
    expect_share(runs, parked, exact_converted(wf, 1, "n_wait2"),
                 "stayed on version 1 at the removed node");
    expect_share(runs, second, exact_converted(wf, 2), "moved to version 2");
}

TEST_F(VersionsStats, MoveWhileCallsAreInFlightAppliesTheNewVersionToTheirResults) {
    // Ten-minute calls: every lead is in its first call when version 2 is published.
    std::string wf = make_graph_workflow(one_call(0), versions_scenario(600));
    auto ids = enrol_fixed(wf, "wlead_call_", 2000);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(1);
    expect_phase(wf, ids, "n_call1", "in_call");
    Json reply = publish(wf, with_retry(0), "move");
    EXPECT_EQ(reply["leads"]["move"], 2000) << reply.dump();
    auto runs = finish_and_audit(wf);
    for (const auto& [id, run] : runs) EXPECT_EQ(run.version, 2) << id;
    expect_share(runs, ids, exact_converted(wf, 2), "move during calls, version 2");
}

}  // namespace
}  // namespace leadflow::server::testing
