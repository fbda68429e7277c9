// server/runtime/pending_result.hpp — a provider's result waiting on its lead.
//
// A call's or an APPLICATION's result arrives outside the scheduler (the sandbox draws it when
// the call is placed, a provider posts it to /v1/calls/{id}/result, the outbox receives an
// action's reply). It is stored on the lead (LiveLead::pending_event) and becomes the engine
// event of the lead's next step. This is the one place that encodes and decodes it: the stored
// JSON ({"type": "call"|"action", …}) is read back by every later version of the server, so the
// keys below never change meaning.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "leadflow/engine.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"

namespace leadflow::server {

struct PendingResult {
    enum class Kind : std::uint8_t { kCall, kAction };
    Kind kind = Kind::kCall;
    // Calls.
    CallOutcome outcome = CallOutcome::kFailed;
    std::int64_t duration_ms = 0;    // how long the call lasted
    Json analysis = Json::object();  // post-call analysis (an object)
    std::string end_reason;          // "" or the provider's reason; "call_timeout" for a timeout
    // The call row already has this result (it arrived after its lead was removed): the step
    // writes the history record only.
    bool logged = false;
    // Actions.
    bool ok = false;
    Json response = Json::object();  // the endpoint's JSON reply (an object)

    // A call's result.
    static PendingResult call(CallOutcome outcome, std::int64_t duration_ms, Json analysis);
    // What a call that got no result before its deadline ends with: FAILED, call_timeout.
    static PendingResult call_timeout();
    // An action's result.
    static PendingResult action(bool ok, Json response);

    bool is_call_timeout() const { return kind == Kind::kCall && end_reason == "call_timeout"; }
    // The engine event that applies this result (CallEnded or ActionDone).
    Event event() const;
    // The stored form.
    Json to_json() const;
    // The stored form read back; nullopt for null or anything that is not a result. Fields of
    // the wrong type read as their defaults (an unknown call status as FAILED), so a damaged
    // row still ends its call instead of stopping its lead.
    static std::optional<PendingResult> from_json(const Json& j);
};

}  // namespace leadflow::server
