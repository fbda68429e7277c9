// Graph diff: nodes and edges matched by id, configs compared key by key.
#include "leadflow/graph_diff.hpp"

#include <map>
#include <set>

#include "leadflow/wire.hpp"

namespace leadflow {

namespace {

std::optional<Json> present(const Json* v) {
    return v != nullptr ? std::optional<Json>(*v) : std::nullopt;
}

// Appends the changes between `a` and `b` under `path`; nullptr = absent.
void diff_values(const std::string& path, const Json* a, const Json* b,
                 std::vector<FieldChange>& out) {
    if (a == nullptr || b == nullptr) {
        if (a != b) out.push_back({path, present(a), present(b)});
        return;
    }
    if (a->is_object() && b->is_object()) {
        // ordered_json keeps insertion order; the diff visits keys in byte order, so that
        // reordered keys are no change and the output does not depend on either order.
        std::set<std::string> keys;
        for (auto it = a->begin(); it != a->end(); ++it) keys.insert(it.key());
        for (auto it = b->begin(); it != b->end(); ++it) keys.insert(it.key());
        for (const std::string& k : keys) {
            auto ia = a->find(k), ib = b->find(k);
            diff_values(path + "." + k, ia != a->end() ? &*ia : nullptr,
                        ib != b->end() ? &*ib : nullptr, out);
        }
        return;
    }
    if (a->is_array() && b->is_array() && a->size() == b->size()) {
        for (std::size_t i = 0; i < a->size(); ++i) {
            diff_values(path + "[" + std::to_string(i) + "]", &(*a)[i], &(*b)[i], out);
        }
        return;
    }
    // Scalars (numbers by value), arrays of different lengths, different types.
    if (!(*a == *b)) out.push_back({path, *a, *b});
}

// Equal as the diff sees values: objects whatever their key order, numbers by value.
bool same(const Json& a, const Json& b) {
    std::vector<FieldChange> changes;
    diff_values("", &a, &b, changes);
    return changes.empty();
}

// One field compared whole.
void diff_field(const std::string& field, const Json& a, const Json& b,
                std::vector<FieldChange>& out) {
    if (!same(a, b)) out.push_back({field, a, b});
}

// null for every form of "no label" the model treats alike on the wire (nullopt, "").
Json label_json(const std::optional<std::string>& label) {
    return label && !label->empty() ? Json(*label) : Json(nullptr);
}

template <typename T>
std::map<std::string, const T*> by_id(const std::vector<T>& items) {
    std::map<std::string, const T*> m;
    for (const T& x : items) m.emplace(x.id, &x);  // the first of duplicate ids wins
    return m;
}

std::vector<FieldChange> diff_node(const Node& a, const Node& b) {
    const Json ja = to_json(a), jb = to_json(b);
    std::vector<FieldChange> out;
    for (const char* f : {"node_type", "label", "position_x", "position_y"}) {
        diff_field(f, ja[f], jb[f], out);
    }
    diff_values("config", &a.config, &b.config, out);
    return out;
}

std::vector<FieldChange> diff_edge(const Edge& a, const Edge& b) {
    std::vector<FieldChange> out;
    diff_field("from_node_id", Json(a.from_node_id), Json(b.from_node_id), out);
    diff_field("to_node_id", Json(a.to_node_id), Json(b.to_node_id), out);
    diff_field("label", label_json(a.label), label_json(b.label), out);
    diff_field("position", Json(a.position), Json(b.position), out);
    return out;
}

// Adds, removes and changes of one kind of element, in id order.
template <typename T, typename Diff, typename Label>
void diff_elements(const std::vector<T>& a, const std::vector<T>& b, Diff diff, Label label,
                   std::vector<T>& added, std::vector<T>& removed,
                   std::vector<ElementChange>& changed) {
    const auto ma = by_id(a), mb = by_id(b);
    for (const auto& [id, x] : ma) {
        auto it = mb.find(id);
        if (it == mb.end()) {
            removed.push_back(*x);
            continue;
        }
        std::vector<FieldChange> changes = diff(*x, *it->second);
        if (!changes.empty()) changed.push_back({id, label(*it->second), std::move(changes)});
    }
    for (const auto& [id, x] : mb) {
        if (ma.find(id) == ma.end()) added.push_back(*x);
    }
}

Json change_json(const FieldChange& c) {
    Json j = Json::object();
    j["field"] = c.field;
    if (c.before) j["before"] = *c.before;
    if (c.after) j["after"] = *c.after;
    return j;
}

Json changes_json(const std::vector<FieldChange>& changes) {
    Json j = Json::array();
    for (const FieldChange& c : changes) j.push_back(change_json(c));
    return j;
}

template <typename T>
Json section_json(const std::vector<T>& added, const std::vector<T>& removed,
                  const std::vector<ElementChange>& changed) {
    Json j = Json::object();
    j["added"] = Json::array();
    for (const T& x : added) j["added"].push_back(to_json(x));
    j["removed"] = Json::array();
    for (const T& x : removed) j["removed"].push_back(to_json(x));
    j["changed"] = Json::array();
    for (const ElementChange& c : changed) {
        j["changed"].push_back(
            Json{{"id", c.id}, {"label", c.label}, {"changes", changes_json(c.changes)}});
    }
    return j;
}

}  // namespace

bool GraphDiff::empty() const {
    return nodes_added.empty() && nodes_removed.empty() && nodes_changed.empty() &&
           edges_added.empty() && edges_removed.empty() && edges_changed.empty() &&
           workflow_changes.empty();
}

GraphDiff diff_graphs(const Graph& a, const Graph& b) {
    GraphDiff d;
    diff_elements(
        a.nodes, b.nodes, diff_node, [](const Node& n) { return Json(n.label); }, d.nodes_added,
        d.nodes_removed, d.nodes_changed);
    diff_elements(
        a.edges, b.edges, diff_edge, [](const Edge& e) { return label_json(e.label); },
        d.edges_added, d.edges_removed, d.edges_changed);

    diff_field("entry_node_id", label_json(a.workflow.entry_node_id),
               label_json(b.workflow.entry_node_id), d.workflow_changes);
    const Json sa = to_json(a.workflow.settings), sb = to_json(b.workflow.settings);
    std::vector<std::string> keys;
    for (auto it = sa.begin(); it != sa.end(); ++it) keys.push_back(it.key());
    for (auto it = sb.begin(); it != sb.end(); ++it) {
        if (!sa.contains(it.key())) keys.push_back(it.key());
    }
    for (const std::string& k : keys) {
        auto ia = sa.find(k), ib = sb.find(k);
        if (ia == sa.end() || ib == sb.end()) {
            d.workflow_changes.push_back({"settings." + k,
                                          ia != sa.end() ? present(&*ia) : std::nullopt,
                                          ib != sb.end() ? present(&*ib) : std::nullopt});
        } else {
            diff_field("settings." + k, *ia, *ib, d.workflow_changes);
        }
    }
    return d;
}

Json to_json(const GraphDiff& d) {
    Json j = Json::object();
    j["nodes"] = section_json(d.nodes_added, d.nodes_removed, d.nodes_changed);
    j["edges"] = section_json(d.edges_added, d.edges_removed, d.edges_changed);
    j["workflow"] = Json{{"changes", changes_json(d.workflow_changes)}};
    Json s = Json::object();
    s["nodes_added"] = d.nodes_added.size();
    s["nodes_removed"] = d.nodes_removed.size();
    s["nodes_changed"] = d.nodes_changed.size();
    s["edges_added"] = d.edges_added.size();
    s["edges_removed"] = d.edges_removed.size();
    s["edges_changed"] = d.edges_changed.size();
    s["workflow_changes"] = d.workflow_changes.size();
    s["empty"] = d.empty();
    j["summary"] = s;
    return j;
}

}  // namespace leadflow
