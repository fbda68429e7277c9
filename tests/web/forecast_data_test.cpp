// The Server tab's forecast: a reply wrapped around the core's own forecast() (as the server
// sends it) read into bands, days and per-node entries; the actual completed leads placed
// against the band (linear between day ends); hostile replies refused without a crash.
#include "forecast_data.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "leadflow/civil_time.hpp"
#include "leadflow/compiled_graph.hpp"
#include "leadflow/forecast.hpp"
#include "leadflow/scenario.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::fixture_graph;
using testing::read_fixture;

// The core's forecast of lead_nurture: 300 leads waiting at the first wait (released over the
// next two days), 5 leads in the second call, and 200 arrivals.
Json core_forecast() {
    const CompiledGraph g = compile_graph(fixture_graph("lead_nurture.json")).value();
    Scenario sc = parse_scenario_text(read_fixture("lead_nurture.scenario.json")).value();
    sc.leads = 200;
    std::vector<RunningLead> running;
    for (int i = 0; i < 300; ++i) {
        RunningLead r;
        r.id = "lead_w" + std::to_string(i);
        r.state.node = g.node_index("node_wait1");
        r.state.phase = Phase::kWaiting;
        r.state.steps = 2;
        r.state.entered_at = sc.start_time - 3600000;
        r.state.release_at = sc.start_time + (i % 48) * 3600000LL;
        running.push_back(std::move(r));
    }
    for (int i = 0; i < 5; ++i) {
        RunningLead r;
        r.id = "lead_c" + std::to_string(i);
        r.state.node = g.node_index("node_call2");
        r.state.phase = Phase::kInCall;
        r.state.steps = 3;
        r.state.entered_at = sc.start_time - 30000;
        running.push_back(std::move(r));
    }
    SimulateOptions o;
    o.exact = false;
    Result<Json> f = forecast(g, bind_scenario(g, sc), running, o);
    if (!f.ok()) throw std::runtime_error(f.status().message());
    return *f;
}

// The server's reply: the workflow's fields, then the core's forecast.
Json reply() {
    static const Json f = core_forecast();
    Json r = Json{{"workflow_id", "wf_1"},
                  {"version", 3},
                  {"scenario_source", "calibrated"},
                  {"scenario", Json::parse(read_fixture("lead_nurture.scenario.json"))},
                  {"ended_before", {{"completed", 120}, {"dropped", 40}, {"failed", 2}}},
                  {"pending", 10}};
    for (auto it = f.begin(); it != f.end(); ++it) r[it.key()] = it.value();
    return r;
}

double num(const Json& j) {
    return j.get<double>();
}

TEST(ForecastData, ReadsAForecastMadeByTheCore) {
    const Json body = reply();
    auto v = read_forecast(body);
    ASSERT_TRUE(v.ok()) << v.status().message();
    EXPECT_EQ(v->workflow_id, "wf_1");
    EXPECT_EQ(v->version, 3);
    EXPECT_EQ(v->scenario_source, "calibrated");
    EXPECT_EQ(v->scenario, body["scenario"]);
    EXPECT_EQ(v->ended_completed, 120);
    EXPECT_EQ(v->ended_dropped, 40);
    EXPECT_EQ(v->ended_failed, 2);
    EXPECT_EQ(v->pending, 10);
    EXPECT_EQ(v->now, "2026-03-02T09:00:00.000Z");
    EXPECT_EQ(v->now_ms, parse_timestamp("2026-03-02T09:00:00.000Z").value());
    EXPECT_EQ(v->running, 305);
    EXPECT_EQ(v->arrivals, 200);
    EXPECT_EQ(v->leads, 505);
    EXPECT_EQ(v->completed.expected, num(body["final"]["completed"]["expected"]));
    EXPECT_EQ(v->completed.low, num(body["final"]["completed"]["low"]));
    EXPECT_EQ(v->completed.high, num(body["final"]["completed"]["high"]));
    EXPECT_EQ(v->dropped.expected, num(body["final"]["dropped"]["expected"]));
    EXPECT_EQ(v->unfinished.expected, num(body["final"]["unfinished"]["expected"]));
    EXPECT_GT(v->completed.expected, 0);
    ASSERT_EQ(v->by_day.size(), body["by_day"].size());
    ASSERT_GE(v->by_day.size(), 2u);
    for (std::size_t d = 0; d < v->by_day.size(); ++d) {
        EXPECT_EQ(v->by_day[d].day, static_cast<std::int64_t>(d) + 1);
        EXPECT_EQ(v->by_day[d].at, body["by_day"][d]["at"].get<std::string>());
        EXPECT_EQ(v->by_day[d].completed.expected, num(body["by_day"][d]["completed"]["expected"]));
        EXPECT_EQ(v->by_day[d].failed.high, num(body["by_day"][d]["failed"]["high"]));
    }
    EXPECT_EQ(v->by_day.back().completed.expected, v->completed.expected);
    // Every lead ends within the scenario's 30 days: the last finish is known.
    ASSERT_TRUE(body["last_finish"].is_string()) << body["last_finish"];
    EXPECT_EQ(v->last_finish, body["last_finish"].get<std::string>());
    ASSERT_TRUE(v->last_finish_days.has_value());
    EXPECT_EQ(*v->last_finish_days, num(body["last_finish_days"]));
    // Expected future entries per node: the simulation's entries.
    ASSERT_EQ(v->node_entries.size(), body["simulation"]["nodes"].size());
    for (auto it = body["simulation"]["nodes"].begin(); it != body["simulation"]["nodes"].end();
         ++it) {
        EXPECT_EQ(v->node_entries.at(it.key()), it.value()["entries"].get<std::int64_t>())
            << it.key();
    }
    EXPECT_GT(v->node_entries.at("node_call2"), 0);

    // A forecast with a lead still running at the horizon has no last finish.
    Json open = body;
    open["last_finish"] = nullptr;
    open["last_finish_days"] = nullptr;
    auto o = read_forecast(open);
    ASSERT_TRUE(o.ok()) << o.status().message();
    EXPECT_EQ(o->last_finish, "");
    EXPECT_FALSE(o->last_finish_days.has_value());
}

// A hand-made forecast: day 1 ends with 100 (80–120) completed, day 2 with 160 (130–190).
ForecastView two_days() {
    ForecastView f;
    f.now_ms = parse_timestamp("2026-03-02T09:00:00.000Z").value();
    f.ended_completed = 120;
    ForecastDay d1, d2;
    d1.day = 1;
    d1.completed = {100, 80, 120};
    d2.day = 2;
    d2.completed = {160, 130, 190};
    f.by_day = {d1, d2};
    return f;
}

TEST(ForecastData, TheBandIsLinearBetweenDayEnds) {
    const ForecastView f = two_days();
    auto expect_band = [&](double days, double e, double lo, double hi) {
        const ForecastBand b = completed_band_at(f, days);
        EXPECT_DOUBLE_EQ(b.expected, e) << days;
        EXPECT_DOUBLE_EQ(b.low, lo) << days;
        EXPECT_DOUBLE_EQ(b.high, hi) << days;
    };
    expect_band(0, 0, 0, 0);  // day 0: nothing has ended since "now"
    expect_band(-1, 0, 0, 0);
    expect_band(0.5, 50, 40, 60);
    expect_band(1, 100, 80, 120);
    expect_band(1.25, 115, 92.5, 137.5);
    expect_band(2, 160, 130, 190);
    expect_band(7, 160, 130, 190);  // after the last day: the last day's band
    expect_band(std::numeric_limits<double>::quiet_NaN(), 0, 0, 0);
    expect_band(std::numeric_limits<double>::infinity(), 160, 130, 190);
    EXPECT_EQ(completed_band_at(ForecastView{}, 3).high, 0);

    EXPECT_TRUE(inside_band(f, 0, 0));
    EXPECT_FALSE(inside_band(f, 0, 1));
    EXPECT_TRUE(inside_band(f, 0.5, 40));
    EXPECT_TRUE(inside_band(f, 0.5, 60));
    EXPECT_FALSE(inside_band(f, 0.5, 61));
    EXPECT_FALSE(inside_band(f, 0.5, 39));
    EXPECT_TRUE(inside_band(f, 1.5, 130));  // 105–155 halfway through day 2
    EXPECT_FALSE(inside_band(f, 1.5, 160));
    EXPECT_FALSE(inside_band(f, 1.5, std::numeric_limits<double>::quiet_NaN()));
    EXPECT_FALSE(inside_band(f, std::numeric_limits<double>::infinity(), 160));
}

TEST(ForecastData, PointsCountTheLeadsCompletedSinceNow) {
    const ForecastView f = two_days();
    const TimeMs day = 86400000;
    std::vector<ForecastObservation> obs = {
        {120, 1, f.now_ms},            // at "now": none since
        {170, 2, f.now_ms + day / 2},  // 50 since, half a day on: inside 40–60
        {300, 3, f.now_ms + day},      // 180 since at day 1: above 120
        {210, 4, f.now_ms + 3 * day},  // 90 since after the last day: below 130
    };
    auto p = forecast_points(f, obs);
    ASSERT_EQ(p.size(), 4u);
    EXPECT_TRUE(p[0].timed);
    EXPECT_DOUBLE_EQ(p[0].x, 0);
    EXPECT_DOUBLE_EQ(p[0].y, 0);
    EXPECT_TRUE(p[0].inside);
    EXPECT_DOUBLE_EQ(p[1].x, 0.5);
    EXPECT_DOUBLE_EQ(p[1].y, 50);
    EXPECT_TRUE(p[1].inside);
    EXPECT_DOUBLE_EQ(p[2].y, 180);
    EXPECT_FALSE(p[2].inside);
    EXPECT_DOUBLE_EQ(p[3].x, 3);
    EXPECT_FALSE(p[3].inside);

    // Without the server's clock: x is the poll's number since the forecast, never inside.
    p = forecast_points(f, {{130, 1, std::nullopt}, {150, 3, std::nullopt}});
    ASSERT_EQ(p.size(), 2u);
    EXPECT_FALSE(p[0].timed);
    EXPECT_DOUBLE_EQ(p[0].x, 1);
    EXPECT_DOUBLE_EQ(p[1].x, 3);
    EXPECT_DOUBLE_EQ(p[1].y, 30);
    EXPECT_FALSE(p[1].inside);
}

TEST(ForecastData, ThinningKeepsTheSpan) {
    std::vector<ForecastObservation> obs;
    for (std::int64_t i = 1; i <= 10; ++i) obs.push_back({i * 10, i, std::nullopt});
    thin_observations(obs, 20);
    EXPECT_EQ(obs.size(), 10u);  // under the limit: unchanged
    thin_observations(obs, 6);
    std::vector<std::int64_t> polls;
    for (const auto& o : obs) polls.push_back(o.poll);
    EXPECT_EQ(polls, (std::vector<std::int64_t>{1, 3, 5, 7, 9, 10}));
    thin_observations(obs, 3);
    polls.clear();
    for (const auto& o : obs) polls.push_back(o.poll);
    EXPECT_EQ(polls, (std::vector<std::int64_t>{1, 9, 10}));
    EXPECT_EQ(obs.back().completed, 100);
}

TEST(ForecastData, NodeBadgeText) {
    EXPECT_EQ(node_forecast_text(12, 340), "now 12 \xC2\xB7 +340 forecast");
    EXPECT_EQ(node_forecast_text(1234567, 0), "now 1,234,567 \xC2\xB7 +0 forecast");
    EXPECT_EQ(node_forecast_text(std::nullopt, 12000), "+12,000 forecast");
}

TEST(ForecastData, RequestBodyAndLivePolls) {
    EXPECT_EQ(forecast_request("stored", 0).dump(), R"({"scenario":"stored"})");
    EXPECT_EQ(forecast_request("calibrated", 2.5).dump(),
              R"({"scenario":"calibrated","arrival_days":2.5})");
    EXPECT_EQ(forecast_request("", -1).dump(), "{}");
    EXPECT_EQ(forecast_request("other", std::numeric_limits<double>::infinity()).dump(), "{}");

    EXPECT_EQ(completed_count(Json::parse(R"({"lead_counts": {"active": 3, "completed": 42}})")),
              42);
    EXPECT_FALSE(completed_count(Json::parse(R"({"lead_counts": {"completed": -1}})")));
    EXPECT_FALSE(completed_count(Json::parse(R"({"lead_counts": {"completed": "42"}})")));
    EXPECT_FALSE(completed_count(Json::parse(R"({"lead_counts": 7})")));
    EXPECT_FALSE(completed_count(Json::parse(R"({"status": "active"})")));
    EXPECT_FALSE(completed_count(Json(nullptr)));

    // A live poll's node-counts reply: the count, and the server's clock when it counted.
    auto o = read_observation(Json::parse(R"({"data": [], "not_started": 0,
        "lead_counts": {"active": 3, "completed": 42}, "enrolled_leads": 45,
        "now": "2026-03-02T21:00:00.000Z"})"),
                              7);
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(o->completed, 42);
    EXPECT_EQ(o->poll, 7);
    ASSERT_TRUE(o->server_time.has_value());
    EXPECT_EQ(*o->server_time, parse_timestamp("2026-03-02T21:00:00.000Z").value());
    // Set against a forecast made at 09:00 with 30 completed before: half a day, 12 since.
    ForecastView f = two_days();
    f.ended_completed = 30;
    auto p = forecast_points(f, {*o});
    ASSERT_EQ(p.size(), 1u);
    EXPECT_TRUE(p[0].timed);
    EXPECT_DOUBLE_EQ(p[0].x, 0.5);
    EXPECT_DOUBLE_EQ(p[0].y, 12);
    EXPECT_FALSE(p[0].inside);  // the band is 40–60 then
    // Without a usable time (an older server, or a hostile one), the poll number stands.
    for (const char* now : {R"("now": "tomorrow")", R"("now": 5)", R"("then": "x")"}) {
        o = read_observation(
            Json::parse(std::string(R"({"lead_counts": {"completed": 1}, )") + now + "}"), 2);
        ASSERT_TRUE(o.has_value()) << now;
        EXPECT_FALSE(o->server_time.has_value()) << now;
    }
    EXPECT_FALSE(read_observation(Json::parse(R"({"now": "2026-03-02T21:00:00.000Z"})"), 1));

    EXPECT_EQ(band_text({300, 280.5, 319.5}),
              "300 (280\xE2\x80\x93"
              "320)");
}

// What a reply must not get through with, and the error naming the field.
void expect_refused(const Json& body, const std::string& names) {
    auto v = read_forecast(body);
    ASSERT_FALSE(v.ok()) << body.dump().substr(0, 300);
    EXPECT_NE(v.status().message().find(names), std::string::npos) << v.status().message();
}

TEST(ForecastData, RefusesHostileReplies) {
    const Json good = reply();
    ASSERT_TRUE(read_forecast(good).ok());
    expect_refused(Json::array(), "not a JSON object");
    expect_refused(Json(nullptr), "not a JSON object");
    expect_refused(Json::parse(R"({"message": "Workflow not found"})"), "workflow_id");
    // Each documented key is required.
    for (auto it = good.begin(); it != good.end(); ++it) {
        Json b = good;
        b.erase(it.key());
        expect_refused(b, it.key());
    }
    auto with = [&](const char* pointer, Json value) {
        Json b = good;
        b[Json::json_pointer(pointer)] = std::move(value);
        return b;
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    expect_refused(with("/version", "3"), "version");
    expect_refused(with("/version", -1), "version");
    expect_refused(with("/scenario_source", "guessed"), "scenario_source");
    expect_refused(with("/scenario", "calibrated"), "scenario");
    expect_refused(with("/ended_before/completed", 1.5), "ended_before.completed");
    expect_refused(with("/ended_before", Json::array()), "ended_before");
    expect_refused(with("/pending", nullptr), "pending");
    expect_refused(with("/now", "yesterday"), "now");
    expect_refused(with("/now", 12), "now");
    expect_refused(with("/running", -5), "running");
    expect_refused(with("/leads", 1e300), "leads");
    expect_refused(with("/final/completed/expected", nan), "final.completed.expected");
    expect_refused(with("/final/dropped/high", inf), "final.dropped.high");
    expect_refused(with("/final/failed/low", "0"), "final.failed.low");
    expect_refused(with("/final/unfinished", 3), "final.unfinished");
    expect_refused(with("/final/completed/low", 1e9), "final.completed is not a band");
    expect_refused(with("/final/completed/low", -1), "final.completed is not a band");
    expect_refused(with("/by_day/0/dropped/high", 1e300), "by_day[0].dropped is not a band");
    expect_refused(with("/leads", 3), "final.completed is not a band");
    expect_refused(with("/by_day", Json::object()), "by_day");
    expect_refused(with("/by_day/0", "day one"), "by_day[0]");
    expect_refused(with("/by_day/1/day", 7), "by_day[1].day is not 2");
    expect_refused(with("/by_day/0/at", nullptr), "by_day[0].at");
    expect_refused(with("/by_day/1/completed/expected", nan), "by_day[1].completed.expected");
    expect_refused(with("/by_day/0/failed", Json::array()), "by_day[0].failed");
    expect_refused(with("/last_finish", nullptr), "both set or both null");
    expect_refused(with("/last_finish_days", nullptr), "both set or both null");
    expect_refused(with("/last_finish", "soon"), "last_finish");
    expect_refused(with("/last_finish_days", -2), "last_finish_days");
    expect_refused(with("/last_finish_days", nan), "last_finish_days");
    expect_refused(with("/simulation", nullptr), "simulation");
    expect_refused(with("/simulation/nodes", Json::array()), "simulation.nodes");
    expect_refused(with("/simulation/nodes/node_call1/entries", -3),
                   "simulation.nodes.node_call1.entries");
    expect_refused(with("/simulation/nodes/node_call1", 12), "simulation.nodes.node_call1");

    // Lists beyond the limits are refused before they are read.
    Json days = Json::array();
    for (std::size_t d = 0; d <= kMaxForecastDays; ++d) days.push_back(good["by_day"][0]);
    expect_refused(with("/by_day", days), "more than 3650 days");
    Json nodes = Json::object();
    for (std::size_t n = 0; n <= kMaxForecastNodes; ++n) {
        nodes["n" + std::to_string(n)] = Json{{"entries", 1}};
    }
    expect_refused(with("/simulation/nodes", nodes), "more than 10000 nodes");
}

// Any value of the reply replaced by something of another shape: read_forecast answers (an
// error or a view) and never throws. Seeded, so a failure repeats.
TEST(ForecastData, SurvivesEveryFieldReplaced) {
    const Json good = reply();
    const Json flat = good.flatten();
    std::vector<std::string> pointers;
    for (auto it = flat.begin(); it != flat.end(); ++it) {
        // The simulation's other results are not read; the fields that are all get replaced.
        if (it.key().rfind("/simulation/", 0) == 0 &&
            it.key().rfind("/simulation/nodes/", 0) != 0) {
            continue;
        }
        pointers.push_back(it.key());
    }
    const Json replacements[] = {nullptr,
                                 true,
                                 -1,
                                 0,
                                 std::numeric_limits<double>::quiet_NaN(),
                                 -std::numeric_limits<double>::infinity(),
                                 1e308,
                                 18446744073709551615ULL,
                                 "",
                                 "2026-03-02T09:00:00.000Z",
                                 Json::array(),
                                 Json::object()};
    std::mt19937 rng(17);
    int refused = 0;
    for (const std::string& p : pointers) {
        for (const Json& r : replacements) {
            Json b = good;
            b[Json::json_pointer(p)] = r;
            // And sometimes a second field at random.
            if (rng() % 3 == 0) {
                b[Json::json_pointer(pointers[rng() % pointers.size()])] = r;
            }
            EXPECT_NO_THROW({
                auto v = read_forecast(b);
                if (!v.ok()) ++refused;
            }) << p;
        }
    }
    EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace leadflow::web
