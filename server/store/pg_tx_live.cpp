// server/store/pg_tx_live.cpp — PgTx (pg_internal.hpp).
#include "store/pg_internal.hpp"

namespace leadflow::server::pg_internal {

Result<std::vector<RunnableWorkflow>> PgTx::live_runnable_workflows() {
    return Status::internal("postgres: live_runnable_workflows is not written yet");
}

Result<std::vector<LiveLead>> PgTx::live_due_leads(const std::string& workflow_id, TimeMs now,
                                                   int limit) {
    return Status::internal("postgres: live_due_leads is not written yet");
}

Result<std::vector<LiveLead>> PgTx::live_leads_to_start(const std::string& workflow_id, int limit) {
    return Status::internal("postgres: live_leads_to_start is not written yet");
}

Result<std::vector<LiveLead>> PgTx::live_slot_waiters(const std::string& workflow_id, int limit) {
    return Status::internal("postgres: live_slot_waiters is not written yet");
}

Result<std::int64_t> PgTx::live_calls_in_flight(const std::string& workflow_id) {
    return Status::internal("postgres: live_calls_in_flight is not written yet");
}

Result<LiveLead> PgTx::live_get_lead(const std::string& lead_id) {
    return Status::internal("postgres: live_get_lead is not written yet");
}

Status PgTx::live_save(const LiveLeadUpdate& u) {
    return Status::internal("postgres: live_save is not written yet");
}

Status PgTx::live_set_event(const std::string& lead_id, const Json& event,
                            std::optional<TimeMs> due_at) {
    return Status::internal("postgres: live_set_event is not written yet");
}

Status PgTx::live_freeze(const std::string& workflow_id, TimeMs now) {
    return Status::internal("postgres: live_freeze is not written yet");
}

Status PgTx::live_thaw(const std::string& workflow_id, TimeMs now) {
    return Status::internal("postgres: live_thaw is not written yet");
}

Result<std::int64_t> PgTx::live_cancel(const std::string& workflow_id, TimeMs now) {
    return Status::internal("postgres: live_cancel is not written yet");
}

Status PgTx::live_wake_stuck(const std::string& workflow_id, TimeMs now) {
    return Status::internal("postgres: live_wake_stuck is not written yet");
}

Result<std::vector<LiveLead>> PgTx::live_leads_behind(const std::string& workflow_id,
                                                      std::int64_t newest) {
    return Status::internal("postgres: live_leads_behind is not written yet");
}

Status PgTx::live_place(const LiveLead& l, const std::string& node_id) {
    return Status::internal("postgres: live_place is not written yet");
}

Result<Workflow> PgTx::live_get_workflow(const std::string& workflow_id) {
    return Status::internal("postgres: live_get_workflow is not written yet");
}

Result<CallRecord> PgTx::live_get_call(const std::string& call_id) {
    return Status::internal("postgres: live_get_call is not written yet");
}

Status PgTx::live_update_call(const CallRecord& c) {
    return Status::internal("postgres: live_update_call is not written yet");
}

Status PgTx::live_append_history(const std::string& lead_id, const std::string& entry) {
    return Status::internal("postgres: live_append_history is not written yet");
}

Status PgTx::live_outbox_insert(const OutboxRow& r) {
    return Status::internal("postgres: live_outbox_insert is not written yet");
}

Result<std::vector<OutboxRow>> PgTx::live_outbox_due(TimeMs now, int limit) {
    return Status::internal("postgres: live_outbox_due is not written yet");
}

Status PgTx::live_outbox_update(const OutboxRow& r) {
    return Status::internal("postgres: live_outbox_update is not written yet");
}

Result<std::optional<std::string>> PgTx::live_meta_get(const std::string& key) {
    return Status::internal("postgres: live_meta_get is not written yet");
}

Status PgTx::live_meta_put(const std::string& key, const std::string& value) {
    return Status::internal("postgres: live_meta_put is not written yet");
}

}  // namespace leadflow::server::pg_internal
