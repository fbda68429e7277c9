// Typed node configs (docs/workflows.md#node-configs): one reading shared by validation and the
// graph compiler.
#include "leadflow/node_config.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "leadflow/text.hpp"

namespace leadflow {

namespace {

std::string type_name(const Json& v) {
    return v.is_number() ? "number" : v.type_name();
}

// A string field: absent/null → "", non-string → error.
Status read_string(const Json& c, const char* key, std::string& out) {
    if (!c.is_object() || !c.contains(key) || c[key].is_null()) return Status::ok();
    if (!c[key].is_string()) {
        return Status::invalid(std::string("config.") + key + ": expected a string, got " +
                               type_name(c[key]));
    }
    out = c[key].get<std::string>();
    return Status::ok();
}

// A number field that may also be a numeric string. Absent/null → nullopt.
Result<std::optional<double>> read_number(const Json& c, const char* key) {
    if (!c.is_object() || !c.contains(key) || c[key].is_null()) {
        return std::optional<double>();
    }
    const Json& v = c[key];
    if (v.is_number()) return std::optional<double>(v.get<double>());
    if (v.is_string()) {
        const std::string s = trim(v.get<std::string>());
        char* end = nullptr;
        const double d = std::strtod(s.c_str(), &end);
        if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(d)) {
            return std::optional<double>(d);
        }
    }
    return Status::invalid(std::string("config.") + key + ": expected a number, got " +
                           (v.is_string() ? "'" + v.get<std::string>() + "'" : type_name(v)));
}

}  // namespace

std::optional<std::string> scalar_to_text(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
    if (v.is_number()) return v.dump();
    if (v.is_null()) return std::string();
    return std::nullopt;
}

Result<VoiceCallConfig> parse_voice_call_config(const Json& c) {
    VoiceCallConfig v;
    if (Status s = read_string(c, "agent_id", v.agent_id); !s) return s;
    if (Status s = read_string(c, "from_phone_number", v.from_phone_number); !s) return s;
    v.agent_id = trim(v.agent_id);
    v.from_phone_number = trim(v.from_phone_number);
    auto m = read_number(c, "max_call_seconds");
    if (!m.ok()) return m.status();
    if (*m && **m <= 0) return Status::invalid("config.max_call_seconds: must be greater than 0");
    v.max_call_seconds = *m;
    return v;
}

Result<TimeConfig> parse_time_config(const Json& c) {
    TimeConfig t;
    std::string source = "fixed";
    if (Status s = read_string(c, "time_source", source); !s) return s;
    source = lower(trim(source));
    if (source == "postcall_analysis" || source == "post_call_analysis" || source == "pca") {
        t.source = TimeSource::kPostcallAnalysis;
        if (Status s = read_string(c, "pca_field", t.pca_field); !s) return s;
        if (t.pca_field.empty()) {
            if (Status s = read_string(c, "postcall_analysis_field", t.pca_field); !s) return s;
        }
        t.pca_field = trim(t.pca_field);
        // "postcall_analysis.callback_time" (DialNexa) and "call.analysis.callback_time" name
        // the same analysis field as "callback_time".
        for (std::string_view prefix : {"postcall_analysis.", "call.analysis."}) {
            if (starts_with(t.pca_field, prefix)) {
                t.pca_field = trim(t.pca_field.substr(prefix.size()));
                break;
            }
        }
        return t;
    }
    if (source != "fixed" && !source.empty()) {
        return Status::invalid("config.time_source: unknown source '" + source +
                               "' (fixed or postcall_analysis)");
    }
    auto value = read_number(c, "duration_value");
    if (!value.ok()) return value.status();
    if (*value) {
        std::string unit = "minutes";
        if (Status s = read_string(c, "duration_unit", unit); !s) return s;
        unit = lower(trim(unit));
        TimeMs per = 0;
        if (unit == "minutes" || unit == "minute" || unit == "min" || unit == "mins") {
            per = 60'000;
        } else if (unit == "hours" || unit == "hour" || unit == "h") {
            per = 3'600'000;
        } else if (unit == "days" || unit == "day" || unit == "d") {
            per = 86'400'000;
        } else {
            return Status::invalid("config.duration_unit: unknown unit '" + unit +
                                   "' (minutes, hours or days)");
        }
        t.duration_ms = static_cast<TimeMs>(std::llround(**value * static_cast<double>(per)));
        if (**value <= 0) t.duration_ms = 0;
        return t;
    }
    static const struct {
        const char* key;
        TimeMs per;
    } kAliases[] = {
        {"delay_minutes", 60'000}, {"delay_hours", 3'600'000}, {"delay_days", 86'400'000}};
    for (const auto& a : kAliases) {
        auto v = read_number(c, a.key);
        if (!v.ok()) return v.status();
        if (*v) {
            t.duration_ms = **v > 0 ? static_cast<TimeMs>(std::llround(**v * a.per)) : 0;
            return t;
        }
    }
    return t;  // no duration: validation reports TIME_INVALID_DURATION
}

const char* to_string(ConditionOp op) {
    switch (op) {
        case ConditionOp::kEquals:
            return "equals";
        case ConditionOp::kNotEquals:
            return "not_equals";
        case ConditionOp::kExists:
            return "exists";
        case ConditionOp::kContains:
            return "contains";
        case ConditionOp::kGreaterThan:
            return "greater_than";
        case ConditionOp::kLessThan:
            return "less_than";
    }
    return "";
}

std::optional<ConditionOp> parse_condition_op(const std::string& raw) {
    const std::string s = lower(trim(raw));
    if (s == "equals" || s == "eq" || s == "==" || s == "=") return ConditionOp::kEquals;
    if (s == "not_equals" || s == "neq" || s == "!=" || s == "ne") return ConditionOp::kNotEquals;
    if (s == "exists") return ConditionOp::kExists;
    if (s == "contains") return ConditionOp::kContains;
    if (s == "greater_than" || s == "gt" || s == ">") return ConditionOp::kGreaterThan;
    if (s == "less_than" || s == "lt" || s == "<") return ConditionOp::kLessThan;
    return std::nullopt;
}

Result<ConditionalConfig> parse_conditional_config(const Json& c) {
    ConditionalConfig cfg;
    std::string mode;
    if (Status s = read_string(c, "mode", mode); !s) return s;
    cfg.switch_mode =
        lower(trim(mode)) == "switch" ||
        (c.is_object() && c.contains("condition_field") && !c["condition_field"].is_null());
    if (cfg.switch_mode) {
        if (Status s = read_string(c, "condition_field", cfg.condition_field); !s) return s;
        cfg.condition_field = trim(cfg.condition_field);
        if (c.contains("branches") && !c["branches"].is_null()) {
            const Json& b = c["branches"];
            if (!b.is_array()) {
                return Status::invalid("config.branches: expected an array, got " + type_name(b));
            }
            for (std::size_t i = 0; i < b.size(); ++i) {
                auto text = scalar_to_text(b[i]);
                if (!text) {
                    return Status::invalid("config.branches[" + std::to_string(i) +
                                           "]: expected a string, got " + type_name(b[i]));
                }
                cfg.branches.push_back(*text);
            }
        }
        return cfg;
    }
    std::string logic = "AND";
    if (Status s = read_string(c, "logic", logic); !s) return s;
    logic = lower(trim(logic));
    if (logic == "or")
        cfg.logic_or = true;
    else if (logic != "and" && !logic.empty()) {
        return Status::invalid("config.logic: expected AND or OR, got '" + logic + "'");
    }
    if (!c.is_object() || !c.contains("conditions") || c["conditions"].is_null()) return cfg;
    const Json& conds = c["conditions"];
    if (!conds.is_array()) {
        return Status::invalid("config.conditions: expected an array, got " + type_name(conds));
    }
    for (std::size_t i = 0; i < conds.size(); ++i) {
        const std::string path = "config.conditions[" + std::to_string(i) + "]";
        const Json& item = conds[i];
        if (!item.is_object()) {
            return Status::invalid(path + ": expected an object {field, operator, value}");
        }
        Condition cond;
        if (item.contains("field") && !item["field"].is_null()) {
            if (!item["field"].is_string()) {
                return Status::invalid(path + ".field: expected a string, got " +
                                       type_name(item["field"]));
            }
            cond.field = trim(item["field"].get<std::string>());
        }
        std::string op = "equals";
        if (item.contains("operator") && !item["operator"].is_null()) {
            if (!item["operator"].is_string()) {
                return Status::invalid(path + ".operator: expected a string, got " +
                                       type_name(item["operator"]));
            }
            op = item["operator"].get<std::string>();
        }
        auto parsed = parse_condition_op(op);
        if (!parsed) {
            return Status::invalid(path + ".operator: unknown operator '" + op +
                                   "' (equals, not_equals, exists, contains, greater_than, "
                                   "less_than)");
        }
        cond.op = *parsed;
        if (item.contains("value")) {
            auto text = scalar_to_text(item["value"]);
            if (!text) {
                return Status::invalid(path + ".value: expected a string, number or boolean");
            }
            cond.value = *text;
        }
        cfg.conditions.push_back(std::move(cond));
    }
    return cfg;
}

Result<SplitConfig> parse_split_config(const Json& c) {
    SplitConfig cfg;
    if (!c.is_object() || !c.contains("branches") || c["branches"].is_null()) return cfg;
    const Json& b = c["branches"];
    if (!b.is_array()) {
        return Status::invalid("config.branches: expected an array, got " + type_name(b));
    }
    for (std::size_t i = 0; i < b.size(); ++i) {
        const std::string path = "config.branches[" + std::to_string(i) + "]";
        const Json& item = b[i];
        if (!item.is_object()) {
            return Status::invalid(path + ": expected an object {label, weight}, got " +
                                   type_name(item));
        }
        SplitBranch branch;
        if (Status s = read_string(item, "label", branch.label); !s) {
            return Status::invalid(path + ".label: expected a string, got " +
                                   type_name(item["label"]));
        }
        branch.label = trim(branch.label);
        auto w = read_number(item, "weight");
        branch.weight = w.ok() && *w ? **w : std::nan("");
        cfg.branches.push_back(std::move(branch));
    }
    return cfg;
}

Result<ApplicationConfig> parse_application_config(const Json& c) {
    ApplicationConfig a;
    if (Status s = read_string(c, "provider_key", a.provider_key); !s) return s;
    if (Status s = read_string(c, "action_key", a.action_key); !s) return s;
    a.provider_key = trim(a.provider_key);
    a.action_key = trim(a.action_key);
    if (c.is_object() && c.contains("action_config") && !c["action_config"].is_null()) {
        if (!c["action_config"].is_object()) {
            return Status::invalid("config.action_config: expected an object, got " +
                                   type_name(c["action_config"]));
        }
        a.action_config = c["action_config"];
    }
    return a;
}

Status check_webhook_method(const std::string& method) {
    std::string m = method;
    for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    for (const char* ok : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
        if (m == ok) return Status::ok();
    }
    std::string shown;
    for (char ch : method.substr(0, 40)) {
        shown += (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ? '?' : ch;
    }
    return Status::invalid("config.action_config.method '" + shown +
                           "' is not allowed: use GET, POST, PUT, PATCH or DELETE");
}

Status check_webhook_header(const std::string& name, const std::string& value) {
    static const std::string kTokenExtra = "!#$%&'*+-.^_`|~";
    bool token = !name.empty() && name.size() <= 256;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (!(std::isalnum(c) && c < 0x80) && kTokenExtra.find(ch) == std::string::npos) {
            token = false;
        }
    }
    if (!token) {
        return Status::invalid(
            "config.action_config.headers: a header name must be a token "
            "(letters, digits and !#$%&'*+-.^_`|~)");
    }
    std::string lower = name;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (const char* banned : {"host", "content-length", "transfer-encoding", "connection",
                               "keep-alive", "upgrade", "te", "trailer"}) {
        if (lower == banned) {
            return Status::invalid("config.action_config.headers: " + name +
                                   " is set by the server and cannot be given");
        }
    }
    if (lower.rfind("proxy-", 0) == 0) {
        return Status::invalid("config.action_config.headers: " + name +
                               " (Proxy-*) cannot be given");
    }
    if (value.size() > 8192) {
        return Status::invalid("config.action_config.headers." + name +
                               ": the value is longer than 8192 bytes");
    }
    if (value.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
        return Status::invalid("config.action_config.headers." + name +
                               ": the value must not contain CR, LF or NUL");
    }
    return Status::ok();
}

Status check_webhook_request(const Json& ac) {
    if (!ac.is_object()) return Status::ok();
    if (auto it = ac.find("method"); it != ac.end() && !it->is_null()) {
        if (!it->is_string())
            return Status::invalid("config.action_config.method must be a string");
        if (Status s = check_webhook_method(it->get<std::string>()); !s) return s;
    }
    if (auto it = ac.find("headers"); it != ac.end() && !it->is_null()) {
        if (!it->is_object()) {
            return Status::invalid("config.action_config.headers must be an object");
        }
        if (it->size() > 64) {
            return Status::invalid("config.action_config.headers: at most 64 headers");
        }
        for (auto h = it->begin(); h != it->end(); ++h) {
            if (!h->is_string()) {
                return Status::invalid("config.action_config.headers." + h.key() +
                                       " must be a string");
            }
            if (Status s = check_webhook_header(h.key(), h->get<std::string>()); !s) return s;
        }
    }
    return Status::ok();
}

}  // namespace leadflow
