// server/http/versions.cpp — a workflow's published versions (docs/versions.md): publish (with
// a dry run), the list, one version's graph, the diff of two versions (or of a version and the
// draft) and restoring a version into the draft.
//
// Index
//   [SECTION] Publish
//   [SECTION] Reading versions
//   [SECTION] Restore
//   [SECTION] Registration
#include <cstdlib>

#include "http/app.hpp"
#include "http/handler_util.hpp"
#include "http/publish.hpp"
#include "leadflow/graph_diff.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::server {
namespace {

// [SECTION] Publish

// Reads {note?, migrate?, node_map?, dry_run?}.
Status read_publish_body(const Json& body, PublishOptions* options, bool* dry_run) {
    auto note = opt_string(body, "note", 2000);
    if (!note.ok()) return note.status();
    options->note = note.value().value_or("");
    auto migrate = opt_string(body, "migrate", 20);
    if (!migrate.ok()) return migrate.status();
    if (migrate.value()) {
        if (*migrate.value() == "move") {
            options->migrate = MigrateMode::kMove;
        } else if (*migrate.value() == "keep") {
            options->migrate = MigrateMode::kKeep;
        } else {
            return Status::invalid("migrate must be \"keep\" or \"move\"");
        }
    }
    if (auto it = body.find("node_map"); it != body.end() && !it->is_null()) {
        if (!it->is_object()) return Status::invalid("node_map must be an object {old id: new id}");
        for (auto m = it->begin(); m != it->end(); ++m) {
            if (!m->is_string())
                return Status::invalid("node_map." + m.key() + " must be a string");
            options->node_map[m.key()] = m->get<std::string>();
        }
    }
    if (auto it = body.find("dry_run"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) return Status::invalid("dry_run must be true or false");
        *dry_run = it->get<bool>();
    }
    return Status::ok();
}

Json diagnostics_json(const std::vector<Diagnostic>& diags, Severity severity) {
    Json out = Json::array();
    for (const Diagnostic& d : diags) {
        if (d.severity == severity) out.push_back(to_json(d));
    }
    return out;
}

Response publish(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err, false)) return err;
    PublishOptions options;
    bool dry_run = false;
    if (Status s = read_publish_body(body, &options, &dry_run); !s) return status_response(s);
    const std::string id = req.path_param("id");

    // The counts come from a read (no write lock held while the leads are counted); a real
    // publish then takes the write lock only to insert the version.
    Json summary;
    std::vector<Diagnostic> diags;
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, id);
        if (!w.ok()) return w.status();
        auto draft = load_graph(tx, w.value());
        if (!draft.ok()) return draft.status();
        for (const auto& [from, to] : options.node_map) {
            if (!draft->find_node(to)) {
                return Status::invalid("node_map." + from + ": node " + to +
                                       " is not in the draft");
            }
        }
        diags = publish_diagnostics(draft.value());
        auto s = summarize_migration(tx, w.value(), draft.value(), options);
        if (!s.ok()) return s.status();
        summary = to_json(s.value());
        if (dry_run) {
            out =
                json_response(200, Json{{"dry_run", true},
                                        {"valid", is_valid(diags)},
                                        {"version", w->published_version.value_or(0) + 1},
                                        {"migrate", to_string(options.migrate)},
                                        {"leads", summary},
                                        {"errors", diagnostics_json(diags, Severity::kError)},
                                        {"warnings", diagnostics_json(diags, Severity::kWarning)}});
        }
        return Status::ok();
    });
    if (!st) return status_response(st);
    if (dry_run) return out;
    if (!is_valid(diags)) return validation_failure(diags);

    st = ctx.store.transact([&](StoreTx& tx) {
        auto found = find_workflow(tx, ctx, id);
        if (!found.ok()) return found.status();
        Workflow w = found.value();
        if (is_terminal_workflow(w.status)) {
            return Status::conflict(std::string("The workflow is ") + to_string(w.status) +
                                    "; it can no longer be published");
        }
        auto draft = load_graph(tx, w);
        if (!draft.ok()) return draft.status();
        // The draft may have changed since it was checked: check what is published.
        std::vector<Diagnostic> now_diags = publish_diagnostics(draft.value());
        if (!is_valid(now_diags)) {
            out = validation_failure(now_diags);
            return abort_transaction();
        }
        const TimeMs live_now = ctx.app.live() ? ctx.app.live()->live_now() : ctx.now;
        auto v = publish_draft(tx, w, draft.value(), options, ctx.key_id, ctx.now, live_now);
        if (!v.ok()) return v.status();
        out =
            json_response(201, Json{{"version", version_summary_json(v.value(), w)},
                                    {"leads", summary},
                                    {"warnings", diagnostics_json(now_diags, Severity::kWarning)}});
        return Status::ok();
    });
    if (st && ctx.app.live()) ctx.app.live()->wake();
    return finish(st, out);
}

// [SECTION] Reading versions

// A version number from the path: a positive integer, or "latest".
Result<std::int64_t> version_number(const std::string& text, const Workflow& w) {
    if (text == "latest") {
        if (!w.published_version) return Status::not_found("The workflow has no published version");
        return *w.published_version;
    }
    char* end = nullptr;
    const long long n = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || n < 1 || text.size() > 18) {
        return Status::invalid("version must be a positive integer, \"latest\" or \"draft\"");
    }
    return static_cast<std::int64_t>(n);
}

// The graph a path names: a version, or the draft ("draft").
Result<Graph> graph_named(StoreTx& tx, const Workflow& w, const std::string& text) {
    if (text == "draft") return load_graph(tx, w);
    auto n = version_number(text, w);
    if (!n.ok()) return n.status();
    auto v = tx.get_version(w.id, n.value());
    if (!v.ok()) return v.status();
    return std::move(v->graph);
}

Response list_versions(const Request& req, RequestContext& ctx) {
    auto page = read_page(req);
    if (!page.ok()) return status_response(page.status());
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto versions = tx.list_versions(w->id, page->page, page->limit);
        if (!versions.ok()) return versions.status();
        Json data = Json::array();
        for (const WorkflowVersion& v : versions->items) {
            data.push_back(version_summary_json(v, w.value()));
        }
        out = json_response(200, page_json(std::move(data), page.value(), versions->total));
        return Status::ok();
    });
    return finish(st, out);
}

Response get_version(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto n = version_number(req.path_param("n"), w.value());
        if (!n.ok()) return n.status();
        auto v = tx.get_version(w->id, n.value());
        if (!v.ok()) return v.status();
        const Workflow& pw = v->graph.workflow;
        out = json_response(
            200, Json{{"version", version_summary_json(v.value(), w.value())},
                      {"workflow", Json{{"id", w->id},
                                        {"entry_node_id", pw.entry_node_id ? Json(*pw.entry_node_id)
                                                                           : Json(nullptr)},
                                        {"settings", to_json(pw.settings)}}},
                      {"nodes", nodes_json(v->graph.nodes)},
                      {"edges", edges_json(v->graph.edges)},
                      {"scenario", v->scenario.is_null() ? Json::object() : v->scenario}});
        return Status::ok();
    });
    return finish(st, out);
}

Response diff_versions(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto a = graph_named(tx, w.value(), req.path_param("a"));
        if (!a.ok()) return a.status();
        auto b = graph_named(tx, w.value(), req.path_param("b"));
        if (!b.ok()) return b.status();
        Json j = to_json(diff_graphs(a.value(), b.value()));
        j["from"] = req.path_param("a");
        j["to"] = req.path_param("b");
        out = json_response(200, j);
        return Status::ok();
    });
    return finish(st, out);
}

// [SECTION] Restore

// draft := version n (nodes, edges, entry node, settings). Publishing it is a separate step,
// also for an active workflow (the response says X-Leadflow-Published: false when the draft
// now differs from what runs).
Response restore_version(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto found = find_workflow(tx, ctx, req.path_param("id"));
        if (!found.ok()) return found.status();
        Workflow w = found.value();
        if (is_terminal_workflow(w.status)) {
            return Status::conflict(std::string("The workflow is ") + to_string(w.status) +
                                    "; its graph can no longer change");
        }
        auto n = version_number(req.path_param("n"), w);
        if (!n.ok()) return n.status();
        auto v = tx.get_version(w.id, n.value());
        if (!v.ok()) return v.status();
        if (Status s = tx.replace_graph(w.id, v->graph.nodes, v->graph.edges); !s) return s;
        w.entry_node_id = v->graph.workflow.entry_node_id;
        w.settings = v->graph.workflow.settings;
        w.updated_at = ctx.now;
        if (Status s = tx.update_workflow(w); !s) return s;
        auto outcome = after_draft_edit(tx, ctx, w, false);
        if (!outcome.ok()) return outcome.status();
        auto g = load_graph(tx, w);
        if (!g.ok()) return g.status();
        auto counts = tx.workflow_counts(w.id);
        if (!counts.ok()) return counts.status();
        out = json_response(200, Json{{"workflow", workflow_json(w, counts.value())},
                                      {"nodes", nodes_json(g->nodes)},
                                      {"edges", edges_json(g->edges)},
                                      {"restored", n.value()}});
        mark_edit_outcome(out, outcome.value());
        return Status::ok();
    });
    return finish(st, out);
}

}  // namespace

// [SECTION] Registration

void register_version_routes(Router& r) {
    r.add("POST", "/v1/workflows/{id}/publish", Access::kApiKey, publish,
          RouteDoc("Versions",
                   "Publish the draft as the next version ({note, migrate: keep|move, node_map, "
                   "dry_run})")
              .status(201)
              .reply("PublishResult")
              .optional_json_body("PublishRequest"));
    r.add("GET", "/v1/workflows/{id}/versions", Access::kApiKey, list_versions,
          RouteDoc("Versions", "List published versions, newest first")
              .reply("VersionPage")
              .params(QueryKind::kPaged));
    r.add("GET", "/v1/workflows/{id}/versions/{n}", Access::kApiKey, get_version,
          RouteDoc("Versions", "Read a version's graph and scenario (n: number or latest)")
              .reply("VersionGraph"));
    r.add("GET", "/v1/workflows/{id}/versions/{a}/diff/{b}", Access::kApiKey, diff_versions,
          RouteDoc("Versions",
                   "What changed from version a to version b (either may be draft or latest)")
              .reply("GraphDiff"));
    r.add("POST", "/v1/workflows/{id}/versions/{n}/restore", Access::kApiKey, restore_version,
          RouteDoc("Versions", "Replace the draft with version n (publishing is a separate step)")
              .reply("RestoredGraph"));
}

}  // namespace leadflow::server
