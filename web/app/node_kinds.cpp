// web/app/node_kinds.cpp — see node_kinds.hpp.
#include "node_kinds.hpp"

#include <cctype>

#include "leadflow/civil_time.hpp"
#include "leadflow/node_config.hpp"
#include "leadflow/text.hpp"

namespace leadflow::web {
namespace {

bool blank(const std::optional<std::string>& s) {
    return !s || trim_view(*s).empty();
}

// "2 days", "90 minutes", "1 hour": the largest unit that measures the duration exactly.
std::string duration_text(TimeMs ms) {
    struct Unit {
        TimeMs ms;
        const char* name;
    };
    for (Unit u :
         {Unit{kMsPerDay, "day"}, Unit{kMsPerHour, "hour"}, Unit{kMsPerMinute, "minute"}}) {
        if (ms % u.ms == 0) {
            const TimeMs n = ms / u.ms;
            return std::to_string(n) + " " + u.name + (n == 1 ? "" : "s");
        }
    }
    return std::to_string(ms / 1000) + " s";
}

std::string string_field(const Json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number()) return it->dump();
    return {};
}

}  // namespace

const std::vector<NodeKind>& node_kinds() {
    static const std::vector<NodeKind> kinds = {
        {NodeType::kVoiceCall, "VOICE_CALL", "Voice call", 0xFFC07A2Eu, "1"},
        {NodeType::kTime, "TIME", "Wait", 0xFF3A8EC9u, "2"},
        {NodeType::kConditional, "CONDITIONAL", "Condition", 0xFFB0548Fu, "3"},
        {NodeType::kApplication, "APPLICATION", "Action", 0xFF8C8C2Au, "4"},
        {NodeType::kConverted, "CONVERTED", "Converted", 0xFF4FA043u, "5"},
        {NodeType::kDropped, "DROPPED", "Dropped", 0xFF4A4AC4u, "6"},
        {NodeType::kSplit, "SPLIT", "A/B split", 0xFF9A6B3Cu, "7"},
    };
    return kinds;
}

const NodeKind& kind_of(NodeType t) {
    static const NodeKind unknown{NodeType::kUnknown, "UNKNOWN", "Unknown", 0xFF707070u, ""};
    for (const NodeKind& k : node_kinds()) {
        if (k.type == t) return k;
    }
    return unknown;
}

std::vector<Pin> output_pins(const Node& n) {
    switch (n.type) {
        case NodeType::kVoiceCall:
            return {{"COMPLETED"}, {"DNP"},    {"NO_ANSWER"},    {"BUSY"},
                    {"VOICEMAIL"}, {"FAILED"}, {"default", true}};
        case NodeType::kTime:
            return {{"next", true}};
        case NodeType::kConditional: {
            const std::string field = string_field(n.config, "condition_field");
            if (!field.empty()) {
                std::vector<Pin> pins;
                auto it = n.config.find("branches");
                if (it != n.config.end() && it->is_array()) {
                    for (const Json& b : *it) {
                        if (b.is_string() && !b.get<std::string>().empty()) {
                            pins.push_back({b.get<std::string>()});
                        } else if (b.is_number() || b.is_boolean()) {
                            pins.push_back({b.dump()});
                        }
                    }
                }
                pins.push_back({"default", true});
                return pins;
            }
            return {{"true"}, {"false"}, {"default", true}};
        }
        case NodeType::kSplit: {
            // One pin per branch label; a SPLIT has no default way out.
            std::vector<Pin> pins;
            auto it = n.config.find("branches");
            if (it != n.config.end() && it->is_array()) {
                for (const Json& b : *it) {
                    const std::string label = string_field(b, "label");
                    if (!label.empty()) pins.push_back({label});
                }
            }
            return pins;
        }
        case NodeType::kApplication:
            return {{"success"}, {"failure"}, {"default", true}};
        case NodeType::kConverted:
        case NodeType::kDropped:
            return {};
        case NodeType::kUnknown:
            break;
    }
    return {{"default", true}};
}

std::optional<std::string> pin_edge_label(const Pin& p) {
    if (p.is_default) return std::nullopt;
    return p.label;
}

int pin_for_edge(const std::vector<Pin>& pins, const Edge& e) {
    const bool unlabelled = blank(e.label);
    const std::string wanted = unlabelled ? std::string() : normalize_label(*e.label);
    for (std::size_t i = 0; i < pins.size(); ++i) {
        if (unlabelled ? pins[i].is_default
                       : (!pins[i].is_default && normalize_label(pins[i].label) == wanted)) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

Json default_config(NodeType t) {
    switch (t) {
        case NodeType::kVoiceCall:
            return Json{{"agent_id", ""}, {"from_phone_number", ""}};
        case NodeType::kTime:
            return Json{{"duration_value", 1}, {"duration_unit", "days"}};
        case NodeType::kConditional:
            return Json{{"logic", "AND"},
                        {"conditions", Json::array({Json{{"field", "call.analysis.interested"},
                                                         {"operator", "equals"},
                                                         {"value", "true"}}})}};
        case NodeType::kApplication:
            return Json{
                {"provider_key", "webhook"},
                {"action_key", ""},
                {"action_config", Json{{"url", ""}, {"method", "POST"}, {"body_template", ""}}}};
        case NodeType::kSplit:
            // Valid as it stands (two even branches); each branch still needs its edge.
            return Json{{"branches", Json::array({Json{{"label", "A"}, {"weight", 50}},
                                                  Json{{"label", "B"}, {"weight", 50}}})}};
        default:
            return Json::object();
    }
}

std::string config_summary(const Node& n) {
    const Json& c = n.config;
    if (!c.is_object()) return {};
    switch (n.type) {
        case NodeType::kVoiceCall: {
            std::string agent = string_field(c, "agent_id");
            std::string phone = string_field(c, "from_phone_number");
            if (agent.empty() && phone.empty()) return "no agent set";
            return (agent.empty() ? "?" : agent) + " · " + (phone.empty() ? "?" : phone);
        }
        case NodeType::kTime: {
            auto t = parse_time_config(c);
            if (!t.ok()) return "invalid time";
            if (t->source == TimeSource::kPostcallAnalysis) {
                return "at call.analysis." + t->pca_field;
            }
            if (t->duration_ms <= 0) return "no duration";
            return duration_text(t->duration_ms);
        }
        case NodeType::kConditional: {
            const std::string field = string_field(c, "condition_field");
            if (!field.empty()) return "switch on " + field;
            std::size_t count = 0;
            std::string first;
            auto it = c.find("conditions");
            if (it != c.end() && it->is_array()) {
                count = it->size();
                if (count > 0) {
                    const Json& c0 = (*it)[0];
                    first = string_field(c0, "field") + " " + string_field(c0, "operator") + " " +
                            string_field(c0, "value");
                }
            }
            if (count == 0) return "no conditions";
            if (count == 1) return first;
            std::string logic = string_field(c, "logic");
            return (logic.empty() ? "AND" : logic) + " · " + std::to_string(count) + " conditions";
        }
        case NodeType::kApplication: {
            std::string provider = string_field(c, "provider_key");
            std::string action = string_field(c, "action_key");
            return (provider.empty() ? "?" : provider) + " · " + (action.empty() ? "?" : action);
        }
        case NodeType::kSplit: {
            // "A 50 · B 50"
            std::string out;
            auto it = c.find("branches");
            if (it == c.end() || !it->is_array()) return {};
            for (const Json& b : *it) {
                if (!out.empty()) out += " · ";
                out += string_field(b, "label") + " " + string_field(b, "weight");
            }
            return out;
        }
        default:
            return {};
    }
}

}  // namespace leadflow::web
