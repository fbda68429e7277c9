// server/http/json_text.hpp — the API's JSON objects written straight into a string: compact,
// invalid UTF-8 replaced (as json_response dumps), without the tree of allocations a Json needs.
// Each object has one writer here; routes that need the object as a Json parse its text
// (workflow_json, lead_json in handler_util.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/handler_util.hpp"
#include "leadflow/model.hpp"
#include "store/store.hpp"
#include "util/json_text.hpp"

namespace leadflow::server {

// The API's lead object, the one writer of it: the core's lead (to_json(Lead)) followed by
// `dynamic_variables`, the DialNexa name of its variables.
void append_lead_json(std::string& out, const Lead& l);

// The body of a page of leads: {"data": [lead objects], "meta": {...}} (see page_body).
std::string lead_page_body(const std::vector<Lead>& leads, const PageParams& p, std::int64_t total);

// Appends a lead as the DialNexa envelope lists it: {id, phone_number, dynamic_variables,
// status, createdAt, metadata}.
void append_compat_lead_json(std::string& out, const Lead& l);

// The API's workflow object, the one writer of it: id, organization_id, title, description,
// status, entry_node_id, settings, published_version (null until published), problems ([] when
// none), the members a client sent that the server does not know (except any named like a key
// here), node_count, edge_count, enrolled_leads, lead_counts (every status), created_at,
// updated_at, activated_at, completed_at.
void append_workflow_json(std::string& out, const Workflow& w, const WorkflowCounts& counts);
// append_workflow_json as a whole body.
std::string workflow_body(const Workflow& w, const WorkflowCounts& counts);

// A page: {"data":[ITEMS],"meta":{"page","limit","total","totalPages"}}, where `items` is the
// comma-separated JSON text of the page's objects.
std::string page_body(std::string_view items, const PageParams& p, std::int64_t total);

}  // namespace leadflow::server
