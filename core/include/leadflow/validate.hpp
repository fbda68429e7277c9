// leadflow/validate.hpp — graph validation (docs/workflows.md#validation-codes): the diagnostics
// that `validate` returns and `activate` enforces.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"

namespace leadflow {

struct Diagnostic {
    Severity severity = Severity::kError;
    std::string code;     // e.g. "MISSING_OUTGOING_EDGE" (docs/workflows.md#validation-codes)
    std::string message;  // readable, names the node or edge by label/id
    std::optional<std::string> node_id;
    std::optional<std::string> edge_id;
};

// Every diagnostic code, in the order docs/workflows.md#validation-codes lists them (errors first).
// After ZERO_TIME_CYCLE come UNKNOWN_NODE_TYPE (a node type this build cannot run),
// INVALID_CONDITION_FIELD (a field reference the engine cannot read, e.g. "call.foo" or "lead." in
// a CONDITIONAL's conditions or condition_field, or in a TIME node's pca_field; one diagnostic per
// reference, naming the node and the field, with node_id set) and the SPLIT codes (node_id set;
// SPLIT_EDGE_UNKNOWN_BRANCH also edge_id): SPLIT_NO_BRANCHES, SPLIT_INVALID_BRANCH (config that
// does not parse, empty or repeated label), SPLIT_INVALID_WEIGHT (missing, non-numeric or <= 0),
// SPLIT_BRANCH_WITHOUT_EDGE, SPLIT_EDGE_UNKNOWN_BRANCH (an edge whose label, or lack of one,
// names no branch).
const std::vector<std::string>& all_error_codes();
const std::vector<std::string>& all_warning_codes();

// Validates a graph. Never fails: bad input yields diagnostics. The order is stable (graph
// checks, then node checks in node order, then edge checks in edge order) and deterministic.
// Field references are parsed exactly as compile_graph parses them (config_field_refs and
// parse_field_ref), so a graph without errors never fails to compile on a field reference.
std::vector<Diagnostic> validate(const Graph& g);

// True when no diagnostic is an error.
bool is_valid(const std::vector<Diagnostic>& diags);

// {"valid": bool, "errors": [...], "warnings": [...]}: the body of POST …/validate.
Json validation_report_json(const std::vector<Diagnostic>& diags);
Json to_json(const Diagnostic& d);

// E.164 syntax as the core checks it: "+" then 8–15 digits, the first not 0.
bool is_e164_syntax(std::string_view phone);

}  // namespace leadflow
