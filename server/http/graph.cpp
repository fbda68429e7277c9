// server/http/graph.cpp — the workflow graph: whole-graph read and atomic replace, nodes and
// edges one by one, and the stored simulation scenario.
//
// Index
//   [SECTION] Shared checks
//   [SECTION] Graph
//   [SECTION] Nodes
//   [SECTION] Edges
//   [SECTION] Scenario and simulation
//   [SECTION] Registration
#include <algorithm>
#include <cmath>
#include <set>

#include "http/app.hpp"
#include "http/handler_util.hpp"
#include "http/limits.hpp"
#include "http/publish.hpp"
#include "leadflow/node_config.hpp"
#include "leadflow/notes.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/simulate.hpp"
#include "leadflow/wire.hpp"
#include "util/crypto.hpp"

namespace leadflow::server {
namespace {

// A node or edge as the node and edge routes return it: the wire object plus the workflow it
// belongs to (DialNexa's node and edge objects carry workflow_id).
Json with_workflow_id(Json object, const std::string& workflow_id) {
    object["workflow_id"] = workflow_id;
    return object;
}

Json list_with_workflow_id(Json items, const std::string& workflow_id) {
    for (Json& item : items) item["workflow_id"] = workflow_id;
    return items;
}

// A webhook APPLICATION node's method and headers are checked when it is saved (400), so that
// a request that would be refused at send time is never stored (see check_webhook_request).
Status check_webhook_config(NodeType type, const Json& config) {
    if (type != NodeType::kApplication || !config.is_object()) return Status::ok();
    if (config.value("provider_key", Json("")) != Json("webhook")) return Status::ok();
    auto it = config.find("action_config");
    if (it == config.end()) return Status::ok();
    return check_webhook_request(*it);
}

// [SECTION] Shared checks

// The workflow, if the organization owns it and its graph may be edited (not terminal).
Result<Workflow> editable_workflow(StoreTx& tx, const RequestContext& ctx, const std::string& id) {
    auto w = find_workflow(tx, ctx, id);
    if (!w.ok()) return w.status();
    if (is_terminal_workflow(w->status)) {
        return Status::conflict(std::string("The workflow is ") + to_string(w->status) +
                                "; its graph can no longer change");
    }
    return w;
}

// Ends a draft edit: an active workflow's draft is published when it can be (publish.hpp),
// and the workflow's updated_at moves. Returns what happened for mark_edit_outcome.
Result<EditOutcome> settle_edit(StoreTx& tx, RequestContext& ctx, const Request& req, Workflow w) {
    auto outcome = after_draft_edit(tx, ctx, w, !draft_only(req));
    if (!outcome.ok()) return outcome.status();
    w.updated_at = ctx.now;
    if (Status s = tx.update_workflow(w); !s) return s;
    return outcome;
}

std::string known_types_text() {
    return "VOICE_CALL, TIME, CONDITIONAL, APPLICATION, CONVERTED, DROPPED, SPLIT";
}

bool same_label(const std::optional<std::string>& a, const std::optional<std::string>& b) {
    const std::string x = a ? normalize_label(*a) : "";
    const std::string y = b ? normalize_label(*b) : "";
    return x == y;
}

// Reads the optional label of an edge body: absent → nullopt in *present = false.
Status read_label(const Json& body, std::optional<std::string>* label, bool* present) {
    auto it = body.find("label");
    *present = it != body.end();
    if (!*present || it->is_null()) {
        label->reset();
        return Status::ok();
    }
    if (!it->is_string()) return Status::invalid("label must be a string or null");
    std::string s = it->get<std::string>();
    if (s.size() > limits::kMaxLabelBytes) {
        return Status::invalid("label must be at most " + std::to_string(limits::kMaxLabelBytes) +
                               " bytes");
    }
    if (s.find_first_not_of(" \t") == std::string::npos) {
        label->reset();
    } else {
        *label = s;
    }
    return Status::ok();
}

// Every string in a node config (keys and values, at any depth) within
// limits::kMaxConfigStringBytes. The depth is already bounded by the body's JSON limits.
Status check_config_strings(const Json& j, const std::string& where) {
    const std::size_t max = limits::kMaxConfigStringBytes;
    auto too_long = [&](const std::string& at) {
        return Status::invalid(at + ": strings in a node config may have at most " +
                               std::to_string(max) + " bytes");
    };
    if (j.is_string()) {
        return j.get_ref<const std::string&>().size() > max ? too_long(where) : Status::ok();
    }
    if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) {
            if (Status s = check_config_strings(j[i], where + "[" + std::to_string(i) + "]"); !s) {
                return s;
            }
        }
    } else if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.key().size() > max) return too_long(where + " (a key)");
            if (Status s = check_config_strings(it.value(), where + "." + it.key()); !s) return s;
        }
    }
    return Status::ok();
}

std::string too_many_text(const char* what, std::size_t max) {
    return std::string("a workflow may have at most ") + std::to_string(max) + " " + what;
}

// [SECTION] Graph

Json graph_response(StoreTx& tx, const Workflow& w, Status* st) {
    auto g = load_graph(tx, w);
    if (!g.ok()) {
        *st = g.status();
        return Json();
    }
    auto counts = tx.workflow_counts(w.id);
    if (!counts.ok()) {
        *st = counts.status();
        return Json();
    }
    Json out = Json::object();
    out["workflow"] = workflow_json(w, counts.value());
    out["nodes"] = nodes_json(g->nodes);
    out["edges"] = edges_json(g->edges);
    return out;
}

Response get_graph(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        Status s;
        Json j = graph_response(tx, w.value(), &s);
        if (!s) return s;
        out = json_response(200, j);
        return Status::ok();
    });
    return finish(st, out);
}

Response put_graph(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    if (!body.contains("nodes") || !body["nodes"].is_array()) {
        return error_response(400, "nodes must be an array");
    }
    if (!body.contains("edges") || !body["edges"].is_array()) {
        return error_response(400, "edges must be an array");
    }
    const ServerConfig& config = ctx.app.config();
    if (body["nodes"].size() > config.max_nodes_per_workflow) {
        return error_response(400,
                              "nodes: " + too_many_text("nodes", config.max_nodes_per_workflow));
    }
    if (body["edges"].size() > config.max_edges_per_workflow) {
        return error_response(400,
                              "edges: " + too_many_text("edges", config.max_edges_per_workflow));
    }
    // Edge ids may be left to the server; node ids are required because edges refer to them.
    for (std::size_t i = 0; i < body["edges"].size(); ++i) {
        Json& e = body["edges"][i];
        if (e.is_object() && (!e.contains("id") || e["id"].is_null())) e["id"] = new_id("edge_");
    }
    auto graph = graph_from_json(body);
    if (!graph.ok()) return status_response(graph.status());
    std::vector<Node> nodes = std::move(graph->nodes);
    std::vector<Edge> edges = std::move(graph->edges);
    std::set<std::string> node_ids, edge_ids;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const std::string where = "nodes[" + std::to_string(i) + "]";
        if (nodes[i].id.empty()) return error_response(400, where + ".id is required");
        if (!node_ids.insert(nodes[i].id).second) {
            return error_response(400, where + ".id '" + nodes[i].id + "' is used twice");
        }
        if (!nodes[i].config.is_object()) {
            return error_response(400, where + ".config must be an object");
        }
        if (nodes[i].label.size() > limits::kMaxLabelBytes) {
            return error_response(400, where + ".label must be at most " +
                                           std::to_string(limits::kMaxLabelBytes) + " bytes");
        }
        if (Status s = check_config_strings(nodes[i].config, where + ".config"); !s) {
            return status_response(s);
        }
        if (Status s = check_webhook_config(nodes[i].type, nodes[i].config); !s) {
            return error_response(400, where + "." + s.message());
        }
    }
    for (std::size_t i = 0; i < edges.size(); ++i) {
        if (edges[i].label && edges[i].label->size() > limits::kMaxLabelBytes) {
            return error_response(400, "edges[" + std::to_string(i) + "].label must be at most " +
                                           std::to_string(limits::kMaxLabelBytes) + " bytes");
        }
        if (!edge_ids.insert(edges[i].id).second) {
            return error_response(
                400, "edges[" + std::to_string(i) + "].id '" + edges[i].id + "' is used twice");
        }
    }
    // entry_node_id travels with the graph when the document names it.
    std::optional<std::optional<std::string>> entry;
    const Json* wj =
        body.contains("workflow") && body["workflow"].is_object() ? &body["workflow"] : nullptr;
    const Json* entry_src = body.contains("entry_node_id") ? &body : wj;
    if (entry_src && entry_src->contains("entry_node_id")) {
        const Json& v = (*entry_src)["entry_node_id"];
        if (v.is_null()) {
            entry = std::optional<std::string>();
        } else if (v.is_string()) {
            entry = std::optional<std::string>(v.get<std::string>());
        } else {
            return error_response(400, "entry_node_id must be a string or null");
        }
    }

    // The editor's notes (leadflow/notes.hpp) travel with the graph as workflow.notes: given,
    // they replace the stored ones (null or [] removes them); absent, the stored ones stay.
    std::optional<Json> notes;
    if (wj && wj->contains(kNotesKey)) {
        const Json& v = (*wj)[kNotesKey];
        if (!v.is_null()) {
            if (Status s = check_notes(v); !s)
                return error_response(400, "workflow." + s.message());
        }
        notes = v.is_null() ? Json::array() : v;
    }

    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto found = find_workflow(tx, ctx, req.path_param("id"));
        if (!found.ok()) return found.status();
        Workflow w = found.value();
        if (is_terminal_workflow(w.status)) {
            return Status::conflict(std::string("The workflow is ") + to_string(w.status) +
                                    "; its graph can no longer change");
        }
        if (notes) {
            if (!w.extra.is_object()) w.extra = Json::object();
            if (notes->empty()) {
                w.extra.erase(kNotesKey);
            } else {
                w.extra[kNotesKey] = *notes;
            }
        }
        auto old = load_graph(tx, w);
        if (!old.ok()) return old.status();
        // Unknown node types may round-trip (future types) but not be introduced here.
        for (const Node& n : nodes) {
            if (n.type != NodeType::kUnknown) continue;
            const Node* before = old->find_node(n.id);
            if (!before || before->node_type_raw != n.node_type_raw) {
                out =
                    error_response(400, "node " + n.id + ": unknown node_type '" + n.node_type_raw +
                                            "' (use " + known_types_text() + ")");
                return abort_transaction();
            }
        }
        if (Status s = tx.replace_graph(w.id, nodes, edges); !s) return s;
        if (entry) w.entry_node_id = *entry;
        auto outcome = after_draft_edit(tx, ctx, w, !draft_only(req));
        if (!outcome.ok()) return outcome.status();
        w.updated_at = ctx.now;
        if (Status s = tx.update_workflow(w); !s) return s;
        Status s;
        Json j = graph_response(tx, w, &s);
        if (!s) return s;
        out = json_response(200, j);
        mark_edit_outcome(out, outcome.value());
        return Status::ok();
    });
    return finish(st, out);
}

// [SECTION] Nodes

Status apply_node_fields(const Json& body, Node& n) {
    if (body.contains("label")) {
        auto label = opt_string(body, "label", limits::kMaxLabelBytes);
        if (!label.ok()) return label.status();
        n.label = label.value().value_or("");
    }
    auto x = opt_number(body, "position_x");
    if (!x.ok()) return x.status();
    if (x.value()) n.position_x = **x;
    auto y = opt_number(body, "position_y");
    if (!y.ok()) return y.status();
    if (y.value()) n.position_y = **y;
    if (auto it = body.find("config"); it != body.end() && !it->is_null()) {
        if (!it->is_object()) return Status::invalid("config must be an object");
        if (Status s = check_config_strings(*it, "config"); !s) return s;
        if (Status s = check_webhook_config(n.type, *it); !s) return s;
        n.config = *it;
    }
    return Status::ok();
}

Response create_node(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    auto type = opt_string(body, "node_type", 100);
    if (!type.ok()) return status_response(type.status());
    if (!type.value()) return error_response(400, "node_type is required");
    Node n;
    n.node_type_raw = **type;
    n.type = parse_node_type(n.node_type_raw);
    if (n.type == NodeType::kUnknown) {
        return error_response(400, "node_type must be one of " + known_types_text());
    }
    n.label = n.node_type_raw;
    if (Status st = apply_node_fields(body, n); !st) return status_response(st);
    auto id = opt_string(body, "id", 100);
    if (!id.ok()) return status_response(id.status());
    n.id = id.value() && !id.value()->empty() ? **id : new_id("node_");
    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto w = editable_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto existing = tx.get_node(w->id, n.id);
        if (existing.ok()) return Status::conflict("A node with id " + n.id + " already exists");
        auto nodes = tx.list_nodes(w->id);
        if (!nodes.ok()) return nodes.status();
        const std::size_t max = ctx.app.config().max_nodes_per_workflow;
        if (nodes->size() >= max) {
            return Status::conflict("The workflow is full: " + too_many_text("nodes", max));
        }
        if (Status s = tx.insert_node(w->id, n); !s) return s;
        auto outcome = settle_edit(tx, ctx, req, w.value());
        if (!outcome.ok()) return outcome.status();
        out = json_response(201, with_workflow_id(to_json(n), w->id));
        mark_edit_outcome(out, outcome.value());
        return Status::ok();
    });
    return finish(st, out);
}

Response list_nodes(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto nodes = tx.list_nodes(w->id);
        if (!nodes.ok()) return nodes.status();
        out = json_response(
            200, Json{{"data", list_with_workflow_id(nodes_json(nodes.value()), w->id)}});
        return Status::ok();
    });
    return finish(st, out);
}

Response get_node(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto n = tx.get_node(w->id, req.path_param("nodeId"));
        if (!n.ok()) return n.status();
        out = json_response(200, with_workflow_id(to_json(n.value()), w->id));
        return Status::ok();
    });
    return finish(st, out);
}

Response update_node(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto w = editable_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto found = tx.get_node(w->id, req.path_param("nodeId"));
        if (!found.ok()) return found.status();
        Node n = found.value();
        if (auto it = body.find("node_type"); it != body.end()) {
            if (!it->is_string() || it->get<std::string>() != n.node_type_raw) {
                return Status::invalid(
                    "node_type cannot be changed; delete the node and "
                    "create one of the new type");
            }
        }
        if (Status s = apply_node_fields(body, n); !s) return s;
        if (Status s = tx.update_node(w->id, n); !s) return s;
        auto outcome = settle_edit(tx, ctx, req, w.value());
        if (!outcome.ok()) return outcome.status();
        out = json_response(200, with_workflow_id(to_json(n), w->id));
        mark_edit_outcome(out, outcome.value());
        return Status::ok();
    });
    return finish(st, out);
}

Response delete_node(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto w = editable_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        const std::string node_id = req.path_param("nodeId");
        auto g = load_graph(tx, w.value());
        if (!g.ok()) return g.status();
        if (!g->find_node(node_id)) return Status::not_found("Node not found");
        if (w->status != WorkflowStatus::kDraft && resolve_entry_node(g.value()) == node_id) {
            return Status::conflict(
                "The entry node of a workflow that has started cannot be "
                "deleted");
        }
        // Leads on the node are not touched: they run on a published version, which keeps it.
        if (Status s = tx.delete_node(w->id, node_id); !s) return s;
        auto outcome = settle_edit(tx, ctx, req, w.value());
        if (!outcome.ok()) return outcome.status();
        out = json_response(200, message_json("Node deleted."));
        mark_edit_outcome(out, outcome.value());
        return Status::ok();
    });
    return finish(st, out);
}

// [SECTION] Edges

Response create_edge(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    Edge e;
    auto from = opt_string(body, "from_node_id", 100);
    if (!from.ok()) return status_response(from.status());
    auto to = opt_string(body, "to_node_id", 100);
    if (!to.ok()) return status_response(to.status());
    if (!from.value() || from.value()->empty())
        return error_response(400, "from_node_id is required");
    if (!to.value() || to.value()->empty()) return error_response(400, "to_node_id is required");
    e.from_node_id = **from;
    e.to_node_id = **to;
    bool has_label = false;
    if (Status s = read_label(body, &e.label, &has_label); !s) return status_response(s);
    auto position = opt_integer(body, "position");
    if (!position.ok()) return status_response(position.status());
    auto id = opt_string(body, "id", 100);
    if (!id.ok()) return status_response(id.status());
    e.id = id.value() && !id.value()->empty() ? **id : new_id("edge_");
    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto w = editable_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto g = load_graph(tx, w.value());
        if (!g.ok()) return g.status();
        const Node* src = g->find_node(e.from_node_id);
        if (!src) return Status::not_found("Node not found: " + e.from_node_id);
        if (!g->find_node(e.to_node_id))
            return Status::not_found("Node not found: " + e.to_node_id);
        if (is_terminal(src->type)) {
            return Status::invalid("A " + src->node_type_raw +
                                   " node is terminal and cannot have outgoing edges");
        }
        const std::size_t max = ctx.app.config().max_edges_per_workflow;
        if (g->edges.size() >= max) {
            return Status::conflict("The workflow is full: " + too_many_text("edges", max));
        }
        std::int64_t max_position = -1;
        for (const Edge& other : g->edges) {
            max_position = std::max(max_position, other.position);
            if (other.id == e.id) return Status::conflict("An edge with id " + e.id + " exists");
            if (other.from_node_id == e.from_node_id && other.to_node_id == e.to_node_id &&
                same_label(other.label, e.label)) {
                return Status::conflict("An identical edge already exists: " + other.id);
            }
        }
        e.position = position.value() ? **position : max_position + 1;
        if (Status s = tx.insert_edge(w->id, e); !s) return s;
        auto outcome = settle_edit(tx, ctx, req, w.value());
        if (!outcome.ok()) return outcome.status();
        out = json_response(201, with_workflow_id(to_json(e), w->id));
        mark_edit_outcome(out, outcome.value());
        return Status::ok();
    });
    return finish(st, out);
}

Response list_edges(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto edges = tx.list_edges(w->id);
        if (!edges.ok()) return edges.status();
        out = json_response(
            200, Json{{"data", list_with_workflow_id(edges_json(edges.value()), w->id)}});
        return Status::ok();
    });
    return finish(st, out);
}

Response update_edge(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    if (body.contains("from_node_id") || body.contains("to_node_id")) {
        return error_response(400,
                              "from_node_id and to_node_id cannot be changed; delete the "
                              "edge and create another");
    }
    std::optional<std::string> label;
    bool has_label = false;
    if (Status s = read_label(body, &label, &has_label); !s) return status_response(s);
    auto position = opt_integer(body, "position");
    if (!position.ok()) return status_response(position.status());
    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto w = editable_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto edges = tx.list_edges(w->id);
        if (!edges.ok()) return edges.status();
        const std::string edge_id = req.path_param("edgeId");
        auto it = std::find_if(edges->begin(), edges->end(),
                               [&](const Edge& x) { return x.id == edge_id; });
        if (it == edges->end()) return Status::not_found("Edge not found");
        Edge e = *it;
        if (has_label) e.label = label;
        if (position.value()) e.position = **position;
        for (const Edge& other : edges.value()) {
            if (other.id != e.id && other.from_node_id == e.from_node_id &&
                other.to_node_id == e.to_node_id && same_label(other.label, e.label)) {
                return Status::conflict("An identical edge already exists: " + other.id);
            }
        }
        if (Status s = tx.update_edge(w->id, e); !s) return s;
        auto outcome = settle_edit(tx, ctx, req, w.value());
        if (!outcome.ok()) return outcome.status();
        out = json_response(200, with_workflow_id(to_json(e), w->id));
        mark_edit_outcome(out, outcome.value());
        return Status::ok();
    });
    return finish(st, out);
}

Response delete_edge(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto w = editable_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        if (Status s = tx.delete_edge(w->id, req.path_param("edgeId")); !s) return s;
        auto outcome = settle_edit(tx, ctx, req, w.value());
        if (!outcome.ok()) return outcome.status();
        out = json_response(200, message_json("Edge deleted."));
        mark_edit_outcome(out, outcome.value());
        return Status::ok();
    });
    return finish(st, out);
}

// [SECTION] Scenario and simulation

// The core's scenario parser (parse_scenario) decides what a valid scenario is.
Status check_scenario(const Json& s) {
    return parse_scenario(s).status();
}

Response get_scenario(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto s = tx.get_scenario(w->id);
        if (!s.ok()) return s.status();
        out = json_response(200, s->is_null() ? Json::object() : s.value());
        return Status::ok();
    });
    return finish(st, out);
}

Response put_scenario(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    if (Status s = check_scenario(body); !s) return status_response(s);
    Status st = ctx.store.transact([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        return tx.put_scenario(w->id, body);
    });
    if (!st) return status_response(st);
    return json_response(200, body);
}

// Runs the simulator on the stored scenario, or on {"scenario": {...}} from the body, with
// optional "leads" and "seed" overrides, within limits::kMaxSimulationLeads (400 before the run)
// and limits::kMaxSimulationEvents (422 when the run needs more); 499 when the client left. The
// graph is read in one short read; the simulation runs outside any storage lock.
Response simulate_workflow(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err, false)) return err;
    Graph graph;
    Json scenario_json;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto g = load_graph(tx, w.value());
        if (!g.ok()) return g.status();
        graph = std::move(g.value());
        auto stored = tx.get_scenario(w->id);
        if (!stored.ok()) return stored.status();
        scenario_json = stored->is_null() ? Json::object() : stored.value();
        return Status::ok();
    });
    if (!st) return status_response(st);
    if (auto it = body.find("scenario"); it != body.end() && !it->is_null()) {
        if (!it->is_object()) return error_response(400, "scenario must be an object");
        scenario_json = *it;
    }
    for (const char* key : {"leads", "seed"}) {
        if (auto it = body.find(key); it != body.end() && !it->is_null()) scenario_json[key] = *it;
    }
    auto scenario = parse_scenario(scenario_json);
    if (!scenario.ok()) return status_response(scenario.status());
    if (scenario->leads > limits::kMaxSimulationLeads) {
        return error_response(400, "leads: the server simulates at most " +
                                       std::to_string(limits::kMaxSimulationLeads) +
                                       " leads per run (use leadflow-sim for more)");
    }
    // A CPU budget in events, and a stop when the client has gone: nobody reads the result.
    SimulateOptions options;
    options.max_events = ctx.app.config().max_simulation_events;
    options.should_stop = req.client_gone;
    auto results = simulate_graph(graph, scenario.value(), options);
    if (!results.ok()) return status_response(results.status());
    return json_response(200, results.value());
}

}  // namespace

// [SECTION] Registration

void register_graph_routes(Router& r) {
    r.add("GET", "/v1/workflows/{id}/graph", Access::kApiKey, get_graph,
          RouteDoc("Graph", "Read workflow, nodes and edges at once").reply("Graph"));
    r.add("PUT", "/v1/workflows/{id}/graph", Access::kApiKey, put_graph,
          RouteDoc("Graph",
                   "Replace the draft's nodes and edges atomically (an active workflow publishes a "
                   "valid draft at once; ?publish=false saves the draft only)")
              .reply("Graph")
              .json_body("GraphInput")
              .params(QueryKind::kGraphPut));
    r.add("POST", "/v1/workflows/{id}/nodes", Access::kApiKey, create_node,
          RouteDoc("Graph", "Create a node").status(201).reply("Node").json_body("NodeInput"));
    r.add("GET", "/v1/workflows/{id}/nodes", Access::kApiKey, list_nodes,
          RouteDoc("Graph", "List nodes").reply("NodeList"));
    r.add("GET", "/v1/workflows/{id}/nodes/{nodeId}", Access::kApiKey, get_node,
          RouteDoc("Graph", "Read a node").reply("Node"));
    r.add("PATCH", "/v1/workflows/{id}/nodes/{nodeId}", Access::kApiKey, update_node,
          RouteDoc("Graph", "Update label, position, config (node_type is immutable)")
              .reply("Node")
              .json_body("NodePatch"));
    r.add("DELETE", "/v1/workflows/{id}/nodes/{nodeId}", Access::kApiKey, delete_node,
          RouteDoc("Graph", "Delete a node and its edges"));
    r.add("POST", "/v1/workflows/{id}/edges", Access::kApiKey, create_edge,
          RouteDoc("Graph", "Create an edge").status(201).reply("Edge").json_body("EdgeInput"));
    r.add("GET", "/v1/workflows/{id}/edges", Access::kApiKey, list_edges,
          RouteDoc("Graph", "List edges in edge order").reply("EdgeList"));
    r.add("PATCH", "/v1/workflows/{id}/edges/{edgeId}", Access::kApiKey, update_edge,
          RouteDoc("Graph", "Update label or position").reply("Edge").json_body("EdgePatch"));
    r.add("DELETE", "/v1/workflows/{id}/edges/{edgeId}", Access::kApiKey, delete_edge,
          RouteDoc("Graph", "Delete an edge"));
    r.add("GET", "/v1/workflows/{id}/scenario", Access::kApiKey, get_scenario,
          RouteDoc("Simulation", "Read the stored simulation scenario").reply("Scenario"));
    r.add("PUT", "/v1/workflows/{id}/scenario", Access::kApiKey, put_scenario,
          RouteDoc("Simulation", "Store the simulation scenario")
              .reply("Scenario")
              .json_body("Scenario"));
    r.add("POST", "/v1/workflows/{id}/simulate", Access::kApiKey, simulate_workflow,
          RouteDoc("Simulation", "Simulate the stored or given scenario ({scenario, leads, seed})")
              .reply("SimulationResults")
              .optional_json_body("SimulateRequest"));
}

}  // namespace leadflow::server
