// server/http/json_text.cpp — see json_text.hpp; the value primitives are util/json_text.
#include "http/json_text.hpp"

#include <map>

#include "http/errors.hpp"
#include "leadflow/civil_time.hpp"
#include "leadflow/json.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::server {
namespace {

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

void append_metadata(std::string& out, const Json& metadata) {
    if (metadata.is_object()) {
        out += metadata.dump(-1, ' ', false, Json::error_handler_t::replace);
    } else {
        out += "{}";
    }
}

}  // namespace

void append_lead_json(std::string& out, const Lead& l) {
    // Field order of the core's to_json(Lead), then the DialNexa name of the variables.
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
    out += ",\"metadata\":";
    append_metadata(out, l.metadata);
    out += ",\"status\":";
    append_json_string(out, to_string(l.status));
    out += ",\"current_node_id\":";
    append_json_optional_string(out, l.current_node_id);
    if (l.version) {
        out += ",\"version\":";
        append_json_int(out, *l.version);
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

void append_compat_lead_json(std::string& out, const Lead& l) {
    out += "{\"id\":";
    append_json_string(out, l.id);
    out += ",\"phone_number\":";
    append_json_string(out, l.phone_number);
    out += ",\"dynamic_variables\":";
    append_string_map(out, l.variables);
    out += ",\"status\":";
    append_json_string(out, to_string(l.status));
    out += ",\"createdAt\":";
    append_json_time(out, l.created_at);
    out += ",\"metadata\":";
    append_metadata(out, l.metadata);
    out.push_back('}');
}

std::string lead_page_body(const std::vector<Lead>& leads, const PageParams& p,
                           std::int64_t total) {
    std::string items;
    items.reserve(leads.size() * 400);
    for (std::size_t i = 0; i < leads.size(); ++i) {
        if (i > 0) items.push_back(',');
        append_lead_json(items, leads[i]);
    }
    return page_body(items, p, total);
}

void append_workflow_json(std::string& out, const Workflow& w, const WorkflowCounts& counts) {
    // The object's own keys: an extra member named like one of them is not written (the
    // workflow's own value wins, and a key appears once).
    static const char* const kOwnKeys[] = {
        "id",         "organization_id", "title",        "description",
        "status",     "entry_node_id",   "settings",     "created_at",
        "updated_at", "activated_at",    "completed_at", "node_count",
        "edge_count", "enrolled_leads",  "lead_counts",  "published_version",
        "problems"};
    const auto dump = [](const Json& j) {
        return j.dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    out += "{\"id\":";
    append_json_string(out, w.id);
    out += ",\"organization_id\":";
    append_json_string(out, w.organization_id);
    out += ",\"title\":";
    append_json_string(out, w.title);
    out += ",\"description\":";
    append_json_string(out, w.description);
    out += ",\"status\":";
    append_json_string(out, to_string(w.status));
    out += ",\"entry_node_id\":";
    append_json_optional_string(out, w.entry_node_id);
    out += ",\"settings\":";
    out += dump(to_json(w.settings));
    out += ",\"published_version\":";
    if (w.published_version) {
        append_json_int(out, *w.published_version);
    } else {
        out += "null";
    }
    out += ",\"problems\":";
    out += w.problems.is_array() ? dump(w.problems) : std::string("[]");
    if (w.extra.is_object()) {
        for (auto it = w.extra.begin(); it != w.extra.end(); ++it) {
            bool own = false;
            for (const char* k : kOwnKeys) own = own || it.key() == k;
            if (own) continue;
            out.push_back(',');
            append_json_string(out, it.key());
            out.push_back(':');
            out += dump(it.value());
        }
    }
    out += ",\"node_count\":";
    append_json_int(out, counts.node_count);
    out += ",\"edge_count\":";
    append_json_int(out, counts.edge_count);
    out += ",\"enrolled_leads\":";
    append_json_int(out, counts.enrolled_leads);
    out += ",\"lead_counts\":{";
    bool first = true;
    for (LeadStatus s : all_lead_statuses()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, to_string(s));
        out.push_back(':');
        auto it = counts.lead_counts.find(s);
        append_json_int(out, it == counts.lead_counts.end() ? 0 : it->second);
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
}

std::string workflow_body(const Workflow& w, const WorkflowCounts& counts) {
    std::string out;
    out.reserve(1024);
    append_workflow_json(out, w, counts);
    return out;
}

std::string page_body(std::string_view items, const PageParams& p, std::int64_t total) {
    std::string out;
    out.reserve(items.size() + 96);
    out += "{\"data\":[";
    out += items;
    out += "],\"meta\":{\"page\":";
    append_json_int(out, p.page);
    out += ",\"limit\":";
    append_json_int(out, p.limit);
    out += ",\"total\":";
    append_json_int(out, total);
    out += ",\"totalPages\":";
    append_json_int(out, (total + p.limit - 1) / p.limit);
    out += "}}";
    return out;
}

}  // namespace leadflow::server
