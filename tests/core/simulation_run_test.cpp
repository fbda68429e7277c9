// The incremental simulator (SimulationRun): slices never change the results, progress is
// monotone and reaches 1 exactly when the run is done, stuck leads are counted per node.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "leadflow/scenario.hpp"
#include "leadflow/simulate.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

struct Fixture {
    CompiledGraph graph;
    BoundScenario bound;
};

Fixture fixture(const std::string& graph_file, const std::string& scenario_file, int leads) {
    auto cg = compile_graph(testing::load_graph_fixture(graph_file));
    EXPECT_TRUE(cg.ok()) << cg.status().message();
    Scenario s = testing::load_scenario_fixture(scenario_file);
    s.leads = leads;
    Fixture f{cg.ok() ? *cg : CompiledGraph{}, {}};
    f.bound = bind_scenario(f.graph, s);
    return f;
}

std::string whole_run(const Fixture& f) {
    auto r = simulate(f.graph, f.bound);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->dump() : std::string();
}

TEST(SimulationRun, AnySlicingGivesTheBytesOfSimulate) {
    for (const char* name : {"lead_nurture", "reengagement_drip", "conditional_followup"}) {
        const Fixture f =
            fixture(std::string(name) + ".json", std::string(name) + ".scenario.json", 3000);
        const std::string want = whole_run(f);
        ASSERT_FALSE(want.empty());
        for (std::int64_t slice : {1, 7, 1000, 1 << 30}) {
            auto run = SimulationRun::create(f.graph, f.bound);
            ASSERT_TRUE(run.ok()) << run.status().message();
            int slices = 0;
            while (!run->step(slice)) ++slices;
            if (slice == 1) {
                EXPECT_GT(slices, 3000) << name;  // really one event at a time
            }
            EXPECT_EQ(run->results().dump(), want) << name << " slice " << slice;
        }
    }
}

TEST(SimulationRun, ResultsFinishesARunThatWasNotStepped) {
    const Fixture f = fixture("lead_nurture.json", "lead_nurture.scenario.json", 2000);
    auto run = SimulationRun::create(f.graph, f.bound);
    ASSERT_TRUE(run.ok());
    EXPECT_FALSE(run->done());
    const std::string first = run->results().dump();
    EXPECT_TRUE(run->done());
    EXPECT_EQ(first, whole_run(f));
    EXPECT_EQ(run->results().dump(), first);  // asking again changes nothing
}

TEST(SimulationRun, ProgressIsMonotoneAndReachesOneExactlyWhenDone) {
    const Fixture f = fixture("reengagement_drip.json", "reengagement_drip.scenario.json", 5000);
    auto run = SimulationRun::create(f.graph, f.bound);
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->progress(), 0.0);
    double last = 0;
    int steps = 0;
    std::int64_t last_events = 0;
    while (!run->step(500)) {
        const double p = run->progress();
        EXPECT_GE(p, last);
        EXPECT_LT(p, 1.0);
        EXPECT_GT(run->events(), last_events);
        last = p;
        last_events = run->events();
        ++steps;
    }
    EXPECT_GT(steps, 10);
    EXPECT_GT(last, 0.5);  // it moved through the range, not only at the end
    EXPECT_EQ(run->progress(), 1.0);
    EXPECT_TRUE(run->done());
    EXPECT_EQ(run->results()["events"].get<std::int64_t>(), run->events());
}

// Regression: with arrivals spread over days the bar read about half of the work done (only
// ended leads and a quarter of the arrivals counted). Progress now follows the share of the
// run's events processed, for spread arrivals and for every lead at the start.
TEST(SimulationRun, ProgressFollowsTheEventsProcessedWhileLeadsArrive) {
    struct Case {
        const char* graph;
        const char* scenario;
        Json arrivals;  // null = the fixture's
        double tolerance;
    };
    const Case cases[] = {
        {"reengagement_drip.json", "reengagement_drip.scenario.json", nullptr, 0.08},
        {"lead_nurture.json", "lead_nurture.scenario.json",
         Json{{"mode", "uniform"}, {"over_days", 10}}, 0.08},
        {"lead_nurture.json", "lead_nurture.scenario.json",
         Json{{"mode", "uniform"}, {"over_days", 3}}, 0.12},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(std::string(c.graph) + " " + (c.arrivals.is_null() ? "" : c.arrivals.dump()));
        auto cg = compile_graph(testing::load_graph_fixture(c.graph));
        ASSERT_TRUE(cg.ok());
        Json sj = Json::parse(testing::read_fixture(c.scenario));
        sj["leads"] = 20000;
        if (!c.arrivals.is_null()) sj["arrivals"] = c.arrivals;
        auto sc = parse_scenario(sj);
        ASSERT_TRUE(sc.ok()) << sc.status().message();
        const BoundScenario b = bind_scenario(*cg, *sc);
        std::int64_t total = 0;
        {
            auto whole = SimulationRun::create(*cg, b);
            ASSERT_TRUE(whole.ok());
            whole->step(std::numeric_limits<std::int64_t>::max());
            total = whole->events();
        }
        auto run = SimulationRun::create(*cg, b);
        ASSERT_TRUE(run.ok());
        double last = 0, worst = 0;
        while (!run->step(total / 40)) {
            const double truth = static_cast<double>(run->events()) / static_cast<double>(total);
            const double p = run->progress();
            EXPECT_GE(p, last);
            worst = std::max(worst, std::fabs(p - truth));
            last = p;
        }
        EXPECT_LE(worst, c.tolerance);
        EXPECT_EQ(run->progress(), 1.0);
    }
}

TEST(SimulationRun, StuckLeadsAreCountedOnTheirNode) {
    // Only COMPLETED has an edge: the other outcomes leave the lead stuck on the call.
    const CompiledGraph g =
        GraphBuilder()
            .node("start", "TIME", Json{{"duration_value", 1}, {"duration_unit", "hours"}})
            .node("call", "VOICE_CALL")
            .node("conv", "CONVERTED")
            .edge("start", "call")
            .edge("call", "conv", "COMPLETED")
            .compile();
    auto s = parse_scenario_text(R"({"leads": 2000, "seed": 5})");
    ASSERT_TRUE(s.ok());
    const BoundScenario b = bind_scenario(g, *s);
    auto run = SimulationRun::create(g, b);
    ASSERT_TRUE(run.ok());
    const Json r = run->results();
    const std::vector<std::int64_t>& stuck = run->stuck_by_node();
    ASSERT_EQ(stuck.size(), 3u);
    EXPECT_EQ(stuck[static_cast<std::size_t>(g.node_index("start"))], 0);
    EXPECT_EQ(stuck[static_cast<std::size_t>(g.node_index("conv"))], 0);
    EXPECT_EQ(stuck[static_cast<std::size_t>(g.node_index("call"))],
              r["terminal"]["stuck"]["count"].get<std::int64_t>());
    EXPECT_GT(stuck[static_cast<std::size_t>(g.node_index("call"))], 1000);
}

TEST(SimulationRun, UnknownTimeZoneFailsAtCreate) {
    const CompiledGraph g = GraphBuilder()
                                .node("call", "VOICE_CALL")
                                .node("conv", "CONVERTED")
                                .edge("call", "conv")
                                .setting("timezone", "Mars/Olympus_Mons")
                                .compile();
    const BoundScenario b = bind_scenario(g, default_scenario());
    auto run = SimulationRun::create(g, b);
    ASSERT_FALSE(run.ok());
    EXPECT_EQ(run.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(run.status().message().find("timezone"), std::string::npos);
}

}  // namespace
}  // namespace leadflow
