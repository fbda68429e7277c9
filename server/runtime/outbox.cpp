// server/runtime/outbox.cpp — the outbox worker (see outbox.hpp).
#include "runtime/outbox.hpp"

#include <chrono>
#include <cstdio>

#include "runtime/scheduler.hpp"
#include "util/log_text.hpp"

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

OutboxWorker::OutboxWorker(Store& store, LiveRuntime& live, OutboxConfig config,
                           std::function<TimeMs()> wall_ms)
    : store_(store), live_(live), config_(std::move(config)), wall_ms_(std::move(wall_ms)) {}

OutboxWorker::~OutboxWorker() {
    stop();
}

void OutboxWorker::start() {
    stopping_ = false;
    thread_ = std::thread([this] {
        for (;;) {
            {
                std::lock_guard<std::mutex> lock(mu_);
                if (stopping_) return;
            }
            auto n = run_once();
            // Storage failures: one log line when they start and one when they end, and
            // exponentially longer waits between attempts meanwhile.
            const int retry_ms = backoff_.record(n.status(), wall_ms_());
            std::unique_lock<std::mutex> lock(mu_);
            if (stopping_) return;
            if (n.ok() && n.value() > 0) continue;
            cv_.wait_for(lock, std::chrono::milliseconds(retry_ms > 0 ? retry_ms : config_.poll_ms),
                         [this] { return stopping_; });
        }
    });
}

void OutboxWorker::stop() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
        cv_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
}

std::int64_t OutboxWorker::deliveries() const {
    std::lock_guard<std::mutex> lock(const_cast<std::mutex&>(mu_));
    return deliveries_;
}

Result<int> OutboxWorker::run_once() {
    std::vector<OutboxRow> rows;
    Status st = store_.read([&](StoreTx& tx) {
        auto due = tx.live_outbox_due(wall_ms_(), 64);
        if (!due.ok()) return due.status();
        rows = std::move(due.value());
        return Status::ok();
    });
    if (!st) return st;
    for (OutboxRow& r : rows) {
        if (Status s = perform(std::move(r)); !s) return s;
    }
    return static_cast<int>(rows.size());
}

Status OutboxWorker::perform(OutboxRow row) {
    std::string url, method = "POST", body;
    std::vector<std::pair<std::string, std::string>> headers{
        {"X-Leadflow-Idempotency-Key", row.idempotency_key}};
    std::optional<std::string> render_error;
    if (row.kind == "call_dispatch") {
        url = config_.call_webhook_url;
        body = row.payload.dump();
        headers.emplace_back("X-Leadflow-Signature", sign_body(config_.call_webhook_secret, body));
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
        headers.emplace_back("X-Leadflow-Signature", sign_body(hook->secret, body));
        headers.emplace_back("X-Leadflow-Event", "workflow.lead.completed");
    }

    OutboundResponse res;
    if (render_error) {
        res.error = *render_error;
    } else {
        res = send_outbound(config_.policy, method, url, headers, body);
    }
    const bool ok = res.status >= 200 && res.status < 300;
    ++row.attempts;
    // A refused host or a template without values will not get better by retrying.
    const bool permanent = render_error || res.error.find("not allowed") != std::string::npos;
    const bool last = ok || permanent || row.attempts >= config_.max_attempts;
    if (ok) {
        std::lock_guard<std::mutex> lock(mu_);
        ++deliveries_;
    }
    if (!ok) {
        log_line(
            "outbox " + log_escape(row.idempotency_key) + " attempt " +
            std::to_string(row.attempts) + ": " +
            (res.error.empty() ? "HTTP " + std::to_string(res.status) : log_escape(res.error)));
    }
    if (!last) {
        row.next_attempt_at = wall_ms_() + (static_cast<TimeMs>(config_.backoff_base_ms)
                                            << std::min(row.attempts - 1, 16));
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
        Json response = Json::object();
        Json parsed = Json::parse(res.body, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_object()) response = parsed;
        Json event{{"type", "action"}, {"ok", ok}, {"response", response}};
        auto w = tx.live_get_workflow(lead->workflow_id);
        if (!w.ok()) return w.status();
        const bool running =
            w->status == WorkflowStatus::kActive || w->status == WorkflowStatus::kRunning;
        return tx.live_set_event(lead->id, event,
                                 running ? std::optional<TimeMs>(live_.live_now()) : std::nullopt);
    });
    if (st && row.kind == "action") live_.wake();
    return st;
}

}  // namespace leadflow::server
