// server/runtime/outbox.hpp — performs outbox rows after their step committed: webhook call
// dispatches, APPLICATION webhooks and `workflow.lead.completed` user webhooks (SPEC §1.3,
// §2.7, §2.8). Each row is attempted until it succeeds or runs out of attempts (exponential
// backoff), then marked done; rows left undone by a crash are performed after the restart.
// Every request carries X-Leadflow-Idempotency-Key (the row's key) so receivers can drop the
// rare repeat of a request whose success was not recorded before a crash.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

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
    int max_attempts = 5;        // every kind; user webhooks get at least 3
    int backoff_base_ms = 1000;  // wall ms before attempt 2; doubles after each failure
    int poll_ms = 20;
};

// Renders {{lead.phone_number}}, {{lead.<var>}}, {{call.analysis.<name>}} (white space inside
// the braces allowed). kInvalidArgument naming the first placeholder without a value.
Result<std::string> render_template(const std::string& tmpl, const std::string& phone,
                                    const Json& variables, const Json& analysis);

class OutboxWorker {
  public:
    OutboxWorker(Store& store, LiveRuntime& live, OutboxConfig config,
                 std::function<TimeMs()> wall_ms);
    ~OutboxWorker();
    void start();
    void stop();
    // Performs every due row once (tests call it directly). Returns how many were attempted.
    Result<int> run_once();
    std::int64_t deliveries() const;  // successful requests so far
    WorkerProgress progress() const { return backoff_.progress(); }

  private:
    Status perform(OutboxRow row);

    Store& store_;
    LiveRuntime& live_;
    OutboxConfig config_;
    std::function<TimeMs()> wall_ms_;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::int64_t deliveries_ = 0;
    RetryBackoff backoff_{"outbox"};  // storage failures of run_once (start())
};

}  // namespace leadflow::server
