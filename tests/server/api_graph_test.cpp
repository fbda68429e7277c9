// tests/server/api_graph_test.cpp — nodes, edges, whole-graph read/replace, scenario, simulate.
#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

TEST_F(ApiTest, NodesCrud) {
    std::string wf = make_workflow();
    const std::string base = "/v1/workflows/" + wf + "/nodes";
    Response c =
        post(base, Json{{"node_type", "TIME"},
                        {"label", "Wait"},
                        {"position_x", 10.5},
                        {"position_y", -3},
                        {"config", Json{{"duration_value", 2}, {"duration_unit", "days"}}}});
    ASSERT_EQ(c.status, 201) << c.body;
    Json n = body_of(c);
    const std::string id = n["id"].get<std::string>();
    EXPECT_EQ(id.rfind("node_", 0), 0u);
    EXPECT_EQ(n["node_type"], "TIME");
    EXPECT_EQ(n["position_x"], 10.5);
    EXPECT_EQ(n["config"]["duration_unit"], "days");
    EXPECT_EQ(body_of(get(base))["data"].size(), 1u);
    EXPECT_EQ(body_of(get(base + "/" + id))["label"], "Wait");
    // DialNexa's node objects name their workflow, on every node route.
    EXPECT_EQ(n["workflow_id"], wf);
    EXPECT_EQ(body_of(get(base))["data"][0]["workflow_id"], wf);
    EXPECT_EQ(body_of(get(base + "/" + id))["workflow_id"], wf);

    Response u =
        patch(base + "/" + id, Json{{"label", "Wait 3d"}, {"config", Json{{"duration_value", 3}}}});
    ASSERT_EQ(u.status, 200);
    EXPECT_EQ(body_of(u)["workflow_id"], wf);
    EXPECT_EQ(body_of(u)["config"], (Json{{"duration_value", 3}}));  // config replaces
    EXPECT_EQ(body_of(u)["position_x"], 10.5);                       // untouched fields stay
    EXPECT_EQ(patch(base + "/" + id, Json{{"node_type", "VOICE_CALL"}}).status, 400);
    EXPECT_EQ(patch(base + "/" + id, Json{{"node_type", "TIME"}}).status, 200);
    EXPECT_EQ(patch(base + "/" + id, Json{{"config", "x"}}).status, 400);
    EXPECT_EQ(patch(base + "/node_nope", Json{{"label", "x"}}).status, 404);

    EXPECT_EQ(post(base, Json{{"node_type", "TELEPORT"}}).status, 400);
    EXPECT_EQ(post(base, Json{{"label", "no type"}}).status, 400);
    EXPECT_EQ(post(base, Json{{"node_type", "TIME"}, {"position_x", "left"}}).status, 400);
    EXPECT_EQ(post(base, Json{{"node_type", "TIME"}, {"id", id}}).status, 409);

    Response d = del(base + "/" + id);
    EXPECT_EQ(body_of(d), (Json{{"message", "Node deleted."}}));
    EXPECT_EQ(get(base + "/" + id).status, 404);
    EXPECT_EQ(del(base + "/" + id).status, 404);
}

TEST_F(ApiTest, EdgesCrudWithItsErrors) {
    std::string wf = make_workflow();
    std::string call = make_node(wf, Json{{"node_type", "VOICE_CALL"}});
    std::string wait = make_node(wf, Json{{"node_type", "TIME"}});
    std::string won = make_node(wf, Json{{"node_type", "CONVERTED"}});
    const std::string base = "/v1/workflows/" + wf + "/edges";
    Response a =
        post(base, Json{{"from_node_id", call}, {"to_node_id", won}, {"label", "COMPLETED"}});
    ASSERT_EQ(a.status, 201) << a.body;
    Json e = body_of(a);
    EXPECT_EQ(e["id"].get<std::string>().rfind("edge_", 0), 0u);
    EXPECT_EQ(e["position"], 0);
    EXPECT_EQ(e["workflow_id"], wf);
    Response b = post(base, Json{{"from_node_id", call}, {"to_node_id", wait}, {"label", "DNP"}});
    EXPECT_EQ(body_of(b)["position"], 1);
    // 409 exact duplicate (labels compare trimmed, case-insensitively).
    EXPECT_EQ(
        post(base, Json{{"from_node_id", call}, {"to_node_id", won}, {"label", " completed "}})
            .status,
        409);
    // 404 unknown node, 400 out of a terminal node, 400 missing fields.
    EXPECT_EQ(post(base, Json{{"from_node_id", call}, {"to_node_id", "node_nope"}}).status, 404);
    EXPECT_EQ(post(base, Json{{"from_node_id", won}, {"to_node_id", call}}).status, 400);
    EXPECT_EQ(post(base, Json{{"to_node_id", call}}).status, 400);
    EXPECT_EQ(post(base, Json{{"from_node_id", call}, {"to_node_id", wait}, {"label", 3}}).status,
              400);

    // Ordered by position.
    const std::string b_id = body_of(b)["id"].get<std::string>();
    ASSERT_EQ(patch(base + "/" + b_id, Json{{"position", -1}}).status, 200);
    Json list = body_of(get(base))["data"];
    for (const Json& edge : list) EXPECT_EQ(edge["workflow_id"], wf);
    EXPECT_EQ(list[0]["id"], b_id);
    // PATCH: label and position; a label that makes a duplicate is 409; endpoints are fixed.
    EXPECT_EQ(patch(base + "/" + b_id, Json{{"label", "NO_ANSWER"}}).status, 200);
    EXPECT_EQ(body_of(get(base))["data"][0]["label"], "NO_ANSWER");
    post(base, Json{{"from_node_id", call}, {"to_node_id", wait}, {"label", "BUSY"}});
    EXPECT_EQ(patch(base + "/" + b_id, Json{{"label", "busy"}}).status, 409);
    EXPECT_EQ(patch(base + "/" + b_id, Json{{"to_node_id", won}}).status, 400);
    EXPECT_EQ(patch(base + "/edge_nope", Json{{"label", "x"}}).status, 404);
    EXPECT_EQ(body_of(del(base + "/" + b_id)), (Json{{"message", "Edge deleted."}}));
    EXPECT_EQ(del(base + "/" + b_id).status, 404);
    // Deleting a node removes its edges.
    del("/v1/workflows/" + wf + "/nodes/" + won);
    const Json remaining = body_of(get(base));
    for (const Json& x : remaining["data"]) EXPECT_NE(x["to_node_id"], won);
}

TEST_F(ApiTest, GraphReadAndAtomicReplace) {
    std::string wf = make_workflow();
    make_valid_graph(wf);
    const std::string path = "/v1/workflows/" + wf + "/graph";
    Json g = body_of(get(path));
    EXPECT_EQ(g["workflow"]["id"], wf);
    EXPECT_EQ(g["nodes"].size(), 3u);
    EXPECT_EQ(g["edges"].size(), 2u);

    Json doc = {
        {"entry_node_id", "n1"},
        {"nodes",
         Json::array({Json{{"id", "n1"},
                           {"node_type", "VOICE_CALL"},
                           {"label", "A"},
                           {"config", {{"agent_id", "a"}, {"from_phone_number", "+14155552671"}}}},
                      Json{{"id", "n2"}, {"node_type", "DROPPED"}, {"label", "B"}}})},
        {"edges", Json::array({Json{{"from_node_id", "n1"}, {"to_node_id", "n2"}}})}};
    Response r = put(path, doc);
    ASSERT_EQ(r.status, 200) << r.body;
    Json after = body_of(r);
    EXPECT_EQ(after["nodes"].size(), 2u);
    EXPECT_EQ(after["workflow"]["entry_node_id"], "n1");
    EXPECT_EQ(after["edges"][0]["id"].get<std::string>().rfind("edge_", 0), 0u);

    // Invalid documents change nothing.
    Json dup = doc;
    dup["nodes"][1]["id"] = "n1";
    EXPECT_EQ(put(path, dup).status, 400);
    Json unknown = doc;
    unknown["nodes"][1]["node_type"] = "HOLOGRAM";
    EXPECT_EQ(put(path, unknown).status, 400);
    EXPECT_EQ(put(path, Json{{"nodes", Json::array()}}).status, 400);
    EXPECT_EQ(body_of(get(path))["nodes"].size(), 2u);

    // Active workflows: the replace goes to the draft and, the draft being valid and new, is
    // published at once as the next version (docs/versions.md).
    const Json valid = {{"nodes", g["nodes"]}, {"edges", g["edges"]}, {"entry_node_id", nullptr}};
    ASSERT_EQ(put(path, valid).status, 200);
    Response act = post("/v1/workflows/" + wf + "/activate", Json());
    ASSERT_EQ(act.status, 200) << act.body;
    EXPECT_EQ(body_of(act)["published_version"], 1);
    Json changed = valid;
    changed["nodes"][0]["label"] = "First call, renamed";
    r = put(path, changed);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(header_of(r, "X-Leadflow-Published"), "true");
    EXPECT_EQ(body_of(r)["workflow"]["published_version"], 2);
    // Moving a card only is not a new version.
    changed["nodes"][0]["position_x"] = 999;
    r = put(path, changed);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(header_of(r, "X-Leadflow-Published"), "");
    EXPECT_EQ(body_of(r)["workflow"]["published_version"], 2);
    // An invalid draft (one more call node, connected to nothing) is saved, not published:
    // the running version stays.
    Json invalid = changed;
    invalid["nodes"].push_back(Json{{"id", "lonely"}, {"node_type", "VOICE_CALL"}});
    r = put(path, invalid);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(header_of(r, "X-Leadflow-Published"), "false");
    Json w = body_of(r)["workflow"];
    EXPECT_EQ(w["published_version"], 2);
    EXPECT_EQ(w["status"], "active");
    ASSERT_FALSE(w["problems"].empty());
    EXPECT_EQ(w["problems"][0]["source"], "draft");
}

// The editor's sticky notes travel with the graph as workflow.notes (leadflow/notes.hpp): kept
// exactly, left alone by a replace that does not name them, refused past their limits.
TEST_F(ApiTest, GraphReplaceKeepsTheWorkflowNotes) {
    std::string wf = make_workflow();
    make_valid_graph(wf);
    const std::string path = "/v1/workflows/" + wf + "/graph";
    Json g = body_of(get(path));
    EXPECT_FALSE(g["workflow"].contains("notes"));
    const Json notes =
        Json::array({Json{{"id", "note_1"},
                          {"text", "Call back Fridays\nnot Mondays"},
                          {"x", 12.5},
                          {"y", -40},
                          {"color", "blue"}},
                     Json{{"id", "note_2"}, {"text", "\u00e9t\u00e9"}, {"x", 0}, {"y", 0}}});
    Json doc = {{"workflow", {{"notes", notes}}}, {"nodes", g["nodes"]}, {"edges", g["edges"]}};
    Response r = put(path, doc);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body_of(r)["workflow"]["notes"], notes);
    EXPECT_EQ(body_of(get(path))["workflow"]["notes"], notes);
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["notes"], notes);

    // A replace without notes keeps them; moving a card does not drop them either.
    Json plain = {{"nodes", g["nodes"]}, {"edges", g["edges"]}};
    plain["nodes"][0]["position_x"] = 777;
    ASSERT_EQ(put(path, plain).status, 200);
    EXPECT_EQ(body_of(get(path))["workflow"]["notes"], notes);

    // Past the limits: 400 naming the note, and nothing changes.
    Json too_long = doc;
    too_long["workflow"]["notes"][1]["text"] = std::string(4001, 'x');
    r = put(path, too_long);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("workflow.notes[1].text: at most 4000 bytes (got 4001)"),
              std::string::npos)
        << r.body;
    Json too_many = doc;
    too_many["workflow"]["notes"] = Json::array();
    for (int i = 0; i < 501; ++i) {
        too_many["workflow"]["notes"].push_back(
            Json{{"id", "n" + std::to_string(i)}, {"text", ""}, {"x", 0}, {"y", 0}});
    }
    r = put(path, too_many);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("at most 500 notes (got 501)"), std::string::npos) << r.body;
    Json not_a_list = doc;
    not_a_list["workflow"]["notes"] = "hello";
    EXPECT_EQ(put(path, not_a_list).status, 400);
    EXPECT_EQ(body_of(get(path))["workflow"]["notes"], notes);
    EXPECT_EQ(body_of(get(path))["nodes"][0]["position_x"], 777);

    // An empty list (or null) removes them.
    doc["workflow"]["notes"] = Json::array();
    ASSERT_EQ(put(path, doc).status, 200);
    EXPECT_FALSE(body_of(get(path))["workflow"].contains("notes"));
}

// Replacing the graph of a paused workflow edits the draft only: the lead keeps its place on
// version 1 (no stuck row, as there was before versions), and resuming with a draft that cannot
// run keeps the workflow running on version 1 with the draft's diagnostics as its problems.
TEST_F(ApiTest, ReplacingTheGraphOfAPausedWorkflowNeverStrandsLeads) {
    std::string wf = make_workflow();
    auto nodes = make_valid_graph(wf);
    std::string lead =
        body_of(post("/v1/workflows/" + wf + "/leads",
                     Json{{"phone_number", "+14155552671"}}))["data"]["+14155552671"][0]
            .get<std::string>();
    post("/v1/workflows/" + wf + "/activate", Json());
    post("/v1/workflows/" + wf + "/pause", Json());
    Json doc = {{"nodes", Json::array({Json{{"id", "x"}, {"node_type", "DROPPED"}},
                                       Json{{"id", "y"}, {"node_type", "DROPPED"}}})},
                {"edges", Json::array()}};
    Response put_r = put("/v1/workflows/" + wf + "/graph", doc);
    ASSERT_EQ(put_r.status, 200);
    EXPECT_EQ(header_of(put_r, "X-Leadflow-Published"), "");  // paused: nothing is published
    Json h = body_of(get("/v1/workflows/" + wf + "/leads/" + lead + "/history"));
    EXPECT_NE(h["execution"]["phase"], "stuck");
    EXPECT_TRUE(h["history"].empty());
    Response resumed = post("/v1/workflows/" + wf + "/resume", Json());
    ASSERT_EQ(resumed.status, 200) << resumed.body;
    Json w = body_of(resumed);
    EXPECT_EQ(w["status"], "active");
    EXPECT_EQ(w["published_version"], 1);
    ASSERT_FALSE(w["problems"].empty());
    EXPECT_EQ(w["problems"][0]["source"], "draft");
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/leads/" + lead + "/history"))["history"].size(),
              0u);
}

TEST_F(ApiTest, GraphEditsOnTerminalWorkflowsAre409AndEntryNodeIsProtected) {
    std::string wf = make_workflow();
    auto nodes = make_valid_graph(wf);
    post("/v1/workflows/" + wf + "/activate", Json());
    // The entry node of a started workflow cannot go; other edits are allowed while active.
    EXPECT_EQ(del("/v1/workflows/" + wf + "/nodes/" + nodes[0]).status, 409);
    EXPECT_EQ(patch("/v1/workflows/" + wf + "/nodes/" + nodes[1], Json{{"label", "Yes"}}).status,
              200);
    post("/v1/workflows/" + wf + "/cancel", Json());
    EXPECT_EQ(post("/v1/workflows/" + wf + "/nodes", Json{{"node_type", "TIME"}}).status, 409);
    EXPECT_EQ(patch("/v1/workflows/" + wf + "/nodes/" + nodes[1], Json{{"label", "x"}}).status,
              409);
    EXPECT_EQ(del("/v1/workflows/" + wf + "/nodes/" + nodes[2]).status, 409);
    EXPECT_EQ(post("/v1/workflows/" + wf + "/edges",
                   Json{{"from_node_id", nodes[0]}, {"to_node_id", nodes[1]}})
                  .status,
              409);
    EXPECT_EQ(put("/v1/workflows/" + wf + "/graph",
                  Json{{"nodes", Json::array()}, {"edges", Json::array()}})
                  .status,
              409);
}

TEST_F(ApiTest, ScenarioIsStoredAndValidated) {
    std::string wf = make_workflow();
    const std::string path = "/v1/workflows/" + wf + "/scenario";
    EXPECT_EQ(body_of(get(path)), Json::object());
    Json s = {{"version", 1},
              {"seed", 42},
              {"leads", 200},
              {"nodes", Json{{"node_call1",
                              Json{{"outcomes", Json{{"COMPLETED", 0.3}, {"NO_ANSWER", 0.7}}}}}}}};
    Response r = put(path, s);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body_of(get(path)), s);
    Json bad = s;
    bad["nodes"]["node_call1"]["outcomes"]["NO_ANSWER"] = 0.5;  // sums to 0.8
    EXPECT_EQ(put(path, bad).status, 400);
    EXPECT_EQ(put(path, Json{{"leads", -5}}).status, 400);
    EXPECT_EQ(body_of(get(path)), s);
}

TEST_F(ApiTest, SimulateRunsTheCoreSimulatorOnTheStoredOrGivenScenario) {
    std::string wf = make_workflow();
    auto nodes = make_valid_graph(wf);
    put("/v1/workflows/" + wf + "/scenario",
        Json{{"seed", 3},
             {"leads", 100},
             {"nodes", Json{{nodes[0], Json{{"outcomes", Json{{"COMPLETED", 1.0}}}}}}}});
    Response r = post("/v1/workflows/" + wf + "/simulate", Json());
    ASSERT_EQ(r.status, 200) << r.body;
    Json res = body_of(r);
    EXPECT_EQ(res["leads"], 100);
    EXPECT_EQ(res["seed"], 3);
    EXPECT_EQ(res["terminal"]["completed"]["count"], 100);
    Json given = body_of(post("/v1/workflows/" + wf + "/simulate",
                              Json{{"scenario", Json{{"leads", 10}, {"seed", 9}}}}));
    EXPECT_EQ(given["leads"], 10);
    EXPECT_EQ(body_of(post("/v1/workflows/" + wf + "/simulate", Json{{"leads", 20}}))["leads"], 20);
    EXPECT_EQ(post("/v1/workflows/" + wf + "/simulate", Json{{"leads", 0}}).status, 400);
    EXPECT_EQ(post("/v1/workflows/" + wf + "/simulate", Json{{"leads", 5000000}}).status, 400);
}

}  // namespace
}  // namespace leadflow::server::testing
