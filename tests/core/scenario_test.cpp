// Scenario parsing (docs/simulation.md#the-scenario): defaults, clear errors naming the field,
// binding warnings.
#include "leadflow/scenario.hpp"

#include <gtest/gtest.h>

#include "leadflow/civil_time.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

Status parse_error(const std::string& text) {
    auto s = parse_scenario_text(text);
    EXPECT_FALSE(s.ok()) << text;
    return s.status();
}

TEST(Scenario, DefaultsForEverythingMissing) {
    auto s = parse_scenario_text("{}");
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->seed, 1u);
    EXPECT_EQ(s->leads, 1000);
    EXPECT_EQ(format_timestamp(s->start_time), "2026-01-05T09:00:00.000Z");
    EXPECT_EQ(s->horizon_days, 90);
    EXPECT_EQ(s->arrivals, ArrivalMode::kAllAtStart);
    EXPECT_EQ(s->cost_per_minute, 0);

    const CompiledGraph g = testing::GraphBuilder()
                                .node("call", "VOICE_CALL")
                                .node("app", "APPLICATION", {{"action_key", "x"}})
                                .node("end", "CONVERTED")
                                .edge("call", "app")
                                .edge("app", "end")
                                .compile();
    const BoundScenario b = bind_scenario(g, *s);
    const BoundNodeModel& call = b.nodes[0];
    EXPECT_EQ(call.outcomes[0], 0.25);
    EXPECT_EQ(call.outcomes[1], 0.45);
    EXPECT_EQ(call.outcomes[2], 0.10);
    EXPECT_EQ(call.outcomes[3], 0.15);
    EXPECT_EQ(call.outcomes[4], 0.05);
    EXPECT_EQ(call.duration_mean_s, 60);
    EXPECT_EQ(call.duration_sd_s, 30);
    EXPECT_EQ(b.nodes[1].success_rate, 0.98);
    EXPECT_EQ(b.nodes[1].latency_s, 2);
    EXPECT_TRUE(b.warnings.empty());
}

TEST(Scenario, ReadsTheSpecExample) {
    Scenario s = testing::load_scenario_fixture("conditional_followup.scenario.json");
    EXPECT_EQ(s.seed, 2026u);
    EXPECT_EQ(s.leads, 10000);
    EXPECT_EQ(s.horizon_days, 14);
    ASSERT_EQ(s.nodes.size(), 2u);
    EXPECT_EQ(s.nodes[0].node_id, "node_call");
    ASSERT_EQ(s.nodes[0].analysis.size(), 1u);
    EXPECT_EQ(s.nodes[0].analysis[0].dist.values[0], "true");
    EXPECT_DOUBLE_EQ(s.nodes[0].analysis[0].dist.probabilities[0], 0.35);
    // to_json → parse gives the same scenario back.
    auto again = parse_scenario(to_json(s));
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(to_json(*again), to_json(s));
}

TEST(Scenario, ProbabilitiesMustSumToOne) {
    Status st =
        parse_error(R"({"nodes": {"n1": {"outcomes": {"COMPLETED": 0.5, "NO_ANSWER": 0.4}}}})");
    EXPECT_NE(st.message().find("scenario.nodes.n1.outcomes"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("0.9"), std::string::npos) << st.message();
    // Within 1e-6 is accepted.
    EXPECT_TRUE(parse_scenario_text(
                    R"({"nodes": {"n1": {"outcomes": {"COMPLETED": 0.5000005, "FAILED": 0.5}}}})")
                    .ok());
    st = parse_error(R"({"variables": {"city": {"values": {"A": 0.5, "B": 0.6}}}})");
    EXPECT_NE(st.message().find("scenario.variables.city.values"), std::string::npos);
}

TEST(Scenario, ErrorsNameTheField) {
    struct Case {
        const char* text;
        const char* field;
    };
    for (const Case& c : {
             Case{R"({"leads": 0})", "scenario.leads"},
             Case{R"({"leads": 2.5})", "scenario.leads"},
             Case{R"({"leads": "many"})", "scenario.leads"},
             Case{R"({"seed": -1})", "scenario.seed"},
             Case{R"({"version": 2})", "scenario.version"},
             Case{R"({"start_time": "yesterday"})", "scenario.start_time"},
             Case{R"({"horizon_days": 0})", "scenario.horizon_days"},
             Case{R"({"arrivals": {"mode": "bursty"}})", "scenario.arrivals.mode"},
             Case{R"({"arrivals": {"mode": "uniform", "over_days": -1}})",
                  "scenario.arrivals.over_days"},
             Case{R"({"cost_per_minute": -0.1})", "scenario.cost_per_minute"},
             Case{R"({"nodes": {"n": {"outcomes": {"COMPLETED": 1.2, "FAILED": -0.2}}}})",
                  "scenario.nodes.n.outcomes.COMPLETED"},
             Case{R"({"nodes": {"n": {"outcomes": {"PICKED_UP": 1}}}})",
                  "scenario.nodes.n.outcomes.PICKED_UP"},
             Case{R"({"nodes": {"n": {"call_duration_s": {"mean": -5}}}})",
                  "scenario.nodes.n.call_duration_s.mean"},
             Case{R"({"nodes": {"n": {"success_rate": 1.5}}})", "scenario.nodes.n.success_rate"},
             Case{R"({"nodes": {"n": {"analysis": {"x": {"type": "bool"}}}}})",
                  "scenario.nodes.n.analysis.x.p_true"},
             Case{R"({"nodes": {"n": {"analysis": {"x": {"type": "blob"}}}}})",
                  "scenario.nodes.n.analysis.x.type"},
             Case{R"({"nodes": []})", "scenario.nodes"},
             Case{R"([])", "scenario"},
         }) {
        Status st = parse_error(c.text);
        EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << c.text;
        EXPECT_EQ(st.message().rfind(c.field, 0), 0u) << c.text << " → " << st.message();
    }
    EXPECT_FALSE(parse_scenario_text("{not json").ok());
}

TEST(Scenario, UnknownNodeIdsAreWarnings) {
    auto s = parse_scenario_text(
        R"({"nodes": {"gone": {"success_rate": 0.5}, "wait": {"success_rate": 0.5}}})");
    ASSERT_TRUE(s.ok());
    const CompiledGraph g = testing::GraphBuilder()
                                .node("wait", "TIME", {{"delay_hours", 1}})
                                .node("end", "CONVERTED")
                                .edge("wait", "end")
                                .compile();
    const BoundScenario b = bind_scenario(g, *s);
    ASSERT_EQ(b.warnings.size(), 2u);
    EXPECT_NE(b.warnings[0].find("gone"), std::string::npos);
    EXPECT_NE(b.warnings[1].find("TIME"), std::string::npos);
}

}  // namespace
}  // namespace leadflow
