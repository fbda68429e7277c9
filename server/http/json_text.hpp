// server/http/json_text.hpp — JSON response bodies written straight into a string, for the hot
// read routes. Each function writes exactly the bytes that building the same value as a Json
// and dumping it (json_response: compact, invalid UTF-8 replaced) would write, without the
// tree of allocations a Json needs.
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

// Appends lead_json(l) as dumped.
void append_lead_json(std::string& out, const Lead& l);

// The body of a page of leads: what page_json(<array of lead_json>, p, total) dumps.
std::string lead_page_body(const std::vector<Lead>& leads, const PageParams& p, std::int64_t total);

// Appends a lead as the DialNexa envelope lists it: {id, phone_number, dynamic_variables,
// status, createdAt, metadata}.
void append_compat_lead_json(std::string& out, const Lead& l);

// The body of GET /v1/workflows/{id}: what workflow_json(w, counts) dumps.
std::string workflow_body(const Workflow& w, const WorkflowCounts& counts);

}  // namespace leadflow::server
