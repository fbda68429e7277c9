// tests/server/api_workflows_test.cpp — workflows: CRUD, lists, lifecycle, validate, duplicate,
// DialNexa envelope, persistence across a restart.
#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

TEST_F(ApiTest, CreateReturns201WithTheFullWorkflowObject) {
    Response r =
        post("/v1/workflows",
             Json{{"title", "  Nurture  "},
                  {"description", "3 attempts"},
                  {"settings", Json{{"timezone", "Asia/Kolkata"}, {"default_region", "IN"}}}});
    ASSERT_EQ(r.status, 201) << r.body;
    Json w = body_of(r);
    EXPECT_EQ(w["id"].get<std::string>().rfind("wf_", 0), 0u);
    EXPECT_EQ(w["organization_id"].get<std::string>().rfind("org_", 0), 0u);
    EXPECT_EQ(w["title"], "Nurture");
    EXPECT_EQ(w["description"], "3 attempts");
    EXPECT_EQ(w["status"], "draft");
    EXPECT_EQ(w["settings"]["timezone"], "Asia/Kolkata");
    EXPECT_EQ(w["node_count"], 0);
    EXPECT_EQ(w["edge_count"], 0);
    EXPECT_EQ(w["enrolled_leads"], 0);
    for (const char* s :
         {"pending", "active", "completed", "dropped", "removed", "failed", "cancelled"}) {
        EXPECT_EQ(w["lead_counts"][s], 0) << s;
    }
    EXPECT_EQ(w["created_at"], "2026-01-05T09:00:00.000Z");
    EXPECT_TRUE(w["activated_at"].is_null());
    // `name` is accepted for `title`.
    EXPECT_EQ(body_of(post("/v1/workflows", Json{{"name", "Alias"}}))["title"], "Alias");
}

TEST_F(ApiTest, CreateRejectsBadInput) {
    EXPECT_EQ(post("/v1/workflows", Json::object()).status, 400);
    EXPECT_EQ(post("/v1/workflows", Json{{"title", "   "}}).status, 400);
    EXPECT_EQ(post("/v1/workflows", Json{{"title", std::string(201, 'x')}}).status, 400);
    EXPECT_EQ(post("/v1/workflows", Json{{"title", 5}}).status, 400);
    EXPECT_EQ(post("/v1/workflows", Json{{"title", "x"}, {"status", "completed"}}).status, 400);
    EXPECT_EQ(post("/v1/workflows", Json{{"title", "x"}, {"status", 1}}).status, 400);
    EXPECT_EQ(post("/v1/workflows", Json{{"title", "x"}, {"status", "draft"}}).status, 201);
    EXPECT_EQ(post("/v1/workflows", Json{{"title", "x"}, {"settings", 3}}).status, 400);
    Response r =
        post("/v1/workflows", Json{{"title", "x"}, {"settings", Json{{"default_region", "XX"}}}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(body_of(r)["message"].get<std::string>().find("default_region"), std::string::npos);
}

TEST_F(ApiTest, ListFiltersSearchesAndSorts) {
    std::string a = make_workflow("Alpha calls");
    now_ += 1000;
    std::string b = make_workflow("beta drip");
    now_ += 1000;
    std::string c = make_workflow("Gamma CALLS");
    make_valid_graph(c);
    ASSERT_EQ(post("/v1/workflows/" + c + "/activate", Json()).status, 200);

    auto ids = [&](const std::string& q) {
        std::vector<std::string> out;
        const Json page = body_of(get("/v1/workflows" + q));
        for (const Json& w : page["data"]) {
            out.push_back(w["id"].get<std::string>());
        }
        return out;
    };
    EXPECT_EQ(ids(""), (std::vector<std::string>{c, b, a}));  // newest first
    EXPECT_EQ(ids("?sortBy=created_at&sortOrder=ASC"), (std::vector<std::string>{a, b, c}));
    EXPECT_EQ(ids("?sortBy=title&sortOrder=asc"), (std::vector<std::string>{a, b, c}));
    EXPECT_EQ(ids("?search=calls"), (std::vector<std::string>{c, a}));
    EXPECT_EQ(ids("?status=active"), (std::vector<std::string>{c}));
    EXPECT_EQ(ids("?status=draft&search=beta"), (std::vector<std::string>{b}));
    EXPECT_EQ(ids("?search=100%25"), std::vector<std::string>{});
    EXPECT_EQ(get("/v1/workflows?status=bogus").status, 400);
    EXPECT_EQ(get("/v1/workflows?sortBy=color").status, 400);
    EXPECT_EQ(get("/v1/workflows?sortOrder=UP").status, 400);
    Json first = body_of(get("/v1/workflows"))["data"][0];
    EXPECT_EQ(first["node_count"], 3);
}

TEST_F(ApiTest, PatchUpdatesFieldsButNotStatus) {
    std::string wf = make_workflow();
    now_ += 5000;
    Response r =
        patch("/v1/workflows/" + wf,
              Json{{"title", "Renamed"}, {"description", "d"}, {"entry_node_id", "node_x"}});
    ASSERT_EQ(r.status, 200) << r.body;
    Json w = body_of(r);
    EXPECT_EQ(w["title"], "Renamed");
    EXPECT_EQ(w["entry_node_id"], "node_x");
    EXPECT_EQ(w["updated_at"], "2026-01-05T09:00:05.000Z");
    EXPECT_EQ(patch("/v1/workflows/" + wf, Json{{"status", "active"}}).status, 409);
    EXPECT_EQ(patch("/v1/workflows/" + wf, Json{{"title", ""}}).status, 400);
    EXPECT_EQ(patch("/v1/workflows/wf_nope", Json{{"title", "x"}}).status, 404);
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["title"], "Renamed");
}

// PATCH settings changes the keys it names and keeps the others (a merge patch); null puts a
// key back to its default; an unknown time zone is refused like the simulator refuses it.
TEST_F(ApiTest, PatchMergesSettingsAndChecksTheTimeZone) {
    Response c =
        post("/v1/workflows",
             Json{{"title", "Hours"},
                  {"settings",
                   Json{{"timezone", "America/Chicago"},
                        {"calling_window",
                         Json{{"days", {"mon", "tue"}}, {"start", "09:00"}, {"end", "17:00"}}}}}});
    ASSERT_EQ(c.status, 201) << c.body;
    const std::string wf = body_of(c)["id"].get<std::string>();
    Response r =
        patch("/v1/workflows/" + wf, Json{{"settings", Json{{"max_concurrent_calls", 20}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    Json s = body_of(r)["settings"];
    EXPECT_EQ(s["max_concurrent_calls"], 20);
    EXPECT_EQ(s["timezone"], "America/Chicago") << "kept";
    EXPECT_EQ(s["calling_window"]["start"], "09:00") << "kept";
    EXPECT_EQ(s["calling_window"]["days"], Json::array({"mon", "tue"}));
    // A nested key alone: the window's other keys stay.
    s = body_of(
        patch("/v1/workflows/" + wf,
              Json{{"settings", Json{{"calling_window", Json{{"end", "20:00"}}}}}}))["settings"];
    EXPECT_EQ(s["calling_window"]["start"], "09:00");
    EXPECT_EQ(s["calling_window"]["end"], "20:00");
    // null: back to the default (unlimited calls, any time).
    s = body_of(patch("/v1/workflows/" + wf,
                      Json{{"settings", Json{{"max_concurrent_calls", nullptr},
                                             {"calling_window", nullptr}}}}))["settings"];
    EXPECT_TRUE(!s.contains("max_concurrent_calls") || s["max_concurrent_calls"].is_null()) << s;
    EXPECT_TRUE(!s.contains("calling_window") || s["calling_window"].is_null()) << s;
    EXPECT_EQ(s["timezone"], "America/Chicago");
    // Unknown zones are a 400 that changes nothing, on create and on patch.
    Response bad =
        patch("/v1/workflows/" + wf, Json{{"settings", Json{{"timezone", "Mars/Olympus"}}}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("settings.timezone"), std::string::npos) << bad.body;
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["settings"]["timezone"], "America/Chicago");
    EXPECT_EQ(
        post("/v1/workflows", Json{{"title", "x"}, {"settings", Json{{"timezone", "Not/AZone"}}}})
            .status,
        400);
    // A calling window the server could not run is refused where it is written, not at activation.
    Response window = patch("/v1/workflows/" + wf,
                            Json{{"settings", Json{{"calling_window", Json{{"start", "25:00"}}}}}});
    EXPECT_EQ(window.status, 400);
    EXPECT_NE(window.body.find("settings.calling_window"), std::string::npos) << window.body;
    EXPECT_EQ(post("/v1/workflows",
                   Json{{"title", "x"},
                        {"settings", Json{{"calling_window", Json{{"days", Json::array({"funday"})},
                                                                  {"start", "09:00"},
                                                                  {"end", "17:00"}}}}}})
                  .status,
              400);
    const Json kept = body_of(get("/v1/workflows/" + wf))["settings"];
    EXPECT_TRUE(!kept.contains("calling_window") || kept["calling_window"].is_null())
        << "unchanged by the refused patch: " << kept;
}

TEST_F(ApiTest, ActivateValidatesAndRunsFromDraftOnly) {
    std::string wf = make_workflow();
    // An empty graph cannot run: 400 with readable messages and the diagnostics.
    Response bad = post("/v1/workflows/" + wf + "/activate", Json());
    ASSERT_EQ(bad.status, 400);
    Json err = body_of(bad);
    ASSERT_TRUE(err["message"].is_array());
    EXPECT_FALSE(err["message"].empty());
    EXPECT_EQ(err["errors"][0]["code"], "NO_NODES");
    EXPECT_EQ(err["errors"][0]["severity"], "error");
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["status"], "draft");

    make_valid_graph(wf);
    post("/v1/workflows/" + wf + "/leads", Json{{"phone_number", "+14155552671"}});
    Response ok = post("/v1/workflows/" + wf + "/activate", Json());
    ASSERT_EQ(ok.status, 200) << ok.body;
    Json w = body_of(ok);
    EXPECT_EQ(w["status"], "active");
    EXPECT_EQ(w["activated_at"], "2026-01-05T09:00:00.000Z");
    EXPECT_EQ(w["lead_counts"]["active"], 1);  // pending leads start
    EXPECT_EQ(w["lead_counts"]["pending"], 0);
    EXPECT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 409);
    EXPECT_EQ(post("/v1/workflows/wf_nope/activate", Json()).status, 404);
}

TEST_F(ApiTest, ServerRejectsInvalidCallerIdNumbersOnActivate) {
    std::string wf = make_workflow();
    auto nodes = make_valid_graph(wf);
    // E.164 in form but not a valid number: the core accepts the syntax, libphonenumber does not.
    patch("/v1/workflows/" + wf + "/nodes/" + nodes[0],
          Json{{"config", Json{{"agent_id", "a"}, {"from_phone_number", "+15550000000"}}}});
    Json report = body_of(post("/v1/workflows/" + wf + "/validate", Json()));
    EXPECT_EQ(report["valid"], false);
    EXPECT_EQ(report["errors"][0]["code"], "INVALID_PHONE_NUMBER");
    EXPECT_EQ(report["errors"][0]["node_id"], nodes[0]);
    EXPECT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 400);
}

TEST_F(ApiTest, PauseResumeCancelFollowTheLifecycle) {
    std::string wf = make_workflow();
    make_valid_graph(wf);
    const std::string base = "/v1/workflows/" + wf;
    EXPECT_EQ(post(base + "/pause", Json()).status, 409);   // draft
    EXPECT_EQ(post(base + "/resume", Json()).status, 409);  // draft
    ASSERT_EQ(post(base + "/activate", Json()).status, 200);
    Response p = post(base + "/pause", Json());
    EXPECT_EQ(p.status, 200);
    EXPECT_EQ(body_of(p)["status"], "paused");
    post(base + "/leads", Json{{"phone_number", "+14155552671"}});
    EXPECT_EQ(body_of(get(base))["lead_counts"]["pending"], 1);
    Response r = post(base + "/resume", Json());
    EXPECT_EQ(body_of(r)["status"], "active");
    EXPECT_EQ(body_of(r)["lead_counts"]["active"], 1);
    Response c = post(base + "/cancel", Json());
    EXPECT_EQ(c.status, 200);
    Json w = body_of(c);
    EXPECT_EQ(w["status"], "cancelled");
    EXPECT_EQ(w["lead_counts"]["cancelled"], 1);
    EXPECT_FALSE(w["completed_at"].is_null());
    EXPECT_EQ(post(base + "/cancel", Json()).status, 409);
    EXPECT_EQ(post(base + "/resume", Json()).status, 409);
    // A body on a verb must still be JSON.
    EXPECT_EQ(send("POST", base + "/pause", "x", "text/plain").status, 415);
}

TEST_F(ApiTest, StatusActionFormAndItsDialNexaEnvelope) {
    std::string wf = make_workflow("Compat");
    make_valid_graph(wf);
    const std::string path = "/v1/workflows/" + wf + "/status";
    EXPECT_EQ(patch(path, Json{{"action", "explode"}}).status, 400);
    EXPECT_EQ(patch(path, Json::object()).status, 400);
    Response a = patch(path, Json{{"action", "activate"}});
    EXPECT_EQ(a.status, 200);
    EXPECT_EQ(body_of(a)["status"], "active");
    std::map<std::string, std::string> env = {{"X-Response-Envelope", "dialnexa"}};
    Response d =
        send("PATCH", path, Json{{"action", "deactivate"}}.dump(), "application/json", "", env);
    ASSERT_EQ(d.status, 200);
    Json j = body_of(d);
    EXPECT_EQ(j["statusCode"], 200);
    EXPECT_EQ(j["message"], "Workflow deactivated successfully");
    EXPECT_EQ(j["data"]["status"], "paused");
    EXPECT_EQ(j["data"]["title"], "Compat");
    EXPECT_TRUE(j["data"].contains("createdAt"));
    // Impossible transitions: 409 normally, 400 in the compatibility envelope.
    EXPECT_EQ(patch(path, Json{{"action", "pause"}}).status, 409);
    Response bad =
        send("PATCH", path, Json{{"action", "pause"}}.dump(), "application/json", "", env);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(body_of(bad)["statusCode"], 400);
    Response resumed =
        send("PATCH", path, Json{{"action", "resume"}}.dump(), "application/json", "", env);
    EXPECT_EQ(body_of(resumed)["message"], "Workflow resumed successfully");
}

TEST_F(ApiTest, DialNexaEnvelopeForWorkflowReads) {
    std::string wf = make_workflow("Env");
    std::map<std::string, std::string> env = {{"X-Response-Envelope", "dialnexa"}};
    Json list =
        body_of(send("GET", "/v1/workflows?sortBy=createdAt&sortOrder=DESC", "", "", "", env));
    EXPECT_EQ(list["statusCode"], 200);
    EXPECT_EQ(list["message"], "Workflows fetched successfully");
    EXPECT_EQ(list["data"]["data"][0], (Json{{"id", wf},
                                             {"title", "Env"},
                                             {"status", "draft"},
                                             {"description", ""},
                                             {"createdAt", "2026-01-05T09:00:00.000Z"},
                                             {"updatedAt", "2026-01-05T09:00:00.000Z"}}));
    EXPECT_EQ(
        list["data"]["meta"],
        (Json{{"totalItems", 1}, {"itemsPerPage", 20}, {"totalPages", 1}, {"currentPage", 1}}));
    Json one = body_of(send("GET", "/v1/workflows/" + wf, "", "", "", env));
    EXPECT_EQ(one["message"], "Workflow fetched successfully");
    EXPECT_EQ(one["data"]["id"], wf);
    // --compat dialnexa turns it on for every request.
    config_.compat_dialnexa = true;
    restart();
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["message"], "Workflow fetched successfully");
    // Errors keep the standard error body.
    EXPECT_EQ(body_of(get("/v1/workflows/wf_none"))["error"], "Not Found");
}

TEST_F(ApiTest, DeleteCascadesAndRefusesActiveWorkflows) {
    std::string wf = make_workflow();
    make_valid_graph(wf);
    post("/v1/workflows/" + wf + "/leads", Json{{"phone_number", "+14155552671"}});
    post("/v1/workflows/" + wf + "/activate", Json());
    EXPECT_EQ(del("/v1/workflows/" + wf).status, 409);
    post("/v1/workflows/" + wf + "/pause", Json());
    Response r = del("/v1/workflows/" + wf);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(body_of(r), (Json{{"message", "Workflow deleted."}}));
    EXPECT_EQ(get("/v1/workflows/" + wf).status, 404);
    EXPECT_EQ(get("/v1/workflows/" + wf + "/nodes").status, 404);
    EXPECT_EQ(del("/v1/workflows/" + wf).status, 404);
    EXPECT_NE(send("GET", "/metrics", "", "", "").body.find("leadflow_leads{status=\"active\"} 0"),
              std::string::npos);
}

TEST_F(ApiTest, ValidateReportsWithoutChangingState) {
    std::string wf = make_workflow();
    make_valid_graph(wf);
    Response r = post("/v1/workflows/" + wf + "/validate", Json());
    ASSERT_EQ(r.status, 200);
    Json v = body_of(r);
    EXPECT_EQ(v["valid"], true);
    EXPECT_TRUE(v["errors"].empty());
    EXPECT_TRUE(v["warnings"].is_array());
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["status"], "draft");
}

TEST_F(ApiTest, DuplicateCopiesGraphSettingsAndScenarioButNoLeads) {
    std::string wf = make_workflow("Original");
    auto nodes = make_valid_graph(wf);
    patch("/v1/workflows/" + wf,
          Json{{"settings", Json{{"timezone", "Europe/Berlin"}}}, {"entry_node_id", nodes[0]}});
    ASSERT_EQ(put("/v1/workflows/" + wf + "/scenario",
                  Json{{"leads", 50},
                       {"nodes", Json{{nodes[0], Json{{"outcomes", Json{{"COMPLETED", 1.0}}}}}}}})
                  .status,
              200);
    post("/v1/workflows/" + wf + "/leads", Json{{"phone_number", "+14155552671"}});
    post("/v1/workflows/" + wf + "/activate", Json());
    Response r = post("/v1/workflows/" + wf + "/duplicate", Json());
    ASSERT_EQ(r.status, 201) << r.body;
    Json copy = body_of(r);
    EXPECT_NE(copy["id"], wf);
    EXPECT_EQ(copy["title"], "Original (copy)");
    EXPECT_EQ(copy["status"], "draft");
    EXPECT_EQ(copy["node_count"], 3);
    EXPECT_EQ(copy["edge_count"], 2);
    EXPECT_EQ(copy["enrolled_leads"], 0);
    EXPECT_EQ(copy["settings"]["timezone"], "Europe/Berlin");
    Json g = body_of(get("/v1/workflows/" + copy["id"].get<std::string>() + "/graph"));
    std::string new_call = copy["entry_node_id"].get<std::string>();
    EXPECT_NE(new_call, nodes[0]);
    EXPECT_EQ(g["edges"][0]["from_node_id"], new_call);
    Json sc = body_of(get("/v1/workflows/" + copy["id"].get<std::string>() + "/scenario"));
    EXPECT_EQ(sc["leads"], 50);
    EXPECT_TRUE(sc["nodes"].contains(new_call));
    EXPECT_EQ(
        body_of(post("/v1/workflows/" + wf + "/duplicate", Json{{"title", "Named"}}))["title"],
        "Named");
}

TEST_F(ApiTest, EverythingSurvivesARestart) {
    std::string wf = make_workflow("Durable");
    auto nodes = make_valid_graph(wf);
    post("/v1/workflows/" + wf + "/leads",
         Json{{"phone_number", "+14155552671"}, {"variables", {{"city", "Pune"}}}});
    post("/v1/workflows/" + wf + "/activate", Json());
    put("/v1/workflows/" + wf + "/scenario", Json{{"seed", 7}});
    const std::string before = get("/v1/workflows/" + wf + "/graph").body;
    restart();
    EXPECT_EQ(get("/v1/workflows/" + wf + "/graph").body, before);
    Json w = body_of(get("/v1/workflows/" + wf));
    EXPECT_EQ(w["status"], "active");
    EXPECT_EQ(w["lead_counts"]["active"], 1);
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/leads/variable-keys"))["keys"],
              Json::array({"city"}));
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/scenario"))["seed"], 7);
    // Keys survive too (verified against the stored hash after the restart).
    EXPECT_EQ(get("/v1/workflows", key_b_).status, 200);
}

}  // namespace
}  // namespace leadflow::server::testing
