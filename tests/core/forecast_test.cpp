// The forecast of running leads (forecast.hpp): with no running lead it is the plain
// simulation byte for byte; a waiting lead keeps only the time it has left; a call in progress
// ends as calls that have lasted that long end; and from mid-run snapshots of seeded runs, the
// actual final counts fall inside the 95% bands at about the nominal rate.
#include "leadflow/forecast.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "leadflow/simulate.hpp"
#include "leadflow/split.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;
using testing::load_graph_fixture;
using testing::load_scenario_fixture;

CompiledGraph compiled(const Graph& g) {
    auto c = compile_graph(g);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? *c : CompiledGraph{};
}

SimulateOptions no_exact() {
    SimulateOptions o;
    o.exact = false;
    return o;
}

TEST(Forecast, WithoutRunningLeadsIsThePlainSimulation) {
    const CompiledGraph g = compiled(load_graph_fixture("lead_nurture.json"));
    Scenario sc = load_scenario_fixture("lead_nurture.scenario.json");
    sc.leads = 3000;
    for (const ArrivalMode mode : {ArrivalMode::kAllAtStart, ArrivalMode::kUniform}) {
        sc.arrivals = mode;
        sc.arrivals_over_days = 5;
        const BoundScenario b = bind_scenario(g, sc);
        auto f = forecast(g, b, {}, no_exact());
        ASSERT_TRUE(f.ok()) << f.status().message();
        auto plain = simulate(g, b, no_exact());
        ASSERT_TRUE(plain.ok());
        EXPECT_EQ((*f)["simulation"].dump(), plain->dump());
        EXPECT_EQ((*f)["running"], 0);
        EXPECT_EQ((*f)["arrivals"], 3000);
        EXPECT_EQ((*f)["final"]["completed"]["expected"].get<double>(),
                  (*plain)["terminal"]["completed"]["count"].get<double>());
        EXPECT_EQ((*f)["final"]["dropped"]["expected"].get<double>(),
                  (*plain)["terminal"]["dropped"]["count"].get<double>());
    }
}

// call → wait 2 days → converted.
GraphBuilder call_then_wait() {
    return GraphBuilder()
        .node("call", "VOICE_CALL")
        .node("wait", "TIME", Json{{"duration_value", 2}, {"duration_unit", "days"}})
        .node("conv", "CONVERTED")
        .node("drop", "DROPPED")
        .edge("call", "conv", "COMPLETED")
        .edge("call", "drop", "BUSY")
        .edge("call", "wait")
        .edge("wait", "conv")
        .entry("call");
}

TEST(Forecast, AWaitingLeadHasOnlyItsTimeLeft) {
    const CompiledGraph g = call_then_wait().compile();
    Scenario sc = testing::scenario_text(R"({"version": 1, "leads": 1, "horizon_days": 30})");
    sc.leads = 0;
    const BoundScenario b = bind_scenario(g, sc);
    RunningLead r;
    r.id = "lead_waiting";
    r.state.node = g.node_index("wait");
    r.state.phase = Phase::kWaiting;
    r.state.steps = 2;
    r.state.entered_at = sc.start_time - 20 * 3600000LL;
    r.state.release_at = sc.start_time + 28 * 3600000LL;
    auto f = forecast(g, b, {r}, no_exact());
    ASSERT_TRUE(f.ok()) << f.status().message();
    EXPECT_EQ((*f)["running"], 1);
    EXPECT_EQ((*f)["final"]["completed"]["expected"].get<double>(), 1);
    EXPECT_DOUBLE_EQ((*f)["last_finish_days"].get<double>(), 28.0 / 24.0);
    // Converted on the second day after now: the first day counts none, the second one.
    ASSERT_EQ((*f)["by_day"].size(), 2u);
    EXPECT_EQ((*f)["by_day"][0]["completed"]["expected"].get<double>(), 0);
    EXPECT_EQ((*f)["by_day"][1]["completed"]["expected"].get<double>(), 1);
    EXPECT_EQ((*f)["simulation"]["calls"]["placed"], 0);
}

TEST(Forecast, ACallInProgressEndsAsCallsThatLastedThatLong) {
    // Rings last 30 s and busy lines 5 s: a call four minutes old was answered (or reached a
    // voicemail), in the ratio of those two shares.
    const CompiledGraph g = call_then_wait().compile();
    Scenario sc = testing::scenario_text(R"({"version": 1, "leads": 1, "seed": 7,
        "nodes": {"call": {"outcomes": {"COMPLETED": 0.3, "NO_ANSWER": 0.4, "BUSY": 0.1,
                  "VOICEMAIL": 0.2, "FAILED": 0.0}, "call_duration_s": {"mean": 300, "sd": 60}}}})");
    sc.leads = 0;
    const BoundScenario b = bind_scenario(g, sc);
    std::vector<RunningLead> running(4000);
    for (std::size_t i = 0; i < running.size(); ++i) {
        running[i].id = "lead_" + std::to_string(i);
        running[i].state.node = g.node_index("call");
        running[i].state.phase = Phase::kInCall;
        running[i].state.steps = 1;
        running[i].state.entered_at = sc.start_time - 240000;
    }
    auto f = forecast(g, b, running, no_exact());
    ASSERT_TRUE(f.ok()) << f.status().message();
    const Json& sim = (*f)["simulation"];
    EXPECT_EQ(sim["calls"]["placed"], 0);  // the calls were placed before now
    EXPECT_EQ((*f)["final"]["dropped"]["expected"].get<double>(), 0);  // no BUSY
    // COMPLETED converts at once, VOICEMAIL after the wait: all convert; the wait's entries
    // are the voicemails, 0.2 / 0.5 of the calls (4σ ≈ 0.031).
    EXPECT_EQ((*f)["final"]["completed"]["expected"].get<double>(), 4000);
    const double voicemail = sim["nodes"]["wait"]["entries"].get<double>() / 4000;
    EXPECT_NEAR(voicemail, 0.4, 0.031);
}

TEST(Forecast, ASplitAheadChoosesTheBranchTheServerWill) {
    // wait → SPLIT(A 1, B 1): A converts, B drops. Each running lead takes the branch its own
    // id hashes to, as on the server.
    Json split_config{{"branches", Json::array({Json{{"label", "A"}, {"weight", 1}},
                                                Json{{"label", "B"}, {"weight", 1}}})}};
    const CompiledGraph g =
        GraphBuilder()
            .node("wait", "TIME", Json{{"duration_value", 1}, {"duration_unit", "hours"}})
            .node("split", "SPLIT", split_config)
            .node("conv", "CONVERTED")
            .node("drop", "DROPPED")
            .edge("wait", "split")
            .edge("split", "conv", "A")
            .edge("split", "drop", "B")
            .entry("wait")
            .compile();
    Scenario sc = testing::scenario_text(R"({"version": 1, "leads": 1})");
    sc.leads = 0;
    const BoundScenario b = bind_scenario(g, sc);
    std::vector<RunningLead> running(300);
    std::int64_t branch_a = 0;
    for (std::size_t i = 0; i < running.size(); ++i) {
        running[i].id = "lead_" + std::to_string(i * 7919);
        running[i].state.node = g.node_index("wait");
        running[i].state.phase = Phase::kWaiting;
        running[i].state.steps = 1;
        running[i].state.release_at = sc.start_time + 60000;
        branch_a += split_branch(running[i].id, "split", {1, 1}) == 0;
    }
    auto f = forecast(g, b, running, no_exact());
    ASSERT_TRUE(f.ok()) << f.status().message();
    EXPECT_EQ((*f)["final"]["completed"]["expected"].get<double>(), branch_a);
    EXPECT_EQ((*f)["final"]["dropped"]["expected"].get<double>(), 300 - branch_a);
    // The ids fix each end, but the band sees one group with both ends: it errs wide.
    EXPECT_LT((*f)["final"]["completed"]["low"].get<double>(), branch_a);
    EXPECT_GT((*f)["final"]["completed"]["high"].get<double>(), branch_a);
}

TEST(Forecast, RejectsALeadThatCannotRun) {
    const CompiledGraph g = call_then_wait().compile();
    Scenario sc = testing::scenario_text(R"({"version": 1, "leads": 1})");
    const BoundScenario b = bind_scenario(g, sc);
    RunningLead done;
    done.id = "lead_done";
    done.state.node = g.node_index("conv");
    done.state.phase = Phase::kDone;
    done.state.end = LeadEnd::kCompleted;
    auto f = forecast(g, b, {done});
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(f.status().message().find("lead_done"), std::string::npos);
    RunningLead lost;
    lost.id = "lead_lost";
    lost.state.node = 99;
    lost.state.phase = Phase::kWaiting;
    f = forecast(g, b, {lost});
    ASSERT_FALSE(f.ok());
    EXPECT_NE(f.status().message().find("lead_lost: node index 99"), std::string::npos);
}

struct Coverage {
    int runs = 0, completed_in = 0, dropped_in = 0, day_in = 0;
};

// Runs `runs` seeded simulations of the scenario to `snapshot_h` hours, forecasts the rest
// from their running leads with another seed, finishes them, and counts how often the actual
// counts after the snapshot fall inside the forecast's bands.
Coverage coverage(const CompiledGraph& g, Scenario sc, double snapshot_h, int runs) {
    Coverage c;
    for (int k = 0; k < runs; ++k) {
        sc.seed = 1000 + static_cast<std::uint64_t>(k);
        const BoundScenario b = bind_scenario(g, sc);
        auto run = SimulationRun::create(g, b, no_exact());
        EXPECT_TRUE(run.ok());
        const TimeMs now = sc.start_time + static_cast<TimeMs>(snapshot_h * 3600000);
        run->step_until(now);
        const std::vector<RunningLead> running = run->snapshot();
        std::int64_t before[2] = {0, 0}, ended = 0;
        for (std::size_t i = 0; i < static_cast<std::size_t>(sc.leads); ++i) {
            const auto [end, at] = run->lead_end(i);
            if (end == LeadEnd::kCompleted) ++before[0];
            if (end == LeadEnd::kDropped) ++before[1];
            if (end != LeadEnd::kNone) ++ended;
        }
        // The leads still to arrive arrive uniformly over the rest of the arrival span.
        const std::int64_t to_arrive = sc.leads - ended - static_cast<std::int64_t>(running.size());
        EXPECT_GE(to_arrive, 0);
        std::int64_t day1[1] = {0};
        run->step(std::numeric_limits<std::int64_t>::max());
        std::int64_t after[2] = {0, 0};
        for (std::size_t i = 0; i < static_cast<std::size_t>(sc.leads); ++i) {
            const auto [end, at] = run->lead_end(i);
            const double after_s = static_cast<double>(at) - snapshot_h * 3600;
            if (end == LeadEnd::kCompleted && after_s > 0) {
                ++after[0];
                if (after_s <= 86400) ++day1[0];
            }
            if (end == LeadEnd::kDropped && after_s > 0) ++after[1];
        }
        EXPECT_EQ(after[0] + before[0] + after[1] + before[1] <= sc.leads, true);

        Scenario rest = sc;
        rest.seed = 900000 + static_cast<std::uint64_t>(k);
        rest.leads = to_arrive;
        rest.arrivals_over_days = std::max(sc.arrivals_over_days - snapshot_h / 24, 0.01);
        rest.start_time = now;
        rest.horizon_days = sc.horizon_days - snapshot_h / 24;
        const BoundScenario rb = bind_scenario(g, rest);
        auto f = forecast(g, rb, running, no_exact());
        EXPECT_TRUE(f.ok()) << f.status().message();
        if (!f.ok()) return c;
        auto inside = [](const Json& band, std::int64_t actual) {
            return band["low"].get<double>() <= static_cast<double>(actual) &&
                   static_cast<double>(actual) <= band["high"].get<double>();
        };
        ++c.runs;
        c.completed_in += inside((*f)["final"]["completed"], after[0]);
        c.dropped_in += inside((*f)["final"]["dropped"], after[1]);
        c.day_in += inside((*f)["by_day"][0]["completed"], day1[0]);
    }
    return c;
}

// The bands are 95% intervals of the actual count: over 200 seeded snapshots each count falls
// inside about 190 times (the bands err wide; 170 is 4σ below the nominal rate).
void expect_nominal(const Coverage& c) {
    ASSERT_EQ(c.runs, 200);
    for (const int in : {c.completed_in, c.dropped_in, c.day_in}) {
        EXPECT_GE(in, 170);
        EXPECT_LE(in, 200);
    }
}

TEST(Forecast, BandsCoverActualCountsFromMidRunSnapshots) {
    const CompiledGraph g = compiled(load_graph_fixture("lead_nurture.json"));
    Scenario sc = load_scenario_fixture("lead_nurture.scenario.json");
    sc.leads = 1500;
    // A day and a half in: leads waiting to be called again, and a quarter still to arrive.
    sc.arrivals = ArrivalMode::kUniform;
    sc.arrivals_over_days = 2;
    const Coverage waits = coverage(g, sc, 36, 200);
    expect_nominal(waits);
}

TEST(Forecast, BandsCoverActualCountsWithCallsInProgressAndASlotQueue) {
    // Twenty calls at a time: an hour in, calls are in progress and most leads wait for a slot.
    Graph graph = load_graph_fixture("lead_nurture.json");
    graph.workflow.settings.max_concurrent_calls = 20;
    const CompiledGraph g = compiled(graph);
    Scenario sc = load_scenario_fixture("lead_nurture.scenario.json");
    sc.leads = 1500;
    const Coverage queued = coverage(g, sc, 1, 200);
    expect_nominal(queued);
}

}  // namespace
}  // namespace leadflow
