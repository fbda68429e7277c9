// leadflow/conditions.hpp — CONDITIONAL evaluation (docs/workflows.md#conditions): field
// references, the six operators with their exact missing-field semantics, and the FieldSource
// interface through which the engine reads lead variables, post-call analysis and application
// responses.
//
// The engine never owns that data: the server answers from its stored strings (MapFieldSource
// below), the simulator from its compact sampled tables. Both see the same rules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadflow/node_config.hpp"
#include "leadflow/status.hpp"
#include "leadflow/text.hpp"

namespace leadflow {

// [SECTION] Field values and sources

// A field's value as text. `present == false` means the field is missing (an empty string is
// present but fails `exists`). `text` must stay valid while the engine call runs.
struct FieldValue {
    bool present = false;
    std::string_view text;
};

// What the engine asks for field values. `key` is the field name's index in
// CompiledGraph::field_names() (dense, for table lookups); `name` is the same name as text.
class FieldSource {
  public:
    virtual ~FieldSource() = default;
    // lead.<name>: a variable of the lead.
    virtual FieldValue lead_variable(int key, std::string_view name) const = 0;
    // call.analysis.<name>: the post-call analysis of the lead's most recent call.
    virtual FieldValue call_analysis(int key, std::string_view name) const = 0;
    // application.response.<name>: the response of the lead's most recent application step.
    virtual FieldValue application_response(int key, std::string_view name) const = 0;
};

// A FieldSource over string maps (the server's view of a lead). Null maps are empty.
class MapFieldSource : public FieldSource {
  public:
    MapFieldSource(const std::map<std::string, std::string>* variables,
                   const std::map<std::string, std::string>* analysis,
                   const std::map<std::string, std::string>* response)
        : variables_(variables), analysis_(analysis), response_(response) {}
    FieldValue lead_variable(int key, std::string_view name) const override;
    FieldValue call_analysis(int key, std::string_view name) const override;
    FieldValue application_response(int key, std::string_view name) const override;

  private:
    const std::map<std::string, std::string>* variables_;
    const std::map<std::string, std::string>* analysis_;
    const std::map<std::string, std::string>* response_;
};

// [SECTION] Field references

enum class FieldKind : std::uint8_t {
    kLeadVariable,         // lead.<name>
    kCallStatus,           // call.status: "completed", "no_answer", …
    kCallOutcome,          // call.outcome: "COMPLETED", "NO_ANSWER", …
    kCallDuration,         // call.duration_s (a number)
    kCallAnalysis,         // call.analysis.<name>
    kApplicationResult,    // application.result: "success" | "failure"
    kApplicationResponse,  // application.response.<name>
    kBare,                 // <name>: lead.<name> when present, else call.analysis.<name>
};

struct FieldRef {
    FieldKind kind = FieldKind::kLeadVariable;
    int key = -1;  // index into the name table for the kinds that carry a name, else -1
};

// Parses a field path. Names are interned into `names` (an existing entry is reused), and
// the index is the FieldRef's key. Fails with kInvalidArgument for an empty path or a prefix
// with an empty name ("lead.", "call.analysis.") and for unknown "call.*" / "application.*"
// fields.
Result<FieldRef> parse_field_ref(const std::string& path, std::vector<std::string>& names);

// [SECTION] Evaluation

// What the engine knows about the lead's most recent call and action (from LeadState).
struct LastStep {
    int call_outcome = -1;               // CallOutcome as int, -1 = no call yet
    std::int64_t call_duration_ms = -1;  // -1 = no call yet
    int application_result = -1;         // 1 success, 0 failure, -1 = no application step yet
};

// Resolves a field to its value. `scratch` holds text the function builds (durations,
// statuses point to static strings). A null source has no variables, analysis or response.
FieldValue resolve_field(const FieldRef& ref, const std::vector<std::string>& names,
                         const FieldSource* source, const LastStep& last, std::string& scratch);

// One compiled condition: the operand is pre-trimmed and pre-parsed as a number.
struct CompiledCondition {
    FieldRef field;
    ConditionOp op = ConditionOp::kEquals;
    std::string value;                   // trimmed
    std::optional<double> value_number;  // when `value` is a number
};

// Applies an operator (docs/workflows.md#operators): equals/not_equals compare trimmed strings
// case-insensitively, or numerically when both sides are numbers; contains is a case-insensitive
// substring; greater_than/less_than are numeric and false unless both sides are numbers; exists is
// "present and non-empty after trimming". A missing field makes every operator false except
// not_equals (true).
bool evaluate_condition(const CompiledCondition& c, const FieldValue& v);

// [SECTION] Numbers in text (shared with the engine)

// A number written in full (optional sign, digits, optional fraction and exponent, after
// trimming) that fits a double; nullopt for anything else, including "", "12abc", "inf", "nan" and
// "1e999".
std::optional<double> parse_number(std::string_view s);

}  // namespace leadflow
