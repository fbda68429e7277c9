// server/runtime/live.hpp — what the HTTP layer needs from live progression: the virtual clock,
// a wake-up after changes, call results from a voice platform, and metrics text.
#pragma once

#include <cstdint>
#include <string>

#include "leadflow/model.hpp"
#include "leadflow/status.hpp"
#include "util/webhook_signature.hpp"

namespace leadflow::server {

// What a background worker reports about its progress (GET /readyz). Times are wall epoch ms.
struct WorkerProgress {
    bool running = false;        // its thread runs
    TimeMs last_success_ms = 0;  // the end of its last successful attempt; 0 = none yet
    TimeMs last_error_ms = 0;    // the end of its last failed attempt; 0 = none yet
    std::string last_error;      // the failure of that attempt (for operators)
    bool backing_off = false;    // its last attempt failed: it waits retry_in_ms before the next
    int retry_in_ms = 0;
    std::int64_t failures = 0;               // failed attempts since the last success
    std::int64_t failed_attempts_total = 0;  // since the process started
};

class LiveRuntime {
  public:
    virtual ~LiveRuntime() = default;
    // The scheduler's virtual now (`serve --time-scale`). History and timers use this clock.
    virtual TimeMs live_now() const = 0;
    // Asks the scheduler to run a tick soon (after an activation, an upload, a result).
    virtual void wake() = 0;
    // POST /v1/calls/{id}/result: `body` is the raw JSON, `headers` its Standard Webhooks
    // headers (webhook-id, webhook-timestamp, webhook-signature). Ok when stored (or a
    // duplicate result for the call, reply->duplicate set). Otherwise the Status says why and
    // reply->http_status, when not 0, is the answer the handler gives: 401 for a missing or
    // bad signature or a timestamp outside the tolerance, 409 for a webhook-id already used or
    // a body whose call_id is not the path's call, 503 when too many ids are remembered.
    // kInvalidArgument for a bad body, kNotFound for an unknown call.
    struct CallResultReply {
        bool duplicate = false;
        int http_status = 0;
    };
    virtual Status call_result(const std::string& call_id, const std::string& body,
                               const WebhookHeaders& headers, CallResultReply* reply) = 0;
    // Prometheus text lines for transitions, calls by outcome and timer lag.
    virtual std::string metrics_text() const = 0;
    // The scheduler's progress (its transactions' successes and failures).
    virtual WorkerProgress progress() const { return {}; }
};

}  // namespace leadflow::server
