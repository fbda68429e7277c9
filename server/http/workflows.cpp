// server/http/workflows.cpp — workflows: create, list, read, update, delete, the lifecycle verbs
// (activate, pause, resume, cancel, and the PATCH …/status action form), validate, duplicate.
//
// Index
//   [SECTION] Reading a workflow body
//   [SECTION] CRUD
//   [SECTION] Lifecycle
//   [SECTION] Validate and duplicate
//   [SECTION] Registration
#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

#include "http/app.hpp"
#include "http/handler_util.hpp"
#include "http/json_text.hpp"
#include "http/limits.hpp"
#include "http/publish.hpp"
#include "leadflow/calling_window.hpp"
#include "leadflow/text.hpp"
#include "leadflow/time_zone.hpp"
#include "leadflow/wire.hpp"
#include "runtime/lead_commands.hpp"
#include "util/crypto.hpp"
#include "util/phone.hpp"

namespace leadflow::server {
namespace {

constexpr std::size_t kMaxTitle = limits::kMaxTitleBytes;

// [SECTION] Reading a workflow body

// Applies the editable fields of a create/update body to `w`. `creating` requires a title.
Status apply_workflow_fields(const Json& body, Workflow& w, bool creating) {
    const char* title_key = body.contains("title") ? "title" : "name";
    auto title = opt_string(body, title_key, 100000);
    if (!title.ok()) return title.status();
    if (title.value()) {
        std::string t = trim(**title);
        if (t.empty()) return Status::invalid("title must not be empty");
        if (t.size() > kMaxTitle) return Status::invalid("title must be at most 200 characters");
        w.title = t;
    } else if (creating) {
        return Status::invalid("title is required");
    }
    auto description = opt_string(body, "description", 10000);
    if (!description.ok()) return description.status();
    if (description.value()) w.description = **description;
    if (auto it = body.find("settings"); it != body.end() && !it->is_null()) {
        if (!it->is_object()) return Status::invalid("settings must be an object");
        // The given keys change, the others keep their values (a JSON merge patch, RFC 7396:
        // a key set to null goes back to its default — any time, unlimited, UTC).
        Json merged = to_json(w.settings);
        merged.merge_patch(*it);
        auto settings = settings_from_json(merged, "settings");
        if (!settings.ok()) return settings.status();
        if (!is_known_region(settings->default_region)) {
            return Status::invalid("settings.default_region: unknown region '" +
                                   settings->default_region + "' (use ISO codes such as US, IN)");
        }
        if (!TimeZone::find(settings->timezone).ok()) {
            return Status::invalid("settings.timezone: unknown time zone '" + settings->timezone +
                                   "' (use an IANA name such as America/New_York or UTC)");
        }
        if (auto window = compile_window(settings->calling_window); !window.ok()) {
            return Status::invalid("settings.calling_window: " + window.status().message());
        }
        // Malformed hours, or hours that never meet the calling window, are refused here so
        // a stored workflow always compiles.
        if (auto hours = compile_call_hours(*settings); !hours.ok()) return hours.status();
        w.settings = std::move(settings.value());
    }
    if (auto it = body.find("entry_node_id"); it != body.end()) {
        if (it->is_null()) {
            w.entry_node_id.reset();
        } else if (it->is_string()) {
            w.entry_node_id = it->get<std::string>();
        } else {
            return Status::invalid("entry_node_id must be a string or null");
        }
    }
    return Status::ok();
}

// The workflow object (json_text.hpp) with its counts read in `tx`.
Result<std::string> workflow_with_counts(StoreTx& tx, const Workflow& w) {
    auto counts = tx.workflow_counts(w.id);
    if (!counts.ok()) return counts.status();
    return workflow_body(w, counts.value());
}

// [SECTION] CRUD

Response create_workflow(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    // DialNexa clients may create a workflow `active` and then add its nodes and edges: it runs
    // from its first edit that makes the graph valid (docs/versions.md), and lists the draft's
    // problems until then.
    bool active = false;
    if (auto it = body.find("status"); it != body.end() && !it->is_null()) {
        const std::string s = it->is_string() ? it->get<std::string>() : "";
        if (s != "draft" && s != "active") {
            return error_response(400,
                                  "status must be 'draft' or 'active' when creating a workflow");
        }
        active = s == "active";
    }
    Workflow w;
    w.id = new_id("wf_");
    w.organization_id = ctx.organization_id;
    // New workflows call within the leads' local hours unless the body says otherwise; stored
    // ones without the key keep calling as before (docs/calling-hours.md).
    w.settings.respect_lead_local_time = true;
    w.status = active ? WorkflowStatus::kActive : WorkflowStatus::kDraft;
    w.created_at = w.updated_at = ctx.now;
    if (active) w.activated_at = ctx.now;
    if (Status st = apply_workflow_fields(body, w, true); !st) return status_response(st);
    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        if (Status s = tx.insert_workflow(w); !s) return s;
        if (active) {
            auto outcome = after_draft_edit(tx, ctx, w, true);
            if (!outcome.ok()) return outcome.status();
        }
        auto j = workflow_with_counts(tx, w);
        if (!j.ok()) return j.status();
        out = json_text_response(201, std::move(j.value()));
        return Status::ok();
    });
    return finish(st, out);
}

Result<WorkflowQuery> read_workflow_query(const Request& req) {
    WorkflowQuery q;
    auto page = read_page(req);
    if (!page.ok()) return page.status();
    q.page = page->page;
    q.limit = page->limit;
    if (auto s = req.param("status"); s && !s->empty()) {
        auto status = parse_workflow_status(*s);
        if (!status) {
            return Status::invalid(
                "status must be one of draft, active, paused, completed, cancelled");
        }
        q.status = status;
    }
    if (auto s = req.param("search")) q.search = *s;
    if (auto s = req.param("sortBy"); s && !s->empty()) {
        if (*s == "created_at" || *s == "createdAt") {
            q.sort = WorkflowSort::kCreatedAt;
        } else if (*s == "updated_at" || *s == "updatedAt") {
            q.sort = WorkflowSort::kUpdatedAt;
        } else if (*s == "title") {
            q.sort = WorkflowSort::kTitle;
        } else {
            return Status::invalid("sortBy must be one of created_at, updated_at, title");
        }
    }
    if (auto s = req.param("sortOrder"); s && !s->empty()) {
        std::string o = *s;
        std::transform(o.begin(), o.end(), o.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (o != "ASC" && o != "DESC") return Status::invalid("sortOrder must be ASC or DESC");
        q.descending = o == "DESC";
    }
    return q;
}

Response list_workflows(const Request& req, RequestContext& ctx) {
    auto q = read_workflow_query(req);
    if (!q.ok()) return status_response(q.status());
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto page = tx.list_workflows(ctx.organization_id, q.value());
        if (!page.ok()) return page.status();
        const std::int64_t total = page->total;
        const int limit = q->limit;
        if (!ctx.envelope) {
            std::string items;
            for (const Workflow& w : page->items) {
                auto counts = tx.workflow_counts(w.id);
                if (!counts.ok()) return counts.status();
                if (!items.empty()) items.push_back(',');
                append_workflow_json(items, w, counts.value());
            }
            out = json_text_response(200, page_body(items, {q->page, limit}, total));
            return Status::ok();
        }
        Json data = Json::array();
        for (const Workflow& w : page->items) data.push_back(compat_workflow_json(w));
        Json meta = {{"totalItems", total},
                     {"itemsPerPage", limit},
                     {"totalPages", (total + limit - 1) / limit},
                     {"currentPage", q->page}};
        out = json_response(200, Json{{"statusCode", 200},
                                      {"message", "Workflows fetched successfully"},
                                      {"data", Json{{"data", data}, {"meta", meta}}}});
        return Status::ok();
    });
    return finish(st, out);
}

Response get_workflow(const Request& req, RequestContext& ctx) {
    Workflow w;
    WorkflowCounts counts;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto found = find_workflow(tx, ctx, req.path_param("id"));
        if (!found.ok()) return found.status();
        w = std::move(found.value());
        if (ctx.envelope) return Status::ok();
        auto c = tx.workflow_counts(w.id);
        if (!c.ok()) return c.status();
        counts = std::move(c.value());
        return Status::ok();
    });
    if (!st) return status_response(st);
    if (ctx.envelope) {
        return json_response(200, Json{{"statusCode", 200},
                                       {"message", "Workflow fetched successfully"},
                                       {"data", compat_workflow_json(w)}});
    }
    return json_text_response(200, workflow_body(w, counts));
}

Response update_workflow(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    if (body.contains("status")) {
        return error_response(409,
                              "status cannot be set directly; use activate, pause, resume or "
                              "cancel");
    }
    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        Workflow updated = w.value();
        if (Status s = apply_workflow_fields(body, updated, false); !s) return s;
        updated.updated_at = ctx.now;
        if (Status s = tx.update_workflow(updated); !s) return s;
        // Settings and the entry node are part of the draft: an active workflow publishes them.
        EditOutcome outcome = EditOutcome::kNotLive;
        if (!is_terminal_workflow(updated.status)) {
            auto o = after_draft_edit(tx, ctx, updated, !draft_only(req));
            if (!o.ok()) return o.status();
            outcome = o.value();
        }
        auto j = workflow_with_counts(tx, updated);
        if (!j.ok()) return j.status();
        out = json_text_response(200, std::move(j.value()));
        mark_edit_outcome(out, outcome);
        return Status::ok();
    });
    return finish(st, out);
}

Response delete_workflow(const Request& req, RequestContext& ctx) {
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        if (is_active_workflow(w->status)) {
            return Status::conflict(
                "An active workflow cannot be deleted; pause or cancel it first");
        }
        auto busy = tx.count_leads_in_phases(w->id, {Phase::kInCall, Phase::kInAction});
        if (!busy.ok()) return busy.status();
        if (busy.value() > 0) {
            return Status::conflict("The workflow has " + std::to_string(busy.value()) +
                                    " lead(s) in the middle of a step; try again when they finish");
        }
        return tx.delete_workflow(w->id);
    });
    if (!st) return status_response(st);
    return json_response(200, message_json("Workflow deleted."));
}

// [SECTION] Lifecycle

enum class Verb { kActivate, kPause, kResume, kCancel };

const char* verb_name(Verb v) {
    switch (v) {
        case Verb::kActivate:
            return "activated";
        case Verb::kPause:
            return "paused";
        case Verb::kResume:
            return "resumed";
        case Verb::kCancel:
            return "cancelled";
    }
    return "";
}

bool allowed_from(Verb v, WorkflowStatus s) {
    switch (v) {
        case Verb::kActivate:
            return s == WorkflowStatus::kDraft;
        case Verb::kPause:
            return is_active_workflow(s);
        case Verb::kResume:
            return s == WorkflowStatus::kPaused;
        case Verb::kCancel:
            return !is_terminal_workflow(s);
    }
    return false;
}

const char* required_from(Verb v) {
    switch (v) {
        case Verb::kActivate:
            return "draft";
        case Verb::kPause:
            return "active";
        case Verb::kResume:
            return "paused";
        case Verb::kCancel:
            return "draft, active or paused";
    }
    return "";
}

// Runs a lifecycle verb. On success `*out_workflow` is the updated workflow object. Conflicts
// (impossible transitions) come back as kConflict; graphs that cannot run set *reply.
Status run_verb(RequestContext& ctx, const std::string& id, Verb verb, std::string* out_workflow,
                Workflow* out_raw, Response* reply) {
    return ctx.store.transact([&](StoreTx& tx) {
        auto found = find_workflow(tx, ctx, id);
        if (!found.ok()) return found.status();
        Workflow w = found.value();
        if (!allowed_from(verb, w.status)) {
            return Status::conflict(std::string("Workflow cannot be ") + verb_name(verb) +
                                    ": it is " + to_string(w.status) + " (must be " +
                                    required_from(verb) + ")");
        }
        const TimeMs live_now = ctx.app.live() ? ctx.app.live()->live_now() : ctx.now;
        // Activation publishes the draft (version 1, or the next one when the draft changed
        // since the last publish); the draft must be valid. Resume publishes the draft with
        // `move` when it changed and is valid; an invalid draft leaves the workflow running on
        // its version, with the draft's diagnostics as its problems.
        if (verb == Verb::kActivate) {
            auto g = load_graph(tx, w);
            if (!g.ok()) return g.status();
            auto differs = draft_differs_from_published(tx, w, g.value());
            if (!differs.ok()) return differs.status();
            const bool changed = differs.value();
            auto diags = publish_diagnostics(g.value());
            if (!is_valid(diags) && (changed || !w.published_version)) {
                *reply = validation_failure(diags);
                return abort_transaction();
            }
            if (changed && is_valid(diags)) {
                PublishOptions options;
                options.migrate = MigrateMode::kMove;
                options.note = "published by activation";
                auto v = publish_draft(tx, w, g.value(), options, ctx.key_id, ctx.now, live_now);
                if (!v.ok()) return v.status();
            }
        }
        switch (verb) {
            case Verb::kActivate:
                w.status = WorkflowStatus::kActive;
                w.activated_at = ctx.now;
                break;
            case Verb::kResume: {
                w.status = WorkflowStatus::kActive;
                auto outcome = after_draft_edit(tx, ctx, w, true);
                if (!outcome.ok()) return outcome.status();
                break;
            }
            case Verb::kPause:
                w.status = WorkflowStatus::kPaused;
                break;
            case Verb::kCancel:
                w.status = WorkflowStatus::kCancelled;
                w.completed_at = ctx.now;
                break;
        }
        w.updated_at = ctx.now;
        if (Status s = tx.update_workflow(w); !s) return s;
        // Live progression (server/runtime): pause freezes scheduled leads (TIME holds keep
        // their remaining time), resume re-arms them, cancel ends every lead without a call in
        // flight now and the others once their call ends; leads enrolled while draft or paused
        // start on activate and resume.
        if (verb == Verb::kPause) {
            if (Status s = pause_leads(tx, w, live_now); !s) return s;
        } else if (verb == Verb::kCancel) {
            auto ended = cancel_leads(tx, w, live_now);
            if (!ended.ok()) return ended.status();
        } else {
            if (Status s = start_leads(tx, w, verb == Verb::kResume, live_now, ctx.now); !s) {
                return s;
            }
        }
        auto j = workflow_with_counts(tx, w);
        if (!j.ok()) return j.status();
        *out_workflow = std::move(j.value());
        *out_raw = w;
        return Status::ok();
    });
}

Handler verb_handler(Verb verb) {
    return [verb](const Request& req, RequestContext& ctx) {
        Json body;
        Response err;
        if (!read_json_body(req, &body, &err, false)) return err;
        std::string workflow;
        Workflow raw;
        Response reply;
        Status st = run_verb(ctx, req.path_param("id"), verb, &workflow, &raw, &reply);
        if (!st) return finish(st, reply);
        if (ctx.app.live()) ctx.app.live()->wake();
        return json_text_response(200, std::move(workflow));
    };
}

Response patch_status(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    auto action = opt_string(body, "action", 100);
    if (!action.ok()) return status_response(action.status());
    static const std::map<std::string, std::pair<Verb, const char*>> kActions = {
        {"activate", {Verb::kActivate, "Workflow activated successfully"}},
        {"deactivate", {Verb::kPause, "Workflow deactivated successfully"}},
        {"pause", {Verb::kPause, "Workflow paused successfully"}},
        {"resume", {Verb::kResume, "Workflow resumed successfully"}},
    };
    if (!action.value()) {
        return error_response(400, "action is required: activate, deactivate, pause or resume");
    }
    auto it = kActions.find(**action);
    if (it == kActions.end()) {
        return error_response(400, "action must be one of activate, deactivate, pause, resume");
    }
    std::string workflow;
    Workflow raw;
    Response reply;
    Status st = run_verb(ctx, req.path_param("id"), it->second.first, &workflow, &raw, &reply);
    if (!st) {
        // DialNexa answers an impossible transition with 400, not 409.
        if (ctx.envelope && st.code() == StatusCode::kConflict) {
            Response r = finish(st, reply);
            if (r.status == 409) return error_response(400, st.message());
            return r;
        }
        return finish(st, reply);
    }
    if (ctx.envelope) {
        return json_response(200, Json{{"statusCode", 200},
                                       {"message", it->second.second},
                                       {"data", compat_workflow_json(raw)}});
    }
    return json_text_response(200, std::move(workflow));
}

// [SECTION] Validate and duplicate

Response validate_workflow(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto g = load_graph(tx, w.value());
        if (!g.ok()) return g.status();
        out = json_response(200, validation_report_json(validate_graph(g.value())));
        return Status::ok();
    });
    return finish(st, out);
}

Response duplicate_workflow(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err, false)) return err;
    auto title = opt_string(body, "title", kMaxTitle);
    if (!title.ok()) return status_response(title.status());
    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto src = find_workflow(tx, ctx, req.path_param("id"));
        if (!src.ok()) return src.status();
        auto g = load_graph(tx, src.value());
        if (!g.ok()) return g.status();
        // A graph stored before the limits existed may be larger than a new one may be.
        const ServerConfig& config = ctx.app.config();
        if (g->nodes.size() > config.max_nodes_per_workflow ||
            g->edges.size() > config.max_edges_per_workflow) {
            return Status::conflict("The graph is too large to copy: a workflow may have at most " +
                                    std::to_string(config.max_nodes_per_workflow) + " nodes and " +
                                    std::to_string(config.max_edges_per_workflow) + " edges");
        }
        auto scenario = tx.get_scenario(src->id);
        if (!scenario.ok()) return scenario.status();

        Workflow w = src.value();
        w.id = new_id("wf_");
        w.status = WorkflowStatus::kDraft;
        std::string t = title.value() ? trim(**title) : src->title + " (copy)";
        w.title = t.empty() ? src->title : t.substr(0, kMaxTitle);
        w.created_at = w.updated_at = ctx.now;
        w.activated_at.reset();
        w.completed_at.reset();
        std::map<std::string, std::string> node_ids;
        for (Node& n : g->nodes) {
            std::string fresh = new_id("node_");
            node_ids[n.id] = fresh;
            n.id = fresh;
        }
        auto remap = [&](const std::string& id) {
            auto it = node_ids.find(id);
            return it == node_ids.end() ? id : it->second;
        };
        for (Edge& e : g->edges) {
            e.id = new_id("edge_");
            e.from_node_id = remap(e.from_node_id);
            e.to_node_id = remap(e.to_node_id);
        }
        if (w.entry_node_id) w.entry_node_id = remap(*w.entry_node_id);
        // Scenario node models are keyed by node id: follow the new ids.
        Json sc = scenario.value();
        if (sc.is_object() && sc.contains("nodes") && sc["nodes"].is_object()) {
            Json nodes = Json::object();
            for (auto it = sc["nodes"].begin(); it != sc["nodes"].end(); ++it) {
                nodes[remap(it.key())] = it.value();
            }
            sc["nodes"] = std::move(nodes);
        }
        if (Status s = tx.insert_workflow(w); !s) return s;
        if (Status s = tx.replace_graph(w.id, g->nodes, g->edges); !s) return s;
        if (!sc.is_null()) {
            if (Status s = tx.put_scenario(w.id, sc); !s) return s;
        }
        auto j = workflow_with_counts(tx, w);
        if (!j.ok()) return j.status();
        out = json_text_response(201, std::move(j.value()));
        return Status::ok();
    });
    return finish(st, out);
}

}  // namespace

// [SECTION] Registration

void register_workflow_routes(Router& r) {
    r.add("POST", "/v1/workflows", Access::kApiKey, create_workflow,
          RouteDoc("Workflows", "Create a draft workflow")
              .status(201)
              .reply("Workflow")
              .json_body("WorkflowInput"));
    r.add("GET", "/v1/workflows", Access::kApiKey, list_workflows,
          RouteDoc("Workflows", "List workflows (filters, sort, pages)")
              .reply("WorkflowPage")
              .envelope_reply("EnvelopeWorkflowPage")
              .params(QueryKind::kWorkflowList));
    r.add("GET", "/v1/workflows/{id}", Access::kApiKey, get_workflow,
          RouteDoc("Workflows", "Read a workflow with its counts")
              .reply("Workflow")
              .envelope_reply("EnvelopeWorkflow"));
    r.add("PATCH", "/v1/workflows/{id}", Access::kApiKey, update_workflow,
          RouteDoc("Workflows",
                   "Update title, description, settings (merged: the keys given change, null "
                   "resets one), entry node")
              .reply("Workflow")
              .json_body("WorkflowPatch"));
    r.add("DELETE", "/v1/workflows/{id}", Access::kApiKey, delete_workflow,
          RouteDoc("Workflows", "Delete a workflow and everything in it"));
    auto verb_doc = [](const char* summary) {
        return RouteDoc("Lifecycle", summary).reply("Workflow").optional_json_body("Empty");
    };
    r.add("POST", "/v1/workflows/{id}/activate", Access::kApiKey, verb_handler(Verb::kActivate),
          verb_doc("Activate a draft (validates the graph)"));
    r.add("POST", "/v1/workflows/{id}/pause", Access::kApiKey, verb_handler(Verb::kPause),
          verb_doc("Pause an active workflow"));
    r.add("POST", "/v1/workflows/{id}/resume", Access::kApiKey, verb_handler(Verb::kResume),
          verb_doc("Resume a paused workflow"));
    r.add("POST", "/v1/workflows/{id}/cancel", Access::kApiKey, verb_handler(Verb::kCancel),
          verb_doc("Cancel a workflow and its unfinished leads"));
    r.add("PATCH", "/v1/workflows/{id}/status", Access::kApiKey, patch_status,
          RouteDoc("Lifecycle", "Compatibility form: {action: activate|deactivate|pause|resume}")
              .reply("Workflow")
              .envelope_reply("EnvelopeWorkflow")
              .json_body("StatusAction"));
    r.add("POST", "/v1/workflows/{id}/validate", Access::kApiKey, validate_workflow,
          RouteDoc("Workflows", "Validate the graph").reply("ValidationReport"));
    r.add("POST", "/v1/workflows/{id}/duplicate", Access::kApiKey, duplicate_workflow,
          RouteDoc("Workflows", "Copy into a new draft (graph, settings, scenario)")
              .status(201)
              .reply("Workflow")
              .optional_json_body("DuplicateRequest"));
}

}  // namespace leadflow::server
