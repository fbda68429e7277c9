// server/http/auth.hpp — API keys (creation, rotation, revocation, verification) and the
// per-key rate limiter.
//
// A key is "key_id:secret". Only sha256(salt + secret) is stored (with a random salt per key),
// so a copy of the database does not reveal usable keys. A key may expire (expires_at), be
// revoked (revoked_at) and be read-only; the Authenticator reads the key's row on every request,
// so a change made by `leadflow-server keys revoke|rotate` (another process) applies to the
// next request of a running server.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
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
    std::optional<TimeMs> expires_at;
    bool read_only = false;
};

struct KeyOptions {
    std::optional<TimeMs> expires_at;  // nullopt = never expires
    bool read_only = false;
};

// Creates organization `org_name` if it does not exist yet and a new key for it. Fails with
// kInvalidArgument for an empty or over-long (> 100 characters) name, kInternal on storage errors.
Result<CreatedKey> create_api_key(Store& store, const std::string& org_name, TimeMs now,
                                  const KeyOptions& options = {});

// Revokes key `key_id` at `now` (idempotent). kNotFound for an unknown key.
Status revoke_api_key(Store& store, const std::string& key_id, TimeMs now);

// A new key for the organization of key `key_id`, read-only when that one is, expiring at
// `options.expires_at`; the old key then expires at now + overlap_ms (or earlier, if it already
// expired earlier). In one transaction. kNotFound for an unknown key, kFailedPrecondition for
// a revoked one.
Result<CreatedKey> rotate_api_key(Store& store, const std::string& key_id, TimeMs now,
                                  TimeMs overlap_ms, const KeyOptions& options = {});

// Verifies Authorization headers. Thread-safe. Every call reads the key's row (one indexed
// lookup on a pooled read connection), so revocation and expiry changes made by another process
// (`leadflow-server keys revoke|rotate`) apply to the next request; nothing is cached.
class Authenticator {
  public:
    explicit Authenticator(Store& store) : store_(store) {}

    // The key record for an "Authorization: Bearer key_id:secret" header value, checked at
    // wall-clock time `now`. Fails with kInvalidArgument when the header is missing or
    // malformed, the key unknown or the secret wrong (all three "Invalid API key"), and with
    // kFailedPrecondition ("API key has been revoked" / "API key has expired") only when the
    // secret is right; the caller answers 401 for both. Storage failures pass through.
    //
    // A verified key is kept in memory only while the store's commit_counter() stays the same,
    // so a key revoked or rotated by `leadflow-server keys` (another process) is refused from
    // the next request on, and a request on a quiet database costs no key read.
    Result<ApiKeyRecord> authenticate(const std::string& authorization_header, TimeMs now);

  private:
    static constexpr std::size_t kMaxVerifiedKeys = 10000;
    Status read_key(const std::string& key_id, ApiKeyRecord* key);

    struct Verified {
        ApiKeyRecord key;
        std::string secret;  // the secret that matched key.secret_hash
        std::int64_t counter = 0;
    };
    Store& store_;
    std::mutex mu_;
    std::unordered_map<std::string, Verified> verified_;  // by key id, bounded
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
