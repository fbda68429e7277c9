// Comparing two graphs by simulation in the web app: the runs give exactly the results the
// one-graph simulator (and so leadflow-sim --json) gives for each graph, the rows read from the
// comparison, failures named by side, and how the numbers are written.
#include "compare_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "leadflow/scenario.hpp"
#include "leadflow/simulate.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::fixture_graph;
using testing::read_fixture;

// lead_nurture without its third call: the second call's no-answer edge drops the lead.
Graph two_calls() {
    Graph g = fixture_graph("lead_nurture.json");
    auto gone = [](const std::string& id) { return id == "node_wait2" || id == "node_call3"; };
    g.nodes.erase(
        std::remove_if(g.nodes.begin(), g.nodes.end(), [&](const Node& n) { return gone(n.id); }),
        g.nodes.end());
    g.edges.erase(std::remove_if(g.edges.begin(), g.edges.end(),
                                 [&](const Edge& e) {
                                     return e.id != "edge_5" &&
                                            (gone(e.from_node_id) || gone(e.to_node_id));
                                 }),
                  g.edges.end());
    for (Edge& e : g.edges) {
        if (e.id == "edge_5") e.to_node_id = "node_unresponsive";
    }
    return g;
}

TEST(CompareGraphs, EachSideIsTheOneGraphSimulationsResults) {
    const Graph before = fixture_graph("lead_nurture.json");
    const Graph after = two_calls();
    const Json scenario = Json::parse(read_fixture("lead_nurture.scenario.json"));
    auto r = compare_graphs(before, after, scenario);
    ASSERT_TRUE(r.ok()) << r.status().message();
    auto v = read_comparison(*r);
    ASSERT_TRUE(v.ok()) << v.status().message();

    const Scenario s = *parse_scenario(scenario);
    auto alone_before = simulate_graph(before, s);
    auto alone_after = simulate_graph(after, s);
    ASSERT_TRUE(alone_before.ok() && alone_after.ok());
    // The bytes leadflow-sim --json prints (it dumps simulate()'s results the same way).
    EXPECT_EQ(v->before_text, alone_before->dump());
    EXPECT_EQ(v->after_text, alone_after->dump());

    EXPECT_EQ(v->leads, 10000);
    EXPECT_EQ(v->seed, 42u);
    const auto completed = [](const Json& res) {
        return res["terminal"]["completed"]["count"].get<std::int64_t>();
    };
    EXPECT_EQ(v->converted_before, completed(*alone_before));
    EXPECT_EQ(v->converted_after, completed(*alone_after));
    EXPECT_DOUBLE_EQ(v->conversion.before, completed(*alone_before) / 10000.0);
    EXPECT_DOUBLE_EQ(v->conversion.after, completed(*alone_after) / 10000.0);
    EXPECT_DOUBLE_EQ(v->conversion.delta, v->conversion.after - v->conversion.before);
    EXPECT_DOUBLE_EQ(v->calls_per_lead.before, (*alone_before)["calls"]["per_lead"].get<double>());
    EXPECT_DOUBLE_EQ(v->calls_per_lead.after, (*alone_after)["calls"]["per_lead"].get<double>());
    // One call fewer for the leads that never answer: conversion and calls go down.
    EXPECT_LT(v->conversion.delta, 0);
    EXPECT_LT(v->calls_per_lead.delta, 0);
    for (const CompareMetric* m : {&v->conversion, &v->calls_per_lead, &v->time_to_terminal}) {
        ASSERT_TRUE(m->has_ci);
        EXPECT_LE(m->ci_lo, m->delta);
        EXPECT_GE(m->ci_hi, m->delta);
    }
    // Time to terminal is over the leads that reached a terminal node.
    const auto terminal = [](const Json& res) {
        std::int64_t n = 0;
        for (const char* k : {"completed", "dropped", "failed"}) {
            n += res["terminal"][k]["count"].get<std::int64_t>();
        }
        return n;
    };
    EXPECT_EQ(v->terminal_before, terminal(*alone_before));
    EXPECT_EQ(v->terminal_after, terminal(*alone_after));
}

TEST(CompareGraphs, AGraphAgainstItselfDiffersByNothing) {
    const Graph g = fixture_graph("conditional_followup.json");
    auto r = compare_graphs(g, g, Json::parse(read_fixture("conditional_followup.scenario.json")));
    ASSERT_TRUE(r.ok()) << r.status().message();
    auto v = read_comparison(*r);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->before_text, v->after_text);
    EXPECT_EQ(v->conversion.delta, 0);
    EXPECT_EQ(v->calls_per_lead.delta, 0);
    EXPECT_EQ(v->time_to_terminal.delta, 0);
}

TEST(CompareGraphs, FailuresSayWhichSideAndTheScenarioIsChecked) {
    const Graph good = fixture_graph("lead_nurture.json");
    auto empty_after = compare_graphs(good, Graph{}, Json::object());
    ASSERT_FALSE(empty_after.ok());
    EXPECT_EQ(empty_after.status().message().rfind("after: ", 0), 0u)
        << empty_after.status().message();
    auto empty_before = compare_graphs(Graph{}, good, Json::object());
    ASSERT_FALSE(empty_before.ok());
    EXPECT_EQ(empty_before.status().message().rfind("before: ", 0), 0u);
    auto bad = compare_graphs(good, good, Json{{"leads", "many"}});
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.status().message().find("leads"), std::string::npos);
    // A missing scenario is every default.
    EXPECT_TRUE(compare_graphs(good, good, nullptr).ok());
}

TEST(CompareSession, SlicedRunsGiveCompareGraphsBytes) {
    const Graph before = fixture_graph("lead_nurture.json");
    const Graph after = two_calls();
    const Json scenario = Json::parse(read_fixture("lead_nurture.scenario.json"));
    auto whole = compare_graphs(before, after, scenario);
    ASSERT_TRUE(whole.ok()) << whole.status().message();
    CompareSession session;
    ASSERT_TRUE(session.start(before, after, scenario).is_ok());
    EXPECT_TRUE(session.running());
    EXPECT_EQ(session.finish().status().code(), StatusCode::kFailedPrecondition);
    int slices = 0;
    double last = 0;
    while (!session.step(2000)) {
        ++slices;
        EXPECT_GE(session.progress(), last);
        last = session.progress();
        ASSERT_LT(slices, 100000) << "the runs must end";
    }
    EXPECT_GT(slices, 4) << "both runs took several slices";
    EXPECT_FALSE(session.running());
    EXPECT_EQ(session.progress(), 1.0);
    auto sliced = session.finish();
    ASSERT_TRUE(sliced.ok()) << sliced.status().message();
    EXPECT_EQ(sliced->dump(), whole->dump());
    EXPECT_EQ(session.finish().status().code(), StatusCode::kFailedPrecondition)
        << "finish hands the answer over once";
}

TEST(CompareSession, FailuresSayWhichSideAndNothingRuns) {
    const Graph good = fixture_graph("lead_nurture.json");
    CompareSession session;
    Status after = session.start(good, Graph{}, Json::object());
    EXPECT_EQ(after.message().rfind("after: ", 0), 0u) << after.message();
    EXPECT_FALSE(session.running());
    Status before = session.start(Graph{}, good, Json::object());
    EXPECT_EQ(before.message().rfind("before: ", 0), 0u) << before.message();
    Status bad = session.start(good, good, Json{{"leads", "many"}});
    EXPECT_NE(bad.message().find("leads"), std::string::npos) << bad.message();
    EXPECT_FALSE(session.running());
    EXPECT_TRUE(session.step(1)) << "nothing to run";
}

TEST(ReadComparison, AMissingPartIsAnError) {
    const Graph g = fixture_graph("lead_nurture.json");
    auto r = compare_graphs(g, g, Json{{"leads", 50}});
    ASSERT_TRUE(r.ok());
    Json j = *r;
    j["difference"].erase("calls_per_lead");
    auto v = read_comparison(j);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().message(), "comparison: difference.calls_per_lead missing");
    EXPECT_FALSE(read_comparison(Json::object()).ok());
    // A one-lead run has no interval for calls per lead.
    auto one = compare_graphs(g, g, Json{{"leads", 1}});
    ASSERT_TRUE(one.ok());
    auto ov = read_comparison(*one);
    ASSERT_TRUE(ov.ok());
    EXPECT_FALSE(ov->calls_per_lead.has_ci);
    EXPECT_EQ(format_interval(ov->calls_per_lead, MetricUnit::kCalls), "n/a");
}

TEST(CompareFormat, ValuesDifferencesAndIntervals) {
    EXPECT_EQ(format_value(0.31415, MetricUnit::kShare), "31.4%");
    EXPECT_EQ(format_value(1.82349, MetricUnit::kCalls), "1.823");
    EXPECT_EQ(format_value(52.06, MetricUnit::kHours), "52.1 h");
    EXPECT_EQ(format_delta(0.025, MetricUnit::kShare), "+2.5 pp");
    EXPECT_EQ(format_delta(-0.12, MetricUnit::kCalls), "-0.120");
    EXPECT_EQ(format_delta(4.0, MetricUnit::kHours), "+4.0 h");
    EXPECT_EQ(format_delta(-0.0001, MetricUnit::kShare), "0.0 pp");  // no "-0.0"
    CompareMetric m;
    m.has_ci = true;
    m.ci_lo = -0.003;
    m.ci_hi = 0.053;
    EXPECT_EQ(format_interval(m, MetricUnit::kShare), "-0.3 to +5.3 pp");
}

}  // namespace
}  // namespace leadflow::web

namespace leadflow::web {
namespace {

TEST(ComparisonCsv, OneRowPerMetricWithFullPrecision) {
    ComparisonView v;
    v.conversion = {0.3141, 0.35, 0.0359, true, -0.003, 0.0748};
    v.calls_per_lead = {1.8, 1.5, -0.30000000000000004, true, -0.5, -0.1};
    v.time_to_terminal = {52.0, 48.25, -3.75, false, 0, 0};
    EXPECT_EQ(comparison_csv(v),
              "metric,unit,before,after,difference,ci95_low,ci95_high\r\n"
              "conversion,share,0.3141,0.35,0.0359,-0.003,0.0748\r\n"
              "calls_per_lead,calls,1.8,1.5,-0.30000000000000004,-0.5,-0.1\r\n"
              "time_to_terminal,hours,52.0,48.25,-3.75,,\r\n");
}

TEST(ComparisonCsv, NumbersReadBackExactly) {
    const Graph g = testing::fixture_graph("lead_nurture.json");
    auto r = compare_graphs(g, g, Json::parse(testing::read_fixture("lead_nurture.scenario.json")));
    ASSERT_TRUE(r.ok()) << r.status().message();
    auto v = read_comparison(*r);
    ASSERT_TRUE(v.ok());
    const std::string csv = comparison_csv(*v);
    // The second line's before value is the conversion share exactly.
    const std::size_t line = csv.find("\r\nconversion,share,") + 19;
    EXPECT_EQ(std::stod(csv.substr(line, csv.find(',', line) - line)), v->conversion.before);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
}

}  // namespace
}  // namespace leadflow::web
