// server/runtime/outbox.hpp — performs outbox rows after their step committed: webhook call
// dispatches, APPLICATION webhooks and `workflow.lead.completed` user webhooks
// (docs/webhooks.md#delivery). Rows are keyed and stored in the step's transaction before anything
// is sent; each is attempted until it succeeds, fails for good or runs out of attempts, then marked
// done once; rows left undone by a crash are performed after the restart.
//
// Delivery is fair between organizations: due rows are queued per organization, a small pool
// of workers takes them round-robin, and no organization has more than `per_org_in_flight`
// requests in flight, so one tenant's slow endpoint delays only that tenant. A circuit breaker
// per destination (host:port) opens after `breaker_failures` consecutive failures; while open,
// rows for that destination are deferred (not attempted, not counted as attempts) until the
// cool-down ends, when one trial request decides whether it closes again.
//
// Retries: only network errors (no response), 5xx and 429; a 429 or 503 with Retry-After waits
// that long (bounded by `max_retry_after_ms`). Any other status, a refused destination or
// request, a too-large response or a template without values fails at once.
//
// Every request carries X-Leadflow-Idempotency-Key (the row's key) so receivers can drop the
// rare repeat of a request whose success was not recorded before a crash. Call dispatches and
// user webhooks are signed with the Standard Webhooks scheme (util/webhook_signature.hpp):
// webhook-id is stable across the retries of one row, webhook-timestamp is the attempt's.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "leadflow/json.hpp"
#include "runtime/live.hpp"
#include "runtime/outbound.hpp"
#include "runtime/retry_backoff.hpp"
#include "store/store.hpp"

namespace leadflow::server {

struct OutboxConfig {
    OutboundPolicy policy;
    std::string call_webhook_url;
    std::string call_webhook_secret;
    int max_attempts = 5;        // every kind (at least 3)
    int backoff_base_ms = 1000;  // wall ms before attempt 2; doubles after each failure
    int max_retry_after_ms = 10 * 60 * 1000;  // a longer Retry-After is cut to this
    int poll_ms = 20;
    int workers = 4;            // requests in flight overall
    int per_org_in_flight = 2;  // requests in flight per organization
    int queue_per_org = 256;    // rows held in memory per organization
    int breaker_failures = 5;   // consecutive failures that open a destination's breaker
    int breaker_cooldown_ms = 30000;
    // Several servers on one database (Store::shared): a row one server claimed is not due for
    // the others this long (wall ms). Longer than a claimed row waits in the queue and is
    // attempted; a server that dies holding rows delays them by at most this much.
    int lease_ms = 10 * 60 * 1000;
    int claim_rows = 64;  // rows claimed at a time, at most (several servers)
};

// Renders {{lead.phone_number}}, {{lead.<var>}}, {{call.analysis.<name>}} (white space inside
// the braces allowed). kInvalidArgument naming the first placeholder without a value.
Result<std::string> render_template(const std::string& tmpl, const std::string& phone,
                                    const Json& variables, const Json& analysis);

// The delay before the next attempt that a Retry-After value asks for (delta seconds or an
// HTTP date, relative to `now_ms`); -1 when absent or unreadable.
std::int64_t retry_after_ms(const std::string& value, TimeMs now_ms);

class OutboxWorker {
  public:
    OutboxWorker(Store& store, LiveRuntime& live, OutboxConfig config,
                 std::function<TimeMs()> wall_ms);
    ~OutboxWorker();
    void start();
    void stop();
    // Performs every due row once in the calling thread (no workers needed). Returns how many
    // were attempted.
    Result<int> run_once();
    std::int64_t deliveries() const;  // successful requests so far
    WorkerProgress progress() const { return backoff_.progress(); }

  private:
    struct Breaker {
        int failures = 0;
        TimeMs open_until = 0;  // > 0: open (or half-open once passed)
        bool trial = false;     // a half-open trial request is in flight
    };
    Status perform(OutboxRow row);
    void dispatch_loop();
    void worker_loop();
    // Reads due rows (claims them, on a shared store) and queues the ones not already queued or
    // in flight. Holds mu_.
    Status fill_queues_locked();
    // Due rows, at most `limit`: read, or claimed for config_.lease_ms when the store is shared.
    Result<std::vector<OutboxRow>> due_rows(int limit);
    // The breaker's verdict for `dest` now: 0 to send (a trial when half-open), otherwise the
    // time to defer the row to.
    TimeMs breaker_admit(const std::string& dest, TimeMs now);
    void breaker_record(const std::string& dest, bool failure, TimeMs now);

    Store& store_;
    LiveRuntime& live_;
    OutboxConfig config_;
    std::function<TimeMs()> wall_ms_;
    std::vector<std::thread> threads_;
    mutable std::mutex mu_;
    std::condition_variable cv_;       // workers: a row was queued, or stop
    std::condition_variable cv_fill_;  // dispatcher: a slot freed, or stop
    bool stopping_ = false;
    std::int64_t deliveries_ = 0;
    RetryBackoff backoff_{"outbox"};                       // storage failures of run_once (start())
    std::map<std::string, std::deque<OutboxRow>> queues_;  // by organization
    std::map<std::string, int> in_flight_;                 // by organization
    std::set<std::string> known_;                          // keys queued or in flight
    std::string last_org_;                                 // round-robin cursor
    bool fill_found_only_known_ = false;                   // the last read queued nothing new
    std::map<std::string, std::string> workflow_org_;      // workflow id → organization id
    std::mutex breaker_mu_;
    std::map<std::string, Breaker> breakers_;  // by destination host:port
};

}  // namespace leadflow::server
