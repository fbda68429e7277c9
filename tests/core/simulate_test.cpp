// The Monte-Carlo simulator (docs/simulation.md): results layout, determinism, time, calling
// windows, concurrency, horizon, analysis and variables.
#include "leadflow/simulate.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "leadflow/civil_time.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

Json run(const Graph& g, const Scenario& s, bool exact = true) {
    SimulateOptions o;
    o.exact = exact;
    auto r = simulate_graph(g, s, o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : Json::object();
}

Scenario scenario(const std::string& text) {
    return testing::scenario_text(text);
}

std::vector<std::string> keys(const Json& j) {
    std::vector<std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
    return out;
}

// One call that always completes after exactly `seconds`.
GraphBuilder one_call() {
    return GraphBuilder()
        .node("call", "VOICE_CALL")
        .node("conv", "CONVERTED")
        .node("drop", "DROPPED")
        .edge("call", "conv", "COMPLETED")
        .edge("call", "drop");
}
const char* kAlwaysCompletes60 =
    R"("call": {"outcomes": {"COMPLETED": 1}, "call_duration_s": {"mean": 60, "sd": 0}})";

TEST(Simulate, ResultsFollowTheSpecLayout) {
    const Json r = run(testing::load_graph_fixture("lead_nurture.json"),
                       testing::load_scenario_fixture("lead_nurture.scenario.json"));
    const std::vector<std::string> want{
        "leads",       "seed", "terminal", "nodes", "edges", "calls", "time_to_terminal_hours",
        "in_progress", "exact"};
    const std::vector<std::string> got = keys(r);
    ASSERT_GE(got.size(), want.size());
    EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + 9), want);
    EXPECT_EQ(keys(r["terminal"]),
              (std::vector<std::string>{"completed", "dropped", "failed", "stuck", "unfinished"}));
    EXPECT_EQ(keys(r["terminal"]["completed"]),
              (std::vector<std::string>{"count", "share", "ci95"}));
    EXPECT_EQ(keys(r["nodes"]["node_call1"]),
              (std::vector<std::string>{"entries", "leads", "share"}));
    EXPECT_EQ(keys(r["calls"]),
              (std::vector<std::string>{"placed", "per_lead", "minutes", "cost"}));
    EXPECT_EQ(keys(r["time_to_terminal_hours"]),
              (std::vector<std::string>{"p50", "p90", "p99", "histogram"}));
    const std::vector<std::string> exact_keys = keys(r["exact"]);
    ASSERT_GE(exact_keys.size(), 5u);
    EXPECT_EQ(std::vector<std::string>(exact_keys.begin(), exact_keys.begin() + 5),
              (std::vector<std::string>{"available", "reason", "terminal", "expected_visits",
                                        "expected_calls"}));
    // Counts add up.
    std::int64_t total = 0;
    for (auto& t : r["terminal"]) total += t["count"].get<std::int64_t>();
    EXPECT_EQ(total, 10000);
    EXPECT_EQ(r["leads"], 10000);
    EXPECT_EQ(r["seed"], 42);
    // Every lead enters the first call once; converted entries = completed count.
    EXPECT_EQ(r["nodes"]["node_call1"]["entries"], 10000);
    EXPECT_EQ(r["nodes"]["node_converted"]["entries"], r["terminal"]["completed"]["count"]);
    // Edge traversals into a node equal its entries.
    EXPECT_EQ(r["edges"]["edge_2"]["traversals"], r["nodes"]["node_wait1"]["entries"]);
    const std::int64_t calls = r["nodes"]["node_call1"]["entries"].get<std::int64_t>() +
                               r["nodes"]["node_call2"]["entries"].get<std::int64_t>() +
                               r["nodes"]["node_call3"]["entries"].get<std::int64_t>();
    EXPECT_EQ(r["calls"]["placed"], calls);
    EXPECT_DOUBLE_EQ(r["calls"]["cost"].get<double>(), r["calls"]["minutes"].get<double>() * 0.10);
    std::int64_t hist = 0;
    for (auto& h : r["time_to_terminal_hours"]["histogram"]) hist += h["count"].get<std::int64_t>();
    EXPECT_EQ(hist, 10000);
}

TEST(Simulate, SameSeedSameBytesOtherSeedOtherResult) {
    const Graph g = testing::load_graph_fixture("lead_nurture.json");
    Scenario s = testing::load_scenario_fixture("lead_nurture.scenario.json");
    s.leads = 2000;
    const std::string a = run(g, s).dump();
    EXPECT_EQ(a, run(g, s).dump());
    s.seed = 43;
    EXPECT_NE(a, run(g, s).dump());
}

TEST(Simulate, CallDurationsAndTimeToTerminal) {
    const Json r = run(one_call().graph(),
                       scenario(std::string(R"({"leads": 10, "cost_per_minute": 0.5, "nodes": {)") +
                                kAlwaysCompletes60 + "}}"));
    EXPECT_EQ(r["terminal"]["completed"]["count"], 10);
    EXPECT_DOUBLE_EQ(r["calls"]["minutes"].get<double>(), 10.0);
    EXPECT_DOUBLE_EQ(r["calls"]["cost"].get<double>(), 5.0);
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p50"].get<double>(), 60.0 / 3600);
}

TEST(Simulate, ConcurrencyLimitServesLeadsFirstComeFirstServed) {
    // 10 leads, one line: lead k finishes after k minutes.
    const Json r =
        run(one_call().setting("max_concurrent_calls", 1).graph(),
            scenario(std::string(R"({"leads": 10, "nodes": {)") + kAlwaysCompletes60 + "}}"));
    EXPECT_EQ(r["terminal"]["completed"]["count"], 10);
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p50"].get<double>(), 5 * 60.0 / 3600);
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p99"].get<double>(), 10 * 60.0 / 3600);
}

TEST(Simulate, CallsWaitForTheCallingWindow) {
    // Start Saturday 10:00 UTC; the window opens Monday 09:00 → done Monday 09:01.
    const Json r = run(
        one_call()
            .setting("calling_window", {{"days", {"mon", "tue", "wed", "thu", "fri"}},
                                        {"start", "09:00"},
                                        {"end", "18:00"}})
            .graph(),
        scenario(std::string(R"({"leads": 5, "start_time": "2026-03-07T10:00:00Z", "nodes": {)") +
                 kAlwaysCompletes60 + "}}"));
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p50"].get<double>(), 47.0 + 1.0 / 60);
    // In progress on Saturday noon, done by Monday noon.
    for (const Json& p : r["in_progress"]) {
        const double t = p["t_hours"].get<double>();
        if (t > 0 && t < 47) EXPECT_EQ(p["count"], 5) << t;
        if (t >= 48) EXPECT_EQ(p["count"], 0) << t;
    }
}

TEST(Simulate, CallingWindowUsesTheLeadsTimeZoneVariable) {
    // 2026-03-02 (Mon) 09:00 UTC: open in UTC and Kolkata (14:30), closed in New York (04:00).
    const Graph g = one_call()
                        .setting("calling_window", {{"days", {"mon", "tue", "wed", "thu", "fri"}},
                                                    {"start", "09:00"},
                                                    {"end", "18:00"}})
                        .graph();
    const Json r =
        run(g, scenario(std::string(R"({"leads": 200, "start_time": "2026-03-02T09:00:00Z",
        "variables": {"timezone": {"values": {"Asia/Kolkata": 0.5, "America/New_York": 0.5}}},
        "nodes": {)") + kAlwaysCompletes60 +
                        "}}"));
    // Kolkata leads finish at once (1 min), New York leads at 09:01 EST = 14:01 UTC (5 h later).
    const double p50 = r["time_to_terminal_hours"]["p50"].get<double>();
    EXPECT_TRUE(p50 == 1.0 / 60 || p50 == 5.0 + 1.0 / 60) << p50;
    EXPECT_EQ(r["terminal"]["completed"]["count"], 200);
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p99"].get<double>(), 5.0 + 1.0 / 60);
    const auto bad = simulate_graph(
        g, scenario(R"({"variables": {"timezone": {"values": {"Mars/Olympus": 1}}}})"));
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.status().message().find("timezone"), std::string::npos);
}

TEST(Simulate, HorizonLeavesLeadsUnfinished) {
    const Graph g = GraphBuilder()
                        .node("wait", "TIME", {{"delay_days", 10}})
                        .node("end", "CONVERTED")
                        .edge("wait", "end")
                        .graph();
    Json r = run(g, scenario(R"({"leads": 50, "horizon_days": 5})"));
    EXPECT_EQ(r["terminal"]["unfinished"]["count"], 50);
    EXPECT_EQ(r["terminal"]["unfinished"]["share"], 1.0);
    EXPECT_EQ(r["in_progress"].back()["count"], 50);
    r = run(g, scenario(R"({"leads": 50, "horizon_days": 11})"));
    EXPECT_EQ(r["terminal"]["completed"]["count"], 50);
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p90"].get<double>(), 240.0);
}

TEST(Simulate, StuckLeadsAreCounted) {
    const Graph g = GraphBuilder()
                        .node("call", "VOICE_CALL")
                        .node("conv", "CONVERTED")
                        .edge("call", "conv", "COMPLETED")
                        .graph();
    const Json r = run(g, scenario(R"({"leads": 4000, "seed": 3})"));
    const double stuck = r["terminal"]["stuck"]["share"].get<double>();
    EXPECT_NEAR(stuck, 0.75, 0.03);
    EXPECT_NEAR(r["exact"]["terminal"]["stuck"].get<double>(), 0.75, 1e-12);
}

TEST(Simulate, AnalysisIsDrawnPerCompletedCallOnly) {
    // Conditional on call.analysis.interested right after the call: only COMPLETED calls carry
    // it, so P(true branch) = P(COMPLETED) × p_true.
    const Graph g = testing::load_graph_fixture("conditional_followup.json");
    const Json r = run(g, testing::load_scenario_fixture("conditional_followup.scenario.json"));
    const double booking = r["nodes"]["node_booking"]["share"].get<double>();
    EXPECT_NEAR(booking, 0.40 * 0.35, 0.015);
    EXPECT_EQ(r["nodes"]["node_interested"]["entries"], r["edges"]["edge_1"]["traversals"]);
}

TEST(Simulate, LeadVariablesAreDrawnOncePerLead) {
    const Graph g =
        GraphBuilder()
            .node("city", "CONDITIONAL",
                  {{"conditions",
                    Json::array({Json{
                        {"field", "lead.city"}, {"operator", "equals"}, {"value", "Mumbai"}}})}})
            .node("yes", "CONVERTED")
            .node("no", "DROPPED")
            .edge("city", "yes", "true")
            .edge("city", "no", "false")
            .graph();
    const Json r = run(
        g,
        scenario(
            R"({"leads": 5000, "variables": {"city": {"values": {"Mumbai": 0.6, "Delhi": 0.4}}}})"));
    EXPECT_NEAR(r["terminal"]["completed"]["share"].get<double>(), 0.6, 0.03);
    EXPECT_DOUBLE_EQ(r["exact"]["terminal"]["completed"].get<double>(), 0.6);
}

TEST(Simulate, UniformArrivalsSpreadTheStart) {
    const Graph g = GraphBuilder()
                        .node("wait", "TIME", {{"delay_hours", 1}})
                        .node("end", "CONVERTED")
                        .edge("wait", "end")
                        .graph();
    const Json r = run(g, scenario(R"({"leads": 1000, "horizon_days": 20,
                                       "arrivals": {"mode": "uniform", "over_days": 10}})"));
    EXPECT_EQ(r["terminal"]["completed"]["count"], 1000);
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p50"].get<double>(), 1.0);
    // In progress is small at any instant (each lead waits one hour of ten days).
    for (const Json& p : r["in_progress"]) EXPECT_LT(p["count"].get<int>(), 50);
}

TEST(Simulate, ApplicationsFollowTheSuccessRate) {
    const Graph g = GraphBuilder()
                        .node("app", "APPLICATION", {{"action_key", "crm"}})
                        .node("ok", "CONVERTED")
                        .node("bad", "DROPPED")
                        .edge("app", "ok", "success")
                        .edge("app", "bad", "failure")
                        .graph();
    const Json r = run(
        g,
        scenario(R"({"leads": 4000, "nodes": {"app": {"success_rate": 0.8, "latency_s": 7200}}})"));
    EXPECT_NEAR(r["terminal"]["completed"]["share"].get<double>(), 0.8, 0.02);
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p50"].get<double>(), 2.0);
}

TEST(Simulate, WilsonInterval) {
    auto [lo, hi] = wilson_interval(50, 100);
    EXPECT_NEAR(lo, 0.4038, 1e-4);
    EXPECT_NEAR(hi, 0.5962, 1e-4);
    auto [z_lo, z_hi] = wilson_interval(0, 100);
    EXPECT_EQ(z_lo, 0.0);
    EXPECT_NEAR(z_hi, 0.0370, 1e-4);
}

TEST(Simulate, CompactStatePerLead) {
    const Graph g = testing::load_graph_fixture("lead_nurture.json");
    Scenario s = default_scenario();
    s.leads = 1000;
    SimulationStats stats;
    ASSERT_TRUE(simulate_graph(g, s, {}, &stats).ok());
    EXPECT_LT(stats.bytes_per_lead, 100u);
    EXPECT_GT(stats.events, 1000);
}

// Leads loop between two one-hour waits until the loop guard (max_steps_per_lead) fails them.
Graph looping_graph() {
    return GraphBuilder()
        .node("a", "TIME", {{"delay_hours", 1}})
        .node("b", "TIME", {{"delay_hours", 1}})
        .edge("a", "b")
        .edge("b", "a")
        .entry("a")
        .graph();
}

TEST(SimulateBudget, ABudgetOrAHookThatNeverFiresGivesTheSameBytes) {
    const Graph g = testing::load_graph_fixture("lead_nurture.json");
    const Scenario s = testing::load_scenario_fixture("lead_nurture.scenario.json");
    SimulationStats stats;
    auto plain = simulate_graph(g, s, {}, &stats);
    ASSERT_TRUE(plain.ok());
    int polls = 0;
    SimulateOptions o;
    o.max_events = stats.events;  // exactly enough
    o.should_stop = [&polls] {
        ++polls;
        return false;
    };
    auto budgeted = simulate_graph(g, s, o);
    ASSERT_TRUE(budgeted.ok()) << budgeted.status().message();
    EXPECT_EQ(budgeted->dump(), plain->dump());
    EXPECT_GE(polls, 1);
    // One event fewer is over the budget.
    o.max_events = stats.events - 1;
    auto over = simulate_graph(g, s, o);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.status().code(), StatusCode::kResourceExhausted);
}

TEST(SimulateBudget, ALoopingGraphStopsAtTheBudget) {
    Scenario s = default_scenario();
    s.leads = 1000;  // about a million events
    SimulateOptions o;
    o.max_events = 100'000;
    auto r = simulate_graph(looping_graph(), s, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
    EXPECT_NE(r.status().message().find("more than 100000 events"), std::string::npos);
    // Unbudgeted, the loop guard ends every lead: the run finishes.
    s.leads = 10;
    auto done = simulate_graph(looping_graph(), s);
    ASSERT_TRUE(done.ok()) << done.status().message();
    EXPECT_EQ((*done)["terminal"]["failed"]["count"], 10);
}

TEST(SimulateBudget, TheStopHookCancelsTheRun) {
    Scenario s = default_scenario();
    s.leads = 1'000'000;  // about a billion events: hours without the hook
    int polls = 0;
    SimulateOptions o;
    o.should_stop = [&polls] { return ++polls == 4; };
    auto r = simulate_graph(looping_graph(), s, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
    EXPECT_EQ(polls, 4);
    EXPECT_NE(r.status().message().find("cancelled"), std::string::npos);
}

// [SECTION] Per-lead spread in SimulationStats (not part of the results JSON)

TEST(SimulateStats, CountingCallsPerLeadKeepsTheBytes) {
    for (const char* name :
         {"lead_nurture.json", "reengagement_drip.json", "conditional_followup.json"}) {
        SCOPED_TRACE(name);
        const Graph g = testing::load_graph_fixture(name);
        const Scenario s = testing::load_scenario_fixture(
            std::string(name).substr(0, std::string(name).size() - 5) + ".scenario.json");
        SimulationStats plain_stats, counted_stats;
        auto plain = simulate_graph(g, s, {}, &plain_stats);
        SimulateOptions o;
        o.lead_calls = true;
        auto counted = simulate_graph(g, s, o, &counted_stats);
        ASSERT_TRUE(plain.ok() && counted.ok());
        EXPECT_EQ(plain->dump(), counted->dump());
        EXPECT_EQ(plain_stats.calls_per_lead_sd, -1.0);
        EXPECT_GT(counted_stats.calls_per_lead_sd, 0.0);
        EXPECT_EQ(counted_stats.bytes_per_lead, plain_stats.bytes_per_lead + 4);
        // The time-to-terminal moments do not need the option.
        EXPECT_EQ(plain_stats.time_to_terminal_mean_hours,
                  counted_stats.time_to_terminal_mean_hours);
        EXPECT_EQ(plain_stats.terminal_leads,
                  plain->at("terminal")["completed"]["count"].get<std::int64_t>() +
                      plain->at("terminal")["dropped"]["count"].get<std::int64_t>() +
                      plain->at("terminal")["failed"]["count"].get<std::int64_t>());
    }
}

TEST(SimulateStats, MomentsOfKnownDistributions) {
    // Every lead: one call of exactly 60 s. Mean 1/60 h, no spread; one call each.
    SimulateOptions o;
    o.lead_calls = true;
    SimulationStats st;
    auto r = simulate_graph(
        one_call().graph(),
        scenario(std::string(R"({"leads": 300, "nodes": {)") + kAlwaysCompletes60 + "}}"), o, &st);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(st.terminal_leads, 300);
    EXPECT_DOUBLE_EQ(st.time_to_terminal_mean_hours, 60.0 / 3600);
    EXPECT_EQ(st.time_to_terminal_sd_hours, 0.0);
    EXPECT_EQ(st.calls_per_lead_sd, 0.0);

    // Half the leads retry after an hour: 1 or 2 calls (sd ≈ 0.5), ending after ~0 or ~1 h
    // (sd ≈ 0.5 h).
    const Graph retry = GraphBuilder()
                            .node("call", "VOICE_CALL")
                            .node("wait", "TIME", {{"delay_hours", 1}})
                            .node("again", "VOICE_CALL")
                            .node("conv", "CONVERTED")
                            .edge("call", "conv", "COMPLETED")
                            .edge("call", "wait")
                            .edge("wait", "again")
                            .edge("again", "conv")
                            .graph();
    r = simulate_graph(retry, scenario(R"({"leads": 20000, "nodes": {
                           "call": {"outcomes": {"COMPLETED": 0.5, "BUSY": 0.5},
                                    "call_duration_s": {"mean": 5, "sd": 0}},
                           "again": {"outcomes": {"BUSY": 1}}}})"),
                       o, &st);
    ASSERT_TRUE(r.ok());
    const double p2 = (*r)["calls"]["per_lead"].get<double>() - 1;  // share that called twice
    EXPECT_NEAR(p2, 0.5, 0.02);
    EXPECT_NEAR(st.calls_per_lead_sd, std::sqrt(p2 * (1 - p2) * 20000 / 19999), 1e-9);
    // Times: 5 s, or 5 s + 1 h + 5 s.
    const double t1 = 5.0 / 3600, t2 = 1.0 + 10.0 / 3600;
    EXPECT_NEAR(st.time_to_terminal_mean_hours, (1 - p2) * t1 + p2 * t2, 1e-9);
    EXPECT_NEAR(st.time_to_terminal_sd_hours, std::sqrt(p2 * (1 - p2) * 20000 / 19999) * (t2 - t1),
                1e-9);
}

}  // namespace
}  // namespace leadflow
