// server/http/json_text.cpp
//
// Only the common case is written by hand: strings of printable ASCII (escapes included) and
// timestamps of years 0–9999. Anything else (non-ASCII text, whose UTF-8 must be checked and
// possibly replaced) goes through the Json serializer, so the output never differs from it.
#include "http/json_text.hpp"

#include <map>

#include "http/errors.hpp"
#include "leadflow/civil_time.hpp"
#include "leadflow/json.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_digits(std::string& out, std::int64_t v, int width) {
    char buf[24];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n < width) buf[n++] = '0';
    while (n > 0) out.push_back(buf[--n]);
}

void append_int(std::string& out, std::int64_t v) {
    if (v < 0) {
        out += std::to_string(v);
        return;
    }
    append_digits(out, v, 1);
}

void append_string_map(std::string& out, const std::map<std::string, std::string>& m) {
    out.push_back('{');
    bool first = true;
    for (const auto& [k, v] : m) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, k);
        out.push_back(':');
        append_json_string(out, v);
    }
    out.push_back('}');
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    const std::size_t mark = out.size();
    out.push_back('"');
    std::size_t run = 0;  // start of the bytes not yet copied
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) continue;
        if (c >= 0x80) {
            out.resize(mark);
            out += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
            return;
        }
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 0xF]);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

void append_json_time(std::string& out, const std::optional<TimeMs>& t) {
    if (!t) {
        out += "null";
        return;
    }
    const CivilDateTime c = civil_from_ms(*t);
    if (c.date.year < 0 || c.date.year > 9999) {
        append_json_string(out, format_timestamp(*t));
        return;
    }
    // "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", as format_timestamp writes it.
    out.push_back('"');
    append_digits(out, c.date.year, 4);
    out.push_back('-');
    append_digits(out, c.date.month, 2);
    out.push_back('-');
    append_digits(out, c.date.day, 2);
    out.push_back('T');
    append_digits(out, c.hour, 2);
    out.push_back(':');
    append_digits(out, c.minute, 2);
    out.push_back(':');
    append_digits(out, c.second, 2);
    out.push_back('.');
    append_digits(out, c.millisecond, 3);
    out += "Z\"";
}

void append_lead_json(std::string& out, const Lead& l) {
    // Field order of to_json(Lead), then the dynamic_variables alias lead_json adds.
    out += "{\"id\":";
    append_json_string(out, l.id);
    out += ",\"workflow_id\":";
    append_json_string(out, l.workflow_id);
    out += ",\"phone_number\":";
    append_json_string(out, l.phone_number);
    out += ",\"variables\":";
    std::string vars;
    append_string_map(vars, l.variables);
    out += vars;
    out += ",\"status\":";
    append_json_string(out, to_string(l.status));
    out += ",\"current_node_id\":";
    if (l.current_node_id) {
        append_json_string(out, *l.current_node_id);
    } else {
        out += "null";
    }
    out += ",\"created_at\":";
    append_json_time(out, l.created_at);
    out += ",\"updated_at\":";
    append_json_time(out, l.updated_at);
    out += ",\"completed_at\":";
    append_json_time(out, l.completed_at);
    out += ",\"dynamic_variables\":";
    out += vars;
    out.push_back('}');
}

std::string lead_page_body(const std::vector<Lead>& leads, const PageParams& p,
                           std::int64_t total) {
    std::string out;
    out.reserve(64 + leads.size() * 400);
    out += "{\"data\":[";
    for (std::size_t i = 0; i < leads.size(); ++i) {
        if (i > 0) out.push_back(',');
        append_lead_json(out, leads[i]);
    }
    out += "],\"meta\":{\"page\":";
    append_int(out, p.page);
    out += ",\"limit\":";
    append_int(out, p.limit);
    out += ",\"total\":";
    append_int(out, total);
    out += ",\"totalPages\":";
    append_int(out, (total + p.limit - 1) / p.limit);
    out += "}}";
    return out;
}

std::string workflow_body(const Workflow& w, const WorkflowCounts& counts) {
    // Keys written before, among or after the extra members; an extra member with one of these
    // names changes where it lands, so such rare workflows take the Json path.
    static const char* const kOwnKeys[] = {"id",           "organization_id", "title",
                                           "description",  "status",          "entry_node_id",
                                           "settings",     "created_at",      "updated_at",
                                           "activated_at", "completed_at",    "node_count",
                                           "edge_count",   "enrolled_leads",  "lead_counts"};
    bool plain = w.extra.is_object();
    for (const char* k : kOwnKeys) {
        if (plain && w.extra.contains(k)) plain = false;
    }
    if (!plain) return json_response(200, workflow_json(w, counts)).body;

    const auto dump = [](const Json& j) {
        return j.dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    std::string out;
    out.reserve(1024);
    // Field order of to_json(Workflow), with the counts workflow_json adds to the extra members.
    out += "{\"id\":";
    append_json_string(out, w.id);
    out += ",\"organization_id\":";
    append_json_string(out, w.organization_id);
    out += ",\"title\":";
    append_json_string(out, w.title);
    out += ",\"description\":";
    append_json_string(out, w.description);
    out += ",\"status\":";
    append_json_string(
        out, to_string(w.status == WorkflowStatus::kRunning ? WorkflowStatus::kActive : w.status));
    out += ",\"entry_node_id\":";
    if (w.entry_node_id) {
        append_json_string(out, *w.entry_node_id);
    } else {
        out += "null";
    }
    out += ",\"settings\":";
    out += dump(to_json(w.settings));
    for (auto it = w.extra.begin(); it != w.extra.end(); ++it) {
        out.push_back(',');
        append_json_string(out, it.key());
        out.push_back(':');
        out += dump(it.value());
    }
    out += ",\"node_count\":";
    append_int(out, counts.node_count);
    out += ",\"edge_count\":";
    append_int(out, counts.edge_count);
    out += ",\"enrolled_leads\":";
    append_int(out, counts.enrolled_leads);
    out += ",\"lead_counts\":{";
    bool first = true;
    for (LeadStatus s : all_lead_statuses()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, to_string(s));
        out.push_back(':');
        auto it = counts.lead_counts.find(s);
        append_int(out, it == counts.lead_counts.end() ? 0 : it->second);
    }
    out += "},\"created_at\":";
    append_json_time(out, w.created_at);
    out += ",\"updated_at\":";
    append_json_time(out, w.updated_at);
    out += ",\"activated_at\":";
    append_json_time(out, w.activated_at);
    out += ",\"completed_at\":";
    append_json_time(out, w.completed_at);
    out.push_back('}');
    return out;
}

}  // namespace leadflow::server
