// tests/server/server_test_util.cpp
#include "server_test_util.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "http/auth.hpp"
#include "store/open_store.hpp"

namespace leadflow::server::testing {
namespace {

// With LEADFLOW_OPENAPI_RECORD=DIR set, every exchange of the API suites is appended to
// DIR/<pid>.jsonl, and tests/openapi checks each against the OpenAPI document: the status must
// be documented for the route and the reply must match its schema (so the document cannot drift
// from what the handlers send).
void record_exchange(const Router& router, const Request& req, bool envelope,
                     const Response& reply) {
    static const char* dir = std::getenv("LEADFLOW_OPENAPI_RECORD");
    if (!dir || !*dir) return;
    static std::mutex mu;
    static std::ofstream out(std::string(dir) + "/" + std::to_string(::getpid()) + ".jsonl",
                             std::ios::app);
    const auto match = router.match(req.method, req.path);
    Json line = {{"method", req.method},
                 {"path", req.path},
                 {"route", match.route ? Json(match.route->pattern) : Json(nullptr)},
                 {"envelope", envelope},
                 {"request_content_type", req.content_type},
                 // Bodies of the size-limit tests are not worth keeping: a request body is
                 // only checked against its schema when the request succeeded.
                 {"request", req.body.size() <= (1 << 20) ? Json(req.body) : Json(nullptr)},
                 {"status", reply.status},
                 {"content_type", reply.content_type},
                 {"body", reply.body}};
    std::lock_guard<std::mutex> lock(mu);
    out << line.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    out.flush();
}

}  // namespace

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "leadflow-test-XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    if (!p) std::abort();
    path_ = p;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

void ApiTest::SetUp() {
    db_path_ = dir_.path() + "/test.db";
    if (::leadflow::testing::test_db_is_postgres()) {
        pg_ = std::make_unique<::leadflow::testing::PgTestDatabase>();
        ASSERT_TRUE(pg_->available()) << pg_->why();
    }
    config_.rate_limit = 0;
    open();
    auto a = create_api_key(*store_, "acme", now_);
    auto b = create_api_key(*store_, "globex", now_);
    ASSERT_TRUE(a.ok() && b.ok());
    key_a_ = a->key;
    key_b_ = b->key;
}

void ApiTest::TearDown() {
    app_.reset();
    store_.reset();
    pg_.reset();
}

void ApiTest::open() {
    auto s = open_store(db_location());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s.value());
    Clock clock;
    clock.now = [this] { return now_; };
    clock.monotonic_ms = [this] { return mono_; };
    app_ = std::make_unique<App>(*store_, config_, clock);
}

void ApiTest::restart() {
    app_.reset();
    store_.reset();
    open();
}

Response ApiTest::send(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& content_type, const std::string& key,
                       std::map<std::string, std::string> headers) {
    Request r;
    r.method = method;
    auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) {
        std::string query = path.substr(q + 1);
        std::size_t i = 0;
        while (i <= query.size()) {
            std::size_t j = query.find('&', i);
            if (j == std::string::npos) j = query.size();
            std::string kv = query.substr(i, j - i);
            auto eq = kv.find('=');
            if (!kv.empty()) {
                r.params.emplace(kv.substr(0, eq),
                                 eq == std::string::npos ? "" : kv.substr(eq + 1));
            }
            i = j + 1;
        }
    }
    r.body = body;
    if (!body.empty()) r.content_type = content_type;
    r.headers["Authorization"] = "Bearer " + (key.empty() ? key_a_ : key);
    for (auto& [k, v] : headers) {
        if (v.empty()) {
            r.headers.erase(k);
        } else {
            r.headers[k] = v;
        }
    }
    return handle(std::move(r));
}

Response ApiTest::handle(Request r) {
    const auto asked = r.headers.find("X-Response-Envelope");
    const bool envelope = config_.compat_dialnexa ||
                          (asked != r.headers.end() && media_type(asked->second) == "dialnexa");
    Request sent = r;
    Response reply = app_->handle(std::move(r));
    record_exchange(app_->router(), sent, envelope, reply);
    return reply;
}

Response ApiTest::get(const std::string& path, const std::string& key) {
    return send("GET", path, "", "", key);
}
Response ApiTest::post(const std::string& path, const Json& body, const std::string& key) {
    return send("POST", path, body.is_null() ? "" : body.dump(), "application/json", key);
}
Response ApiTest::patch(const std::string& path, const Json& body, const std::string& key) {
    return send("PATCH", path, body.dump(), "application/json", key);
}
Response ApiTest::put(const std::string& path, const Json& body, const std::string& key) {
    return send("PUT", path, body.dump(), "application/json", key);
}
Response ApiTest::del(const std::string& path, const std::string& key) {
    return send("DELETE", path, "", "", key);
}

std::string ApiTest::make_workflow(const std::string& title) {
    // New workflows hold calls for the leads' local hours (docs/calling-hours.md); the tests of
    // everything else run at any hour, so their workflows turn that off (calling_hours_test.cpp
    // tests the default).
    Response r =
        post("/v1/workflows",
             Json{{"title", title}, {"settings", Json{{"respect_lead_local_time", false}}}});
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r)["id"].get<std::string>();
}

std::string ApiTest::make_node(const std::string& wf, const Json& body) {
    Response r = post("/v1/workflows/" + wf + "/nodes", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r)["id"].get<std::string>();
}

std::vector<std::string> ApiTest::make_valid_graph(const std::string& wf) {
    std::string call = make_node(
        wf, Json{{"node_type", "VOICE_CALL"},
                 {"label", "Call"},
                 {"config", Json{{"agent_id", "agent_1"}, {"from_phone_number", "+14155552671"}}}});
    std::string won = make_node(wf, Json{{"node_type", "CONVERTED"}, {"label", "Won"}});
    std::string lost = make_node(wf, Json{{"node_type", "DROPPED"}, {"label", "Lost"}});
    EXPECT_EQ(post("/v1/workflows/" + wf + "/edges",
                   Json{{"from_node_id", call}, {"to_node_id", won}, {"label", "COMPLETED"}})
                  .status,
              201);
    EXPECT_EQ(
        post("/v1/workflows/" + wf + "/edges", Json{{"from_node_id", call}, {"to_node_id", lost}})
            .status,
        201);
    return {call, won, lost};
}

Json body_of(const Response& r) {
    Json j = Json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.body;
    return j;
}

std::string header_of(const Response& r, const std::string& name) {
    auto lower = [](std::string s) {
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    for (const auto& [k, v] : r.headers) {
        if (lower(k) == lower(name)) return v;
    }
    return "";
}

}  // namespace leadflow::server::testing
