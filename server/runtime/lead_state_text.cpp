// server/runtime/lead_state_text.cpp — see lead_state_text.hpp.
#include "runtime/lead_state_text.hpp"

#include <array>
#include <charconv>

#include "leadflow/json.hpp"
#include "util/json_text.hpp"

namespace leadflow::server {

namespace {

constexpr std::string_view kPrefix = "s1|";
constexpr std::size_t kFields = 9;  // before the node id

void append_time(std::string& out, TimeMs t) {
    if (t != kNoTime) append_json_int(out, t);
}

// Splits the text after the prefix into kFields fields and the node id.
bool split(std::string_view text, std::array<std::string_view, kFields>& fields,
           std::string_view& node) {
    if (text.substr(0, kPrefix.size()) != kPrefix) return false;
    std::size_t pos = kPrefix.size();
    for (std::size_t i = 0; i < kFields; ++i) {
        std::size_t bar = text.find('|', pos);
        if (bar == std::string_view::npos) return false;
        fields[i] = text.substr(pos, bar - pos);
        pos = bar + 1;
    }
    node = text.substr(pos);
    return true;
}

bool parse_int(std::string_view f, std::int64_t& out) {
    if (f.empty()) return false;
    auto r = std::from_chars(f.data(), f.data() + f.size(), out);
    return r.ec == std::errc() && r.ptr == f.data() + f.size();
}

Status bad(const char* field, std::string_view value) {
    return Status::invalid(std::string("lead state.") + field + ": unknown value '" +
                           std::string(value) + "'");
}

Result<LeadState> parse_json_state(std::string_view text, const CompiledGraph& g) {
    Json j = Json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) return Status::invalid("lead state: neither JSON nor s1 text");
    return lead_state_from_json(j, g);
}

}  // namespace

void write_lead_state_text(const LeadState& s, const CompiledGraph& g, std::string& out) {
    out.assign(kPrefix);
    out += to_string(s.phase);
    out += '|';
    append_json_int(out, s.steps);
    out += '|';
    if (s.end != LeadEnd::kNone) out += to_string(s.end);
    out += '|';
    out += to_string(s.reason);  // "" for kNone
    out += '|';
    if (s.last_call >= 0) out += to_string(static_cast<CallOutcome>(s.last_call));
    out += '|';
    if (s.last_call_duration_ms >= 0) append_json_int(out, s.last_call_duration_ms);
    out += '|';
    if (s.last_app >= 0) out += s.last_app ? "success" : "failure";
    out += '|';
    append_time(out, s.entered_at);
    out += '|';
    append_time(out, s.release_at);
    out += '|';
    if (s.node >= 0) out += g.node_id(s.node);
}

Result<LeadState> parse_lead_state_text(std::string_view text, const CompiledGraph& g) {
    if (!text.empty() && text.front() == '{') return parse_json_state(text, g);
    std::array<std::string_view, kFields> f;
    std::string_view node;
    if (!split(text, f, node)) return Status::invalid("lead state: neither JSON nor s1 text");
    LeadState s;
    auto phase = parse_phase(std::string(f[0]));
    if (!phase) return bad("phase", f[0]);
    s.phase = *phase;
    std::int64_t n = 0;
    if (!parse_int(f[1], n)) return bad("steps", f[1]);
    s.steps = static_cast<std::int32_t>(n);
    if (!f[2].empty()) {
        auto e = parse_lead_end(f[2]);
        if (!e) return bad("end", f[2]);
        s.end = *e;
    }
    if (!f[3].empty()) {
        auto r = parse_reason(f[3]);
        if (!r) return bad("reason", f[3]);
        s.reason = *r;
    }
    if (!f[4].empty()) {
        auto o = parse_call_outcome(std::string(f[4]));
        if (!o) return bad("last_call_outcome", f[4]);
        s.last_call = static_cast<std::int8_t>(*o);
    }
    if (!f[5].empty()) {
        if (!parse_int(f[5], n)) return bad("last_call_duration_ms", f[5]);
        s.last_call_duration_ms = static_cast<std::int32_t>(n);
    }
    if (!f[6].empty()) {
        if (f[6] != "success" && f[6] != "failure") return bad("last_application_result", f[6]);
        s.last_app = f[6] == "success" ? 1 : 0;
    }
    for (auto [field, name, out] :
         {std::tuple<std::string_view, const char*, TimeMs*>{f[7], "entered_at", &s.entered_at},
          {f[8], "release_at", &s.release_at}}) {
        if (field.empty()) continue;
        if (!parse_int(field, n)) return bad(name, field);
        *out = n;
    }
    if (!node.empty()) place_on_stored_node(s, g, std::string(node));
    return s;
}

std::optional<Phase> lead_state_phase(std::string_view text) {
    if (!text.empty() && text.front() == '{') {
        Json j = Json::parse(text.begin(), text.end(), nullptr, false);
        if (!j.is_object() || !j.contains("phase") || !j["phase"].is_string()) return std::nullopt;
        return parse_phase(j["phase"].get<std::string>());
    }
    std::array<std::string_view, kFields> f;
    std::string_view node;
    if (!split(text, f, node)) return std::nullopt;
    return parse_phase(std::string(f[0]));
}

std::optional<std::string> lead_state_node_id(std::string_view text) {
    if (!text.empty() && text.front() == '{') {
        Json j = Json::parse(text.begin(), text.end(), nullptr, false);
        if (!j.is_object() || !j.contains("node_id") || !j["node_id"].is_string()) {
            return std::nullopt;
        }
        return j["node_id"].get<std::string>();
    }
    std::array<std::string_view, kFields> f;
    std::string_view node;
    if (!split(text, f, node) || node.empty()) return std::nullopt;
    return std::string(node);
}

std::optional<std::string> with_lead_state_node_id(std::string_view text,
                                                   const std::string& node_id) {
    if (!text.empty() && text.front() == '{') {
        Json j = Json::parse(text.begin(), text.end(), nullptr, false);
        if (!j.is_object()) return std::nullopt;
        j["node_id"] = node_id;
        return j.dump();
    }
    std::array<std::string_view, kFields> f;
    std::string_view node;
    if (!split(text, f, node)) return std::nullopt;
    return std::string(text.substr(0, text.size() - node.size())) + node_id;
}

}  // namespace leadflow::server
