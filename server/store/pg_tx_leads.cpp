// server/store/pg_tx_leads.cpp — PgTx (pg_internal.hpp): leads (insert, list, update, counts)
// and their history.
#include <algorithm>
#include <set>

#include "leadflow/wire.hpp"
#include "store/pg_internal.hpp"
#include "store/pg_live_batch.hpp"
#include "store/row_readers.hpp"

namespace leadflow::server::pg_internal {
namespace {

// Leads written by one INSERT: an upload of thousands of leads takes a few round trips, and
// each statement's parameters stay a few megabytes at most.
constexpr std::size_t kLeadsPerInsert = 2000;

// One batch of leads: each column is bound as one array, the arrays unnested side by side.
constexpr int kLeadInsertColumns = 15;
constexpr const char* kLeadInsert =
    "INSERT INTO leads(id, workflow_id, phone_number, variables, status, current_node_id, phase,"
    " entered_at, release_at, call_id, steps, created_at, updated_at, completed_at, metadata)"
    " SELECT id, workflow_id, phone_number, variables, status, current_node_id, phase,"
    " entered_at, release_at, call_id, steps, created_at, updated_at, completed_at, metadata"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
    " $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::bigint[], $12::bigint[],"
    " $13::bigint[], $14::bigint[], $15::text[]) WITH ORDINALITY"
    " AS u(id, workflow_id, phone_number, variables, status, current_node_id, phase, entered_at,"
    " release_at, call_id, steps, created_at, updated_at, completed_at, metadata, ord)"
    " ORDER BY ord";

// insert_leads without its savepoint.
Status insert_lead_rows(Connection& c, const std::vector<LeadRecord>& leads) {
    // Enrolment order is the order of `seq`, given in the order of the rows inserted (ORDER BY
    // ord), so one statement per batch keeps it.
    std::set<std::pair<std::string, std::string>> keys;  // (workflow, variable name)
    for (std::size_t begin = 0; begin < leads.size(); begin += kLeadsPerInsert) {
        const std::size_t end = std::min(leads.size(), begin + kLeadsPerInsert);
        std::vector<std::vector<std::optional<std::string>>> cols(kLeadInsertColumns);
        for (auto& col : cols) col.reserve(end - begin);
        for (std::size_t i = begin; i < end; ++i) {
            const Lead& l = leads[i].lead;
            const Execution& x = leads[i].execution;
            for (const auto& [name, value] : l.variables) keys.emplace(l.workflow_id, name);
            std::optional<std::string> metadata;
            if (l.metadata.is_object()) metadata = l.metadata.dump();
            const std::optional<std::string> row[kLeadInsertColumns] = {
                l.id,
                l.workflow_id,
                l.phone_number,
                string_map_text(l.variables),
                std::string(to_string(l.status)),
                l.current_node_id,
                std::string(to_string(x.phase)),
                opt_number(x.entered_at),
                opt_number(x.release_at),
                x.call_id,
                std::to_string(x.steps),
                std::to_string(l.created_at.value_or(0)),
                std::to_string(l.updated_at.value_or(0)),
                opt_number(l.completed_at),
                metadata,
            };
            for (int k = 0; k < kLeadInsertColumns; ++k) cols[k].push_back(row[k]);
        }
        Query ins(c, kLeadInsert);
        for (const auto& col : cols) ins.bind(nullable_text_array(col));
        if (Status st = ins.exec(); !st) return st;
    }
    if (keys.empty()) return Status::ok();
    std::vector<std::string> workflows, names;
    workflows.reserve(keys.size());
    names.reserve(keys.size());
    for (const auto& [workflow_id, name] : keys) {
        workflows.push_back(workflow_id);
        names.push_back(name);
    }
    return Query(c,
                 "INSERT INTO lead_variable_keys(workflow_id, key)"
                 " SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING")
        .bind(text_array(workflows))
        .bind(text_array(names))
        .exec();
}

}  // namespace

// ---- leads

Status PgTx::insert_leads(const std::vector<LeadRecord>& leads) {
    if (leads.empty()) return Status::ok();
    // A lead id that exists fails the whole call (kConflict) and leaves the transaction usable.
    if (Status st = flush(); !st) return st;
    return under_savepoint(c_, [&] { return insert_lead_rows(c_, leads); });
}

using rows::kLeadColumns;
static constexpr auto read_lead = rows::read_lead<Row>;

Result<PageOf<Lead>> PgTx::list_leads(const std::string& workflow_id, const LeadQuery& q) {
    // Only the filters given are written into the statement, so that each variant gets a plan
    // of its own (the ids by primary key, the others along the workflow's enrolment order).
    std::string where = " WHERE workflow_id = $1";
    int next = 2;
    if (!q.statuses.empty()) where += " AND status = ANY($" + std::to_string(next++) + "::text[])";
    if (!q.ids.empty()) where += " AND id = ANY($" + std::to_string(next++) + "::text[])";
    // lead_counts has no phone numbers: the count filters by phone in its own clause.
    const std::string phone =
        q.phone_like.empty() ? std::string()
                             : " AND phone_number LIKE $" + std::to_string(next++) + " ESCAPE '\\'";
    auto bind_filters = [&](Query& s) {
        s.bind(workflow_id);
        if (!q.statuses.empty()) s.bind(status_array(q.statuses));
        if (!q.ids.empty()) s.bind(text_array(q.ids));
        if (!q.phone_like.empty()) s.bind(q.phone_like);
    };
    where += phone;
    PageOf<Lead> page;
    {
        // Without ids or a phone, the maintained counts answer "how many" without scanning the
        // leads.
        const bool counted = q.ids.empty() && q.phone_like.empty();
        Query s = this->q(counted ? "SELECT coalesce(sum(n), 0) FROM lead_counts" + where
                                  : "SELECT count(*) FROM leads" + where);
        bind_filters(s);
        auto total = s.single_i64();
        if (!total.ok()) return total.status();
        page.total = total.value();
    }
    const std::string limit = std::to_string(next), offset = std::to_string(next + 1);
    Query s = this->q(std::string("SELECT ") + kLeadColumns + " FROM leads" + where +
                      " ORDER BY seq LIMIT $" + limit + " OFFSET $" + offset);
    bind_filters(s);
    s.bind(q.limit).bind(static_cast<std::int64_t>(q.page - 1) * q.limit);
    auto items = s.rows([](const Row& r) -> Result<Lead> {
        auto record = read_lead(r);
        if (!record.ok()) return record.status();
        return std::move(record.value().lead);
    });
    if (!items.ok()) return items.status();
    page.items = std::move(items.value());
    return page;
}

Result<LeadRecord> PgTx::get_lead(const std::string& workflow_id, const std::string& id) {
    return q(std::string("SELECT ") + kLeadColumns +
             " FROM leads WHERE workflow_id = $1 AND id = $2")
        .bind(workflow_id)
        .bind(id)
        .one(read_lead, "Lead not found");
}

Status PgTx::update_lead(const LeadRecord& r) {
    const Lead& l = r.lead;
    const Execution& x = r.execution;
    Query s =
        q("UPDATE leads SET phone_number = $1, variables = $2, status = $3, current_node_id = $4,"
          " phase = $5, entered_at = $6, release_at = $7, call_id = $8, steps = $9,"
          " updated_at = $10, completed_at = $11 WHERE id = $12 AND workflow_id = $13");
    s.bind(l.phone_number).bind(string_map_text(l.variables)).bind(to_string(l.status));
    s.bind(x.current_node_id).bind(to_string(x.phase)).bind(x.entered_at).bind(x.release_at);
    s.bind(x.call_id).bind(x.steps).bind(l.updated_at.value_or(0)).bind(l.completed_at);
    s.bind(l.id).bind(l.workflow_id);
    return s.exec_changing("Lead not found");
}

Result<std::vector<LeadRecord>> PgTx::leads_where(const std::string& workflow_id,
                                                  const std::vector<LeadStatus>& statuses,
                                                  const std::vector<std::string>& node_ids) {
    std::string sql = std::string("SELECT ") + kLeadColumns +
                      " FROM leads WHERE workflow_id = $1 AND status = ANY($2::text[])";
    if (!node_ids.empty()) sql += " AND current_node_id = ANY($3::text[])";
    Query s = q(sql + " ORDER BY seq");
    s.bind(workflow_id).bind(status_array(statuses));
    if (!node_ids.empty()) s.bind(text_array(node_ids));
    return s.rows(read_lead);
}

Result<std::int64_t> update_leads_recounting(Connection& c, const std::string& workflow_id,
                                             Query& update) {
    if (Status st = c.exec("SELECT set_config('leadflow.recount_leads', 'on', true)"); !st) {
        return st;
    }
    auto changed = update.exec_count();
    if (!changed.ok()) return changed;
    if (Status st = c.exec("SELECT set_config('leadflow.recount_leads', '', true)"); !st) {
        return st;
    }
    if (changed.value() == 0) return changed;
    Status st = Query(c,
                      "WITH counted AS (SELECT status, count(*) AS n FROM leads"
                      " WHERE workflow_id = $1 GROUP BY status),"
                      " emptied AS (UPDATE lead_counts SET n = 0 WHERE workflow_id = $1"
                      " AND status NOT IN (SELECT status FROM counted))"
                      " INSERT INTO lead_counts(workflow_id, status, n)"
                      " SELECT $1, status, n FROM counted"
                      " ON CONFLICT (workflow_id, status) DO UPDATE SET n = excluded.n")
                    .bind(workflow_id)
                    .exec();
    if (!st) return st;
    return changed;
}

Result<std::int64_t> PgTx::transition_leads(const std::string& workflow_id,
                                            const std::vector<LeadStatus>& from, LeadStatus to,
                                            std::optional<Phase> phase, TimeMs now) {
    std::optional<std::string> phase_name;
    if (phase) phase_name = to_string(*phase);
    Query s =
        q("UPDATE leads SET status = $3, phase = coalesce($4, phase), updated_at = $5,"
          " completed_at = CASE WHEN $6::boolean THEN $5 ELSE completed_at END"
          " WHERE workflow_id = $1 AND status = ANY($2::text[])");
    s.bind(workflow_id).bind(status_array(from)).bind(to_string(to)).bind(phase_name).bind(now);
    s.bind(is_terminal(to));
    return update_leads_recounting(c_, workflow_id, s);
}

Result<std::int64_t> PgTx::count_leads_in_phases(const std::string& workflow_id,
                                                 const std::vector<Phase>& phases) {
    // One count per phase, the phase written into the SQL so that the partial index of
    // in-call, in-action and stuck leads serves it.
    std::int64_t total = 0;
    for (Phase p : std::set<Phase>(phases.begin(), phases.end())) {
        auto n = q(std::string("SELECT count(*) FROM leads WHERE workflow_id = $1 AND phase = '") +
                   to_string(p) + "'")
                     .bind(workflow_id)
                     .single_i64();
        if (!n.ok()) return n.status();
        total += n.value();
    }
    return total;
}

Result<std::vector<std::string>> PgTx::variable_keys(const std::string& workflow_id) {
    // Sorted by their bytes, whatever the database's collation.
    return q("SELECT key FROM lead_variable_keys WHERE workflow_id = $1 ORDER BY key COLLATE \"C\"")
        .bind(workflow_id)
        .rows([](const Row& r) -> Result<std::string> { return r.text(0); });
}

Status PgTx::each_lead_in_pages(const std::string& sql, const std::string& workflow_id,
                                int seq_column, const std::function<Status(const Row&)>& each) {
    constexpr std::int64_t kPage = 10000;
    std::int64_t after = 0;
    for (;;) {
        std::int64_t read_here = 0;
        auto read = q(sql)
                        .bind(workflow_id)
                        .bind(after)
                        .bind(kPage)
                        .rows([&](const Row& r) -> Result<bool> {
                            ++read_here;
                            after = r.i64(seq_column);
                            if (Status st = each(r); !st) return st;
                            return true;
                        });
        if (!read.ok()) return read.status();
        if (read_here < kPage) return Status::ok();
    }
}

// ---- history (append order is the order of the rows' ids)

Status PgTx::append_history(const std::string& lead_id, const HistoryEntry& h) {
    return live_append_history(lead_id, to_json(h).dump());
}

Status PgTx::append_histories(const std::vector<std::pair<std::string, HistoryEntry>>& rows) {
    if (batch_) {  // the scheduler's: held with its other writes
        for (const auto& [lead_id, h] : rows) {
            if (Status st = live_append_history(lead_id, to_json(h).dump()); !st) return st;
        }
        return Status::ok();
    }
    // An API transaction's: one statement for all of them, through a batch of its own.
    LiveBatch own;
    for (const auto& [lead_id, h] : rows) own.append_history(lead_id, to_json(h).dump());
    return own.flush(c_);
}

Result<std::vector<HistoryEntry>> PgTx::history(const std::string& lead_id) {
    return q("SELECT entry FROM history WHERE lead_id = $1 ORDER BY id")
        .bind(lead_id)
        .rows([](const Row& r) -> Result<HistoryEntry> {
            auto j = parse_stored_json(r.text(0), "history entry");
            if (!j.ok()) return j.status();
            auto h = history_entry_from_json(j.value());
            if (!h.ok()) return Status::internal("stored history: " + h.status().message());
            return std::move(h.value());
        });
}

// ---- counts

namespace {

// The totals of (status, n) rows: every status, 0 where no row names it; rows of an unknown
// status are skipped.
Result<std::map<LeadStatus, std::int64_t>> status_totals(Query& s) {
    std::map<LeadStatus, std::int64_t> out;
    for (LeadStatus st : all_lead_statuses()) out[st] = 0;
    auto rows = s.rows(read_status_count);
    if (!rows.ok()) return rows.status();
    for (const auto& [status, n] : rows.value()) {
        if (status) out[*status] = n;
    }
    return out;
}

}  // namespace

Result<std::map<LeadStatus, std::int64_t>> PgTx::lead_status_totals() {
    Query s = q("SELECT status, sum(n) FROM lead_counts GROUP BY status");
    return status_totals(s);
}

Result<std::map<LeadStatus, std::int64_t>> PgTx::lead_status_totals_of(const std::string& org_id) {
    Query s =
        q("SELECT c.status, sum(c.n) FROM lead_counts c JOIN workflows w ON w.id = c.workflow_id"
          " WHERE w.organization_id = $1 GROUP BY c.status");
    s.bind(org_id);
    return status_totals(s);
}

Result<std::vector<NodeStatusCount>> PgTx::lead_counts_by_node(const std::string& workflow_id) {
    return q("SELECT current_node_id, status, count(*) FROM leads WHERE workflow_id = $1"
             " GROUP BY current_node_id, status")
        .bind(workflow_id)
        .rows([](const Row& r) -> Result<NodeStatusCount> {
            auto st = parse_lead_status(r.text(1));
            if (!st) return Status::internal("stored lead status: " + r.text(1));
            NodeStatusCount c;
            c.node_id = r.opt_text(0);
            c.status = *st;
            c.count = r.i64(2);
            return c;
        });
}

}  // namespace leadflow::server::pg_internal
