// tests/fuzz/fuzz_app.cpp — whole HTTP requests into the server's App (App::handle, no sockets):
// routing, authentication, body reading, every handler, the SQLite store.
//
// Input (text, so that seeds are readable and the dictionary helps):
//   METHOD SP PATH[?QUERY] LF
//   Header-Name: value LF        (any number; "Content-Type" also sets the media type)
//   LF
//   body                         (the rest; a multipart upload carries it as its one file)
// "$W", "$N", "$E" and "$L" anywhere in the text become the ids of a workflow, node, edge and
// lead that exist, "$K" the API key, so mutations reach deep into the handlers. Without an
// Authorization header the key of the one organization is sent; "Authorization: none" sends
// none.
//
// The store is a SQLite file in a scratch folder (/dev/shm when present), created with one
// organization, its key and the conditional_followup fixture graph with a lead, and created
// afresh every kResetEvery inputs so that it stays small and a crash needs few inputs before it.
//
// Property: the App never answers 500 (a handler threw or a store call failed unexpectedly);
// a 500 aborts, and libFuzzer saves the input.
//
// Deeply nested JSON and text that is not UTF-8 reach the App like any other input: the App
// refuses them with a 400 (JSON depth and UTF-8 are checked at the edge), so a 500 for them is
// a finding like any other.
// Simulations are kept short: numbers under "leads" and "horizon_days" in a JSON body are
// capped (20 leads, 30 days), since a CPU budget for simulate is another part of the issue.
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "http/app.hpp"
#include "http/auth.hpp"
#include "leadflow/text.hpp"
#include "store/sqlite_store.hpp"

using namespace leadflow;
using namespace leadflow::server;

namespace {

constexpr int kResetEvery = 500;
constexpr int kMaxDepth = 64;
constexpr TimeMs kNow = 1767603600000;  // 2026-01-05T09:00:00.000Z

struct Env {
    std::string dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<App> app;
    std::string key, workflow, node, edge, lead;
    int uses = 0;
};

std::string scratch_dir() {
    std::string base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    if (const char* t = std::getenv("LEADFLOW_FUZZ_TMP")) base = t;
    std::string tmpl = base + "/leadflow-fuzz-app-XXXXXX";
    if (!mkdtemp(tmpl.data())) std::abort();
    return tmpl;
}

Env* env = nullptr;

void remove_env_dir() {
    if (env) {
        std::error_code ec;
        std::filesystem::remove_all(env->dir, ec);
    }
}

Response call(const std::string& method, const std::string& path, const std::string& body) {
    Request r;
    r.method = method;
    r.path = path;
    r.body = body;
    if (!body.empty()) r.content_type = "application/json";
    r.headers["Authorization"] = "Bearer " + env->key;
    return env->app->handle(std::move(r));
}

std::string id_of(const Response& r, const char* what) {
    Json j = Json::parse(r.body, nullptr, false);
    if (r.status >= 300 || !j.is_object() || !j.contains("id") || !j["id"].is_string()) {
        std::fprintf(stderr, "fuzz_app setup: creating %s failed: %d %s\n", what, r.status,
                     r.body.c_str());
        std::abort();
    }
    return j["id"].get<std::string>();
}

// A fresh store: one organization, its key, a workflow with a graph and a lead.
void reset_env() {
    if (!env) {
        env = new Env;
        env->dir = scratch_dir();
        std::atexit(remove_env_dir);
    }
    env->app.reset();
    env->store.reset();
    const std::string db = env->dir + "/fuzz.db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db + suffix).c_str());
    auto s = open_sqlite_store(db);
    if (!s.ok()) std::abort();
    env->store = std::move(s.value());
    auto k = create_api_key(*env->store, "acme", kNow);
    if (!k.ok()) std::abort();
    env->key = k->key;
    ServerConfig config;
    config.rate_limit = 0;
    Clock clock;
    clock.now = [] { return kNow; };
    clock.monotonic_ms = [] { return TimeMs{0}; };
    env->app = std::make_unique<App>(*env->store, config, clock);

    env->workflow = id_of(call("POST", "/v1/workflows", R"({"title":"Fuzz"})"), "workflow");
    const std::string base = "/v1/workflows/" + env->workflow;
    Json graph = Json::parse(fuzz::read_fixture("conditional_followup.json"));
    graph.erase("workflow");
    Response g = call("PUT", base + "/graph", graph.dump());
    if (g.status != 200) {
        std::fprintf(stderr, "fuzz_app setup: PUT graph: %d %s\n", g.status, g.body.c_str());
        std::abort();
    }
    Json stored = Json::parse(g.body, nullptr, false);
    env->node = stored["nodes"][0]["id"].get<std::string>();
    env->edge = stored["edges"][0]["id"].get<std::string>();
    Response l = call("POST", base + "/leads",
                      R"({"phone_number":"+14155552671","variables":{"city":"Pune"}})");
    Json lj = Json::parse(l.body, nullptr, false);
    if (l.status >= 300) {
        std::fprintf(stderr, "fuzz_app setup: lead: %d %s\n", l.status, l.body.c_str());
        std::abort();
    }
    // The upload answers {"data": {phone: [lead ids]}, …}.
    std::string lead;
    const Json& ids = lj["data"]["+14155552671"];
    if (ids.is_array() && !ids.empty() && ids[0].is_string()) lead = ids[0].get<std::string>();
    if (lead.empty()) {
        std::fprintf(stderr, "fuzz_app setup: no lead id in %s\n", l.body.c_str());
        std::abort();
    }
    env->lead = lead;
    env->uses = 0;
}

std::string substitute(std::string s) {
    const std::pair<const char*, const std::string*> tokens[] = {{"$W", &env->workflow},
                                                                 {"$N", &env->node},
                                                                 {"$E", &env->edge},
                                                                 {"$L", &env->lead},
                                                                 {"$K", &env->key}};
    for (const auto& [token, value] : tokens) {
        for (std::size_t p = s.find(token); p != std::string::npos;
             p = s.find(token, p + value->size())) {
            s.replace(p, 2, *value);
        }
    }
    return s;
}

// Bracket depth outside strings (a cheap over-estimate is fine: it only skips inputs).
int nesting_depth(std::string_view s) {
    int depth = 0, max = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            max = std::max(max, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return max;
}

// Caps simulation sizes in a JSON body (see the header comment).
void cap_simulation(Json& j, int depth) {
    if (depth > kMaxDepth) return;
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.value().is_number()) {
                if (it.key() == "leads" && it.value().get<double>() > 20) it.value() = 20;
                if (it.key() == "horizon_days" && it.value().get<double>() > 30) it.value() = 30;
            } else {
                cap_simulation(it.value(), depth + 1);
            }
        }
    } else if (j.is_array()) {
        for (auto& v : j) cap_simulation(v, depth + 1);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (!env || ++env->uses > kResetEvery) reset_env();
    const std::string text = substitute(std::string(reinterpret_cast<const char*>(data), size));

    Request req;
    std::size_t pos = text.find('\n');
    const std::string first = text.substr(0, pos);
    const std::size_t sp = first.find(' ');
    req.method = first.substr(0, sp);
    std::string target = sp == std::string::npos ? "/" : first.substr(sp + 1);
    const std::size_t q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) {
        const std::string query = target.substr(q + 1);
        for (std::size_t i = 0; i <= query.size();) {
            std::size_t j = query.find('&', i);
            if (j == std::string::npos) j = query.size();
            const std::string kv = query.substr(i, j - i);
            const std::size_t eq = kv.find('=');
            if (!kv.empty()) {
                req.params.emplace(kv.substr(0, eq),
                                   eq == std::string::npos ? "" : kv.substr(eq + 1));
            }
            i = j + 1;
        }
    }
    bool auth_given = false;
    while (pos != std::string::npos) {
        const std::size_t start = pos + 1;
        pos = text.find('\n', start);
        const std::string line = text.substr(start, pos == std::string::npos ? pos : pos - start);
        if (line.empty()) break;
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        std::string value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.erase(0, 1);
        if (lower(name) == "authorization") {
            auth_given = true;
            if (value == "none") continue;
        }
        if (lower(name) == "content-type") req.content_type = media_type(value);
        req.headers[name] = value;
    }
    if (!auth_given) req.headers["Authorization"] = "Bearer " + env->key;
    if (pos != std::string::npos) req.body = text.substr(pos + 1);
    // The capping below copies and compares the parsed body recursively: only for bodies the
    // App would parse at all (deeper ones are refused before parsing).
    if (!req.body.empty() && (req.body.front() == '{' || req.body.front() == '[') &&
        nesting_depth(req.body) <= kMaxDepth) {
        Json j = Json::parse(req.body, nullptr, false);
        if (!j.is_discarded()) {
            const Json before = j;
            cap_simulation(j, 0);
            if (j != before) req.body = j.dump();
        }
    }
    if (req.content_type == "multipart/form-data") {
        req.files.push_back(UploadedFile{"file", "leads.csv", "text/csv", req.body});
    }

    const std::string method = req.method, path = req.path;
    const Response res = env->app->handle(std::move(req));
    if (res.status == 500) {
        std::fprintf(stderr, "fuzz_app: 500 for %s %s: %s\n", method.c_str(), path.c_str(),
                     res.body.c_str());
        std::abort();
    }
    return 0;
}
