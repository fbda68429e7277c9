// server/runtime/outbox.cpp — the outbox worker (see outbox.hpp).
#include "runtime/outbox.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "runtime/pending_result.hpp"
#include "runtime/scheduler.hpp"
#include "util/crypto.hpp"
#include "util/log_text.hpp"
#include "util/webhook_signature.hpp"

namespace leadflow::server {

Result<std::string> render_template(const std::string& tmpl, const std::string& phone,
                                    const Json& variables, const Json& analysis) {
    std::string out;
    std::size_t i = 0;
    while (i < tmpl.size()) {
        auto open = tmpl.find("{{", i);
        if (open == std::string::npos) {
            out.append(tmpl, i, std::string::npos);
            break;
        }
        auto close = tmpl.find("}}", open + 2);
        if (close == std::string::npos) {
            out.append(tmpl, i, std::string::npos);
            break;
        }
        out.append(tmpl, i, open - i);
        std::string name = tmpl.substr(open + 2, close - open - 2);
        while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front()))) {
            name.erase(name.begin());
        }
        while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) {
            name.pop_back();
        }
        auto lookup = [](const Json& obj, const std::string& key) -> std::optional<std::string> {
            if (!obj.is_object()) return std::nullopt;
            auto it = obj.find(key);
            if (it == obj.end() || it->is_null()) return std::nullopt;
            if (it->is_string()) return it->get<std::string>();
            return it->dump();
        };
        std::optional<std::string> value;
        if (name == "lead.phone_number") {
            value = phone;
        } else if (name.rfind("lead.", 0) == 0) {
            value = lookup(variables, name.substr(5));
        } else if (name.rfind("call.analysis.", 0) == 0) {
            value = lookup(analysis, name.substr(14));
        }
        if (!value) return Status::invalid("template placeholder {{" + name + "}} has no value");
        out += *value;
        i = close + 2;
    }
    return out;
}

std::int64_t retry_after_ms(const std::string& value, TimeMs now_ms) {
    if (value.empty()) return -1;
    if (value.find_first_not_of("0123456789") == std::string::npos) {
        if (value.size() > 9) return -1;
        return std::stoll(value) * 1000;
    }
    std::tm tm{};
    const char* end = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (end == nullptr || *end != '\0') return -1;
    const std::int64_t at = static_cast<std::int64_t>(timegm(&tm)) * 1000;
    return std::max<std::int64_t>(0, at - now_ms);
}

namespace {

// The Standard Webhooks message id of a row: stable across its retries, unique per row.
std::string message_id(const OutboxRow& row) {
    return "msg_" + sha256_hex(row.idempotency_key).substr(0, 32);
}

std::string destination_of(const std::string& url) {
    auto u = parse_url(url);
    return u.ok() ? u->host + ":" + std::to_string(u->port) : std::string();
}

}  // namespace

OutboxWorker::OutboxWorker(Store& store, LiveRuntime& live, OutboxConfig config,
                           std::function<TimeMs()> wall_ms)
    : store_(store), live_(live), config_(std::move(config)), wall_ms_(std::move(wall_ms)) {
    config_.max_attempts = std::max(3, config_.max_attempts);
    config_.workers = std::max(1, config_.workers);
    config_.per_org_in_flight = std::max(1, config_.per_org_in_flight);
    config_.breaker_failures = std::max(1, config_.breaker_failures);
}

OutboxWorker::~OutboxWorker() {
    stop();
}

void OutboxWorker::start() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = false;
    }
    threads_.emplace_back([this] { dispatch_loop(); });
    for (int i = 0; i < config_.workers; ++i) threads_.emplace_back([this] { worker_loop(); });
}

void OutboxWorker::stop() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
        cv_.notify_all();
        cv_fill_.notify_all();
    }
    for (std::thread& t : threads_) {
        if (t.joinable()) t.join();
    }
    threads_.clear();
    std::lock_guard<std::mutex> lock(mu_);
    queues_.clear();
    in_flight_.clear();
    known_.clear();
}

std::int64_t OutboxWorker::deliveries() const {
    std::lock_guard<std::mutex> lock(mu_);
    return deliveries_;
}

Result<std::vector<OutboxRow>> OutboxWorker::due_rows(int limit) {
    std::vector<OutboxRow> rows;
    const TimeMs now = wall_ms_();
    auto body = [&](StoreTx& tx) -> Status {
        auto due = store_.shared() ? tx.live_outbox_claim(now, now + config_.lease_ms, limit)
                                   : tx.live_outbox_due(now, limit);
        if (!due.ok()) return due.status();
        rows = std::move(due.value());
        return Status::ok();
    };
    // Alone on the database a read is enough: rows are performed by this process only.
    Status st = store_.shared() ? store_.live_transact(body) : store_.read(body);
    if (!st) return st;
    return rows;
}

Status OutboxWorker::fill_queues_locked() {
    // Rows are read and queued under mu_: a worker marks a row finished (known_.erase) only
    // after its update committed, so a row read here is either still known or already updated
    // in the store; no row is ever queued twice. A shared store's rows are claimed, and only as
    // many as the queues will hold, since every claimed row must be attempted within its lease.
    const bool claim = store_.shared();
    int limit = 512;
    if (claim) {
        std::size_t queued = 0;
        for (const auto& [org, q] : queues_) queued += q.size();
        limit = std::max(0, config_.claim_rows - static_cast<int>(queued));
        if (limit == 0) return Status::ok();
    }
    auto due = due_rows(limit);
    if (!due.ok()) return due.status();
    std::vector<OutboxRow> rows = std::move(due.value());
    bool unknown = false;
    for (const OutboxRow& r : rows) {
        unknown = unknown || (r.kind != "user_webhook" && !workflow_org_.count(r.workflow_id));
    }
    Status st = !unknown ? Status::ok() : store_.read([&](StoreTx& tx) {
        for (const OutboxRow& r : rows) {
            if (r.kind == "user_webhook" || workflow_org_.count(r.workflow_id)) continue;
            auto w = tx.live_get_workflow(r.workflow_id);
            if (workflow_org_.size() > 10000) workflow_org_.clear();
            workflow_org_[r.workflow_id] = w.ok() ? w->organization_id : std::string();
        }
        return Status::ok();
    });
    if (!st) return st;
    bool queued = false;
    fill_found_only_known_ = !rows.empty();
    for (OutboxRow& r : rows) {
        if (known_.count(r.idempotency_key)) continue;
        const std::string org = r.kind == "user_webhook"
                                    ? r.payload.value("organization_id", std::string())
                                    : workflow_org_[r.workflow_id];
        auto& q = queues_[org];
        if (!claim && static_cast<int>(q.size()) >= config_.queue_per_org) continue;
        known_.insert(r.idempotency_key);
        q.push_back(std::move(r));
        queued = true;
        fill_found_only_known_ = false;
    }
    if (queued) cv_.notify_all();
    return Status::ok();
}

void OutboxWorker::dispatch_loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
        Status st = fill_queues_locked();
        // Storage failures: one log line when they start and one when they end, and
        // exponentially longer waits between attempts meanwhile.
        const int retry_ms = backoff_.record(st, wall_ms_());
        // Every due row already queued or in flight (a slow backlog): read less often.
        const int wait_ms = retry_ms > 0
                                ? retry_ms
                                : std::max(1, config_.poll_ms) * (fill_found_only_known_ ? 5 : 1);
        cv_fill_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stopping_; });
    }
}

void OutboxWorker::worker_loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
        // Round-robin over organizations with queued rows and a free in-flight slot, starting
        // after the one served last.
        std::string org;
        bool found = false;
        auto pick = [&](auto from, auto to) {
            for (auto it = from; it != to && !found; ++it) {
                if (!it->second.empty() && in_flight_[it->first] < config_.per_org_in_flight) {
                    org = it->first;
                    found = true;
                }
            }
        };
        pick(queues_.upper_bound(last_org_), queues_.end());
        pick(queues_.begin(), queues_.upper_bound(last_org_));
        if (!found) {
            if (stopping_) return;
            cv_.wait(lock);
            if (stopping_) return;
            continue;
        }
        last_org_ = org;
        OutboxRow row = std::move(queues_[org].front());
        queues_[org].pop_front();
        if (queues_[org].empty()) queues_.erase(org);
        ++in_flight_[org];
        const std::string key = row.idempotency_key;
        lock.unlock();
        Status st = perform(std::move(row));
        if (!st) log_line("outbox: " + log_escape(st.message()));
        lock.lock();
        if (--in_flight_[org] <= 0) in_flight_.erase(org);
        known_.erase(key);
        cv_.notify_all();
        if (stopping_) return;
    }
}

Result<int> OutboxWorker::run_once() {
    auto rows = due_rows(64);
    if (!rows.ok()) return rows.status();
    for (OutboxRow& r : rows.value()) {
        if (Status s = perform(std::move(r)); !s) return s;
    }
    return static_cast<int>(rows->size());
}

TimeMs OutboxWorker::breaker_admit(const std::string& dest, TimeMs now) {
    std::lock_guard<std::mutex> lock(breaker_mu_);
    auto it = breakers_.find(dest);
    if (it == breakers_.end() || it->second.open_until == 0) return 0;
    Breaker& b = it->second;
    if (now < b.open_until) return b.open_until;
    if (b.trial) return now + std::max(100, config_.breaker_cooldown_ms / 10);
    b.trial = true;  // half-open: this request decides
    return 0;
}

void OutboxWorker::breaker_record(const std::string& dest, bool failure, TimeMs now) {
    std::lock_guard<std::mutex> lock(breaker_mu_);
    Breaker& b = breakers_[dest];
    const bool was_trial = b.trial;
    b.trial = false;
    if (!failure) {
        breakers_.erase(dest);
        return;
    }
    ++b.failures;
    if (was_trial || b.failures >= config_.breaker_failures) {
        b.open_until = now + config_.breaker_cooldown_ms;
        log_line("outbox: " + log_escape(dest) + " failed " + std::to_string(b.failures) +
                 " times in a row; deliveries to it wait " +
                 std::to_string(config_.breaker_cooldown_ms) + " ms");
    }
    if (breakers_.size() > 10000) {  // bounded: forget closed breakers first
        for (auto i = breakers_.begin(); i != breakers_.end();) {
            i = i->second.open_until == 0 ? breakers_.erase(i) : std::next(i);
        }
    }
}

Status OutboxWorker::perform(OutboxRow row) {
    std::string url, method = "POST", body;
    std::vector<std::pair<std::string, std::string>> headers{
        {"X-Leadflow-Idempotency-Key", row.idempotency_key}};
    std::string secret;  // non-empty: sign the request
    std::optional<std::string> render_error;
    if (row.kind == "call_dispatch") {
        url = config_.call_webhook_url;
        body = row.payload.dump();
        secret = config_.call_webhook_secret;
    } else if (row.kind == "action") {
        const Json& ac = row.payload.value("action_config", Json::object());
        url = ac.is_object() ? ac.value("url", "") : "";
        if (ac.is_object() && ac.contains("method") && ac["method"].is_string()) {
            method = ac["method"].get<std::string>();
        }
        if (ac.is_object() && ac.contains("headers") && ac["headers"].is_object()) {
            for (auto it = ac["headers"].begin(); it != ac["headers"].end(); ++it) {
                if (it->is_string()) headers.emplace_back(it.key(), it->get<std::string>());
            }
        }
        std::string tmpl;
        if (ac.is_object() && ac.contains("body_template")) {
            tmpl = ac["body_template"].is_string() ? ac["body_template"].get<std::string>()
                                                   : ac["body_template"].dump();
        }
        auto rendered = render_template(tmpl, row.payload.value("phone_number", ""),
                                        row.payload.value("variables", Json::object()),
                                        row.payload.value("analysis", Json::object()));
        if (rendered.ok()) {
            body = rendered.value();
        } else {
            render_error = rendered.status().message();
        }
    } else if (row.kind == "user_webhook") {
        std::optional<UserWebhook> hook;
        Status s = store_.read([&](StoreTx& tx) {
            auto h = tx.get_webhook(row.payload.value("organization_id", ""),
                                    row.payload.value("webhook_id", ""));
            if (h.ok()) hook = h.value();
            return Status::ok();
        });
        if (!s) return s;
        if (!hook) {  // deleted meanwhile: nothing to deliver
            row.done_at = wall_ms_();
            return store_.transact([&](StoreTx& tx) { return tx.live_outbox_update(row); });
        }
        url = hook->url;
        body = row.payload.value("body", Json::object()).dump();
        secret = hook->secret;
        headers.emplace_back("X-Leadflow-Event", "workflow.lead.completed");
    }

    const std::string dest = destination_of(url);
    if (!render_error && !dest.empty()) {
        const TimeMs now = wall_ms_();
        if (TimeMs until = breaker_admit(dest, now); until > 0) {
            row.next_attempt_at = until;  // deferred, not attempted: attempts unchanged
            return store_.transact([&](StoreTx& tx) { return tx.live_outbox_update(row); });
        }
    }
    if (!secret.empty()) {
        WebhookHeaders wh = sign_webhook(secret, message_id(row), wall_ms_() / 1000, body);
        headers.emplace_back("webhook-id", wh.id);
        headers.emplace_back("webhook-timestamp", wh.timestamp);
        headers.emplace_back("webhook-signature", wh.signature);
    }

    OutboundResponse res;
    if (render_error) {
        res.error = *render_error;
        res.refused = true;
    } else {
        res = send_outbound(config_.policy, method, url, headers, body);
    }
    const bool ok = res.status >= 200 && res.status < 300;
    const bool retryable = res.network || res.status >= 500 || res.status == 429;
    if (!dest.empty() && res.refused) {
        std::lock_guard<std::mutex> lock(breaker_mu_);  // no request: a trial is not decided
        if (auto it = breakers_.find(dest); it != breakers_.end()) it->second.trial = false;
    } else if (!dest.empty()) {
        breaker_record(dest, retryable, wall_ms_());
    }
    ++row.attempts;
    const bool last = ok || !retryable || row.attempts >= config_.max_attempts;
    if (ok) {
        std::lock_guard<std::mutex> lock(mu_);
        ++deliveries_;
    }
    if (!ok) {
        log_line(
            "outbox " + log_escape(row.idempotency_key) + " attempt " +
            std::to_string(row.attempts) + ": " +
            (res.error.empty() ? "HTTP " + std::to_string(res.status) : log_escape(res.error)) +
            (last ? " (giving up)" : ""));
    }
    if (!last) {
        const TimeMs now = wall_ms_();
        std::int64_t wait = static_cast<std::int64_t>(config_.backoff_base_ms)
                            << std::min(row.attempts - 1, 16);
        if (res.status == 429 || res.status == 503) {
            const std::int64_t asked = retry_after_ms(res.retry_after, now);
            if (asked >= 0) wait = std::min<std::int64_t>(asked, config_.max_retry_after_ms);
        }
        row.next_attempt_at = now + wait;
        return store_.transact([&](StoreTx& tx) { return tx.live_outbox_update(row); });
    }
    row.done_at = wall_ms_();
    Status st = store_.transact([&](StoreTx& tx) {
        if (Status s = tx.live_outbox_update(row); !s) return s;
        if (row.kind != "action") return Status::ok();
        // The action's result goes back to the lead, if it still waits on that node.
        auto lead = tx.live_get_lead(row.lead_id);
        if (!lead.ok()) return Status::ok();
        auto full = tx.get_lead(lead->workflow_id, lead->id);
        if (!full.ok()) return Status::ok();
        if (full->execution.phase != Phase::kInAction ||
            full->execution.current_node_id != row.payload.value("node_id", "") ||
            lead->pending_event.is_object()) {
            return Status::ok();
        }
        Json parsed = Json::parse(res.body, nullptr, false);
        const Json event =
            PendingResult::action(ok, parsed.is_object() ? std::move(parsed) : Json::object())
                .to_json();
        auto w = tx.live_get_workflow(lead->workflow_id);
        if (!w.ok()) return w.status();
        const bool running = w->status == WorkflowStatus::kActive;
        return tx.live_set_event(lead->id, event,
                                 running ? std::optional<TimeMs>(live_.live_now()) : std::nullopt);
    });
    if (st && row.kind == "action") live_.wake();
    return st;
}

}  // namespace leadflow::server
