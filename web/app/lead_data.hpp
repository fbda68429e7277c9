// web/app/lead_data.hpp — the Server tab's lead table and call log without a browser: the
// requests for one page of a workflow's leads (status filter, phone search) or of the call log
// (workflow, lead, status), reading the server's pages, and the words shown for them. Pure, so it
// is unit-tested natively; lead_ops.cpp sends the requests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

// Rows per page of the lead table and of the call log (the API allows 1–100).
constexpr std::int64_t kLeadPageSize = 25;
constexpr std::int64_t kCallPageSize = 25;
// Longest phone search sent (the server refuses longer text, docs/api.md#read).
constexpr std::size_t kMaxPhoneSearch = 64;

// The statuses the lead table filters by ("" = any), in the order its menu offers them.
const std::vector<std::string>& lead_status_choices();
// The statuses the call log filters by ("" = any).
const std::vector<std::string>& call_status_choices();

struct LeadFilter {
    std::string status;  // one lead status; "" = any
    std::string phone;   // the phone search as typed (the server reads it); "" = any
};

// One row of GET /v1/workflows/{id}/leads.
struct LeadRow {
    std::string id;
    std::string phone_number;
    std::string status;
    std::string current_node_id;
    std::string created_at;
};

// A page of a paged list ({"data": [...], "meta": {page, limit, total, totalPages}}).
template <typename Row>
struct ListPage {
    std::vector<Row> rows;
    std::int64_t page = 1;
    std::int64_t limit = kLeadPageSize;
    std::int64_t total = 0;
    std::int64_t total_pages = 1;  // at least 1
};
using LeadPage = ListPage<LeadRow>;

// The path of GET /v1/workflows/{workflow_id}/leads for page `page` (1 when below 1) of
// kLeadPageSize leads with `filter` (the phone search trimmed, cut to kMaxPhoneSearch bytes and
// percent-encoded; empty parts left out).
std::string lead_list_path(const std::string& workflow_id, std::int64_t page,
                           const LeadFilter& filter);
// Reads a page of leads. kInvalidArgument "lead list answer: …" when the shape is not the
// documented one (no data list, no meta.total, a row without a string id).
Result<LeadPage> read_lead_page(const Json& body);

// One call of GET /v1/calls.
struct CallRow {
    std::string id, workflow_id, lead_id, node_id, status, outcome, end_reason;
    double duration_s = -1;  // -1 while unknown (the call runs, or no duration was reported)
    Json analysis = Json::object();
    std::string created_at, ended_at;
};
using CallPage = ListPage<CallRow>;

struct CallFilter {
    std::string workflow_id;  // "" = any
    std::string lead_id;      // "" = any
    std::string status;       // one call status; "" = any
};

// The path of GET /v1/calls for page `page` (1 when below 1) of `limit` calls with `filter`.
std::string call_list_path(std::int64_t page, std::int64_t limit, const CallFilter& filter);
// Reads a page of calls. kInvalidArgument "call log answer: …" when the shape is not the
// documented one.
Result<CallPage> read_call_page(const Json& body);

// "26–50 of 130" for a page of `shown` rows; `none` when there are none.
std::string page_range_label(std::int64_t page, std::int64_t limit, std::int64_t total,
                             std::size_t shown, const std::string& none);

// A call's duration as "1m 37s" ("42s"; "—" while unknown).
std::string call_duration_text(double seconds);
// A call's analysis as "key: value, key: value" (values as JSON text unless strings); "" when
// it has none.
std::string call_analysis_text(const Json& analysis);

// The question asked before removing a lead: "Remove +14155552671 from the workflow? It stops
// where it is; its history and calls stay."
std::string remove_lead_question(const LeadRow& lead);

}  // namespace leadflow::web
