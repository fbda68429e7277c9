// web/app/versions_data.hpp — the workflow-versions UI's data without a browser (docs/versions.md):
// reading the server's answers (a page of versions, a publish dry run, a publish, a diff) into
// view models, the line that says how the draft stands against the newest version, and a diff
// laid out for the canvas (marks on the editor's nodes and edges, ghosts of removed ones where
// they were in the version). Pure, so it is unit-tested natively; versions_client.cpp sends the
// requests and versions_panel.cpp / diff_overlay.cpp draw the results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "geometry.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

// [SECTION] Version list

// One row of GET /v1/workflows/{id}/versions.
struct VersionRow {
    std::int64_t number = 0;
    std::string created_at;    // as the server wrote it (ISO 8601)
    std::string note;          // "" when none
    std::string migrate;       // "keep" or "move"
    std::string published_by;  // the API key's id; "" when the server published it
    std::int64_t node_count = 0;
    std::int64_t edge_count = 0;
    bool current = false;  // the workflow's newest version (new leads start on it)
};

struct VersionPage {
    std::vector<VersionRow> rows;  // newest first, as served
    std::int64_t page = 1;
    std::int64_t limit = 0;
    std::int64_t total = 0;        // versions of the workflow
    std::int64_t total_pages = 0;  // at least 1 once read
};

// Reads a page of versions ({"data": [...], "meta": {page, limit, total, totalPages}}).
// kInvalidArgument "versions answer: …" when the shape is not the documented one (a row
// without an integer number, no data list, no meta).
Result<VersionPage> read_version_page(const Json& body);

// [SECTION] Publishing

// What a publish would do (the dry run's 200 answer) — or did (the 201 answer, with
// `published` set).
struct PublishPreview {
    bool valid = false;            // the draft passes activation-grade validation
    std::int64_t version = 0;      // the number the version gets
    std::string migrate;           // "keep" or "move"
    std::int64_t move = 0;         // running leads that move to the new version
    std::int64_t stay = 0;         // running leads that stay on their version
    std::int64_t not_started = 0;  // leads that start on the new version
    // "12 leads stay on version 2 at node_old_call", one line per (version, node).
    std::vector<std::string> stay_lines;
    std::vector<std::string> errors;    // "CODE: message" per error diagnostic
    std::vector<std::string> warnings;  // the same for warnings
};

// Reads a dry run's answer ({dry_run, valid, version, migrate, leads: {move, stay, not_started,
// stay_by_node}, errors, warnings}). kInvalidArgument "dry run answer: …" for another shape.
Result<PublishPreview> read_publish_preview(const Json& body);

// Reads a publish's 201 answer ({version: {number, …}, leads, warnings}) into the preview shape
// (valid is true, version the new number). kInvalidArgument "publish answer: …" otherwise.
Result<PublishPreview> read_publish_result(const Json& body);

// [SECTION] Diff

// One changed field, its values as compact JSON text; nullopt when the field is absent on
// that side (a config key added or removed).
struct DiffChange {
    std::string field;
    std::optional<std::string> before;
    std::optional<std::string> after;
};

// A node or edge of the diff: added and removed ones have no changes.
struct DiffElement {
    std::string id;
    std::string label;      // the node's label, the edge's label ("" when unlabelled)
    std::string node_type;  // nodes only
    std::vector<DiffChange> changes;
};

// GET /v1/workflows/{id}/versions/{a}/diff/{b} read for display (leadflow/graph_diff.hpp's
// to_json). "a" is `from`, "b" is `to`: added means in `to` only.
struct DiffView {
    std::string from, to;
    std::vector<DiffElement> nodes_added, nodes_removed, nodes_changed;
    std::vector<DiffElement> edges_added, edges_removed, edges_changed;
    std::vector<DiffChange> workflow_changes;
    // The removed nodes and edges as the diff carries them (whole objects; a fallback for where
    // to draw ghosts when the version graph is not at hand).
    std::vector<Node> removed_nodes;
    std::vector<Edge> removed_edges;
    // Nothing changed at all.
    bool empty() const;
    // Something changed besides node positions: the graphs run differently (what the server's
    // publish-on-edit compares; positions alone do not count).
    bool runs_differently() const;
};

// Reads a diff answer. kInvalidArgument "diff answer: …" when it does not have the shape of
// graph_diff.hpp's to_json (nodes/edges with added/removed/changed lists, workflow.changes).
Result<DiffView> read_diff(const Json& body);

// True when every change of a changed node is to position_x / position_y.
bool only_moved(const DiffElement& node);

// The line the Versions section shows about the draft: "Not published yet" (no version),
// "Draft matches version N" (empty diff), "Draft differs from version N" (runs differently),
// "Draft differs from version N in node positions only". `diff` is the diff from version N
// (the newest) to the draft; nullptr while it is not known: "Draft vs version N: checking...".
std::string draft_status_line(std::optional<std::int64_t> published, const DiffView* diff);

// [SECTION] Diff on the canvas

enum class DiffMark { kNone, kAdded, kChanged, kMoved };

// A node of the version that the draft no longer has, drawn where it was in the version.
struct GhostNode {
    std::string id;
    std::string label;
    NodeType type = NodeType::kUnknown;
    Rect world;  // its card, world units
};
// An edge of the version that the draft no longer has. It is drawn routed around the cards on
// the canvas (ghost_routes.hpp); an end whose node the draft no longer has stays where the
// version had it.
struct GhostEdge {
    std::string id;
    std::string label;
    Edge edge;   // as the version had it (its ends and label pick the pins)
    Vec2 start;  // its source pin in the version (world units)
    Vec2 start_dir{1.0f,
                   0.0f};  // the way it left: {1, 0} from a pin, {0, 1} from the card's bottom
    Vec2 end;              // its target's input pin in the version
};

struct DiffOverlay {
    // The marks of the draft's (the editor's) nodes and edges, by id: added, changed, or (nodes)
    // moved only. Absent: unchanged.
    std::unordered_map<std::string, DiffMark> nodes;
    std::unordered_map<std::string, DiffMark> edges;
    // Changed fields per changed node (for its "N changes" badge).
    std::unordered_map<std::string, int> node_changes;
    std::vector<GhostNode> ghost_nodes;
    std::vector<GhostEdge> ghost_edges;
};

// Lays a diff (version → draft) out for the canvas. Ghost nodes take their card rectangle from
// `version_graph` (the graph of GET …/versions/{n}: the cards' sizes follow their type and
// config as in the editor) and fall back to the diff's own copy of the removed node. Ghost
// edges carry their ends' pins in the version graph; a removed edge whose ends are not both in
// the version graph gets no ghost.
DiffOverlay diff_overlay(const DiffView& diff, const Graph& version_graph);

}  // namespace leadflow::web
