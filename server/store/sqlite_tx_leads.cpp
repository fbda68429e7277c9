// server/store/sqlite_tx_leads.cpp — SqliteTx: leads (insert, list, update, counts) and their
// history.
#include <set>

#include "leadflow/wire.hpp"
#include "store/row_readers.hpp"
#include "store/sqlite_internal.hpp"

namespace leadflow::server::sqlite_internal {

// ---- leads

Status SqliteTx::insert_leads(const std::vector<LeadRecord>& leads) {
    std::map<std::string, std::set<std::string>> keys;  // workflow → variable names
    for (const LeadRecord& r : leads) {
        const Lead& l = r.lead;
        const Execution& x = r.execution;
        for (const auto& [name, value] : l.variables) keys[l.workflow_id].insert(name);
        Stmt s = prep(
            "INSERT INTO leads(id, workflow_id, phone_number, variables, status,"
            " current_node_id, phase, entered_at, release_at, call_id, steps, created_at,"
            " updated_at, completed_at, metadata, workflow_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, ?, ?, ?, (SELECT seq FROM workflows WHERE id = ?2))");
        s.bind(l.id).bind(l.workflow_id).bind(l.phone_number).bind(string_map_text(l.variables));
        s.bind(to_string(l.status)).bind(l.current_node_id).bind(to_string(x.phase));
        s.bind(x.entered_at).bind(x.release_at).bind(x.call_id).bind(x.steps);
        s.bind(l.created_at.value_or(0)).bind(l.updated_at.value_or(0)).bind(l.completed_at);
        std::optional<std::string> metadata;
        if (l.metadata.is_object()) metadata = l.metadata.dump();
        s.bind(metadata);
        if (Status st = s.exec(); !st) return st;
    }
    for (const auto& [workflow_id, names] : keys) {
        for (const std::string& name : names) {
            Stmt s =
                prep("INSERT OR IGNORE INTO lead_variable_keys(workflow_id, key) VALUES (?, ?)");
            s.bind(workflow_id).bind(name);
            if (Status st = s.exec(); !st) return st;
        }
    }
    return Status::ok();
}

using rows::kLeadColumns;
static constexpr auto read_lead = rows::read_lead<Stmt>;

Result<PageOf<Lead>> SqliteTx::list_leads(const std::string& workflow_id, const LeadQuery& q) {
    const char* where =
        " FROM leads WHERE workflow_id = ?1"
        " AND (?2 IS NULL OR status IN (SELECT value FROM json_each(?2)))"
        " AND (?3 IS NULL OR id IN (SELECT value FROM json_each(?3)))"
        " AND (?4 = '' OR phone_number LIKE ?4 ESCAPE '\\')";
    std::optional<std::string> statuses, ids;
    if (!q.statuses.empty()) statuses = status_list_json(q.statuses).dump();
    if (!q.ids.empty()) ids = string_list_json(q.ids).dump();
    PageOf<Lead> page;
    if (!ids && q.phone_like.empty()) {
        // The maintained counts answer "how many" without scanning the leads.
        Stmt s = prep(
            "SELECT coalesce(sum(n), 0) FROM lead_counts WHERE workflow_id = ?1"
            " AND (?2 IS NULL OR status IN (SELECT value FROM json_each(?2)))");
        s.bind(workflow_id).bind(statuses);
        auto total = s.single_i64();
        if (!total.ok()) return total.status();
        page.total = total.value();
    } else {
        Stmt s = prep(std::string("SELECT count(*)") + where);
        s.bind(workflow_id).bind(statuses).bind(ids).bind(q.phone_like);
        auto total = s.single_i64();
        if (!total.ok()) return total.status();
        page.total = total.value();
    }
    Stmt s =
        prep(std::string("SELECT ") + kLeadColumns + where + " ORDER BY rowid LIMIT ?5 OFFSET ?6");
    s.bind(workflow_id).bind(statuses).bind(ids).bind(q.phone_like).bind(q.limit);
    s.bind(static_cast<std::int64_t>(q.page - 1) * q.limit);
    auto items = s.rows([](const Stmt& r) -> Result<Lead> {
        auto record = read_lead(r);
        if (!record.ok()) return record.status();
        return std::move(record.value().lead);
    });
    if (!items.ok()) return items.status();
    page.items = std::move(items.value());
    return page;
}

Result<LeadRecord> SqliteTx::get_lead(const std::string& workflow_id, const std::string& id) {
    Stmt s = prep(std::string("SELECT ") + kLeadColumns +
                  " FROM leads WHERE workflow_id = ? AND id = ?");
    s.bind(workflow_id).bind(id);
    return s.one(read_lead, "Lead not found");
}

Status SqliteTx::update_lead(const LeadRecord& r) {
    const Lead& l = r.lead;
    const Execution& x = r.execution;
    Stmt s = prep(
        "UPDATE leads SET phone_number = ?, variables = ?, status = ?, current_node_id = ?,"
        " phase = ?, entered_at = ?, release_at = ?, call_id = ?, steps = ?, updated_at = ?,"
        " completed_at = ? WHERE id = ? AND workflow_id = ?");
    s.bind(l.phone_number).bind(string_map_text(l.variables)).bind(to_string(l.status));
    s.bind(x.current_node_id).bind(to_string(x.phase)).bind(x.entered_at).bind(x.release_at);
    s.bind(x.call_id).bind(x.steps).bind(l.updated_at.value_or(0)).bind(l.completed_at);
    s.bind(l.id).bind(l.workflow_id);
    return s.exec_changing("Lead not found");
}

Result<std::vector<LeadRecord>> SqliteTx::leads_where(const std::string& workflow_id,
                                                      const std::vector<LeadStatus>& statuses,
                                                      const std::vector<std::string>& node_ids) {
    Stmt s = prep(std::string("SELECT ") + kLeadColumns +
                  " FROM leads WHERE workflow_id = ?1"
                  " AND status IN (SELECT value FROM json_each(?2))"
                  " AND (?3 IS NULL OR current_node_id IN (SELECT value FROM json_each(?3)))"
                  " ORDER BY rowid");
    std::optional<std::string> nodes;
    if (!node_ids.empty()) nodes = string_list_json(node_ids).dump();
    s.bind(workflow_id).bind(status_list_json(statuses).dump()).bind(nodes);
    return s.rows(read_lead);
}

Result<std::int64_t> SqliteTx::transition_leads(const std::string& workflow_id,
                                                const std::vector<LeadStatus>& from, LeadStatus to,
                                                std::optional<Phase> phase, TimeMs now) {
    Stmt s = prep(
        "UPDATE leads SET status = ?3, phase = coalesce(?4, phase), updated_at = ?5,"
        " completed_at = CASE WHEN ?6 THEN ?5 ELSE completed_at END"
        " WHERE workflow_id = ?1 AND status IN (SELECT value FROM json_each(?2))");
    std::optional<std::string> phase_name;
    if (phase) phase_name = to_string(*phase);
    s.bind(workflow_id).bind(status_list_json(from).dump()).bind(to_string(to));
    s.bind(phase_name).bind(now).bind(is_terminal(to) ? 1 : 0);
    if (Status st = s.exec(); !st) return st;
    return static_cast<std::int64_t>(sqlite3_changes(db_));
}

Result<std::int64_t> SqliteTx::count_leads_in_phases(const std::string& workflow_id,
                                                     const std::vector<Phase>& phases) {
    // One count per phase, the phase written into the SQL so that the partial index of
    // in-flight and stuck leads (migration 4) serves it.
    std::int64_t total = 0;
    for (Phase p : std::set<Phase>(phases.begin(), phases.end())) {
        Stmt s =
            prep(std::string("SELECT count(*) FROM leads WHERE workflow_id = ? AND phase = '") +
                 to_string(p) + "'");
        s.bind(workflow_id);
        auto n = s.single_i64();
        if (!n.ok()) return n.status();
        total += n.value();
    }
    return total;
}

Result<std::vector<std::string>> SqliteTx::variable_keys(const std::string& workflow_id) {
    Stmt s = prep("SELECT key FROM lead_variable_keys WHERE workflow_id = ? ORDER BY key");
    s.bind(workflow_id);
    return s.rows([](const Stmt& r) -> Result<std::string> { return r.text(0); });
}

Status SqliteTx::append_history(const std::string& lead_id, const HistoryEntry& h) {
    return live_append_history(lead_id, to_json(h).dump());
}

Status SqliteTx::append_histories(const std::vector<std::pair<std::string, HistoryEntry>>& rows) {
    // The write-behind already sends consecutive history rows in multi-row statements.
    for (const auto& [lead_id, h] : rows) {
        if (Status st = live_append_history(lead_id, to_json(h).dump()); !st) return st;
    }
    return Status::ok();
}

Result<std::vector<HistoryEntry>> SqliteTx::history(const std::string& lead_id) {
    // The chain from the lead's newest row back to its first, oldest first.
    if (Status st = flush_history_heads(); !st) return st;
    Stmt s = prep(
        "WITH RECURSIVE chain(id, prev_id, entry) AS ("
        " SELECT h.id, h.prev_id, h.entry FROM leads l JOIN history h ON h.id = l.history_last"
        " WHERE l.id = ?"
        " UNION ALL SELECT h.id, h.prev_id, h.entry FROM history h JOIN chain c"
        " ON h.id = c.prev_id)"
        " SELECT entry FROM chain ORDER BY id");
    s.bind(lead_id);
    return s.rows([](const Stmt& r) -> Result<HistoryEntry> {
        auto j = parse_stored_json(r.text(0), "history entry");
        if (!j.ok()) return j.status();
        auto h = history_entry_from_json(j.value());
        if (!h.ok()) return Status::internal("stored history: " + h.status().message());
        return std::move(h.value());
    });
}

// The totals of the (status, n) rows of `s` (read_status_count): every status, 0 where no
// row names it; rows of an unknown status are skipped.
static Result<std::map<LeadStatus, std::int64_t>> status_totals(Stmt& s) {
    std::map<LeadStatus, std::int64_t> out;
    for (LeadStatus st : all_lead_statuses()) out[st] = 0;
    auto rows = s.rows(read_status_count);
    if (!rows.ok()) return rows.status();
    for (const auto& [status, n] : rows.value()) {
        if (status) out[*status] = n;
    }
    return out;
}

Result<std::map<LeadStatus, std::int64_t>> SqliteTx::lead_status_totals() {
    Stmt s = prep("SELECT status, sum(n) FROM lead_counts GROUP BY status");
    return status_totals(s);
}

Result<std::map<LeadStatus, std::int64_t>> SqliteTx::lead_status_totals_of(
    const std::string& org_id) {
    Stmt s = prep(
        "SELECT c.status, sum(c.n) FROM lead_counts c JOIN workflows w ON w.id = c.workflow_id"
        " WHERE w.organization_id = ? GROUP BY c.status");
    s.bind(org_id);
    return status_totals(s);
}

Result<std::vector<NodeStatusCount>> SqliteTx::lead_counts_by_node(const std::string& workflow_id) {
    Stmt s = prep(
        "SELECT current_node_id, status, count(*) FROM leads WHERE workflow_id = ?"
        " GROUP BY current_node_id, status");
    s.bind(workflow_id);
    return s.rows([](const Stmt& r) -> Result<NodeStatusCount> {
        auto st = parse_lead_status(r.text(1));
        if (!st) return Status::internal("stored lead status: " + r.text(1));
        NodeStatusCount c;
        if (!r.is_null(0)) c.node_id = r.text(0);
        c.status = *st;
        c.count = r.i64(2);
        return c;
    });
}

}  // namespace leadflow::server::sqlite_internal
