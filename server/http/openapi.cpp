// server/http/openapi.cpp — the OpenAPI 3 document, generated from the route table.
#include "http/openapi.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace leadflow::server {
namespace {

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

Json parameters(const Route& route) {
    Json params = Json::array();
    const std::string& path = route.pattern;
    std::size_t i = 0;
    while ((i = path.find('{', i)) != std::string::npos) {
        std::size_t j = path.find('}', i);
        params.push_back(Json{{"name", path.substr(i + 1, j - i - 1)},
                              {"in", "path"},
                              {"required", true},
                              {"schema", Json{{"type", "string"}}}});
        i = j;
    }
    const QueryKind q = route.doc.query;
    if (q == QueryKind::kPaged || q == QueryKind::kWorkflowList || q == QueryKind::kLeadList ||
        q == QueryKind::kCallList) {
        params.push_back(query_param("page", "integer", "Page number, from 1 (default 1)"));
        params.push_back(query_param("limit", "integer", "Items per page, 1-100 (default 20)"));
    }
    if (q == QueryKind::kWorkflowList) {
        params.push_back(
            query_param("status", "string", "draft, active, paused, completed, cancelled"));
        params.push_back(query_param("search", "string", "Title substring (case-insensitive)"));
        params.push_back(query_param("sortBy", "string", "created_at, updated_at or title"));
        params.push_back(query_param("sortOrder", "string", "ASC or DESC (default DESC)"));
    } else if (q == QueryKind::kLeadList) {
        params.push_back(query_param("status", "string", "Lead status; in_progress = active"));
        params.push_back(query_param("leadIds", "string", "Comma-separated lead ids"));
        params.push_back(query_param(
            "phone", "string",
            "Phone number search: digits anywhere in the E.164 number, or from its start after a "
            "leading + (spaces, dashes, dots, parentheses ignored; at most 15 digits)"));
    } else if (q == QueryKind::kCallList) {
        params.push_back(query_param("workflow_id", "string", "Only this workflow's calls"));
        params.push_back(query_param("lead_id", "string", "Only this lead's calls"));
        params.push_back(query_param(
            "status", "string", "in_progress, completed, no_answer, busy, voicemail or failed"));
    } else if (q == QueryKind::kHistory) {
        params.push_back(query_param("events", "boolean",
                                     "true: the stored event rows instead of one entry per visit"));
    } else if (q == QueryKind::kCalibration) {
        params.push_back(query_param(
            "since", "string",
            "Only what happened from the start of the hour holding this time (ISO 8601 or "
            "milliseconds since 1970; default: everything)"));
        params.push_back(query_param(
            "version", "string",
            "Only the calls of leads on this version (a number or latest; default: every "
            "version's calls, on the published version's graph)"));
        params.push_back(query_param("prior_weight", "number",
                                     "The current scenario's weight, in calls (default 20)"));
        params.push_back(
            query_param("min_calls", "integer",
                        "Nodes with fewer observations keep their current model (default 30)"));
    } else if (q == QueryKind::kGraphPut) {
        params.push_back(query_param(
            "publish", "boolean",
            "false: save an active workflow's draft without publishing it (default true)"));
    }
    if (route.access == Access::kApiKey) {
        params.push_back(Json{{"name", "X-Response-Envelope"},
                              {"in", "header"},
                              {"required", false},
                              {"description", "'dialnexa' answers in the DialNexa v1 envelope"},
                              {"schema", Json{{"type", "string"}}}});
    }
    return params;
}

Json error_responses(const Route& route) {
    const std::string& path = route.pattern;
    const bool public_route = route.access == Access::kPublic;
    Json r = Json::object();
    auto add = [&](const char* code, const char* text) {
        r[code] =
            Json{{"description", text},
                 {"content", Json{{"application/json", Json{{"schema", schema_ref("Error")}}}}}};
    };
    if (path == "/readyz") {
        r["503"] = Json{
            {"description",
             "Not ready: the test write failed (storage full or failing) or the "
             "scheduler is backing off or made no progress; message says why"},
            {"content", Json{{"application/json", Json{{"schema", schema_ref("Readiness")}}}}}};
    }
    if (path == "/healthz") add("503", "Storage cannot be read");
    if (path == "/v1/workflows/{id}/publish") {
        r["200"] = Json{
            {"description", "dry_run: what publishing would do; nothing is published"},
            {"content", Json{{"application/json", Json{{"schema", schema_ref("PublishResult")}}}}}};
    }
    if (public_route && route.pattern.find('{') != std::string::npos) add("404", "Not found");
    if (public_route && route.doc.body != BodyKind::kNone) {
        add("400", "Bad input (message names the field)");
        add("401", "Missing or invalid signature, or a timestamp outside 5 minutes");
        add("409", "Already recorded under another webhook-id, or not this call");
        add("413", "Body over 10 MB");
        add("415", "Wrong Content-Type, or a Content-Encoding other than gzip or deflate");
    }
    if (public_route) return r;
    add("400",
        "Bad input (message names the field); validation failures add errors; a header that "
        "must be unique (Authorization, Content-Length, Content-Type, Host, Transfer-Encoding, "
        "Content-Encoding) sent twice");
    add("401", "Missing or invalid API key, or the key has been revoked or has expired");
    if (path != "/v1/workflows" && path != "/v1/calls" && path != "/v1/user-webhooks") {
        add("404", "Not found (or owned by another organization)");
    }
    if (route.method != "GET") {
        add("403", "The API key is read-only (GET and HEAD routes only)");
        add("409", "Not allowed in the workflow's current state");
        add("413", "Body over 10 MB (declared, chunked, or once gzip/deflate is inflated)");
        add("415", "Wrong Content-Type, or a Content-Encoding other than gzip or deflate");
    }
    if (path == "/v1/workflows/{id}/simulate" || path == "/v1/workflows/{id}/forecast") {
        add("422", "The run needs more simulated events than a request may use (docs/limits.md)");
        add("499", "The client disconnected; the run was stopped");
    }
    add("408", "Request head or body not received in time (docs/deployment.md)");
    add("429", "Rate limited (see Retry-After)");
    add("431", "Request head over 16 KB or over 100 header fields");
    add("503", "Storage is full or failing: nothing was saved; retry later (see Retry-After)");
    return r;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

Json request_body(const RouteDoc& doc) {
    const Json json_content = {{"application/json", Json{{"schema", schema_ref(doc.request)}}}};
    switch (doc.body) {
        case BodyKind::kNone:
            return nullptr;
        case BodyKind::kJson:
        case BodyKind::kOptionalJson:
            return Json{{"required", doc.body == BodyKind::kJson}, {"content", json_content}};
        case BodyKind::kLeadUpload:
            return Json{
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
                      {"application/json", json_content["application/json"]}}}};
    }
    return nullptr;
}

Json success_response(const RouteDoc& doc) {
    Json ok = {{"description", doc.success == 201   ? "Created"
                               : doc.success == 302 ? "Found: Location names the target"
                                                    : "OK"}};
    if (doc.success == 302) {
        ok["headers"] = Json{{"Location", Json{{"schema", Json{{"type", "string"}}}}}};
        return ok;
    }
    Json schema = schema_ref(*doc.response ? doc.response : "Message");
    if (*doc.envelope) {
        Json plain = schema;
        plain["title"] = "plain";
        Json envelope = schema_ref(doc.envelope);
        envelope["title"] = "envelope";
        schema = Json{{"anyOf", Json::array({std::move(plain), std::move(envelope)})}};
    }
    ok["content"] = Json{{doc.content_type, Json{{"schema", std::move(schema)}}}};
    return ok;
}

Json build(const Router& router) {
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
    for (const Route& route : router.routes()) {
        const std::string method = lower(route.method);
        // The metrics listener and the API both serve /metrics: described once.
        if (paths.contains(route.pattern) && paths[route.pattern].contains(method)) continue;
        Json o = Json::object();
        o["tags"] = Json::array({route.doc.tag});
        o["summary"] = route.doc.summary;
        o["operationId"] = method + " " + route.pattern;
        Json params = parameters(route);
        if (!params.empty()) o["parameters"] = std::move(params);
        if (Json body = request_body(route.doc); !body.is_null()) o["requestBody"] = body;
        Json responses = Json::object();
        responses[std::to_string(route.doc.success)] = success_response(route.doc);
        const Json errors = error_responses(route);
        for (auto it = errors.begin(); it != errors.end(); ++it) responses[it.key()] = it.value();
        o["responses"] = std::move(responses);
        if (route.access == Access::kApiKey) {
            o["security"] = Json::array({Json{{"bearerAuth", Json::array()}}});
        }
        paths[route.pattern][method] = std::move(o);
    }
    doc["paths"] = std::move(paths);
    doc["components"] = Json{
        {"securitySchemes",
         Json{{"bearerAuth",
               Json{{"type", "http"},
                    {"scheme", "bearer"},
                    {"description", "Bearer <key_id>:<secret> (leadflow-server keys create)"}}}}},
        {"schemas", openapi_schemas()}};
    return doc;
}

}  // namespace

Json openapi_document(const Router& router) {
    return build(router);
}

}  // namespace leadflow::server
