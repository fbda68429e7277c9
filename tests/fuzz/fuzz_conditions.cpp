// tests/fuzz/fuzz_conditions.cpp — CONDITIONAL parts that come from outside: field paths and
// operators (graph JSON), operands, and the field values they are compared with (lead variables
// from uploads, post-call analysis from the voice platform, application responses).
//
// Input: four '\n'-separated parts: field path, operator, operand, field value.
// Properties: nothing throws; parse_number gives only finite numbers; equals is symmetric and
// not_equals is its negation for present values.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.hpp"
#include "leadflow/conditions.hpp"

using namespace leadflow;

namespace {

std::string_view next_part(std::string_view& rest) {
    const std::size_t nl = rest.find('\n');
    const std::string_view part = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    return part;
}

CompiledCondition compiled(FieldRef field, ConditionOp op, std::string_view operand) {
    CompiledCondition c;
    c.field = field;
    c.op = op;
    c.value = std::string(trim_view(operand));
    c.value_number = parse_number(c.value);
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    const std::string path(next_part(rest));
    const std::string op_text(next_part(rest));
    const std::string_view operand = next_part(rest);
    const std::string_view value = rest;

    for (std::string_view s : {operand, value}) {
        if (auto n = parse_number(s)) LEADFLOW_FUZZ_CHECK(std::isfinite(*n), "numbers are finite");
    }
    (void)parse_condition_op(op_text);

    std::vector<std::string> names;
    auto ref = parse_field_ref(path, names);
    if (!ref.ok()) return 0;
    const std::map<std::string, std::string> fields = {
        {ref->key >= 0 ? names[ref->key] : std::string(), std::string(value)}};
    MapFieldSource source(&fields, &fields, &fields);
    std::string scratch;
    const LastStep last{0, 61000, 1};
    const FieldValue v = resolve_field(*ref, names, &source, last, scratch);
    for (auto op : {ConditionOp::kEquals, ConditionOp::kNotEquals, ConditionOp::kExists,
                    ConditionOp::kContains, ConditionOp::kGreaterThan, ConditionOp::kLessThan}) {
        (void)evaluate_condition(compiled(*ref, op, operand), v);
    }
    if (v.present) {
        const bool eq = evaluate_condition(compiled(*ref, ConditionOp::kEquals, operand), v);
        const bool ne = evaluate_condition(compiled(*ref, ConditionOp::kNotEquals, operand), v);
        LEADFLOW_FUZZ_CHECK(eq != ne, "not_equals is the negation of equals");
        // Symmetry: compare the value as operand against the operand as value.
        const std::string swapped(operand);
        const FieldValue w{true, swapped};
        const bool eq2 = evaluate_condition(compiled(*ref, ConditionOp::kEquals, v.text), w);
        LEADFLOW_FUZZ_CHECK(eq == eq2, "equals is symmetric");
    }
    return 0;
}
