// server/http/ops.cpp — the call log, user webhooks, health, Prometheus metrics, the OpenAPI
// document and the static web app.
//
// Index
//   [SECTION] Calls
//   [SECTION] User webhooks
//   [SECTION] Health and metrics
//   [SECTION] Static web app
//   [SECTION] Registration
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "http/app.hpp"
#include "http/handler_util.hpp"
#include "http/openapi.hpp"
#include "runtime/observations.hpp"
#include "store/sqlite_store.hpp"
#include "util/crypto.hpp"
#include "util/log_text.hpp"
#include "util/webhook_signature.hpp"

namespace leadflow::server {
namespace {

// [SECTION] Calls

Json call_json(const CallRecord& c) {
    return Json{{"id", c.id},
                {"workflow_id", c.workflow_id},
                {"lead_id", c.lead_id},
                {"node_id", c.node_id},
                {"status", c.status},
                {"outcome", c.outcome ? Json(*c.outcome) : Json(nullptr)},
                {"end_reason", c.end_reason ? Json(*c.end_reason) : Json(nullptr)},
                {"duration_s", c.duration_s ? Json(*c.duration_s) : Json(nullptr)},
                {"analysis", c.analysis},
                {"created_at", time_json(c.created_at)},
                {"ended_at", time_json(c.ended_at)}};
}

Response list_calls(const Request& req, RequestContext& ctx) {
    auto page = read_page(req);
    if (!page.ok()) return status_response(page.status());
    CallQuery q;
    q.page = page->page;
    q.limit = page->limit;
    q.workflow_id = req.param("workflow_id").value_or("");
    q.lead_id = req.param("lead_id").value_or("");
    q.status = req.param("status").value_or("");
    static constexpr std::string_view kCallStatuses[] = {"in_progress", "completed", "no_answer",
                                                         "busy",        "voicemail", "failed"};
    if (!q.status.empty() && std::find(std::begin(kCallStatuses), std::end(kCallStatuses),
                                       q.status) == std::end(kCallStatuses)) {
        return status_response(Status::invalid(
            "status must be one of in_progress, completed, no_answer, busy, voicemail, failed"));
    }
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto calls = tx.list_calls(ctx.organization_id, q);
        if (!calls.ok()) return calls.status();
        Json data = Json::array();
        for (const CallRecord& c : calls->items) data.push_back(call_json(c));
        out = json_response(200, page_json(std::move(data), page.value(), calls->total));
        return Status::ok();
    });
    return finish(st, out);
}

// [SECTION] User webhooks

const std::vector<std::string>& known_events() {
    static const std::vector<std::string> kEvents = {"workflow.lead.completed"};
    return kEvents;
}

Json webhook_json(const UserWebhook& w) {
    Json events = Json::array();
    for (const auto& e : w.events) events.push_back(e);
    return Json{{"id", w.id},
                {"url", w.url},
                {"events", std::move(events)},
                {"created_at", time_json(w.created_at)}};
}

Response create_webhook(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    auto url = opt_string(body, "url", 2000);
    if (!url.ok()) return status_response(url.status());
    if (!url.value()) return error_response(400, "url is required");
    if (url.value()->rfind("http://", 0) != 0 && url.value()->rfind("https://", 0) != 0) {
        return error_response(400, "url must start with http:// or https://");
    }
    UserWebhook w;
    w.id = new_id("whk_");
    w.organization_id = ctx.organization_id;
    w.url = **url;
    w.created_at = ctx.now;
    if (auto it = body.find("events"); it != body.end() && !it->is_null()) {
        if (!it->is_array() || it->empty()) {
            return error_response(400, "events must be a non-empty array of event names");
        }
        for (const Json& e : *it) {
            const auto& known = known_events();
            if (!e.is_string() ||
                std::find(known.begin(), known.end(), e.get<std::string>()) == known.end()) {
                return error_response(
                    400, "unknown event " + e.dump() + " (known: workflow.lead.completed)");
            }
            w.events.push_back(e.get<std::string>());
        }
    } else {
        w.events = known_events();
    }
    auto secret = opt_string(body, "secret", 500);
    if (!secret.ok()) return status_response(secret.status());
    const bool generated = !secret.value() || secret.value()->empty();
    w.secret = generated ? new_webhook_secret() : **secret;
    Status st = ctx.store.transact([&](StoreTx& tx) { return tx.insert_webhook(w); });
    if (!st) return status_response(st);
    Json j = webhook_json(w);
    // A generated secret is shown once, here; a given one is never echoed.
    if (generated) j["secret"] = w.secret;
    return json_response(201, j);
}

Response list_webhooks(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto list = tx.list_webhooks(ctx.organization_id);
        if (!list.ok()) return list.status();
        Json data = Json::array();
        for (const UserWebhook& w : list.value()) data.push_back(webhook_json(w));
        out = json_response(200, Json{{"data", std::move(data)}});
        return Status::ok();
    });
    return finish(st, out);
}

Response get_webhook(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = tx.get_webhook(ctx.organization_id, req.path_param("webhookId"));
        if (!w.ok()) return w.status();
        out = json_response(200, webhook_json(w.value()));
        return Status::ok();
    });
    return finish(st, out);
}

Response delete_webhook(const Request& req, RequestContext& ctx) {
    Status st = ctx.store.transact([&](StoreTx& tx) {
        return tx.delete_webhook(ctx.organization_id, req.path_param("webhookId"));
    });
    if (!st) return status_response(st);
    return json_response(200, message_json("Webhook deleted."));
}

// [SECTION] Health and metrics

Response healthz(const Request&, RequestContext& ctx) {
    Status st = ctx.store.read([](StoreTx& tx) { return tx.lead_status_totals().status(); });
    if (!st) {
        Response r = error_response(503, "storage unavailable");
        return r;
    }
    return json_response(200, Json{{"status", "ok"},
                                   {"schema_version", ctx.store.schema_version()},
                                   {"provider", ctx.app.config().provider}});
}

// GET /readyz: ready when a write transaction commits and the scheduler (when it runs) made
// progress within kSchedulerStaleMs and is not backing off after failures. The write is one
// upsert of a fixed runtime_meta row, so probes do not grow the database.
constexpr TimeMs kSchedulerStaleMs = 60000;

Response readyz(const Request&, RequestContext& ctx) {
    std::vector<std::string> problems;
    Json storage = Json::object();
    // The value differs on every probe: SQLite skips writing a row that has not changed, and
    // such a probe would succeed without touching the disk.
    static std::atomic<std::int64_t> probes{0};
    const std::string value = std::to_string(ctx.now) + "#" + std::to_string(++probes);
    Status write =
        ctx.store.transact([&](StoreTx& tx) { return tx.live_meta_put("readiness_probe", value); });
    storage["write"] = write ? "ok" : "failed";
    if (!write) {
        // The details go to the operator's log; the probe says which kind of failure it was.
        log_line("readiness write failed: " + log_escape(write.message()));
        const bool full = write.code() == StatusCode::kUnavailable;
        storage["error"] =
            full ? "storage is full or failing (disk full or I/O error)" : "internal storage error";
        problems.push_back(full ? "a test write failed: storage is full or failing; free disk "
                                  "space on the server"
                                : "a test write failed: internal storage error");
    }
    Json scheduler = Json{{"running", false}};
    if (LiveRuntime* live = ctx.app.live()) {
        const WorkerProgress p = live->progress();
        auto at = [](TimeMs t) { return t > 0 ? time_json(t) : Json(nullptr); };
        scheduler = Json{{"running", p.running},
                         {"last_progress_at", at(p.last_success_ms)},
                         {"backing_off", p.backing_off},
                         {"failed_attempts", p.failures},
                         {"retry_in_ms", p.retry_in_ms},
                         {"last_error", p.last_error.empty() ? Json(nullptr) : Json(p.last_error)},
                         {"last_error_at", at(p.last_error_ms)}};
        if (p.running) {
            if (p.backing_off) {
                problems.push_back("the scheduler is backing off after " +
                                   std::to_string(p.failures) +
                                   " failed attempts (last error: " + p.last_error + ")");
                // Storage takes writes again: the scheduler need not wait out its backoff.
                if (write) live->wake();
            } else if (p.last_success_ms == 0) {
                problems.push_back("the scheduler has not completed a transaction yet");
            } else if (ctx.now - p.last_success_ms > kSchedulerStaleMs) {
                problems.push_back("the scheduler made no progress for " +
                                   std::to_string((ctx.now - p.last_success_ms) / 1000) + " s");
            }
        }
    }
    const bool ready = problems.empty();
    std::string message = ready ? "ready" : "not ready: ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
        if (i > 0) message += "; ";
        message += problems[i];
    }
    Json body{{"status", ready ? "ready" : "not_ready"},
              {"message", message},
              {"storage", storage},
              {"scheduler", scheduler}};
    if (!ready) {
        body["statusCode"] = 503;
        body["error"] = reason_phrase(503);
    }
    return json_response(ready ? 200 : 503, body);
}

std::string escape_label(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

// Lines of the live runtime's metrics text that carry no tenant activity (the scheduler's own
// pace); the rest (transitions, calls by outcome) adds up every organization's work.
bool process_wide_live_line(const std::string& line) {
    for (const char* name : {"leadflow_timer_lag_seconds", "leadflow_scheduler_ticks_total"}) {
        const std::string n(name);
        if (line.rfind(n, 0) == 0 && line.size() > n.size() &&
            (line[n.size()] == ' ' || line[n.size()] == '{' || line[n.size()] == '_')) {
            return true;
        }
        if (line.rfind("# HELP " + n + " ", 0) == 0 || line.rfind("# TYPE " + n + " ", 0) == 0) {
            return true;
        }
    }
    return false;
}

// At most this many active workflows have their drift in one scrape of /metrics (the first
// ones the store lists), so that a scrape stays cheap however many workflows run.
constexpr std::size_t kDriftMetricWorkflows = 200;

// GET /metrics. With an API key (the API listener): the key's organization's leads and the
// process-wide counters that reveal nothing of other tenants (SQLite WAL, scheduler pace).
// Without one (only the --metrics-listen listener routes here): everything, every organization.
Response metrics(const Request&, RequestContext& ctx) {
    const bool one_org = !ctx.organization_id.empty();
    App& source = ctx.app.metrics_source();
    std::map<LeadStatus, std::int64_t> leads;
    std::map<std::string, std::int64_t> problems;  // by code
    std::int64_t workflows_with_problems = 0;
    std::vector<std::pair<std::string, Json>> drifts;  // (workflow id, drift nodes)
    Status st = ctx.store.read([&](StoreTx& tx) {
        // Drift of the active workflows' published versions (a bounded number per scrape).
        auto runnable = tx.live_runnable_workflows();
        if (!runnable.ok()) return runnable.status();
        for (const RunnableWorkflow& r : runnable.value()) {
            if (r.cancelled || !r.published_version || drifts.size() >= kDriftMetricWorkflows) {
                continue;
            }
            auto w = tx.live_get_workflow(r.id);
            if (!w.ok()) return w.status();
            if (one_org && w->organization_id != ctx.organization_id) continue;
            auto d = published_drift(tx, w.value());
            if (!d.ok()) continue;  // a version that cannot compile has no drift to show
            drifts.emplace_back(r.id, std::move(d.value()["nodes"]));
        }
        auto t = one_org ? tx.lead_status_totals_of(ctx.organization_id) : tx.lead_status_totals();
        if (!t.ok()) return t.status();
        leads = t.value();
        auto p = tx.workflows_with_problems(one_org ? ctx.organization_id : "");
        if (!p.ok()) return p.status();
        for (const auto& [id, list] : p.value()) {
            ++workflows_with_problems;
            for (const Json& item : list) {
                problems[item.is_object() ? item.value("code", "UNKNOWN") : "UNKNOWN"] += 1;
            }
        }
        return Status::ok();
    });
    if (!st) return status_response(st);
    std::ostringstream o;
    o << "# HELP leadflow_leads Leads by status, over every workflow"
      << (one_org ? " of the key's organization" : "") << ".\n"
      << "# TYPE leadflow_leads gauge\n";
    for (LeadStatus s : all_lead_statuses()) {
        o << "leadflow_leads{status=\"" << to_string(s) << "\"} " << leads[s] << "\n";
    }
    o << "# HELP leadflow_workflow_problems Problems listed on workflows (what keeps a draft "
         "from being published, versions that cannot run), by code.\n"
      << "# TYPE leadflow_workflow_problems gauge\n";
    for (const auto& [code, n] : problems) {
        o << "leadflow_workflow_problems{code=\"" << code << "\"} " << n << "\n";
    }
    o << "# HELP leadflow_workflows_with_problems Workflows whose problems list is not empty.\n"
      << "# TYPE leadflow_workflows_with_problems gauge\n"
      << "leadflow_workflows_with_problems " << workflows_with_problems << "\n";
    o << "# HELP leadflow_node_drift 1 when a call node of an active workflow's published "
         "version has an outcome share outside the plan's 99% interval, else 0 (nodes with "
         "calls only).\n"
      << "# TYPE leadflow_node_drift gauge\n";
    for (const auto& [wf, nodes] : drifts) {
        for (auto it = nodes.begin(); it != nodes.end(); ++it) {
            if (it.value()["calls"].get<std::int64_t>() == 0) continue;
            o << "leadflow_node_drift{workflow_id=\"" << escape_label(wf) << "\",node_id=\""
              << escape_label(it.key()) << "\"} " << (it.value()["flagged"].get<bool>() ? 1 : 0)
              << "\n";
        }
    }
    if (source.live()) {
        if (!one_org) {
            o << source.live()->metrics_text();
        } else {
            std::istringstream lines(source.live()->metrics_text());
            for (std::string line; std::getline(lines, line);) {
                if (process_wide_live_line(line)) o << line << "\n";
            }
        }
    }
    for (const StoreMetric& m : ctx.store.metrics()) {
        o << "# HELP " << m.name << " " << m.help << "\n"
          << "# TYPE " << m.name << " " << (m.counter ? "counter" : "gauge") << "\n";
        for (const StoreMetric::Sample& sample : m.samples) {
            o << m.name;
            const char* sep = "{";
            for (const auto& [label, value] : sample.labels) {
                o << sep << label << "=\"" << escape_label(value) << "\"";
                sep = ",";
            }
            o << (sample.labels.empty() ? "" : "}") << " " << sample.value << "\n";
        }
    }
    if (!one_org) {
        // Requests of every tenant: the operator's view only.
        o << "# HELP leadflow_http_requests_total HTTP requests by route and status code.\n"
          << "# TYPE leadflow_http_requests_total counter\n";
        for (const auto& [key, n] : source.http_metrics().snapshot()) {
            o << "leadflow_http_requests_total{route=\"" << escape_label(key.first) << "\",code=\""
              << key.second << "\"} " << n << "\n";
        }
    }
    Response r;
    r.status = 200;
    r.content_type = "text/plain; version=0.0.4";
    r.body = o.str();
    return r;
}

Response openapi(const Request&, RequestContext& ctx) {
    return json_response(200, openapi_document(ctx.app.router()));
}

// [SECTION] Static web app

const char* content_type_for(const std::string& path) {
    static const std::pair<const char*, const char*> kTypes[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".wasm", "application/wasm"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".png", "image/png"},
        {".svg", "image/svg+xml"},
        {".ico", "image/x-icon"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json"},
    };
    for (const auto& [ext, type] : kTypes) {
        const std::string e(ext);
        if (path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) {
            return type;
        }
    }
    return "application/octet-stream";
}

Response static_file(const Request& req, RequestContext& ctx) {
    const std::string& root = ctx.app.config().web_root;
    std::string rel = req.path_param("path");
    if (req.path == "/" || rel.empty()) rel = "index.html";
    // Only plain names: no "..", no hidden files, no absolute paths.
    if (root.empty() || rel.find("..") != std::string::npos || rel.front() == '/' ||
        rel.front() == '.' || rel.find('\0') != std::string::npos) {
        return error_response(404, "Cannot GET " + req.path);
    }
    std::ifstream f(root + "/" + rel, std::ios::binary);
    if (!f) return error_response(404, "Cannot GET " + req.path);
    std::ostringstream data;
    data << f.rdbuf();
    Response r;
    r.status = 200;
    r.content_type = content_type_for(rel);
    r.body = data.str();
    return r;
}

}  // namespace

// [SECTION] Registration

const RouteDoc kMetricsDoc =
    RouteDoc("Operations",
             "Prometheus metrics (text) of the key's organization plus process-wide counters; "
             "every organization's on the serve --metrics-listen address (no key there)")
        .reply("MetricsText")
        .media("text/plain");

void register_ops_routes(Router& r) {
    r.add("GET", "/v1/calls", Access::kApiKey, list_calls,
          RouteDoc("Calls", "Call log (workflow_id, lead_id, status)")
              .reply("CallPage")
              .params(QueryKind::kCallList));
    r.add("POST", "/v1/user-webhooks", Access::kApiKey, create_webhook,
          RouteDoc("Webhooks", "Subscribe a URL to events")
              .status(201)
              .reply("Webhook")
              .json_body("WebhookInput"));
    r.add("GET", "/v1/user-webhooks", Access::kApiKey, list_webhooks,
          RouteDoc("Webhooks", "List webhooks").reply("WebhookList"));
    r.add("GET", "/v1/user-webhooks/{webhookId}", Access::kApiKey, get_webhook,
          RouteDoc("Webhooks", "Read a webhook").reply("Webhook"));
    r.add("DELETE", "/v1/user-webhooks/{webhookId}", Access::kApiKey, delete_webhook,
          RouteDoc("Webhooks", "Delete a webhook"));
    r.add("GET", "/healthz", Access::kPublic, healthz,
          RouteDoc("Operations", "Liveness and storage check").reply("Health"));
    r.add("GET", "/readyz", Access::kPublic, readyz,
          RouteDoc("Operations",
                   "Readiness: a test write commits and the scheduler makes progress (503 "
                   "with the reason otherwise)")
              .reply("Readiness"));
    r.add("GET", "/metrics", Access::kApiKey, metrics, kMetricsDoc);
    r.add("GET", "/v1/openapi.json", Access::kPublic, openapi,
          RouteDoc("Operations", "This document").reply("OpenApiDocument"));
}

void register_metrics_listener_routes(Router& r) {
    r.add("GET", "/metrics", Access::kPublic, metrics, kMetricsDoc);
}

void register_static_routes(Router& r) {
    // The web app is a handful of files at the top of its folder (index.html, the .js glue,
    // the .wasm module); one path segment covers them.
    const RouteDoc doc =
        RouteDoc("Web app", "The web editor's files (index.html, its script and module)")
            .reply("StaticFile")
            .media("*/*");
    r.add("GET", "/", Access::kPublic, static_file, doc);
    r.add("GET", "/{path}", Access::kPublic, static_file, doc);
}

}  // namespace leadflow::server
