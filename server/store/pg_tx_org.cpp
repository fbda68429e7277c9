// server/store/pg_tx_org.cpp — PgTx (pg_internal.hpp): what belongs to an organization beside
// its workflows: the organization rows, API keys, calls, user webhooks and share links.
//
// Inserts skip a duplicate (ON CONFLICT DO NOTHING) and report it as kConflict, so that the
// transaction goes on as the contract allows (Query::exec_inserting).
#include "leadflow/wire.hpp"
#include "store/pg_internal.hpp"
#include "store/row_readers.hpp"

namespace leadflow::server::pg_internal {

// ---- organizations and keys

Result<Organization> PgTx::ensure_organization(const std::string& name, const std::string& new_id,
                                               TimeMs now) {
    auto found = q(std::string("SELECT ") + rows::kOrganizationColumns +
                   " FROM organizations WHERE name = $1")
                     .bind(name)
                     .one(rows::read_organization<Row>, "");
    if (found.ok() || found.status().code() != StatusCode::kNotFound) return found;
    Status st = q("INSERT INTO organizations(id, name, created_at) VALUES ($1, $2, $3)"
                  " ON CONFLICT DO NOTHING")
                    .bind(new_id)
                    .bind(name)
                    .bind(now)
                    .exec_inserting(1, "postgres: organization " + new_id + " already exists");
    if (!st) return st;
    return Organization{new_id, name, now};
}

Status PgTx::insert_api_key(const ApiKeyRecord& k) {
    return q("INSERT INTO api_keys(id, organization_id, salt, secret_hash, created_at, expires_at,"
             " revoked_at, read_only) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
             " ON CONFLICT DO NOTHING")
        .bind(k.id)
        .bind(k.organization_id)
        .bind(k.salt)
        .bind(k.secret_hash)
        .bind(k.created_at)
        .bind(k.expires_at)
        .bind(k.revoked_at)
        .bind(k.read_only)
        .exec_inserting(1, "postgres: API key " + k.id + " already exists");
}

Result<ApiKeyRecord> PgTx::find_api_key(const std::string& key_id) {
    return q(std::string("SELECT ") + rows::kApiKeyColumns + " FROM api_keys k WHERE k.id = $1")
        .bind(key_id)
        .one([](const Row& r) -> Result<ApiKeyRecord> { return rows::read_api_key(r); },
             "API key not found");
}

Result<std::vector<ApiKeyInfo>> PgTx::list_api_keys(const std::string& org_name) {
    if (!org_name.empty()) {
        auto n =
            q("SELECT count(*) FROM organizations WHERE name = $1").bind(org_name).single_i64();
        if (!n.ok()) return n.status();
        if (n.value() == 0) return Status::not_found("no organization named " + org_name);
    }
    return q(std::string("SELECT ") + rows::kApiKeyColumns +
             ", o.name FROM api_keys k JOIN organizations o ON o.id = k.organization_id"
             " WHERE $1 = '' OR o.name = $1 ORDER BY k.created_at, k.seq")
        .bind(org_name)
        .rows([](const Row& r) -> Result<ApiKeyInfo> {
            return ApiKeyInfo{rows::read_api_key(r), r.text(8)};
        });
}

Status PgTx::revoke_api_key(const std::string& key_id, TimeMs now) {
    return q("UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2")
        .bind(now)
        .bind(key_id)
        .exec_changing("API key not found");
}

Status PgTx::set_api_key_expiry(const std::string& key_id, TimeMs expires_at) {
    return q("UPDATE api_keys SET expires_at = $1 WHERE id = $2")
        .bind(expires_at)
        .bind(key_id)
        .exec_changing("API key not found");
}

// ---- calls

Status PgTx::insert_call(const CallRecord& c) {
    if (batch_) {
        if (!failure_.is_ok()) return failure_;
        batch_->insert_call(c);
        return held();
    }
    return q("INSERT INTO calls(id, organization_id, workflow_id, lead_id, node_id, status,"
             " outcome, end_reason, duration_s, analysis, created_at, ended_at)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING")
        .bind(c.id)
        .bind(c.organization_id)
        .bind(c.workflow_id)
        .bind(c.lead_id)
        .bind(c.node_id)
        .bind(c.status)
        .bind(c.outcome)
        .bind(c.end_reason)
        .bind(c.duration_s)
        .bind(c.analysis.dump())
        .bind(c.created_at)
        .bind(c.ended_at)
        .exec_inserting(1, "postgres: call " + c.id + " already exists");
}

const char* const kCallColumns = rows::kCallColumns;

Result<CallRecord> read_call(const Row& r) {
    return rows::read_call(r);
}

Result<PageOf<CallRecord>> PgTx::list_calls(const std::string& org_id, const CallQuery& cq) {
    const char* where =
        " FROM calls WHERE organization_id = $1 AND ($2 = '' OR workflow_id = $2)"
        " AND ($3 = '' OR lead_id = $3) AND ($4 = '' OR status = $4)";
    PageOf<CallRecord> page;
    auto total = q(std::string("SELECT count(*)") + where)
                     .bind(org_id)
                     .bind(cq.workflow_id)
                     .bind(cq.lead_id)
                     .bind(cq.status)
                     .single_i64();
    if (!total.ok()) return total.status();
    page.total = total.value();
    auto items = q(std::string("SELECT ") + kCallColumns + where +
                   " ORDER BY created_at DESC, seq DESC LIMIT $5 OFFSET $6")
                     .bind(org_id)
                     .bind(cq.workflow_id)
                     .bind(cq.lead_id)
                     .bind(cq.status)
                     .bind(cq.limit)
                     .bind(static_cast<std::int64_t>(cq.page - 1) * cq.limit)
                     .rows(read_call);
    if (!items.ok()) return items.status();
    page.items = std::move(items.value());
    return page;
}

// ---- user webhooks

Status PgTx::insert_webhook(const UserWebhook& w) {
    return q("INSERT INTO user_webhooks(id, organization_id, url, events, secret, created_at)"
             " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
        .bind(w.id)
        .bind(w.organization_id)
        .bind(w.url)
        .bind(stored::string_list_json(w.events).dump())
        .bind(w.secret)
        .bind(w.created_at)
        .exec_inserting(1, "postgres: webhook " + w.id + " already exists");
}

Result<std::vector<UserWebhook>> PgTx::list_webhooks(const std::string& org_id) {
    return q(std::string("SELECT ") + rows::kWebhookColumns +
             " FROM user_webhooks WHERE organization_id = $1 ORDER BY created_at, seq")
        .bind(org_id)
        .rows(rows::read_webhook<Row>);
}

Result<UserWebhook> PgTx::get_webhook(const std::string& org_id, const std::string& id) {
    return q(std::string("SELECT ") + rows::kWebhookColumns +
             " FROM user_webhooks WHERE organization_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .one(rows::read_webhook<Row>, "Webhook not found");
}

Status PgTx::delete_webhook(const std::string& org_id, const std::string& id) {
    return q("DELETE FROM user_webhooks WHERE organization_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .exec_changing("Webhook not found");
}

// ---- share links

Status PgTx::put_share_link(const std::string& id, const std::string& org_id,
                            const std::string& fragment, TimeMs now) {
    return q("INSERT INTO share_links(id, organization_id, fragment, created_at)"
             " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(org_id)
        .bind(fragment)
        .bind(now)
        .exec_inserting(1, "postgres: short link " + id + " already exists");
}

Result<std::string> PgTx::get_share_link(const std::string& id) {
    return q("SELECT fragment FROM share_links WHERE id = $1")
        .bind(id)
        .one([](const Row& r) -> Result<std::string> { return r.text(0); },
             "No short link " + id + " on this server");
}

Status PgTx::delete_share_link(const std::string& org_id, const std::string& id) {
    return q("DELETE FROM share_links WHERE organization_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .exec_changing("Short link not found");
}

}  // namespace leadflow::server::pg_internal
