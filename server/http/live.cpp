// server/http/live.cpp — POST /v1/calls/{id}/result: a voice platform reports how a call placed
// by the webhook provider ended (docs/api.md#call-results). Authenticated by a Standard Webhooks
// signature (webhook-id, webhook-timestamp, webhook-signature), not by an API key; duplicate
// results are acknowledged and ignored, a reused webhook-id is refused.
#include "http/app.hpp"
#include "http/errors.hpp"

namespace leadflow::server {
namespace {

Response call_result(const Request& req, RequestContext& ctx) {
    LiveRuntime* live = ctx.app.live();
    if (!live) return error_response(409, "Live progression is not running on this server");
    WebhookHeaders h{req.header("webhook-id").value_or(""),
                     req.header("webhook-timestamp").value_or(""),
                     req.header("webhook-signature").value_or("")};
    LiveRuntime::CallResultReply reply;
    Status st = live->call_result(req.path_param("id"), req.body, h, &reply);
    if (!st) {
        if (reply.http_status != 0) return error_response(reply.http_status, st.message());
        return status_response(st);
    }
    return json_response(200, Json{{"message", reply.duplicate ? "Result already recorded; ignored."
                                                               : "Result recorded."},
                                   {"duplicate", reply.duplicate}});
}

}  // namespace

void register_live_routes(Router& r) {
    r.add("POST", "/v1/calls/{id}/result", Access::kPublic, call_result,
          RouteDoc("Calls",
                   "Call result from the voice platform (webhook provider; Standard Webhooks "
                   "headers webhook-id, webhook-timestamp, webhook-signature; 401 bad signature "
                   "or timestamp outside 5 minutes, 409 webhook-id already used or body "
                   "call_id not this call; idempotent)")
              .reply("CallResultReceipt")
              .json_body("CallResult"));
}

}  // namespace leadflow::server
