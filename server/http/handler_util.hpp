// server/http/handler_util.hpp — helpers shared by the route handlers: body and query parsing
// with the API's error rules, pagination, and the JSON shapes of docs/api.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/app.hpp"
#include "http/errors.hpp"
#include "http/http_types.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"
#include "leadflow/validate.hpp"
#include "store/store.hpp"

namespace leadflow::server {

// Reads a JSON object body into *out. A body sent with a media type other than
// application/json → 415; malformed JSON or a non-object → 400; an empty body → 400 when
// `required`, else *out = {}. Returns false and fills *error on failure.
bool read_json_body(const Request& req, Json* out, Response* error, bool required = true);

struct PageParams {
    int page = 1;
    int limit = 20;
};
// Reads `page` (≥ 1, default 1) and `limit` (1–100, default 20); 400 for anything else.
Result<PageParams> read_page(const Request& req);
// Reads a boolean query parameter: absent → `fallback`; "true"/"1" or "false"/"0"; 400 otherwise.
Result<bool> read_bool_param(const Request& req, const std::string& name, bool fallback);
// {"data": [...], "meta": {"page", "limit", "total", "totalPages"}}.
Json page_json(Json data, const PageParams& p, std::int64_t total);

// Field readers for a JSON object body. Absent (or null, when `null_ok`) → nullopt; wrong type →
// kInvalidArgument naming the field.
Result<std::optional<std::string>> opt_string(const Json& body, const std::string& key,
                                              std::size_t max_len = 100000);
Result<std::optional<double>> opt_number(const Json& body, const std::string& key);
Result<std::optional<std::int64_t>> opt_integer(const Json& body, const std::string& key);

// {"message": text}
Json message_json(const std::string& text);
// ISO-8601 or null.
Json time_json(const std::optional<TimeMs>& t);

// The workflow object (append_workflow_json) as a Json, for replies that embed it.
Json workflow_json(const Workflow& w, const WorkflowCounts& counts);
// The DialNexa v1 workflow shape {id, title, status, description, createdAt, updatedAt}.
Json compat_workflow_json(const Workflow& w);
// The lead object (append_lead_json) as a Json, for replies that embed or extend it.
Json lead_json(const Lead& l);
// A JSON array of the node / edge objects, in the order given.
Json nodes_json(const std::vector<Node>& nodes);
Json edges_json(const std::vector<Edge>& edges);

// The workflow `id` of this organization; kNotFound otherwise.
Result<Workflow> find_workflow(StoreTx& tx, const RequestContext& ctx, const std::string& id);
// The whole graph of a workflow: load_graph() in store/store.hpp.

// True for completed and cancelled workflows (graph edits and uploads → 409).
bool is_terminal_workflow(WorkflowStatus s);
// True for active and its legacy spelling running.
bool is_active_workflow(WorkflowStatus s);

// Core validation plus the server's own check: VOICE_CALL from_phone_number numbers that are
// E.164 in form but not valid numbers per libphonenumber (INVALID_PHONE_NUMBER).
std::vector<Diagnostic> validate_graph(const Graph& g);
// 400 {message: [readable errors], errors: [error diagnostics]} for a graph that cannot run.
Response validation_failure(const std::vector<Diagnostic>& diags);

}  // namespace leadflow::server

namespace leadflow::server {

// A handler that needs to answer with a specific response from inside a transaction stores
// the response and returns abort_transaction(): the transaction rolls back and finish() sends
// the stored response. Any other failure becomes status_response().
Status abort_transaction();
Response finish(const Status& st, Response out);

}  // namespace leadflow::server
