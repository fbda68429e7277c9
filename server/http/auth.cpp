// server/http/auth.cpp
#include "http/auth.hpp"

#include <algorithm>
#include <cmath>

#include "util/crypto.hpp"

namespace leadflow::server {
namespace {

// Inserts a new key for organization `org_id` with `options` in `tx` and fills *out (all but
// the organization).
Status insert_new_key(StoreTx& tx, const std::string& org_id, TimeMs now, const KeyOptions& options,
                      CreatedKey* out) {
    ApiKeyRecord key;
    key.id = new_id("key_");
    key.organization_id = org_id;
    key.salt = random_hex(16);
    const std::string secret = random_hex(32);
    key.secret_hash = sha256_hex(key.salt + secret);
    key.created_at = now;
    key.expires_at = options.expires_at;
    key.read_only = options.read_only;
    if (Status st = tx.insert_api_key(key); !st) return st;
    out->key_id = key.id;
    out->key = key.id + ":" + secret;
    out->expires_at = key.expires_at;
    out->read_only = key.read_only;
    return Status::ok();
}

}  // namespace

Result<CreatedKey> create_api_key(Store& store, const std::string& org_name, TimeMs now,
                                  const KeyOptions& options) {
    if (org_name.empty()) return Status::invalid("organization name must not be empty");
    if (org_name.size() > 100) return Status::invalid("organization name is over 100 characters");
    CreatedKey out;
    Status st = store.transact([&](StoreTx& tx) {
        auto org = tx.ensure_organization(org_name, new_id("org_"), now);
        if (!org.ok()) return org.status();
        out.organization = org.value();
        return insert_new_key(tx, org->id, now, options, &out);
    });
    if (!st) return st;
    return out;
}

Status revoke_api_key(Store& store, const std::string& key_id, TimeMs now) {
    return store.transact([&](StoreTx& tx) { return tx.revoke_api_key(key_id, now); });
}

Result<CreatedKey> rotate_api_key(Store& store, const std::string& key_id, TimeMs now,
                                  TimeMs overlap_ms, const KeyOptions& options) {
    CreatedKey out;
    Status st = store.transact([&](StoreTx& tx) {
        auto old = tx.find_api_key(key_id);
        if (!old.ok()) return old.status();
        if (old->revoked_at) {
            return Status::precondition("API key " + key_id +
                                        " is revoked; create a new key with keys create");
        }
        out.organization.id = old->organization_id;
        KeyOptions o = options;
        o.read_only = old->read_only;
        if (Status s = insert_new_key(tx, old->organization_id, now, o, &out); !s) return s;
        const TimeMs old_end = now + std::max<TimeMs>(0, overlap_ms);
        if (!old->expires_at || *old->expires_at > old_end) {
            return tx.set_api_key_expiry(key_id, old_end);
        }
        return Status::ok();
    });
    if (!st) return st;
    return out;
}

Result<ApiKeyRecord> Authenticator::authenticate(const std::string& header, TimeMs now) {
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
    const std::optional<std::int64_t> counter = store_.commit_counter();
    ApiKeyRecord key;
    bool cached = false;
    if (counter) {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = verified_.find(key_id);
        if (it != verified_.end() && it->second.counter == *counter &&
            constant_time_equal(it->second.secret, secret)) {
            key = it->second.key;
            cached = true;
        }
    }
    if (!cached) {
        Status st = read_key(key_id, &key);
        if (!st) {
            if (st.code() == StatusCode::kNotFound) return Status::invalid("Invalid API key");
            return st;
        }
        if (!constant_time_equal(sha256_hex(key.salt + secret), key.secret_hash)) {
            return Status::invalid("Invalid API key");
        }
        if (counter) {
            std::lock_guard<std::mutex> lock(mu_);
            if (verified_.size() >= kMaxVerifiedKeys) verified_.clear();
            verified_[key_id] = Verified{key, secret, *counter};
        }
    }
    // Only a caller holding the secret learns why a real key is refused.
    if (key.revoked_at && *key.revoked_at <= now) {
        return Status::precondition("API key has been revoked");
    }
    if (key.expires_at && *key.expires_at <= now) {
        return Status::precondition("API key has expired");
    }
    return key;
}

Status Authenticator::read_key(const std::string& key_id, ApiKeyRecord* key) {
    return store_.read([&](StoreTx& tx) {
        auto k = tx.find_api_key(key_id);
        if (!k.ok()) return k.status();
        *key = std::move(k).value();
        return Status::ok();
    });
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
