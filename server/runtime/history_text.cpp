// server/runtime/history_text.cpp — see history_text.hpp.
#include "runtime/history_text.hpp"

#include "leadflow/civil_time.hpp"

namespace leadflow::server {

namespace {

// Appends `s` as a JSON string: directly when it is plain printable ASCII without quotes or
// backslashes, else through Json (its escaping and UTF-8 rules).
void string_value(std::string& out, const std::string& s) {
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
            out += Json(s).dump();
            return;
        }
    }
    out += '"';
    out += s;
    out += '"';
}

void key(std::string& out, const char* k) {
    out += '"';
    out += k;
    out += "\":";
}

void optional_string(std::string& out, const std::optional<std::string>& s) {
    if (s) {
        string_value(out, *s);
    } else {
        out += "null";
    }
}

}  // namespace

void HistoryTextWriter::timestamp(std::string& out, TimeMs t) {
    for (int i = 0; i < 2; ++i) {
        if (times_[i] == t) {
            out += texts_[i];
            return;
        }
    }
    times_[next_] = t;
    texts_[next_] = '"' + format_timestamp(t) + '"';
    out += texts_[next_];
    next_ = 1 - next_;
}

std::string HistoryTextWriter::write(const HistoryEntry& h) {
    std::string out;
    out.reserve(320);
    out += '{';
    key(out, "node_id");
    string_value(out, h.node_id);
    out += ',';
    key(out, "node_type");
    string_value(out, h.node_type);
    out += ',';
    key(out, "label");
    string_value(out, h.label);
    out += ',';
    key(out, "status");
    string_value(out, h.status);
    const std::pair<const char*, const std::optional<std::string>*> strings[] = {
        {"outcome", &h.outcome},       {"edge_id", &h.edge_id}, {"edge_label", &h.edge_label},
        {"to_node_id", &h.to_node_id}, {"call_id", &h.call_id}, {"reason", &h.reason}};
    for (const auto& [k, v] : strings) {
        out += ',';
        key(out, k);
        optional_string(out, *v);
    }
    const std::pair<const char*, const std::optional<TimeMs>*> times[] = {
        {"started_at", &h.started_at}, {"ended_at", &h.ended_at}, {"ends_at", &h.ends_at}};
    for (const auto& [k, v] : times) {
        out += ',';
        key(out, k);
        if (*v) {
            timestamp(out, **v);
        } else {
            out += "null";
        }
    }
    out += '}';
    return out;
}

}  // namespace leadflow::server
