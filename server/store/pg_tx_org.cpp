// server/store/pg_tx_org.cpp — PgTx (pg_internal.hpp).
#include "store/pg_internal.hpp"

namespace leadflow::server::pg_internal {

Result<Organization> PgTx::ensure_organization(const std::string& name, const std::string& new_id,
                                               TimeMs now) {
    return Status::internal("postgres: ensure_organization is not written yet");
}

Status PgTx::insert_api_key(const ApiKeyRecord& k) {
    return Status::internal("postgres: insert_api_key is not written yet");
}

Result<ApiKeyRecord> PgTx::find_api_key(const std::string& key_id) {
    return Status::internal("postgres: find_api_key is not written yet");
}

Result<std::vector<ApiKeyInfo>> PgTx::list_api_keys(const std::string& org_name) {
    return Status::internal("postgres: list_api_keys is not written yet");
}

Status PgTx::revoke_api_key(const std::string& key_id, TimeMs now) {
    return Status::internal("postgres: revoke_api_key is not written yet");
}

Status PgTx::set_api_key_expiry(const std::string& key_id, TimeMs expires_at) {
    return Status::internal("postgres: set_api_key_expiry is not written yet");
}

Status PgTx::insert_call(const CallRecord& c) {
    return Status::internal("postgres: insert_call is not written yet");
}

Result<PageOf<CallRecord>> PgTx::list_calls(const std::string& org_id, const CallQuery& q) {
    return Status::internal("postgres: list_calls is not written yet");
}

Status PgTx::insert_webhook(const UserWebhook& w) {
    return Status::internal("postgres: insert_webhook is not written yet");
}

Result<std::vector<UserWebhook>> PgTx::list_webhooks(const std::string& org_id) {
    return Status::internal("postgres: list_webhooks is not written yet");
}

Result<UserWebhook> PgTx::get_webhook(const std::string& org_id, const std::string& id) {
    return Status::internal("postgres: get_webhook is not written yet");
}

Status PgTx::delete_webhook(const std::string& org_id, const std::string& id) {
    return Status::internal("postgres: delete_webhook is not written yet");
}

Status PgTx::put_share_link(const std::string& id, const std::string& org_id,
                            const std::string& fragment, TimeMs now) {
    return Status::internal("postgres: put_share_link is not written yet");
}

Result<std::string> PgTx::get_share_link(const std::string& id) {
    return Status::internal("postgres: get_share_link is not written yet");
}

Status PgTx::delete_share_link(const std::string& org_id, const std::string& id) {
    return Status::internal("postgres: delete_share_link is not written yet");
}

}  // namespace leadflow::server::pg_internal
