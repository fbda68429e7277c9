// server/http/auth.cpp
#include "http/auth.hpp"

#include <algorithm>
#include <cmath>

#include "util/crypto.hpp"

namespace leadflow::server {

Result<CreatedKey> create_api_key(Store& store, const std::string& org_name, TimeMs now) {
    if (org_name.empty()) return Status::invalid("organization name must not be empty");
    if (org_name.size() > 100) return Status::invalid("organization name is over 100 characters");
    CreatedKey out;
    ApiKeyRecord key;
    key.id = new_id("key_");
    key.salt = random_hex(16);
    const std::string secret = random_hex(32);
    key.secret_hash = sha256_hex(key.salt + secret);
    key.created_at = now;
    Status st = store.transact([&](StoreTx& tx) {
        auto org = tx.ensure_organization(org_name, new_id("org_"), now);
        if (!org.ok()) return org.status();
        out.organization = org.value();
        key.organization_id = org->id;
        return tx.insert_api_key(key);
    });
    if (!st) return st;
    out.key_id = key.id;
    out.key = key.id + ":" + secret;
    return out;
}

Result<ApiKeyRecord> Authenticator::authenticate(const std::string& header) {
    const std::string kBearer = "Bearer ";
    if (header.size() <= kBearer.size() ||
        !std::equal(kBearer.begin(), kBearer.end(), header.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
        return Status::invalid("Authorization must be 'Bearer <key_id>:<secret>'");
    }
    std::string token = header.substr(kBearer.size());
    while (!token.empty() && token.back() == ' ') token.pop_back();
    auto colon = token.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == token.size()) {
        return Status::invalid("API key must be '<key_id>:<secret>'");
    }
    const std::string key_id = token.substr(0, colon);
    const std::string secret = token.substr(colon + 1);
    ApiKeyRecord key;
    bool cached = false;
    {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = cache_.find(key_id);
        if (it != cache_.end()) {
            key = it->second;
            cached = true;
        }
    }
    if (!cached) {
        Status st = store_.read([&](StoreTx& tx) {
            auto k = tx.find_api_key(key_id);
            if (!k.ok()) return k.status();
            key = k.value();
            return Status::ok();
        });
        if (!st) {
            if (st.code() == StatusCode::kNotFound) return Status::invalid("Invalid API key");
            return st;
        }
    }
    if (!constant_time_equal(sha256_hex(key.salt + secret), key.secret_hash)) {
        return Status::invalid("Invalid API key");
    }
    if (!cached) {
        std::lock_guard<std::mutex> lock(mu_);
        cache_.emplace(key_id, key);
    }
    return key;
}

int RateLimiter::acquire(const std::string& key_id, TimeMs now_ms) {
    if (rate_ <= 0) return 0;
    const double capacity = std::max(1.0, rate_);
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, inserted] = buckets_.try_emplace(key_id, Bucket{capacity, now_ms});
    Bucket& b = it->second;
    if (!inserted && now_ms > b.last) {
        b.tokens =
            std::min(capacity, b.tokens + static_cast<double>(now_ms - b.last) / 1000.0 * rate_);
        b.last = now_ms;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    double wait_s = (1.0 - b.tokens) / rate_;
    return std::max(1, static_cast<int>(std::ceil(wait_s)));
}

}  // namespace leadflow::server
