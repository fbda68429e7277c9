// server/runtime/live.hpp — what the HTTP layer needs from live progression: the virtual clock,
// a wake-up after changes, call results from a voice platform, and metrics text.
#pragma once

#include <cstdint>
#include <string>

#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

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
    // The scheduler's virtual now (SPEC: --time-scale). History and timers use this clock.
    virtual TimeMs live_now() const = 0;
    // Asks the scheduler to run a tick soon (after an activation, an upload, a result).
    virtual void wake() = 0;
    // POST /v1/calls/{id}/result: `body` is the raw JSON, `signature` the
    // X-Leadflow-Signature header. Ok when stored (or a duplicate, *duplicate set);
    // kInvalidArgument for a bad body, kNotFound for an unknown call, kConflict (mapped to 401
    // by the handler) for a bad signature.
    virtual Status call_result(const std::string& call_id, const std::string& body,
                               const std::string& signature, bool* duplicate) = 0;
    // Prometheus text lines for transitions, calls by outcome and timer lag.
    virtual std::string metrics_text() const = 0;
    // The scheduler's progress (its transactions' successes and failures).
    virtual WorkerProgress progress() const { return {}; }
};

}  // namespace leadflow::server
