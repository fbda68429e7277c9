// server/http/openapi.cpp — the OpenAPI 3 document, one table row per operation.
#include "http/openapi.hpp"

#include <string>
#include <vector>

namespace leadflow::server {
namespace {

enum Body { kNoBody, kJsonBody, kLeadUpload, kOptionalJson };
enum Query { kNoQuery, kPaged, kWorkflowList, kLeadList, kCallList };

struct Operation {
    const char* method;  // lower case, as OpenAPI keys them
    const char* path;
    const char* tag;
    const char* summary;
    Body body;
    Query query;
    int success;
    const char* schema;  // response schema name in components, or "" for a message
    bool public_route = false;
};

const Operation kOperations[] = {
    {"post", "/v1/workflows", "Workflows", "Create a draft workflow", kJsonBody, kNoQuery, 201,
     "Workflow"},
    {"get", "/v1/workflows", "Workflows", "List workflows (filters, sort, pages)", kNoBody,
     kWorkflowList, 200, "WorkflowPage"},
    {"get", "/v1/workflows/{id}", "Workflows", "Read a workflow with its counts", kNoBody, kNoQuery,
     200, "Workflow"},
    {"patch", "/v1/workflows/{id}", "Workflows",
     "Update title, description, settings (merged: the keys given change, null resets one), entry "
     "node",
     kJsonBody, kNoQuery, 200, "Workflow"},
    {"delete", "/v1/workflows/{id}", "Workflows", "Delete a workflow and everything in it", kNoBody,
     kNoQuery, 200, ""},
    {"post", "/v1/workflows/{id}/activate", "Lifecycle", "Activate a draft (validates the graph)",
     kOptionalJson, kNoQuery, 200, "Workflow"},
    {"post", "/v1/workflows/{id}/pause", "Lifecycle", "Pause an active workflow", kOptionalJson,
     kNoQuery, 200, "Workflow"},
    {"post", "/v1/workflows/{id}/resume", "Lifecycle", "Resume a paused workflow", kOptionalJson,
     kNoQuery, 200, "Workflow"},
    {"post", "/v1/workflows/{id}/cancel", "Lifecycle", "Cancel a workflow and its unfinished leads",
     kOptionalJson, kNoQuery, 200, "Workflow"},
    {"patch", "/v1/workflows/{id}/status", "Lifecycle",
     "Compatibility form: {action: activate|deactivate|pause|resume}", kJsonBody, kNoQuery, 200,
     "Workflow"},
    {"post", "/v1/workflows/{id}/validate", "Workflows", "Validate the graph", kNoBody, kNoQuery,
     200, "ValidationReport"},
    {"post", "/v1/workflows/{id}/duplicate", "Workflows",
     "Copy into a new draft (graph, settings, scenario)", kOptionalJson, kNoQuery, 201, "Workflow"},
    {"get", "/v1/workflows/{id}/graph", "Graph", "Read workflow, nodes and edges at once", kNoBody,
     kNoQuery, 200, "Graph"},
    {"put", "/v1/workflows/{id}/graph", "Graph",
     "Replace the draft's nodes and edges atomically (an active workflow publishes a valid "
     "draft at once; ?publish=false saves the draft only)",
     kJsonBody, kNoQuery, 200, "Graph"},
    {"post", "/v1/workflows/{id}/publish", "Versions",
     "Publish the draft as the next version ({note, migrate: keep|move, node_map, dry_run})",
     kOptionalJson, kNoQuery, 201, "PublishResult"},
    {"get", "/v1/workflows/{id}/versions", "Versions", "List published versions, newest first",
     kNoBody, kPaged, 200, "VersionPage"},
    {"get", "/v1/workflows/{id}/versions/{n}", "Versions",
     "Read a version's graph and scenario (n: number or latest)", kNoBody, kNoQuery, 200,
     "VersionGraph"},
    {"get", "/v1/workflows/{id}/versions/{a}/diff/{b}", "Versions",
     "What changed from version a to version b (either may be draft or latest)", kNoBody, kNoQuery,
     200, "GraphDiff"},
    {"post", "/v1/workflows/{id}/versions/{n}/restore", "Versions",
     "Replace the draft with version n (publishing is a separate step)", kNoBody, kNoQuery, 200,
     "Graph"},
    {"post", "/v1/workflows/{id}/nodes", "Graph", "Create a node", kJsonBody, kNoQuery, 201,
     "Node"},
    {"get", "/v1/workflows/{id}/nodes", "Graph", "List nodes", kNoBody, kNoQuery, 200, "NodeList"},
    {"get", "/v1/workflows/{id}/nodes/{nodeId}", "Graph", "Read a node", kNoBody, kNoQuery, 200,
     "Node"},
    {"patch", "/v1/workflows/{id}/nodes/{nodeId}", "Graph",
     "Update label, position, config (node_type is immutable)", kJsonBody, kNoQuery, 200, "Node"},
    {"delete", "/v1/workflows/{id}/nodes/{nodeId}", "Graph", "Delete a node and its edges", kNoBody,
     kNoQuery, 200, ""},
    {"post", "/v1/workflows/{id}/edges", "Graph", "Create an edge", kJsonBody, kNoQuery, 201,
     "Edge"},
    {"get", "/v1/workflows/{id}/edges", "Graph", "List edges in edge order", kNoBody, kNoQuery, 200,
     "EdgeList"},
    {"patch", "/v1/workflows/{id}/edges/{edgeId}", "Graph", "Update label or position", kJsonBody,
     kNoQuery, 200, "Edge"},
    {"delete", "/v1/workflows/{id}/edges/{edgeId}", "Graph", "Delete an edge", kNoBody, kNoQuery,
     200, ""},
    {"get", "/v1/workflows/{id}/scenario", "Simulation", "Read the stored simulation scenario",
     kNoBody, kNoQuery, 200, "Scenario"},
    {"put", "/v1/workflows/{id}/scenario", "Simulation", "Store the simulation scenario", kJsonBody,
     kNoQuery, 200, "Scenario"},
    {"post", "/v1/workflows/{id}/simulate", "Simulation",
     "Simulate the stored or given scenario ({scenario, leads, seed})", kOptionalJson, kNoQuery,
     200, "SimulationResults"},
    {"post", "/v1/workflows/{id}/leads", "Leads",
     "Enroll leads: a CSV or .xlsx file (multipart field 'file'), one JSON lead, or {leads: [...]}",
     kLeadUpload, kNoQuery, 201, "LeadUpload"},
    {"get", "/v1/workflows/{id}/leads", "Leads", "List leads (status, leadIds)", kNoBody, kLeadList,
     200, "LeadPage"},
    {"get", "/v1/workflows/{id}/leads/variable-keys", "Leads",
     "Names of every lead variable uploaded", kNoBody, kNoQuery, 200, "VariableKeys"},
    {"get", "/v1/workflows/{id}/leads/{leadId}", "Leads", "Read a lead with its execution", kNoBody,
     kNoQuery, 200, "LeadDetail"},
    {"delete", "/v1/workflows/{id}/leads/{leadId}", "Leads",
     "Remove a lead from the workflow (kept for history)", kNoBody, kNoQuery, 200, ""},
    {"get", "/v1/workflows/{id}/leads/{leadId}/history", "Leads", "A lead's steps", kNoBody,
     kNoQuery, 200, "LeadHistory"},
    {"get", "/v1/workflows/{id}/node-counts", "Leads",
     "Lead counts per current node and status (live view; by_status lists non-zero statuses)",
     kNoBody, kNoQuery, 200, "NodeCounts"},
    {"get", "/v1/calls", "Calls", "Call log (workflow_id, lead_id)", kNoBody, kCallList, 200,
     "CallPage"},
    {"post", "/v1/calls/{id}/result", "Calls",
     "Call result from the voice platform (webhook provider; Standard Webhooks headers "
     "webhook-id, webhook-timestamp, webhook-signature; 401 bad signature or timestamp outside "
     "5 minutes, 409 webhook-id already used or body call_id not this call; idempotent)",
     kJsonBody, kNoQuery, 200, "", true},
    {"post", "/v1/user-webhooks", "Webhooks", "Subscribe a URL to events", kJsonBody, kNoQuery, 201,
     "Webhook"},
    {"get", "/v1/user-webhooks", "Webhooks", "List webhooks", kNoBody, kNoQuery, 200,
     "WebhookList"},
    {"get", "/v1/user-webhooks/{webhookId}", "Webhooks", "Read a webhook", kNoBody, kNoQuery, 200,
     "Webhook"},
    {"delete", "/v1/user-webhooks/{webhookId}", "Webhooks", "Delete a webhook", kNoBody, kNoQuery,
     200, ""},
    {"post", "/v1/share-links", "Sharing",
     "Store a share-link fragment (\"s=1.…\") and get its short path /s/<id>", kJsonBody, kNoQuery,
     201, ""},
    {"delete", "/v1/share-links/{id}", "Sharing",
     "Delete a short link (only the organization that stored it)", kNoBody, kNoQuery, 200, ""},
    {"get", "/s/{id}", "Sharing", "Short link: redirects (302) to the web app with the fragment",
     kNoBody, kNoQuery, 302, "", true},
    {"get", "/healthz", "Operations", "Liveness and storage check", kNoBody, kNoQuery, 200,
     "Health", true},
    {"get", "/readyz", "Operations",
     "Readiness: a test write commits and the scheduler makes progress (503 with the reason "
     "otherwise)",
     kNoBody, kNoQuery, 200, "Readiness", true},
    {"get", "/metrics", "Operations",
     "Prometheus metrics (text) of the key's organization plus process-wide counters; every "
     "organization's on the serve --metrics-listen address (no key there)",
     kNoBody, kNoQuery, 200, ""},
    {"get", "/v1/openapi.json", "Operations", "This document", kNoBody, kNoQuery, 200, "", true},
};

Json schema_ref(const std::string& name) {
    return Json{{"$ref", "#/components/schemas/" + name}};
}

// The lead file of a multipart upload (docs/uploads.md has the whole account).
constexpr const char* kLeadFileTypes =
    "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr const char* kLeadFileDescription =
    "A CSV file (RFC 4180, UTF-8) or an Excel workbook (.xlsx, .xlsm), told apart by the bytes "
    "(a zip signature), the file name or the content type. Of a workbook only the first sheet in "
    "workbook order is read; its cells are taken as the sheet shows them (numbers as plain "
    "digits, so a phone column typed as numbers works; dates as ISO 8601; booleans as TRUE and "
    "FALSE). The first non-empty row is the header and needs a phone_number column; every other "
    "column becomes a variable; empty rows are skipped. Any invalid row rejects the whole upload "
    "with 400 and `errors` grouped by reason (nothing is enrolled). Limits: 100,000 data rows, "
    "101 columns, 4,096-byte values; a workbook also at most 10 MiB of text as CSV, 128 MiB "
    "unpacked and 10,000 zip entries. A workbook that cannot be read gives 400 \"file is not a "
    "valid .xlsx workbook: ...\" naming the part or cell; a legacy .xls or password-protected "
    "workbook gives 400 too.";

Json query_param(const char* name, const char* type, const char* description) {
    return Json{{"name", name},
                {"in", "query"},
                {"required", false},
                {"description", description},
                {"schema", Json{{"type", type}}}};
}

Json parameters(const Operation& op) {
    Json params = Json::array();
    const std::string path = op.path;
    std::size_t i = 0;
    while ((i = path.find('{', i)) != std::string::npos) {
        std::size_t j = path.find('}', i);
        params.push_back(Json{{"name", path.substr(i + 1, j - i - 1)},
                              {"in", "path"},
                              {"required", true},
                              {"schema", Json{{"type", "string"}}}});
        i = j;
    }
    if (op.query != kNoQuery) {
        params.push_back(query_param("page", "integer", "Page number, from 1 (default 1)"));
        params.push_back(query_param("limit", "integer", "Items per page, 1-100 (default 20)"));
    }
    if (op.query == kWorkflowList) {
        params.push_back(
            query_param("status", "string", "draft, active, paused, completed, cancelled"));
        params.push_back(query_param("search", "string", "Title substring (case-insensitive)"));
        params.push_back(query_param("sortBy", "string", "created_at, updated_at or title"));
        params.push_back(query_param("sortOrder", "string", "ASC or DESC (default DESC)"));
    } else if (op.query == kLeadList) {
        params.push_back(query_param("status", "string", "Lead status; in_progress = active"));
        params.push_back(query_param("leadIds", "string", "Comma-separated lead ids"));
    } else if (op.query == kCallList) {
        params.push_back(query_param("workflow_id", "string", "Only this workflow's calls"));
        params.push_back(query_param("lead_id", "string", "Only this lead's calls"));
    }
    if (!op.public_route) {
        params.push_back(Json{{"name", "X-Response-Envelope"},
                              {"in", "header"},
                              {"required", false},
                              {"description", "'dialnexa' answers in the DialNexa v1 envelope"},
                              {"schema", Json{{"type", "string"}}}});
    }
    return params;
}

Json error_responses(const Operation& op) {
    Json r = Json::object();
    auto add = [&](const char* code, const char* text) {
        r[code] =
            Json{{"description", text},
                 {"content", Json{{"application/json", Json{{"schema", schema_ref("Error")}}}}}};
    };
    if (std::string(op.path) == "/readyz") {
        r["503"] = Json{
            {"description",
             "Not ready: the test write failed (storage full or failing) or the "
             "scheduler is backing off or made no progress; message says why"},
            {"content", Json{{"application/json", Json{{"schema", schema_ref("Readiness")}}}}}};
    }
    if (std::string(op.path) == "/healthz") add("503", "Storage cannot be read");
    if (op.public_route) return r;
    add("400",
        "Bad input (message names the field); validation failures add errors; a header that "
        "must be unique (Authorization, Content-Length, Content-Type, Host, Transfer-Encoding, "
        "Content-Encoding) sent twice");
    add("401", "Missing or invalid API key, or the key has been revoked or has expired");
    if (std::string(op.path) != "/v1/workflows" && std::string(op.path) != "/v1/calls" &&
        std::string(op.path) != "/v1/user-webhooks") {
        add("404", "Not found (or owned by another organization)");
    }
    if (std::string(op.method) != "get") {
        add("403", "The API key is read-only (GET and HEAD routes only)");
        add("409", "Not allowed in the workflow's current state");
        add("413", "Body over 10 MB (declared, chunked, or once gzip/deflate is inflated)");
        add("415", "Wrong Content-Type, or a Content-Encoding other than gzip or deflate");
    }
    if (std::string(op.path) == "/v1/workflows/{id}/simulate") {
        add("422", "The run needs more simulated events than a request may use (docs/limits.md)");
        add("499", "The client disconnected; the run was stopped");
    }
    add("408", "Request head or body not received in time (docs/deployment.md)");
    add("429", "Rate limited (see Retry-After)");
    add("431", "Request head over 16 KB or over 100 header fields");
    add("503", "Storage is full or failing: nothing was saved; retry later (see Retry-After)");
    return r;
}

Json schemas() {
    auto obj = [](Json props) {
        return Json{{"type", "object"}, {"properties", std::move(props)}};
    };
    Json str = {{"type", "string"}};
    Json integer = {{"type", "integer"}};
    Json any_obj = {{"type", "object"}};
    Json time = {{"type", "string"}, {"format", "date-time"}};
    Json s = Json::object();
    s["Error"] = obj(
        {{"statusCode", integer},
         {"message", Json{{"oneOf", Json::array({str, Json{{"type", "array"}, {"items", str}}})}}},
         {"error", str},
         {"errors", Json{{"type", "array"}, {"items", any_obj}}}});
    s["Workflow"] =
        obj({{"id", str},
             {"organization_id", str},
             {"title", str},
             {"description", str},
             {"status", Json{{"type", "string"},
                             {"enum", {"draft", "active", "paused", "completed", "cancelled"}}}},
             {"entry_node_id", str},
             {"settings", any_obj},
             {"published_version", integer},
             {"problems", Json{{"type", "array"}, {"items", any_obj}}},
             {"node_count", integer},
             {"edge_count", integer},
             {"enrolled_leads", integer},
             {"lead_counts", any_obj},
             {"created_at", time},
             {"updated_at", time},
             {"activated_at", time},
             {"completed_at", time}});
    Json meta =
        obj({{"page", integer}, {"limit", integer}, {"total", integer}, {"totalPages", integer}});
    auto page_of = [&](const char* item) {
        return obj(
            {{"data", Json{{"type", "array"}, {"items", schema_ref(item)}}}, {"meta", meta}});
    };
    auto list_of = [&](const char* item) {
        return obj({{"data", Json{{"type", "array"}, {"items", schema_ref(item)}}}});
    };
    s["WorkflowPage"] = page_of("Workflow");
    s["Node"] = obj({{"id", str},
                     {"node_type", str},
                     {"label", str},
                     {"position_x", Json{{"type", "number"}}},
                     {"position_y", Json{{"type", "number"}}},
                     {"config", any_obj}});
    s["NodeList"] = list_of("Node");
    s["Edge"] = obj({{"id", str},
                     {"from_node_id", str},
                     {"to_node_id", str},
                     {"label", str},
                     {"position", integer}});
    s["EdgeList"] = list_of("Edge");
    s["Graph"] = obj({{"workflow", schema_ref("Workflow")},
                      {"nodes", Json{{"type", "array"}, {"items", schema_ref("Node")}}},
                      {"edges", Json{{"type", "array"}, {"items", schema_ref("Edge")}}}});
    s["Version"] = obj({{"number", integer},
                        {"workflow_id", str},
                        {"created_at", time},
                        {"note", str},
                        {"published_by", str},
                        {"migrate", Json{{"type", "string"}, {"enum", {"keep", "move"}}}},
                        {"node_map", any_obj},
                        {"node_count", integer},
                        {"edge_count", integer},
                        {"current", Json{{"type", "boolean"}}}});
    s["VersionPage"] = page_of("Version");
    s["VersionGraph"] = obj({{"version", schema_ref("Version")},
                             {"workflow", any_obj},
                             {"nodes", Json{{"type", "array"}, {"items", schema_ref("Node")}}},
                             {"edges", Json{{"type", "array"}, {"items", schema_ref("Edge")}}},
                             {"scenario", any_obj}});
    s["MigrationSummary"] = obj({{"move", integer},
                                 {"stay", integer},
                                 {"not_started", integer},
                                 {"stay_by_version", Json{{"type", "array"}, {"items", any_obj}}},
                                 {"stay_by_node", Json{{"type", "array"}, {"items", any_obj}}}});
    s["PublishResult"] = obj({{"version", schema_ref("Version")},
                              {"leads", schema_ref("MigrationSummary")},
                              {"warnings", Json{{"type", "array"}, {"items", any_obj}}},
                              {"dry_run", Json{{"type", "boolean"}}},
                              {"valid", Json{{"type", "boolean"}}},
                              {"errors", Json{{"type", "array"}, {"items", any_obj}}}});
    s["GraphDiff"] = obj({{"nodes", any_obj},
                          {"edges", any_obj},
                          {"workflow", any_obj},
                          {"summary", any_obj},
                          {"from", str},
                          {"to", str}});
    s["ValidationReport"] = obj({{"valid", Json{{"type", "boolean"}}},
                                 {"errors", Json{{"type", "array"}, {"items", any_obj}}},
                                 {"warnings", Json{{"type", "array"}, {"items", any_obj}}}});
    s["Scenario"] = any_obj;
    s["SimulationResults"] = obj({{"leads", integer},
                                  {"seed", integer},
                                  {"terminal", any_obj},
                                  {"nodes", any_obj},
                                  {"edges", any_obj},
                                  {"calls", any_obj},
                                  {"time_to_terminal_hours", any_obj},
                                  {"in_progress", Json{{"type", "array"}, {"items", any_obj}}},
                                  {"exact", any_obj}});
    s["Lead"] = obj({{"id", str},
                     {"workflow_id", str},
                     {"phone_number", str},
                     {"variables", any_obj},
                     {"dynamic_variables", any_obj},
                     {"status", str},
                     {"current_node_id", str},
                     {"version", integer},
                     {"created_at", time},
                     {"updated_at", time},
                     {"completed_at", time}});
    s["LeadPage"] = page_of("Lead");
    s["LeadDetail"] =
        Json{{"allOf", Json::array({schema_ref("Lead"), obj({{"execution", any_obj}})})}};
    s["LeadHistory"] = obj({{"lead", schema_ref("Lead")},
                            {"execution", any_obj},
                            {"history", Json{{"type", "array"}, {"items", any_obj}}}});
    s["LeadUpload"] = obj({{"data", any_obj}, {"count", integer}, {"leads_enrolled", integer}});
    s["NodeCounts"] =
        obj({{"data",
              Json{{"type", "array"},
                   {"items", obj({{"node_id", str}, {"total", integer}, {"by_status", any_obj}})}}},
             {"not_started", integer},
             {"lead_counts", any_obj},
             {"enrolled_leads", integer}});
    s["VariableKeys"] = obj({{"keys", Json{{"type", "array"}, {"items", str}}}});
    s["Call"] = obj({{"id", str},
                     {"workflow_id", str},
                     {"lead_id", str},
                     {"node_id", str},
                     {"status", str},
                     {"outcome", str},
                     {"duration_s", Json{{"type", "number"}}},
                     {"analysis", any_obj},
                     {"created_at", time},
                     {"ended_at", time}});
    s["CallPage"] = page_of("Call");
    s["Webhook"] = obj({{"id", str},
                        {"url", str},
                        {"events", Json{{"type", "array"}, {"items", str}}},
                        {"created_at", time}});
    s["WebhookList"] = list_of("Webhook");
    s["Health"] = obj({{"status", str}, {"schema_version", integer}});
    s["Readiness"] =
        obj({{"status", Json{{"type", "string"}, {"enum", Json::array({"ready", "not_ready"})}}},
             {"message", str},
             {"storage",
              obj({{"write", Json{{"type", "string"}, {"enum", Json::array({"ok", "failed"})}}},
                   {"error", str}})},
             {"scheduler", obj({{"running", Json{{"type", "boolean"}}},
                                {"last_progress_at", time},
                                {"backing_off", Json{{"type", "boolean"}}},
                                {"failed_attempts", integer},
                                {"retry_in_ms", integer},
                                {"last_error", str},
                                {"last_error_at", time}})}});
    s["Message"] = obj({{"message", str}});
    return s;
}

Json build() {
    Json doc = Json::object();
    doc["openapi"] = "3.0.3";
    doc["info"] = Json{{"title", "Leadflow API"},
                       {"version", "1.0.0"},
                       {"description",
                        "Outbound-calling lead workflows. Compatible with the DialNexa Workflows "
                        "v1 API (send X-Response-Envelope: dialnexa or start the server with "
                        "--compat dialnexa for its response envelope)."}};
    doc["servers"] = Json::array({Json{{"url", "/"}}});
    Json paths = Json::object();
    for (const Operation& op : kOperations) {
        Json o = Json::object();
        o["tags"] = Json::array({op.tag});
        o["summary"] = op.summary;
        o["operationId"] = std::string(op.method) + " " + op.path;
        Json params = parameters(op);
        if (!params.empty()) o["parameters"] = std::move(params);
        if (op.body == kJsonBody || op.body == kOptionalJson) {
            o["requestBody"] =
                Json{{"required", op.body == kJsonBody},
                     {"content",
                      Json{{"application/json", Json{{"schema", Json{{"type", "object"}}}}}}}};
        } else if (op.body == kLeadUpload) {
            o["requestBody"] = Json{
                {"required", true},
                {"content",
                 Json{{"multipart/form-data",
                       Json{{"schema",
                             Json{{"type", "object"},
                                  {"required", Json::array({"file"})},
                                  {"properties",
                                   Json{{"file", Json{{"type", "string"},
                                                      {"format", "binary"},
                                                      {"description", kLeadFileDescription}}}}}}},
                            {"encoding", Json{{"file", Json{{"contentType", kLeadFileTypes}}}}}}},
                      {"application/json", Json{{"schema", Json{{"type", "object"}}}}}}}};
        }
        Json responses = Json::object();
        Json ok = Json{{"description", op.success == 201 ? "Created" : "OK"}};
        const std::string schema = op.schema;
        if (std::string(op.path) == "/metrics") {
            ok["content"] = Json{{"text/plain", Json{{"schema", Json{{"type", "string"}}}}}};
        } else if (std::string(op.path) == "/v1/openapi.json") {
            ok["content"] = Json{{"application/json", Json{{"schema", Json{{"type", "object"}}}}}};
        } else {
            ok["content"] =
                Json{{"application/json",
                      Json{{"schema", schema_ref(schema.empty() ? "Message" : schema)}}}};
        }
        responses[std::to_string(op.success)] = std::move(ok);
        const Json errors = error_responses(op);
        for (auto it = errors.begin(); it != errors.end(); ++it) responses[it.key()] = it.value();
        o["responses"] = std::move(responses);
        if (!op.public_route) o["security"] = Json::array({Json{{"bearerAuth", Json::array()}}});
        paths[op.path][op.method] = std::move(o);
    }
    doc["paths"] = std::move(paths);
    doc["components"] = Json{
        {"securitySchemes",
         Json{{"bearerAuth",
               Json{{"type", "http"},
                    {"scheme", "bearer"},
                    {"description", "Bearer <key_id>:<secret> (leadflow-server keys create)"}}}}},
        {"schemas", schemas()}};
    return doc;
}

}  // namespace

const Json& openapi_document() {
    static const Json kDoc = build();
    return kDoc;
}

}  // namespace leadflow::server
