// server/http/auth.hpp — API keys (creation, verification) and the per-key rate limiter.
//
// A key is "key_id:secret". Only sha256(salt + secret) is stored (with a random salt per key),
// so a copy of the database does not reveal usable keys.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "leadflow/model.hpp"
#include "leadflow/status.hpp"
#include "store/store.hpp"

namespace leadflow::server {

struct CreatedKey {
    std::string key;  // "key_id:secret", shown once
    std::string key_id;
    Organization organization;
};

// Creates organization `org_name` if it does not exist yet and a new key for it. Fails with
// kInvalidArgument for an empty or over-long (> 100 characters) name, kInternal on storage errors.
Result<CreatedKey> create_api_key(Store& store, const std::string& org_name, TimeMs now);

// Verifies Authorization headers. Thread-safe; caches verified keys (keys are never changed
// once created, so the cache cannot go stale).
class Authenticator {
  public:
    explicit Authenticator(Store& store) : store_(store) {}

    // The key record for an "Authorization: Bearer key_id:secret" header value. Fails with
    // kInvalidArgument describing the problem (missing, malformed, unknown or wrong secret);
    // the caller answers 401 for every failure.
    Result<ApiKeyRecord> authenticate(const std::string& authorization_header);

  private:
    Store& store_;
    std::mutex mu_;
    std::unordered_map<std::string, ApiKeyRecord> cache_;
};

// A token bucket per key: `rate` requests per second, bursts up to `rate` (at least 1).
class RateLimiter {
  public:
    // rate <= 0 disables limiting.
    explicit RateLimiter(double rate) : rate_(rate) {}

    // 0 when the request may proceed (a token is taken); otherwise the whole seconds to wait
    // before a token is available (≥ 1), for Retry-After.
    int acquire(const std::string& key_id, TimeMs now_ms);

  private:
    struct Bucket {
        double tokens = 0;
        TimeMs last = 0;
    };
    double rate_;
    std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace leadflow::server
