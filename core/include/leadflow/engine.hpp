// leadflow/engine.hpp — the single source of truth for lead movement
// (docs/architecture.md#the-engines-one-rule).
//
//   Status advance(const CompiledGraph&, LeadState&, const Event&, const Context&, Step&)
//
// A pure function: given a lead's state and one event (start, a call's result, a timer, an
// action's result, a graph change), it moves the lead through the graph until it must wait
// for the outside world, and says what the shell must do next (one Effect) plus the history
// records of every step taken. The simulator feeds it sampled events; the server feeds it real
// ones and persists LeadState between events. Nothing else chooses edges.
//
// Rules implemented here (docs/workflows.md): the edge choice rule, node configs, conditions,
// SPLIT branches (split.hpp), TIME with post-call-analysis release, and the settings (entry
// node, calling window and local calling hours → phase queued, concurrency limit → phase
// queued, loop guard → failed with max_steps_exceeded).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/conditions.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"
#include "leadflow/time_zone.hpp"

namespace leadflow {

constexpr TimeMs kNoTime = std::numeric_limits<TimeMs>::min();

// How a lead ended. kNone while it is still moving (or stuck: stuck is not an end).
enum class LeadEnd : std::uint8_t { kNone, kCompleted, kDropped, kFailed };
const char* to_string(LeadEnd e);  // "none", "completed", "dropped", "failed"
// "completed", "dropped" or "failed"; nullopt for anything else (including "none").
std::optional<LeadEnd> parse_lead_end(std::string_view s);

// Why something happened (history `reason`). kNone has no wire name.
enum class Reason : std::uint8_t {
    kNone,
    kNoMatchingEdge,        // "no_matching_edge": stuck, no edge for the outcome
    kMaxStepsExceeded,      // "max_steps_exceeded": the loop guard failed the lead
    kPcaTimeUnparseable,    // "pca_time_unparseable": released now
    kOutsideCallingWindow,  // "outside_calling_window": queued until the window opens
    kConcurrencyLimit,      // "concurrency_limit": queued for a free call slot
    kUnknownNodeType,       // "unknown_node_type": stuck on a node this build cannot run
    kNodeRemoved,           // "node_removed": stuck, its node left the graph
    // "outside_local_calling_hours": queued until the local calling hours hold in every zone
    // the lead may be in (docs/calling-hours.md)
    kOutsideLocalHours,
};
const char* to_string(Reason r);  // "" for kNone
// A reason's wire name; nullopt for anything else (including "").
std::optional<Reason> parse_reason(std::string_view s);

// [SECTION] Lead state — compact, copyable, serializable (to_json / lead_state_from_json).
struct LeadState {
    std::int32_t node = -1;                   // current node index; -1 before Start
    std::int32_t steps = 0;                   // nodes entered so far (the loop guard counts these)
    std::int32_t last_call_duration_ms = -1;  // most recent call; -1 = none yet
    Phase phase = Phase::kEntering;
    std::int8_t last_call = -1;  // CallOutcome of the most recent call; -1 = none yet
    std::int8_t last_app = -1;   // most recent APPLICATION result: 1 success, 0 failure, -1 none
    LeadEnd end = LeadEnd::kNone;
    Reason reason = Reason::kNone;  // why the lead is queued / stuck / failed
    TimeMs entered_at = kNoTime;    // when the lead entered the current node
    TimeMs release_at = kNoTime;    // waiting: the timer; queued for the window: window opening
};

// [SECTION] Events
enum class EventType : std::uint8_t {
    kStart,         // enrol the lead at the entry node
    kCallEnded,     // the call placed for the current VOICE_CALL ended
    kTimerFired,    // a HoldUntil or a window Queued time is due, or a queued lead's retry
    kActionDone,    // the current APPLICATION's action finished
    kGraphChanged,  // the graph changed: a stuck lead is re-evaluated (others: no effect)
};
struct Event {
    EventType type = EventType::kStart;
    CallOutcome outcome = CallOutcome::kFailed;  // kCallEnded
    std::int32_t call_duration_ms = 0;           // kCallEnded
    bool action_ok = false;                      // kActionDone
};

// Chooses SPLIT branches instead of the lead-id hash: the exact analysis (exact.hpp) fixes each
// SPLIT's branch per mixture component with one. Shells that move real or simulated leads leave
// Context::split_chooser null.
class SplitChooser {
  public:
    virtual ~SplitChooser() = default;
    // The branch (index into CompiledNode::split_weights, < its size) a lead takes at SPLIT
    // node `node`.
    virtual std::size_t choose(std::int32_t node) = 0;
};

// What the engine needs from the shell besides the event. Everything is borrowed.
struct Context {
    TimeMs now = 0;
    const FieldSource* fields = nullptr;  // lead variables, last analysis, last response
    // The lead's zone: its local times (post-call-analysis release times, the calling window);
    // nullptr = UTC. lead_zones() (phone_zones.hpp) says which zone that is.
    const TimeZone* zone = nullptr;
    // Every zone the lead may be in, for local calling hours: zones[0 .. zone_count); none
    // (zone_count 0) means `zone` alone. Borrowed like `zone`.
    const TimeZone* const* zones = nullptr;
    std::size_t zone_count = 0;
    // False when the call-concurrency limit is reached (or earlier leads wait for a slot: the
    // shell keeps the queue first come first served and retries with a TimerFired event).
    bool call_slot_available = true;
    // True to place calls regardless of the calling window and the local calling hours (the
    // exact analysis ignores time).
    bool ignore_calling_window = false;
    // The lead's id: at a SPLIT node the lead takes branch split_branch(lead_id, node id,
    // weights) (split.hpp), the same on every run. The server passes the lead's id, the
    // simulator simulated_lead_id(seed, lead index).
    std::string_view lead_id;
    // When set, chooses SPLIT branches instead (see SplitChooser).
    SplitChooser* split_chooser = nullptr;
};

// [SECTION] Effects and history
enum class EffectType : std::uint8_t {
    kNone,       // nothing to do (e.g. GraphChanged for a lead that is not stuck)
    kPlaceCall,  // place a call for VOICE_CALL `node`; answer with CallEnded
    kHoldUntil,  // TIME: answer with TimerFired at `until`
    kRunAction,  // APPLICATION `node`: run it, answer with ActionDone
    kQueued,     // VOICE_CALL waiting: for the window or the local hours (`until` = the instant
                 // next_call_instant gives) or for a call slot
                 // (`until` = kNoTime; retry with TimerFired when a slot frees, FIFO)
    kFinish,     // the lead ended (`end`: completed, dropped, or failed)
    kStuck,      // no edge for the outcome (`reason`); re-evaluated on GraphChanged
};
struct Effect {
    EffectType type = EffectType::kNone;
    std::int32_t node = -1;
    TimeMs until = kNoTime;
    LeadEnd end = LeadEnd::kNone;
    Reason reason = Reason::kNone;
};

// Statuses of history records (wire names in parentheses).
enum class RecordStatus : std::uint8_t {
    kInCall,     // ("in_call") a call was placed
    kWaiting,    // ("waiting") a TIME step started; ends_at = planned release
    kInAction,   // ("in_action") an APPLICATION step started
    kQueued,     // ("queued") a call waits for the window or a slot (reason says which)
    kCompleted,  // ("completed") a step finished: outcome, edge and next node are set
    kConverted,  // ("converted") the lead reached CONVERTED
    kDropped,    // ("dropped") the lead reached DROPPED
    kFailed,     // ("failed") the loop guard stopped the lead
    kStuck,      // ("stuck") no matching edge / unknown node type
};
const char* to_string(RecordStatus s);

// One history record, compact (indices, no strings except a switch outcome). A node that
// takes time produces a start record (in_call / waiting / in_action / queued) and later a
// completed record with the same started_at; a server may store both or update one row.
struct StepRecord {
    std::int32_t node = -1;
    std::int32_t edge = -1;     // completed: the edge taken (-1 when stuck)
    std::int32_t to_node = -1;  // completed: the next node
    RecordStatus status = RecordStatus::kCompleted;
    RouteLabel outcome = RouteLabel::kNone;  // fixed outcome (kNone: none, or see outcome_text)
    bool dynamic_outcome = false;            // switch mode and SPLIT: the outcome is outcome_text
    Reason reason = Reason::kNone;
    TimeMs started_at = kNoTime;
    TimeMs ended_at = kNoTime;
    TimeMs ends_at = kNoTime;
    std::string outcome_text;  // switch mode value, or the SPLIT branch's label (short values
                               // stay in the string's buffer)
};

struct Step {
    Effect effect;
    std::vector<StepRecord> records;  // in order; cleared by advance (capacity is reused)
};

// [SECTION] The step function

// Applies `event` to `state` at ctx.now. On success fills `out` (effect + records) and updates
// `state`. Fails (state and out untouched except out.records cleared) with kConflict when the
// event does not fit the lead's phase (e.g. CallEnded while waiting, Start twice, anything
// after the lead ended) and kInvalidArgument for a state whose node index is not in the graph.
Status advance(const CompiledGraph& g, LeadState& state, const Event& event, const Context& ctx,
               Step& out);
// Convenience form returning the Step.
Result<Step> advance(const CompiledGraph& g, LeadState& state, const Event& event,
                     const Context& ctx);

// The wire outcome text of a record: "COMPLETED", "DNP"-family labels stay specific
// ("NO_ANSWER"), "true"/"false", "success"/"failure", a switch value; "" when none.
std::string outcome_text(const StepRecord& r);
// A model HistoryEntry for a record (ids, node type and labels from the graph).
HistoryEntry to_history_entry(const CompiledGraph& g, const StepRecord& r,
                              const std::optional<std::string>& call_id = std::nullopt);

// [SECTION] Serialization (the server persists LeadState between events)

// {"node_id", "phase", "steps", "end", "reason", "last_call_outcome", "last_call_duration_ms",
//  "last_application_result", "entered_at", "release_at"}; node by id so the state survives a
// graph edit; timestamps ISO-8601; absent values null.
Json to_json(const LeadState& s, const CompiledGraph& g);
// Reads what to_json wrote. A node id that is no longer in `g` yields a lead stuck on no node
// with reason node_removed (node = -1, phase stuck). Fails with kInvalidArgument naming the
// field for wrong types or unknown enum names.
Result<LeadState> lead_state_from_json(const Json& j, const CompiledGraph& g);
// Puts a state being read back on the node stored by id: the node's index in `g`, or — when the
// node is no longer in `g` and the lead is not done — stuck on no node with reason node_removed.
// The rule every stored-state reader shares (lead_state_from_json, the server's compact text).
void place_on_stored_node(LeadState& s, const CompiledGraph& g, const std::string& node_id);

// The Execution view of a state: a lead's `execution` in the API (docs/api.md#read).
Execution to_execution(const LeadState& s, const CompiledGraph& g);

}  // namespace leadflow
