// tests/server/calibration_live_test.cpp — calibration and drift on the live server
// (docs/calibration.md): leads run through two calls and an action with the sandbox drawing from a
// known scenario; the calibration's sample sizes equal the call log, its fitted shares lie near
// the true ones, and drift flags the node whose reality departs from the plan, by the documented
// rule applied to the call log. The coverage of the intervals over many seeds is checked in
// tests/core/calibration_test.cpp, where draws are seeded; here lead ids are random.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "leadflow/scenario.hpp"
#include "live_test_util.hpp"

namespace leadflow::server::testing {
namespace {

const char* const kOutcomes[] = {"COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED"};

Json outcomes(std::initializer_list<double> p) {
    Json o = Json::object();
    int i = 0;
    for (double v : p) o[kOutcomes[i++]] = v;
    return o;
}

class CalibrationLive : public LiveTest {
  protected:
    // call1 → COMPLETED: app → won; call1 → else: call2 → COMPLETED: won, else: a year's wait →
    // lost. The wait keeps the workflow active (and its drift metric shown) once the calls are
    // done. Sets nodes_ = {call1, call2, app, won, lost, wait}.
    std::string make_graph() {
        std::string wf = make_workflow("Calibrated");
        const Json call_config{{"agent_id", "agent_1"}, {"from_phone_number", "+14155552671"}};
        std::string call1 = make_node(
            wf,
            Json{{"node_type", "VOICE_CALL"}, {"label", "First call"}, {"config", call_config}});
        std::string call2 = make_node(
            wf,
            Json{{"node_type", "VOICE_CALL"}, {"label", "Second call"}, {"config", call_config}});
        std::string app = make_node(
            wf, Json{{"node_type", "APPLICATION"},
                     {"label", "WhatsApp"},
                     {"config", Json{{"provider_key", "whatsapp"}, {"action_key", "send"}}}});
        std::string won = make_node(wf, Json{{"node_type", "CONVERTED"}, {"label", "Won"}});
        std::string lost = make_node(wf, Json{{"node_type", "DROPPED"}, {"label", "Lost"}});
        std::string wait = make_node(
            wf, Json{{"node_type", "TIME"},
                     {"label", "A year"},
                     {"config", Json{{"duration_value", 365}, {"duration_unit", "days"}}}});
        auto edge = [&](const std::string& from, const std::string& to, const char* label) {
            Json e{{"from_node_id", from}, {"to_node_id", to}};
            if (*label) e["label"] = label;
            EXPECT_EQ(post("/v1/workflows/" + wf + "/edges", e).status, 201);
        };
        edge(call1, app, "COMPLETED");
        edge(call1, call2, "");
        edge(app, won, "");
        edge(call2, won, "COMPLETED");
        edge(call2, wait, "");
        edge(wait, lost, "");
        nodes_ = {call1, call2, app, won, lost, wait};
        return wf;
    }

    // The scenario the leads are planned with; `second_answer` is call2's COMPLETED share (the
    // rest goes to NO_ANSWER).
    Json scenario(double second_answer) {
        return Json{
            {"nodes",
             Json{{nodes_[0], Json{{"outcomes", outcomes({0.3, 0.45, 0.1, 0.1, 0.05})},
                                   {"call_duration_s", Json{{"mean", 90}, {"sd", 20}}},
                                   {"analysis", Json{{"interested", Json{{"p_true", 0.4}}}}}}},
                  {nodes_[1], Json{{"outcomes", outcomes({second_answer, 0.7 - second_answer, 0.1,
                                                          0.15, 0.05})}}},
                  {nodes_[2], Json{{"success_rate", 0.9}, {"latency_s", 3}}}}}};
    }

    // Ended calls in the call log, by node and outcome.
    std::map<std::string, std::map<std::string, int>> call_log(const std::string& wf) {
        std::map<std::string, std::map<std::string, int>> out;
        for (int page = 1;; ++page) {
            Json b = body_of(
                get("/v1/calls?workflow_id=" + wf + "&limit=100&page=" + std::to_string(page)));
            for (const Json& c : b["data"]) {
                if (c["outcome"].is_string()) {
                    ++out[c["node_id"].get<std::string>()][c["outcome"].get<std::string>()];
                }
            }
            if (b["data"].size() < 100) break;
        }
        return out;
    }

    // True when no lead is pending, no call is in flight and every lead has ended or waits at
    // the year's wait (one per second call that was not answered).
    bool settled(const std::string& wf, int n) {
        const Json counts = workflow(wf)["lead_counts"];
        if (counts["pending"] != 0) return false;
        const Json flying =
            body_of(get("/v1/calls?workflow_id=" + wf + "&status=in_progress&limit=1"));
        if (flying["meta"]["total"] != 0) return false;
        int waiting = 0;
        const auto log = call_log(wf);  // kept: the loop reads one of its maps
        auto second = log.find(nodes_[1]);
        if (second != log.end()) {
            for (const auto& [o, c] : second->second) waiting += o == "COMPLETED" ? 0 : c;
        }
        return counts["active"] == waiting &&
               counts["completed"].get<int>() + counts["dropped"].get<int>() + waiting == n;
    }

    // Enrols n leads, activates, and ticks (10 virtual days each) until they settle.
    void run(const std::string& wf, int n) {
        enrol(wf, n);
        Response r = post("/v1/workflows/" + wf + "/activate", Json());
        ASSERT_EQ(r.status, 200) << r.body;
        for (int i = 0; i < 1000; ++i) {
            advance(864'000);
            if (settled(wf, n)) return;
        }
        FAIL() << "the leads did not settle";
    }
};

TEST_F(CalibrationLive, SampleSizesEqualTheCallLogAndSharesLieNearTheTruth) {
    live_config_.time_scale = 1000;
    restart_live();
    std::string wf = make_graph();
    const Json truth = scenario(0.2);
    ASSERT_EQ(put("/v1/workflows/" + wf + "/scenario", truth).status, 200);
    const int n = 800;
    run(wf, n);

    const Json cal = body_of(get("/v1/workflows/" + wf + "/calibration"));
    ASSERT_TRUE(cal.contains("nodes")) << cal.dump();
    const auto log = call_log(wf);
    for (int k = 0; k < 2; ++k) {
        const std::string& id = nodes_[static_cast<std::size_t>(k)];
        const Json& node = cal["nodes"][id];
        int calls = 0;
        for (const char* o : kOutcomes) {
            auto it = log.at(id).find(o);
            const int count = it == log.at(id).end() ? 0 : it->second;
            calls += count;
            EXPECT_EQ(node["outcomes"][o]["count"], count) << id << " " << o;
        }
        EXPECT_EQ(node["calls"], calls);
        EXPECT_TRUE(node["fitted"].get<bool>()) << node.dump();
        for (const char* o : kOutcomes) {
            const double p = truth["nodes"][id]["outcomes"][o].get<double>();
            const double share = node["outcomes"][o]["share"].get<double>();
            EXPECT_NEAR(share, p, 4 * std::sqrt(p * (1 - p) / calls) + 1e-9) << id << " " << o;
            const Json ci = node["outcomes"][o]["ci95"];
            EXPECT_LE(ci[0].get<double>(), share);
            EXPECT_GE(ci[1].get<double>(), share);
        }
    }
    EXPECT_EQ(cal["nodes"][nodes_[0]]["calls"], n);
    // Every answered first call had an analysis with one value of `interested`, and led to the
    // action, which ran once per lead that reached it.
    const int answered = log.at(nodes_[0]).at("COMPLETED");
    const Json& interested = cal["nodes"][nodes_[0]]["analysis"]["interested"];
    EXPECT_EQ(interested["calls"], answered) << interested.dump();
    EXPECT_NEAR(interested["values"]["true"]["share"].get<double>(), 0.4,
                4 * std::sqrt(0.24 / answered));
    const Json& app = cal["nodes"][nodes_[2]];
    EXPECT_EQ(app["actions"], answered) << app.dump();
    EXPECT_NEAR(app["success_rate"]["share"].get<double>(), 0.9, 4 * std::sqrt(0.09 / answered));
    EXPECT_GT(app["latency_s"]["mean"].get<double>(), 0);
    // Durations of answered and voicemail calls: drawn from N(90, 20) truncated at 5 s.
    EXPECT_NEAR(cal["nodes"][nodes_[0]]["call_duration_s"]["mean"].get<double>(), 90, 5);
    EXPECT_EQ(cal["arrivals"]["leads"], n);

    // The fitted scenario is a scenario, with the fitted shares for the nodes.
    auto fitted = parse_scenario(cal["scenario"]);
    ASSERT_TRUE(fitted.ok()) << fitted.status().message();
    EXPECT_EQ(fitted.value().leads, n);
    EXPECT_EQ(cal["scenario"]["nodes"][nodes_[0]]["outcomes"]["COMPLETED"],
              cal["nodes"][nodes_[0]]["outcomes"]["COMPLETED"]["share"]);
    EXPECT_EQ(cal["current"], to_json(parse_scenario(truth).value()));

    // Version 1 is the one that ran; version 2 does not exist; a `since` after the run reads none.
    EXPECT_EQ(
        body_of(get("/v1/workflows/" + wf + "/calibration?version=1"))["nodes"][nodes_[0]]["calls"],
        n);
    EXPECT_EQ(get("/v1/workflows/" + wf + "/calibration?version=2").status, 404);
    const Json later =
        body_of(get("/v1/workflows/" + wf + "/calibration?since=2100-01-01T00:00:00Z"));
    EXPECT_EQ(later["nodes"][nodes_[0]]["calls"], 0);
    EXPECT_FALSE(later["nodes"][nodes_[0]]["fitted"].get<bool>());
    // Bad parameters are 400s that say what is expected; another organization sees nothing.
    Response bad = get("/v1/workflows/" + wf + "/calibration?since=yesterday");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("ISO 8601"), std::string::npos) << bad.body;
    EXPECT_EQ(get("/v1/workflows/" + wf + "/calibration?prior_weight=-1").status, 400);
    EXPECT_EQ(get("/v1/workflows/" + wf + "/calibration", key_b_).status, 404);
    EXPECT_EQ(get("/v1/workflows/" + wf + "/drift", key_b_).status, 404);
}

TEST_F(CalibrationLive, DriftFlagsTheNodeWhoseRealityLeftThePlan) {
    std::string wf = make_graph();
    // The plan says the second call answers 25%; the sandbox's reality answers 5%, the other
    // 20 points spread over the other outcomes so that the answer rate stays the outcome
    // furthest out (about 11 interval-widths of its own against at most 4 for the others at
    // ~560 calls), whatever the draws, and names the message.
    ASSERT_EQ(put("/v1/workflows/" + wf + "/scenario", scenario(0.25)).status, 200);
    live_config_.time_scale = 1000;
    Json reality = scenario(0.25);
    reality["nodes"][nodes_[1]]["outcomes"] = outcomes({0.05, 0.53, 0.14, 0.21, 0.07});
    live_config_.sandbox_scenario = reality;
    restart_live();
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/drift"))["version"], nullptr);
    run(wf, 800);

    const Json d = body_of(get("/v1/workflows/" + wf + "/drift"));
    ASSERT_TRUE(d.contains("nodes")) << d.dump();
    EXPECT_EQ(d["version"], 1);
    const Json& second = d["nodes"][nodes_[1]];
    EXPECT_TRUE(second["flagged"].get<bool>()) << second.dump();
    EXPECT_TRUE(second["outcomes"]["COMPLETED"]["drifted"].get<bool>());
    EXPECT_EQ(second["message"].get<std::string>().rfind("Second call: answer rate ", 0), 0u)
        << second["message"];
    // Every node is judged by the documented rule on the call log: an outcome has drifted when
    // its share lies outside plan ± 2.5758·sqrt(p(1 − p)/n).
    const auto log = call_log(wf);
    const Json plan = scenario(0.25);
    for (int k = 0; k < 2; ++k) {
        const std::string& id = nodes_[static_cast<std::size_t>(k)];
        int calls = 0;
        for (const auto& [o, c] : log.at(id)) calls += c;
        EXPECT_EQ(d["nodes"][id]["calls"], calls);
        bool any = false;
        for (const char* o : kOutcomes) {
            const double p = plan["nodes"][id]["outcomes"][o].get<double>();
            auto it = log.at(id).find(o);
            const double seen = (it == log.at(id).end() ? 0 : it->second) / double(calls);
            const bool drifted =
                std::fabs(seen - p) > 2.5758293035489 * std::sqrt(p * (1 - p) / calls);
            EXPECT_EQ(d["nodes"][id]["outcomes"][o]["drifted"].get<bool>(), drifted) << id << o;
            any = any || drifted;
        }
        EXPECT_EQ(d["nodes"][id]["flagged"].get<bool>(), any) << id;
        EXPECT_EQ(
            std::find(d["flagged"].begin(), d["flagged"].end(), Json(id)) != d["flagged"].end(),
            any);
    }
    // The metric names each call node of the active workflow, 1 when flagged.
    const std::string metrics = send("GET", "/metrics").body;
    EXPECT_NE(metrics.find("leadflow_node_drift{workflow_id=\"" + wf + "\",node_id=\"" + nodes_[1] +
                           "\"} 1"),
              std::string::npos)
        << metrics;
}

}  // namespace
}  // namespace leadflow::server::testing
