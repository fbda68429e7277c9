// tests/server/node_counts_test.cpp — GET /v1/workflows/{id}/node-counts: lead counts per current
// node and status after enrolment and while leads progress live, and its organization scope.
#include <gtest/gtest.h>

#include "live_test_util.hpp"

namespace leadflow::server::testing {
namespace {

constexpr TimeMs kHour = 60 * 60 * 1000;

class NodeCounts : public LiveTest {
  protected:
    // TIME (1 hour) → CONVERTED; sets nodes_ = {wait, won}.
    void add_wait_graph(const std::string& wf) {
        std::string wait = make_node(
            wf, Json{{"node_type", "TIME"},
                     {"label", "Wait"},
                     {"config", Json{{"duration_value", 1}, {"duration_unit", "hours"}}}});
        std::string won = make_node(wf, Json{{"node_type", "CONVERTED"}, {"label", "Won"}});
        ASSERT_EQ(post("/v1/workflows/" + wf + "/edges",
                       Json{{"from_node_id", wait}, {"to_node_id", won}})
                      .status,
                  201);
        nodes_ = {wait, won};
    }
    Json counts(const std::string& wf) {
        Response r = get("/v1/workflows/" + wf + "/node-counts");
        EXPECT_EQ(r.status, 200) << r.body;
        return body_of(r);
    }
    // The counts agree with themselves and with the workflow object's lead counts.
    void expect_consistent(const std::string& wf, const Json& c) {
        std::int64_t sum = c["not_started"].get<std::int64_t>();
        for (const Json& n : c["data"]) {
            std::int64_t node_sum = 0;
            for (const auto& [status, count] : n["by_status"].items()) {
                EXPECT_GT(count.get<std::int64_t>(), 0) << "only non-zero statuses are listed";
                node_sum += count.get<std::int64_t>();
            }
            EXPECT_EQ(n["total"], node_sum) << n.dump();
            sum += node_sum;
        }
        EXPECT_EQ(c["enrolled_leads"], sum);
        Json w = workflow(wf);
        EXPECT_EQ(c["enrolled_leads"], w["enrolled_leads"]);
        EXPECT_EQ(c["lead_counts"], w["lead_counts"]);
    }
    std::vector<std::string> nodes_;
};

TEST_F(NodeCounts, LeadsNotStartedHaveNoNodeAndEveryGraphNodeIsListed) {
    std::string wf = make_workflow("Counts");
    enrol(wf, 3);  // no nodes yet: no entry node, no current node
    Json c = counts(wf);
    EXPECT_EQ(c["data"], Json::array());
    EXPECT_EQ(c["not_started"], 3);
    EXPECT_EQ(c["enrolled_leads"], 3);
    EXPECT_EQ(c["lead_counts"].size(), all_lead_statuses().size()) << "every status present";
    EXPECT_EQ(c["lead_counts"]["pending"], 3);
    EXPECT_EQ(c["lead_counts"]["completed"], 0);
    expect_consistent(wf, c);

    add_wait_graph(wf);
    enrol(wf, 2);  // not started either: the entry node is resolved when a lead starts
    c = counts(wf);
    ASSERT_EQ(c["data"].size(), 2u) << c.dump();
    EXPECT_EQ(c["data"][0],
              (Json{{"node_id", nodes_[0]}, {"total", 0}, {"by_status", Json::object()}}));
    EXPECT_EQ(c["data"][1],
              (Json{{"node_id", nodes_[1]}, {"total", 0}, {"by_status", Json::object()}}));
    EXPECT_EQ(c["not_started"], 5);
    EXPECT_EQ(c["enrolled_leads"], 5);
    EXPECT_EQ(c["lead_counts"]["pending"], 5);
    expect_consistent(wf, c);
}

TEST_F(NodeCounts, CountsFollowLiveProgressionForMoreLeadsThanAListPage) {
    std::string wf = make_workflow("Counts live");
    add_wait_graph(wf);
    auto ids = enrol(wf, 750);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    for (int i = 0; i < 20 && advance(10) > 0;) ++i;  // every lead enters the wait
    ASSERT_EQ(del("/v1/workflows/" + wf + "/leads/" + ids[7]).status, 200);

    Json c = counts(wf);
    ASSERT_EQ(c["data"].size(), 2u) << c.dump();
    EXPECT_EQ(c["data"][0]["node_id"], nodes_[0]);
    EXPECT_EQ(c["data"][0]["total"], 750);
    EXPECT_EQ(c["data"][0]["by_status"], (Json{{"active", 749}, {"removed", 1}}));
    EXPECT_EQ(c["data"][1]["total"], 0);
    EXPECT_EQ(c["lead_counts"]["active"], 749);
    expect_consistent(wf, c);

    ASSERT_TRUE(run_until_status(wf, "completed", kHour / 4, 40));
    c = counts(wf);
    EXPECT_EQ(c["data"][0]["by_status"], (Json{{"removed", 1}}));
    EXPECT_EQ(
        c["data"][1],
        (Json{{"node_id", nodes_[1]}, {"total", 749}, {"by_status", Json{{"completed", 749}}}}));
    EXPECT_EQ(c["not_started"], 0);
    EXPECT_EQ(c["enrolled_leads"], 750);
    EXPECT_EQ(c["lead_counts"]["completed"], 749);
    EXPECT_EQ(c["lead_counts"]["active"], 0);
    expect_consistent(wf, c);
}

TEST_F(NodeCounts, AnotherOrganizationsWorkflowIs404) {
    std::string wf = make_workflow("Mine");
    add_wait_graph(wf);
    enrol(wf, 1);
    EXPECT_EQ(get("/v1/workflows/" + wf + "/node-counts", key_b_).status, 404);
    EXPECT_EQ(get("/v1/workflows/wf_doesnotexist/node-counts").status, 404);
    EXPECT_EQ(
        send("GET", "/v1/workflows/" + wf + "/node-counts", "", "", "", {{"Authorization", ""}})
            .status,
        401);
}

}  // namespace
}  // namespace leadflow::server::testing
