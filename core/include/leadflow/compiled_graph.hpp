// leadflow/compiled_graph.hpp — a workflow graph compiled for the engine: dense node and edge
// indices, pre-parsed node configs and the pre-computed edge choice (the first edge whose label
// matches, else the unlabelled default; docs/workflows.md#edges-and-the-edge-choice-rule), so that
// moving a lead touches arrays, never maps or JSON.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leadflow/calling_window.hpp"
#include "leadflow/conditions.hpp"
#include "leadflow/model.hpp"
#include "leadflow/node_config.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

// Fixed outcome labels a node can emit, for pre-computed routes.
enum class RouteLabel : std::uint8_t {
    kCompleted,
    kNoAnswer,
    kBusy,
    kVoicemail,
    kFailed,  // = CallOutcome values
    kTrue,
    kFalse,  // CONDITIONAL, boolean mode
    kSuccess,
    kFailure,  // APPLICATION
    kNone,     // TIME (no label: default edge only)
};
constexpr int kRouteLabelCount = 10;

struct CompiledEdge {
    std::int32_t from = -1;  // node index
    std::int32_t to = -1;    // node index
    std::string label_norm;  // trimmed, upper case; empty = unlabelled
};

struct CompiledNode {
    NodeType type = NodeType::kUnknown;
    // Outgoing edge indices in edge order (position, then list order).
    std::vector<std::int32_t> out;
    // The edge choice rule applied once per fixed label: the edge taken, or -1 (stuck).
    std::array<std::int32_t, kRouteLabelCount> route{};
    std::int32_t default_edge = -1;  // first unlabelled outgoing edge, or -1
    // TIME
    TimeConfig time;
    int pca_key = -1;  // postcall_analysis: the pca field's key in field_names
    // CONDITIONAL
    bool switch_mode = false;
    bool logic_or = false;
    std::vector<CompiledCondition> conditions;
    FieldRef switch_field;
    // SPLIT: the branches' weights and labels in config order, and the edge each branch takes
    // (the edge choice rule applied to its label: the first edge with that label, else the
    // default edge, else -1 = stuck).
    std::vector<double> split_weights;
    std::vector<std::string> split_labels;
    std::vector<std::int32_t> split_edges;
    // VOICE_CALL and APPLICATION: the typed configs the shells act on when they place the call
    // or run the action (the engine does not read them). Defaults when a config does not parse:
    // validation reports that, and activation refuses it.
    VoiceCallConfig call;
    ApplicationConfig action;
};

class CompiledGraph {
  public:
    const Graph& graph() const { return graph_; }
    const std::vector<CompiledNode>& nodes() const { return nodes_; }
    const std::vector<CompiledEdge>& edges() const { return edges_; }
    std::int32_t entry() const { return entry_; }
    // Names read by conditions and pca fields (FieldRef keys index this table).
    const std::vector<std::string>& field_names() const { return field_names_; }
    // The compiled calling window; only meaningful when has_window().
    const CompiledWindow& window() const { return *window_; }
    bool has_window() const { return window_.has_value(); }
    // The compiled local calling hours (settings.respect_lead_local_time on); only meaningful
    // when has_local_hours().
    const CompiledWindow& local_hours() const { return *local_hours_; }
    bool has_local_hours() const { return local_hours_.has_value(); }
    // settings.max_concurrent_calls; -1 = unlimited.
    int max_concurrent_calls() const { return max_concurrent_; }
    int max_steps() const { return max_steps_; }

    // Node index by id; -1 when absent.
    std::int32_t node_index(const std::string& id) const;
    const std::string& node_id(std::int32_t index) const;
    const std::string& edge_id(std::int32_t index) const;

    // The edge the edge choice rule takes at node `n` for a dynamic outcome label (switch): first
    // label equal to `label` (trimmed, case-insensitive), else the default edge, else -1.
    std::int32_t route_dynamic(std::int32_t n, std::string_view label) const;

  private:
    friend Result<CompiledGraph> compile_graph(const Graph& g);
    Graph graph_;
    std::vector<CompiledNode> nodes_;
    std::vector<CompiledEdge> edges_;
    std::vector<std::string> field_names_;
    std::optional<CompiledWindow> window_;
    std::optional<CompiledWindow> local_hours_;
    int max_concurrent_ = -1;
    int max_steps_ = 1000;
    std::int32_t entry_ = -1;
};

// One field reference in a node's config, as compile_graph reads it: where it is written and
// the path it hands to parse_field_ref.
struct ConfigFieldRef {
    std::string
        where;  // "config.pca_field", "config.condition_field", "config.conditions[1].field"
    std::string field;  // as written (trimmed); may be empty
    std::string path;   // parsed: `field`, or "call.analysis." + `field` for a pca_field
};

// Every field reference compile_graph parses in node `n`, in the order it parses them: a TIME
// node with time_source postcall_analysis has its pca_field; a CONDITIONAL in switch mode its
// condition_field; one in boolean mode each condition's field, in condition order. Other node
// types, and configs that do not parse (compile_graph and validate report those on their own),
// have none. compile_graph and validate both read references through this function, so a
// reference validate accepts is one compile_graph accepts.
std::vector<ConfigFieldRef> config_field_refs(const Node& n);

// Compiles a graph for the engine. Fails with kFailedPrecondition when no entry node can be
// resolved (none, several, or entry_node_id naming no node; see resolve_entry_node) and with
// kInvalidArgument, naming the node, for configs the engine cannot run: a TIME without a positive
// duration, a CONDITIONAL with an unknown operator or an invalid field, an invalid calling window,
// a SPLIT without branches or with a weight that is not a positive number, invalid local
// calling hours or hours that never meet the window (compile_call_hours),
// max_steps_per_lead < 1. Edges whose ends name no node are ignored (validation reports them).
// Unknown node types compile; a lead reaching one is stuck. Missing VOICE_CALL agents/phones do not
// block compiling (drafts can be simulated).
Result<CompiledGraph> compile_graph(const Graph& g);

}  // namespace leadflow
