// Simulation comparison: identical graphs differ by nothing, a retry instead of a drop
// converts more (and the interval says so), intervals narrow with more leads, runs are
// deterministic, and errors name the side.
#include "leadflow/compare.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

Scenario scenario(const std::string& text) {
    auto s = parse_scenario_text(text);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? *s : default_scenario();
}

Json compare(const Graph& a, const Graph& b, const Scenario& s, const SimulateOptions& o = {}) {
    auto r = compare_simulations(a, b, s, o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : Json::object();
}

double lo(const Json& d) {
    return d["ci95"][0].get<double>();
}
double hi(const Json& d) {
    return d["ci95"][1].get<double>();
}

// A call whose NO_ANSWER edge (e2) drops the lead…
Graph drop_on_no_answer() {
    return GraphBuilder()
        .node("call", "VOICE_CALL")
        .node("conv", "CONVERTED")
        .node("drop", "DROPPED")
        .edge("call", "conv", "COMPLETED")
        .edge("call", "drop", "NO_ANSWER")
        .edge("call", "drop")
        .graph();
}

// …and the same graph with e2 re-routed to a retry call after a one-hour wait. "wait" and
// "retry" exist only here: they run with the default models.
Graph retry_on_no_answer() {
    return GraphBuilder()
        .node("call", "VOICE_CALL")
        .node("conv", "CONVERTED")
        .node("drop", "DROPPED")
        .node("wait", "TIME", {{"delay_hours", 1}})
        .node("retry", "VOICE_CALL")
        .edge("call", "conv", "COMPLETED")
        .edge("call", "wait", "NO_ANSWER")
        .edge("call", "drop")
        .edge("wait", "retry")
        .edge("retry", "conv", "COMPLETED")
        .edge("retry", "drop")
        .graph();
}

const char* kCallModel = R"("nodes": {"call": {"outcomes": {"COMPLETED": 0.3, "NO_ANSWER": 0.5,
    "BUSY": 0.1, "FAILED": 0.1}, "call_duration_s": {"mean": 120, "sd": 30}}})";

Scenario leads(int n, std::uint64_t seed = 7) {
    return scenario(R"({"seed": )" + std::to_string(seed) + R"(, "leads": )" + std::to_string(n) +
                    ", " + kCallModel + "}");
}

TEST(Compare, ResultShape) {
    const Json r = compare(drop_on_no_answer(), retry_on_no_answer(), leads(500));
    std::vector<std::string> keys;
    for (auto it = r.begin(); it != r.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"before", "after", "difference"}));
    keys.clear();
    for (auto it = r["difference"].begin(); it != r["difference"].end(); ++it) {
        keys.push_back(it.key());
    }
    EXPECT_EQ(keys,
              (std::vector<std::string>{"conversion", "calls_per_lead", "time_to_terminal_hours"}));
    auto keys_of = [](const Json& j) {
        std::vector<std::string> k;
        for (auto it = j.begin(); it != j.end(); ++it) k.push_back(it.key());
        return k;
    };
    EXPECT_EQ(keys_of(r["difference"]["conversion"]),
              (std::vector<std::string>{"before", "after", "delta", "ci95"}));
    EXPECT_EQ(keys_of(r["difference"]["calls_per_lead"]),
              (std::vector<std::string>{"before", "after", "delta", "ci95", "sd"}));
    EXPECT_EQ(keys_of(r["difference"]["time_to_terminal_hours"]),
              (std::vector<std::string>{"before", "after", "delta", "ci95", "sd", "leads"}));
    // The sides are the simulator's own results, byte for byte.
    for (const char* side : {"before", "after"}) {
        const Graph& g = std::string(side) == "before" ? drop_on_no_answer() : retry_on_no_answer();
        auto plain = simulate_graph(g, leads(500));
        ASSERT_TRUE(plain.ok());
        EXPECT_EQ(r[side].dump(), plain->dump()) << side;
    }
    // Conversion is the CONVERTED share of the results.
    EXPECT_EQ(r["difference"]["conversion"]["before"],
              r["before"]["terminal"]["completed"]["share"]);
    EXPECT_EQ(r["difference"]["calls_per_lead"]["after"], r["after"]["calls"]["per_lead"]);
}

TEST(Compare, IdenticalGraphsDifferByNothing) {
    const Graph g = testing::load_graph_fixture("lead_nurture.json");
    Scenario s = testing::load_scenario_fixture("lead_nurture.scenario.json");
    s.leads = 4000;
    const Json r = compare(g, g, s);
    EXPECT_EQ(r["before"].dump(), r["after"].dump());
    for (const char* k : {"conversion", "calls_per_lead", "time_to_terminal_hours"}) {
        SCOPED_TRACE(k);
        const Json& d = r["difference"][k];
        EXPECT_EQ(d["delta"].get<double>(), 0.0);
        EXPECT_EQ(d["before"], d["after"]);
        EXPECT_LT(lo(d), 0.0);
        EXPECT_GT(hi(d), 0.0);
        EXPECT_DOUBLE_EQ(lo(d), -hi(d));  // symmetric around 0
    }
    EXPECT_GT(r["difference"]["calls_per_lead"]["sd"][0].get<double>(), 0.0);
    EXPECT_EQ(r["difference"]["time_to_terminal_hours"]["leads"][0],
              r["difference"]["time_to_terminal_hours"]["leads"][1]);
}

TEST(Compare, RetryInsteadOfDropConvertsMore) {
    const Json r = compare(drop_on_no_answer(), retry_on_no_answer(), leads(20000));
    const Json& conv = r["difference"]["conversion"];
    // Before: P(COMPLETED) = 0.3. After: + 0.5 × 0.25 (the retry's default model).
    EXPECT_NEAR(conv["before"].get<double>(), 0.30, 0.015);
    EXPECT_NEAR(conv["after"].get<double>(), 0.425, 0.015);
    EXPECT_NEAR(conv["delta"].get<double>(), 0.125, 0.015);
    EXPECT_GT(lo(conv), 0.0);  // the interval excludes 0
    EXPECT_LT(lo(conv), conv["delta"].get<double>());
    EXPECT_GT(hi(conv), conv["delta"].get<double>());
    EXPECT_LT(hi(conv) - lo(conv), 0.03);
    // Half the leads call twice: +0.5 calls per lead.
    const Json& calls = r["difference"]["calls_per_lead"];
    EXPECT_DOUBLE_EQ(calls["before"].get<double>(), 1.0);
    EXPECT_EQ(calls["sd"][0].get<double>(), 0.0);  // one call each
    EXPECT_NEAR(calls["delta"].get<double>(), 0.5, 0.02);
    EXPECT_NEAR(calls["sd"][1].get<double>(), 0.5, 0.01);
    EXPECT_GT(lo(calls), 0.0);
    // Retried leads wait an hour: they end later.
    const Json& ttt = r["difference"]["time_to_terminal_hours"];
    EXPECT_GT(lo(ttt), 0.0);
    EXPECT_NEAR(ttt["delta"].get<double>(), 0.5, 0.05);
    EXPECT_EQ(ttt["leads"][0], 20000);
    EXPECT_EQ(ttt["leads"][1], 20000);
}

TEST(Compare, IntervalsNarrowWithMoreLeads) {
    const Json small = compare(drop_on_no_answer(), retry_on_no_answer(), leads(1000));
    const Json large = compare(drop_on_no_answer(), retry_on_no_answer(), leads(16000));
    for (const char* k : {"conversion", "calls_per_lead", "time_to_terminal_hours"}) {
        SCOPED_TRACE(k);
        const double w_small = hi(small["difference"][k]) - lo(small["difference"][k]);
        const double w_large = hi(large["difference"][k]) - lo(large["difference"][k]);
        EXPECT_GT(w_small, 0.0);
        // 16× the leads: about a quarter of the width.
        EXPECT_LT(w_large, w_small / 3);
        EXPECT_GT(w_large, w_small / 5);
    }
}

TEST(Compare, Deterministic) {
    const Graph a = testing::load_graph_fixture("lead_nurture.json");
    const Graph b = testing::load_graph_fixture("reengagement_drip.json");
    Scenario s = testing::load_scenario_fixture("lead_nurture.scenario.json");
    s.leads = 2000;
    const std::string first = compare(a, b, s).dump();
    EXPECT_EQ(compare(a, b, s).dump(), first);
    EXPECT_EQ(compare(a, b, s).dump(), first);
    // The scenario's models for nodes that `b` lacks are binding warnings of the after run.
    const Json r = Json::parse(first);
    EXPECT_TRUE(r["before"]["warnings"].empty());
    EXPECT_FALSE(r["after"]["warnings"].empty());
    // Another seed, other bytes.
    s.seed = 43;
    EXPECT_NE(compare(a, b, s).dump(), first);
}

TEST(Compare, NodesOnlyInAfterGetDefaultModels) {
    // "retry" has no model: with the default one (COMPLETED 0.25), the retried half of the
    // NO_ANSWER leads converts at about a quarter.
    const Json r = compare(drop_on_no_answer(), retry_on_no_answer(), leads(20000));
    const double retried = r["after"]["nodes"]["retry"]["leads"].get<double>();
    const double converted_after_retry = r["after"]["edges"]["e5"]["traversals"].get<double>();
    EXPECT_NEAR(converted_after_retry / retried, 0.25, 0.015);
    EXPECT_FALSE(r["before"]["nodes"].contains("retry"));
}

TEST(Compare, ErrorsNameTheSide) {
    const Graph ok = drop_on_no_answer();
    Graph no_entry = ok;
    no_entry.edges.push_back(Edge{"loop", "conv", "call", std::nullopt, 9, Json::object()});
    auto r = compare_simulations(no_entry, ok, leads(10));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(r.status().message().rfind("before: ", 0), 0u) << r.status().message();
    EXPECT_EQ(r.status().message(), "before: " + compile_graph(no_entry).status().message());

    Graph bad_field =
        GraphBuilder()
            .node("c", "CONDITIONAL",
                  {{"conditions", Json::array({Json{{"field", "call.foo"}, {"value", "x"}}})}})
            .node("y", "CONVERTED")
            .edge("c", "y")
            .graph();
    r = compare_simulations(ok, bad_field, leads(10));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind("after: ", 0), 0u) << r.status().message();
    // Both broken: `before` is reported.
    r = compare_simulations(no_entry, bad_field, leads(10));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message().rfind("before: ", 0), 0u);

    // A run that fails: an unknown time zone, and a budget too small.
    Graph bad_zone = ok;
    bad_zone.workflow.settings.timezone = "Mars/Olympus_Mons";
    r = compare_simulations(ok, bad_zone, leads(10));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind("after: settings.timezone", 0), 0u)
        << r.status().message();
    SimulateOptions o;
    o.max_events = 5;
    r = compare_simulations(ok, ok, leads(1000), o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
    EXPECT_EQ(r.status().message().rfind("before: ", 0), 0u);
}

TEST(Compare, TooFewTerminalLeadsHaveNoTimeInterval) {
    // Every lead waits past the horizon: no lead reaches a terminal node.
    const Graph slow = GraphBuilder()
                           .node("w", "TIME", {{"delay_days", 400}})
                           .node("y", "CONVERTED")
                           .edge("w", "y")
                           .graph();
    const Json r = compare(slow, slow, leads(50));
    const Json& ttt = r["difference"]["time_to_terminal_hours"];
    EXPECT_TRUE(ttt["ci95"].is_null());
    EXPECT_EQ(ttt["leads"][0], 0);
    const Json& conv = r["difference"]["conversion"];
    EXPECT_EQ(conv["before"].get<double>(), 0.0);
    EXPECT_EQ(lo(conv) < 0 && hi(conv) > 0, true);
}

}  // namespace
}  // namespace leadflow
