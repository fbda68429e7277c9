// server/store/sqlite_tx_org.cpp — SqliteTx: what belongs to an organization beside its
// workflows: the organization rows, API keys, calls, user webhooks and share links.

#include "leadflow/wire.hpp"
#include "store/row_readers.hpp"
#include "store/sqlite_internal.hpp"

namespace leadflow::server::sqlite_internal {

// ---- organizations and keys

Result<Organization> SqliteTx::ensure_organization(const std::string& name,
                                                   const std::string& new_id, TimeMs now) {
    {
        Stmt s = prep(std::string("SELECT ") + rows::kOrganizationColumns +
                      " FROM organizations WHERE name = ?");
        s.bind(name);
        auto found = s.one(rows::read_organization<Stmt>, "");
        if (found.ok() || found.status().code() != StatusCode::kNotFound) return found;
    }
    Stmt s = prep("INSERT INTO organizations(id, name, created_at) VALUES (?, ?, ?)");
    s.bind(new_id).bind(name).bind(now);
    if (Status st = s.exec(); !st) return st;
    return Organization{new_id, name, now};
}

Status SqliteTx::insert_api_key(const ApiKeyRecord& k) {
    Stmt s = prep(
        "INSERT INTO api_keys(id, organization_id, salt, secret_hash, created_at, expires_at,"
        " revoked_at, read_only) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(k.id).bind(k.organization_id).bind(k.salt).bind(k.secret_hash).bind(k.created_at);
    s.bind(k.expires_at).bind(k.revoked_at).bind(k.read_only ? 1 : 0);
    return s.exec();
}

Result<ApiKeyRecord> SqliteTx::find_api_key(const std::string& key_id) {
    Stmt s =
        prep(std::string("SELECT ") + rows::kApiKeyColumns + " FROM api_keys k WHERE k.id = ?");
    s.bind(key_id);
    return s.one([](const Stmt& r) -> Result<ApiKeyRecord> { return rows::read_api_key(r); },
                 "API key not found");
}

Result<std::vector<ApiKeyInfo>> SqliteTx::list_api_keys(const std::string& org_name) {
    if (!org_name.empty()) {
        Stmt o = prep("SELECT count(*) FROM organizations WHERE name = ?");
        o.bind(org_name);
        auto n = o.single_i64();
        if (!n.ok()) return n.status();
        if (n.value() == 0) return Status::not_found("no organization named " + org_name);
    }
    Stmt s = prep(std::string("SELECT ") + rows::kApiKeyColumns +
                  ", o.name FROM api_keys k JOIN organizations o ON o.id = k.organization_id"
                  " WHERE ?1 = '' OR o.name = ?1 ORDER BY k.created_at, k.rowid");
    s.bind(org_name);
    return s.rows([](const Stmt& r) -> Result<ApiKeyInfo> {
        return ApiKeyInfo{rows::read_api_key(r), r.text(8)};
    });
}

Status SqliteTx::revoke_api_key(const std::string& key_id, TimeMs now) {
    Stmt s = prep("UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?");
    s.bind(now).bind(key_id);
    return s.exec_changing("API key not found");
}

Status SqliteTx::set_api_key_expiry(const std::string& key_id, TimeMs expires_at) {
    Stmt s = prep("UPDATE api_keys SET expires_at = ? WHERE id = ?");
    s.bind(expires_at).bind(key_id);
    return s.exec_changing("API key not found");
}

// ---- calls

Status SqliteTx::insert_call(const CallRecord& c) {
    static const std::string kSql =
        "INSERT INTO calls(id, organization_id, workflow_id, lead_id, node_id, status, outcome,"
        " end_reason, duration_s, analysis, created_at, ended_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    return write(kSql, nullptr, [&](auto& s) {
        s.bind(c.id).bind(c.organization_id).bind(c.workflow_id).bind(c.lead_id);
        s.bind(c.node_id).bind(c.status).bind(c.outcome).bind(c.end_reason);
        s.bind(c.duration_s).bind(c.analysis.dump()).bind(c.created_at).bind(c.ended_at);
    });
}

const char* const kCallColumns = rows::kCallColumns;

Result<CallRecord> read_call(const Stmt& s) {
    return rows::read_call(s);
}

Result<PageOf<CallRecord>> SqliteTx::list_calls(const std::string& org_id, const CallQuery& q) {
    const char* where =
        " FROM calls WHERE organization_id = ?1 AND (?2 = '' OR workflow_id = ?2)"
        " AND (?3 = '' OR lead_id = ?3) AND (?4 = '' OR status = ?4)";
    PageOf<CallRecord> page;
    {
        Stmt s = prep(std::string("SELECT count(*)") + where);
        s.bind(org_id).bind(q.workflow_id).bind(q.lead_id).bind(q.status);
        auto total = s.single_i64();
        if (!total.ok()) return total.status();
        page.total = total.value();
    }
    Stmt s = prep(std::string("SELECT ") + kCallColumns + where +
                  " ORDER BY created_at DESC, rowid DESC LIMIT ?5 OFFSET ?6");
    s.bind(org_id).bind(q.workflow_id).bind(q.lead_id).bind(q.status).bind(q.limit);
    s.bind(static_cast<std::int64_t>(q.page - 1) * q.limit);
    auto items = s.rows(read_call);
    if (!items.ok()) return items.status();
    page.items = std::move(items.value());
    return page;
}

// ---- user webhooks

Status SqliteTx::insert_webhook(const UserWebhook& w) {
    Stmt s = prep(
        "INSERT INTO user_webhooks(id, organization_id, url, events, secret, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)");
    s.bind(w.id).bind(w.organization_id).bind(w.url).bind(string_list_json(w.events).dump());
    s.bind(w.secret).bind(w.created_at);
    return s.exec();
}

Result<std::vector<UserWebhook>> SqliteTx::list_webhooks(const std::string& org_id) {
    Stmt s = prep(std::string("SELECT ") + rows::kWebhookColumns +
                  " FROM user_webhooks WHERE organization_id = ? ORDER BY created_at, rowid");
    s.bind(org_id);
    return s.rows(rows::read_webhook<Stmt>);
}

Result<UserWebhook> SqliteTx::get_webhook(const std::string& org_id, const std::string& id) {
    Stmt s = prep(std::string("SELECT ") + rows::kWebhookColumns +
                  " FROM user_webhooks WHERE organization_id = ? AND id = ?");
    s.bind(org_id).bind(id);
    return s.one(rows::read_webhook<Stmt>, "Webhook not found");
}

Status SqliteTx::delete_webhook(const std::string& org_id, const std::string& id) {
    Stmt s = prep("DELETE FROM user_webhooks WHERE organization_id = ? AND id = ?");
    s.bind(org_id).bind(id);
    return s.exec_changing("Webhook not found");
}

// ---- share links

Status SqliteTx::put_share_link(const std::string& id, const std::string& org_id,
                                const std::string& fragment, TimeMs now) {
    Stmt s = prep(
        "INSERT INTO share_links (id, organization_id, fragment, created_at)"
        " VALUES (?, ?, ?, ?)");
    s.bind(id).bind(org_id).bind(fragment).bind(now);
    return s.exec();
}

Result<std::string> SqliteTx::get_share_link(const std::string& id) {
    Stmt s = prep("SELECT fragment FROM share_links WHERE id = ?");
    s.bind(id);
    return s.one([](const Stmt& r) -> Result<std::string> { return r.text(0); },
                 "No short link " + id + " on this server");
}

Status SqliteTx::delete_share_link(const std::string& org_id, const std::string& id) {
    Stmt s = prep("DELETE FROM share_links WHERE organization_id = ? AND id = ?");
    s.bind(org_id).bind(id);
    return s.exec_changing("Short link not found");
}

}  // namespace leadflow::server::sqlite_internal
