// API keys through App::handle with a fake clock: revocation applies to the next request,
// rotation keeps the old key for the overlap window, expiry, read-only keys, and the 401/403
// messages (which never tell a caller without the secret anything about a key).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>

#include "http/auth.hpp"
#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

using ApiKeysTest = ApiTest;

std::string key_id_of(const std::string& key) {
    return key.substr(0, key.find(':'));
}

std::string message_of(const Response& r) {
    return body_of(r)["message"].get<std::string>();
}

TEST_F(ApiKeysTest, RevokedKeyIsRefusedAtTheNextRequest) {
    ASSERT_EQ(get("/v1/workflows").status, 200);  // verified once (and formerly cached)
    ASSERT_TRUE(revoke_api_key(*store_, key_id_of(key_a_), now_));
    Response r = get("/v1/workflows");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(message_of(r), "API key has been revoked");
    // The other organization's key is untouched.
    EXPECT_EQ(get("/v1/workflows", key_b_).status, 200);
    // A wrong secret for the revoked key learns nothing about it.
    Response wrong = get("/v1/workflows", key_id_of(key_a_) + ":" + std::string(64, '0'));
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(message_of(wrong), "Invalid API key");
}

TEST_F(ApiKeysTest, ExpiredKeyIsRefused) {
    KeyOptions o;
    o.expires_at = now_ + 60000;
    auto k = create_api_key(*store_, "acme", now_, o);
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(get("/v1/workflows", k->key).status, 200);
    now_ += 59999;
    EXPECT_EQ(get("/v1/workflows", k->key).status, 200);
    now_ += 1;
    Response r = get("/v1/workflows", k->key);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(message_of(r), "API key has expired");
}

TEST_F(ApiKeysTest, RotationKeepsTheOldKeyForTheOverlapThenExpiresIt) {
    auto rotated = rotate_api_key(*store_, key_id_of(key_a_), now_, 3600000);
    ASSERT_TRUE(rotated.ok()) << rotated.status().message();
    EXPECT_NE(rotated->key, key_a_);
    // Same organization: the new key sees the old key's workflows.
    const std::string wf = make_workflow();
    EXPECT_EQ(get("/v1/workflows/" + wf, rotated->key).status, 200);
    now_ += 3599999;
    EXPECT_EQ(get("/v1/workflows/" + wf).status, 200);
    now_ += 1;
    EXPECT_EQ(message_of(get("/v1/workflows/" + wf)), "API key has expired");
    EXPECT_EQ(get("/v1/workflows/" + wf, rotated->key).status, 200);
    // A revoked key cannot be rotated; an unknown one is not found.
    ASSERT_TRUE(revoke_api_key(*store_, rotated->key_id, now_));
    EXPECT_EQ(rotate_api_key(*store_, rotated->key_id, now_, 0).status().code(),
              StatusCode::kFailedPrecondition);
    EXPECT_EQ(rotate_api_key(*store_, "key_nope", now_, 0).status().code(), StatusCode::kNotFound);
}

TEST_F(ApiKeysTest, ReadOnlyKeyMayOnlyRead) {
    KeyOptions o;
    o.read_only = true;
    auto k = create_api_key(*store_, "acme", now_, o);
    ASSERT_TRUE(k.ok());
    const std::string wf = make_workflow();
    EXPECT_EQ(get("/v1/workflows/" + wf, k->key).status, 200);
    EXPECT_EQ(get("/metrics", k->key).status, 200);
    const std::pair<const char*, std::string> writes[] = {{"POST", "/v1/workflows"},
                                                          {"PATCH", "/v1/workflows/" + wf},
                                                          {"PUT", "/v1/workflows/" + wf + "/graph"},
                                                          {"DELETE", "/v1/workflows/" + wf}};
    for (const auto& [method, path] : writes) {
        Response r = send(method, path, "{}", "application/json", k->key);
        EXPECT_EQ(r.status, 403) << method;
        EXPECT_EQ(body_of(r)["error"], "Forbidden");
        EXPECT_NE(message_of(r).find("read-only"), std::string::npos);
    }
    EXPECT_EQ(get("/v1/workflows/" + wf).status, 200);  // the workflow is untouched
    // Rotating a read-only key gives a read-only key.
    auto rotated = rotate_api_key(*store_, k->key_id, now_, 0);
    ASSERT_TRUE(rotated.ok());
    EXPECT_TRUE(rotated->read_only);
    EXPECT_EQ(post("/v1/workflows", Json{{"title", "x"}}, rotated->key).status, 403);
}

TEST_F(ApiKeysTest, ListShowsEveryKeyWithoutSecrets) {
    ASSERT_TRUE(revoke_api_key(*store_, key_id_of(key_b_), now_));
    std::vector<ApiKeyInfo> all, acme;
    ASSERT_TRUE(store_->read([&](StoreTx& tx) {
        all = tx.list_api_keys("").value();
        acme = tx.list_api_keys("acme").value();
        EXPECT_EQ(tx.list_api_keys("nobody").status().code(), StatusCode::kNotFound);
        return Status::ok();
    }));
    ASSERT_EQ(all.size(), 2u);
    ASSERT_EQ(acme.size(), 1u);
    EXPECT_EQ(acme[0].key.id, key_id_of(key_a_));
    EXPECT_EQ(acme[0].organization_name, "acme");
    EXPECT_FALSE(acme[0].key.revoked_at.has_value());
    EXPECT_EQ(all[1].key.revoked_at, now_);
}

// What App::handle writes to stderr while `fn` runs.
std::string captured_stderr(const std::string& dir, const std::function<void()>& fn) {
    const std::string file = dir + "/stderr.txt";
    std::fflush(stderr);
    const int saved = dup(STDERR_FILENO);
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, STDERR_FILENO);
    close(fd);
    fn();
    std::fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    std::ifstream f(file, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

TEST_F(ApiKeysTest, TheRefusalLogEscapesTheRequestPath) {
    ASSERT_TRUE(revoke_api_key(*store_, key_id_of(key_a_), now_));
    const std::string err = captured_stderr(dir_.path(), [&] {
        EXPECT_EQ(get("/v1/workflows/x\nleadflow-server: forged\r\x1b[2J").status, 401);
        // The same key again within a minute: refused, not logged again.
        mono_ += 59000;
        EXPECT_EQ(get("/v1/workflows/again").status, 401);
    });
    EXPECT_NE(err.find("GET /v1/workflows/x\\x0aleadflow-server: forged\\x0d\\x1b[2J\n"),
              std::string::npos)
        << err;
    std::istringstream lines(err);
    int n = 0;
    for (std::string line; std::getline(lines, line); ++n) {
        EXPECT_EQ(line.rfind("leadflow-server: refused API key ", 0), 0u) << line;
    }
    EXPECT_EQ(n, 1) << err;
    // A minute after the logged one: logged again.
    mono_ += 1000;
    const std::string later =
        captured_stderr(dir_.path(), [&] { EXPECT_EQ(get("/v1/workflows/later").status, 401); });
    EXPECT_NE(later.find("GET /v1/workflows/later"), std::string::npos) << later;
}

}  // namespace
}  // namespace leadflow::server::testing
