// server/store/pg_tx_leads.cpp — PgTx (pg_internal.hpp).
#include "store/pg_internal.hpp"

namespace leadflow::server::pg_internal {

Status PgTx::insert_leads(const std::vector<LeadRecord>& leads) {
    return Status::internal("postgres: insert_leads is not written yet");
}

Result<PageOf<Lead>> PgTx::list_leads(const std::string& workflow_id, const LeadQuery& q) {
    return Status::internal("postgres: list_leads is not written yet");
}

Result<LeadRecord> PgTx::get_lead(const std::string& workflow_id, const std::string& id) {
    return Status::internal("postgres: get_lead is not written yet");
}

Status PgTx::update_lead(const LeadRecord& r) {
    return Status::internal("postgres: update_lead is not written yet");
}

Result<std::vector<LeadRecord>> PgTx::leads_where(const std::string& workflow_id,
                                                  const std::vector<LeadStatus>& statuses,
                                                  const std::vector<std::string>& node_ids) {
    return Status::internal("postgres: leads_where is not written yet");
}

Result<std::int64_t> PgTx::transition_leads(const std::string& workflow_id,
                                            const std::vector<LeadStatus>& from, LeadStatus to,
                                            std::optional<Phase> phase, TimeMs now) {
    return Status::internal("postgres: transition_leads is not written yet");
}

Result<std::int64_t> PgTx::count_leads_in_phases(const std::string& workflow_id,
                                                 const std::vector<Phase>& phases) {
    return Status::internal("postgres: count_leads_in_phases is not written yet");
}

Result<std::vector<std::string>> PgTx::variable_keys(const std::string& workflow_id) {
    return Status::internal("postgres: variable_keys is not written yet");
}

Status PgTx::append_history(const std::string& lead_id, const HistoryEntry& h) {
    return Status::internal("postgres: append_history is not written yet");
}

Result<std::vector<HistoryEntry>> PgTx::history(const std::string& lead_id) {
    return Status::internal("postgres: history is not written yet");
}

Result<std::map<LeadStatus, std::int64_t>> PgTx::lead_status_totals() {
    return Status::internal("postgres: lead_status_totals is not written yet");
}

Result<std::map<LeadStatus, std::int64_t>> PgTx::lead_status_totals_of(const std::string& org_id) {
    return Status::internal("postgres: lead_status_totals_of is not written yet");
}

Result<std::vector<NodeStatusCount>> PgTx::lead_counts_by_node(const std::string& workflow_id) {
    return Status::internal("postgres: lead_counts_by_node is not written yet");
}

}  // namespace leadflow::server::pg_internal
