// server/http/publish.cpp — see publish.hpp.
#include "http/publish.hpp"

#include <algorithm>
#include <memory>

#include "http/handler_util.hpp"
#include "leadflow/compiled_graph.hpp"
#include "leadflow/wire.hpp"
#include "runtime/lead_commands.hpp"

namespace leadflow::server {

namespace {

constexpr const char* kDraftSource = "draft";
constexpr const char* kVersionSource = "version";

// What runs, in a comparable form: node positions (layout only) left out.
Json running_form(const Graph& g) {
    Json nodes = Json::array();
    for (Node n : g.nodes) {
        n.position_x = n.position_y = 0;
        nodes.push_back(to_json(n));
    }
    Json edges = Json::array();
    for (const Edge& e : g.edges) edges.push_back(to_json(e));
    return Json{{"entry_node_id",
                 g.workflow.entry_node_id ? Json(*g.workflow.entry_node_id) : Json(nullptr)},
                {"settings", to_json(g.workflow.settings)},
                {"nodes", std::move(nodes)},
                {"edges", std::move(edges)}};
}

// `problems` without those of the given source ("draft": the draft's diagnostics; "version":
// a published version that cannot run).
Json without_problems_of(const Json& problems, const std::vector<std::string>& sources) {
    Json out = Json::array();
    if (!problems.is_array()) return out;
    for (const Json& p : problems) {
        const std::string source = p.is_object() ? p.value("source", "") : "";
        if (std::find(sources.begin(), sources.end(), source) == sources.end()) out.push_back(p);
    }
    return out;
}

Json without_draft_problems(const Json& problems) {
    return without_problems_of(problems, {kDraftSource});
}

Json draft_problems(const Json& problems, const std::vector<Diagnostic>& diags) {
    Json out = without_draft_problems(problems);
    for (const Diagnostic& d : diags) {
        if (d.severity != Severity::kError) continue;
        Json j = to_json(d);
        j["source"] = kDraftSource;
        out.push_back(std::move(j));
    }
    return out;
}

}  // namespace

std::vector<Diagnostic> publish_diagnostics(const Graph& draft) {
    std::vector<Diagnostic> diags = validate_graph(draft);
    if (!is_valid(diags)) return diags;
    auto compiled = compile_graph(draft);
    if (!compiled.ok()) {
        Diagnostic d;
        d.severity = Severity::kError;
        d.code = "GRAPH_CANNOT_RUN";
        d.message = "The graph cannot run: " + compiled.status().message();
        diags.push_back(std::move(d));
    }
    return diags;
}

bool draft_differs(const Graph& draft, const WorkflowVersion* version) {
    if (!version) return true;
    return running_form(draft) != running_form(version->graph);
}

Result<WorkflowVersion> publish_draft(StoreTx& tx, Workflow& w, const Graph& draft,
                                      const PublishOptions& options, const std::string& key_id,
                                      TimeMs now, TimeMs live_now) {
    auto scenario = tx.get_scenario(w.id);
    if (!scenario.ok()) return scenario.status();
    WorkflowVersion v;
    v.workflow_id = w.id;
    v.number = w.published_version.value_or(0) + 1;
    v.graph = draft;
    v.graph.workflow = w;
    v.graph.workflow.entry_node_id = draft.workflow.entry_node_id;
    v.graph.workflow.settings = draft.workflow.settings;
    v.graph.workflow.problems = Json::array();
    v.graph.workflow.published_version = v.number;
    v.scenario = std::move(scenario.value());
    v.migrate = options.migrate;
    v.node_map = options.node_map;
    v.note = options.note;
    if (!key_id.empty()) v.published_by = key_id;
    v.created_at = now;
    v.node_count = static_cast<std::int64_t>(draft.nodes.size());
    v.edge_count = static_cast<std::int64_t>(draft.edges.size());
    if (Status s = tx.insert_version(v); !s) return s;
    w.published_version = v.number;
    // A version that cannot run is listed again by the scheduler if any lead still waits on it
    // after this publish (a `keep` publish leaves them there).
    w.problems = without_problems_of(w.problems, {kDraftSource, kVersionSource});
    if (Status s = tx.set_workflow_problems(w.id, w.problems); !s) return s;
    // Leads stuck on the old graph (no edge for an outcome, …) are re-evaluated: the publish
    // may have moved them or given their node the edge they lacked.
    if (Status s = wake_stuck_leads(tx, w, live_now); !s) return s;
    return v;
}

Result<bool> draft_differs_from_published(StoreTx& tx, const Workflow& w, const Graph& draft) {
    if (!w.published_version) return true;
    auto v = tx.get_version(w.id, *w.published_version);
    if (!v.ok()) return v.status();
    return draft_differs(draft, &v.value());
}

Result<EditOutcome> after_draft_edit(StoreTx& tx, RequestContext& ctx, Workflow& w, bool publish) {
    if (!is_active_workflow(w.status)) return EditOutcome::kNotLive;
    auto draft = load_graph(tx, w);
    if (!draft.ok()) return draft.status();
    auto changed = draft_differs_from_published(tx, w, draft.value());
    if (!changed.ok()) return changed.status();
    if (!changed.value()) {
        w.problems = without_draft_problems(w.problems);
        if (Status s = tx.set_workflow_problems(w.id, w.problems); !s) return s;
        return EditOutcome::kUnchanged;
    }
    if (!publish) return EditOutcome::kDraftOnly;
    std::vector<Diagnostic> diags = publish_diagnostics(draft.value());
    if (!is_valid(diags)) {
        w.problems = draft_problems(w.problems, diags);
        if (Status s = tx.set_workflow_problems(w.id, w.problems); !s) return s;
        return EditOutcome::kDraftOnly;
    }
    PublishOptions options;
    options.migrate = MigrateMode::kMove;
    options.note = "published by an edit of the active workflow";
    const TimeMs live_now = ctx.app.live() ? ctx.app.live()->live_now() : ctx.now;
    auto v = publish_draft(tx, w, draft.value(), options, ctx.key_id, ctx.now, live_now);
    if (!v.ok()) return v.status();
    return EditOutcome::kPublished;
}

void mark_edit_outcome(Response& r, EditOutcome outcome) {
    if (outcome == EditOutcome::kPublished) {
        r.headers.emplace_back("X-Leadflow-Published", "true");
    } else if (outcome == EditOutcome::kDraftOnly) {
        r.headers.emplace_back("X-Leadflow-Published", "false");
    }
}

bool draft_only(const Request& req) {
    auto v = req.param("publish");
    return v && (*v == "false" || *v == "0");
}

Result<MigrationSummary> summarize_migration(StoreTx& tx, const Workflow& w, const Graph& draft,
                                             const PublishOptions& options) {
    MigrationSummary out;
    auto groups = tx.lead_version_groups(w.id);
    if (!groups.ok()) return groups.status();
    VersionReader versions(tx, w.id);
    const std::int64_t top = w.published_version.value_or(0);
    const std::int64_t next_number = top + 1;
    VersionStep next =
        version_step(next_number, options.migrate == MigrateMode::kMove, options.node_map, draft);
    for (const LeadVersionGroup& g : groups.value()) {
        if (!g.version || !g.node_id) {
            out.not_started += g.count;
            continue;
        }
        const std::int64_t seen = std::max(g.seen.value_or(*g.version), *g.version);
        auto type = versions.node_type(*g.version, *g.node_id);
        if (!type.ok()) return type.status();
        auto later = versions.steps(seen + 1, top);
        if (!later.ok()) return later.status();
        later->push_back(next);
        LeadPlacement at =
            resolve_placement({*g.version, *g.node_id}, type.value(), seen, later.value());
        if (at.version == next_number) {
            out.move += g.count;
        } else {
            out.stay += g.count;
            out.stay_by_version[at.version] += g.count;
            out.stay_by_node["v" + std::to_string(at.version) + ":" + at.node_id] += g.count;
        }
    }
    return out;
}

Json to_json(const MigrationSummary& s) {
    Json by_version = Json::array();
    for (const auto& [v, n] : s.stay_by_version) {
        by_version.push_back(Json{{"version", v}, {"leads", n}});
    }
    Json by_node = Json::array();
    for (const auto& [key, n] : s.stay_by_node) {
        const auto colon = key.find(':');
        by_node.push_back(Json{{"version", std::stoll(key.substr(1, colon - 1))},
                               {"node_id", key.substr(colon + 1)},
                               {"leads", n}});
    }
    return Json{{"move", s.move},
                {"stay", s.stay},
                {"not_started", s.not_started},
                {"stay_by_version", std::move(by_version)},
                {"stay_by_node", std::move(by_node)}};
}

Json version_summary_json(const WorkflowVersion& v, const Workflow& w) {
    Json node_map = Json::object();
    for (const auto& [from, to] : v.node_map) node_map[from] = to;
    return Json{{"number", v.number},
                {"workflow_id", v.workflow_id},
                {"created_at", time_json(v.created_at)},
                {"note", v.note},
                {"published_by", v.published_by ? Json(*v.published_by) : Json(nullptr)},
                {"migrate", to_string(v.migrate)},
                {"node_map", std::move(node_map)},
                {"node_count", v.node_count},
                {"edge_count", v.edge_count},
                {"current", w.published_version && *w.published_version == v.number}};
}

Result<std::map<std::string, LeadPlacement>> current_placements(StoreTx& tx, const Workflow& w,
                                                                const std::vector<Lead>& leads) {
    std::map<std::string, LeadPlacement> out;
    if (leads.empty() || !w.published_version) return out;
    // Only running leads on an older version than the newest may have moved since they were
    // last written; the others are where their row says.
    std::vector<std::string> ids;
    for (const Lead& l : leads) {
        if (!l.version) continue;
        if (l.status == LeadStatus::kActive && *l.version < *w.published_version) {
            ids.push_back(l.id);
        } else {
            out[l.id] = LeadPlacement{*l.version, l.current_node_id.value_or("")};
        }
    }
    if (ids.empty()) return out;
    auto stored = tx.lead_versions(w.id, ids);
    if (!stored.ok()) return stored.status();
    VersionReader versions(tx, w.id);
    const std::int64_t top = *w.published_version;
    for (const Lead& l : leads) {
        auto it = stored->find(l.id);
        if (it == stored->end()) continue;
        const auto [number, seen_raw] = it->second;
        LeadPlacement at{number, l.current_node_id.value_or("")};
        const std::int64_t seen = std::max(seen_raw, number);
        if (l.status == LeadStatus::kActive && seen < top && !at.node_id.empty()) {
            auto moved = versions.placement(at, seen, top);
            if (!moved.ok()) return moved.status();
            at = moved.value();
        }
        out[l.id] = at;
    }
    return out;
}

}  // namespace leadflow::server
