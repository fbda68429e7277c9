// The Server tab's calibration and drift: replies made by the core's own calibrate() and drift()
// (as the server sends them) read into rows, shares and badges; malformed replies refused.
#include "calibration_data.hpp"

#include <gtest/gtest.h>

#include "leadflow/calibration.hpp"
#include "leadflow/compiled_graph.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::fixture_graph;

Observations observed() {
    Observations obs;
    ObservedNode first;
    first.node_id = "node_call1";
    first.outcomes = {250, 450, 100, 150, 50};  // exactly the default model
    ObservedNode second;  // too few calls: keeps its model
    second.node_id = "node_call2";
    second.outcomes = {2, 8, 0, 0, 0};
    obs.nodes = {first, second};
    obs.arrivals = 1000;
    obs.first_arrival_hour = 1'767'600'000'000;
    obs.last_arrival_hour = obs.first_arrival_hour;
    return obs;
}

TEST(CalibrationData, ReadsTheServersCalibration) {
    const CompiledGraph g = compile_graph(fixture_graph("lead_nurture.json")).value();
    const Json body = calibrate(g, default_scenario(), observed());
    auto v = read_calibration(body);
    ASSERT_TRUE(v.ok()) << v.status().message();
    ASSERT_EQ(v->nodes.size(), 3u);  // the three calls, in graph order
    EXPECT_EQ(v->nodes[0].node_id, "node_call1");
    EXPECT_TRUE(v->nodes[0].fitted);
    EXPECT_EQ(v->nodes[0].observed, 1000);
    ASSERT_EQ(v->nodes[0].shares.size(), 5u);
    const CalibratedShare& answered = v->nodes[0].shares[0];
    EXPECT_EQ(answered.label, "COMPLETED");
    EXPECT_EQ(answered.count, 250);
    EXPECT_DOUBLE_EQ(answered.current, 0.25);
    EXPECT_NEAR(answered.fitted, (20 * 0.25 + 250) / 1020.0, 1e-12);
    EXPECT_LT(answered.low, answered.fitted);
    EXPECT_GT(answered.high, answered.fitted);
    EXPECT_FALSE(v->nodes[1].fitted);
    EXPECT_EQ(v->nodes[1].note, "10 calls, fewer than 30: the scenario keeps its model");
    EXPECT_EQ(v->scenario, body["scenario"]);
    EXPECT_EQ(v->arrivals, 1000);
    EXPECT_NEAR(v->per_day, 24000, 1e-9);
    EXPECT_EQ(share_with_interval({"X", 0, 0.401, 0.372, 0.43, 0}),
              "40.1% (37.2\xE2\x80\x93"
              "43.0)");
}

TEST(CalibrationData, ReadsTheFlaggedNodesOfADrift) {
    const CompiledGraph g = compile_graph(fixture_graph("lead_nurture.json")).value();
    Observations obs = observed();
    obs.nodes[1].outcomes = {20, 680, 100, 150, 50};  // answers 2% against a plan of 25%
    const Json body = drift(g, default_scenario(), obs);
    auto badges = read_drift(body);
    ASSERT_TRUE(badges.ok()) << badges.status().message();
    ASSERT_EQ(badges->size(), 1u) << body.dump();
    EXPECT_EQ((*badges)[0].node_id, "node_call2");
    EXPECT_EQ((*badges)[0].message.rfind("Second call: answer rate 2% (plan 25%", 0), 0u)
        << (*badges)[0].message;
}

TEST(CalibrationData, RefusesWhatIsNotAReply) {
    EXPECT_FALSE(read_calibration(Json::parse(R"({"message": "nope"})")).ok());
    EXPECT_FALSE(read_calibration(Json::array()).ok());
    EXPECT_FALSE(read_drift(Json::parse(R"({"flagged": []})")).ok());
    // Unknown or odd entries are skipped, not trusted.
    auto v = read_calibration(Json::parse(R"({"scenario": {}, "nodes": {"n": 3}})"));
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->nodes.empty());
}

}  // namespace
}  // namespace leadflow::web
