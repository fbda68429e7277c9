// web/app/server_client.cpp — server mode: requests to leadflow-server and the actions of the
// Server tab (sign in, list/open/create/save workflows, validate, lifecycle, scenario, short
// link, live counts, one lead's history).
#include "server_client.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include "app.hpp"
#include "leadflow/wire.hpp"
#include "platform.hpp"

namespace leadflow::web {

namespace {

constexpr const char* kKeyStorage = "leadflow.server.key";

struct PendingCall {
    HttpCallback done;
    bool counted = true;  // counted in ServerUi::pending (not a file picker that may be dismissed)
};

std::map<int, PendingCall>& pending_callbacks() {
    static std::map<int, PendingCall> callbacks;
    return callbacks;
}

int register_call(AppState& app, HttpCallback done, bool counted) {
    static int next_id = 1;
    const int id = next_id++;
    pending_callbacks()[id] = PendingCall{std::move(done), counted};
    if (counted) ++app.server.pending;
    return id;
}

std::string wf_path(const AppState& app, const std::string& tail = "") {
    return "/v1/workflows/" + app.server.workflow_id + tail;
}

void fail(AppState& app, const std::string& what, const HttpAnswer& a) {
    app.server.error = what + ": " + a.message();
    app.notify(app.server.error, 8.0);
}

}  // namespace

// The workflow object fields the editor owns (PATCH body).
Json workflow_patch(const Graph& g) {
    const Json w = to_json(g.workflow);
    Json out = Json::object();
    for (const char* k : {"title", "description", "settings", "entry_node_id"}) {
        if (w.contains(k)) out[k] = w[k];
    }
    if (!out.contains("title") || !out["title"].is_string() ||
        out["title"].get<std::string>().empty()) {
        out["title"] = "Untitled workflow";
    }
    return out;
}

// The graph as PUT …/graph takes it. The notes go along as the workflow's "notes" (an empty
// list when there are none, so that deleting the last note reaches the server too).
Json graph_body(const Graph& g) {
    const Json j = to_json(g);
    const Json& w = j["workflow"];
    Json notes = w.contains(kNotesKey) ? w[kNotesKey] : Json::array();
    return Json{{"workflow", Json{{kNotesKey, std::move(notes)}}},
                {"nodes", j["nodes"]},
                {"edges", j["edges"]}};
}

namespace {

void refresh_workflow(AppState& app);

// The answer to an enrolment (pasted text or a file): the count, or the grouped row errors.
void enrol_done(AppState& a, const HttpAnswer& r) {
    a.server.enrolling = false;
    a.server.enrol = read_enrol_answer(r.status, r.body);
    if (a.server.enrol.ok) {
        a.notify(a.server.enrol.summary);
        a.server.next_poll_ms = 0;  // the live view shows the new leads at once
        refresh_workflow(a);
        server_leads_refresh(a);
    }
}

void refresh_workflow(AppState& app) {
    if (app.server.workflow_id.empty()) return;
    const std::string wf = app.server.workflow_id;
    server_request(app, "GET", wf_path(app), nullptr, [wf](AppState& a, const HttpAnswer& r) {
        if (!r.ok() || a.server.workflow_id != wf) return;
        a.server.workflow = r.body;
    });
}

}  // namespace

std::string HttpAnswer::message() const {
    if (status == 0) return "the server cannot be reached";
    if (body.is_object() && body.contains("message")) {
        const Json& m = body["message"];
        if (m.is_string()) return m.get<std::string>();
        if (m.is_array()) {
            std::string out;
            for (const Json& s : m) {
                if (!out.empty()) out += "; ";
                out += s.is_string() ? s.get<std::string>() : s.dump();
            }
            return out;
        }
    }
    return "HTTP " + std::to_string(status);
}

void server_request(AppState& app, const std::string& method, const std::string& path,
                    const Json& body, HttpCallback done) {
    const int id = register_call(app, std::move(done), true);
    platform::http_request(id, method, path, body.is_null() ? std::string() : body.dump(),
                           app.server.key);
}

void server_deliver(AppState& app, int id, int status, const std::string& body) {
    auto it = pending_callbacks().find(id);
    if (it == pending_callbacks().end()) return;
    HttpCallback cb = std::move(it->second.done);
    if (it->second.counted) --app.server.pending;
    pending_callbacks().erase(it);
    HttpAnswer a;
    a.status = status;
    Result<Json> j = parse_json(body);
    if (j.ok()) a.body = std::move(*j);
    if (status == 401 && app.server.signed_in) {
        app.server.signed_in = false;
        app.server.error = "The server no longer accepts this API key; sign in again.";
    }
    cb(app, a);
}

void server_detected(AppState& app, const std::string& provider) {
    ServerUi& s = app.server;
    s.probed = true;
    s.available = true;
    s.provider = provider;
    if (std::optional<std::string> key = platform::session_get(kKeyStorage)) {
        server_sign_in(app, *key);
    }
}

void server_sign_in(AppState& app, const std::string& key) {
    app.server.key = key;
    app.server.error.clear();
    server_request(
        app, "GET", "/v1/workflows?limit=1", nullptr, [key](AppState& a, const HttpAnswer& r) {
            if (!r.ok()) {
                a.server.signed_in = false;
                a.server.error = r.status == 401 ? "The server did not accept this API key."
                                                 : "Sign-in failed: " + r.message();
                platform::session_remove(kKeyStorage);
                return;
            }
            a.server.signed_in = true;
            platform::session_set(kKeyStorage, key);
            a.server.info = "Signed in";
            server_refresh_list(a);
        });
}

void server_sign_out(AppState& app) {
    ServerUi& s = app.server;
    s.signed_in = false;
    s.key.clear();
    s.workflow_id.clear();
    s.workflow = nullptr;
    s.live = false;
    s.list = WorkflowPage{};
    s.search.clear();
    s.list_search.clear();
    s.search_due_ms = -1;
    s.confirm_delete = WorkflowRow{};
    s.leads = LeadTableUi{};
    s.calls = CallLogUi{};
    s.history.clear();
    calibration_reset(s);
    forecast_reset(s);
    versions_reset(app, "");
    platform::session_remove(kKeyStorage);
}

void server_open(AppState& app, const std::string& workflow_id) {
    app.server.error.clear();
    server_request(app, "GET", "/v1/workflows/" + workflow_id + "/graph", nullptr,
                   [workflow_id](AppState& a, const HttpAnswer& r) {
                       if (!r.ok()) return fail(a, "Opening the workflow failed", r);
                       Status s = load_graph_text(a, r.body.dump(), true, "Open from server");
                       if (!s.is_ok()) {
                           a.server.error = "The server's graph cannot be read: " + s.message();
                           return;
                       }
                       a.request_fit = true;
                       a.server.workflow_id = workflow_id;
                       a.server.workflow = r.body["workflow"];
                       a.server.validation = nullptr;
                       a.server.node_counts.clear();
                       a.server.node_active.clear();
                       a.server.not_started = a.server.counted_leads = 0;
                       a.server.enrol = EnrolOutcome{};
                       a.server.history.clear();
                       calibration_reset(a.server);
                       forecast_reset(a.server);
                       a.server.info = "Opened " + workflow_id;
                       a.saved_version = 0;  // autosave the opened graph
                       compare_remember_opened(a, "workflow " + workflow_id + " (server draft)");
                       versions_reset(a, workflow_id);
                       versions_mark_synced(a);
                       // After marking the draft synced: the layout is an unsaved edit of it.
                       arrange_opened_graph(a);
                       server_request(a, "GET", "/v1/workflows/" + workflow_id + "/scenario",
                                      nullptr, [](AppState& b, const HttpAnswer& sr) {
                                          if (!sr.ok()) return;
                                          const Json& sc = sr.body.contains("scenario")
                                                               ? sr.body["scenario"]
                                                               : sr.body;
                                          if (sc.is_object() && !sc.empty()) set_scenario(b, sc);
                                      });
                   });
}

void server_create(AppState& app, const std::string& title) {
    app.server.error.clear();
    Json body = workflow_patch(app.editor.graph());
    if (!title.empty()) body["title"] = title;
    server_request(app, "POST", "/v1/workflows", body, [](AppState& a, const HttpAnswer& r) {
        if (!r.ok()) return fail(a, "Creating the workflow failed", r);
        a.server.workflow_id = r.body["id"].get<std::string>();
        a.server.workflow = r.body;
        a.server.info = "Created " + a.server.workflow_id;
        // The editor's graph becomes the new workflow's graph (ids kept).
        Graph g = a.editor.graph();
        g.workflow.id = a.server.workflow_id;
        g.workflow.title = r.body["title"].get<std::string>();
        a.editor.load(std::move(g), true, "Create on server");
        versions_reset(a, a.server.workflow_id);
        server_save(a);
        server_save_scenario(a);
        server_refresh_list(a);
    });
}

void server_save(AppState& app, std::function<void(AppState&, bool)> then) {
    app.server.error.clear();
    if (app.server.workflow_id.empty()) return;
    // The editor saves the draft only (docs/versions.md): an active workflow keeps running on
    // its published version until the draft is published (Versions, POST …/publish) instead
    // of publishing every save. The graph goes first, then the workflow fields
    // (entry_node_id may name a node just added).
    const std::uint64_t sent = app.editor.version();
    const Json graph = graph_body(app.editor.graph());
    const Json patch = workflow_patch(app.editor.graph());
    server_request(app, "PUT", wf_path(app, "/graph?publish=false"), graph,
                   [sent, patch, then](AppState& a, const HttpAnswer& r) {
                       if (!r.ok()) {
                           fail(a, "Saving the graph failed", r);
                           if (then) then(a, false);
                           return;
                       }
                       server_request(a, "PATCH", wf_path(a, "?publish=false"), patch,
                                      [sent, then](AppState& b, const HttpAnswer& pr) {
                                          if (!pr.ok()) {
                                              fail(b, "Saving the workflow failed", pr);
                                              if (then) then(b, false);
                                              return;
                                          }
                                          b.server.workflow = pr.body;
                                          b.server.info = "Saved";
                                          b.server.error.clear();
                                          const bool published =
                                              pr.body.is_object() &&
                                              pr.body.contains("published_version") &&
                                              !pr.body["published_version"].is_null();
                                          b.notify(published ? "Saved the draft (not published)"
                                                             : "Saved to the server");
                                          b.versions.synced_version = sent;
                                          versions_refresh(b);
                                          if (then) then(b, true);
                                      });
                   });
}

void server_validate(AppState& app) {
    app.server.error.clear();
    if (app.server.workflow_id.empty()) return;
    server_request(app, "POST", wf_path(app, "/validate"), Json::object(),
                   [](AppState& a, const HttpAnswer& r) {
                       if (!r.ok()) return fail(a, "Validation failed", r);
                       a.server.validation = r.body;
                   });
}

void server_lifecycle(AppState& app, const std::string& verb) {
    app.server.error.clear();
    if (app.server.workflow_id.empty()) return;
    server_request(app, "POST", wf_path(app, "/" + verb), Json::object(),
                   [verb](AppState& a, const HttpAnswer& r) {
                       if (!r.ok()) return fail(a, "Cannot " + verb, r);
                       a.server.info = verb + ": done";
                       // Activate and resume may publish the draft as a new version.
                       versions_refresh(a);
                       server_refresh_list(a);
                   });
}

void server_save_scenario(AppState& app) {
    app.server.error.clear();
    if (app.server.workflow_id.empty()) return;
    server_request(app, "PUT", wf_path(app, "/scenario"), app.sim.scenario,
                   [](AppState& a, const HttpAnswer& r) {
                       if (!r.ok()) return fail(a, "Saving the scenario failed", r);
                       a.server.info = "Scenario saved";
                   });
}

void server_short_link(AppState& app) {
    app.server.error.clear();
    Json body{{"fragment", current_share_fragment(app)}};
    server_request(app, "POST", "/v1/share-links", body, [](AppState& a, const HttpAnswer& r) {
        if (!r.ok()) return fail(a, "Short link failed", r);
        a.server.short_link = platform::page_origin() + r.body["path"].get<std::string>();
        platform::set_clipboard_text(a.server.short_link);
        a.notify("Short link copied: " + a.server.short_link, 8.0);
    });
}

void server_set_live(AppState& app, bool on) {
    app.server.live = on;
    app.server.next_poll_ms = 0;
}

void calibration_reset(ServerUi& s) {
    s.calibrated = false;
    s.calibration = CalibrationView{};
    s.drift.clear();
}

void server_calibrate(AppState& app) {
    app.server.error.clear();
    if (app.server.workflow_id.empty()) return;
    const std::string wf = app.server.workflow_id;
    server_request(app, "GET", wf_path(app, "/calibration"), nullptr,
                   [wf](AppState& a, const HttpAnswer& r) {
                       if (!r.ok()) return fail(a, "Calibration failed", r);
                       if (a.server.workflow_id != wf) return;  // another workflow is open
                       Result<CalibrationView> v = read_calibration(r.body);
                       if (!v.ok()) {
                           a.server.error = v.status().message();
                           return;
                       }
                       a.server.calibration = std::move(v.value());
                       a.server.calibrated = true;
                       a.server.info = "Calibrated from live data";
                   });
}

void server_apply_calibration(AppState& app) {
    ServerUi& s = app.server;
    if (!s.calibrated) return;
    Status st = set_scenario(app, s.calibration.scenario);
    if (!st.is_ok()) {
        s.error = "The fitted scenario cannot be used: " + st.message();
        return;
    }
    s.info = "The fitted scenario is the editor's now; Save scenario stores it on the server";
    app.notify(s.info, 6.0);
}

void server_load_history(AppState& app, const std::string& lead_id, bool refresh) {
    if (!refresh) app.server.error.clear();
    if (app.server.workflow_id.empty()) return;
    server_request(app, "GET", wf_path(app, "/leads/" + lead_id + "/history"), nullptr,
                   [lead_id](AppState& a, const HttpAnswer& r) {
                       if (!r.ok()) return fail(a, "Loading the lead's history failed", r);
                       a.server.history_lead = lead_id;
                       a.server.history.clear();
                       auto str = [](const Json& h, const char* k) {
                           return h.contains(k) && h[k].is_string() ? h[k].get<std::string>()
                                                                    : std::string();
                       };
                       for (const Json& h : r.body["history"]) {
                           a.server.history.push_back(
                               {str(h, "node_id"), str(h, "edge_id"), str(h, "to_node_id"),
                                str(h, "outcome"), str(h, "label"), str(h, "started_at"),
                                str(h, "ended_at"), str(h, "reason"), str(h, "status")});
                       }
                   });
}

void server_tick(AppState& app) {
    ServerUi& s = app.server;
    workflow_list_tick(app);
    leads_tick(app);
    if (!s.live || !s.signed_in || s.workflow_id.empty() || s.pending > 0) return;
    const double now = platform::now_ms();
    if (now < s.next_poll_ms) return;
    s.next_poll_ms = now + kLivePollMs;
    refresh_workflow(app);
    // Counts per node from one GROUP BY on the server, exact for any number of leads; the lead
    // table's page is asked for again so that its statuses move with the counts.
    const std::string wf = s.workflow_id;
    server_request(app, "GET", wf_path(app, "/node-counts"), nullptr,
                   [now, wf](AppState& a, const HttpAnswer& r) {
                       a.server.next_poll_ms = std::max(a.server.next_poll_ms,
                                                        next_live_poll_ms(now, platform::now_ms()));
                       if (!r.ok()) return fail(a, "Live counts failed", r);
                       Result<LiveCounts> c = read_node_counts(r.body);
                       if (!c.ok()) {
                           a.server.error = c.status().message();
                           return;
                       }
                       a.server.node_counts = std::move(c->total);
                       a.server.node_active = std::move(c->active);
                       a.server.not_started = c->not_started;
                       a.server.counted_leads = c->enrolled;
                       ++a.server.polls;
                       // The same reply's completed count and server time: the forecast's next
                       // point.
                       forecast_observe(a, wf, r.body);
                   });
    // Drift of the published version, for the canvas's badges.
    server_request(app, "GET", wf_path(app, "/drift"), nullptr,
                   [wf](AppState& a, const HttpAnswer& r) {
                       if (!r.ok()) return fail(a, "Drift failed", r);
                       if (a.server.workflow_id != wf) return;
                       Result<std::vector<DriftBadge>> d = read_drift(r.body);
                       if (d.ok()) a.server.drift = std::move(d.value());
                   });
    server_leads_refresh(app);
}

void server_enrol_text(AppState& app, const std::string& text) {
    ServerUi& s = app.server;
    if (s.workflow_id.empty() || s.enrolling) return;
    Result<std::string> csv = enrolment_csv(text);
    if (!csv.ok()) {
        s.enrol = EnrolOutcome{};
        s.enrol.summary = csv.status().message();
        return;
    }
    s.enrolling = true;
    const int id = register_call(app, enrol_done, true);
    platform::http_upload_csv(id, wf_path(app, "/leads"), "pasted.csv", *csv, s.key);
}

void server_enrol_file(AppState& app) {
    ServerUi& s = app.server;
    if (s.workflow_id.empty() || s.enrolling) return;
    // Not counted as pending until a file is chosen: the picker may be dismissed silently.
    const int id = register_call(app, enrol_done, false);
    platform::pick_and_upload_leads(id, wf_path(app, "/leads"), s.key);
}

Json server_status_json(const AppState& app) {
    const ServerUi& s = app.server;
    Json out = Json::object();
    out["available"] = s.available;
    out["provider"] = s.provider;
    out["signed_in"] = s.signed_in;
    out["pending"] = s.pending;
    out["error"] = s.error;
    out["info"] = s.info;
    out["workflow_id"] = s.workflow_id;
    out["workflow"] = s.workflow;
    out["workflows"] = s.list.rows.size();
    out["list"] = workflow_list_status_json(app);
    out["validation"] = s.validation;
    Json counts = Json::object();
    for (const auto& [id, n] : s.node_counts) counts[id] = n;
    out["node_counts"] = counts;
    Json active = Json::object();
    for (const auto& [id, n] : s.node_active) active[id] = n;
    out["node_active"] = active;
    out["not_started"] = s.not_started;
    out["counted_leads"] = s.counted_leads;
    out["live_badges"] = s.live_badges;
    out["enrol"] = Json{{"busy", s.enrolling},
                        {"ok", s.enrol.ok},
                        {"enrolled", s.enrol.enrolled},
                        {"summary", s.enrol.summary},
                        {"lines", s.enrol.lines}};
    out["polls"] = s.polls;
    out["live"] = s.live;
    out["short_link"] = s.short_link;
    if (s.calibrated) {
        Json nodes = Json::array();
        for (const CalibratedNode& n : s.calibration.nodes) {
            Json shares = Json::array();
            for (const CalibratedShare& sh : n.shares) {
                shares.push_back(Json{{"label", sh.label},
                                      {"current", sh.current},
                                      {"fitted", sh.fitted},
                                      {"low", sh.low},
                                      {"high", sh.high},
                                      {"count", sh.count}});
            }
            nodes.push_back(Json{{"node_id", n.node_id},
                                 {"type", n.type},
                                 {"observed", n.observed},
                                 {"fitted", n.fitted},
                                 {"note", n.note},
                                 {"shares", shares}});
        }
        out["calibration"] = Json{{"nodes", nodes}, {"arrivals", s.calibration.arrivals}};
    } else {
        out["calibration"] = nullptr;
    }
    Json drift = Json::array();
    for (const DriftBadge& b : s.drift) {
        drift.push_back(Json{{"node_id", b.node_id}, {"message", b.message}});
    }
    out["drift"] = drift;
    out["drift_badges"] = s.drift_badges;
    out["forecast"] = forecast_status_json(app);
    Json leads = Json::array();
    for (const LeadRow& l : s.leads.page.rows) leads.push_back(l.id);
    out["lead_ids"] = leads;
    Json hist = Json::array();
    for (const HistoryStep& h : s.history) {
        hist.push_back(Json{{"node_id", h.node_id},
                            {"edge_id", h.edge_id},
                            {"outcome", h.outcome},
                            {"status", h.status},
                            {"label", h.label}});
    }
    out["history"] = hist;
    out["history_lead"] = s.history_lead;
    out["path_edges"] = s.path_edges;
    out["path_nodes"] = s.path_nodes;
    out["leads"] = leads_status_json(app);
    out["calls"] = calls_status_json(app);
    out["versions"] = versions_status_json(app);
    return out;
}

}  // namespace leadflow::web
