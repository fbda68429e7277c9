// tests/server/api_common_test.cpp — what every route shares: auth, error bodies, request ids,
// body limits and content types, rate limiting, organization isolation on every route,
// pagination bounds, OpenAPI coverage, health, metrics and the static web app.
#include <algorithm>
#include <fstream>
#include <regex>
#include <set>

#include "http/openapi.hpp"
#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

void expect_error_shape(const Response& r, int code) {
    EXPECT_EQ(r.status, code) << r.body;
    Json j = body_of(r);
    EXPECT_EQ(j["statusCode"], code);
    EXPECT_TRUE(j["message"].is_string() || j["message"].is_array());
    EXPECT_TRUE(j["error"].is_string());
}

TEST_F(ApiTest, MissingOrWrongKeysAre401) {
    Response r = send("GET", "/v1/workflows", "", "", "", {{"Authorization", ""}});
    expect_error_shape(r, 401);
    EXPECT_EQ(body_of(r)["error"], "Unauthorized");
    expect_error_shape(get("/v1/workflows", "Basic abc"), 401);
    const std::string key_id = key_a_.substr(0, key_a_.find(':'));
    expect_error_shape(get("/v1/workflows", key_id + ":wrongsecret"), 401);
    expect_error_shape(get("/v1/workflows", "key_unknown:secret"), 401);
    expect_error_shape(get("/v1/workflows", "nocolon"), 401);
    EXPECT_EQ(get("/v1/workflows").status, 200);
}

TEST_F(ApiTest, EveryResponseCarriesARequestId) {
    std::set<std::string> ids;
    for (const Response& r : {get("/v1/workflows"), get("/v1/workflows/wf_missing"),
                              get("/healthz"), get("/nope/nope")}) {
        auto id = r.header("X-Request-Id");
        ASSERT_TRUE(id.has_value()) << r.body;
        EXPECT_EQ(id->rfind("req_", 0), 0u);
        ids.insert(*id);
    }
    EXPECT_EQ(ids.size(), 4u);
}

TEST_F(ApiTest, UnknownRoutesAre404AndWrongMethods405) {
    expect_error_shape(get("/v1/nothing"), 404);
    expect_error_shape(send("PUT", "/v1/workflows", "{}"), 405);
}

TEST_F(ApiTest, BodiesOver10MegabytesAre413) {
    std::string big(kMaxBodyBytes + 1, ' ');
    Response r = send("POST", "/v1/workflows", big);
    expect_error_shape(r, 413);
    EXPECT_EQ(body_of(r)["error"], "Payload Too Large");
}

TEST_F(ApiTest, WrongContentTypeIs415AndMalformedJson400) {
    expect_error_shape(
        send("POST", "/v1/workflows", "title=x", "application/x-www-form-urlencoded"), 415);
    expect_error_shape(send("POST", "/v1/workflows", "{\"title\": ", "application/json"), 400);
    expect_error_shape(send("POST", "/v1/workflows", "[1,2]", "application/json"), 400);
    expect_error_shape(send("POST", "/v1/workflows", ""), 400);
    const std::string wf = make_workflow();
    expect_error_shape(send("PATCH", "/v1/workflows/" + wf, "{", "application/json"), 400);
    expect_error_shape(send("PUT", "/v1/workflows/" + wf + "/graph", "<x/>", "text/xml"), 415);
    expect_error_shape(send("POST", "/v1/workflows/" + wf + "/leads", "x", "text/plain"), 415);
}

TEST_F(ApiTest, RateLimitAnswers429WithRetryAfterAndRefills) {
    config_.rate_limit = 3;
    restart();
    for (int i = 0; i < 3; ++i) EXPECT_EQ(get("/v1/workflows").status, 200);
    Response r = get("/v1/workflows");
    expect_error_shape(r, 429);
    ASSERT_TRUE(r.header("Retry-After").has_value());
    EXPECT_GE(std::stoi(*r.header("Retry-After")), 1);
    // The other organization's key has its own bucket.
    EXPECT_EQ(get("/v1/workflows", key_b_).status, 200);
    mono_ += 1000;  // one second refills three tokens
    EXPECT_EQ(get("/v1/workflows").status, 200);
}

TEST_F(ApiTest, PaginationBoundsAreEnforced) {
    for (int i = 0; i < 3; ++i) make_workflow("wf " + std::to_string(i));
    for (const char* bad : {"page=0", "page=-1", "page=x", "limit=0", "limit=101", "limit=2.5"}) {
        expect_error_shape(get(std::string("/v1/workflows?") + bad), 400);
    }
    Json j = body_of(get("/v1/workflows?limit=2&page=2"));
    EXPECT_EQ(j["data"].size(), 1u);
    EXPECT_EQ(j["meta"], (Json{{"page", 2}, {"limit", 2}, {"total", 3}, {"totalPages", 2}}));
    EXPECT_EQ(body_of(get("/v1/workflows?limit=100&page=9"))["data"].size(), 0u);
}

// Every route that names a resource answers 404 to another organization, and lists never show
// another organization's objects.
TEST_F(ApiTest, OtherOrganizationsResourcesAreNotFoundOnEveryRoute) {
    const std::string wf = make_workflow("secret plans");
    auto nodes = make_valid_graph(wf);
    Json edges = body_of(get("/v1/workflows/" + wf + "/edges"))["data"];
    Response up = post("/v1/workflows/" + wf + "/leads", Json{{"phone_number", "+14155552671"}});
    ASSERT_EQ(up.status, 201);
    const std::string lead = body_of(up)["data"]["+14155552671"][0].get<std::string>();
    Response hook = post("/v1/user-webhooks", Json{{"url", "https://example.com/h"}});
    ASSERT_EQ(hook.status, 201);
    const std::string hook_id = body_of(hook)["id"].get<std::string>();

    int checked = 0;
    for (const Route& route : app_->router().routes()) {
        if (route.access != Access::kApiKey) continue;
        std::string path = route.pattern;
        auto sub = [&](const std::string& name, const std::string& value) {
            auto p = path.find("{" + name + "}");
            if (p != std::string::npos) path.replace(p, name.size() + 2, value);
        };
        sub("id", wf);
        sub("nodeId", nodes[0]);
        sub("edgeId", edges[0]["id"].get<std::string>());
        sub("leadId", lead);
        sub("webhookId", hook_id);
        sub("n", "1");
        sub("a", "1");
        sub("b", "draft");
        ASSERT_EQ(path.find('{'), std::string::npos) << route.pattern;
        // A body each route accepts, so only ownership decides the answer.
        Json body = Json::object();
        if (route.pattern.find("/leads") != std::string::npos && route.method == "POST") {
            body = Json{{"phone_number", "+14155552672"}};
        } else if (route.pattern.find("/status") != std::string::npos) {
            body = Json{{"action", "activate"}};
        } else if (route.pattern.find("/graph") != std::string::npos) {
            body = Json{{"nodes", Json::array()}, {"edges", Json::array()}};
        } else if (route.pattern == "/v1/workflows/{id}/nodes") {
            body = Json{{"node_type", "TIME"}};
        } else if (route.pattern == "/v1/workflows/{id}/edges") {
            body = Json{{"from_node_id", nodes[0]}, {"to_node_id", nodes[1]}, {"label", "BUSY"}};
        }
        Response r = send(route.method, path,
                          route.method == "GET" || route.method == "DELETE" ? "" : body.dump(),
                          "application/json", key_b_);
        if (route.pattern.find('{') != std::string::npos) {
            EXPECT_EQ(r.status, 404) << route.method << " " << route.pattern << ": " << r.body;
            ++checked;
        } else if (route.method == "GET") {
            EXPECT_EQ(r.status, 200) << route.pattern;
            EXPECT_EQ(r.body.find(wf), std::string::npos) << route.pattern;
            EXPECT_EQ(r.body.find(hook_id), std::string::npos) << route.pattern;
        }
    }
    EXPECT_GE(checked, 30);
    // Nothing of org A changed.
    Json w = body_of(get("/v1/workflows/" + wf));
    EXPECT_EQ(w["status"], "draft");
    EXPECT_EQ(w["node_count"], 3);
    EXPECT_EQ(w["enrolled_leads"], 1);
    EXPECT_EQ(get("/v1/user-webhooks/" + hook_id).status, 200);
}

// Every $ref of `node` (recursively) names a schema of `doc`'s components.
void expect_refs_resolve(const Json& doc, const Json& node, int* refs) {
    if (node.is_object()) {
        if (auto it = node.find("$ref"); it != node.end()) {
            const std::string ref = it->get<std::string>();
            const std::string prefix = "#/components/schemas/";
            ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
            EXPECT_TRUE(doc["components"]["schemas"].contains(ref.substr(prefix.size()))) << ref;
            ++*refs;
        }
    }
    if (node.is_structured()) {
        for (const Json& child : node) expect_refs_resolve(doc, child, refs);
    }
}

TEST_F(ApiTest, OpenApiIsGeneratedFromTheServedRoutes) {
    Response r = send("GET", "/v1/openapi.json", "", "", "", {{"Authorization", ""}});
    ASSERT_EQ(r.status, 200);
    Json doc = body_of(r);
    EXPECT_EQ(doc["openapi"], "3.0.3");
    std::set<std::string> documented, served;
    for (auto p = doc["paths"].begin(); p != doc["paths"].end(); ++p) {
        for (auto m = p->begin(); m != p->end(); ++m) {
            std::string method = m.key();
            std::transform(method.begin(), method.end(), method.begin(), ::toupper);
            documented.insert(method + " " + p.key());
            EXPECT_FALSE((*m)["summary"].get<std::string>().empty()) << p.key();
            EXPECT_FALSE((*m)["tags"][0].get<std::string>().empty()) << p.key();
        }
    }
    for (const Route& route : app_->router().routes()) {
        served.insert(route.method + " " + route.pattern);
    }
    EXPECT_EQ(documented, served);
    int refs = 0;
    expect_refs_resolve(doc, doc["paths"], &refs);
    expect_refs_resolve(doc, doc["components"], &refs);
    EXPECT_GT(refs, 100);
    // A route with a DialNexa envelope variant offers both shapes.
    const Json& ok = doc["paths"]["/v1/workflows"]["get"]["responses"]["200"];
    const Json& variants = ok["content"]["application/json"]["schema"]["anyOf"];
    ASSERT_EQ(variants.size(), 2u);
    EXPECT_EQ(variants[1]["$ref"], "#/components/schemas/EnvelopeWorkflowPage");
}

TEST_F(ApiTest, HealthIsPublicMetricsNeedAKeyOrTheMetricsListener) {
    Response h = send("GET", "/healthz", "", "", "", {{"Authorization", ""}});
    EXPECT_EQ(h.status, 200);
    EXPECT_EQ(body_of(h)["status"], "ok");
    // Ready without a key: the test write commits (no scheduler runs in this app).
    Response ready = send("GET", "/readyz", "", "", "", {{"Authorization", ""}});
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_EQ(body_of(ready)["storage"]["write"], "ok");
    EXPECT_EQ(body_of(ready)["scheduler"]["running"], false);
    const std::string wf = make_workflow();
    post("/v1/workflows/" + wf + "/leads", Json{{"phone_number", "+14155552671"}});
    get("/v1/workflows/wf_missing");
    // No key: refused on the API listener.
    Response anon = send("GET", "/metrics", "", "", "", {{"Authorization", ""}});
    EXPECT_EQ(anon.status, 401);
    // A key: its organization's leads only, and no per-route request counts (every tenant's).
    Response m = send("GET", "/metrics");
    EXPECT_EQ(m.status, 200);
    EXPECT_EQ(m.content_type.rfind("text/plain", 0), 0u);
    EXPECT_NE(m.body.find("leadflow_leads{status=\"pending\"} 1"), std::string::npos) << m.body;
    EXPECT_NE(m.body.find("leadflow_leads{status=\"cancelled\"} 0"), std::string::npos);
    // The store's own figures (Store::metrics), each with its help and type lines.
    static const std::regex kStoreBlock(
        "# HELP leadflow_wal_checkpoints_total SQLite WAL checkpoints by who ran them\\.\n"
        "# TYPE leadflow_wal_checkpoints_total counter\n"
        "leadflow_wal_checkpoints_total\\{by=\"background\"\\} [0-9]+\n"
        "leadflow_wal_checkpoints_total\\{by=\"scheduler\"\\} [0-9]+\n"
        "leadflow_wal_checkpoints_total\\{by=\"api\"\\} [0-9]+\n"
        "# HELP leadflow_wal_pages Length of the SQLite WAL after the last commit, in pages\\.\n"
        "# TYPE leadflow_wal_pages gauge\n"
        "leadflow_wal_pages [0-9]+\n");
    // PostgreSQL has no figures of its own here (its server reports its own health).
    EXPECT_EQ(std::regex_search(m.body, kStoreBlock), !on_postgres()) << m.body;
    EXPECT_EQ(m.body.find("leadflow_http_requests_total"), std::string::npos) << m.body;
    Response other = send("GET", "/metrics", "", "", key_b_);
    EXPECT_NE(other.body.find("leadflow_leads{status=\"pending\"} 0"), std::string::npos)
        << other.body;
    // The operator's listener (serve --metrics-listen): no key, every organization.
    ServerConfig mc = config_;
    mc.metrics_only = true;
    App scrape(*store_, mc, app_->clock());
    scrape.set_metrics_source(app_.get());
    Request req;
    req.method = "GET";
    req.path = "/metrics";
    Response all = scrape.handle(req);
    EXPECT_EQ(all.status, 200);
    EXPECT_NE(all.body.find("leadflow_leads{status=\"pending\"} 1"), std::string::npos);
    EXPECT_NE(all.body.find(
                  "leadflow_http_requests_total{route=\"GET /v1/workflows/{id}\",code=\"404\"} 1"),
              std::string::npos)
        << all.body;
    EXPECT_NE(all.body.find("route=\"POST /v1/workflows\",code=\"201\"} 1"), std::string::npos);
    // It serves nothing else.
    req.path = "/v1/workflows";
    req.headers["Authorization"] = "Bearer " + key_a_;
    EXPECT_EQ(scrape.handle(req).status, 404);
}

TEST_F(ApiTest, ServesTheWebAppFromTheWebRootOnly) {
    std::ofstream(dir_.path() + "/index.html") << "<html>leadflow</html>";
    std::ofstream(dir_.path() + "/app.wasm") << "wasm";
    config_.web_root = dir_.path();
    restart();
    Response idx = send("GET", "/", "", "", "", {{"Authorization", ""}});
    EXPECT_EQ(idx.status, 200);
    EXPECT_EQ(idx.body, "<html>leadflow</html>");
    EXPECT_EQ(idx.content_type.rfind("text/html", 0), 0u);
    Response wasm = get("/app.wasm");
    EXPECT_EQ(wasm.content_type, "application/wasm");
    EXPECT_EQ(get("/..%2Ftest.db").status, 404);
    EXPECT_EQ(get("/.hidden").status, 404);
    EXPECT_EQ(get("/missing.js").status, 404);
}

TEST_F(ApiTest, UserWebhooksCrud) {
    Response c = post("/v1/user-webhooks", Json{{"url", "https://example.com/hook"},
                                                {"events", {"workflow.lead.completed"}},
                                                {"secret", "s3cret"}});
    ASSERT_EQ(c.status, 201) << c.body;
    Json hook = body_of(c);
    EXPECT_EQ(hook["id"].get<std::string>().rfind("whk_", 0), 0u);
    EXPECT_FALSE(hook.contains("secret"));  // a given secret is never echoed
    Response gen = post("/v1/user-webhooks", Json{{"url", "http://localhost:9/x"}});
    // A generated secret is in the Standard Webhooks form: "whsec_" + base64 of 32 bytes.
    const std::string generated = body_of(gen)["secret"].get<std::string>();
    EXPECT_EQ(generated.rfind("whsec_", 0), 0u) << generated;
    EXPECT_EQ(generated.size(), 6u + 44u);
    Json list = body_of(get("/v1/user-webhooks"));
    EXPECT_EQ(list["data"].size(), 2u);
    EXPECT_EQ(list["data"][0]["url"], "https://example.com/hook");
    expect_error_shape(post("/v1/user-webhooks", Json{{"url", "ftp://x"}}), 400);
    expect_error_shape(post("/v1/user-webhooks", Json::object()), 400);
    expect_error_shape(post("/v1/user-webhooks", Json{{"url", "https://x"}, {"events", {"nope"}}}),
                       400);
    const std::string id = hook["id"].get<std::string>();
    EXPECT_EQ(body_of(del("/v1/user-webhooks/" + id))["message"], "Webhook deleted.");
    expect_error_shape(del("/v1/user-webhooks/" + id), 404);
    EXPECT_EQ(body_of(get("/v1/user-webhooks"))["data"].size(), 1u);
}

TEST_F(ApiTest, CallLogIsAnEmptyPageUntilCallsExist) {
    Json j = body_of(get("/v1/calls?workflow_id=wf_x&page=1&limit=5"));
    EXPECT_EQ(j["data"], Json::array());
    EXPECT_EQ(j["meta"]["total"], 0);
    expect_error_shape(get("/v1/calls?limit=500"), 400);
}

}  // namespace
}  // namespace leadflow::server::testing
