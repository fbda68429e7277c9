// tests/hostile/outbound_units_test.cpp — the outbound checks that need no socket: which
// destinations are internal in every spelling, Standard Webhooks signatures against the
// published vector (and their verification: tolerance, replay), and Retry-After parsing.
// The same attacks through real sockets are in outbound_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "runtime/outbound.hpp"
#include "runtime/outbox.hpp"
#include "util/webhook_signature.hpp"

namespace leadflow::server::testing {
namespace {

TEST(OutboundPolicy, InternalAddressKindsInEveryForm) {
    const std::map<std::string, std::string> kinds{
        {"127.0.0.1", "loopback"},
        {"127.255.1.2", "loopback"},
        {"::1", "loopback"},
        {"::ffff:127.0.0.1", "loopback"},
        {"0.0.0.0", "unspecified"},
        {"::", "unspecified"},
        {"10.1.2.3", "private"},
        {"172.16.0.1", "private"},
        {"172.31.255.255", "private"},
        {"192.168.1.1", "private"},
        {"::ffff:10.0.0.1", "private"},
        {"fc00::1", "private"},
        {"fd12:3456::1", "private"},
        {"100.64.0.1", "shared address space"},
        {"169.254.169.254", "link-local"},
        {"::ffff:169.254.169.254", "link-local"},
        {"fe80::1", "link-local"},
        {"224.0.0.1", "multicast"},
        {"ff02::1", "multicast"},
        {"255.255.255.255", "reserved"},
        {"64:ff9b::7f00:1", "loopback"},
        {"2002:7f00:1::", "loopback"},
        // Public addresses (classified only; nothing is sent to them).
        {"8.8.8.8", ""},
        {"172.32.0.1", ""},
        {"100.128.0.1", ""},
        {"2606:4700::1111", ""},
        {"::ffff:8.8.8.8", ""},
    };
    for (const auto& [ip, kind] : kinds) EXPECT_EQ(internal_address_kind(ip), kind) << ip;
}

TEST(WebhookSignature, MatchesThePublishedStandardWebhooksVector) {
    // The scheme's published test vector (the libraries' own tests), recomputed independently
    // with python3 hmac/hashlib/base64 when this file was written.
    EXPECT_EQ(
        webhook_signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                          1614265330, R"({"test": 2432232314})"),
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    // A secret without the whsec_ prefix is its own raw bytes (python3:
    // hmac.new(b"plain-secret", b'msg_raw.1700000000.{"status":"completed"}', sha256)).
    EXPECT_EQ(webhook_signature("plain-secret", "msg_raw", 1700000000, R"({"status":"completed"})"),
              "v1,N2TyzqO2KFId/DV3FAMiuPbYgOt1GyPUHoXr1EHHbJ8=");
    EXPECT_EQ(base64_decode(base64_encode("ab")).value(), "ab");
    EXPECT_FALSE(base64_decode("a=b=").has_value()) << "padding only at the end";
    EXPECT_EQ(base64_decode("YQ==").value(), "a");
    EXPECT_FALSE(webhook_key("whsec_not base64!").has_value());
    EXPECT_EQ(new_webhook_secret().rfind("whsec_", 0), 0u);
    EXPECT_EQ(webhook_key(new_webhook_secret())->size(), 32u);
}

TEST(WebhookSignature, VerifyChecksTimestampSignatureAndReplay) {
    const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const std::int64_t now = 1700000000;
    WebhookHeaders h = sign_webhook(secret, "msg_1", now, "{}");
    EXPECT_TRUE(verify_webhook(secret, h, "{}", now).is_ok());
    EXPECT_TRUE(verify_webhook(secret, h, "{}", now + 299).is_ok());
    EXPECT_FALSE(verify_webhook(secret, h, "{}", now + 301).is_ok()) << "stale";
    EXPECT_FALSE(verify_webhook(secret, h, "{}", now - 301).is_ok()) << "from the future";
    EXPECT_FALSE(verify_webhook(secret, h, "{ }", now).is_ok()) << "another body";
    WebhookHeaders other = h;
    other.id = "msg_2";
    EXPECT_FALSE(verify_webhook(secret, other, "{}", now).is_ok()) << "another id";
    WebhookHeaders several = h;
    several.signature = "v1,AAAA v1a,xyz " + h.signature;
    EXPECT_TRUE(verify_webhook(secret, several, "{}", now).is_ok()) << "any listed signature";
    EXPECT_FALSE(verify_webhook(secret, WebhookHeaders{}, "{}", now).is_ok());
    EXPECT_FALSE(verify_webhook("", h, "{}", now).is_ok()) << "no secret configured";

    WebhookReplayGuard guard(3, 600);
    EXPECT_TRUE(guard.remember("a", now, now).is_ok());
    EXPECT_EQ(guard.remember("a", now, now + 10).code(), StatusCode::kConflict);
    EXPECT_TRUE(guard.remember("b", now, now).is_ok());
    EXPECT_TRUE(guard.remember("c", now, now).is_ok());
    EXPECT_EQ(guard.remember("d", now, now).code(), StatusCode::kFailedPrecondition)
        << "full of unexpired ids: refuse rather than forget one";
    EXPECT_TRUE(guard.remember("d", now + 700, now + 700).is_ok()) << "expired ids are dropped";
    EXPECT_EQ(guard.size(), 1u);
}

TEST(OutboxRetry, RetryAfterDeltaSecondsAndHttpDate) {
    EXPECT_EQ(retry_after_ms("", 0), -1);
    EXPECT_EQ(retry_after_ms("2", 0), 2000);
    EXPECT_EQ(retry_after_ms("soon", 0), -1);
    // Thu, 01 Jan 1970 00:00:10 GMT is 10 s after the epoch.
    EXPECT_EQ(retry_after_ms("Thu, 01 Jan 1970 00:00:10 GMT", 4000), 6000);
}

// [SECTION] SSRF and request hygiene (send_outbound, in process, real sockets)

}  // namespace
}  // namespace leadflow::server::testing
