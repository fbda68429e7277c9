// leadflow/graph_diff.hpp — what changed between two versions of a workflow graph: nodes and
// edges added, removed and changed field by field, and the workflow-level changes (entry node,
// settings), as plain data and as JSON.
//
// Nodes are matched by id and edges by id (a graph with duplicate ids — which the wire decoder
// refuses — is matched by the first of each). Only what the engine and the editor read is
// compared: fields kept in `extra` (unknown or server-computed keys) and the workflow's
// metadata (title, description, status, timestamps) are not.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"

namespace leadflow {

// One changed field. `before` / `after` are nullopt when the field is absent on that side (a
// config key added or removed); a present JSON null is Json(nullptr).
struct FieldChange {
    std::string field;
    std::optional<Json> before;
    std::optional<Json> after;
};

// A node or edge present in both graphs whose fields differ.
struct ElementChange {
    std::string id;
    // The element's label in the newer graph: a node's label (a string), an edge's label
    // (a string, or null when unlabelled).
    Json label;
    std::vector<FieldChange> changes;  // never empty
};

struct GraphDiff {
    std::vector<Node> nodes_added;              // in b only, by id
    std::vector<Node> nodes_removed;            // in a only, by id
    std::vector<ElementChange> nodes_changed;   // by id
    std::vector<Edge> edges_added;              // in b only, by id
    std::vector<Edge> edges_removed;            // in a only, by id
    std::vector<ElementChange> edges_changed;   // by id
    std::vector<FieldChange> workflow_changes;  // entry_node_id, then settings in wire order

    // True when nothing above changed.
    bool empty() const;
};

// The changes that turn graph `a` into graph `b`. Never fails. Deterministic: elements are
// ordered by id (byte order), and each element's changes in a fixed field order:
//
//   node:  "node_type", "label", "position_x", "position_y", then "config.<path>"
//   edge:  "from_node_id", "to_node_id", "label", "position"
//   workflow: "entry_node_id", then "settings.<key>" in the order of to_json(Settings)
//             (timezone, calling_window, max_concurrent_calls, max_steps_per_lead,
//             auto_complete, default_region, then unknown keys of `a`, then those only in `b`)
//
// A node's config is compared key by key, recursively, so that one changed nested value is
// one change. A path names object keys with dots and array elements with [i]
// ("config.conditions[1].value", "config.action_config.headers.X-Token"); keys are visited in
// byte order and written unescaped (a key holding "." or "[" reads like a deeper path). Arrays of
// equal length are compared element by element; arrays of different lengths, and values whose JSON
// type differs (an object became a string), are one change of the whole value. A key present on one
// side only is a change with `before` or `after` absent. Numbers compare by value (1 equals 1.0).
// Edge labels compare as written, except that null, absent and "" are one value: no label (the
// unlabelled default edge); "before"/"after" show it as null. Settings values are those of
// to_json(Settings) (defaults filled in), compared whole per key.
GraphDiff diff_graphs(const Graph& a, const Graph& b);

// The diff as JSON:
//
//   {"nodes": {"added":   [<node, as to_json(Node)>…],
//              "removed": [<node>…],
//              "changed": [{"id": "node_1", "label": "First call",
//                           "changes": [{"field": "config.agent_id",
//                                        "before": "agent_a", "after": "agent_b"}…]}…]},
//    "edges": {"added": [<edge, as to_json(Edge)>…], "removed": […],
//              "changed": [{"id": "edge_1", "label": "DNP" | null, "changes": […]}…]},
//    "workflow": {"changes": [{"field": "settings.timezone", "before": "UTC",
//                              "after": "Asia/Kolkata"}…]},
//    "summary": {"nodes_added": n, "nodes_removed": n, "nodes_changed": n,
//                "edges_added": n, "edges_removed": n, "edges_changed": n,
//                "workflow_changes": n, "empty": bool}}
//
// A change object omits "before" when the field was absent in `a` and "after" when it is
// absent in `b` (a config key added or removed); a null value is written as null.
Json to_json(const GraphDiff& d);

}  // namespace leadflow
