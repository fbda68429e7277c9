// server/runtime/live.hpp — what the HTTP layer needs from live progression: the virtual clock,
// a wake-up after changes, call results from a voice platform, and metrics text.
#pragma once

#include <string>

#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow::server {

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
};

}  // namespace leadflow::server
