// tests/server/forecast_live_test.cpp — POST /v1/workflows/{id}/forecast on the live server
// (docs/calibration.md#forecast): the running leads start where they are (every lead waiting
// at the first wait calls a second time, and none waits there again); the counts add up with
// the leads already ended; the same leads and seed give the same bytes; with no running lead
// the forecast's simulation is POST …/simulate's; bad requests are clear 4xx. The coverage of
// the bands over many seeded snapshots is checked in tests/core/forecast_test.cpp.
#include <gtest/gtest.h>

#include <string>

#include "live_test_util.hpp"

namespace leadflow::server::testing {
namespace {

class ForecastLive : public LiveTest {
  protected:
    // Ticks until no lead is pending or in a call and every active lead waits at `node`.
    bool settle_at(const std::string& wf, const std::string& node) {
        for (int i = 0; i < 200; ++i) {
            advance(1000);
            const Json counts = body_of(get("/v1/workflows/" + wf + "/node-counts"));
            const Json& totals = counts["lead_counts"];
            if (totals["pending"] != 0 || counts["not_started"] != 0) continue;
            std::int64_t at_node = 0;
            for (const Json& n : counts["data"]) {
                if (n["node_id"] == node) at_node = n["by_status"].value("active", 0);
            }
            const Json flying =
                body_of(get("/v1/calls?workflow_id=" + wf + "&status=in_progress&limit=1"));
            if (flying["meta"]["total"] == 0 && totals["active"] == at_node && at_node > 0) {
                return true;
            }
        }
        return false;
    }
};

TEST_F(ForecastLive, RunningLeadsStartWhereTheyAre) {
    live_config_.time_scale = 1000;
    restart_live();
    const std::string wf = import_fixture("lead_nurture");
    const int n = 300;
    enrol(wf, n);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    ASSERT_TRUE(settle_at(wf, "node_wait1"));
    const Json counts = workflow(wf)["lead_counts"];
    const std::int64_t active = counts["active"].get<std::int64_t>();

    Response r =
        post("/v1/workflows/" + wf + "/forecast", Json{{"scenario", "stored"}, {"seed", 5}});
    ASSERT_EQ(r.status, 200) << r.body;
    const Json f = body_of(r);
    EXPECT_EQ(f["workflow_id"], wf);
    EXPECT_EQ(f["version"], 1);
    EXPECT_EQ(f["scenario_source"], "stored");
    EXPECT_EQ(f["running"], active);
    EXPECT_EQ(f["pending"], 0);
    EXPECT_EQ(f["arrivals"], 0);
    EXPECT_EQ(f["leads"], active);
    EXPECT_EQ(f["ended_before"]["completed"], counts["completed"]);
    EXPECT_EQ(f["ended_before"]["dropped"], counts["dropped"]);
    EXPECT_EQ(f["ended_before"]["completed"].get<std::int64_t>() +
                  f["ended_before"]["dropped"].get<std::int64_t>() +
                  f["ended_before"]["failed"].get<std::int64_t>() + active,
              n);
    // Each waiting lead calls a second time when its wait is over; none enters the first call
    // or the first wait again.
    const Json& nodes = f["simulation"]["nodes"];
    EXPECT_EQ(nodes["node_call1"]["entries"], 0);
    EXPECT_EQ(nodes["node_wait1"]["entries"], 0);
    EXPECT_EQ(nodes["node_call2"]["entries"], active);
    // Two waits of two days at most: everybody has ended within about four days of now.
    ASSERT_TRUE(f["last_finish_days"].is_number()) << f.dump();
    EXPECT_LE(f["last_finish_days"].get<double>(), 4.1);
    double ended = 0;
    for (const char* k : {"completed", "dropped", "failed", "unfinished"}) {
        const Json& b = f["final"][k];
        EXPECT_LE(b["low"].get<double>(), b["expected"].get<double>()) << k;
        EXPECT_GE(b["high"].get<double>(), b["expected"].get<double>()) << k;
        ended += b["expected"].get<double>();
    }
    EXPECT_EQ(ended, static_cast<double>(active));
    ASSERT_FALSE(f["by_day"].empty());
    EXPECT_EQ(f["by_day"].back()["completed"]["expected"], f["final"]["completed"]["expected"]);

    // The same leads at the same time with the same seed: the same bytes, whatever order the
    // store reads them in. The calibrated scenario is the default.
    Response again =
        post("/v1/workflows/" + wf + "/forecast", Json{{"scenario", "stored"}, {"seed", 5}});
    EXPECT_EQ(again.body, r.body);
    const Json calibrated = body_of(post("/v1/workflows/" + wf + "/forecast", Json()));
    EXPECT_EQ(calibrated["scenario_source"], "calibrated");
    EXPECT_EQ(calibrated["running"], active);
    // node_counts tells the time of its counts on the same clock as the forecast's now.
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/node-counts"))["now"], f["now"]);

    // Paused, each lead keeps the time its wait had left: a forecast made a (virtual) week
    // later is the forecast of the workflow resumed then, the same counts on the same days
    // from its now, not of waits that ran out while nothing moved.
    ASSERT_EQ(post("/v1/workflows/" + wf + "/pause", Json()).status, 200);
    const Json stored_seed = Json{{"scenario", "stored"}, {"seed", 5}};
    const Json paused = body_of(post("/v1/workflows/" + wf + "/forecast", stored_seed));
    EXPECT_EQ(paused["final"], f["final"]);
    advance(7 * 86400);  // a week at time scale 1000
    const Json later = body_of(post("/v1/workflows/" + wf + "/forecast", stored_seed));
    EXPECT_NE(later["now"], paused["now"]);
    EXPECT_EQ(later["running"], active);
    EXPECT_EQ(later["final"], paused["final"]);
    ASSERT_EQ(later["by_day"].size(), paused["by_day"].size());
    for (std::size_t d = 0; d < later["by_day"].size(); ++d) {
        EXPECT_EQ(later["by_day"][d]["completed"], paused["by_day"][d]["completed"]) << d;
    }
    EXPECT_EQ(later["last_finish_days"], paused["last_finish_days"]);
}

TEST_F(ForecastLive, WithNoRunningLeadsItIsThePlainSimulation) {
    const std::string wf = import_fixture("lead_nurture");
    Json scenario = body_of(get("/v1/workflows/" + wf + "/scenario"));
    scenario["leads"] = 500;
    scenario["seed"] = 9;
    scenario["arrivals"] = Json{{"mode", "uniform"}, {"over_days", 2}};
    ASSERT_EQ(put("/v1/workflows/" + wf + "/scenario", scenario).status, 200);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    Response r = post("/v1/workflows/" + wf + "/forecast",
                      Json{{"scenario", "stored"}, {"arrival_days", 2}});
    ASSERT_EQ(r.status, 200) << r.body;
    Json f = body_of(r);
    EXPECT_EQ(f["running"], 0);
    EXPECT_EQ(f["arrivals"], 500);
    Json plain =
        body_of(post("/v1/workflows/" + wf + "/simulate", Json{{"scenario", f["scenario"]}}));
    Json& sim = f["simulation"];
    sim.erase("exact");
    plain.erase("exact");
    EXPECT_EQ(sim.dump(), plain.dump());
}

TEST_F(ForecastLive, BadRequestsAreClear) {
    const std::string wf = import_fixture("lead_nurture");
    Response draft = post("/v1/workflows/" + wf + "/forecast", Json());
    EXPECT_EQ(draft.status, 409);
    EXPECT_NE(draft.body.find("no published version"), std::string::npos) << draft.body;
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    EXPECT_EQ(post("/v1/workflows/wf_missing/forecast", Json()).status, 404);
    EXPECT_EQ(post("/v1/workflows/" + wf + "/forecast", Json(), key_b_).status, 404);
    const std::pair<Json, const char*> bad[] = {
        {Json{{"scenario", "guess"}}, "scenario: must be"},
        {Json{{"horizon_days", 0}}, "horizon_days: must be"},
        {Json{{"arrival_days", -1}}, "arrival_days: must be"},
        {Json{{"seed", -3}}, "seed: must be"},
        {Json{{"seed", "x"}}, "seed: must be"},
    };
    for (const auto& [body, message] : bad) {
        Response res = post("/v1/workflows/" + wf + "/forecast", body);
        EXPECT_EQ(res.status, 400) << body.dump();
        EXPECT_NE(res.body.find(message), std::string::npos) << res.body;
    }
    EXPECT_EQ(post("/v1/workflows/" + wf + "/forecast", Json{{"seed", 1}}).status, 200);
}

}  // namespace
}  // namespace leadflow::server::testing
