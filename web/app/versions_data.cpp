// web/app/versions_data.cpp — reading the versions API's answers and laying a diff out for the
// canvas.
#include "versions_data.hpp"

#include "graph_index.hpp"
#include "json_fields.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::web {

namespace {

std::string plural(std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::vector<std::string> diagnostic_lines(const Json& list) {
    std::vector<std::string> out;
    if (!list.is_array()) return out;
    for (const Json& d : list) {
        if (d.is_string()) {
            out.push_back(d.get<std::string>());
            continue;
        }
        const std::string code = json_str(d, "code"), message = json_str(d, "message");
        out.push_back(code.empty() ? message : code + ": " + message);
    }
    return out;
}

// The lead counts shared by the dry run and the publish answers.
Status read_leads(const Json& leads, PublishPreview* p, const std::string& what) {
    if (!leads.is_object() || !json_int(leads, "move", &p->move) ||
        !json_int(leads, "stay", &p->stay) || !json_int(leads, "not_started", &p->not_started)) {
        return Status::invalid(what + ": no lead counts {move, stay, not_started}");
    }
    if (leads.contains("stay_by_node") && leads["stay_by_node"].is_array()) {
        for (const Json& s : leads["stay_by_node"]) {
            std::int64_t n = 0, v = 0;
            if (!json_int(s, "leads", &n) || !json_int(s, "version", &v)) continue;
            p->stay_lines.push_back(plural(n, "lead stays", "leads stay") + " on version " +
                                    std::to_string(v) + " at " + json_str(s, "node_id"));
        }
    }
    return Status::ok();
}

std::optional<std::string> value_text(const Json& change, const char* key) {
    if (!change.contains(key)) return std::nullopt;
    return change[key].dump();
}

Status read_changes(const Json& list, std::vector<DiffChange>* out, const std::string& where) {
    if (!list.is_array()) return Status::invalid("diff answer: " + where + " is not a list");
    for (const Json& c : list) {
        if (!c.is_object() || !c.contains("field") || !c["field"].is_string()) {
            return Status::invalid("diff answer: a change in " + where + " has no field");
        }
        out->push_back(
            {c["field"].get<std::string>(), value_text(c, "before"), value_text(c, "after")});
    }
    return Status::ok();
}

// Reads {"added": [...], "removed": [...], "changed": [...]} of nodes or edges.
Status read_section(const Json& body, const char* name, std::vector<DiffElement>* added,
                    std::vector<DiffElement>* removed, std::vector<DiffElement>* changed) {
    const std::string where = name;
    if (!body.contains(name) || !body[name].is_object()) {
        return Status::invalid("diff answer: no " + where);
    }
    const Json& s = body[name];
    for (const char* key : {"added", "removed", "changed"}) {
        if (!s.contains(key) || !s[key].is_array()) {
            return Status::invalid("diff answer: no " + where + "." + key + " list");
        }
    }
    const bool nodes = where == "nodes";
    auto element = [&](const Json& e) {
        DiffElement d;
        d.id = json_str(e, "id");
        d.label = json_str(e, "label");
        if (nodes) d.node_type = json_str(e, "node_type");
        return d;
    };
    for (const Json& e : s["added"]) added->push_back(element(e));
    for (const Json& e : s["removed"]) removed->push_back(element(e));
    for (const Json& e : s["changed"]) {
        DiffElement d = element(e);
        if (d.id.empty()) return Status::invalid("diff answer: a changed element has no id");
        Status st = read_changes(e.contains("changes") ? e["changes"] : Json(nullptr), &d.changes,
                                 where + "." + d.id);
        if (!st.is_ok()) return st;
        changed->push_back(std::move(d));
    }
    return Status::ok();
}

}  // namespace

// [SECTION] Version list

Result<VersionPage> read_version_page(const Json& body) {
    auto bad = [](const std::string& what) { return Status::invalid("versions answer: " + what); };
    if (!body.is_object() || !body.contains("data") || !body["data"].is_array()) {
        return bad("no data list");
    }
    if (!body.contains("meta") || !body["meta"].is_object()) return bad("no meta");
    VersionPage out;
    const Json& meta = body["meta"];
    if (!json_int(meta, "total", &out.total)) return bad("no meta.total");
    json_int(meta, "page", &out.page);
    json_int(meta, "limit", &out.limit);
    if (!json_int(meta, "totalPages", &out.total_pages)) out.total_pages = 1;
    if (out.total_pages < 1) out.total_pages = 1;
    for (const Json& v : body["data"]) {
        VersionRow r;
        if (!json_int(v, "number", &r.number)) return bad("a version without a number");
        r.created_at = json_str(v, "created_at");
        r.note = json_str(v, "note");
        r.migrate = json_str(v, "migrate");
        r.published_by = json_str(v, "published_by");
        json_int(v, "node_count", &r.node_count);
        json_int(v, "edge_count", &r.edge_count);
        r.current = v.contains("current") && v["current"].is_boolean() && v["current"].get<bool>();
        out.rows.push_back(std::move(r));
    }
    return out;
}

// [SECTION] Publishing

Result<PublishPreview> read_publish_preview(const Json& body) {
    const std::string what = "dry run answer";
    PublishPreview p;
    if (!body.is_object() || !body.contains("valid") || !body["valid"].is_boolean()) {
        return Status::invalid(what + ": no valid flag");
    }
    p.valid = body["valid"].get<bool>();
    if (!json_int(body, "version", &p.version)) return Status::invalid(what + ": no version");
    p.migrate = json_str(body, "migrate");
    Status s = read_leads(body.contains("leads") ? body["leads"] : Json(nullptr), &p, what);
    if (!s.is_ok()) return s;
    p.errors = diagnostic_lines(body.contains("errors") ? body["errors"] : Json(nullptr));
    p.warnings = diagnostic_lines(body.contains("warnings") ? body["warnings"] : Json(nullptr));
    return p;
}

Result<PublishPreview> read_publish_result(const Json& body) {
    const std::string what = "publish answer";
    PublishPreview p;
    p.valid = true;
    if (!body.is_object() || !body.contains("version") ||
        !json_int(body["version"], "number", &p.version)) {
        return Status::invalid(what + ": no version number");
    }
    p.migrate = json_str(body["version"], "migrate");
    Status s = read_leads(body.contains("leads") ? body["leads"] : Json(nullptr), &p, what);
    if (!s.is_ok()) return s;
    p.warnings = diagnostic_lines(body.contains("warnings") ? body["warnings"] : Json(nullptr));
    return p;
}

// [SECTION] Diff

bool DiffView::empty() const {
    return nodes_added.empty() && nodes_removed.empty() && nodes_changed.empty() &&
           edges_added.empty() && edges_removed.empty() && edges_changed.empty() &&
           workflow_changes.empty();
}

bool only_moved(const DiffElement& node) {
    for (const DiffChange& c : node.changes) {
        if (c.field != "position_x" && c.field != "position_y") return false;
    }
    return true;
}

bool DiffView::runs_differently() const {
    if (!nodes_added.empty() || !nodes_removed.empty() || !edges_added.empty() ||
        !edges_removed.empty() || !edges_changed.empty() || !workflow_changes.empty()) {
        return true;
    }
    for (const DiffElement& n : nodes_changed) {
        if (!only_moved(n)) return true;
    }
    return false;
}

Result<DiffView> read_diff(const Json& body) {
    if (!body.is_object()) return Status::invalid("diff answer: not an object");
    DiffView d;
    d.from = body.contains("from") ? (body["from"].is_string() ? body["from"].get<std::string>()
                                                               : body["from"].dump())
                                   : "";
    d.to = body.contains("to")
               ? (body["to"].is_string() ? body["to"].get<std::string>() : body["to"].dump())
               : "";
    Status s = read_section(body, "nodes", &d.nodes_added, &d.nodes_removed, &d.nodes_changed);
    if (!s.is_ok()) return s;
    s = read_section(body, "edges", &d.edges_added, &d.edges_removed, &d.edges_changed);
    if (!s.is_ok()) return s;
    if (!body.contains("workflow") || !body["workflow"].is_object()) {
        return Status::invalid("diff answer: no workflow");
    }
    s = read_changes(
        body["workflow"].contains("changes") ? body["workflow"]["changes"] : Json(nullptr),
        &d.workflow_changes, "workflow.changes");
    if (!s.is_ok()) return s;
    // Whole removed objects, for ghosts when no version graph is at hand.
    for (const Json& n : body["nodes"]["removed"]) {
        Result<Node> node = node_from_json(n, "nodes.removed");
        if (node.ok()) d.removed_nodes.push_back(std::move(*node));
    }
    for (const Json& e : body["edges"]["removed"]) {
        Result<Edge> edge = edge_from_json(e, "edges.removed");
        if (edge.ok()) d.removed_edges.push_back(std::move(*edge));
    }
    return d;
}

std::string draft_status_line(std::optional<std::int64_t> published, const DiffView* diff) {
    if (!published) return "Not published yet";
    const std::string v = "version " + std::to_string(*published);
    if (!diff) return "Draft vs " + v + ": checking...";
    if (diff->empty()) return "Draft matches " + v;
    if (diff->runs_differently()) return "Draft differs from " + v;
    return "Draft differs from " + v + " in node positions only";
}

// [SECTION] Diff on the canvas

DiffOverlay diff_overlay(const DiffView& diff, const Graph& version_graph) {
    DiffOverlay out;
    for (const DiffElement& n : diff.nodes_added) out.nodes[n.id] = DiffMark::kAdded;
    for (const DiffElement& n : diff.nodes_changed) {
        out.nodes[n.id] = only_moved(n) ? DiffMark::kMoved : DiffMark::kChanged;
        out.node_changes[n.id] = static_cast<int>(n.changes.size());
    }
    for (const DiffElement& e : diff.edges_added) out.edges[e.id] = DiffMark::kAdded;
    for (const DiffElement& e : diff.edges_changed) out.edges[e.id] = DiffMark::kChanged;

    GraphIndex version_index;
    version_index.build(version_graph);
    for (const DiffElement& removed : diff.nodes_removed) {
        GhostNode ghost;
        ghost.id = removed.id;
        ghost.label = removed.label;
        ghost.type = parse_node_type(removed.node_type);
        const int i = version_index.node_index(removed.id);
        if (i >= 0) {
            const Node& n = version_graph.nodes[static_cast<std::size_t>(i)];
            ghost.type = n.type;
            ghost.label = n.label;
            ghost.world = version_index.node_rect(version_graph, i);
        } else {
            const Node* copy = nullptr;
            for (const Node& n : diff.removed_nodes) {
                if (n.id == removed.id) copy = &n;
            }
            if (!copy) continue;
            const NodeShape shape = node_shape(*copy);
            const Vec2 at{static_cast<float>(copy->position_x),
                          static_cast<float>(copy->position_y)};
            ghost.world = {at, at + Vec2{shape.width, shape.height}};
        }
        out.ghost_nodes.push_back(std::move(ghost));
    }
    for (const DiffElement& removed : diff.edges_removed) {
        const int e = version_index.edge_index(removed.id);
        if (e < 0) continue;
        const GraphIndex::EdgeEnds& ends = version_index.edge_ends(e);
        if (ends.from < 0 || ends.to < 0) continue;
        GhostEdge ghost;
        ghost.id = removed.id;
        ghost.label = removed.label;
        ghost.edge = version_graph.edges[static_cast<std::size_t>(e)];
        ghost.start = version_index.output_pin_world(version_graph, ends.from, ends.pin);
        ghost.start_dir = GraphIndex::output_direction(ends.pin);
        ghost.end = version_index.input_pin_world(version_graph, ends.to);
        out.ghost_edges.push_back(std::move(ghost));
    }
    return out;
}

}  // namespace leadflow::web
