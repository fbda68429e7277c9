// server/http/router.hpp — the routing table: method + path pattern → handler.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/http_types.hpp"

namespace leadflow::server {

struct RequestContext;

using Handler = std::function<Response(const Request&, RequestContext&)>;

enum class Access {
    kPublic,  // no API key (health, metrics, OpenAPI document, static files)
    kApiKey,  // Authorization: Bearer key_id:secret, rate limited per key
};

// What a request may carry as its body.
enum class BodyKind {
    kNone,
    kJson,          // a JSON body is required
    kOptionalJson,  // an empty body or a JSON one
    kLeadUpload,    // a CSV/.xlsx file (multipart field "file") or JSON leads
};

// The query parameters a route reads besides those of its path.
enum class QueryKind {
    kNone,
    kPaged,         // page, limit
    kWorkflowList,  // page, limit, status, search, sortBy, sortOrder
    kLeadList,      // page, limit, status, leadIds, phone
    kCallList,      // page, limit, workflow_id, lead_id, status
    kHistory,       // events
    kGraphPut,      // publish
    kCalibration,   // since, version, prior_weight, min_calls
};

// How a route is described in the OpenAPI document (server/http/openapi.cpp). Schema names refer
// to the document's components (openapi_schemas.cpp); "" means none. Written as
// RouteDoc("Tag", "Summary").status(201).reply("Workflow").json_body("WorkflowInput").
struct RouteDoc {
    const char* tag = "";
    const char* summary = "";
    int success = 200;          // the status of a successful reply
    const char* response = "";  // JSON schema of a successful reply; "" = Message
    const char* envelope = "";  // the DialNexa envelope's reply, when it differs; "" = same
    BodyKind body = BodyKind::kNone;
    const char* request = "";  // JSON schema of the request body
    QueryKind query = QueryKind::kNone;
    const char* content_type = "application/json";  // of a successful reply

    RouteDoc() = default;
    RouteDoc(const char* tag_, const char* summary_) : tag(tag_), summary(summary_) {}
    RouteDoc& status(int code) { return success = code, *this; }
    RouteDoc& reply(const char* schema) { return response = schema, *this; }
    RouteDoc& envelope_reply(const char* schema) { return envelope = schema, *this; }
    RouteDoc& json_body(const char* schema) { return with_body(BodyKind::kJson, schema); }
    RouteDoc& optional_json_body(const char* schema) {
        return with_body(BodyKind::kOptionalJson, schema);
    }
    RouteDoc& lead_upload_body(const char* schema) {
        return with_body(BodyKind::kLeadUpload, schema);
    }
    RouteDoc& params(QueryKind kind) { return query = kind, *this; }
    RouteDoc& media(const char* type) { return content_type = type, *this; }

  private:
    RouteDoc& with_body(BodyKind kind, const char* schema) {
        body = kind;
        request = schema;
        return *this;
    }
};

struct Route {
    std::string method;   // "GET", "POST", "PUT", "PATCH", "DELETE"
    std::string pattern;  // "/v1/workflows/{id}/nodes/{nodeId}"
    Access access = Access::kApiKey;
    Handler handler;
    RouteDoc doc;
    std::vector<std::string> segments;  // the pattern split at "/" (filled by Router::add)
};

class Router {
  public:
    // Adds a route; `doc` is how the OpenAPI document describes it (every route has one).
    void add(std::string method, std::string pattern, Access access, Handler handler, RouteDoc doc);

    struct Match {
        const Route* route = nullptr;  // null when nothing matched
        bool path_known = false;       // some route has this path under another method (→ 405)
        std::map<std::string, std::string> path_params;
    };
    // The route for `method` and `path`: among matching patterns, the one with the most literal
    // segments wins ("/leads/variable-keys" beats "/leads/{leadId}").
    Match match(const std::string& method, const std::string& path) const;

    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
};

}  // namespace leadflow::server
