// server/runtime/scheduler.hpp — live lead progression
// (docs/architecture.md#how-a-lead-moves-on-the-server).
//
// One scheduler per server process. Each tick, on a virtual clock that runs `time_scale` times
// faster than the wall clock: re-reads graphs that changed (stuck leads are re-evaluated),
// starts the active leads that have no engine state yet, and applies every due event — TIME
// holds and window openings (TimerFired), call results (CallEnded), action results
// (ActionDone), call timeouts (CallEnded FAILED, reason call_timeout) — then lets leads queued
// for a call slot retry, first come first served, whenever slots may be free, and completes
// workflows whose leads are all terminal (settings.auto_complete). A call in flight of a lead
// that moves no further (its workflow was cancelled, or the lead removed) still ends: the
// call log and history get its result, then the lead ends (`cancelled`) without advancing.
//
// The core engine decides every move. The scheduler persists, per step and in the same
// transaction, the lead's new state, its history rows, the call row and the effects to perform
// outside (outbox rows keyed by lead, node and step number), and batches up to `batch` steps
// per transaction, committing early after `batch_ms` of wall time so that API writes (which go
// before the scheduler's next transaction, see Store::live_transact) wait only milliseconds. Due
// work is read through an index on due_at (`WHERE due_at <= now ORDER BY due_at LIMIT batch`), so
// leads waiting far in the future cost a tick nothing.
//
// Sandbox calls are performed inside the step (their result is a deterministic draw stored as
// the lead's pending event, due when the call ends). Webhook calls, APPLICATION webhooks and
// user webhooks go through the outbox (see outbox.hpp) and come back as pending events.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "leadflow/model.hpp"
#include "leadflow/status.hpp"
#include "runtime/live.hpp"
#include "runtime/retry_backoff.hpp"
#include "store/store.hpp"

namespace leadflow::server {

struct CompiledVersion;  // one published version, compiled (lead_step.hpp)

struct RuntimeConfig {
    std::string provider = "sandbox";  // "sandbox" or "webhook"
    double time_scale = 1.0;           // virtual ms per wall ms
    int batch = 2000;                  // steps per transaction, at most
    // Wall ms a transaction may spend on steps before it commits (the batch size adapts to
    // what fits). A transaction also commits at the next step when an API write is waiting
    // (Store::api_write_waiting), so API writes wait for a step and a commit, not a batch.
    int batch_ms = 200;
    int idle_sleep_ms = 20;  // wall time between ticks when nothing is due
    // Several servers on one database (Store::shared): wall ms a workflow lease lasts without
    // renewal. The scheduler renews its leases with every transaction and at least every
    // third of this; another server takes over a workflow this long after its server stopped
    // (died, or stalled outside a transaction).
    std::int64_t lease_ms = 10000;
    // The sandbox provider draws calls and actions from this scenario (SPEC §3.1 JSON, node ids
    // of any workflow) instead of each version's own; null = each version's own. A "reality"
    // that differs from the plan, for demonstrations and drift drills (docs/calibration.md).
    Json sandbox_scenario;
    // Webhook provider.
    std::string call_webhook_url;        // dispatch URL
    std::string call_webhook_secret;     // Standard Webhooks key for dispatches and results
    std::string public_url;              // base of callback_url (e.g. http://127.0.0.1:8080)
    std::int64_t call_grace_ms = 60000;  // virtual ms after max_call_seconds
    std::int64_t default_max_call_seconds = 600;
    std::int64_t action_timeout_ms = 10 * 60 * 1000;  // virtual: an action result never came
    // Call results: the webhook-timestamp must be within this many wall seconds of now.
    std::int64_t webhook_tolerance_s = 300;
};

// Counters for /metrics (monotonic since the process started).
struct RuntimeMetrics {
    std::atomic<std::int64_t> transitions{0};  // engine steps persisted
    std::atomic<std::int64_t> ticks{0};
    // Workflows with work as last read, and of those the ones this server moves (alone on the
    // database: all; several servers: the ones it leases).
    std::atomic<std::int64_t> runnable_workflows{0};
    std::atomic<std::int64_t> served_workflows{0};
    std::map<std::string, std::int64_t> calls_by_outcome;  // guarded by mu
    std::vector<double> lag_samples_ms;  // wall ms a due event waited beyond its time (ring)
    std::size_t lag_next = 0;
    std::int64_t lag_count = 0;
    double lag_sum_ms = 0;
    std::mutex mu;
};

class Scheduler final : public LiveRuntime {
  public:
    // `wall_ms`: epoch milliseconds (the virtual clock starts at max(wall, last persisted
    // virtual time)); `monotonic_ms`: a steady counter that drives the virtual clock.
    Scheduler(Store& store, RuntimeConfig config, std::function<TimeMs()> wall_ms,
              std::function<TimeMs()> monotonic_ms);
    ~Scheduler() override;

    // Loads the clock. Must be called once before tick()/start(). kInternal on storage errors.
    Status init();
    // Runs ticks on a background thread until stop(). A tick that fails (storage full or
    // failing, or an exception) is retried after a backoff (RetryBackoff: 100 ms doubling up to
    // 30 s, cut short by wake()); its transaction rolled back whole, so nothing is lost.
    void start();
    void stop();

    // One tick (what the thread runs): returns the number of engine steps persisted, or the
    // storage error. Tests call it directly for deterministic progress.
    Result<std::int64_t> tick();

    // LiveRuntime
    TimeMs live_now() const override;
    void wake() override;
    Status call_result(const std::string& call_id, const std::string& body,
                       const WebhookHeaders& headers, CallResultReply* reply) override;
    std::string metrics_text() const override;
    WorkerProgress progress() const override { return backoff_.progress(); }

    const RuntimeConfig& config() const { return config_; }
    // The p-quantile (0..1) of recent timer lags in wall ms (0 when none were measured).
    double lag_quantile_ms(double p) const;
    std::int64_t transitions() const { return metrics_.transitions.load(); }

  private:
    // One transaction. `all_waiters`: also retry the slot waiters of every active workflow
    // with free slots (once per tick: a resume, an activation or a raised limit frees slots
    // without a call ending).
    Result<std::int64_t> run_batch(TimeMs now, bool all_waiters, bool* more);
    // Reads which workflows have work (active ones with their newest published version, and
    // cancelled ones with calls still to end) and forgets the versions of the others.
    Status refresh_workflows();
    // Several servers on one database: renews this server's workflow leases and takes its
    // share (Store::lease_workflows) when the runnable workflows changed or a third of the
    // lease has passed since the last time. Alone on the database, leased_ stays nullopt.
    // Also sets the workflow gauges of the metrics.
    Status renew_leases();
    Status take_leases();  // renew_leases without the metrics
    // True when this server serves the workflow (it leases it, or it is alone).
    bool leases(const std::string& workflow_id) const {
        return !leased_ || leased_->count(workflow_id) > 0;
    }
    // The compiled published version `version` of a workflow (immutable, so cached for good).
    Result<CompiledVersion*> version(StoreTx& tx, const std::string& workflow_id,
                                     std::int64_t version);
    // The newest published version of a workflow the scheduler runs; nullptr when it has none.
    Result<CompiledVersion*> latest(StoreTx& tx, const std::string& workflow_id);
    // Puts a lead on the version it runs on now (versions.hpp: the publishes after the ones it
    // has seen may move it; a lead not started yet starts on the newest), rewriting its stored
    // state when it moves, and returns that version.
    Result<CompiledVersion*> place(StoreTx& tx, LiveLead& lead);
    void record_lag(double ms);

    Store& store_;
    RuntimeConfig config_;
    std::function<TimeMs()> wall_ms_;
    std::function<TimeMs()> monotonic_ms_;
    TimeMs virt0_ = 0, mono0_ = 0;

    // Scheduler thread only: compiled versions by (workflow id, number), and the workflows
    // with work (RunnableWorkflow) in the order the batches serve them.
    std::map<std::pair<std::string, std::int64_t>, std::unique_ptr<CompiledVersion>> cache_;
    std::vector<RunnableWorkflow> runnable_;
    std::map<std::string, std::size_t> runnable_index_;  // id → index in runnable_
    std::size_t first_served_ = 0;  // rotates, so no workflow is always served first
    // Several servers: the workflows this server leases, the runnable ids they were leased
    // among, and when (monotonic ms).
    std::optional<std::set<std::string>> leased_;
    std::vector<std::string> leased_among_;
    TimeMs leased_mono_ = 0;
    // Problems found while loading versions, written to their workflows by the next batch.
    std::vector<std::pair<std::string, Json>> unrunnable_;
    int batch_size_ = 0;  // adaptive, <= config_.batch (see RuntimeConfig::batch_ms)
    // Monotonic ms of the last commit that stored the virtual clock (see run_batch).
    TimeMs clock_saved_mono_ = std::numeric_limits<TimeMs>::min() / 2;

    std::thread thread_;
    std::mutex wake_mu_;
    std::condition_variable wake_cv_;
    bool woken_ = false;
    bool stopping_ = false;
    mutable RuntimeMetrics metrics_;
    RetryBackoff backoff_{"scheduler"};
    WebhookReplayGuard replay_guard_;  // call-result webhook-ids within the tolerance window
};

}  // namespace leadflow::server
