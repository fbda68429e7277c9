// leadflow/wire.hpp — the JSON codec for the wire format (docs/api.md): workflows, settings, nodes,
// edges, graphs, leads, executions and history entries.
//
// Decoding is strict about types and names the offending field in its error
// ("nodes[1].position_x: expected a number, got string"); it is lenient about absent optional
// fields (defaults apply) and keeps unknown fields in `extra`, so decode → encode reproduces
// the input's content. Decoders never throw.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

// The nesting depth parse_json accepts by default: deeper documents are rejected before any
// value is built (copying, dumping and destroying a value recurse once per level).
constexpr int kMaxJsonDepth = 64;

// Shape limits checked on the raw text, before the parser builds anything.
struct JsonLimits {
    int max_depth = kMaxJsonDepth;       // arrays and objects nested at most this deep
    std::size_t max_array_elements = 0;  // elements of any one array; 0: no limit
};

// Checks `text` against `limits` in one pass over the bytes (brackets and commas outside
// strings), stopping at the first container past a limit. kInvalidArgument naming the limit
// and the byte offset ("JSON nesting deeper than 64 levels at byte 64"); ok for text within
// the limits, including text that is not valid JSON (the parser reports that).
Status check_json_limits(std::string_view text, const JsonLimits& limits = {});

// Parses JSON text after check_json_limits(text, limits). On failure: kInvalidArgument with
// the limit (as above) or with the parser's position and reason ("malformed JSON: …").
Result<Json> parse_json(std::string_view text, const JsonLimits& limits = {});

Json to_json(const Settings& s);
// `path` prefixes field names in error messages (e.g. "workflow.settings").
Result<Settings> settings_from_json(const Json& j, const std::string& path = "settings");

Json to_json(const Workflow& w);
Result<Workflow> workflow_from_json(const Json& j, const std::string& path = "workflow");

Json to_json(const Node& n);
Result<Node> node_from_json(const Json& j, const std::string& path = "node");

Json to_json(const Edge& e);
Result<Edge> edge_from_json(const Json& j, const std::string& path = "edge");

// {workflow, nodes, edges}. A graph document without "workflow" gets a default workflow.
Json to_json(const Graph& g);
Result<Graph> graph_from_json(const Json& j);
// Parses graph JSON text (parse_json + graph_from_json).
Result<Graph> parse_graph(std::string_view text);

Json to_json(const Lead& l);
Result<Lead> lead_from_json(const Json& j, const std::string& path = "lead");

Json to_json(const Execution& e);
Result<Execution> execution_from_json(const Json& j, const std::string& path = "execution");

Json to_json(const HistoryEntry& h);
Result<HistoryEntry> history_entry_from_json(const Json& j, const std::string& path = "history");

}  // namespace leadflow
