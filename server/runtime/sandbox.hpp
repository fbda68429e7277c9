// server/runtime/sandbox.hpp — the `sandbox` call provider (docs/operations.md#call-providers): a
// call's outcome, duration and post-call analysis, and an APPLICATION's result, drawn from the
// workflow's scenario with the simulator's models and samplers, seeded by the call id so that the
// same call always gets the same result (a replay after a restart is identical).
#pragma once

#include <cstdint>
#include <string>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/scenario.hpp"

namespace leadflow::server {

struct SandboxCall {
    CallOutcome outcome = CallOutcome::kFailed;
    std::int64_t duration_ms = 0;    // virtual milliseconds the call lasts
    Json analysis = Json::object();  // COMPLETED calls only: one draw per attribute
};

// Draws a call for VOICE_CALL node `model` (scenario call durations: COMPLETED and VOICEMAIL
// last a normal draw truncated at 5 s, NO_ANSWER rings ring_s, BUSY and FAILED end after 5 s).
SandboxCall sample_sandbox_call(const BoundNodeModel& model, std::uint64_t scenario_seed,
                                const std::string& call_id);

struct SandboxAction {
    bool ok = false;
    std::int64_t latency_ms = 0;
};
// Draws an APPLICATION result (success_rate, latency_s) for a non-webhook action.
SandboxAction sample_sandbox_action(const BoundNodeModel& model, std::uint64_t scenario_seed,
                                    const std::string& key);

// FNV-1a 64 of `text` (the per-call seed).
std::uint64_t fnv1a64(const std::string& text);

}  // namespace leadflow::server
