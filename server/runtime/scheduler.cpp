// server/runtime/scheduler.cpp — the live scheduler (see scheduler.hpp).
//
// Index
//   [SECTION] Workflow cache
//   [SECTION] Clock and thread
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
#include "leadflow/engine.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/time_zone.hpp"
#include "leadflow/versions.hpp"
#include "runtime/lead_state_text.hpp"
#include "runtime/lead_step.hpp"
#include "runtime/pending_result.hpp"
#include "util/log_text.hpp"

namespace leadflow::server {

// [SECTION] Workflow cache

namespace {

constexpr const char* kClockKey = "virtual_now";
constexpr std::size_t kLagRing = 4096;
constexpr std::int64_t kMinStepsBeforeYield = 32;  // see Scheduler::run_batch
constexpr int kMinQuota = 16;                      // leads per workflow per batch, at least
// With no workflow to serve, how often (wall ms) the virtual clock is stored.
constexpr TimeMs kIdleClockMs = 1000;

bool is_running_status(WorkflowStatus s) {
    return s == WorkflowStatus::kActive;
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

Result<CompiledVersion*> Scheduler::version(StoreTx& tx, const std::string& workflow_id,
                                            std::int64_t number) {
    auto key = std::make_pair(workflow_id, number);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second.get();
    auto v = tx.get_version(workflow_id, number);
    if (!v.ok()) return v.status();
    auto c = std::make_unique<CompiledVersion>();
    c->workflow = v->graph.workflow;
    c->workflow.id = workflow_id;
    c->number = number;
    c->step = version_step(number, v->migrate == MigrateMode::kMove, v->node_map, v->graph);
    auto compiled = compile_graph(v->graph);
    if (compiled.ok()) {
        c->graph = std::move(compiled.value());
        const Json& drawn =
            config_.sandbox_scenario.is_null() ? v->scenario : config_.sandbox_scenario;
        c->scenario = bind_scenario(*c->graph, scenario_or_default(drawn));
    } else {
        c->error = compiled.status().message();
        c->problem =
            Json{{"severity", "error"},
                 {"code", "VERSION_CANNOT_RUN"},
                 {"source", "version"},
                 {"version", number},
                 {"message", "Version " + std::to_string(number) + " cannot run (" + c->error +
                                 "); its leads wait until a publish moves them"}};
        unrunnable_.emplace_back(workflow_id, c->problem);
        log_line("workflow " + log_escape(workflow_id) + " version " + std::to_string(number) +
                 " cannot run: " + log_escape(c->error));
    }
    if (auto z = TimeZone::find(c->workflow.settings.timezone); z.ok()) c->zone = z.value();
    CompiledVersion* raw = c.get();
    cache_[key] = std::move(c);
    return raw;
}

Result<CompiledVersion*> Scheduler::latest(StoreTx& tx, const std::string& workflow_id) {
    auto it = runnable_index_.find(workflow_id);
    std::optional<std::int64_t> number;
    if (it != runnable_index_.end()) {
        number = runnable_[it->second].published_version;
    } else {
        auto w = tx.live_get_workflow(workflow_id);
        if (!w.ok()) return w.status();
        number = w->published_version;
    }
    if (!number) return static_cast<CompiledVersion*>(nullptr);
    return version(tx, workflow_id, *number);
}

Result<CompiledVersion*> Scheduler::place(StoreTx& tx, LiveLead& l) {
    auto newest = latest(tx, l.workflow_id);
    if (!newest.ok()) return newest.status();
    if (!newest.value()) return static_cast<CompiledVersion*>(nullptr);
    const std::int64_t top = newest.value()->number;
    if (!l.state || !l.version) {
        // Not started (or started before versions existed without one): the newest version.
        if (!l.version) l.version = top;
        l.version_seen = std::max(top, l.version_seen.value_or(0));
        return version(tx, l.workflow_id, *l.version);
    }
    auto current = version(tx, l.workflow_id, *l.version);
    if (!current.ok()) return current.status();
    CompiledVersion* c = current.value();
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
    // A read, not a write transaction: an idle server then takes no write lock (on PostgreSQL
    // the lock every server shares). Each batch lists the workflows again inside its own
    // transaction and serves only those on both lists.
    return store_.read([&](StoreTx& tx) {
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

Status Scheduler::renew_leases() {
    Status st = take_leases();
    metrics_.runnable_workflows.store(static_cast<std::int64_t>(runnable_.size()));
    metrics_.served_workflows.store(
        std::count_if(runnable_.begin(), runnable_.end(),
                      [&](const RunnableWorkflow& r) { return leases(r.id); }));
    return st;
}

Status Scheduler::take_leases() {
    if (!store_.shared()) {
        leased_.reset();
        return Status::ok();
    }
    std::vector<std::string> ids;
    ids.reserve(runnable_.size());
    for (const RunnableWorkflow& r : runnable_) ids.push_back(r.id);
    const TimeMs mono = monotonic_ms_();
    const TimeMs every = std::max<TimeMs>(1, std::min<TimeMs>(1000, config_.lease_ms / 3));
    if (leased_ && ids == leased_among_ && mono - leased_mono_ < every) return Status::ok();
    auto leased = store_.lease_workflows(ids, config_.lease_ms);
    if (!leased.ok()) return leased.status();
    if (!leased.value()) {
        leased_.reset();
        return Status::ok();
    }
    leased_ = std::set<std::string>(leased.value()->begin(), leased.value()->end());
    leased_among_ = std::move(ids);
    leased_mono_ = mono;
    return Status::ok();
}

// [SECTION] Tick

Result<std::int64_t> Scheduler::tick() {
    metrics_.ticks.fetch_add(1);
    const TimeMs now = live_now();
    if (Status s = refresh_workflows(); !s) return s;
    if (Status s = renew_leases(); !s) return s;
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
    // Nothing to serve: no transaction, only the virtual clock stored once in kIdleClockMs, so
    // that an idle server neither commits nor takes the write lock every tick (and a restart
    // still resumes the clock from within about a second of where it was).
    const bool serving = std::any_of(runnable_.begin(), runnable_.end(),
                                     [&](const RunnableWorkflow& r) { return leases(r.id); });
    if (!serving && unrunnable_.empty()) {
        *more = false;
        const TimeMs mono = monotonic_ms_();
        if (mono - clock_saved_mono_ < kIdleClockMs) return 0;
        Status st = store_.live_transact(
            [&](StoreTx& tx) { return tx.live_meta_put(kClockKey, std::to_string(now)); });
        if (!st) return st;
        clock_saved_mono_ = mono;
        return 0;
    }
    std::int64_t steps = 0;
    std::map<std::string, std::int64_t> in_flight;
    std::set<std::string> finished, completed;
    StepContext sc{now, &config_, &in_flight, &finished, {}, {}, {}};
    const TimeMs wall_mono = monotonic_ms_();
    // When this batch's transaction began, i.e. got the write lock: the time budget counts from
    // there, not from before a wait for the lock (other servers' batches on PostgreSQL, API
    // writes on either backend), which would leave a batch little of its budget.
    TimeMs locked_mono = wall_mono;
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
        locked_mono = monotonic_ms_();
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
        // Of those, the ones this server leases, held until the commit (alone on the
        // database: all of them).
        std::vector<std::string> mine;
        for (const RunnableWorkflow& r : listed.value()) {
            // A workflow activated since the tick began is served from the next tick on.
            if (runnable_index_.count(r.id) && leases(r.id)) mine.push_back(r.id);
        }
        std::set<std::string> holding;
        if (leased_) {
            auto held = tx.live_hold_workflows(mine, config_.lease_ms);
            if (!held.ok()) return held.status();
            holding.insert(held->begin(), held->end());
        } else {
            holding.insert(mine.begin(), mine.end());
        }
        std::vector<char> serve(n_workflows, 0);
        for (const RunnableWorkflow& r : listed.value()) {
            if (!holding.count(r.id)) continue;
            const std::size_t index = runnable_index_.at(r.id);
            runnable_[index].published_version = r.published_version;
            runnable_[index].cancelled = r.cancelled;
            serve[index] = 1;
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
            if (monotonic_ms_() - locked_mono < config_.batch_ms) return false;
            out_of_time = true;
            return true;
        };
        // One step of a lead on the version it runs on now.
        auto run = [&](LiveLead l, const Event& ev, bool slot_retry) -> Status {
            auto c = place(tx, l);
            if (!c.ok()) return c.status();
            if (!c.value()) return Status::ok();  // no published version: nothing runs yet
            if (!c.value()->graph) {
                // Listed again after a publish cleared it, while leads still wait on it.
                unrunnable_.emplace_back(l.workflow_id, c.value()->problem);
                return park(tx, l, sc);
            }
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
                    CompiledVersion* cache = nullptr;
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
                LiveLead lead = l;
                const Event ev = due_event(lead);
                if (Status s = run(std::move(lead), ev, false); !s) return s;
            }
        }
        // 3. Leads queued for a call slot, first come first served, while slots are free:
        // in the workflows whose calls this batch touched and, once per tick, in every active
        // workflow with a limit (a resume, an activation or a raised limit frees slots too).
        if (all_waiters) {
            for (std::size_t index = 0; index < n_workflows; ++index) {
                const RunnableWorkflow& wf = runnable_[index];
                if (!serve[index] || wf.cancelled || in_flight.count(wf.id)) continue;
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
            // Another server's workflow is its own to mark (it compiles the same version).
            if (leased_ && !holding.count(wf)) continue;
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
    clock_saved_mono_ = wall_mono;
    if (n_workflows > 0) first_served_ = (first_served_ + 1) % n_workflows;
    metrics_.transitions.fetch_add(steps);
    const double wall_spent = static_cast<double>(monotonic_ms_() - wall_mono);
    const double held = static_cast<double>(monotonic_ms_() - locked_mono);
    // Next batch size: what fitted in the time budget, or twice as much when it went fast.
    if (out_of_time) {
        batch_size_ = std::max<int>(16, static_cast<int>(steps));
    } else if (full && held * 2 < config_.batch_ms) {
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
        // A call lasts less than a day; the bound also keeps the milliseconds in range.
        if (!j["duration_s"].is_number() || !(j["duration_s"].get<double>() >= 0) ||
            j["duration_s"].get<double>() > 86400) {
            return Status::invalid("duration_s must be a number of seconds from 0 to 86400");
        }
        duration = j["duration_s"].get<double>();
    }
    Json analysis = j.value("analysis", Json::object());
    if (!analysis.is_object()) return Status::invalid("analysis must be an object");
    PendingResult result = PendingResult::call(
        *outcome, static_cast<std::int64_t>(std::llround(duration * 1000)), std::move(analysis));
    if (j.contains("end_reason") && j["end_reason"].is_string()) {
        result.end_reason = j["end_reason"].get<std::string>();
    }
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
                PendingResult logged = result;
                logged.logged = true;
                if (Status s = tx.live_set_event(call->lead_id, logged.to_json(), live_now()); !s) {
                    return s;
                }
            }
            CallRecord cr = call.value();
            cr.status = call_status_name(*outcome);
            cr.outcome = to_string(*outcome);
            cr.duration_s = duration;
            cr.analysis = result.analysis;
            if (!result.end_reason.empty()) cr.end_reason = result.end_reason;
            cr.ended_at = live_now();
            return tx.live_update_call(cr);
        }
        if (lead->call_id != call_id || lead->pending_event.is_object()) {
            *duplicate = true;
            return Status::ok();
        }
        auto w = tx.live_get_workflow(call->workflow_id);
        if (!w.ok()) return w.status();
        // A cancelled workflow's lead with this call in flight ends once the result is applied.
        const bool running =
            w->status == WorkflowStatus::kActive || w->status == WorkflowStatus::kCancelled;
        return tx.live_set_event(call->lead_id, result.to_json(),
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
    o << "# HELP leadflow_scheduler_runnable_workflows Workflows with leads to move (active, "
         "or cancelled with calls to end).\n"
      << "# TYPE leadflow_scheduler_runnable_workflows gauge\n"
      << "leadflow_scheduler_runnable_workflows " << metrics_.runnable_workflows.load() << "\n";
    o << "# HELP leadflow_scheduler_served_workflows Of those, the ones this server's scheduler "
         "moves (several servers on one database: the ones it leases).\n"
      << "# TYPE leadflow_scheduler_served_workflows gauge\n"
      << "leadflow_scheduler_served_workflows " << metrics_.served_workflows.load() << "\n";
    o << "# HELP leadflow_scheduler_ticks_total Scheduler ticks.\n"
      << "# TYPE leadflow_scheduler_ticks_total counter\n"
      << "leadflow_scheduler_ticks_total " << metrics_.ticks.load() << "\n";
    return o.str();
}

}  // namespace leadflow::server
