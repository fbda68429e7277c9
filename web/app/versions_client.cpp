// web/app/versions_client.cpp — server mode's workflow versions: the requests behind the
// Versions section (list, publish with its dry run, restore, diff against the draft, the
// draft's state, simulate the change) and their automation API.
//
// Index:
//   [SECTION] Helpers
//   [SECTION] List and draft state
//   [SECTION] Publish
//   [SECTION] Restore and diff
//   [SECTION] Simulate the change
//   [SECTION] Automation API

#include "app.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::web {

namespace {

// [SECTION] Helpers

constexpr std::int64_t kVersionsPerPage = 10;

std::string wf_path(const AppState& app, const std::string& tail = "") {
    return "/v1/workflows/" + app.server.workflow_id + tail;
}

void fail(AppState& app, const std::string& what, const HttpAnswer& a) {
    app.versions.error = what + ": " + a.message();
    app.notify(app.versions.error, 8.0);
}

// An answer for the workflow that is still open (a reply may arrive after another was opened).
bool still_open(const AppState& app, const std::string& workflow_id) {
    return !workflow_id.empty() && app.server.workflow_id == workflow_id;
}

std::optional<std::int64_t> published_version(const Json& workflow) {
    if (workflow.is_object() && workflow.contains("published_version") &&
        workflow["published_version"].is_number_integer()) {
        return workflow["published_version"].get<std::int64_t>();
    }
    return std::nullopt;
}

void load_diff_overlay(AppState& app) {
    VersionsUi& v = app.versions;
    if (v.diff && v.diff_graph) {
        v.overlay = diff_overlay(*v.diff, *v.diff_graph);
        v.ghost_routes.clear();
    }
}

// The draft against the newest version: the workflow (for published_version), then the diff.
void refresh_draft_state(AppState& app) {
    const std::string id = app.server.workflow_id;
    if (id.empty()) return;
    server_request(app, "GET", wf_path(app), nullptr, [id](AppState& a, const HttpAnswer& r) {
        if (!still_open(a, id)) return;
        if (!r.ok()) return fail(a, "Reading the workflow failed", r);
        a.server.workflow = r.body;
        VersionsUi& v = a.versions;
        v.published = published_version(r.body);
        v.draft_diff.reset();
        v.draft_line = draft_status_line(v.published, nullptr);
        if (!v.published) return;
        const std::int64_t n = *v.published;
        server_request(a, "GET", wf_path(a, "/versions/" + std::to_string(n) + "/diff/draft"),
                       nullptr, [id, n](AppState& b, const HttpAnswer& dr) {
                           if (!still_open(b, id) || b.versions.published != n) return;
                           if (!dr.ok()) return fail(b, "Comparing the draft failed", dr);
                           Result<DiffView> d = read_diff(dr.body);
                           if (!d.ok()) {
                               b.versions.error = d.status().message();
                               return;
                           }
                           b.versions.draft_diff = std::move(*d);
                           b.versions.draft_line = draft_status_line(n, &*b.versions.draft_diff);
                       });
    });
}

}  // namespace

// [SECTION] List and draft state

void versions_reset(AppState& app, const std::string& workflow_id) {
    VersionsUi fresh;
    fresh.workflow_id = workflow_id;
    // The publish form survives a reload of the same workflow.
    if (workflow_id == app.versions.workflow_id) {
        fresh.note = app.versions.note;
        fresh.move = app.versions.move;
    }
    app.versions = std::move(fresh);
    if (!workflow_id.empty()) versions_refresh(app, 1);
}

void versions_mark_synced(AppState& app) {
    app.versions.synced_version = app.editor.version();
}

bool versions_unsaved(const AppState& app) {
    return !app.server.workflow_id.empty() && app.versions.synced_version != app.editor.version();
}

void versions_refresh(AppState& app, std::int64_t page) {
    const std::string id = app.server.workflow_id;
    if (id.empty()) return;
    VersionsUi& v = app.versions;
    if (v.workflow_id != id) {
        v = VersionsUi{};
        v.workflow_id = id;
    }
    if (page >= 1) v.page_no = page;
    const std::string query = "/versions?page=" + std::to_string(v.page_no) +
                              "&limit=" + std::to_string(kVersionsPerPage);
    server_request(app, "GET", wf_path(app, query), nullptr,
                   [id](AppState& a, const HttpAnswer& r) {
                       if (!still_open(a, id)) return;
                       if (!r.ok()) return fail(a, "Listing versions failed", r);
                       Result<VersionPage> p = read_version_page(r.body);
                       if (!p.ok()) {
                           a.versions.error = p.status().message();
                           return;
                       }
                       a.versions.page = std::move(*p);
                       a.versions.loaded = true;
                   });
    refresh_draft_state(app);
}

// [SECTION] Publish

namespace {

Json publish_body(const VersionsUi& v, bool dry_run) {
    Json body{{"migrate", v.move ? "move" : "keep"}, {"dry_run", dry_run}};
    if (!v.note.empty()) body["note"] = v.note;
    return body;
}

void ask_dry_run(AppState& app) {
    const std::string id = app.server.workflow_id;
    app.versions.step = PublishStep::kChecking;
    server_request(app, "POST", wf_path(app, "/publish"), publish_body(app.versions, true),
                   [id](AppState& a, const HttpAnswer& r) {
                       if (!still_open(a, id)) return;
                       VersionsUi& v = a.versions;
                       v.step = PublishStep::kIdle;
                       if (!r.ok()) return fail(a, "The publish check failed", r);
                       Result<PublishPreview> p = read_publish_preview(r.body);
                       if (!p.ok()) {
                           v.error = p.status().message();
                           return;
                       }
                       v.preview = std::move(*p);
                       v.step = PublishStep::kReview;
                   });
}

}  // namespace

void versions_publish_preview(AppState& app) {
    VersionsUi& v = app.versions;
    if (app.server.workflow_id.empty() || v.step == PublishStep::kSaving ||
        v.step == PublishStep::kChecking || v.step == PublishStep::kPublishing) {
        return;
    }
    v.error.clear();
    v.preview.reset();
    v.published_result.reset();
    if (!versions_unsaved(app)) {
        ask_dry_run(app);
        return;
    }
    // What is published is the server's draft: the editor's edits are saved to it first.
    v.step = PublishStep::kSaving;
    const std::string id = app.server.workflow_id;
    server_save(app, [id](AppState& a, bool saved) {
        if (!still_open(a, id) || a.versions.step != PublishStep::kSaving) return;
        if (!saved) {
            a.versions.step = PublishStep::kIdle;
            a.versions.error = "The draft could not be saved: " + a.server.error;
            return;
        }
        ask_dry_run(a);
    });
}

void versions_publish_confirm(AppState& app) {
    VersionsUi& v = app.versions;
    if (v.step != PublishStep::kReview || !v.preview || !v.preview->valid) return;
    v.step = PublishStep::kPublishing;
    v.error.clear();
    const std::string id = app.server.workflow_id;
    server_request(app, "POST", wf_path(app, "/publish"), publish_body(v, false),
                   [id](AppState& a, const HttpAnswer& r) {
                       if (!still_open(a, id)) return;
                       VersionsUi& vs = a.versions;
                       vs.step = PublishStep::kIdle;
                       vs.preview.reset();
                       if (!r.ok()) return fail(a, "Publishing failed", r);
                       Result<PublishPreview> p = read_publish_result(r.body);
                       if (!p.ok()) {
                           vs.error = p.status().message();
                           return;
                       }
                       a.notify("Published version " + std::to_string(p->version));
                       a.server.info = "Published version " + std::to_string(p->version);
                       vs.published_result = std::move(*p);
                       vs.note.clear();
                       vs.selected.reset();
                       versions_refresh(a, 1);
                       server_refresh_list(a);
                   });
}

void versions_publish_cancel(AppState& app) {
    VersionsUi& v = app.versions;
    if (v.step != PublishStep::kReview) return;
    v.step = PublishStep::kIdle;
    v.preview.reset();
}

// [SECTION] Restore and diff

void versions_restore(AppState& app, std::int64_t n) {
    if (app.server.workflow_id.empty() || n < 1) return;
    app.versions.error.clear();
    const std::string id = app.server.workflow_id;
    server_request(
        app, "POST", wf_path(app, "/versions/" + std::to_string(n) + "/restore"), Json::object(),
        [id, n](AppState& a, const HttpAnswer& r) {
            if (!still_open(a, id)) return;
            if (!r.ok()) return fail(a, "Restoring version " + std::to_string(n) + " failed", r);
            Status s =
                load_graph_text(a, r.body.dump(), true, "Restore version " + std::to_string(n));
            if (!s.is_ok()) {
                a.versions.error = "The restored draft cannot be read: " + s.message();
                return;
            }
            if (r.body.contains("workflow")) a.server.workflow = r.body["workflow"];
            versions_mark_synced(a);
            arrange_opened_graph(a);  // an unsaved edit of the draft, as on open
            ++a.versions.restores;
            a.notify("Restored version " + std::to_string(n) + " into the draft (not published)");
            versions_refresh(a);
            if (a.versions.diff_on) versions_show_diff(a, a.versions.diff_version);
        });
}

void versions_show_diff(AppState& app, std::int64_t n) {
    if (app.server.workflow_id.empty() || n < 1) return;
    VersionsUi& v = app.versions;
    v.error.clear();
    v.diff_on = true;
    v.diff_version = n;
    v.diff.reset();
    v.diff_graph.reset();
    v.overlay = DiffOverlay{};
    v.ghost_routes.clear();
    v.diff_requests = 2;
    app.sim.open_tab = "diff";
    const std::string id = app.server.workflow_id;
    const std::string base = "/versions/" + std::to_string(n);
    auto current = [id, n](const AppState& a) {
        return still_open(a, id) && a.versions.diff_on && a.versions.diff_version == n;
    };
    server_request(app, "GET", wf_path(app, base + "/diff/draft"), nullptr,
                   [current, n](AppState& a, const HttpAnswer& r) {
                       if (!current(a)) return;
                       --a.versions.diff_requests;
                       if (!r.ok()) return fail(a, "Diff of version " + std::to_string(n), r);
                       Result<DiffView> d = read_diff(r.body);
                       if (!d.ok()) {
                           a.versions.error = d.status().message();
                           return;
                       }
                       a.versions.diff = std::move(*d);
                       load_diff_overlay(a);
                   });
    server_request(
        app, "GET", wf_path(app, base), nullptr, [current, n](AppState& a, const HttpAnswer& r) {
            if (!current(a)) return;
            --a.versions.diff_requests;
            if (!r.ok()) return fail(a, "Reading version " + std::to_string(n), r);
            Result<Graph> g = graph_from_json(r.body);
            if (!g.ok()) {
                a.versions.error =
                    "Version " + std::to_string(n) + " cannot be read: " + g.status().message();
                return;
            }
            a.versions.diff_graph = std::move(*g);
            load_diff_overlay(a);
        });
}

void versions_hide_diff(AppState& app) {
    VersionsUi& v = app.versions;
    v.diff_on = false;
    v.diff.reset();
    v.diff_graph.reset();
    v.overlay = DiffOverlay{};
    v.ghost_routes.clear();
}

// [SECTION] Simulate the change

void versions_simulate_change(AppState& app) {
    VersionsUi& v = app.versions;
    if (app.server.workflow_id.empty()) return;
    if (!v.published) {
        v.error = "Nothing is published yet: there is no version to compare the draft with.";
        return;
    }
    v.error.clear();
    const std::string id = app.server.workflow_id;
    const std::int64_t n = *v.published;
    // The newest version's graph, then the workflow's stored scenario; the editor's graph is
    // taken when both have arrived (the draft as the user sees it).
    server_request(
        app, "GET", wf_path(app, "/versions/" + std::to_string(n)), nullptr,
        [id, n](AppState& a, const HttpAnswer& r) {
            if (!still_open(a, id)) return;
            if (!r.ok()) return fail(a, "Reading version " + std::to_string(n), r);
            Result<Graph> g = graph_from_json(r.body);
            if (!g.ok()) {
                a.versions.error =
                    "Version " + std::to_string(n) + " cannot be read: " + g.status().message();
                return;
            }
            Graph version = std::move(*g);
            server_request(a, "GET", wf_path(a, "/scenario"), nullptr,
                           [id, n, version](AppState& b, const HttpAnswer& sr) {
                               if (!still_open(b, id)) return;
                               if (!sr.ok())
                                   return fail(b, "Reading the stored scenario failed", sr);
                               const Json& sc = sr.body.is_object() && sr.body.contains("scenario")
                                                    ? sr.body["scenario"]
                                                    : sr.body;
                               compare_request(b, version, "version " + std::to_string(n),
                                               b.editor.graph(), "draft (editor)",
                                               sc.is_object() ? sc : Json::object());
                           });
        });
}

// [SECTION] Automation API

void versions_set_publish_options(AppState& app, const std::string& options) {
    if (options.empty()) return;
    Result<Json> j = parse_json(options);
    if (!j.ok() || !j->is_object()) return;
    if (j->contains("note") && (*j)["note"].is_string()) {
        app.versions.note = (*j)["note"].get<std::string>();
    }
    if (j->contains("migrate") && (*j)["migrate"].is_string()) {
        app.versions.move = (*j)["migrate"].get<std::string>() == "move";
    }
}

namespace {

const char* step_name(PublishStep s) {
    switch (s) {
        case PublishStep::kIdle:
            return "idle";
        case PublishStep::kSaving:
            return "saving";
        case PublishStep::kChecking:
            return "checking";
        case PublishStep::kReview:
            return "review";
        case PublishStep::kPublishing:
            return "publishing";
    }
    return "idle";
}

Json preview_json(const std::optional<PublishPreview>& p) {
    if (!p) return nullptr;
    return Json{{"valid", p->valid},
                {"version", p->version},
                {"migrate", p->migrate},
                {"move", p->move},
                {"stay", p->stay},
                {"not_started", p->not_started},
                {"stay_lines", p->stay_lines},
                {"errors", p->errors},
                {"warnings", p->warnings}};
}

Json ids(const std::vector<DiffElement>& list) {
    Json out = Json::array();
    for (const DiffElement& e : list) out.push_back(e.id);
    return out;
}

Json changed_json(const std::vector<DiffElement>& list) {
    Json out = Json::object();
    for (const DiffElement& e : list) {
        Json fields = Json::array();
        for (const DiffChange& c : e.changes) fields.push_back(c.field);
        out[e.id] = fields;
    }
    return out;
}

}  // namespace

Json versions_status_json(const AppState& app) {
    const VersionsUi& v = app.versions;
    Json rows = Json::array();
    for (const VersionRow& r : v.page.rows) {
        rows.push_back(Json{{"number", r.number},
                            {"created_at", r.created_at},
                            {"note", r.note},
                            {"migrate", r.migrate},
                            {"current", r.current}});
    }
    Json out = Json::object();
    out["workflow_id"] = v.workflow_id;
    out["loaded"] = v.loaded;
    out["page"] = v.page_no;
    out["total"] = v.page.total;
    out["rows"] = rows;
    out["selected"] = v.selected ? Json(*v.selected) : Json(nullptr);
    out["published"] = v.published ? Json(*v.published) : Json(nullptr);
    out["draft_line"] = v.draft_line;
    out["draft_known"] = v.draft_diff.has_value();
    out["draft_runs_differently"] = v.draft_diff && v.draft_diff->runs_differently();
    out["unsaved"] = versions_unsaved(app);
    out["step"] = step_name(v.step);
    out["note"] = v.note;
    out["migrate"] = v.move ? "move" : "keep";
    out["preview"] = preview_json(v.preview);
    out["published_result"] = preview_json(v.published_result);
    out["error"] = v.error;
    Json diff = nullptr;
    if (v.diff_on) {
        diff = Json{{"version", v.diff_version},
                    {"ready", v.diff.has_value() && v.diff_graph.has_value()}};
        if (v.diff) {
            diff["nodes_added"] = ids(v.diff->nodes_added);
            diff["nodes_removed"] = ids(v.diff->nodes_removed);
            diff["nodes_changed"] = changed_json(v.diff->nodes_changed);
            diff["edges_added"] = ids(v.diff->edges_added);
            diff["edges_removed"] = ids(v.diff->edges_removed);
            diff["edges_changed"] = changed_json(v.diff->edges_changed);
            Json wf = Json::array();
            for (const DiffChange& c : v.diff->workflow_changes) wf.push_back(c.field);
            diff["workflow_changes"] = wf;
        }
        diff["ghost_nodes"] = v.overlay.ghost_nodes.size();
        diff["ghost_edges"] = v.overlay.ghost_edges.size();
    }
    out["diff"] = diff;
    out["marks_drawn"] = v.marks_drawn;
    out["ghost_nodes_drawn"] = v.ghost_nodes_drawn;
    out["ghost_reroutes"] = v.ghost_reroutes;
    out["ghost_edges_drawn"] = v.ghost_edges_drawn;
    out["restores"] = v.restores;
    return out;
}

}  // namespace leadflow::web
