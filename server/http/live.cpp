// server/http/live.cpp — POST /v1/calls/{id}/result: a voice platform reports how a call placed
// by the webhook provider ended (SPEC §2.7). Authenticated by the HMAC signature of the body,
// not by an API key; duplicate results are acknowledged and ignored.
#include "http/app.hpp"
#include "http/errors.hpp"

namespace leadflow::server {
namespace {

Response call_result(const Request& req, RequestContext& ctx) {
    LiveRuntime* live = ctx.app.live();
    if (!live) return error_response(409, "Live progression is not running on this server");
    auto sig = req.header("X-Leadflow-Signature");
    if (!sig) return error_response(401, "Missing X-Leadflow-Signature header");
    bool duplicate = false;
    Status st = live->call_result(req.path_param("id"), req.body, *sig, &duplicate);
    if (!st) {
        if (st.code() == StatusCode::kConflict) return error_response(401, "Invalid signature");
        return status_response(st);
    }
    return json_response(
        200, Json{{"message", duplicate ? "Result already recorded; ignored." : "Result recorded."},
                  {"duplicate", duplicate}});
}

}  // namespace

void register_live_routes(Router& r) {
    r.add("POST", "/v1/calls/{id}/result", Access::kPublic, call_result);
}

}  // namespace leadflow::server
