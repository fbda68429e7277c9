// leadflow/node_config.hpp — typed views of the node configs (docs/workflows.md#node-configs), with
// every canonical key and accepted alias. Used by validation and by the graph compiler, so that
// both read a config the same way.
//
// The parsers are lenient about what is absent (empty strings, zero durations: validation
// reports those with its own codes) and strict about what is present but wrong (a string
// where a number belongs, an unknown operator): those fail with kInvalidArgument naming the
// key, e.g. "config.conditions[1].operator: unknown operator 'bigger'".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

struct VoiceCallConfig {
    std::string agent_id;
    std::string from_phone_number;
    std::optional<double> max_call_seconds;
};
Result<VoiceCallConfig> parse_voice_call_config(const Json& config);

enum class TimeSource { kFixed, kPostcallAnalysis };
struct TimeConfig {
    TimeSource source = TimeSource::kFixed;
    TimeMs duration_ms = 0;  // kFixed: > 0 when valid (duration_value × unit, or delay_* alias)
    std::string pca_field;   // kPostcallAnalysis: the analysis field naming the release time
};
// duration_value + duration_unit (minutes|hours|days, singular accepted), or delay_minutes /
// delay_hours / delay_days. Numbers may be given as numeric strings.
Result<TimeConfig> parse_time_config(const Json& config);

enum class ConditionOp { kEquals, kNotEquals, kExists, kContains, kGreaterThan, kLessThan };
const char* to_string(ConditionOp op);
// Canonical names plus "eq", "==", "neq", "!=", "gt", ">", "lt", "<" (case-insensitive).
std::optional<ConditionOp> parse_condition_op(const std::string& s);

struct Condition {
    std::string field;  // as written: "lead.city", "call.analysis.interested", "city" …
    ConditionOp op = ConditionOp::kEquals;
    std::string value;  // scalar as text ("true", "42", "Mumbai"); empty for exists
};

struct ConditionalConfig {
    bool switch_mode = false;
    bool logic_or = false;              // boolean mode: AND (default) or OR
    std::vector<Condition> conditions;  // boolean mode
    std::string condition_field;        // switch mode: the field whose value is the outcome
    std::vector<std::string> branches;  // switch mode: the listed values
};
// Switch mode when `condition_field` is present (or `mode` is "switch").
Result<ConditionalConfig> parse_conditional_config(const Json& config);

// SPLIT (a Leadflow extension, docs/workflows.md#split): weighted branches, each named by the
// label of its outgoing edge.
struct SplitBranch {
    std::string label;  // trimmed; empty when absent (validation: SPLIT_INVALID_BRANCH)
    // A number or numeric string; NaN when absent or not a number (validation:
    // SPLIT_INVALID_WEIGHT, as for weights <= 0).
    double weight = 0;
};
struct SplitConfig {
    std::vector<SplitBranch> branches;  // in config order
};
// `branches`: an array of {"label": string, "weight": number}. Lenient about what validation
// reports (no branches, empty or repeated labels, missing, non-numeric or non-positive weights);
// fails with kInvalidArgument naming the key when `branches` is not an array, an item is not an
// object, or a label is not a string.
Result<SplitConfig> parse_split_config(const Json& config);

struct ApplicationConfig {
    std::string provider_key;  // "webhook" is built in
    std::string action_key;
    Json action_config = Json::object();  // webhook: url, method, headers, body_template
};
Result<ApplicationConfig> parse_application_config(const Json& config);

// The request rules of the built-in `webhook` action, checked when a node is saved and again
// before each request: `method` (default POST) is one of GET, POST, PUT, PATCH, DELETE (any
// case); `headers` is an object of string values whose names are HTTP tokens and whose values
// hold no CR, LF or NUL; Host, Content-Length, Transfer-Encoding, Connection, Keep-Alive,
// Upgrade, TE, Trailer and Proxy-* are refused (the server frames the request itself).
// kInvalidArgument naming the first offending field otherwise.
Status check_webhook_request(const Json& action_config);
// The same rules for one method, one header name and one header value.
Status check_webhook_method(const std::string& method);
Status check_webhook_header(const std::string& name, const std::string& value);

// The text of a JSON scalar as conditions and variables compare it: strings as is, booleans
// "true"/"false", numbers in their shortest form, null empty. nullopt for arrays and objects.
std::optional<std::string> scalar_to_text(const Json& v);

}  // namespace leadflow
