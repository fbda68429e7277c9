// tests/hostile/limits_test.cpp — input limits (docs/limits.md) through App::handle: invalid
// UTF-8, CSV rows, columns and variables, graph sizes and strings, the simulation's event budget
// and its stop when the client has gone. The attacks that need a socket (a crash, a huge body,
// a parser that must stop early) are in limits_socket_test.cpp.
#include "http/limits.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "server_test_util.hpp"
#include "util/utf8.hpp"

namespace leadflow::server::testing {
namespace {

// [SECTION] Through App::handle

class LimitsTest : public ApiTest {
  protected:
    Response upload_csv(const std::string& wf, const std::string& csv) {
        Request r;
        r.method = "POST";
        r.path = "/v1/workflows/" + wf + "/leads";
        r.content_type = "multipart/form-data";
        r.headers["Authorization"] = "Bearer " + key_a_;
        r.files.push_back(UploadedFile{"file", "leads.csv", "text/csv", csv});
        return handle(std::move(r));
    }
    std::int64_t enrolled(const std::string& wf) {
        return body_of(get("/v1/workflows/" + wf))["enrolled_leads"].get<std::int64_t>();
    }
    std::string message(const Response& r) { return body_of(r)["message"].dump(); }
};

TEST(Utf8, AcceptsWellFormedTextAndRejectsOverlongsSurrogatesAndTruncation) {
    for (const char* ok : {"", "plain", "Jos\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                           "\xED\x9F\xBF", "\xEE\x80\x80", "\xF4\x8F\xBF\xBF", "nul\0byte"}) {
        EXPECT_TRUE(is_valid_utf8(ok)) << ok;
    }
    EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));
    const std::vector<std::pair<std::string, std::size_t>> bad = {
        {"Jos\xE9", 3},           // Latin-1
        {"\xC0\xAF", 0},          // overlong '/'
        {"\xC1\xBF", 0},          // overlong
        {"\xE0\x80\xAF", 0},      // overlong, three bytes
        {"\xF0\x80\x80\xAF", 0},  // overlong, four bytes
        {"ab\xED\xA0\x80", 2},    // surrogate U+D800
        {"\xED\xBF\xBF", 0},      // surrogate U+DFFF
        {"\xF4\x90\x80\x80", 0},  // above U+10FFFF
        {"\xF5\x80\x80\x80", 0},  // lead byte out of range
        {"\x80", 0},              // lone continuation
        {"ok\xE2\x82", 2},        // truncated
        {"\xE2\x28\xA1", 0},      // bad continuation
    };
    for (const auto& [s, at] : bad) {
        EXPECT_FALSE(is_valid_utf8(s)) << s;
        EXPECT_EQ(invalid_utf8_offset(s), at) << s;
    }
}

TEST_F(LimitsTest, InvalidUtf8InACsvIsA400NamingRowAndColumnAndEnrollsNothing) {
    const std::string wf = make_workflow();
    make_valid_graph(wf);
    struct Case {
        std::string csv;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"phone_number,name\n+14155552671,Ann\n+14155552672,Jos\xE9\n",
         "row 2, column name: not valid UTF-8"},
        {"name,phone_number\nAnn,+14155552671\xC0\xAF\n", "row 1, column phone_number: not valid"},
        {"phone_number,city\n+14155552671,\"Pune\n\xED\xA0\x80\"\n", "row 1, column city: not"},
        {"phone_number,caf\xE9\n+14155552671,x\n", "header row, column 2: not valid UTF-8"},
    };
    for (const Case& c : cases) {
        Response r = upload_csv(wf, c.csv);
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_NE(message(r).find(c.message), std::string::npos) << r.body;
    }
    EXPECT_EQ(enrolled(wf), 0);
    // The server is unharmed: a clean upload works.
    EXPECT_EQ(upload_csv(wf, "phone_number,name\n+14155552671,Jos\xC3\xA9\n").status, 201);
    EXPECT_EQ(enrolled(wf), 1);
}

TEST_F(LimitsTest, InvalidUtf8InAJsonBodyIsAClear400) {
    const std::string wf = make_workflow();
    Response r = send("POST", "/v1/workflows/" + wf + "/leads",
                      "{\"phone_number\":\"+14155552671\",\"variables\":{\"name\":\"Jos\xE9\"}}");
    EXPECT_EQ(r.status, 400);
    const std::string m = message(r);
    EXPECT_EQ(m.rfind("\"Malformed JSON: ", 0), 0u) << m;
    EXPECT_NE(m.find("UTF-8"), std::string::npos) << m;
    EXPECT_EQ(enrolled(wf), 0);
}

// A filter of lead ids is written into JSON for the query: a byte that is not UTF-8 made that
// writer throw (500) before paths and query strings were checked at the edge.
TEST_F(LimitsTest, APathOrQueryThatIsNotUtf8IsA400) {
    const std::string wf = make_workflow();
    Response r = get("/v1/workflows/" + wf + "/leads?leadIds=wlead_\xFF");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(message(r).find("query string is not valid UTF-8"), std::string::npos) << r.body;
    r = get("/v1/workflows/wf_\xC3\x28");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(message(r).find("path is not valid UTF-8"), std::string::npos) << r.body;
    // Well-formed non-ASCII text is still just a missing workflow.
    EXPECT_EQ(get("/v1/workflows/wf_caf\xC3\xA9").status, 404);
}

TEST_F(LimitsTest, ACsvOfOneHundredThousandAndOneRowsIsRefusedWhileReading) {
    const std::string wf = make_workflow();
    std::string csv = "phone_number\n";
    // Every row is unusable: were the reader to go on past the limit, the answer would list
    // them as row errors instead of naming the limit.
    for (std::size_t i = 0; i <= limits::kMaxCsvRows; ++i) csv += "x\n";
    Response r = upload_csv(wf, csv);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(message(r).find("more than 100000 rows"), std::string::npos) << r.body.substr(0, 300);
    EXPECT_EQ(enrolled(wf), 0);
}

TEST_F(LimitsTest, CsvColumnAndVariableLimits) {
    const std::string wf = make_workflow();
    auto header = [](std::size_t vars) {
        std::string h = "phone_number";
        for (std::size_t i = 0; i < vars; ++i) h += ",v" + std::to_string(i);
        return h;
    };
    auto row = [](std::size_t vars, const std::string& value) {
        std::string s = "+14155552671";
        for (std::size_t i = 0; i < vars; ++i) s += "," + value;
        return s;
    };
    // 100 variables (101 columns) is the most.
    EXPECT_EQ(upload_csv(wf, header(100) + "\n" + row(100, "x") + "\n").status, 201);
    Response wide = upload_csv(wf, header(101) + "\n" + row(101, "x") + "\n");
    EXPECT_EQ(wide.status, 400);
    EXPECT_NE(message(wide).find("CSV line 1: more than 101 columns"), std::string::npos);
    // A data row past the limit is refused too, even under a short header.
    Response wide_row = upload_csv(wf, header(1) + "\n" + row(200, "x") + "\n");
    EXPECT_NE(message(wide_row).find("CSV line 2: more than 101 columns"), std::string::npos)
        << wide_row.body;
    // Names and values.
    Response long_name = upload_csv(wf, "phone_number," + std::string(129, 'n') + "\n+1,x\n");
    EXPECT_EQ(long_name.status, 400);
    EXPECT_NE(message(long_name).find("at most 128 bytes"), std::string::npos);
    Response long_value =
        upload_csv(wf, "phone_number,v\n+14155552671," +
                           std::string(limits::kMaxVariableValueBytes + 1, 'v') + "\n");
    EXPECT_EQ(long_value.status, 400);
    EXPECT_EQ(body_of(long_value)["errors"][0]["reason"], "Variable value longer than 4096 bytes");
    EXPECT_EQ(enrolled(wf), 1);
}

TEST_F(LimitsTest, JsonLeadVariableLimits) {
    const std::string wf = make_workflow();
    Json vars = Json::object();
    for (int i = 0; i < 100; ++i) vars["v" + std::to_string(i)] = "x";
    EXPECT_EQ(post("/v1/workflows/" + wf + "/leads",
                   Json{{"phone_number", "+14155552671"}, {"variables", vars}})
                  .status,
              201);
    vars["one_more"] = "x";
    Response many =
        post("/v1/workflows/" + wf + "/leads",
             Json{{"leads",
                   Json::array({Json{{"phone_number", "+14155552671"}, {"variables", vars}}})}});
    EXPECT_EQ(many.status, 400);
    EXPECT_EQ(body_of(many)["errors"][0]["reason"], "More than 100 variables");
    Response long_value = post(
        "/v1/workflows/" + wf + "/leads",
        Json{{"phone_number", "+14155552671"},
             {"variables", Json{{"v", std::string(limits::kMaxVariableValueBytes + 1, 'v')}}}});
    EXPECT_EQ(body_of(long_value)["errors"][0]["reason"], "Variable value longer than 4096 bytes");
    Response long_name = post(
        "/v1/workflows/" + wf + "/leads",
        Json{{"phone_number", "+14155552671"}, {"variables", Json{{std::string(129, 'n'), "x"}}}});
    EXPECT_EQ(body_of(long_name)["errors"][0]["reason"], "Variable name longer than 128 bytes");
    // Error rows echo at most 64 bytes of the phone number sent.
    Response long_phone =
        post("/v1/workflows/" + wf + "/leads", Json{{"phone_number", std::string(5000, '1')}});
    EXPECT_EQ(long_phone.status, 400);
    EXPECT_EQ(body_of(long_phone)["errors"][0]["rows"][0]["phone_number"], std::string(64, '1'));
    EXPECT_LT(long_phone.body.size(), 512u);
    EXPECT_EQ(enrolled(wf), 1);
}

Json time_node(const std::string& id) {
    return Json{
        {"id", id}, {"node_type", "TIME"}, {"label", id}, {"config", Json{{"delay_hours", 1}}}};
}

TEST_F(LimitsTest, NodesAndEdgesPastTheLimitAreRefused) {
    const std::string wf = make_workflow();
    Json nodes = Json::array();
    for (std::size_t i = 0; i <= limits::kMaxNodesPerWorkflow; ++i) {
        nodes.push_back(time_node("n" + std::to_string(i)));
    }
    Response r =
        put("/v1/workflows/" + wf + "/graph", Json{{"nodes", nodes}, {"edges", Json::array()}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(message(r).find("at most 10000 nodes"), std::string::npos) << message(r);
    Json edges = Json::array();
    for (std::size_t i = 0; i <= limits::kMaxEdgesPerWorkflow; ++i) {
        edges.push_back(Json{{"from_node_id", "a"}, {"to_node_id", "b"}});
    }
    r = put("/v1/workflows/" + wf + "/graph",
            Json{{"nodes", Json::array({time_node("a"), time_node("b")})}, {"edges", edges}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(message(r).find("at most 10000 edges"), std::string::npos) << message(r);
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/graph"))["nodes"].size(), 0u);
}

TEST_F(LimitsTest, StringsPastTheirLimitsAreRefused) {
    const std::string wf = make_workflow();
    Json config{{"delay_hours", 1},
                {"notes", Json{{"deep", std::string(limits::kMaxConfigStringBytes + 1, 'c')}}}};
    Response r =
        post("/v1/workflows/" + wf + "/nodes", Json{{"node_type", "TIME"}, {"config", config}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(message(r).find("config.notes.deep: strings in a node config may have at most"),
              std::string::npos)
        << message(r);
    Json n = time_node("a");
    n["config"]["list"] = Json::array({"ok", std::string(limits::kMaxConfigStringBytes + 1, 'c')});
    r = put("/v1/workflows/" + wf + "/graph",
            Json{{"nodes", Json::array({n})}, {"edges", Json::array()}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(message(r).find("nodes[0].config.list[1]"), std::string::npos) << message(r);
    n = time_node("a");
    n["label"] = std::string(limits::kMaxLabelBytes + 1, 'l');
    r = put("/v1/workflows/" + wf + "/graph",
            Json{{"nodes", Json::array({n})}, {"edges", Json::array()}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(message(r).find("nodes[0].label must be at most 200 bytes"), std::string::npos);
    // At the limits: accepted.
    n = time_node("a");
    n["label"] = std::string(limits::kMaxLabelBytes, 'l');
    n["config"]["text"] = std::string(limits::kMaxConfigStringBytes, 'c');
    r = put("/v1/workflows/" + wf + "/graph",
            Json{{"nodes", Json::array({n})}, {"edges", Json::array()}});
    EXPECT_EQ(r.status, 200) << message(r);
}

// A graph whose leads loop between two waits until the loop guard stops them: about a
// thousand events per lead.
TEST_F(LimitsTest, AWorkflowAtItsNodeOrEdgeLimitTakesNoMoreThrough409) {
    // The same checks as at 10,000, with a lower limit so that the test stays small.
    config_.max_nodes_per_workflow = 3;
    config_.max_edges_per_workflow = 2;
    restart();
    const std::string wf = make_workflow();
    const Json three = Json::array({time_node("a"), time_node("b"), time_node("c")});
    Json four = three;
    four.push_back(time_node("d"));
    EXPECT_EQ(put("/v1/workflows/" + wf + "/graph", Json{{"nodes", four}, {"edges", Json::array()}})
                  .status,
              400);
    const Json two_edges = Json::array({Json{{"from_node_id", "a"}, {"to_node_id", "b"}},
                                        Json{{"from_node_id", "b"}, {"to_node_id", "c"}}});
    ASSERT_EQ(
        put("/v1/workflows/" + wf + "/graph", Json{{"nodes", three}, {"edges", two_edges}}).status,
        200);
    Response node = post("/v1/workflows/" + wf + "/nodes",
                         Json{{"node_type", "TIME"}, {"config", Json{{"delay_hours", 1}}}});
    EXPECT_EQ(node.status, 409);
    EXPECT_NE(message(node).find("The workflow is full: a workflow may have at most 3 nodes"),
              std::string::npos)
        << message(node);
    Response edge =
        post("/v1/workflows/" + wf + "/edges", Json{{"from_node_id", "c"}, {"to_node_id", "a"}});
    EXPECT_EQ(edge.status, 409);
    EXPECT_NE(message(edge).find("at most 2 edges"), std::string::npos) << message(edge);
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/graph"))["nodes"].size(), 3u);
    // A stored graph above a (lowered) limit cannot be copied.
    EXPECT_EQ(post("/v1/workflows/" + wf + "/duplicate", Json::object()).status, 201);
    config_.max_nodes_per_workflow = 2;
    restart();
    EXPECT_EQ(post("/v1/workflows/" + wf + "/duplicate", Json::object()).status, 409);
}

Json looping_graph() {
    return Json{{"nodes", Json::array({time_node("a"), time_node("b")})},
                {"edges", Json::array({Json{{"from_node_id", "a"}, {"to_node_id", "b"}},
                                       Json{{"from_node_id", "b"}, {"to_node_id", "a"}}})},
                {"entry_node_id", "a"}};
}

TEST_F(LimitsTest, ASimulationOverTheEventBudgetIsA422) {
    config_.max_simulation_events = 200'000;
    restart();
    const std::string wf = make_workflow();
    ASSERT_EQ(put("/v1/workflows/" + wf + "/graph", looping_graph()).status, 200);
    // 100 leads x ~1,000 events fit; 1,000 leads do not.
    Response small = post("/v1/workflows/" + wf + "/simulate", Json{{"leads", 100}});
    EXPECT_EQ(small.status, 200) << small.body.substr(0, 300);
    Response big = post("/v1/workflows/" + wf + "/simulate", Json{{"leads", 1000}});
    EXPECT_EQ(big.status, 422);
    EXPECT_NE(message(big).find("more than 200000 events"), std::string::npos) << message(big);
    // Known up front: more leads than a run may have.
    Response huge = post("/v1/workflows/" + wf + "/simulate", Json{{"leads", 1'000'001}});
    EXPECT_EQ(huge.status, 400);
}

TEST_F(LimitsTest, ASimulationStopsWhenTheClientHasGone) {
    const std::string wf = make_workflow();
    ASSERT_EQ(put("/v1/workflows/" + wf + "/graph", looping_graph()).status, 200);
    int polls = 0;
    Request req;
    req.method = "POST";
    req.path = "/v1/workflows/" + wf + "/simulate";
    req.content_type = "application/json";
    req.body = R"({"leads": 1000000})";
    req.headers["Authorization"] = "Bearer " + key_a_;
    req.client_gone = [&polls] { return ++polls >= 3; };
    Response r = handle(std::move(req));
    // Without the hook the run would go on to the event budget (a 422, after far more polls).
    EXPECT_EQ(r.status, 499) << r.body;
    EXPECT_EQ(polls, 3);
    EXPECT_NE(message(r).find("cancelled"), std::string::npos) << message(r);
}

}  // namespace
}  // namespace leadflow::server::testing
