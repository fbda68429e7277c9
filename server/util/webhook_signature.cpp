// server/util/webhook_signature.cpp — Standard Webhooks signing and verification (OpenSSL).
#include "util/webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <vector>

#include "util/crypto.hpp"

namespace leadflow::server {

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        // '=' only as padding: in the last two places, and never before a non-'='.
        const bool pad =
            c == '=' && i + 2 >= text.size() && (i + 1 == text.size() || text[i + 1] == '=');
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && !pad) {
            return std::nullopt;
        }
    }
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock counts padding as zero bytes: drop one per '='.
    std::size_t pad = 0;
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) ++pad;
    if (pad > 2) return std::nullopt;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

std::optional<std::string> webhook_key(const std::string& secret) {
    static const std::string kPrefix = "whsec_";
    if (secret.rfind(kPrefix, 0) == 0) return base64_decode(secret.substr(kPrefix.size()));
    return secret;
}

std::string new_webhook_secret() {
    const std::string hex = random_hex(32);
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return "whsec_" + base64_encode(bytes);
}

std::string webhook_signature(const std::string& secret, const std::string& id,
                              std::int64_t timestamp_s, std::string_view body) {
    const std::string key = webhook_key(secret).value_or(secret);
    std::string content = id + "." + std::to_string(timestamp_s) + ".";
    content.append(body.data(), body.size());
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(content.data()), content.size(), md, &len);
    return "v1," + base64_encode(std::string_view(reinterpret_cast<const char*>(md), len));
}

WebhookHeaders sign_webhook(const std::string& secret, const std::string& id, std::int64_t now_s,
                            std::string_view body) {
    return {id, std::to_string(now_s), webhook_signature(secret, id, now_s, body)};
}

Status verify_webhook(const std::string& secret, const WebhookHeaders& h, std::string_view body,
                      std::int64_t now_s, std::int64_t tolerance_s) {
    if (secret.empty() || !webhook_key(secret)) {
        return Status::invalid("no webhook secret is configured on this server");
    }
    if (h.id.empty() || h.timestamp.empty() || h.signature.empty()) {
        return Status::invalid("missing webhook-id, webhook-timestamp or webhook-signature header");
    }
    if (h.id.size() > 256) return Status::invalid("webhook-id is longer than 256 characters");
    if (h.timestamp.size() > 12 ||
        h.timestamp.find_first_not_of("0123456789") != std::string::npos) {
        return Status::invalid("webhook-timestamp must be unix seconds");
    }
    const std::int64_t ts = std::stoll(h.timestamp);
    if (ts < now_s - tolerance_s || ts > now_s + tolerance_s) {
        return Status::invalid("webhook-timestamp is outside the tolerance of " +
                               std::to_string(tolerance_s) + " s");
    }
    const std::string expected = webhook_signature(secret, h.id, ts, body);
    std::size_t i = 0;
    int candidates = 0;
    while (i < h.signature.size() && candidates < 16) {
        std::size_t sp = h.signature.find(' ', i);
        std::string one = h.signature.substr(i, sp == std::string::npos ? sp : sp - i);
        i = sp == std::string::npos ? h.signature.size() : sp + 1;
        if (one.rfind("v1,", 0) != 0) continue;  // other schemes (v1a, …) are not ours
        ++candidates;
        if (constant_time_equal(one, expected)) return Status::ok();
    }
    return Status::invalid("webhook-signature does not match");
}

Status WebhookReplayGuard::remember(const std::string& id, std::int64_t timestamp_s,
                                    std::int64_t now_s) {
    std::lock_guard<std::mutex> lock(mu_);
    while (!order_.empty() && order_.front().first <= now_s) {
        auto it = expiry_.find(order_.front().second);
        if (it != expiry_.end() && it->second == order_.front().first) expiry_.erase(it);
        order_.pop_front();
    }
    if (auto it = expiry_.find(id); it != expiry_.end() && it->second > now_s) {
        return Status::conflict("webhook-id " + id.substr(0, 64) +
                                " was already used: each message needs a new webhook-id");
    }
    if (expiry_.size() >= capacity_) {
        return Status::precondition("too many recent webhook messages; retry later");
    }
    // An id is kept until its timestamp can no longer pass the tolerance check, and at least
    // `window_s` from now (a timestamp from the future is accepted within the tolerance too).
    const std::int64_t expires = std::max(timestamp_s, now_s) + window_s_;
    expiry_[id] = expires;
    // Expiry times are not monotonic in arrival order; the deque is kept sorted by inserting
    // from the back (ids arrive with near-current timestamps, so this walks a few entries).
    auto pos = order_.end();
    while (pos != order_.begin() && std::prev(pos)->first > expires) --pos;
    order_.insert(pos, {expires, id});
    return Status::ok();
}

std::size_t WebhookReplayGuard::size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return expiry_.size();
}

}  // namespace leadflow::server
