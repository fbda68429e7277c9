// server/runtime/lead_step.cpp — see lead_step.hpp.
#include "runtime/lead_step.hpp"

#include <algorithm>

#include "leadflow/conditions.hpp"
#include "leadflow/phone_zones.hpp"
#include "leadflow/wire.hpp"
#include "runtime/history_text.hpp"
#include "runtime/lead_commands.hpp"
#include "runtime/lead_state_text.hpp"
#include "runtime/outbox_payloads.hpp"
#include "runtime/pending_result.hpp"
#include "runtime/sandbox.hpp"
#include "util/crypto.hpp"

namespace leadflow::server {

namespace {

std::map<std::string, std::string> string_map(const Json& j) {
    std::map<std::string, std::string> out;
    if (!j.is_object()) return out;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it->is_string()) {
            out[it.key()] = it->get<std::string>();
        } else if (it->is_boolean()) {
            out[it.key()] = it->get<bool>() ? "true" : "false";
        } else if (!it->is_null() && !it->is_object() && !it->is_array()) {
            out[it.key()] = it->dump();
        }
    }
    return out;
}

LeadStatus status_for_end(LeadEnd e) {
    switch (e) {
        case LeadEnd::kCompleted:
            return LeadStatus::kCompleted;
        case LeadEnd::kDropped:
            return LeadStatus::kDropped;
        case LeadEnd::kFailed:
            return LeadStatus::kFailed;
        default:
            return LeadStatus::kActive;
    }
}

// The lead's zones (phone_zones.hpp, lead_zones): its `timezone` variable when it names a known
// zone, else its phone number's zones, else the workflow's zone — whether or not a calling
// window is set.
LeadZones zones_of(CompiledVersion& c, const LiveLead& l) {
    const TimeZone* variable = nullptr;
    auto v = l.variables.find("timezone");
    if (v != l.variables.end() && !v->second.empty()) {
        auto it = c.lead_zones.find(v->second);
        if (it == c.lead_zones.end()) {
            // Only known zones are kept, so the cache stays as small as the zone table.
            if (auto z = TimeZone::find(v->second); z.ok()) {
                it = c.lead_zones.emplace(v->second, z.value()).first;
            }
        }
        if (it != c.lead_zones.end()) variable = &it->second;
    }
    return lead_zones(variable, l.phone_number, c.zone);
}

void set_zones(Context& ctx, const LeadZones& z) {
    ctx.zone = z.zone;
    ctx.zones = z.possible.zones();
    ctx.zone_count = z.possible.size();
}

Status parse_state(const LiveLead& l, const CompiledGraph& g, LeadState* state) {
    if (!l.state) return Status::ok();
    auto s = parse_lead_state_text(*l.state, g);
    if (!s.ok())
        return Status::internal("stored lead state of " + l.id + ": " + s.status().message());
    *state = s.value();
    return Status::ok();
}

// The conditions' view of the lead: its variables, its last call's analysis and its last
// action's response. `analysis` and `response` must outlive the returned source.
struct LeadFields {
    explicit LeadFields(const LiveLead& l)
        : analysis(string_map(l.last_analysis)),
          response(string_map(l.last_response)),
          source(&l.variables, &analysis, &response) {}
    std::map<std::string, std::string> analysis, response;
    MapFieldSource source;
};

// The row update of lead `l` whose engine state reads as `x`; the caller says what changed.
LiveLeadUpdate lead_update(const LiveLead& l, const Execution& x, TimeMs now) {
    LiveLeadUpdate u;
    u.lead = l;
    u.current_node_id = x.current_node_id;
    u.phase = x.phase;
    u.entered_at = x.entered_at;
    u.release_at = x.release_at;
    u.steps = x.steps;
    u.updated_at = now;
    return u;
}

// The end of the lead's call in flight on its call row. One UPDATE, no read: every column the
// call's end sets is known here.
Status record_call_end(StoreTx& tx, const LiveLead& l, const Event& event,
                       const std::optional<PendingResult>& result, StepContext& sc) {
    CallRecord cr;
    cr.id = *l.call_id;
    cr.status = call_status_name(event.outcome);
    cr.outcome = to_string(event.outcome);
    cr.duration_s = event.call_duration_ms / 1000.0;
    cr.analysis = l.last_analysis;
    if (result && !result->end_reason.empty()) cr.end_reason = result->end_reason;
    cr.ended_at = sc.now;
    if (Status s = tx.live_update_call(cr); !s) return s;
    ++sc.call_outcomes[to_string(event.outcome)];
    return Status::ok();
}

// The step's effect: a call placed (sandbox: its result drawn now; webhook: dispatched through
// the outbox), a hold, an action, a queue position, or the lead's end (with the user webhooks
// that want it). Sets the lead's due time and pending result; `new_call` gets a placed call.
Status perform_effect(StoreTx& tx, CompiledVersion& c, LiveLead& l, const LeadState& state,
                      const Effect& e, std::int64_t* flight, StepContext& sc,
                      std::optional<std::string>* new_call) {
    const CompiledGraph& g = *c.graph;
    switch (e.type) {
        case EffectType::kPlaceCall: {
            const Node& node = g.graph().nodes[static_cast<std::size_t>(e.node)];
            const std::string key = step_key(l, node, state.steps);
            CallRecord cr;
            cr.id = "call_" + sha256_hex(key).substr(0, 24);
            cr.organization_id = c.workflow.organization_id;
            cr.workflow_id = l.workflow_id;
            cr.lead_id = l.id;
            cr.node_id = node.id;
            cr.status = "in_progress";
            cr.created_at = sc.now;
            if (Status s = tx.insert_call(cr); !s) return s;
            *new_call = cr.id;
            l.call_id = cr.id;
            if (flight) ++*flight;
            if (sc.config->provider == "webhook") {
                const VoiceCallConfig& call = g.nodes()[static_cast<std::size_t>(e.node)].call;
                OutboxRow o =
                    call_dispatch_row(l, node, call, cr.id, key, sc.config->public_url, sc.now);
                if (Status s = tx.live_outbox_insert(o); !s) return s;
                // Bounded to a day, so any config value converts to an integer safely.
                const std::int64_t max_seconds = call.max_call_seconds
                                                     ? static_cast<std::int64_t>(std::clamp(
                                                           *call.max_call_seconds, 1.0, 86400.0))
                                                     : sc.config->default_max_call_seconds;
                l.due_at = sc.now + max_seconds * 1000 + sc.config->call_grace_ms;
            } else {
                SandboxCall call =
                    sample_sandbox_call(c.scenario.nodes[static_cast<std::size_t>(e.node)],
                                        c.scenario.scenario.seed, cr.id);
                l.pending_event =
                    PendingResult::call(call.outcome, call.duration_ms, call.analysis).to_json();
                l.due_at = sc.now + call.duration_ms;
            }
            return Status::ok();
        }
        case EffectType::kHoldUntil:
            l.due_at = e.until;
            return Status::ok();
        case EffectType::kRunAction: {
            const Node& node = g.graph().nodes[static_cast<std::size_t>(e.node)];
            const std::string key = step_key(l, node, state.steps);
            const ApplicationConfig& action = g.nodes()[static_cast<std::size_t>(e.node)].action;
            if (action.provider_key == "webhook") {
                if (Status s = tx.live_outbox_insert(action_row(l, node, action, key, sc.now));
                    !s) {
                    return s;
                }
                l.due_at = sc.now + sc.config->action_timeout_ms;
            } else {
                SandboxAction a =
                    sample_sandbox_action(c.scenario.nodes[static_cast<std::size_t>(e.node)],
                                          c.scenario.scenario.seed, key);
                l.pending_event = PendingResult::action(a.ok, Json::object()).to_json();
                l.due_at = sc.now + a.latency_ms;
            }
            return Status::ok();
        }
        case EffectType::kQueued:
            if (e.until != kNoTime) {
                l.due_at = e.until;
            } else if (!l.slot_wait_at) {
                l.slot_wait_at = sc.now;
            }
            return Status::ok();
        case EffectType::kFinish: {
            l.status = status_for_end(e.end);
            sc.finished_workflows->insert(l.workflow_id);
            if (e.end != LeadEnd::kCompleted && e.end != LeadEnd::kDropped) return Status::ok();
            const std::string& org = c.workflow.organization_id;
            auto hooks = sc.webhooks.find(org);
            if (hooks == sc.webhooks.end()) {
                auto listed = tx.list_webhooks(org);
                if (!listed.ok()) return listed.status();
                hooks = sc.webhooks.emplace(org, listed.value()).first;
            }
            const std::string terminal = g.node_id(state.node);
            for (const UserWebhook& h : hooks->second) {
                if (std::find(h.events.begin(), h.events.end(), "workflow.lead.completed") ==
                    h.events.end()) {
                    continue;
                }
                OutboxRow o =
                    lead_completed_row(l, h, e.end == LeadEnd::kCompleted, terminal, sc.now);
                if (Status s = tx.live_outbox_insert(o); !s) return s;
            }
            return Status::ok();
        }
        case EffectType::kStuck:
        case EffectType::kNone:
            return Status::ok();
    }
    return Status::ok();
}

}  // namespace

Event due_event(LiveLead& l) {
    if (auto result = PendingResult::from_json(l.pending_event)) return result->event();
    Phase phase = Phase::kEntering;
    if (l.state) {
        if (auto p = lead_state_phase(*l.state)) phase = *p;
    }
    Event ev;
    switch (phase) {
        case Phase::kInCall: {
            const PendingResult timeout = PendingResult::call_timeout();
            l.pending_event = timeout.to_json();
            return timeout.event();
        }
        case Phase::kInAction:
            ev.type = EventType::kActionDone;
            ev.action_ok = false;
            return ev;
        case Phase::kStuck:
            ev.type = EventType::kGraphChanged;
            return ev;
        default:
            ev.type = EventType::kTimerFired;
            return ev;
    }
}

Status apply_step(StoreTx& tx, CompiledVersion& c, LiveLead l, const Event& event, bool slot_retry,
                  StepContext& sc) {
    const CompiledGraph& g = *c.graph;
    LeadState state;
    if (Status s = parse_state(l, g, &state); !s) return s;
    const Phase phase_before = l.state ? state.phase : Phase::kEntering;
    const bool started = l.state.has_value();
    const std::optional<TimeMs> slot_before = l.slot_wait_at;
    const std::optional<PendingResult> result = PendingResult::from_json(l.pending_event);
    // A call's analysis and an action's response are visible to the conditions evaluated in
    // this same step.
    if (event.type == EventType::kCallEnded) {
        l.last_analysis = result ? result->analysis : Json::object();
    } else if (event.type == EventType::kActionDone) {
        l.last_response = result ? result->response : Json::object();
    }
    LeadFields fields(l);
    Context ctx;
    ctx.now = sc.now;
    ctx.fields = &fields.source;
    set_zones(ctx, zones_of(c, l));
    ctx.lead_id = l.id;  // SPLIT nodes choose by lead id
    const int limit = g.max_concurrent_calls();
    std::int64_t* flight = nullptr;
    if (limit >= 0) {
        auto it = sc.in_flight->find(l.workflow_id);
        if (it == sc.in_flight->end()) {
            auto n = tx.live_calls_in_flight(l.workflow_id);
            if (!n.ok()) return n.status();
            auto w = tx.live_slot_waiters(l.workflow_id, 1);
            if (!w.ok()) return w.status();
            // Waiters ahead of this lead keep the queue first come first served.
            std::int64_t v = n.value() + (w.value().empty() ? 0 : (1LL << 40));
            it = sc.in_flight->emplace(l.workflow_id, v).first;
        }
        flight = &it->second;
        std::int64_t calls = *flight % (1LL << 40);
        bool waiters = *flight >= (1LL << 40);
        ctx.call_slot_available = calls < limit && (slot_retry || !waiters);
    }
    // The APPLICATION an action result belongs to, and when the lead entered it.
    const std::int32_t node_before = state.node;
    const TimeMs entered_before = state.entered_at;
    Step step;
    Status st = advance(g, state, event, ctx, step);
    if (!st) {
        if (st.code() == StatusCode::kInternal) return st;
        // The event does not fit the lead any more (e.g. a timer for a lead the API moved):
        // drop it so the lead is not due again.
        l.due_at.reset();
        l.pending_event = nullptr;
        l.slot_wait_at.reset();
        LiveLeadUpdate u = lead_update(l, to_execution(state, g), sc.now);
        if (!l.state) u.phase = Phase::kEntering;
        u.status_changed = false;
        u.phase_changed = !started || u.phase != phase_before;
        u.slot_changed = l.slot_wait_at != slot_before;
        return tx.live_save(u);
    }

    // A call that ended: its row gets the final status and the lead its analysis.
    std::optional<std::string> ended_call;
    const std::optional<std::string> ended_call_id =
        event.type == EventType::kCallEnded ? l.call_id : std::nullopt;
    const bool timeout = event.type == EventType::kCallEnded && result && result->is_call_timeout();
    if (event.type == EventType::kCallEnded && l.call_id) {
        ended_call = l.call_id;
        if (Status s = record_call_end(tx, l, event, result, sc); !s) return s;
        if (flight && *flight % (1LL << 40) > 0) --*flight;
    }
    if (event.type == EventType::kActionDone && phase_before == Phase::kInAction &&
        node_before >= 0 && entered_before != kNoTime) {
        ActionSample a;
        a.workflow_id = l.workflow_id;
        a.version = l.version.value_or(0);
        a.node_id = g.node_id(node_before);
        a.at = sc.now;
        a.ok = event.action_ok;
        a.latency_s = static_cast<double>(std::max<TimeMs>(0, sc.now - entered_before)) / 1000.0;
        if (Status s = tx.live_record_action(a); !s) return s;
    }
    l.pending_event = nullptr;
    l.due_at.reset();
    if (slot_retry || step.effect.type != EffectType::kQueued) l.slot_wait_at.reset();

    std::optional<std::string> new_call;
    if (Status s = perform_effect(tx, c, l, state, step.effect, flight, sc, &new_call); !s) {
        return s;
    }

    // History rows.
    for (const StepRecord& r : step.records) {
        std::optional<std::string> call;
        if (r.status == RecordStatus::kInCall && new_call) call = new_call;
        if (r.status == RecordStatus::kCompleted && ended_call &&
            g.nodes()[static_cast<std::size_t>(r.node)].type == NodeType::kVoiceCall &&
            event.type == EventType::kCallEnded) {
            call = ended_call;
            ended_call.reset();  // only the first record is the call's step
        }
        HistoryEntry h = to_history_entry(g, r, call);
        if (call && call == ended_call_id && timeout && r.status == RecordStatus::kCompleted) {
            h.reason = "call_timeout";
        }
        if (Status s = tx.live_append_history(l.id, history_text(h)); !s) return s;
    }

    if (!l.state) l.state.emplace();
    write_lead_state_text(state, g, *l.state);
    LiveLeadUpdate u = lead_update(l, to_execution(state, g), sc.now);
    if (l.status != LeadStatus::kActive) u.completed_at = sc.now;
    u.status_changed = l.status != LeadStatus::kActive;  // every stepped lead was active
    u.phase_changed = !started || u.phase != phase_before;
    u.slot_changed = l.slot_wait_at != slot_before;
    return tx.live_save(u);
}

Status end_without_moving(StoreTx& tx, CompiledVersion* c, LiveLead l, StepContext& sc) {
    LeadState state;
    const CompiledGraph* g = c && c->graph ? &*c->graph : nullptr;
    if (g) {
        if (Status s = parse_state(l, *g, &state); !s) return s;
    }
    if (!g || !l.state) {
        // Nothing to end (or no graph to read the state with): just stop scheduling the lead.
        auto full = tx.get_lead(l.workflow_id, l.id);
        if (!full.ok()) return full.status();
        const bool ends = l.status == LeadStatus::kActive;
        l.due_at.reset();
        l.pending_event = nullptr;
        l.slot_wait_at.reset();
        if (ends) l.status = LeadStatus::kCancelled;
        LiveLeadUpdate u = lead_update(l, full->execution, sc.now);
        if (ends) u.phase = Phase::kDone;
        u.completed_at = ends ? std::optional<TimeMs>(sc.now) : full->lead.completed_at;
        if (Status s = tx.live_save(u); !s) return s;
        if (!ends) return Status::ok();
        return tx.live_append_history(
            l.id, history_text(ending_entry(full->lead.current_node_id, nullptr,
                                            full->execution.entered_at, full->execution.call_id,
                                            "cancelled", "workflow_cancelled", sc.now)));
    }
    if (state.phase == Phase::kInCall && l.call_id) {
        std::optional<PendingResult> result = PendingResult::from_json(l.pending_event);
        bool logged = false;
        if (result && result->kind == PendingResult::Kind::kCall) {
            logged = result->logged;
            l.last_analysis = result->analysis;
        } else {
            // No result came before the timeout.
            auto call = tx.live_get_call(*l.call_id);
            if (!call.ok()) return call.status();
            logged = call->status != "in_progress";
            result = PendingResult::call_timeout();
            l.pending_event = result->to_json();
        }
        const Event ev = result->event();
        if (!logged) {
            if (Status s = record_call_end(tx, l, ev, result, sc); !s) return s;
        }
        // The call's completion record, as the engine writes it; nothing after it.
        LeadFields fields(l);
        Context ctx;
        ctx.now = sc.now;
        ctx.fields = &fields.source;
        set_zones(ctx, zones_of(*c, l));
        ctx.lead_id = l.id;
        LeadState moved = state;
        Step step;
        if (advance(*g, moved, ev, ctx, step) && !step.records.empty() &&
            step.records[0].node == state.node) {
            HistoryEntry h = to_history_entry(*g, step.records[0], l.call_id);
            if (result->is_call_timeout()) h.reason = "call_timeout";
            if (Status s = tx.live_append_history(l.id, history_text(h)); !s) return s;
        }
    }
    const LeadStatus before = l.status;
    if (l.status == LeadStatus::kActive) l.status = LeadStatus::kCancelled;
    l.due_at.reset();
    l.pending_event = nullptr;
    const bool was_queued = l.slot_wait_at.has_value();
    l.slot_wait_at.reset();
    const Execution ex = to_execution(state, *g);
    LiveLeadUpdate u = lead_update(l, ex, sc.now);
    u.phase = Phase::kDone;
    u.completed_at = sc.now;
    u.status_changed = l.status != before;
    u.phase_changed = true;
    u.slot_changed = was_queued;
    if (Status s = tx.live_save(u); !s) return s;
    if (!u.status_changed) return Status::ok();  // ended before (removed), with its row then
    const Node* node =
        state.node >= 0 ? &g->graph().nodes[static_cast<std::size_t>(state.node)] : nullptr;
    return tx.live_append_history(
        l.id, history_text(ending_entry(ex.current_node_id, node, ex.entered_at, l.call_id,
                                        "cancelled", "workflow_cancelled", sc.now)));
}

Status park(StoreTx& tx, LiveLead l, StepContext& sc) {
    auto full = tx.get_lead(l.workflow_id, l.id);
    if (!full.ok()) return full.status();
    const Execution& x = full->execution;
    const bool was_queued = l.slot_wait_at.has_value();
    l.due_at.reset();
    l.slot_wait_at.reset();
    LiveLeadUpdate u = lead_update(l, x, sc.now);
    u.phase = Phase::kStuck;
    u.status_changed = false;
    u.phase_changed = x.phase != Phase::kStuck;
    u.slot_changed = was_queued;
    if (x.phase != Phase::kStuck) {
        HistoryEntry h;
        h.node_id = x.current_node_id.value_or("");
        h.status = "stuck";
        h.reason = "version_cannot_run";
        h.started_at = h.ended_at = sc.now;
        if (Status s = tx.live_append_history(u.lead.id, history_text(h)); !s) return s;
    }
    return tx.live_save(u);
}

}  // namespace leadflow::server
