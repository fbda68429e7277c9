// tests/server/live_test_util.cpp — see live_test_util.hpp.
#include "live_test_util.hpp"

#include <fstream>
#include <sstream>

#include "util/webhook_signature.hpp"

namespace leadflow::server::testing {

namespace {
Json read_fixture(const std::string& file) {
    std::ifstream in(std::string(LEADFLOW_FIXTURES_DIR) + "/" + file);
    std::stringstream ss;
    ss << in.rdbuf();
    Json j = Json::parse(ss.str(), nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << file;
    return j;
}
}  // namespace

void LiveTest::SetUp() {
    ApiTest::SetUp();
    live_config_.time_scale = 1.0;
    restart_live();
}

void LiveTest::TearDown() {
    scheduler_.reset();
    ApiTest::TearDown();
}

void LiveTest::restart_live() {
    scheduler_.reset();
    if (app_) restart();
    scheduler_ = std::make_unique<Scheduler>(
        *store_, live_config_, [this] { return now_; }, [this] { return mono_; });
    ASSERT_TRUE(scheduler_->init().is_ok());
    app_->set_live(scheduler_.get());
}

std::string LiveTest::import_fixture(const std::string& name) {
    Json g = read_fixture(name + ".json");
    std::string wf = make_workflow(g["workflow"]["title"].get<std::string>());
    Response r =
        put("/v1/workflows/" + wf + "/graph", Json{{"nodes", g["nodes"]}, {"edges", g["edges"]}});
    EXPECT_EQ(r.status, 200) << r.body;
    r = patch("/v1/workflows/" + wf, Json{{"settings", g["workflow"]["settings"]}});
    EXPECT_EQ(r.status, 200) << r.body;
    r = put("/v1/workflows/" + wf + "/scenario", read_fixture(name + ".scenario.json"));
    EXPECT_EQ(r.status, 200) << r.body;
    return wf;
}

std::vector<std::string> LiveTest::enrol(const std::string& wf, int n, const Json& variables) {
    std::vector<std::string> ids;
    Json leads = Json::array();
    for (int i = 0; i < n; ++i) {
        char phone[32];
        std::snprintf(phone, sizeof phone, "+1415%07d", 2000000 + next_phone_++);
        Json l{{"phone_number", phone}};
        if (!variables.is_null()) l["variables"] = variables;
        leads.push_back(l);
        if (leads.size() == 500 || i + 1 == n) {
            Response r = post("/v1/workflows/" + wf + "/leads", Json{{"leads", leads}});
            EXPECT_EQ(r.status, 201) << r.body;
            Json b = body_of(r);
            for (auto& [num, list] : b["data"].items()) {
                for (auto& id : list) ids.push_back(id.get<std::string>());
            }
            leads = Json::array();
        }
    }
    return ids;
}

std::int64_t LiveTest::advance(TimeMs wall_ms) {
    mono_ += wall_ms;
    now_ += wall_ms;
    auto n = scheduler_->tick();
    EXPECT_TRUE(n.ok()) << n.status().message();
    return n.ok() ? n.value() : -1;
}

bool LiveTest::run_until_status(const std::string& wf, const std::string& status, TimeMs wall_ms,
                                int max_ticks) {
    for (int i = 0; i < max_ticks; ++i) {
        advance(wall_ms);
        if (workflow(wf)["status"] == status) return true;
    }
    return false;
}

std::string LiveTest::simple_call_workflow(const std::string& outcome, const Json& settings) {
    std::string wf = make_workflow("Live");
    nodes_ = make_valid_graph(wf);
    Json outcomes = Json::object();
    for (const char* o : {"COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED"}) {
        outcomes[o] = outcome == o ? 1.0 : 0.0;
    }
    Response r =
        put("/v1/workflows/" + wf + "/scenario",
            Json{{"nodes",
                  Json{{nodes_[0], Json{{"outcomes", outcomes},
                                        {"call_duration_s", Json{{"mean", 60}, {"sd", 0}}}}}}}});
    EXPECT_EQ(r.status, 200) << r.body;
    if (!settings.is_null()) {
        r = patch("/v1/workflows/" + wf, Json{{"settings", settings}});
        EXPECT_EQ(r.status, 200) << r.body;
    }
    return wf;
}

std::string LiveTest::wait_workflow(double hours) {
    std::string wf = make_workflow("Wait");
    std::string wait = make_node(
        wf, Json{{"node_type", "TIME"},
                 {"label", "Wait"},
                 {"config", Json{{"duration_value", hours}, {"duration_unit", "hours"}}}});
    std::string won = make_node(wf, Json{{"node_type", "CONVERTED"}, {"label", "Won"}});
    EXPECT_EQ(
        post("/v1/workflows/" + wf + "/edges", Json{{"from_node_id", wait}, {"to_node_id", won}})
            .status,
        201);
    nodes_ = {wait, won};
    return wf;
}

Response LiveTest::post_call_result(const std::string& call_id, const std::string& body,
                                    const std::string& secret) {
    Request r;
    r.method = "POST";
    r.path = "/v1/calls/" + call_id + "/result";
    r.body = body;
    r.content_type = "application/json";
    if (!secret.empty()) {
        WebhookHeaders h =
            sign_webhook(secret, "msg_" + std::to_string(++next_message_), now_ / 1000, body);
        r.headers["webhook-id"] = h.id;
        r.headers["webhook-timestamp"] = h.timestamp;
        r.headers["webhook-signature"] = h.signature;
    }
    return handle(std::move(r));
}

void LiveTest::start_webhook_calls(int n, std::string* wf, std::vector<std::string>* ids) {
    live_config_.provider = "webhook";
    live_config_.call_webhook_secret = "s3cret";
    live_config_.public_url = "http://127.0.0.1:1";
    restart_live();
    *wf = simple_call_workflow("COMPLETED");
    *ids = enrol(*wf, n);
    ASSERT_EQ(post("/v1/workflows/" + *wf + "/activate", Json()).status, 200);
    advance(10);
}

Json LiveTest::lead(const std::string& wf, const std::string& id) {
    Response r = get("/v1/workflows/" + wf + "/leads/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
}

Json LiveTest::history(const std::string& wf, const std::string& id) {
    Response r = get("/v1/workflows/" + wf + "/leads/" + id + "/history");
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r)["history"];
}

Json LiveTest::events(const std::string& wf, const std::string& id) {
    Response r = get("/v1/workflows/" + wf + "/leads/" + id + "/history?events=true");
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r)["history"];
}

Json LiveTest::workflow(const std::string& wf) {
    Response r = get("/v1/workflows/" + wf);
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
}

int LiveTest::count_status(const Json& hist, const std::string& status) {
    int n = 0;
    for (const auto& h : hist) n += h["status"] == status;
    return n;
}

}  // namespace leadflow::server::testing
