// server/runtime/scheduler.cpp — the live scheduler (see scheduler.hpp).
//
// Index
//   [SECTION] Workflow cache
//   [SECTION] Clock and thread
//   [SECTION] One engine step
//   [SECTION] Tick
//   [SECTION] Call results
//   [SECTION] Metrics
#include "runtime/scheduler.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <set>
#include <sstream>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/conditions.hpp"
#include "leadflow/engine.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/time_zone.hpp"
#include "leadflow/versions.hpp"
#include "leadflow/wire.hpp"
#include "runtime/history_text.hpp"
#include "runtime/lead_state_text.hpp"
#include "runtime/phone_zone.hpp"
#include "runtime/sandbox.hpp"
#include "util/crypto.hpp"
#include "util/log_text.hpp"

namespace leadflow::server {

// [SECTION] Workflow cache

// One published version, compiled. Versions never change, so an entry stays valid until its
// workflow stops running.
struct Scheduler::WorkflowCache {
    Workflow workflow;  // as published: id, organization, settings, entry node
    std::int64_t number = 0;
    std::optional<CompiledGraph> graph;  // nullopt: the version does not compile
    std::string error;                   // why it does not compile
    BoundScenario scenario;
    TimeZone zone;
    std::map<std::string, TimeZone> lead_zones;  // by zone name
    VersionStep step;                            // what its publish did to running leads
};

namespace {

constexpr const char* kClockKey = "virtual_now";
constexpr std::size_t kLagRing = 4096;
constexpr std::int64_t kMinStepsBeforeYield = 32;  // see Scheduler::run_batch
constexpr int kMinQuota = 16;                      // leads per workflow per batch, at least

bool is_running_status(WorkflowStatus s) {
    return s == WorkflowStatus::kActive;
}

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

}  // namespace

// [SECTION] Clock and thread

Scheduler::Scheduler(Store& store, RuntimeConfig config, std::function<TimeMs()> wall_ms,
                     std::function<TimeMs()> monotonic_ms)
    : store_(store),
      config_(std::move(config)),
      wall_ms_(std::move(wall_ms)),
      monotonic_ms_(std::move(monotonic_ms)) {
    metrics_.lag_samples_ms.reserve(kLagRing);
}

Scheduler::~Scheduler() {
    stop();
}

Status Scheduler::init() {
    TimeMs stored = 0;
    Status st = store_.read([&](StoreTx& tx) {
        auto v = tx.live_meta_get(kClockKey);
        if (!v.ok()) return v.status();
        if (v.value()) stored = std::strtoll(v.value()->c_str(), nullptr, 10);
        return Status::ok();
    });
    if (!st) return st;
    // The virtual clock never runs backwards across restarts.
    virt0_ = std::max(wall_ms_(), stored);
    mono0_ = monotonic_ms_();
    return Status::ok();
}

TimeMs Scheduler::live_now() const {
    double elapsed = static_cast<double>(monotonic_ms_() - mono0_) * config_.time_scale;
    if (elapsed > 4e15) elapsed = 4e15;  // an "instant" scale stays inside TimeMs
    return virt0_ + static_cast<TimeMs>(elapsed);
}

void Scheduler::wake() {
    std::lock_guard<std::mutex> lock(wake_mu_);
    woken_ = true;
    wake_cv_.notify_one();
}

void Scheduler::start() {
    stopping_ = false;
    backoff_.set_running(true);
    thread_ = std::thread([this] {
        for (;;) {
            {
                std::lock_guard<std::mutex> lock(wake_mu_);
                if (stopping_) return;
                woken_ = false;
            }
            Result<std::int64_t> n = Status::internal("tick did not run");
            try {
                n = tick();
            } catch (const std::exception& e) {
                cache_.clear();
                n = Status::internal(std::string("scheduler tick threw: ") + e.what());
            }
            // Log lines only when failures start or end (RetryBackoff), not per retry.
            const int retry_ms = backoff_.record(n.status(), wall_ms_());
            std::unique_lock<std::mutex> lock(wake_mu_);
            if (stopping_) return;
            if (n.ok() && n.value() > 0) continue;  // more may be due right away
            wake_cv_.wait_for(
                lock, std::chrono::milliseconds(retry_ms > 0 ? retry_ms : config_.idle_sleep_ms),
                [this] { return woken_ || stopping_; });
        }
    });
}

void Scheduler::stop() {
    {
        std::lock_guard<std::mutex> lock(wake_mu_);
        stopping_ = true;
        wake_cv_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
    backoff_.set_running(false);
}

Result<Scheduler::WorkflowCache*> Scheduler::version(StoreTx& tx, const std::string& workflow_id,
                                                     std::int64_t number) {
    auto key = std::make_pair(workflow_id, number);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second.get();
    auto v = tx.get_version(workflow_id, number);
    if (!v.ok()) return v.status();
    auto c = std::make_unique<WorkflowCache>();
    c->workflow = v->graph.workflow;
    c->workflow.id = workflow_id;
    c->number = number;
    c->step = version_step(number, v->migrate == MigrateMode::kMove, v->node_map, v->graph);
    auto compiled = compile_graph(v->graph);
    if (compiled.ok()) {
        c->graph = std::move(compiled.value());
        Scenario sc = default_scenario();
        if (!v->scenario.is_null()) {
            auto parsed = parse_scenario(v->scenario);
            if (parsed.ok()) sc = std::move(parsed.value());
        }
        c->scenario = bind_scenario(*c->graph, sc);
    } else {
        c->error = compiled.status().message();
        unrunnable_.emplace_back(
            workflow_id,
            Json{{"code", "VERSION_CANNOT_RUN"},
                 {"source", "version"},
                 {"version", number},
                 {"message", "Version " + std::to_string(number) + " cannot run (" + c->error +
                                 "); its leads wait until a publish moves them"}});
        log_line("workflow " + log_escape(workflow_id) + " version " + std::to_string(number) +
                 " cannot run: " + log_escape(c->error));
    }
    if (auto z = TimeZone::find(c->workflow.settings.timezone); z.ok()) c->zone = z.value();
    WorkflowCache* raw = c.get();
    cache_[key] = std::move(c);
    return raw;
}

Result<Scheduler::WorkflowCache*> Scheduler::latest(StoreTx& tx, const std::string& workflow_id) {
    auto it = runnable_index_.find(workflow_id);
    std::optional<std::int64_t> number;
    if (it != runnable_index_.end()) {
        number = runnable_[it->second].published_version;
    } else {
        auto w = tx.live_get_workflow(workflow_id);
        if (!w.ok()) return w.status();
        number = w->published_version;
    }
    if (!number) return static_cast<WorkflowCache*>(nullptr);
    return version(tx, workflow_id, *number);
}

Result<Scheduler::WorkflowCache*> Scheduler::place(StoreTx& tx, LiveLead& l) {
    auto newest = latest(tx, l.workflow_id);
    if (!newest.ok()) return newest.status();
    if (!newest.value()) return static_cast<WorkflowCache*>(nullptr);
    const std::int64_t top = newest.value()->number;
    if (!l.state || !l.version) {
        // Not started (or started before versions existed without one): the newest version.
        if (!l.version) l.version = top;
        l.version_seen = std::max(top, l.version_seen.value_or(0));
        return version(tx, l.workflow_id, *l.version);
    }
    auto current = version(tx, l.workflow_id, *l.version);
    if (!current.ok()) return current.status();
    WorkflowCache* c = current.value();
    const std::int64_t seen = std::max(l.version_seen.value_or(*l.version), *l.version);
    l.version_seen = std::max(seen, top);
    if (seen >= top) return c;
    // Read from the text, so that a lead on a version that cannot run can still move.
    const std::optional<Phase> phase = lead_state_phase(*l.state);
    const std::optional<std::string> node_id = lead_state_node_id(*l.state);
    if (!phase || *phase == Phase::kDone || !node_id) return c;
    auto type = c->step.nodes.find(*node_id);
    if (type == c->step.nodes.end()) return c;
    std::vector<VersionStep> later;
    for (std::int64_t n = seen + 1; n <= top; ++n) {
        auto v = version(tx, l.workflow_id, n);
        if (!v.ok()) return v.status();
        later.push_back(v.value()->step);
    }
    LeadPlacement to = resolve_placement({*l.version, *node_id}, type->second, seen, later);
    if (to.version == *l.version) return c;
    auto target = version(tx, l.workflow_id, to.version);
    if (!target.ok()) return target.status();
    if (!target.value()->graph) return c;  // never onto a version that cannot run
    auto moved = with_lead_state_node_id(*l.state, to.node_id);
    if (!moved) return c;
    l.state = std::move(*moved);
    l.version = to.version;
    return target.value();
}

Status Scheduler::refresh_workflows() {
    return store_.live_transact([&](StoreTx& tx) {
        auto listed = tx.live_runnable_workflows();
        if (!listed.ok()) return listed.status();
        runnable_ = std::move(listed.value());
        runnable_index_.clear();
        for (std::size_t i = 0; i < runnable_.size(); ++i) runnable_index_[runnable_[i].id] = i;
        for (auto it = cache_.begin(); it != cache_.end();) {
            if (!runnable_index_.count(it->first.first)) {
                it = cache_.erase(it);
            } else {
                ++it;
            }
        }
        return Status::ok();
    });
}

// [SECTION] One engine step

namespace {

struct StepContext {
    TimeMs now;
    const RuntimeConfig* config;
    std::map<std::string, std::int64_t>* in_flight;  // by workflow (limited workflows only)
    std::set<std::string>* finished_workflows;
    std::map<std::string, std::int64_t> call_outcomes;
    std::vector<double> lags;
    // User webhooks by organization, read once per batch (a webhook created while a workflow
    // runs gets the next completions).
    std::map<std::string, std::vector<UserWebhook>> webhooks;
};

// The lead's zone (SPEC §1.4): its `timezone` variable, else (when a calling window makes it
// matter) the single zone of its phone number's region, else the workflow's zone.
const TimeZone& lead_zone(Scheduler::WorkflowCache& c, const LiveLead& l) {
    std::string name;
    auto v = l.variables.find("timezone");
    if (v != l.variables.end() && !v->second.empty()) {
        name = v->second;
    } else if (c.graph && c.graph->has_window() && !c.graph->window().any_time) {
        if (auto z = phone_time_zone(l.phone_number)) name = *z;
    }
    if (name.empty()) return c.zone;
    auto it = c.lead_zones.find(name);
    if (it != c.lead_zones.end()) return it->second;
    auto z = TimeZone::find(name);
    return c.lead_zones.emplace(name, z.ok() ? z.value() : c.zone).first->second;
}

std::int64_t max_call_seconds(const Node& n, std::int64_t fallback) {
    auto it = n.config.find("max_call_seconds");
    if (it != n.config.end() && it->is_number() && it->get<double>() > 0) {
        return static_cast<std::int64_t>(it->get<double>());
    }
    return fallback;
}

Status parse_state(const LiveLead& l, const CompiledGraph& g, LeadState* state) {
    if (!l.state) return Status::ok();
    auto s = parse_lead_state_text(*l.state, g);
    if (!s.ok())
        return Status::internal("stored lead state of " + l.id + ": " + s.status().message());
    *state = s.value();
    return Status::ok();
}

// The end of the lead's call in flight on its call row. One UPDATE, no read: every column the
// call's end sets is known here.
Status record_call_end(StoreTx& tx, const LiveLead& l, const Event& event, StepContext& sc) {
    CallRecord cr;
    cr.id = *l.call_id;
    cr.status = call_status_name(event.outcome);
    cr.outcome = to_string(event.outcome);
    cr.duration_s = event.call_duration_ms / 1000.0;
    cr.analysis = l.last_analysis;
    if (l.pending_event.is_object() && l.pending_event.contains("end_reason") &&
        l.pending_event["end_reason"].is_string()) {
        cr.end_reason = l.pending_event["end_reason"].get<std::string>();
    }
    cr.ended_at = sc.now;
    if (Status s = tx.live_update_call(cr); !s) return s;
    ++sc.call_outcomes[to_string(event.outcome)];
    return Status::ok();
}

// Applies `event` to the lead and writes everything the step produced.
Status apply_step(StoreTx& tx, Scheduler::WorkflowCache& c, LiveLead l, const Event& event,
                  bool slot_retry, StepContext& sc) {
    const CompiledGraph& g = *c.graph;
    LeadState state;
    if (Status s = parse_state(l, g, &state); !s) return s;
    const Phase phase_before = l.state ? state.phase : Phase::kEntering;
    const bool started = l.state.has_value();
    const std::optional<TimeMs> slot_before = l.slot_wait_at;
    // A call's analysis and an action's response are visible to the conditions evaluated in
    // this same step.
    if (event.type == EventType::kCallEnded) {
        Json a = l.pending_event.is_object() ? l.pending_event.value("analysis", Json::object())
                                             : Json::object();
        l.last_analysis = a.is_object() ? a : Json::object();
    } else if (event.type == EventType::kActionDone) {
        Json r = l.pending_event.is_object() ? l.pending_event.value("response", Json::object())
                                             : Json::object();
        l.last_response = r.is_object() ? r : Json::object();
    }
    auto analysis = string_map(l.last_analysis);
    auto response = string_map(l.last_response);
    MapFieldSource fields(&l.variables, &analysis, &response);
    const TimeZone& zone = lead_zone(c, l);
    Context ctx;
    ctx.now = sc.now;
    ctx.fields = &fields;
    ctx.zone = &zone;
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
    Step step;
    Status st = advance(g, state, event, ctx, step);
    if (!st) {
        if (st.code() == StatusCode::kInternal) return st;
        // The event does not fit the lead any more (e.g. a timer for a lead the API moved):
        // drop it so the lead is not due again.
        l.due_at.reset();
        l.pending_event = nullptr;
        l.slot_wait_at.reset();
        LiveLeadUpdate u;
        u.lead = l;
        Execution x = to_execution(state, g);
        u.current_node_id = x.current_node_id;
        u.phase = l.state ? x.phase : Phase::kEntering;
        u.entered_at = x.entered_at;
        u.release_at = x.release_at;
        u.steps = x.steps;
        u.updated_at = sc.now;
        u.status_changed = false;
        u.phase_changed = !started || u.phase != phase_before;
        u.slot_changed = l.slot_wait_at != slot_before;
        return tx.live_save(u);
    }

    // A call that ended: its row gets the final status and the lead its analysis.
    std::optional<std::string> ended_call;
    const std::optional<std::string> ended_call_id =
        event.type == EventType::kCallEnded ? l.call_id : std::nullopt;
    const bool timeout = event.type == EventType::kCallEnded && l.pending_event.is_object() &&
                         l.pending_event.value("end_reason", "") == "call_timeout";
    if (event.type == EventType::kCallEnded && l.call_id) {
        ended_call = l.call_id;
        if (Status s = record_call_end(tx, l, event, sc); !s) return s;
        if (flight && *flight % (1LL << 40) > 0) --*flight;
    }
    l.pending_event = nullptr;
    l.due_at.reset();
    if (slot_retry || step.effect.type != EffectType::kQueued) l.slot_wait_at.reset();

    // Effects.
    std::optional<std::string> new_call;
    const Effect& e = step.effect;
    switch (e.type) {
        case EffectType::kPlaceCall: {
            const Node& node = g.graph().nodes[static_cast<std::size_t>(e.node)];
            const std::string key = l.id + ":" + node.id + ":" + std::to_string(state.steps);
            CallRecord cr;
            cr.id = "call_" + sha256_hex(key).substr(0, 24);
            cr.organization_id = c.workflow.organization_id;
            cr.workflow_id = l.workflow_id;
            cr.lead_id = l.id;
            cr.node_id = node.id;
            cr.status = "in_progress";
            cr.created_at = sc.now;
            if (Status s = tx.insert_call(cr); !s) return s;
            new_call = cr.id;
            l.call_id = cr.id;
            if (flight) ++*flight;
            if (sc.config->provider == "webhook") {
                OutboxRow o;
                o.idempotency_key = "call:" + key;
                o.kind = "call_dispatch";
                o.workflow_id = l.workflow_id;
                o.lead_id = l.id;
                std::string agent = node.config.value("agent_id", Json("")).is_string()
                                        ? node.config.value("agent_id", "")
                                        : "";
                std::string from = node.config.value("from_phone_number", Json("")).is_string()
                                       ? node.config.value("from_phone_number", "")
                                       : "";
                Json vars = Json::object();
                for (const auto& [k, v] : l.variables) vars[k] = v;
                o.payload = Json{
                    {"call_id", cr.id},
                    {"workflow_id", l.workflow_id},
                    {"lead_id", l.id},
                    {"node_id", node.id},
                    {"agent_id", agent},
                    {"from_phone_number", from},
                    {"to_phone_number", l.phone_number},
                    {"variables", vars},
                    {"callback_url", sc.config->public_url + "/v1/calls/" + cr.id + "/result"}};
                o.created_at = sc.now;
                if (Status s = tx.live_outbox_insert(o); !s) return s;
                l.due_at = sc.now +
                           max_call_seconds(node, sc.config->default_max_call_seconds) * 1000 +
                           sc.config->call_grace_ms;
            } else {
                SandboxCall call =
                    sample_sandbox_call(c.scenario.nodes[static_cast<std::size_t>(e.node)],
                                        c.scenario.scenario.seed, cr.id);
                l.pending_event = Json{{"type", "call"},
                                       {"status", call_status_name(call.outcome)},
                                       {"duration_ms", call.duration_ms},
                                       {"analysis", call.analysis}};
                l.due_at = sc.now + call.duration_ms;
            }
            break;
        }
        case EffectType::kHoldUntil:
            l.due_at = e.until;
            break;
        case EffectType::kRunAction: {
            const Node& node = g.graph().nodes[static_cast<std::size_t>(e.node)];
            const std::string key = l.id + ":" + node.id + ":" + std::to_string(state.steps);
            std::string provider = node.config.value("provider_key", Json("")).is_string()
                                       ? node.config.value("provider_key", "")
                                       : "";
            if (provider == "webhook") {
                OutboxRow o;
                o.idempotency_key = "action:" + key;
                o.kind = "action";
                o.workflow_id = l.workflow_id;
                o.lead_id = l.id;
                Json vars = Json::object();
                for (const auto& [k, v] : l.variables) vars[k] = v;
                o.payload = Json{{"action_config", node.config.value("action_config", Json())},
                                 {"phone_number", l.phone_number},
                                 {"variables", vars},
                                 {"analysis", l.last_analysis},
                                 {"node_id", node.id}};
                o.created_at = sc.now;
                if (Status s = tx.live_outbox_insert(o); !s) return s;
                l.due_at = sc.now + sc.config->action_timeout_ms;
            } else {
                SandboxAction a =
                    sample_sandbox_action(c.scenario.nodes[static_cast<std::size_t>(e.node)],
                                          c.scenario.scenario.seed, key);
                l.pending_event = Json{{"type", "action"}, {"ok", a.ok}};
                l.due_at = sc.now + a.latency_ms;
            }
            break;
        }
        case EffectType::kQueued:
            if (e.until != kNoTime) {
                l.due_at = e.until;
            } else if (!l.slot_wait_at) {
                l.slot_wait_at = sc.now;
            }
            break;
        case EffectType::kFinish:
            l.status = status_for_end(e.end);
            sc.finished_workflows->insert(l.workflow_id);
            if (e.end == LeadEnd::kCompleted || e.end == LeadEnd::kDropped) {
                Json vars = Json::object();
                for (const auto& [k, v] : l.variables) vars[k] = v;
                const std::string terminal = g.node_id(state.node);
                auto hooks = sc.webhooks.find(c.workflow.organization_id);
                if (hooks == sc.webhooks.end()) {
                    auto listed = tx.list_webhooks(c.workflow.organization_id);
                    if (!listed.ok()) return listed.status();
                    hooks = sc.webhooks.emplace(c.workflow.organization_id, listed.value()).first;
                }
                for (const UserWebhook& h : hooks->second) {
                    if (std::find(h.events.begin(), h.events.end(), "workflow.lead.completed") ==
                        h.events.end()) {
                        continue;
                    }
                    OutboxRow o;
                    o.idempotency_key = "lead.completed:" + l.id + ":" + h.id;
                    o.kind = "user_webhook";
                    o.workflow_id = l.workflow_id;
                    o.lead_id = l.id;
                    o.payload =
                        Json{{"webhook_id", h.id},
                             {"organization_id", h.organization_id},
                             {"body",
                              Json{{"event_type", "workflow.lead.completed"},
                                   {"payload",
                                    Json{{"workflow_id", l.workflow_id},
                                         {"lead", Json{{"id", l.id},
                                                       {"phone_number", l.phone_number},
                                                       {"variables", vars}}},
                                         {"final_status",
                                          e.end == LeadEnd::kCompleted ? "completed" : "dropped"},
                                         {"terminal_node_id", terminal},
                                         {"completed_at", format_timestamp(sc.now)}}}}}};
                    o.created_at = sc.now;
                    if (Status s = tx.live_outbox_insert(o); !s) return s;
                }
            }
            break;
        case EffectType::kStuck:
        case EffectType::kNone:
            break;
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
        if (Status s = tx.live_append_history(l, history_text(h)); !s) return s;
    }

    if (!l.state) l.state.emplace();
    write_lead_state_text(state, g, *l.state);
    Execution x = to_execution(state, g);
    LiveLeadUpdate u;
    u.lead = l;
    u.current_node_id = x.current_node_id;
    u.phase = x.phase;
    u.entered_at = x.entered_at;
    u.release_at = x.release_at;
    u.steps = x.steps;
    u.updated_at = sc.now;
    if (l.status != LeadStatus::kActive) u.completed_at = sc.now;
    u.status_changed = l.status != LeadStatus::kActive;  // every stepped lead was active
    u.phase_changed = !started || x.phase != phase_before;
    u.slot_changed = l.slot_wait_at != slot_before;
    return tx.live_save(u);
}

// A due lead that moves no further: its workflow was cancelled (the lead is still active
// because a call was in flight) or the lead was removed. A call in flight ends — the call row
// gets its result (unless call_result already logged it) and history the call's completion
// record — and the lead ends as `cancelled` (or stays `removed`) without advancing.
Status end_without_moving(StoreTx& tx, Scheduler::WorkflowCache* c, LiveLead l, StepContext& sc) {
    LeadState state;
    const CompiledGraph* g = c && c->graph ? &*c->graph : nullptr;
    if (g) {
        if (Status s = parse_state(l, *g, &state); !s) return s;
    }
    const bool in_call = g && l.state && state.phase == Phase::kInCall && l.call_id;
    if (!g || !l.state) {
        // Nothing to end (or no graph to read the state with): just stop scheduling the lead.
        LiveLeadUpdate u;
        auto full = tx.get_lead(l.workflow_id, l.id);
        if (!full.ok()) return full.status();
        u.lead = l;
        u.lead.due_at.reset();
        u.lead.pending_event = nullptr;
        u.lead.slot_wait_at.reset();
        if (l.status == LeadStatus::kActive) u.lead.status = LeadStatus::kCancelled;
        u.current_node_id = full->execution.current_node_id;
        u.phase = l.status == LeadStatus::kActive ? Phase::kDone : full->execution.phase;
        u.entered_at = full->execution.entered_at;
        u.release_at = full->execution.release_at;
        u.steps = full->execution.steps;
        u.updated_at = sc.now;
        u.completed_at = l.status == LeadStatus::kActive ? std::optional<TimeMs>(sc.now)
                                                         : full->lead.completed_at;
        return tx.live_save(u);
    }
    if (in_call) {
        Event ev;
        ev.type = EventType::kCallEnded;
        const Json& pe = l.pending_event;
        bool logged = false;
        if (pe.is_object() && pe.value("type", "") == "call") {
            auto o = parse_call_outcome(pe.value("status", "failed"));
            ev.outcome = o ? *o : CallOutcome::kFailed;
            ev.call_duration_ms =
                static_cast<std::int32_t>(pe.value("duration_ms", std::int64_t{0}));
            logged = pe.value("logged", false);
            Json a = pe.value("analysis", Json::object());
            l.last_analysis = a.is_object() ? a : Json::object();
        } else {
            // No result came before the timeout.
            auto call = tx.live_get_call(*l.call_id);
            if (!call.ok()) return call.status();
            logged = call->status != "in_progress";
            ev.outcome = CallOutcome::kFailed;
            l.pending_event = Json{{"type", "call"},
                                   {"status", "failed"},
                                   {"end_reason", "call_timeout"},
                                   {"duration_ms", 0}};
        }
        if (!logged) {
            if (Status s = record_call_end(tx, l, ev, sc); !s) return s;
        }
        // The call's completion record, as the engine writes it; nothing after it.
        auto analysis = string_map(l.last_analysis);
        auto response = string_map(l.last_response);
        MapFieldSource fields(&l.variables, &analysis, &response);
        Context ctx;
        ctx.now = sc.now;
        ctx.fields = &fields;
        ctx.zone = &lead_zone(*c, l);
        LeadState moved = state;
        Step step;
        if (advance(*g, moved, ev, ctx, step) && !step.records.empty() &&
            step.records[0].node == state.node) {
            HistoryEntry h = to_history_entry(*g, step.records[0], l.call_id);
            if (l.pending_event.value("end_reason", "") == "call_timeout")
                h.reason = "call_timeout";
            if (Status s = tx.live_append_history(l, history_text(h)); !s) return s;
        }
    }
    Execution x = to_execution(state, *g);
    const LeadStatus before = l.status;
    if (l.status == LeadStatus::kActive) l.status = LeadStatus::kCancelled;
    l.due_at.reset();
    l.pending_event = nullptr;
    const std::optional<TimeMs> slot_before = l.slot_wait_at;
    l.slot_wait_at.reset();
    LiveLeadUpdate u;
    u.lead = l;
    u.current_node_id = x.current_node_id;
    u.phase = Phase::kDone;
    u.entered_at = x.entered_at;
    u.release_at = x.release_at;
    u.steps = x.steps;
    u.updated_at = sc.now;
    u.completed_at = sc.now;
    u.status_changed = l.status != before;
    u.phase_changed = true;
    u.slot_changed = slot_before.has_value();
    return tx.live_save(u);
}

// A lead whose version cannot run (a graph stored before publishing checked graphs): it stops
// being due and stays where it is until a publish moves it. Its history says why, once.
Status park(StoreTx& tx, LiveLead l, StepContext& sc) {
    auto full = tx.get_lead(l.workflow_id, l.id);
    if (!full.ok()) return full.status();
    const Execution& x = full->execution;
    LiveLeadUpdate u;
    u.lead = l;
    u.lead.due_at.reset();
    u.lead.slot_wait_at.reset();
    u.current_node_id = x.current_node_id;
    u.phase = Phase::kStuck;
    u.entered_at = x.entered_at;
    u.release_at = x.release_at;
    u.steps = x.steps;
    u.updated_at = sc.now;
    u.status_changed = false;
    u.phase_changed = x.phase != Phase::kStuck;
    u.slot_changed = l.slot_wait_at.has_value();
    if (x.phase != Phase::kStuck) {
        HistoryEntry h;
        h.node_id = x.current_node_id.value_or("");
        h.status = "stuck";
        h.reason = "version_cannot_run";
        h.started_at = h.ended_at = sc.now;
        if (Status s = tx.live_append_history(u.lead, history_text(h)); !s) return s;
    }
    return tx.live_save(u);
}

}  // namespace

// [SECTION] Tick

Result<std::int64_t> Scheduler::tick() {
    metrics_.ticks.fetch_add(1);
    const TimeMs now = live_now();
    if (Status s = refresh_workflows(); !s) return s;
    if (batch_size_ <= 0) batch_size_ = std::max(1, config_.batch);
    std::int64_t total = 0;
    bool more = true;
    for (int round = 0; more && round < 50; ++round) {
        auto n = run_batch(now, round == 0, &more);
        if (!n.ok()) return n.status();
        total += n.value();
    }
    return total;
}

Result<std::int64_t> Scheduler::run_batch(TimeMs now, bool all_waiters, bool* more) {
    std::int64_t steps = 0;
    std::map<std::string, std::int64_t> in_flight;
    std::set<std::string> finished, completed;
    StepContext sc{now, &config_, &in_flight, &finished, {}, {}, {}};
    const TimeMs wall_mono = monotonic_ms_();
    const int batch_limit = batch_size_;
    // Each workflow gets an equal share of the batch (at least kMinQuota leads), so that one
    // workflow's backlog — thousands of overdue timers, leads on a version that cannot run —
    // never delays another workflow's leads by more than one share per batch.
    const std::size_t n_workflows = runnable_.size();
    const int quota =
        n_workflows == 0
            ? batch_limit
            : std::max(std::min(batch_limit, kMinQuota),
                       batch_limit / static_cast<int>(std::min<std::size_t>(n_workflows, 1 << 20)));
    bool out_of_time = false, yielded = false, full = false;
    Status st = store_.live_transact([&](StoreTx& tx) {
        steps = 0;
        in_flight.clear();
        finished.clear();
        completed.clear();
        sc.call_outcomes.clear();
        sc.lags.clear();
        sc.webhooks.clear();
        out_of_time = yielded = full = false;
        // The workflows as this transaction sees them. API writes go between the scheduler's
        // transactions, so a publish, pause or cancel may have committed since the tick read
        // them: a batch working from that read would start leads on the version before a
        // publish, step leads a `move` has already moved on the version they left, and
        // re-evaluate the stuck leads a publish woke on their old graph (versions.hpp).
        auto listed = tx.live_runnable_workflows();
        if (!listed.ok()) return listed.status();
        std::vector<char> serve(n_workflows, 0);
        for (const RunnableWorkflow& r : listed.value()) {
            // A workflow activated since the tick began is served from the next tick on.
            auto it = runnable_index_.find(r.id);
            if (it == runnable_index_.end()) continue;
            runnable_[it->second].published_version = r.published_version;
            runnable_[it->second].cancelled = r.cancelled;
            serve[it->second] = 1;
        }
        // Commit when an API write waits, or once the batch has held the write lock for
        // batch_ms of wall time. A batch makes kMinStepsBeforeYield steps before it yields to
        // API writes: on a slow or loaded machine reading the batch's leads can take longer
        // than the gap between two API writes, and yielding before the first step starved
        // the scheduler completely.
        auto time_is_up = [&] {
            if (yielded || out_of_time) return true;
            if (steps >= kMinStepsBeforeYield && store_.api_write_waiting()) {
                yielded = true;
                return true;
            }
            if (monotonic_ms_() - wall_mono < config_.batch_ms) return false;
            out_of_time = true;
            return true;
        };
        // One step of a lead on the version it runs on now.
        auto run = [&](LiveLead l, const Event& ev, bool slot_retry) -> Status {
            auto c = place(tx, l);
            if (!c.ok()) return c.status();
            if (!c.value()) return Status::ok();  // no published version: nothing runs yet
            if (!c.value()->graph) return park(tx, l, sc);
            if (Status s = apply_step(tx, *c.value(), l, ev, slot_retry, sc); !s) return s;
            ++steps;
            return Status::ok();
        };
        for (std::size_t k = 0; k < n_workflows && !time_is_up(); ++k) {
            const std::size_t index = (first_served_ + k) % n_workflows;
            if (!serve[index]) continue;  // paused, completed or deleted since the tick began
            const RunnableWorkflow& wf = runnable_[index];
            // 1. Leads to start, oldest first (only while the newest version can run: leads
            // not started wait for a publish that can).
            if (!wf.cancelled) {
                auto newest = latest(tx, wf.id);
                if (!newest.ok()) return newest.status();
                if (newest.value() && newest.value()->graph) {
                    auto start = tx.live_leads_to_start(wf.id, quota);
                    if (!start.ok()) return start.status();
                    if (start->size() == static_cast<std::size_t>(quota)) full = true;
                    for (const LiveLead& l : start.value()) {
                        if (time_is_up()) break;
                        Event ev;
                        ev.type = EventType::kStart;
                        if (Status s = run(l, ev, false); !s) return s;
                    }
                }
            }
            if (time_is_up()) break;
            // 2. Due events, earliest first.
            auto due = tx.live_due_leads(wf.id, now, quota);
            if (!due.ok()) return due.status();
            if (due->size() == static_cast<std::size_t>(quota)) full = true;
            for (const LiveLead& l : due.value()) {
                if (time_is_up()) break;
                if (l.status != LeadStatus::kActive || wf.cancelled) {
                    WorkflowCache* cache = nullptr;
                    if (l.version) {
                        if (auto c = version(tx, l.workflow_id, *l.version); c.ok()) {
                            cache = c.value();
                        }
                    }
                    if (Status s = end_without_moving(tx, cache, l, sc); !s) return s;
                    continue;
                }
                // Lag: how long after its due time (in wall ms) the event is applied.
                if (l.due_at) {
                    double lag_virtual = static_cast<double>(now - *l.due_at);
                    sc.lags.push_back(lag_virtual / config_.time_scale);
                }
                Event ev;
                const Json& pe = l.pending_event;
                if (pe.is_object() && pe.value("type", "") == "call") {
                    ev.type = EventType::kCallEnded;
                    auto o = parse_call_outcome(pe.value("status", "failed"));
                    ev.outcome = o ? *o : CallOutcome::kFailed;
                    ev.call_duration_ms =
                        static_cast<std::int32_t>(pe.value("duration_ms", std::int64_t{0}));
                } else if (pe.is_object() && pe.value("type", "") == "action") {
                    ev.type = EventType::kActionDone;
                    ev.action_ok = pe.value("ok", false);
                } else {
                    // No result: a timer, a window opening, a publish, or a timeout.
                    Phase phase = Phase::kEntering;
                    if (l.state) {
                        if (auto p = lead_state_phase(*l.state)) phase = *p;
                    }
                    if (phase == Phase::kInCall) {
                        LiveLead timed = l;
                        timed.pending_event = Json{{"type", "call"},
                                                   {"status", "failed"},
                                                   {"end_reason", "call_timeout"},
                                                   {"duration_ms", 0}};
                        ev.type = EventType::kCallEnded;
                        ev.outcome = CallOutcome::kFailed;
                        if (Status s = run(timed, ev, false); !s) return s;
                        continue;
                    }
                    if (phase == Phase::kInAction) {
                        ev.type = EventType::kActionDone;
                        ev.action_ok = false;
                    } else if (phase == Phase::kStuck) {
                        ev.type = EventType::kGraphChanged;
                    } else {
                        ev.type = EventType::kTimerFired;
                    }
                }
                if (Status s = run(l, ev, false); !s) return s;
            }
        }
        // 3. Leads queued for a call slot, first come first served, while slots are free:
        // in the workflows whose calls this batch touched and, once per tick, in every active
        // workflow with a limit (a resume, an activation or a raised limit frees slots too).
        if (all_waiters) {
            for (const RunnableWorkflow& wf : runnable_) {
                if (wf.cancelled || in_flight.count(wf.id)) continue;
                auto c = latest(tx, wf.id);
                if (!c.ok()) return c.status();
                if (!c.value() || !c.value()->graph ||
                    c.value()->graph->max_concurrent_calls() < 0) {
                    continue;
                }
                auto fresh = tx.live_get_workflow(wf.id);
                if (!fresh.ok()) return fresh.status();
                if (!is_running_status(fresh->status)) continue;
                auto n = tx.live_calls_in_flight(wf.id);
                if (!n.ok()) return n.status();
                in_flight.emplace(wf.id, n.value());
            }
        }
        for (auto& [wf, flight] : in_flight) {
            auto c = latest(tx, wf);
            if (!c.ok()) return c.status();
            if (!c.value() || !c.value()->graph) continue;
            const int limit = c.value()->graph->max_concurrent_calls();
            std::int64_t calls = flight % (1LL << 40);
            if (limit < 0 || calls >= limit) continue;
            auto waiters = tx.live_slot_waiters(wf, static_cast<int>(limit - calls));
            if (!waiters.ok()) return waiters.status();
            flight = calls;  // the retried waiters go first
            for (const LiveLead& l : waiters.value()) {
                Event ev;
                ev.type = EventType::kTimerFired;
                if (Status s = run(l, ev, true); !s) return s;
            }
        }
        // 4. Auto-complete workflows whose leads are all terminal.
        for (const std::string& wf : finished) {
            auto fresh = tx.live_get_workflow(wf);
            if (!fresh.ok()) return fresh.status();
            Workflow w = fresh.value();
            if (!w.settings.auto_complete || !is_running_status(w.status)) continue;
            auto counts = tx.workflow_counts(wf);
            if (!counts.ok()) return counts.status();
            auto& lc = counts->lead_counts;
            if (lc[LeadStatus::kPending] + lc[LeadStatus::kActive] > 0) continue;
            w.status = WorkflowStatus::kCompleted;
            w.completed_at = now;
            w.updated_at = now;
            if (Status s = tx.update_workflow(w); !s) return s;
            completed.insert(wf);
        }
        // 5. Versions found unable to run are listed on their workflow's problems.
        for (const auto& [wf, problem] : unrunnable_) {
            auto fresh = tx.live_get_workflow(wf);
            if (!fresh.ok()) continue;  // deleted meanwhile
            Json problems = fresh->problems.is_array() ? fresh->problems : Json::array();
            bool listed = false;
            for (const Json& p : problems) listed = listed || p == problem;
            if (listed) continue;
            problems.push_back(problem);
            if (Status s = tx.set_workflow_problems(wf, problems); !s) return s;
        }
        *more = out_of_time || yielded || full;
        return tx.live_meta_put(kClockKey, std::to_string(now));
    });
    if (!st) {
        cache_.clear();
        return st;
    }
    unrunnable_.clear();
    if (n_workflows > 0) first_served_ = (first_served_ + 1) % n_workflows;
    metrics_.transitions.fetch_add(steps);
    const double wall_spent = static_cast<double>(monotonic_ms_() - wall_mono);
    // Next batch size: what fitted in the time budget, or twice as much when it went fast.
    if (out_of_time) {
        batch_size_ = std::max<int>(16, static_cast<int>(steps));
    } else if (full && wall_spent * 2 < config_.batch_ms) {
        batch_size_ = std::min(std::max(1, config_.batch), batch_size_ * 2);
    }
    {
        std::lock_guard<std::mutex> lock(metrics_.mu);
        for (const auto& [k, n] : sc.call_outcomes) metrics_.calls_by_outcome[k] += n;
    }
    for (double lag : sc.lags) record_lag(std::max(0.0, lag) + wall_spent);
    return steps;
}

// [SECTION] Call results

Status Scheduler::call_result(const std::string& call_id, const std::string& body,
                              const WebhookHeaders& headers, CallResultReply* reply) {
    bool dup = false;
    bool* duplicate = &dup;
    *reply = CallResultReply{};
    const std::int64_t now_s = wall_ms_() / 1000;
    if (Status s = verify_webhook(config_.call_webhook_secret, headers, body, now_s,
                                  config_.webhook_tolerance_s);
        !s) {
        reply->http_status = 401;
        return s;
    }
    Json j = Json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Status::invalid("body must be a JSON object");
    // A signed result names its call (the dispatch's call_id), so it cannot complete another.
    if (j.contains("call_id") && (!j["call_id"].is_string() || j["call_id"] != call_id)) {
        reply->http_status = 409;
        return Status::conflict("the result's call_id " + j["call_id"].dump().substr(0, 80) +
                                " is not the call it was posted to (" + call_id + ")");
    }
    if (Status s = replay_guard_.remember(headers.id, std::stoll(headers.timestamp), now_s); !s) {
        reply->http_status = s.code() == StatusCode::kConflict ? 409 : 503;
        return s;
    }
    if (!j.contains("status") || !j["status"].is_string()) {
        return Status::invalid(
            "status is required: completed, no_answer, busy, voicemail or failed");
    }
    auto outcome = parse_call_outcome(j["status"].get<std::string>());
    if (!outcome) {
        return Status::invalid(
            "status must be one of completed, no_answer, busy, voicemail, failed");
    }
    double duration = 0;
    if (j.contains("duration_s")) {
        if (!j["duration_s"].is_number() || j["duration_s"].get<double>() < 0) {
            return Status::invalid("duration_s must be a number >= 0");
        }
        duration = j["duration_s"].get<double>();
    }
    Json analysis = j.value("analysis", Json::object());
    if (!analysis.is_object()) return Status::invalid("analysis must be an object");
    Status st = store_.transact([&](StoreTx& tx) {
        auto call = tx.live_get_call(call_id);
        if (!call.ok()) return call.status();
        if (call->status != "in_progress") {
            *duplicate = true;  // already ended (a duplicate or a result after the timeout)
            return Status::ok();
        }
        auto lead = tx.live_get_lead(call->lead_id);
        if (!lead.ok()) return lead.status();
        if (lead->status != LeadStatus::kActive) {
            // The lead was removed while the call was in flight: the call log gets the result
            // at once; the scheduler then writes the call's history record (the event, marked
            // as logged) and the lead moves no further.
            if (lead->call_id == call_id && !lead->pending_event.is_object()) {
                Json event{
                    {"type", "call"},
                    {"status", call_status_name(*outcome)},
                    {"duration_ms", static_cast<std::int64_t>(std::llround(duration * 1000))},
                    {"analysis", analysis},
                    {"logged", true}};
                if (Status s = tx.live_set_event(call->lead_id, event, live_now()); !s) return s;
            }
            CallRecord cr = call.value();
            cr.status = call_status_name(*outcome);
            cr.outcome = to_string(*outcome);
            cr.duration_s = duration;
            cr.analysis = analysis;
            if (j.contains("end_reason") && j["end_reason"].is_string()) {
                cr.end_reason = j["end_reason"].get<std::string>();
            }
            cr.ended_at = live_now();
            return tx.live_update_call(cr);
        }
        if (lead->call_id != call_id || lead->pending_event.is_object()) {
            *duplicate = true;
            return Status::ok();
        }
        auto w = tx.live_get_workflow(call->workflow_id);
        if (!w.ok()) return w.status();
        Json event{{"type", "call"},
                   {"status", call_status_name(*outcome)},
                   {"duration_ms", static_cast<std::int64_t>(std::llround(duration * 1000))},
                   {"analysis", analysis}};
        if (j.contains("end_reason") && j["end_reason"].is_string()) {
            event["end_reason"] = j["end_reason"];
        }
        // A cancelled workflow's lead with this call in flight ends once the result is applied.
        const bool running =
            w->status == WorkflowStatus::kActive || w->status == WorkflowStatus::kCancelled;
        return tx.live_set_event(call->lead_id, event,
                                 running ? std::optional<TimeMs>(live_now()) : std::nullopt);
    });
    reply->duplicate = dup;
    if (st) wake();
    return st;
}

// [SECTION] Metrics

void Scheduler::record_lag(double ms) {
    std::lock_guard<std::mutex> lock(metrics_.mu);
    if (metrics_.lag_samples_ms.size() < kLagRing) {
        metrics_.lag_samples_ms.push_back(ms);
    } else {
        metrics_.lag_samples_ms[metrics_.lag_next] = ms;
    }
    metrics_.lag_next = (metrics_.lag_next + 1) % kLagRing;
    ++metrics_.lag_count;
    metrics_.lag_sum_ms += ms;
}

double Scheduler::lag_quantile_ms(double p) const {
    std::vector<double> v;
    {
        std::lock_guard<std::mutex> lock(metrics_.mu);
        v = metrics_.lag_samples_ms;
    }
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    std::size_t i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    if (i > 0) --i;
    return v[std::min(i, v.size() - 1)];
}

std::string Scheduler::metrics_text() const {
    std::ostringstream o;
    o << "# HELP leadflow_transitions_total Engine steps persisted by the scheduler.\n"
      << "# TYPE leadflow_transitions_total counter\n"
      << "leadflow_transitions_total " << metrics_.transitions.load() << "\n";
    o << "# HELP leadflow_calls_total Calls ended, by outcome.\n"
      << "# TYPE leadflow_calls_total counter\n";
    std::map<std::string, std::int64_t> calls;
    std::int64_t lag_count = 0;
    double lag_sum = 0;
    {
        std::lock_guard<std::mutex> lock(metrics_.mu);
        calls = metrics_.calls_by_outcome;
        lag_count = metrics_.lag_count;
        lag_sum = metrics_.lag_sum_ms;
    }
    for (const char* k : {"COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED"}) {
        o << "leadflow_calls_total{outcome=\"" << k << "\"} " << calls[k] << "\n";
    }
    o << "# HELP leadflow_timer_lag_seconds Wall time between an event's due time and its "
         "processing (recent events).\n"
      << "# TYPE leadflow_timer_lag_seconds summary\n";
    for (double q : {0.5, 0.9, 0.99}) {
        o << "leadflow_timer_lag_seconds{quantile=\"" << q << "\"} " << lag_quantile_ms(q) / 1000.0
          << "\n";
    }
    o << "leadflow_timer_lag_seconds_sum " << lag_sum / 1000.0 << "\n"
      << "leadflow_timer_lag_seconds_count " << lag_count << "\n";
    o << "# HELP leadflow_scheduler_ticks_total Scheduler ticks.\n"
      << "# TYPE leadflow_scheduler_ticks_total counter\n"
      << "leadflow_scheduler_ticks_total " << metrics_.ticks.load() << "\n";
    return o.str();
}

}  // namespace leadflow::server
