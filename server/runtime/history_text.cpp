// server/runtime/history_text.cpp — see history_text.hpp.
#include "runtime/history_text.hpp"

#include "util/json_text.hpp"

namespace leadflow::server {

namespace {

void key(std::string& out, const char* k) {
    out += '"';
    out += k;
    out += "\":";
}

}  // namespace

std::string history_text(const HistoryEntry& h) {
    std::string out;
    out.reserve(320);
    out += '{';
    key(out, "node_id");
    append_json_string(out, h.node_id);
    out += ',';
    key(out, "node_type");
    append_json_string(out, h.node_type);
    out += ',';
    key(out, "label");
    append_json_string(out, h.label);
    out += ',';
    key(out, "status");
    append_json_string(out, h.status);
    const std::pair<const char*, const std::optional<std::string>*> strings[] = {
        {"outcome", &h.outcome},       {"edge_id", &h.edge_id}, {"edge_label", &h.edge_label},
        {"to_node_id", &h.to_node_id}, {"call_id", &h.call_id}, {"reason", &h.reason}};
    for (const auto& [k, v] : strings) {
        out += ',';
        key(out, k);
        append_json_optional_string(out, *v);
    }
    const std::pair<const char*, const std::optional<TimeMs>*> times[] = {
        {"started_at", &h.started_at}, {"ended_at", &h.ended_at}, {"ends_at", &h.ends_at}};
    for (const auto& [k, v] : times) {
        out += ',';
        key(out, k);
        append_json_time(out, *v);
    }
    out += '}';
    return out;
}

}  // namespace leadflow::server
