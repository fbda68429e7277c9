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

struct Route {
    std::string method;   // "GET", "POST", "PUT", "PATCH", "DELETE"
    std::string pattern;  // "/v1/workflows/{id}/nodes/{nodeId}"
    Access access = Access::kApiKey;
    Handler handler;
    std::vector<std::string> segments;  // the pattern split at "/" (filled by Router::add)
};

class Router {
  public:
    void add(std::string method, std::string pattern, Access access, Handler handler);

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
