// web/app/lead_data.cpp — the lead table's and the call log's requests, answers and words.
#include "lead_data.hpp"

#include <algorithm>
#include <cmath>

#include "json_fields.hpp"
#include "leadflow/text.hpp"
#include "workflow_list.hpp"

namespace leadflow::web {

namespace {

// Reads data + meta of a paged answer; `read_row` reads one row (false: not a row).
template <typename Row, typename ReadRow>
Result<ListPage<Row>> read_list_page(const Json& body, const std::string& what,
                                     std::int64_t default_limit, ReadRow read_row) {
    auto bad = [&](const std::string& problem) {
        return Status::invalid(what + " answer: " + problem);
    };
    if (!body.is_object() || !body.contains("data") || !body["data"].is_array()) {
        return bad("no data list");
    }
    if (!body.contains("meta") || !body["meta"].is_object()) return bad("no meta");
    ListPage<Row> out;
    const Json& meta = body["meta"];
    if (!json_int(meta, "total", &out.total) || out.total < 0) return bad("no meta.total");
    json_int(meta, "page", &out.page);
    json_int(meta, "limit", &out.limit);
    if (out.page < 1) out.page = 1;
    if (out.limit < 1) out.limit = default_limit;
    if (!json_int(meta, "totalPages", &out.total_pages) || out.total_pages < 1) {
        out.total_pages = std::max<std::int64_t>(1, (out.total + out.limit - 1) / out.limit);
    }
    for (const Json& j : body["data"]) {
        Row r;
        if (!read_row(j, r)) return bad("a row without an id");
        out.rows.push_back(std::move(r));
    }
    return out;
}

}  // namespace

const std::vector<std::string>& lead_status_choices() {
    static const std::vector<std::string> kChoices = {"",        "pending", "active",  "completed",
                                                      "dropped", "failed",  "removed", "cancelled"};
    return kChoices;
}

const std::vector<std::string>& call_status_choices() {
    static const std::vector<std::string> kChoices = {
        "", "in_progress", "completed", "no_answer", "busy", "voicemail", "failed"};
    return kChoices;
}

std::string lead_list_path(const std::string& workflow_id, std::int64_t page,
                           const LeadFilter& filter) {
    std::string path = "/v1/workflows/" + workflow_id +
                       "/leads?page=" + std::to_string(std::max<std::int64_t>(page, 1)) +
                       "&limit=" + std::to_string(kLeadPageSize);
    if (!filter.status.empty()) path += "&status=" + query_escape(filter.status);
    const std::string phone = cut_utf8(trim(filter.phone), kMaxPhoneSearch);
    if (!phone.empty()) path += "&phone=" + query_escape(phone);
    return path;
}

Result<LeadPage> read_lead_page(const Json& body) {
    return read_list_page<LeadRow>(body, "lead list", kLeadPageSize, [](const Json& j, LeadRow& r) {
        r.id = json_str(j, "id");
        r.phone_number = json_str(j, "phone_number");
        r.status = json_str(j, "status");
        r.current_node_id = json_str(j, "current_node_id");
        r.created_at = json_str(j, "created_at");
        return !r.id.empty();
    });
}

std::string call_list_path(std::int64_t page, std::int64_t limit, const CallFilter& filter) {
    std::string path = "/v1/calls?page=" + std::to_string(std::max<std::int64_t>(page, 1)) +
                       "&limit=" + std::to_string(std::clamp<std::int64_t>(limit, 1, 100));
    if (!filter.workflow_id.empty()) path += "&workflow_id=" + query_escape(filter.workflow_id);
    if (!filter.lead_id.empty()) path += "&lead_id=" + query_escape(filter.lead_id);
    if (!filter.status.empty()) path += "&status=" + query_escape(filter.status);
    return path;
}

Result<CallPage> read_call_page(const Json& body) {
    return read_list_page<CallRow>(body, "call log", kCallPageSize, [](const Json& j, CallRow& r) {
        r.id = json_str(j, "id");
        r.workflow_id = json_str(j, "workflow_id");
        r.lead_id = json_str(j, "lead_id");
        r.node_id = json_str(j, "node_id");
        r.status = json_str(j, "status");
        r.outcome = json_str(j, "outcome");
        r.end_reason = json_str(j, "end_reason");
        if (j.is_object() && j.contains("duration_s") && j["duration_s"].is_number()) {
            r.duration_s = j["duration_s"].get<double>();
        }
        if (j.is_object() && j.contains("analysis") && j["analysis"].is_object()) {
            r.analysis = j["analysis"];
        }
        r.created_at = json_str(j, "created_at");
        r.ended_at = json_str(j, "ended_at");
        return !r.id.empty();
    });
}

std::string page_range_label(std::int64_t page, std::int64_t limit, std::int64_t total,
                             std::size_t shown, const std::string& none) {
    if (shown == 0) return none;
    const std::int64_t first = (std::max<std::int64_t>(page, 1) - 1) * limit + 1;
    const std::int64_t last = first + static_cast<std::int64_t>(shown) - 1;
    return std::to_string(first) + "\xE2\x80\x93" + std::to_string(last) + " of " +
           std::to_string(std::max(total, last));
}

std::string call_duration_text(double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds)) return "\xE2\x80\x94";
    const auto s = static_cast<std::int64_t>(std::llround(seconds));
    if (s < 60) return std::to_string(s) + "s";
    return std::to_string(s / 60) + "m " + std::to_string(s % 60) + "s";
}

std::string call_analysis_text(const Json& analysis) {
    if (!analysis.is_object()) return "";
    std::string out;
    for (auto it = analysis.begin(); it != analysis.end(); ++it) {
        if (!out.empty()) out += ", ";
        out += it.key() + ": " +
               (it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
    }
    return out;
}

std::string remove_lead_question(const LeadRow& lead) {
    return "Remove " + (lead.phone_number.empty() ? lead.id : lead.phone_number) +
           " from the workflow? It stops where it is; its history and calls stay.";
}

}  // namespace leadflow::web
