// Local calling hours through the HTTP API (docs/calling-hours.md): the settings' default (on
// for new workflows, off for stored ones) and validation, live leads held until the hours hold
// in every zone of their number (sandbox provider, fake clocks), a DST change between hold and
// release, post-call-analysis times read in the number's zone, and the simulator releasing the
// same lead at the same instant as the live server.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "leadflow/civil_time.hpp"
#include "live_test_util.hpp"

namespace leadflow::server::testing {
namespace {

class CallingHours : public LiveTest {
  protected:
    // Enrols one lead per number (with optional variables); returns the ids in order.
    std::vector<std::string> enrol_numbers(const std::string& wf,
                                           const std::vector<std::string>& numbers,
                                           const Json& variables = Json()) {
        std::vector<std::string> ids;
        for (const std::string& n : numbers) {
            Json lead{{"phone_number", n}};
            if (!variables.is_null()) lead["variables"] = variables;
            Response r = post("/v1/workflows/" + wf + "/leads", lead);
            EXPECT_EQ(r.status, 201) << r.body;
            ids.push_back(r.status == 201 ? body_of(r)["data"][n][0].get<std::string>() : "");
        }
        return ids;
    }
};

constexpr TimeMs kMinute = 60 * 1000;

TimeMs at(const std::string& iso) {
    auto t = parse_timestamp(iso);
    EXPECT_TRUE(t.ok()) << iso;
    return t.ok() ? *t : 0;
}

// Runs one SQL statement on the test's database file (to write what an older server stored).
void raw_sql(const std::string& db, const std::string& sql) {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(h);
}

TEST_F(CallingHours, NewWorkflowsRespectLocalTimeAndStoredOnesDoNot) {
    if (on_postgres()) GTEST_SKIP() << "writes a legacy row into the SQLite file";
    Response r = post("/v1/workflows", Json{{"title", "New"}});
    ASSERT_EQ(r.status, 201) << r.body;
    const Json s = body_of(r)["settings"];
    EXPECT_EQ(s["respect_lead_local_time"], true);
    EXPECT_EQ(s["local_calling_hours"], (Json{{"start", "08:00"}, {"end", "21:00"}}));
    const std::string wf = body_of(r)["id"].get<std::string>();
    // Said off on create: off.
    r = post("/v1/workflows",
             Json{{"title", "Off"}, {"settings", Json{{"respect_lead_local_time", false}}}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(body_of(r)["settings"]["respect_lead_local_time"], false);
    // A workflow an older server stored has no such key: it reads as off.
    raw_sql(db_path_,
            "UPDATE workflows SET settings = '{\"timezone\":\"UTC\"}' WHERE id = '" + wf + "'");
    restart();
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["settings"]["respect_lead_local_time"], false);
    // PATCH merges: the hours alone change, the rest stays.
    r = patch("/v1/workflows/" + wf,
              Json{{"settings", Json{{"respect_lead_local_time", true},
                                     {"local_calling_hours", Json{{"end", "20:00"}}}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body_of(r)["settings"]["local_calling_hours"],
              (Json{{"start", "08:00"}, {"end", "20:00"}}));
    EXPECT_EQ(body_of(r)["settings"]["respect_lead_local_time"], true);
}

TEST_F(CallingHours, TheSettingIsValidatedOnCreateAndPatch) {
    Response r = post("/v1/workflows",
                      Json{{"title", "Bad"},
                           {"settings", Json{{"local_calling_hours", Json{{"start", "25:00"}}}}}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("settings.local_calling_hours.start: expected HH:MM, got '25:00'"),
              std::string::npos)
        << r.body;
    const std::string wf =
        body_of(post("/v1/workflows", Json{{"title", "Good"}}))["id"].get<std::string>();
    r = patch("/v1/workflows/" + wf,
              Json{{"settings", Json{{"local_calling_hours", Json{{"end", "07:00"}}}}}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("settings.local_calling_hours.end: must be after start (08:00)"),
              std::string::npos)
        << r.body;
    // Off, malformed hours are refused all the same.
    r = patch("/v1/workflows/" + wf,
              Json{{"settings", Json{{"respect_lead_local_time", false},
                                     {"local_calling_hours", Json{{"start", "8am"}}}}}});
    EXPECT_EQ(r.status, 400);
    // A calling window the hours never meet: no lead could be called.
    r = patch(
        "/v1/workflows/" + wf,
        Json{{"settings", Json{{"calling_window",
                                Json{{"days", {"mon"}}, {"start", "21:30"}, {"end", "23:00"}}}}}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("never meets settings.calling_window"), std::string::npos) << r.body;
    EXPECT_EQ(
        patch("/v1/workflows/" + wf, Json{{"settings", Json{{"respect_lead_local_time", "yes"}}}})
            .status,
        400);
    // Nothing changed.
    const Json s = body_of(get("/v1/workflows/" + wf))["settings"];
    EXPECT_EQ(s["local_calling_hours"], (Json{{"start", "08:00"}, {"end", "21:00"}}));
    EXPECT_EQ(s["respect_lead_local_time"], true);
    EXPECT_TRUE(s["calling_window"].is_null());
}

// The last history record of a lead with `status`, or null.
Json last_record(const Json& history, const std::string& status) {
    Json found;
    for (const Json& h : history) {
        if (h["status"] == status) found = h;
    }
    return found;
}

TEST_F(CallingHours, CallsWaitUntilTheHoursHoldInEveryZoneOfTheNumber) {
    // Monday 2026-01-05 09:00 UTC: 04:00 in New York, 01:00 in California, 02:00 in Boise,
    // 14:30 in India, 18:00 in Tokyo.
    const std::string wf =
        simple_call_workflow("COMPLETED", Json{{"respect_lead_local_time", true}});
    const std::vector<std::string> ids =
        enrol_numbers(wf, {"+12125550100", "+14155550123", "+12082990100", "+919876543210"});
    const std::string tokyo =
        enrol_numbers(wf, {"+14155550124"}, Json{{"timezone", "Asia/Tokyo"}})[0];
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(10);
    struct Want {
        const char* phase;
        const char* release;  // the queued record's ends_at
    };
    const Want want[] = {
        {"queued", "2026-01-05T13:00:00.000Z"},  // 08:00 EST
        {"queued", "2026-01-05T16:00:00.000Z"},  // 08:00 PST
        {"queued", "2026-01-05T16:00:00.000Z"},  // 08:00 PST (09:00 MST in Boise)
        {"in_call", nullptr},
    };
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const Json l = lead(wf, ids[i]);
        EXPECT_EQ(l["execution"]["phase"], want[i].phase) << i;
        if (!want[i].release) continue;
        EXPECT_EQ(l["execution"]["release_at"], want[i].release) << i;
        const Json q = last_record(history(wf, ids[i]), "queued");
        EXPECT_EQ(q["reason"], "outside_local_calling_hours") << q;
        EXPECT_EQ(q["ends_at"], want[i].release) << q;
    }
    EXPECT_EQ(lead(wf, tokyo)["execution"]["phase"], "in_call") << "the variable decides";
    // 13:00 UTC: New York's call is placed; California's still waits.
    advance(4 * 60 * kMinute - 10);
    EXPECT_EQ(lead(wf, ids[0])["execution"]["phase"], "in_call");
    EXPECT_EQ(lead(wf, ids[1])["execution"]["phase"], "queued");
    advance(3 * 60 * kMinute);
    EXPECT_EQ(lead(wf, ids[1])["execution"]["phase"], "in_call");
    EXPECT_EQ(lead(wf, ids[2])["execution"]["phase"], "in_call");
}

TEST_F(CallingHours, TheReleaseFollowsADstChangeInTheLeadsZone) {
    // Saturday 2026-03-07 22:00 EST; New York springs forward at 02:00, so Sunday 08:00 is EDT.
    now_ = at("2026-03-08T03:00:00Z");
    restart_live();  // the scheduler's clock starts at now_
    const std::string wf =
        simple_call_workflow("COMPLETED", Json{{"respect_lead_local_time", true}});
    const std::string id = enrol_numbers(wf, {"+12125550100"})[0];
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(10);
    EXPECT_EQ(lead(wf, id)["execution"]["release_at"], "2026-03-08T12:00:00.000Z");
    advance(9 * 60 * kMinute - 11);
    EXPECT_EQ(lead(wf, id)["execution"]["phase"], "queued");
    advance(1);
    EXPECT_EQ(lead(wf, id)["execution"]["phase"], "in_call");
}

TEST_F(CallingHours, WithTheSettingOffCallsGoOutAtOnce) {
    const std::string wf = simple_call_workflow("COMPLETED");  // make_workflow: off
    const std::string id = enrol_numbers(wf, {"+14155550123"})[0];
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(10);
    EXPECT_EQ(lead(wf, id)["execution"]["phase"], "in_call");
}

TEST_F(CallingHours, PostCallAnalysisTimesAreReadInTheNumbersZoneWithoutAWindow) {
    // call → wait until the analysis' callback_time ("3 PM") → won. No window, hours off: the
    // lead's zone is still its number's (15:00 EST = 20:00 UTC), not the workflow's UTC.
    const std::string wf = make_workflow("Callback");
    const std::string call = make_node(
        wf, Json{{"node_type", "VOICE_CALL"},
                 {"label", "Call"},
                 {"config", Json{{"agent_id", "agent_1"}, {"from_phone_number", "+14155552671"}}}});
    const std::string wait = make_node(
        wf, Json{{"node_type", "TIME"},
                 {"label", "Callback"},
                 {"config",
                  Json{{"time_source", "postcall_analysis"}, {"pca_field", "callback_time"}}}});
    const std::string won = make_node(wf, Json{{"node_type", "CONVERTED"}, {"label", "Won"}});
    ASSERT_EQ(
        post("/v1/workflows/" + wf + "/edges", Json{{"from_node_id", call}, {"to_node_id", wait}})
            .status,
        201);
    ASSERT_EQ(
        post("/v1/workflows/" + wf + "/edges", Json{{"from_node_id", wait}, {"to_node_id", won}})
            .status,
        201);
    Response r = put(
        "/v1/workflows/" + wf + "/scenario",
        Json{{"nodes",
              Json{{call, Json{{"outcomes", Json{{"COMPLETED", 1}}},
                               {"call_duration_s", Json{{"mean", 60}, {"sd", 0}}},
                               {"analysis",
                                Json{{"callback_time", Json{{"values", Json{{"3 PM", 1}}}}}}}}}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string id = enrol_numbers(wf, {"+12125550100"})[0];
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(10);
    advance(61 * 1000);
    const Json l = lead(wf, id);
    EXPECT_EQ(l["execution"]["phase"], "waiting") << l;
    EXPECT_EQ(l["execution"]["release_at"], "2026-01-05T20:00:00.000Z");
}

TEST_F(CallingHours, TheSimulatorAndTheServerReleaseTheSameLeadAtTheSameInstant) {
    // Numbers of five countries, on both US coasts and in multi-zone prefixes, on the night the
    // US clocks change.
    now_ = at("2026-03-08T03:00:00Z");
    restart_live();  // the scheduler's clock starts at now_
    const std::string wf =
        simple_call_workflow("COMPLETED", Json{{"respect_lead_local_time", true}});
    const std::vector<std::string> numbers = {"+12125550100",  "+14155550123", "+12082990100",
                                              "+61291234567",  "+61851121234", "+5592987654321",
                                              "+919876543210", "+442071234567"};
    // The simulator: one lead with each number, starting now; a call of exactly 60 s.
    std::vector<TimeMs> simulated;
    for (const std::string& n : numbers) {
        Json scenario{
            {"leads", 1},
            {"start_time", format_timestamp(now_)},
            {"nodes", Json{{nodes_[0], Json{{"outcomes", Json{{"COMPLETED", 1}}},
                                            {"call_duration_s", Json{{"mean", 60}, {"sd", 0}}}}}}},
            {"phone_numbers", Json::array({Json{{"number", n}, {"share", 1}}})}};
        Response r = post("/v1/workflows/" + wf + "/simulate", Json{{"scenario", scenario}});
        ASSERT_EQ(r.status, 200) << r.body;
        const double hours = body_of(r)["time_to_terminal_hours"]["p50"].get<double>();
        simulated.push_back(now_ + static_cast<TimeMs>(hours * 3600 + 0.5) * 1000 - 60 * 1000);
    }
    // The server: the same numbers enrolled now.
    const std::vector<std::string> ids = enrol_numbers(wf, numbers);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    const TimeMs started = now_;
    advance(10);
    int held = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const Json l = lead(wf, ids[i]);
        if (l["execution"]["phase"] == "in_call") {
            EXPECT_EQ(simulated[i], started) << numbers[i] << ": called at once on the server";
            continue;
        }
        ++held;
        ASSERT_EQ(l["execution"]["phase"], "queued") << numbers[i];
        EXPECT_EQ(l["execution"]["release_at"], format_timestamp(simulated[i])) << numbers[i];
    }
    // 03:00 UTC is 22:00 in New York, 23:00 in Manaus and 03:00 in London; inside the hours in
    // California, Idaho, Australia and India.
    EXPECT_EQ(held, 3);
}

}  // namespace
}  // namespace leadflow::server::testing
