// Calibration and drift (docs/calibration.md): the Beta functions against known values, the
// fitted scenario's shape and numbers, the coverage of the 95% intervals over many seeded
// synthetic call logs, and drift flagged on the node whose answer rate moved and on no other.
#include "leadflow/calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "leadflow/rng.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

// call1 → (COMPLETED) app → converted; call1 → (else) call2 → converted / dropped.
GraphBuilder two_calls() {
    return GraphBuilder()
        .node("call1", "VOICE_CALL")
        .node("call2", "VOICE_CALL")
        .node("app", "APPLICATION", Json{{"url", "https://example.test/hook"}})
        .node("conv", "CONVERTED")
        .node("drop", "DROPPED")
        .edge("call1", "app", "COMPLETED")
        .edge("call1", "call2")
        .edge("app", "conv")
        .edge("call2", "conv", "COMPLETED")
        .edge("call2", "drop")
        .entry("call1");
}

Scenario scenario_from(const char* text) {
    auto s = parse_scenario_text(text);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.value();
}

// n calls drawn from `shares` (CallOutcome order) with a seeded generator.
ObservedNode draw_calls(const std::string& id, const std::array<double, 5>& shares, int n,
                        Rng& rng) {
    ObservedNode o;
    o.node_id = id;
    for (int i = 0; i < n; ++i) {
        double u = rng.uniform(), c = 0;
        std::size_t k = 0;
        for (; k < 4; ++k) {
            c += shares[k];
            if (u < c) break;
        }
        ++o.outcomes[k];
    }
    return o;
}

TEST(Calibration, BetaFunctionsMatchKnownValues) {
    // I_x(1, 1) = x; I_x(2, 1) = x²; I_0.5(a, a) = 0.5.
    EXPECT_NEAR(incomplete_beta(1, 1, 0.3), 0.3, 1e-12);
    EXPECT_NEAR(incomplete_beta(2, 1, 0.3), 0.09, 1e-12);
    EXPECT_NEAR(incomplete_beta(7.5, 7.5, 0.5), 0.5, 1e-12);
    // Beta(2, 3) CDF at 0.4: 1 - (1-x)^3 (1 + 3x) = 0.5248.
    EXPECT_NEAR(incomplete_beta(2, 3, 0.4), 0.5248, 1e-12);
    // Quantiles invert the CDF, including far in the tails.
    for (double q : {0.001, 0.025, 0.5, 0.975, 0.999}) {
        const double x = beta_quantile(30.5, 970.5, q);
        EXPECT_NEAR(incomplete_beta(30.5, 970.5, x), q, 1e-9) << q;
    }
    EXPECT_NEAR(beta_quantile(1, 1, 0.25), 0.25, 1e-12);
}

TEST(Calibration, FitsOutcomesDurationsAnalysisAndActions) {
    const CompiledGraph g = two_calls().compile();
    const Scenario prior = scenario_from(
        R"({"nodes": {"call1": {"outcomes": {"COMPLETED": 0.2, "NO_ANSWER": 0.5, "BUSY": 0.1,
            "VOICEMAIL": 0.1, "FAILED": 0.1}, "analysis": {"interested": {"p_true": 0.5}}}}})");
    Observations obs;
    ObservedNode c1;
    c1.node_id = "call1";
    c1.outcomes = {400, 400, 100, 50, 50};
    c1.billed_calls = 450;
    c1.billed_s = 450 * 90.0;
    c1.billed_s2 = 450 * (90.0 * 90.0 + 20.0 * 20.0);  // mean 90, population sd 20
    c1.analysis["interested"] = {{"true", 100}, {"false", 300}};
    ObservedNode app;
    app.node_id = "app";
    app.actions_ok = 380;
    app.actions_failed = 20;
    app.latency_s = 400 * 1.5;
    app.latency_s2 = 400 * 2.25;
    ObservedNode c2;  // too few calls: keeps the prior
    c2.node_id = "call2";
    c2.outcomes = {5, 5, 0, 0, 0};
    obs.nodes = {c1, app, c2};
    obs.arrivals = 2400;
    obs.first_arrival_hour = 1'767'600'000'000;  // an hour boundary
    obs.last_arrival_hour = obs.first_arrival_hour + 47 * 3'600'000;

    const Json out = calibrate(g, prior, obs, CalibrationOptions{20, 30});
    const Json& n1 = out["nodes"]["call1"];
    EXPECT_EQ(n1["calls"], 1000);
    EXPECT_TRUE(n1["fitted"].get<bool>());
    // (20·0.2 + 400) / 1020
    EXPECT_NEAR(n1["outcomes"]["COMPLETED"]["share"].get<double>(), 404.0 / 1020, 1e-12);
    EXPECT_EQ(n1["outcomes"]["COMPLETED"]["count"], 400);
    EXPECT_DOUBLE_EQ(n1["outcomes"]["COMPLETED"]["prior"].get<double>(), 0.2);
    const Json ci = n1["outcomes"]["COMPLETED"]["ci95"];
    EXPECT_LT(ci[0].get<double>(), 404.0 / 1020);
    EXPECT_GT(ci[1].get<double>(), 404.0 / 1020);
    EXPECT_NEAR(ci[1].get<double>() - ci[0].get<double>(),
                2 * 1.96 * std::sqrt(0.396 * 0.604 / 1020), 0.002);
    EXPECT_NEAR(n1["call_duration_s"]["mean"].get<double>(), 90, 1e-9);
    EXPECT_NEAR(n1["call_duration_s"]["sd"].get<double>(), 20 * std::sqrt(450.0 / 449), 1e-6);
    EXPECT_NEAR(n1["analysis"]["interested"]["values"]["true"]["share"].get<double>(),
                (20 * 0.5 + 100) / 420.0, 1e-12);
    const Json& a = out["nodes"]["app"];
    EXPECT_EQ(a["actions"], 400);
    EXPECT_NEAR(a["success_rate"]["share"].get<double>(), (20 * 0.98 + 380) / 420.0, 1e-12);
    EXPECT_NEAR(a["latency_s"]["mean"].get<double>(), 1.5, 1e-12);
    const Json& n2 = out["nodes"]["call2"];
    EXPECT_FALSE(n2["fitted"].get<bool>());
    EXPECT_EQ(n2["note"], "10 calls, fewer than 30: the scenario keeps its model");

    // The fitted scenario parses, and carries the posterior means for fitted nodes only.
    auto fitted = parse_scenario(out["scenario"]);
    ASSERT_TRUE(fitted.ok()) << fitted.status().message();
    const BoundScenario b = bind_scenario(g, fitted.value());
    const auto i1 = static_cast<std::size_t>(g.node_index("call1"));
    const auto i2 = static_cast<std::size_t>(g.node_index("call2"));
    const auto ia = static_cast<std::size_t>(g.node_index("app"));
    EXPECT_NEAR(b.nodes[i1].outcomes[0], 404.0 / 1020, 1e-12);
    EXPECT_NEAR(b.nodes[i1].duration_mean_s, 90, 1e-9);
    EXPECT_EQ(b.nodes[i2].outcomes, bind_scenario(g, prior).nodes[i2].outcomes);
    EXPECT_NEAR(b.nodes[ia].success_rate, (20 * 0.98 + 380) / 420.0, 1e-12);
    EXPECT_EQ(fitted.value().leads, 2400);
    EXPECT_EQ(fitted.value().arrivals, ArrivalMode::kUniform);
    EXPECT_NEAR(fitted.value().arrivals_over_days, 2.0, 1e-12);
    EXPECT_NEAR(out["arrivals"]["per_day"].get<double>(), 1200, 1e-9);
}

TEST(Calibration, NoObservationsKeepEveryModel) {
    const CompiledGraph g = two_calls().compile();
    const Scenario prior = scenario_from(R"({"seed": 7, "leads": 500})");
    const Json out = calibrate(g, prior, Observations{});
    EXPECT_EQ(out["scenario"], to_json(prior));
    EXPECT_EQ(out["nodes"]["call1"]["calls"], 0);
    EXPECT_FALSE(out["nodes"]["call1"]["fitted"].get<bool>());
    EXPECT_EQ(out["arrivals"]["leads"], 0);
}

// Over many seeded synthetic logs drawn from known shares, each 95% interval holds the true
// share about 95% of the time. The prior is weak (weight 2, uniform), as a check of the
// interval's construction rather than of a lucky prior.
TEST(Calibration, IntervalsCoverTheTrueSharesAtTheNominalRate) {
    const CompiledGraph g = two_calls().compile();
    const Scenario prior = scenario_from(
        R"({"nodes": {"call1": {"outcomes": {"COMPLETED": 0.2, "NO_ANSWER": 0.2, "BUSY": 0.2,
            "VOICEMAIL": 0.2, "FAILED": 0.2}}}})");
    const std::array<double, 5> truth{0.3, 0.45, 0.1, 0.1, 0.05};
    const char* labels[] = {"COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED"};
    constexpr int kRuns = 1000;
    int covered = 0, total = 0;
    for (int run = 0; run < kRuns; ++run) {
        Rng rng(1000 + static_cast<std::uint64_t>(run));
        Observations obs;
        obs.nodes.push_back(draw_calls("call1", truth, 400, rng));
        const Json out = calibrate(g, prior, obs, CalibrationOptions{2, 30});
        for (int k = 0; k < 5; ++k) {
            const Json ci = out["nodes"]["call1"]["outcomes"][labels[k]]["ci95"];
            covered += ci[0].get<double>() <= truth[static_cast<std::size_t>(k)] &&
                       truth[static_cast<std::size_t>(k)] <= ci[1].get<double>();
            ++total;
        }
    }
    const double rate = static_cast<double>(covered) / total;
    // 5,000 intervals: the binomial sd at 95% is 0.3%, so ±1.5% is five of them.
    EXPECT_NEAR(rate, 0.95, 0.015) << covered << " of " << total;
}

TEST(Calibration, DriftFlagsOnlyTheNodeWhoseAnswerRateMoved) {
    const CompiledGraph g = two_calls().compile();
    const Scenario plan = scenario_from(
        R"({"nodes": {"call2": {"outcomes": {"COMPLETED": 0.25, "NO_ANSWER": 0.45, "BUSY": 0.1,
            "VOICEMAIL": 0.15, "FAILED": 0.05}}}})");
    Rng rng(42);
    Observations obs;
    // call1 follows the default model; call2 answers 12% instead of 25%.
    obs.nodes.push_back(draw_calls("call1", {0.25, 0.45, 0.10, 0.15, 0.05}, 500, rng));
    obs.nodes.push_back(draw_calls("call2", {0.12, 0.58, 0.10, 0.15, 0.05}, 500, rng));
    // A third node with too few calls is never flagged, however far off.
    const Json out = drift(g, plan, obs);
    EXPECT_EQ(out["flagged"], Json::array({"call2"}));
    EXPECT_FALSE(out["nodes"]["call1"]["flagged"].get<bool>());
    const Json& n2 = out["nodes"]["call2"];
    EXPECT_TRUE(n2["flagged"].get<bool>());
    EXPECT_TRUE(n2["outcomes"]["COMPLETED"]["drifted"].get<bool>());
    EXPECT_EQ(n2["calls"], 500);
    // "call2: answer rate 12% (plan 25% ± 5%)", with the observed rate of this seeded draw.
    const std::string msg = n2["message"].get<std::string>();
    EXPECT_EQ(msg.rfind("call2: answer rate ", 0), 0u) << msg;
    EXPECT_NE(msg.find("(plan 25% ± 5%)"), std::string::npos) << msg;

    Observations few;
    few.nodes.push_back(draw_calls("call2", {0.0, 1.0, 0.0, 0.0, 0.0}, 29, rng));
    EXPECT_TRUE(drift(g, plan, few)["flagged"].empty());
}

}  // namespace
}  // namespace leadflow
