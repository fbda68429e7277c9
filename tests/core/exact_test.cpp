// The exact absorbing-Markov-chain analysis (docs/simulation.md#exact-vs-monte-carlo): values
// computed by hand on small graphs, state expansion for conditions, unavailability, and agreement
// with Monte-Carlo on every reference workflow.
#include "leadflow/exact.hpp"

#include <gtest/gtest.h>

#include "leadflow/simulate.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

ExactResult exact(const GraphBuilder& b, const std::string& scenario_text) {
    auto s = parse_scenario_text(scenario_text);
    EXPECT_TRUE(s.ok()) << s.status().message();
    const CompiledGraph g = b.compile();
    return solve_exact(g, bind_scenario(g, s.ok() ? *s : default_scenario()));
}

double visits(const GraphBuilder& b, const ExactResult& r, const std::string& id) {
    return r.expected_visits[static_cast<std::size_t>(b.compile().node_index(id))];
}

TEST(Exact, LeadNurtureByHand) {
    const Graph g = testing::load_graph_fixture("lead_nurture.json");
    const CompiledGraph cg = *compile_graph(g);
    const ExactResult r = solve_exact(cg, bind_scenario(cg, default_scenario()));
    ASSERT_TRUE(r.available) << r.reason;
    // Default model: COMPLETED .25, DNP .70, FAILED .05 at each of three calls.
    const double reach2 = 0.70, reach3 = 0.49;
    EXPECT_NEAR(r.completed, 0.25 * (1 + reach2 + reach3), 1e-12);
    EXPECT_NEAR(r.dropped, 1 - 0.25 * (1 + reach2 + reach3), 1e-12);
    EXPECT_NEAR(r.failed, 0, 1e-15);
    EXPECT_NEAR(r.stuck, 0, 1e-15);
    EXPECT_NEAR(r.expected_calls, 1 + reach2 + reach3, 1e-12);
    EXPECT_NEAR(r.expected_visits[static_cast<std::size_t>(cg.node_index("node_wait2"))], reach3,
                1e-12);
    EXPECT_NEAR(r.expected_visits[static_cast<std::size_t>(cg.node_index("node_unresponsive"))],
                reach3 * 0.70, 1e-12);
}

TEST(Exact, RetryLoopSolvesTheLinearSystem) {
    // Call until COMPLETED (converted) or FAILED (dropped); DNP waits and retries forever.
    const GraphBuilder b = GraphBuilder()
                               .node("call", "VOICE_CALL")
                               .node("wait", "TIME", {{"delay_days", 1}})
                               .node("conv", "CONVERTED")
                               .node("drop", "DROPPED")
                               .edge("call", "conv", "COMPLETED")
                               .edge("call", "drop", "FAILED")
                               .edge("call", "wait", "DNP")
                               .edge("wait", "call")
                               .entry("call");
    const ExactResult r = exact(b, "{}");
    ASSERT_TRUE(r.available) << r.reason;
    EXPECT_NEAR(r.completed, 0.25 / 0.30, 1e-12);
    EXPECT_NEAR(r.dropped, 0.05 / 0.30, 1e-12);
    EXPECT_NEAR(r.expected_calls, 1 / 0.30, 1e-12);
    EXPECT_NEAR(visits(b, r, "wait"), 0.70 / 0.30, 1e-12);
}

TEST(Exact, ConditionsOnTheLastCallExpandTheState) {
    // After a DNP wait, a CONDITIONAL on call.status routes voicemail differently.
    const GraphBuilder b = GraphBuilder()
                               .node("call", "VOICE_CALL")
                               .node("check", "CONDITIONAL",
                                     {{"conditions", Json::array({Json{{"field", "call.status"},
                                                                       {"operator", "equals"},
                                                                       {"value", "voicemail"}}})}})
                               .node("wait", "TIME", {{"delay_hours", 4}})
                               .node("conv", "CONVERTED")
                               .node("vm", "DROPPED")
                               .node("other", "DROPPED")
                               .edge("call", "conv", "COMPLETED")
                               .edge("call", "wait")
                               .edge("wait", "check")
                               .edge("check", "vm", "true")
                               .edge("check", "other", "false");
    const ExactResult r = exact(b, "{}");
    ASSERT_TRUE(r.available) << r.reason;
    EXPECT_NEAR(visits(b, r, "vm"), 0.15, 1e-12);
    EXPECT_NEAR(visits(b, r, "other"), 0.60, 1e-12);
}

TEST(Exact, AnalysisAttributesAndApplicationResults) {
    const GraphBuilder b =
        GraphBuilder()
            .node("call", "VOICE_CALL")
            .node("tier", "CONDITIONAL", {{"condition_field", "call.analysis.tier"}})
            .node("app", "APPLICATION", {{"action_key", "crm"}})
            .node("ok", "CONDITIONAL",
                  {{"conditions", Json::array({Json{{"field", "application.result"},
                                                    {"operator", "equals"},
                                                    {"value", "success"}}})}})
            .node("conv", "CONVERTED")
            .node("drop", "DROPPED")
            .edge("call", "tier", "COMPLETED")
            .edge("call", "drop")
            .edge("tier", "app", "gold")
            .edge("tier", "drop")
            .edge("app", "ok")
            .edge("ok", "conv", "true")
            .edge("ok", "drop", "false");
    const ExactResult r = exact(b, R"({"nodes": {
        "call": {"outcomes": {"COMPLETED": 0.5, "NO_ANSWER": 0.5},
                 "analysis": {"tier": {"values": {"gold": 0.2, "silver": 0.8}}}},
        "app": {"success_rate": 0.9}}})");
    ASSERT_TRUE(r.available) << r.reason;
    EXPECT_NEAR(r.completed, 0.5 * 0.2 * 0.9, 1e-12);
    EXPECT_NEAR(r.dropped, 1 - 0.5 * 0.2 * 0.9, 1e-12);
}

TEST(Exact, LeadVariablesGiveAMixture) {
    const GraphBuilder b =
        GraphBuilder()
            .node("call", "VOICE_CALL")
            .node("city", "CONDITIONAL",
                  {{"logic", "OR"},
                   {"conditions",
                    Json::array(
                        {Json{{"field", "city"}, {"operator", "equals"}, {"value", "Mumbai"}},
                         Json{{"field", "lead.vip"}, {"operator", "equals"}, {"value", true}}})}})
            .node("conv", "CONVERTED")
            .node("drop", "DROPPED")
            .edge("call", "city", "COMPLETED")
            .edge("call", "drop")
            .edge("city", "conv", "true")
            .edge("city", "drop", "false");
    const ExactResult r = exact(b, R"({"variables": {
        "city": {"values": {"Mumbai": 0.6, "Delhi": 0.4}},
        "vip": {"values": {"true": 0.1, "false": 0.9}}}})");
    ASSERT_TRUE(r.available) << r.reason;
    EXPECT_NEAR(r.completed, 0.25 * (1 - 0.4 * 0.9), 1e-12);
}

TEST(Exact, StuckAndZeroTimeLoops) {
    const GraphBuilder stuck = GraphBuilder()
                                   .node("call", "VOICE_CALL")
                                   .node("conv", "CONVERTED")
                                   .edge("call", "conv", "COMPLETED");
    ExactResult r = exact(stuck, "{}");
    ASSERT_TRUE(r.available);
    EXPECT_NEAR(r.stuck, 0.75, 1e-12);
    // A CONDITIONAL cycle: the loop guard fails every lead, at one instant.
    const GraphBuilder spin = GraphBuilder()
                                  .node("s", "CONDITIONAL", {{"conditions", Json::array()}})
                                  .node("a", "CONDITIONAL", {{"conditions", Json::array()}})
                                  .edge("s", "a")
                                  .edge("a", "a");
    r = exact(spin, "{}");
    ASSERT_TRUE(r.available) << r.reason;
    EXPECT_NEAR(r.failed, 1.0, 1e-12);
}

TEST(Exact, UnavailableWithAReason) {
    const GraphBuilder duration =
        GraphBuilder()
            .node("call", "VOICE_CALL")
            .node("long", "CONDITIONAL",
                  {{"conditions", Json::array({Json{{"field", "call.duration_s"},
                                                    {"operator", "greater_than"},
                                                    {"value", 60}}})}})
            .node("conv", "CONVERTED")
            .edge("call", "long")
            .edge("long", "conv");
    ExactResult r = exact(duration, "{}");
    EXPECT_FALSE(r.available);
    EXPECT_NE(r.reason.find("call.duration_s"), std::string::npos);
    const Json j = to_json(r, duration.compile());
    EXPECT_EQ(j["available"], false);
    EXPECT_EQ(j["reason"], r.reason);
    EXPECT_TRUE(j["terminal"].is_null());
    // A call retried forever on every outcome never reaches a terminal.
    const GraphBuilder forever = GraphBuilder()
                                     .node("call", "VOICE_CALL")
                                     .node("wait", "TIME", {{"delay_days", 1}})
                                     .edge("call", "wait")
                                     .edge("wait", "call")
                                     .entry("call");
    r = exact(forever, "{}");
    EXPECT_FALSE(r.available);
    EXPECT_NE(r.reason.find("loop"), std::string::npos);
}

// Monte-Carlo shares of finished leads fall inside their 95% intervals around the exact values.
TEST(Exact, MonteCarloAgreesOnEveryReferenceWorkflow) {
    for (const char* name : {"lead_nurture", "reengagement_drip", "conditional_followup"}) {
        const Graph g = testing::load_graph_fixture(std::string(name) + ".json");
        const Scenario s = testing::load_scenario_fixture(std::string(name) + ".scenario.json");
        auto r = simulate_graph(g, s);
        ASSERT_TRUE(r.ok()) << r.status().message();
        const Json& res = *r;
        ASSERT_TRUE(res["exact"]["available"].get<bool>()) << name;
        EXPECT_EQ(res["terminal"]["unfinished"]["count"], 0) << name;
        for (const char* k : {"completed", "dropped", "failed", "stuck"}) {
            const double p = res["exact"]["terminal"][k].get<double>();
            const Json& ci = res["terminal"][k]["ci95"];
            EXPECT_GE(p, ci[0].get<double>() - 1e-12) << name << " " << k;
            EXPECT_LE(p, ci[1].get<double>() + 1e-12) << name << " " << k;
        }
        // Expected visits vs entries per lead, within 4 standard errors of a visit count.
        const double n = static_cast<double>(s.leads);
        for (auto it = res["nodes"].begin(); it != res["nodes"].end(); ++it) {
            const double mc = it.value()["entries"].get<double>() / n;
            const double ex = res["exact"]["expected_visits"][it.key()].get<double>();
            EXPECT_NEAR(mc, ex, 4 * std::sqrt(ex / n) + 1e-12) << name << " " << it.key();
        }
        const double calls = res["calls"]["per_lead"].get<double>();
        EXPECT_NEAR(calls, res["exact"]["expected_calls"].get<double>(), 0.03) << name;
    }
}

}  // namespace
}  // namespace leadflow
