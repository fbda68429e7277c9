// server/util/webhook_signature.hpp — the Standard Webhooks signature scheme for every signed
// request the server sends (call dispatches, user webhooks) and receives (call results):
//   webhook-id:        a unique message id (the same for retries of one message)
//   webhook-timestamp: unix seconds when this attempt was signed
//   webhook-signature: "v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>";
//                      several space-separated signatures are allowed, any one may match.
// The key: a secret written "whsec_<base64>" is the bytes that base64 decodes to (the form the
// scheme's published libraries take); any other secret is used as its raw bytes (to verify it
// with those libraries, give them "whsec_" + base64(secret)).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "leadflow/status.hpp"

namespace leadflow::server {

// Standard base64 with padding, and its inverse (nullopt for malformed text).
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// The HMAC key of `secret` (see the file comment); nullopt for "whsec_" with bad base64.
std::optional<std::string> webhook_key(const std::string& secret);

// A new secret: "whsec_" + base64 of 32 random bytes (what the server generates for a user
// webhook created without one).
std::string new_webhook_secret();

// "v1,<base64 signature>" of one message.
std::string webhook_signature(const std::string& secret, const std::string& id,
                              std::int64_t timestamp_s, std::string_view body);

struct WebhookHeaders {
    std::string id, timestamp, signature;
};

// The three headers for sending `body` now: webhook-id, webhook-timestamp, webhook-signature.
WebhookHeaders sign_webhook(const std::string& secret, const std::string& id, std::int64_t now_s,
                            std::string_view body);

// Verifies a received message: every header present, the timestamp an integer within
// `tolerance_s` of `now_s` (either way), and one of the v1 signatures matching (compared in
// constant time). kInvalidArgument with a message naming what failed otherwise (the HTTP layer
// answers 401).
Status verify_webhook(const std::string& secret, const WebhookHeaders& h, std::string_view body,
                      std::int64_t now_s, std::int64_t tolerance_s = 300);

// Message ids seen within the tolerance window, so a captured message cannot be replayed.
// Memory is bounded: at most `capacity` ids; an id expires `window_s` after its timestamp.
class WebhookReplayGuard {
  public:
    explicit WebhookReplayGuard(std::size_t capacity = 100000, std::int64_t window_s = 600)
        : capacity_(capacity), window_s_(window_s) {}
    // Records `id` (its message timestamp `timestamp_s`). kConflict when the id was seen and
    // has not expired; kFailedPrecondition when `capacity` unexpired ids are held (the sender
    // should retry later: ids are never dropped before they expire, so none can be replayed).
    Status remember(const std::string& id, std::int64_t timestamp_s, std::int64_t now_s);
    std::size_t size() const;

  private:
    std::size_t capacity_;
    std::int64_t window_s_;
    mutable std::mutex mu_;
    std::unordered_map<std::string, std::int64_t> expiry_;    // id → expires at (unix s)
    std::deque<std::pair<std::int64_t, std::string>> order_;  // (expires at, id), oldest first
};

}  // namespace leadflow::server
