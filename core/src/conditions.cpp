// CONDITIONAL evaluation: field resolution and the six operators (docs/workflows.md#conditions).
#include "leadflow/conditions.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "leadflow/model.hpp"

namespace leadflow {

namespace {

FieldValue lookup(const std::map<std::string, std::string>* m, std::string_view name) {
    if (m == nullptr) return {};
    auto it = m->find(std::string(name));
    if (it == m->end()) return {};
    return {true, it->second};
}

int intern(std::vector<std::string>& names, const std::string& name) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name) return static_cast<int>(i);
    }
    names.push_back(name);
    return static_cast<int>(names.size() - 1);
}

bool icontains(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    if (needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        if (iequals(hay.substr(i, needle.size()), needle)) return true;
    }
    return false;
}

}  // namespace

FieldValue MapFieldSource::lead_variable(int, std::string_view name) const {
    return lookup(variables_, name);
}
FieldValue MapFieldSource::call_analysis(int, std::string_view name) const {
    return lookup(analysis_, name);
}
FieldValue MapFieldSource::application_response(int, std::string_view name) const {
    return lookup(response_, name);
}

Result<FieldRef> parse_field_ref(const std::string& raw, std::vector<std::string>& names) {
    const std::string path(trim_view(raw));
    if (path.empty()) return Status::invalid("field: must not be empty");
    auto named = [&](FieldKind kind, std::size_t prefix_len) -> Result<FieldRef> {
        std::string name(trim_view(std::string_view(path).substr(prefix_len)));
        if (name.empty()) return Status::invalid("field '" + path + "': the name is missing");
        return FieldRef{kind, intern(names, name)};
    };
    if (starts_with(path, "lead.")) return named(FieldKind::kLeadVariable, 5);
    if (starts_with(path, "call.analysis.")) return named(FieldKind::kCallAnalysis, 14);
    // DialNexa's spelling of the same fields.
    if (starts_with(path, "postcall_analysis.")) return named(FieldKind::kCallAnalysis, 18);
    if (path == "call_status") return FieldRef{FieldKind::kCallStatus, -1};
    if (starts_with(path, "application.response.")) {
        return named(FieldKind::kApplicationResponse, 21);
    }
    if (path == "call.status") return FieldRef{FieldKind::kCallStatus, -1};
    if (path == "call.outcome") return FieldRef{FieldKind::kCallOutcome, -1};
    if (path == "call.duration_s") return FieldRef{FieldKind::kCallDuration, -1};
    if (path == "application.result") return FieldRef{FieldKind::kApplicationResult, -1};
    if (starts_with(path, "call.") || starts_with(path, "application.")) {
        return Status::invalid("field '" + path +
                               "': unknown field (call.status, call.outcome, call.duration_s, "
                               "call.analysis.<name>, application.result, "
                               "application.response.<name>)");
    }
    return FieldRef{FieldKind::kBare, intern(names, path)};
}

FieldValue resolve_field(const FieldRef& ref, const std::vector<std::string>& names,
                         const FieldSource* source, const LastStep& last, std::string& scratch) {
    const std::string_view name = ref.key >= 0
                                      ? std::string_view(names[static_cast<std::size_t>(ref.key)])
                                      : std::string_view();
    switch (ref.kind) {
        case FieldKind::kLeadVariable:
            return source ? source->lead_variable(ref.key, name) : FieldValue{};
        case FieldKind::kCallAnalysis:
            return source ? source->call_analysis(ref.key, name) : FieldValue{};
        case FieldKind::kApplicationResponse:
            return source ? source->application_response(ref.key, name) : FieldValue{};
        case FieldKind::kBare: {
            if (source == nullptr) return {};
            FieldValue v = source->lead_variable(ref.key, name);
            return v.present ? v : source->call_analysis(ref.key, name);
        }
        case FieldKind::kCallStatus:
            if (last.call_outcome < 0) return {};
            return {true, call_status_name(static_cast<CallOutcome>(last.call_outcome))};
        case FieldKind::kCallOutcome:
            if (last.call_outcome < 0) return {};
            return {true, to_string(static_cast<CallOutcome>(last.call_outcome))};
        case FieldKind::kCallDuration: {
            if (last.call_duration_ms < 0) return {};
            // Seconds with up to three decimals, written with integer arithmetic only.
            char buf[32];
            const long long ms = last.call_duration_ms;
            if (ms % 1000 == 0) {
                std::snprintf(buf, sizeof buf, "%lld", ms / 1000);
            } else {
                std::snprintf(buf, sizeof buf, "%lld.%03lld", ms / 1000, ms % 1000);
                std::string_view t(buf);
                while (!t.empty() && t.back() == '0') t.remove_suffix(1);
                buf[t.size()] = '\0';
            }
            scratch.assign(buf);
            return {true, scratch};
        }
        case FieldKind::kApplicationResult:
            if (last.application_result < 0) return {};
            return {true, last.application_result ? "success" : "failure"};
    }
    return {};
}

bool evaluate_condition(const CompiledCondition& c, const FieldValue& v) {
    if (!v.present) return c.op == ConditionOp::kNotEquals;
    const std::string_view text = trim_view(v.text);
    switch (c.op) {
        case ConditionOp::kExists:
            return !text.empty();
        case ConditionOp::kContains:
            return icontains(text, c.value);
        case ConditionOp::kEquals:
        case ConditionOp::kNotEquals: {
            bool eq;
            std::optional<double> n;
            if (c.value_number && (n = parse_number(text))) {
                eq = *n == *c.value_number;
            } else {
                eq = iequals(text, c.value);
            }
            return c.op == ConditionOp::kEquals ? eq : !eq;
        }
        case ConditionOp::kGreaterThan:
        case ConditionOp::kLessThan: {
            if (!c.value_number) return false;
            const std::optional<double> n = parse_number(text);
            if (!n) return false;
            return c.op == ConditionOp::kGreaterThan ? *n > *c.value_number : *n < *c.value_number;
        }
    }
    return false;
}

std::optional<double> parse_number(std::string_view raw) {
    const std::string_view s = trim_view(raw);
    if (s.empty() || s.size() > 63) return std::nullopt;
    std::size_t i = 0;
    if (s[i] == '+' || s[i] == '-') ++i;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return std::nullopt;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t exp_digits = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
        if (exp_digits == 0) return std::nullopt;
    }
    if (i != s.size()) return std::nullopt;
    // strtod is correctly rounded in glibc and in Emscripten's musl; the syntax was checked
    // above, so locale-specific forms never reach it.
    char buf[64];
    s.copy(buf, s.size());
    buf[s.size()] = '\0';
    // A value past the range of a double ("1e999") is no number: strtod would give infinity,
    // and every such value would then equal every other.
    const double v = std::strtod(buf, nullptr);
    if (!std::isfinite(v)) return std::nullopt;
    return v;
}

}  // namespace leadflow
