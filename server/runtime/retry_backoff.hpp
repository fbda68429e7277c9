// server/runtime/retry_backoff.hpp — pacing and reporting for a background worker (the
// scheduler, the outbox worker) whose attempts fail, typically because storage is full or
// failing: waits grow exponentially from kMinMs to kMaxMs while attempts fail, one log line
// when failures start and one when an attempt succeeds again (never one per retry), and a
// snapshot of the worker's progress for GET /readyz.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include "leadflow/model.hpp"
#include "leadflow/status.hpp"
#include "runtime/live.hpp"
#include "util/log_text.hpp"

namespace leadflow::server {

class RetryBackoff {
  public:
    static constexpr int kMinMs = 100;    // wait after the first failed attempt
    static constexpr int kMaxMs = 30000;  // the wait doubles after each failure up to this

    // `who` names the worker in log lines ("scheduler", "outbox").
    explicit RetryBackoff(std::string who) : who_(std::move(who)) {}

    // Records the outcome of one attempt that ended at `now_ms` (wall, epoch ms). Returns the
    // wall milliseconds to wait before the next attempt: 0 after a success, else the backoff.
    int record(const Status& st, TimeMs now_ms) {
        std::lock_guard<std::mutex> lock(mu_);
        if (st) {
            if (p_.failures > 0) {
                char seconds[32];
                std::snprintf(seconds, sizeof seconds, "%.1f",
                              static_cast<double>(now_ms - first_failure_ms_) / 1000.0);
                log_line(who_ + ": recovered after " + std::to_string(p_.failures) +
                         " failed attempts over " + seconds + " s");
            }
            p_.last_success_ms = now_ms;
            p_.failures = 0;
            p_.backing_off = false;
            p_.retry_in_ms = 0;
            return 0;
        }
        if (p_.failures == 0) {
            first_failure_ms_ = now_ms;
            // The message may quote tenant text (ids, values): escaped like every log line.
            log_line(who_ + ": " + log_escape(st.message()) + "; retrying with backoff (" +
                     std::to_string(kMinMs) + " ms, doubling up to " +
                     std::to_string(kMaxMs / 1000) + " s) until an attempt succeeds");
        }
        ++p_.failures;
        ++p_.failed_attempts_total;
        p_.last_error = st.message();
        p_.last_error_ms = now_ms;
        p_.backing_off = true;
        p_.retry_in_ms =
            p_.failures == 1 ? kMinMs : std::min(kMaxMs, std::max(kMinMs, p_.retry_in_ms * 2));
        return p_.retry_in_ms;
    }

    WorkerProgress progress() const {
        std::lock_guard<std::mutex> lock(mu_);
        return p_;
    }
    void set_running(bool running) {
        std::lock_guard<std::mutex> lock(mu_);
        p_.running = running;
    }

  private:
    const std::string who_;
    mutable std::mutex mu_;
    WorkerProgress p_;
    TimeMs first_failure_ms_ = 0;
};

}  // namespace leadflow::server
