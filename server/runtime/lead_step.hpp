// server/runtime/lead_step.hpp — one engine step of one lead, persisted
// (docs/architecture.md#how-a-lead-moves-on-the-server).
//
// The scheduler (scheduler.hpp) decides which leads are due and on which published version
// each runs; the functions here apply one event to one lead with the core engine (`advance`)
// and write everything the step produced in the caller's transaction: the lead's row (one
// LiveLeadUpdate), its history rows, the call row, and the outbox rows of the step's effects
// (outbox_payloads.hpp). Nothing here decides a move: the engine does.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/engine.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/time_zone.hpp"
#include "leadflow/versions.hpp"
#include "runtime/scheduler.hpp"
#include "store/store.hpp"

namespace leadflow::server {

// One published version, compiled. Versions never change, so a compiled version stays valid
// until its workflow stops running.
struct CompiledVersion {
    Workflow workflow;  // as published: id, organization, settings, entry node
    std::int64_t number = 0;
    std::optional<CompiledGraph> graph;  // nullopt: the version does not compile
    std::string error;                   // why it does not compile
    Json problem;  // the workflow's VERSION_CANNOT_RUN problem when it does not compile
    BoundScenario scenario;
    TimeZone zone;
    std::map<std::string, TimeZone> lead_zones;  // known zones named by `timezone` variables
    VersionStep step;                            // what its publish did to running leads
};

// What the steps of one transaction share.
struct StepContext {
    TimeMs now = 0;
    const RuntimeConfig* config = nullptr;
    // Calls in flight by workflow (limited workflows only), plus 2^40 while leads queue for a
    // slot ahead of the ones stepped now.
    std::map<std::string, std::int64_t>* in_flight = nullptr;
    std::set<std::string>* finished_workflows = nullptr;  // a lead of theirs ended
    std::map<std::string, std::int64_t> call_outcomes;    // calls ended, by outcome
    std::vector<double> lags;                             // timer lags (wall ms)
    // User webhooks by organization, read once per transaction (a webhook created while a
    // workflow runs gets the next completions).
    std::map<std::string, std::vector<UserWebhook>> webhooks;
};

// The event a due, active lead's step applies: its pending result; else what its phase waits
// for — a call or action that got no result by its deadline (a timeout: the call's timeout is
// stored on `lead` as its pending result, so the call row and history say call_timeout), a
// stuck lead's re-evaluation after a publish, or a timer.
Event due_event(LiveLead& lead);

// Applies `event` to the lead on version `c` and writes everything the step produced.
// `slot_retry`: the lead was queued for a call slot and is retried now, ahead of new callers.
Status apply_step(StoreTx& tx, CompiledVersion& c, LiveLead lead, const Event& event,
                  bool slot_retry, StepContext& sc);

// A due lead that moves no further: its workflow was cancelled (the lead is still active
// because a call was in flight) or the lead was removed. A call in flight ends — the call row
// gets its result (unless call_result already logged it) and history the call's completion
// record — and the lead ends as `cancelled` (or stays `removed`) without advancing. `c` is the
// lead's version (nullptr when it is unknown).
Status end_without_moving(StoreTx& tx, CompiledVersion* c, LiveLead lead, StepContext& sc);

// A lead whose version cannot run (a graph stored before publishing checked graphs): it stops
// being due and stays where it is until a publish moves it. Its history says why, once.
Status park(StoreTx& tx, LiveLead lead, StepContext& sc);

}  // namespace leadflow::server
