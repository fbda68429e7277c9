// tests/server/split_live_test.cpp — the SPLIT node on the live server (docs/workflows.md#split):
// the graph API accepts and returns it, leads move by the core's split_branch on their own ids
// (so each lead's branch is known in advance), and branch counts follow the weights.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "leadflow/split.hpp"
#include "live_test_util.hpp"

namespace leadflow::server::testing {
namespace {

class SplitLive : public LiveTest {
  protected:
    // SPLIT (A 30, B 70) → A: CONVERTED, B: DROPPED. Sets nodes_ = {split, a_end, b_end}.
    std::string split_workflow() {
        std::string wf = make_workflow("A/B");
        const Json config = Json::parse(
            R"({"branches": [{"label": "A", "weight": 30}, {"label": "B", "weight": 70}]})");
        std::string split = make_node(
            wf, Json{{"node_type", "SPLIT"}, {"label", "Script test"}, {"config", config}});
        std::string a_end = make_node(wf, Json{{"node_type", "CONVERTED"}, {"label", "A"}});
        std::string b_end = make_node(wf, Json{{"node_type", "DROPPED"}, {"label", "B"}});
        for (const auto& [to, label] : {std::pair{a_end, "A"}, std::pair{b_end, "B"}}) {
            Response r = post("/v1/workflows/" + wf + "/edges",
                              Json{{"from_node_id", split}, {"to_node_id", to}, {"label", label}});
            EXPECT_EQ(r.status, 201) << r.body;
        }
        nodes_ = {split, a_end, b_end};
        return wf;
    }
};

TEST_F(SplitLive, TheGraphApiAcceptsAndReturnsASplit) {
    std::string wf = split_workflow();
    Json g = body_of(get("/v1/workflows/" + wf + "/graph"));
    bool found = false;
    for (const Json& n : g["nodes"]) {
        if (n["id"] != nodes_[0]) continue;
        found = true;
        EXPECT_EQ(n["node_type"], "SPLIT");
        EXPECT_EQ(n["config"]["branches"][1]["weight"], 70);
    }
    EXPECT_TRUE(found) << g.dump();
    Json report = body_of(post("/v1/workflows/" + wf + "/validate", Json()));
    EXPECT_TRUE(report["valid"].get<bool>()) << report.dump();
    // A branch without an edge is a validation error that blocks activation.
    Response r = patch("/v1/workflows/" + wf + "/nodes/" + nodes_[0],
                       Json{{"config", Json::parse(R"({"branches": [{"label": "A", "weight": 1},
                                  {"label": "B", "weight": 1}, {"label": "C", "weight": 1}]})")}});
    ASSERT_EQ(r.status, 200) << r.body;
    report = body_of(post("/v1/workflows/" + wf + "/validate", Json()));
    EXPECT_FALSE(report["valid"].get<bool>());
    EXPECT_EQ(report["errors"][0]["code"], "SPLIT_BRANCH_WITHOUT_EDGE") << report.dump();
    EXPECT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 400);
}

TEST_F(SplitLive, LeadsTakeTheirHashedBranchAndCountsFollowTheWeights) {
    std::string wf = split_workflow();
    const int n = 1000;
    std::vector<std::string> ids = enrol(wf, n);
    ASSERT_EQ(static_cast<int>(ids.size()), n);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    ASSERT_TRUE(run_until_status(wf, "completed", 1000, 200));
    int a = 0;
    for (const std::string& id : ids) {
        const bool want_a = split_branch(id, nodes_[0], {30, 70}) == 0;
        a += want_a;
        Json l = lead(wf, id);
        EXPECT_EQ(l["status"], want_a ? "completed" : "dropped") << id;
        Json h = history(wf, id);
        ASSERT_GE(h.size(), 1u);
        EXPECT_EQ(h[0]["node_id"], nodes_[0]);
        EXPECT_EQ(h[0]["outcome"], want_a ? "A" : "B") << h.dump();
    }
    Json w = workflow(wf);
    EXPECT_EQ(w["lead_counts"]["completed"], a);
    EXPECT_EQ(w["lead_counts"]["dropped"], n - a);
    const double sigma = std::sqrt(n * 0.3 * 0.7);
    EXPECT_NEAR(a, n * 0.3, 4 * sigma);
}

TEST_F(SplitLive, SimulatingThroughTheApiGivesPerBranchResults) {
    std::string wf = split_workflow();
    Response r = post("/v1/workflows/" + wf + "/simulate", Json{{"leads", 2000}, {"seed", 7}});
    ASSERT_EQ(r.status, 200) << r.body;
    const Json res = body_of(r);
    const Json& branches = res["splits"][nodes_[0]];
    ASSERT_TRUE(branches.is_object()) << res.dump();
    EXPECT_EQ(branches["A"]["leads"].get<int>() + branches["B"]["leads"].get<int>(), 2000);
    // A always converts and B never does, so A is the better branch beyond doubt.
    EXPECT_DOUBLE_EQ(branches["A"]["completed"]["share"].get<double>(), 1.0);
    EXPECT_GT(branches["A"]["p_best"].get<double>(), 0.999);
    EXPECT_NEAR(branches["A"]["p_best"].get<double>() + branches["B"]["p_best"].get<double>(), 1,
                1e-9);
    EXPECT_NEAR(res["exact"]["splits"][nodes_[0]]["A"]["leads"].get<double>(), 0.3, 1e-12);
}

TEST_F(SplitLive, ChangingTheWeightsPublishesAVersionThatNewLeadsFollow) {
    std::string wf = split_workflow();
    Response act = post("/v1/workflows/" + wf + "/activate", Json());
    ASSERT_EQ(act.status, 200) << act.body;
    EXPECT_EQ(body_of(act)["published_version"], 1);
    Response r = patch("/v1/workflows/" + wf + "/nodes/" + nodes_[0],
                       Json{{"config", Json::parse(R"({"branches": [{"label": "A", "weight": 90},
                                                      {"label": "B", "weight": 10}]})")}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(header_of(r, "X-Leadflow-Published"), "true");
    EXPECT_EQ(workflow(wf)["published_version"], 2);
    const int n = 400;
    std::vector<std::string> ids = enrol(wf, n);
    ASSERT_TRUE(run_until_status(wf, "completed", 1000, 200));
    int a = 0;
    for (const std::string& id : ids) {
        const bool want_a = split_branch(id, nodes_[0], {90, 10}) == 0;
        a += want_a;
        EXPECT_EQ(lead(wf, id)["status"], want_a ? "completed" : "dropped") << id;
    }
    EXPECT_NEAR(a, n * 0.9, 4 * std::sqrt(n * 0.9 * 0.1));
}

}  // namespace
}  // namespace leadflow::server::testing
