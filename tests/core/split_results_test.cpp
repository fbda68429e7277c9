// The per-branch results of SPLIT nodes (docs/simulation.md#results, "splits" and "exact.splits"):
// the exact conversion of each branch against Monte-Carlo, the probability that each branch is
// best, costs and times per branch, and graphs without a SPLIT left as they were.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "leadflow/exact.hpp"
#include "leadflow/simulate.hpp"
#include "leadflow/split_stats.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

Json branches(std::initializer_list<std::pair<const char*, Json>> list) {
    Json b = Json::array();
    for (const auto& [label, weight] : list)
        b.push_back(Json{{"label", label}, {"weight", weight}});
    return Json{{"branches", b}};
}

// A first call; only leads whose call completes reach the SPLIT (A 1 : B 2). Branch A makes one
// more call that converts at 0.6. Branch B's call converts at 0.2 and, when nobody picks up,
// waits two days and comes back through the SPLIT (on branch B again).
GraphBuilder two_branch_graph() {
    return GraphBuilder()
        .node("first", "VOICE_CALL")
        .node("split", "SPLIT", branches({{"A", 1}, {"B", 2}}))
        .node("ca", "VOICE_CALL")
        .node("cb", "VOICE_CALL")
        .node("wait", "TIME", {{"delay_hours", 48}})
        .node("conv", "CONVERTED")
        .node("drop", "DROPPED")
        .edge("first", "split", "COMPLETED")
        .edge("first", "drop")
        .edge("split", "ca", "A")
        .edge("split", "cb", "B")
        .edge("ca", "conv", "COMPLETED")
        .edge("ca", "drop")
        .edge("cb", "conv", "COMPLETED")
        .edge("cb", "wait", "NO_ANSWER")
        .edge("cb", "drop")
        .edge("wait", "split")
        .entry("first");
}

Scenario two_branch_scenario(int leads) {
    Scenario s = testing::scenario_text(R"({"seed": 11, "horizon_days": 3650,
        "cost_per_minute": 0.5,
        "nodes": {"first": {"outcomes": {"COMPLETED": 0.5, "NO_ANSWER": 0.5}},
                  "ca": {"outcomes": {"COMPLETED": 0.6, "NO_ANSWER": 0.2, "BUSY": 0.1,
                                      "VOICEMAIL": 0.05, "FAILED": 0.05},
                         "call_duration_s": {"mean": 120, "sd": 30}},
                  "cb": {"outcomes": {"COMPLETED": 0.2, "NO_ANSWER": 0.4, "BUSY": 0.1,
                                      "VOICEMAIL": 0.1, "FAILED": 0.2},
                         "call_duration_s": {"mean": 60, "sd": 10}}}})");
    s.leads = leads;
    return s;
}

// [SECTION] The probability that a branch is best

TEST(SplitResults, BestOfTwoKnownPosteriors) {
    // Beta(2, 1) against Beta(1, 2): P(X > Y) = ∫ 2x (2x − x²) dx = 5/6.
    const std::vector<double> p = probability_best({1, 0}, {1, 1});
    ASSERT_EQ(p.size(), 2u);
    EXPECT_NEAR(p[0], 5.0 / 6.0, 1e-6);
    EXPECT_NEAR(p[1], 1.0 / 6.0, 1e-6);
    // Two uniform posteriors (no leads) and identical counts tie.
    const std::vector<double> none = probability_best({0, 0}, {0, 0});
    EXPECT_NEAR(none[0], 0.5, 1e-9);
    EXPECT_EQ(none[0], none[1]);
    const std::vector<double> same = probability_best({300, 300, 300}, {1000, 1000, 1000});
    EXPECT_NEAR(same[0], 1.0 / 3.0, 1e-6);
    EXPECT_EQ(same[0], same[1]);
    EXPECT_EQ(same[1], same[2]);
}

TEST(SplitResults, BestPicksTheObviouslyBetterBranchAndSumsToOne) {
    const std::vector<double> p = probability_best({100, 160, 90}, {1000, 1000, 1000});
    ASSERT_EQ(p.size(), 3u);
    EXPECT_GT(p[1], 0.999);
    double sum = 0;
    for (const double x : p) {
        EXPECT_GE(x, 0.0);
        sum += x;
    }
    EXPECT_NEAR(sum, 1.0, 1e-12);
    // Close rates with many leads: the grid narrows to the posteriors, so the answer is still
    // the normal approximation's Φ(difference / its sd) = Φ(0.001 / 0.000707…) = Φ(1.4142…).
    const std::vector<double> close = probability_best({501000, 500000}, {1000000, 1000000});
    EXPECT_NEAR(close[0], 0.92135, 0.0005);
    EXPECT_EQ(probability_best({3}, {10}), std::vector<double>{1.0});
    EXPECT_TRUE(probability_best({}, {}).empty());
}

TEST(SplitResults, MeanIntervalIsTheNormalApproximation) {
    // 4 values with squared deviations summing to 12: sd 2, half-width 1.96 × 2 / 2.
    const auto ci = mean_interval(10, 12, 4, 0);
    EXPECT_NEAR(ci.first, 10 - 1.959963984540054, 1e-12);
    EXPECT_NEAR(ci.second, 10 + 1.959963984540054, 1e-12);
    EXPECT_EQ(mean_interval(0.5, 12, 4, 0).first, 0.0);  // clamped at the floor
    EXPECT_EQ(mean_interval(3, 0, 1, 0), std::make_pair(3.0, 3.0));
    EXPECT_EQ(mean_interval(3, 0, 0, 0), std::make_pair(0.0, 0.0));
}

// [SECTION] Exact per branch

TEST(SplitResults, ExactConditionsOnTheLeadsThatTookTheBranch) {
    const GraphBuilder b = two_branch_graph();
    const CompiledGraph g = b.compile();
    const ExactResult r = solve_exact(g, bind_scenario(g, two_branch_scenario(10)));
    ASSERT_TRUE(r.available) << r.reason;
    ASSERT_EQ(r.splits.size(), 1u);
    EXPECT_EQ(r.splits[0].node, g.node_index("split"));
    ASSERT_EQ(r.splits[0].branches.size(), 2u);
    const ExactSplitBranch& a = r.splits[0].branches[0];
    const ExactSplitBranch& bb = r.splits[0].branches[1];
    // Half the leads reach the SPLIT; a third of those take A.
    EXPECT_NEAR(a.leads, 0.5 / 3, 1e-12);
    EXPECT_NEAR(bb.leads, 0.5 * 2 / 3, 1e-12);
    // A: one call converting at 0.6. B: p = 0.2 + 0.4 p, so p = 1/3 (a lead that loops back
    // stays on B).
    EXPECT_NEAR(a.completed, 0.6, 1e-12);
    EXPECT_NEAR(a.dropped, 0.4, 1e-12);
    EXPECT_NEAR(bb.completed, 1.0 / 3, 1e-12);
    EXPECT_NEAR(bb.dropped, 2.0 / 3, 1e-12);
    // The totals are unchanged by tracking the SPLIT: 0.5 × (0.6 / 3 + 2 / 9).
    EXPECT_NEAR(r.completed, 0.5 * (0.6 / 3 + 2.0 / 9), 1e-12);
}

TEST(SplitResults, ExactPerBranchAgreesWithMonteCarloWithinFourSigma) {
    const GraphBuilder b = two_branch_graph();
    const Scenario s = two_branch_scenario(40000);
    auto res = simulate_graph(b.graph(), s);
    ASSERT_TRUE(res.ok()) << res.status().message();
    const Json& j = *res;
    ASSERT_EQ(j["terminal"]["unfinished"]["count"], 0);
    const Json& ex = j["exact"]["splits"]["split"];
    const Json& mc = j["splits"]["split"];
    ASSERT_TRUE(ex.is_object()) << j["exact"].dump();
    for (const char* label : {"A", "B"}) {
        const double n_branch = mc[label]["leads"].get<double>();
        ASSERT_GT(n_branch, 1000) << label;
        const double share = ex[label]["leads"].get<double>();
        EXPECT_NEAR(mc[label]["share"].get<double>(), share,
                    4 * std::sqrt(share * (1 - share) / static_cast<double>(s.leads)))
            << label;
        for (const char* end : {"completed", "dropped"}) {
            const double p = ex[label][end].get<double>();
            EXPECT_NEAR(mc[label][end]["share"].get<double>(), p,
                        4 * std::sqrt(p * (1 - p) / n_branch))
                << label << " " << end;
        }
    }
    // A converts far better: its p_best is (nearly) 1, and the two sum to 1.
    const double pa = mc["A"]["p_best"].get<double>();
    const double pb = mc["B"]["p_best"].get<double>();
    EXPECT_GT(pa, 0.999);
    EXPECT_NEAR(pa + pb, 1.0, 1e-12);
}

// [SECTION] Monte-Carlo per branch

TEST(SplitResults, CostsCallsAndTimesAddUpOverTheBranches) {
    const GraphBuilder b = two_branch_graph();
    const Scenario s = two_branch_scenario(5000);
    auto res = simulate_graph(b.graph(), s);
    ASSERT_TRUE(res.ok()) << res.status().message();
    const Json& j = *res;
    const Json& mc = j["splits"]["split"];
    // Branch means count every call of the lead, the first included. Leads that never reached
    // the SPLIT made exactly one call, unbilled (NO_ANSWER).
    const double entered = mc["A"]["leads"].get<double>() + mc["B"]["leads"].get<double>();
    EXPECT_EQ(entered, j["nodes"]["split"]["leads"].get<double>());
    double calls = static_cast<double>(s.leads) - entered, minutes = 0;
    for (const char* label : {"A", "B"}) {
        const Json& br = mc[label];
        const double n = br["leads"].get<double>();
        calls += n * br["calls_per_lead"].get<double>();
        minutes += n * br["minutes_per_lead"].get<double>();
        EXPECT_NEAR(br["cost"]["mean"].get<double>(), br["minutes_per_lead"].get<double>() * 0.5,
                    1e-9);
        const Json& ci = br["cost"]["ci95"];
        EXPECT_LT(ci[0].get<double>(), br["cost"]["mean"].get<double>()) << label;
        EXPECT_GT(ci[1].get<double>(), br["cost"]["mean"].get<double>()) << label;
        // Every lead finished (long horizon).
        EXPECT_EQ(br["hours_to_terminal"]["leads"].get<double>(), n) << label;
        EXPECT_EQ(br["completed"]["count"].get<double>() + br["dropped"]["count"].get<double>(), n)
            << label;
    }
    EXPECT_NEAR(calls, j["calls"]["placed"].get<double>(), 1e-6);
    EXPECT_NEAR(minutes, j["calls"]["minutes"].get<double>(), 1e-6);
    // A lasts one more call; B waits two days per unanswered call, so it takes longer. A's calls
    // last 120 s against B's 60 s, but B makes more of them; its cost per lead is the larger.
    const Json& ta = mc["A"]["hours_to_terminal"];
    const Json& tb = mc["B"]["hours_to_terminal"];
    EXPECT_LT(ta["mean"].get<double>(), 1.0);
    EXPECT_GT(tb["mean"].get<double>(), 20.0);
    EXPECT_LT(tb["ci95"][0].get<double>(), tb["mean"].get<double>());
    EXPECT_GT(tb["ci95"][1].get<double>(), tb["mean"].get<double>());
    EXPECT_GT(mc["B"]["calls_per_lead"].get<double>(), mc["A"]["calls_per_lead"].get<double>());
}

TEST(SplitResults, GraphsWithoutASplitHaveNoSplitKeys) {
    const Scenario s = testing::load_scenario_fixture("lead_nurture.scenario.json");
    auto res = simulate_graph(testing::load_graph_fixture("lead_nurture.json"), s);
    ASSERT_TRUE(res.ok()) << res.status().message();
    std::vector<std::string> keys, exact_keys;
    for (auto it = res->begin(); it != res->end(); ++it) keys.push_back(it.key());
    for (auto it = (*res)["exact"].begin(); it != (*res)["exact"].end(); ++it) {
        exact_keys.push_back(it.key());
    }
    EXPECT_EQ(keys,
              (std::vector<std::string>{"leads", "seed", "terminal", "nodes", "edges", "calls",
                                        "time_to_terminal_hours", "in_progress", "exact",
                                        "start_time", "horizon_days", "events", "warnings"}));
    EXPECT_EQ(exact_keys,
              (std::vector<std::string>{"available", "reason", "terminal", "expected_visits",
                                        "expected_calls", "states"}));
    const CompiledGraph g = *compile_graph(testing::load_graph_fixture("lead_nurture.json"));
    EXPECT_TRUE(solve_exact(g, bind_scenario(g, s)).splits.empty());
}

}  // namespace
}  // namespace leadflow
