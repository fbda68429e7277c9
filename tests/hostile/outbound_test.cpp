// tests/hostile/outbound_test.cpp — outbound HTTP and webhook signatures under attack (issue 14
// items 5, 8, 10), through real sockets on 127.0.0.1: SSRF to loopback in every spelling the
// resolver accepts (refused by default, no connection made; allowed only when named), CR/LF
// and framing headers (refused, no second request), one tenant's slow endpoint (another
// tenant's delivery does not wait), retry rules (400 once, 503 retried, 429 Retry-After
// honoured), and Standard Webhooks signatures on dispatches, results and user webhooks (replay
// to another call, stale timestamps and reused ids refused; a published test vector matched).
#include "runtime/outbound.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_receiver.hpp"
#include "leadflow/json.hpp"
#include "process_test_util.hpp"
#include "runtime/outbox.hpp"
#include "server_test_util.hpp"
#include "util/webhook_signature.hpp"

namespace leadflow::server::testing {
namespace {

// The settings of a workflow whose calls run at any hour: new workflows hold calls for the
// leads' local hours (docs/calling-hours.md), which this file does not test.
const Json kAnyHour = {"settings", Json{{"respect_lead_local_time", false}}};

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Polls `done` every 20 ms until it holds or `limit` passes.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 30s) {
    const auto end = Clock::now() + limit;
    while (Clock::now() < end) {
        if (done()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return done();
}

// A raw TCP listener on 127.0.0.1 (and [::1] when the host has it) on one port: counts every
// accepted connection, records the bytes each sent, and answers each with one fixed 200
// response. Raw, so that a smuggled second request would be seen as such.
class RawListener {
  public:
    RawListener() {
        fd4_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd4_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof a;
        getsockname(fd4_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        listen(fd4_, 64);
        fd6_ = socket(AF_INET6, SOCK_STREAM, 0);
        if (fd6_ >= 0) {
            int one = 1;
            setsockopt(fd6_, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
            sockaddr_in6 b{};
            b.sin6_family = AF_INET6;
            b.sin6_addr = in6addr_loopback;
            b.sin6_port = htons(static_cast<std::uint16_t>(port_));
            if (bind(fd6_, reinterpret_cast<sockaddr*>(&b), sizeof b) != 0 ||
                listen(fd6_, 64) != 0) {
                close(fd6_);
                fd6_ = -1;
            }
        }
        thread_ = std::thread([this] { run(); });
    }
    ~RawListener() {
        stop_ = true;
        thread_.join();
        close(fd4_);
        if (fd6_ >= 0) close(fd6_);
    }
    int port() const { return port_; }
    int connections() const { return connections_.load(); }
    std::string received() {
        std::lock_guard<std::mutex> lock(mu_);
        return received_;
    }

  private:
    void run() {
        while (!stop_) {
            pollfd p[2] = {{fd4_, POLLIN, 0}, {fd6_, POLLIN, 0}};
            if (poll(p, fd6_ >= 0 ? 2 : 1, 50) <= 0) continue;
            for (auto& one : p) {
                if (one.fd < 0 || !(one.revents & POLLIN)) continue;
                int c = accept(one.fd, nullptr, nullptr);
                if (c < 0) continue;
                ++connections_;
                serve(c);
            }
        }
    }
    void serve(int c) {
        // Reads until the peer has sent one request head and its declared body, or is quiet.
        std::string in;
        char buf[4096];
        for (;;) {
            pollfd p{c, POLLIN, 0};
            if (poll(&p, 1, 500) <= 0) break;
            ssize_t n = read(c, buf, sizeof buf);
            if (n <= 0) break;
            in.append(buf, static_cast<std::size_t>(n));
            auto head = in.find("\r\n\r\n");
            if (head == std::string::npos) continue;
            std::size_t length = 0;
            auto cl = in.find("Content-Length: ");
            if (cl != std::string::npos && cl < head) length = std::stoul(in.substr(cl + 16));
            if (in.size() >= head + 4 + length) break;
        }
        {
            std::lock_guard<std::mutex> lock(mu_);
            received_ += in;
        }
        const std::string reply =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            "Connection: close\r\n\r\n{}";
        (void)!write(c, reply.data(), reply.size());
        close(c);
    }

    int fd4_ = -1, fd6_ = -1, port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    std::mutex mu_;
    std::string received_;
    std::thread thread_;
};

// [SECTION] Unit: address classes, the signature scheme

TEST(OutboundSsrf, LoopbackInEverySpellingIsRefusedWithoutAConnection) {
    RawListener target;
    const std::string p = std::to_string(target.port());
    OutboundPolicy policy;
    policy.timeout_ms = 2000;
    std::vector<std::string> hosts{"127.0.0.1", "127.0.0.2",  "localhost",  "foo.localhost",
                                   "[::1]",     "0x7f.1",     "2130706433", "[::ffff:127.0.0.1]",
                                   "127.1",     "0177.0.0.1", "0.0.0.0"};
    // A name that resolves to loopback without saying so (this host's own name, when
    // /etc/hosts maps it to 127.x): refused after resolution.
    char name[256] = {};
    addrinfo* ai = nullptr;
    if (gethostname(name, sizeof name - 1) == 0 && getaddrinfo(name, nullptr, nullptr, &ai) == 0) {
        bool loop = false;
        for (addrinfo* i = ai; i; i = i->ai_next) {
            loop =
                loop ||
                (i->ai_family == AF_INET &&
                 (ntohl(reinterpret_cast<sockaddr_in*>(i->ai_addr)->sin_addr.s_addr) >> 24) == 127);
        }
        freeaddrinfo(ai);
        if (loop) hosts.push_back(name);
    }
    for (const std::string& h : hosts) {
        OutboundResponse r =
            send_outbound(policy, "POST", "http://" + h + ":" + p + "/x", {}, "{}");
        EXPECT_EQ(r.status, 0) << h;
        EXPECT_TRUE(r.refused) << h << ": " << r.error;
        EXPECT_NE(r.error.find("is not allowed"), std::string::npos) << h << ": " << r.error;
        EXPECT_NE(r.error.find("--allow-outbound"), std::string::npos) << r.error;
    }
    OutboundResponse meta = send_outbound(policy, "GET", "http://169.254.169.254/latest", {}, "");
    EXPECT_TRUE(meta.refused);
    EXPECT_NE(meta.error.find("link-local"), std::string::npos) << meta.error;
    std::this_thread::sleep_for(100ms);  // a connection, had one been made, would be counted
    EXPECT_EQ(target.connections(), 0) << "no request may reach the listener";

    // Named by the operator, the same listener is reachable (the allow-list is explicit).
    policy.allowed = {"127.0.0.1:" + p};
    OutboundResponse ok = send_outbound(policy, "POST", "http://127.0.0.1:" + p + "/x", {}, "{}");
    EXPECT_EQ(ok.status, 200) << ok.error;
    EXPECT_EQ(target.connections(), 1);
    EXPECT_NE(target.received().find("Host: 127.0.0.1:" + p + "\r\n"), std::string::npos)
        << "the original Host is sent while connecting to the checked address";
    policy.allowed = {"127.0.0.1:1"};
    EXPECT_TRUE(send_outbound(policy, "POST", "http://127.0.0.1:" + p + "/x", {}, "").refused)
        << "the port is part of an allow-list entry";
}

TEST(OutboundHygiene, CrLfMethodsAndFramingHeadersAreRefusedAndNothingIsSent) {
    RawListener target;
    const std::string url = "http://127.0.0.1:" + std::to_string(target.port()) + "/hook";
    OutboundPolicy policy;
    policy.allowed = {"127.0.0.1"};
    policy.timeout_ms = 2000;
    using Headers = std::vector<std::pair<std::string, std::string>>;
    struct Case {
        std::string method;
        Headers headers;
    };
    const std::vector<Case> bad{
        {"POST /x HTTP/1.1\r\nHost: a\r\n\r\nDELETE /evil", {}},
        {"DELETE /evil", {}},
        {"TRACE", {}},
        {"CONNECT", {}},
        {"POST", {{"X-A", "1\r\n\r\nDELETE /evil HTTP/1.1"}}},
        {"POST", {{"X-A", "1\nX-Injected: 1"}}},
        {"POST", {{"X-A", std::string("a\0b", 3)}}},
        {"POST", {{"X A", "1"}}},
        {"POST", {{"X-A:\r\nX-B", "1"}}},
        {"POST", {{"Host", "internal.example"}}},
        {"POST", {{"content-length", "0"}}},
        {"POST", {{"Transfer-Encoding", "chunked"}}},
        {"POST", {{"Connection", "keep-alive"}}},
        {"POST", {{"Upgrade", "h2c"}}},
        {"POST", {{"TE", "trailers"}}},
        {"POST", {{"Proxy-Authorization", "x"}}},
    };
    for (const Case& c : bad) {
        OutboundResponse r = send_outbound(policy, c.method, url, c.headers, "{}");
        EXPECT_TRUE(r.refused) << c.method << " " << (c.headers.empty() ? "" : c.headers[0].first);
        EXPECT_EQ(r.status, 0);
        EXPECT_FALSE(r.error.empty());
    }
    EXPECT_TRUE(send_outbound(policy, "POST", url + "\r\nX: 1", {}, "").refused)
        << "control characters in the URL";
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(target.connections(), 0);
    // Allowed methods and plain headers go through, once.
    OutboundResponse ok = send_outbound(policy, "patch", url, {{"X-Tenant", "a b"}}, "{}");
    EXPECT_EQ(ok.status, 200) << ok.error;
    EXPECT_EQ(target.connections(), 1);
    const std::string got = target.received();
    EXPECT_EQ(got.rfind("PATCH /hook HTTP/1.1\r\n", 0), 0u) << got;
    EXPECT_EQ(got.find("HTTP/1.1", 30), std::string::npos) << "exactly one request: " << got;
}

// [SECTION] Through the real server process

class OutboundProcess : public ::testing::Test {
  protected:
    void start(std::vector<std::string> extra) {
        if (keys_.empty()) {
            keys_["a"] = create_key(db_, "tenant-a");
            keys_["b"] = create_key(db_, "tenant-b");
        }
        proc_.reset();
        std::vector<std::string> args{"serve", "--db", db_, "--port", "0", "--rate-limit", "0"};
        args.insert(args.end(), extra.begin(), extra.end());
        proc_ = std::make_unique<ServerProcess>(args);
        ASSERT_GT(proc_->port(), 0);
        client_ = std::make_unique<httplib::Client>("127.0.0.1", proc_->port());
        client_->set_read_timeout(30, 0);
    }
    httplib::Result raw(const std::string& method, const std::string& path, const Json& body,
                        const std::string& org = "a") {
        httplib::Headers h{{"Authorization", "Bearer " + keys_[org]}};
        const std::string text = body.is_null() ? "" : body.dump();
        return method == "GET"   ? client_->Get(path.c_str(), h)
               : method == "PUT" ? client_->Put(path.c_str(), h, text, "application/json")
                                 : client_->Post(path.c_str(), h, text, "application/json");
    }
    Json call(const std::string& method, const std::string& path, const Json& body = Json(),
              int expect = 0, const std::string& org = "a") {
        auto r = raw(method, path, body, org);
        EXPECT_TRUE(r) << method << " " << path;
        if (!r) return Json();
        if (expect) {
            EXPECT_EQ(r->status, expect) << method << " " << path << ": " << r->body;
        }
        Json j = Json::parse(r->body, nullptr, false);
        return j.is_discarded() ? Json(r->body) : j;
    }
    // A workflow APPLICATION(url) → CONVERTED on success, DROPPED on failure, with n leads.
    std::string app_workflow(const std::string& url, int n, const std::string& org = "a",
                             const Json& extra_config = Json::object()) {
        std::string wf =
            call("POST", "/v1/workflows", Json{{"title", "App"}, kAnyHour}, 201, org)["id"]
                .get<std::string>();
        Json ac{{"url", url}, {"body_template", "{\"to\": \"{{lead.phone_number}}\"}"}};
        ac.update(extra_config);
        std::string a = call("POST", "/v1/workflows/" + wf + "/nodes",
                             Json{{"node_type", "APPLICATION"},
                                  {"config", Json{{"provider_key", "webhook"},
                                                  {"action_key", "notify"},
                                                  {"action_config", ac}}}},
                             201, org)["id"]
                            .get<std::string>();
        std::string won = call("POST", "/v1/workflows/" + wf + "/nodes",
                               Json{{"node_type", "CONVERTED"}}, 201, org)["id"]
                              .get<std::string>();
        std::string lost = call("POST", "/v1/workflows/" + wf + "/nodes",
                                Json{{"node_type", "DROPPED"}}, 201, org)["id"]
                               .get<std::string>();
        call("POST", "/v1/workflows/" + wf + "/edges",
             Json{{"from_node_id", a}, {"to_node_id", won}, {"label", "success"}}, 201, org);
        call("POST", "/v1/workflows/" + wf + "/edges",
             Json{{"from_node_id", a}, {"to_node_id", lost}, {"label", "failure"}}, 201, org);
        Json leads = Json::array();
        for (int i = 0; i < n; ++i) {
            char phone[32];
            std::snprintf(phone, sizeof phone, "+1415%07d", 3000000 + i);
            leads.push_back(Json{{"phone_number", phone}});
        }
        if (n > 0) call("POST", "/v1/workflows/" + wf + "/leads", Json{{"leads", leads}}, 201, org);
        return wf;
    }
    Json counts(const std::string& wf, const std::string& org = "a") {
        return call("GET", "/v1/workflows/" + wf, Json(), 200, org)["lead_counts"];
    }
    bool finished(const std::string& wf, const std::string& org = "a") {
        return call("GET", "/v1/workflows/" + wf, Json(), 0, org)["status"] == "completed";
    }

    TempDir dir_;
    std::string db_ = dir_.path() + "/outbound.db";
    std::map<std::string, std::string> keys_;
    std::unique_ptr<ServerProcess> proc_;
    std::unique_ptr<httplib::Client> client_;
};

TEST_F(OutboundProcess, ApplicationWebhookToLoopbackIsRefusedUnlessTheOperatorNamesIt) {
    RawListener target;
    const std::string p = std::to_string(target.port());
    start({});
    std::vector<std::string> denied;
    for (const char* h : {"127.0.0.1", "localhost", "[::1]", "2130706433", "[::ffff:127.0.0.1]"}) {
        denied.push_back(app_workflow("http://" + std::string(h) + ":" + p + "/x", 1));
        call("POST", "/v1/workflows/" + denied.back() + "/activate", Json(), 200);
    }
    for (const auto& wf : denied) {
        ASSERT_TRUE(eventually([&] { return finished(wf); })) << wf;
        EXPECT_EQ(counts(wf)["dropped"], 1) << "the action failed";
    }
    EXPECT_EQ(target.connections(), 0);
    // The request hygiene is enforced when the node is saved.
    std::string wf = app_workflow("http://127.0.0.1:" + p + "/x", 0);
    auto bad = raw(
        "POST", "/v1/workflows/" + wf + "/nodes",
        Json{{"node_type", "APPLICATION"},
             {"config",
              Json{{"provider_key", "webhook"},
                   {"action_key", "x"},
                   {"action_config", Json{{"url", "http://a.example/"}, {"method", "TRACE"}}}}}});
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400) << bad->body;
    EXPECT_NE(bad->body.find("GET, POST, PUT, PATCH or DELETE"), std::string::npos) << bad->body;
    bad = raw("POST", "/v1/workflows/" + wf + "/nodes",
              Json{{"node_type", "APPLICATION"},
                   {"config",
                    Json{{"provider_key", "webhook"},
                         {"action_key", "x"},
                         {"action_config", Json{{"url", "http://a.example/"},
                                                {"headers", Json{{"X-A", "1\r\nHost: evil"}}}}}}}});
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400) << bad->body;
    EXPECT_NE(bad->body.find("CR, LF or NUL"), std::string::npos) << bad->body;

    start({"--allow-outbound", "127.0.0.1:" + p});
    std::string allowed = app_workflow("http://127.0.0.1:" + p + "/x", 1);
    call("POST", "/v1/workflows/" + allowed + "/activate", Json(), 200);
    ASSERT_TRUE(eventually([&] { return finished(allowed); }));
    EXPECT_EQ(counts(allowed)["completed"], 1);
    EXPECT_EQ(target.connections(), 1);
}

TEST_F(OutboundProcess, UserWebhookToAnUnnamedLoopbackPortIsNeverConnected) {
    RawListener target;    // not named: refused
    Receiver allowed{16};  // named with --allow-outbound 127.0.0.1:PORT
    std::atomic<int> delivered{0};
    allowed.server().Post("/hook", [&](const httplib::Request&, httplib::Response& res) {
        ++delivered;
        res.status = 200;
    });
    start({"--allow-outbound", "127.0.0.1:" + std::to_string(allowed.port())});
    const Json events = Json::array({"workflow.lead.completed"});
    // The refused hook is created first, so its delivery is queued first.
    call("POST", "/v1/user-webhooks",
         Json{{"url", "http://127.0.0.1:" + std::to_string(target.port()) + "/hook"},
              {"events", events}},
         201);
    call("POST", "/v1/user-webhooks",
         Json{{"url", "http://localhost:" + std::to_string(target.port()) + "/hook"},
              {"events", events}},
         201);
    call("POST", "/v1/user-webhooks", Json{{"url", allowed.url("/hook")}, {"events", events}}, 201);
    std::string wf = call("POST", "/v1/workflows", Json{{"title", "Done"}, kAnyHour}, 201)["id"]
                         .get<std::string>();
    call("POST", "/v1/workflows/" + wf + "/nodes", Json{{"node_type", "CONVERTED"}}, 201);
    call("POST", "/v1/workflows/" + wf + "/leads",
         Json{{"leads", Json::array({Json{{"phone_number", "+14152000009"}}})}}, 201);
    call("POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    ASSERT_TRUE(eventually([&] { return delivered.load() == 1; }));
    EXPECT_EQ(target.connections(), 0);
}

TEST_F(OutboundProcess, OneTenantsSlowEndpointDoesNotDelayAnotherTenant) {
    Receiver hooks{16};
    std::mutex mu;
    int slow_in_flight = 0, slow_max_in_flight = 0, slow_done = 0;
    int slow_done_when_fast_arrived = -1;
    hooks.server().Post("/slow", [&](const httplib::Request&, httplib::Response& res) {
        {
            std::lock_guard<std::mutex> lock(mu);
            slow_max_in_flight = std::max(slow_max_in_flight, ++slow_in_flight);
        }
        std::this_thread::sleep_for(2500ms);  // answers, slowly (within the 5 s timeout)
        std::lock_guard<std::mutex> lock(mu);
        --slow_in_flight;
        ++slow_done;
        res.set_content("{}", "application/json");
    });
    hooks.server().Post("/fast", [&](const httplib::Request&, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        slow_done_when_fast_arrived = slow_done;
        res.set_content("{}", "application/json");
    });
    start({"--allow-outbound", "127.0.0.1"});
    const int n = 6;
    std::string a = app_workflow(hooks.url("/slow"), n, "a");
    std::string b = app_workflow(hooks.url("/fast"), 1, "b");
    call("POST", "/v1/workflows/" + a + "/activate", Json(), 200, "a");
    ASSERT_TRUE(eventually([&] {
        std::lock_guard<std::mutex> lock(mu);
        return slow_in_flight > 0;
    })) << "tenant A's deliveries started";
    call("POST", "/v1/workflows/" + b + "/activate", Json(), 200, "b");
    ASSERT_TRUE(eventually([&] { return finished(b, "b"); }, 60s));
    EXPECT_EQ(counts(b, "b")["completed"], 1);
    ASSERT_TRUE(eventually([&] { return finished(a, "a"); }, 60s));
    EXPECT_EQ(counts(a, "a")["completed"], n);
    std::lock_guard<std::mutex> lock(mu);
    // Sequential delivery would have made B wait for all of A's answers; with per-tenant
    // queues B is sent while A's backlog is still being worked through.
    std::printf("tenant B delivered after %d of tenant A's %d slow answers; A's max in flight %d\n",
                slow_done_when_fast_arrived, n, slow_max_in_flight);
    EXPECT_GE(slow_done_when_fast_arrived, 0);
    EXPECT_LT(slow_done_when_fast_arrived, n - 2) << "tenant B waited behind tenant A";
    EXPECT_LE(slow_max_in_flight, 2) << "at most 2 requests in flight per tenant";
}

TEST_F(OutboundProcess, RetriesOnlyNetworkErrors5xxAnd429WithRetryAfter) {
    Receiver hooks{16};
    std::mutex mu;
    int bad_calls = 0, flaky_calls = 0;
    std::vector<Clock::time_point> limited_at;
    hooks.server().Post("/bad", [&](const httplib::Request&, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        ++bad_calls;
        res.status = 400;
    });
    hooks.server().Post("/flaky", [&](const httplib::Request&, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        res.status = ++flaky_calls < 3 ? 503 : 200;
    });
    hooks.server().Post("/limited", [&](const httplib::Request&, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        limited_at.push_back(Clock::now());
        if (limited_at.size() == 1) {
            res.status = 429;
            res.set_header("Retry-After", "2");
        }
    });
    start({"--allow-outbound", "127.0.0.1", "--retry-backoff-ms", "50"});
    std::string bad = app_workflow(hooks.url("/bad"), 1);
    std::string flaky = app_workflow(hooks.url("/flaky"), 1);
    std::string limited = app_workflow(hooks.url("/limited"), 1);
    for (const auto& wf : {bad, flaky, limited}) {
        call("POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    }
    for (const auto& wf : {bad, flaky, limited}) {
        ASSERT_TRUE(eventually([&] { return finished(wf); }, 60s)) << wf;
    }
    EXPECT_EQ(counts(bad)["dropped"], 1);
    EXPECT_EQ(counts(flaky)["completed"], 1);
    EXPECT_EQ(counts(limited)["completed"], 1);
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(bad_calls, 1) << "a 400 is not retried";
    EXPECT_EQ(flaky_calls, 3) << "a 503 is retried";
    ASSERT_EQ(limited_at.size(), 2u);
    EXPECT_GE(limited_at[1] - limited_at[0], 1900ms)
        << "Retry-After: 2 is honoured over the 50 ms backoff";
}

TEST_F(OutboundProcess, CircuitBreakerDefersDeliveriesToAFailingHostAndTriesOneAtATime) {
    Receiver hooks{16};
    std::mutex mu;
    std::vector<Clock::time_point> at;  // every request to the failing endpoint
    // The first 8 requests answer 503: the six leads' first attempts, then two half-open
    // trials (a failed trial is a real request and counts as an attempt of its row).
    const int failing = 8;
    hooks.server().Post("/down", [&](const httplib::Request&, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        at.push_back(Clock::now());
        res.status = static_cast<int>(at.size()) <= failing ? 503 : 200;
    });
    start({"--allow-outbound", "127.0.0.1", "--retry-backoff-ms", "20",
           "--outbound-breaker-cooldown-ms", "1000"});
    const int n = 6;
    std::string wf = app_workflow(hooks.url("/down"), n);
    call("POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    ASSERT_TRUE(eventually([&] { return finished(wf); }, 60s));
    // Deferred rows are not attempts: every lead still succeeds once the host recovers.
    EXPECT_EQ(counts(wf)["completed"], n);
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_GE(at.size(), static_cast<std::size_t>(failing + n - 1));
    // Five failures in a row open the breaker (a sixth may already have been in flight);
    // from then on each failing trial is alone and at least the cool-down after the previous.
    for (int i = 6; i < failing; ++i) {
        EXPECT_GE(at[i] - at[i - 1], 900ms) << "request " << i + 1 << " came too soon";
    }
}

TEST_F(OutboundProcess, SignedDispatchesResultsAndUserWebhooks) {
    const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const std::string secret_file = dir_.path() + "/call-secret";
    std::ofstream(secret_file) << secret << "\n";
    Receiver platform{16};
    std::mutex mu;
    std::vector<Json> dispatches;
    std::vector<std::string> dispatch_problems;
    std::vector<std::string> hook_problems;
    int hooks_seen = 0;
    std::string hook_secret;
    auto check = [](const httplib::Request& req, const std::string& key) -> std::string {
        WebhookHeaders h{req.get_header_value("webhook-id"),
                         req.get_header_value("webhook-timestamp"),
                         req.get_header_value("webhook-signature")};
        if (h.id.empty() || h.timestamp.empty() || h.signature.empty()) return "missing headers";
        if (req.has_header("X-Leadflow-Signature")) return "the old header is still sent";
        Status s = verify_webhook(key, h, req.body, std::time(nullptr));
        return s ? "" : s.message();
    };
    platform.server().Post("/dispatch", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        std::string problem = check(req, secret);
        if (!problem.empty()) dispatch_problems.push_back(problem);
        dispatches.push_back(Json::parse(req.body));
        res.status = 202;
    });
    platform.server().Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        ++hooks_seen;
        std::string problem = check(req, hook_secret);
        if (!problem.empty()) hook_problems.push_back(problem);
        res.status = 200;
    });
    start({"--time-scale", "1000", "--provider", "webhook", "--call-webhook-url",
           platform.url("/dispatch"), "--call-webhook-secret-file", secret_file, "--allow-outbound",
           "127.0.0.1"});
    Json hook = call(
        "POST", "/v1/user-webhooks",
        Json{{"url", platform.url("/hook")}, {"events", Json::array({"workflow.lead.completed"})}},
        201);
    {
        std::lock_guard<std::mutex> lock(mu);
        hook_secret = hook["secret"].get<std::string>();
    }
    EXPECT_EQ(hook_secret.rfind("whsec_", 0), 0u) << "generated secrets use the whsec_ form";
    std::string wf = call("POST", "/v1/workflows", Json{{"title", "Calls"}, kAnyHour}, 201)["id"]
                         .get<std::string>();
    std::string node = call("POST", "/v1/workflows/" + wf + "/nodes",
                            Json{{"node_type", "VOICE_CALL"},
                                 {"config", Json{{"agent_id", "a1"},
                                                 {"from_phone_number", "+14155552671"},
                                                 {"max_call_seconds", 3600}}}},
                            201)["id"]
                           .get<std::string>();
    std::string won =
        call("POST", "/v1/workflows/" + wf + "/nodes", Json{{"node_type", "CONVERTED"}}, 201)["id"]
            .get<std::string>();
    call("POST", "/v1/workflows/" + wf + "/edges",
         Json{{"from_node_id", node}, {"to_node_id", won}, {"label", "COMPLETED"}}, 201);
    call("POST", "/v1/workflows/" + wf + "/leads",
         Json{{"leads", Json::array({Json{{"phone_number", "+14152000001"}},
                                     Json{{"phone_number", "+14152000002"}}})}},
         201);
    call("POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    ASSERT_TRUE(eventually([&] {
        std::lock_guard<std::mutex> lock(mu);
        return dispatches.size() >= 2;
    }));
    std::string call_a, call_b;
    {
        std::lock_guard<std::mutex> lock(mu);
        call_a = dispatches[0]["call_id"].get<std::string>();
        call_b = dispatches[1]["call_id"].get<std::string>();
        EXPECT_TRUE(dispatch_problems.empty()) << dispatch_problems[0];
    }
    auto post_result = [&](const std::string& call_id, const std::string& body,
                           const std::string& id, std::int64_t ts) {
        WebhookHeaders h = sign_webhook(secret, id, ts, body);
        return client_->Post(("/v1/calls/" + call_id + "/result").c_str(),
                             {{"webhook-id", h.id},
                              {"webhook-timestamp", h.timestamp},
                              {"webhook-signature", h.signature}},
                             body, "application/json");
    };
    const std::int64_t now = std::time(nullptr);
    const std::string body_a = Json{{"call_id", call_a}, {"status", "completed"}}.dump();
    // A's signed result replayed to B: the body names A.
    auto r = post_result(call_b, body_a, "msg_a1", now);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 409) << r->body;
    EXPECT_NE(r->body.find("is not the call it was posted to"), std::string::npos) << r->body;
    // A stale timestamp.
    r = post_result(call_a, body_a, "msg_a2", now - 600);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_NE(r->body.find("tolerance"), std::string::npos) << r->body;
    // A bad signature.
    r = client_->Post(("/v1/calls/" + call_a + "/result").c_str(),
                      {{"webhook-id", "msg_a3"},
                       {"webhook-timestamp", std::to_string(now)},
                       {"webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}},
                      body_a, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << r->body;
    // The valid result, then the same message again (same webhook-id), then a new message
    // with the same result (idempotent).
    r = post_result(call_a, body_a, "msg_a4", now);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(Json::parse(r->body)["duplicate"], false);
    r = post_result(call_a, body_a, "msg_a4", now);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 409) << r->body;
    EXPECT_NE(r->body.find("already used"), std::string::npos) << r->body;
    r = post_result(call_b, body_a, "msg_a4", now);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 409) << "a captured message cannot be replayed to another call";
    r = post_result(call_a, body_a, "msg_a5", now);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(Json::parse(r->body)["duplicate"], true);
    // B's own result (without call_id, which is optional) completes B.
    r = post_result(call_b, R"({"status":"completed"})", "msg_b1", now);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    ASSERT_TRUE(eventually([&] { return finished(wf); }));
    EXPECT_EQ(counts(wf)["completed"], 2);
    // Both completions reach the user webhook, signed with its secret.
    ASSERT_TRUE(eventually([&] {
        std::lock_guard<std::mutex> lock(mu);
        return hooks_seen >= 2;
    }));
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_TRUE(hook_problems.empty()) << hook_problems[0];
}

TEST(OutboundFlags, SecretSourcesAndDenyLoopback) {
    TempDir dir;
    const std::string db = dir.path() + "/x.db";
    auto code = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"serve", "--db", db, "--port", "0", "--live", "false"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_server_binary(args).first;
    };
    EXPECT_EQ(code({"--provider", "webhook", "--call-webhook-url", "http://a.example/d"}), 2)
        << "no secret from any source";
    EXPECT_EQ(code({"--provider", "webhook", "--call-webhook-url", "http://a.example/d",
                    "--call-webhook-secret-file", dir.path() + "/missing"}),
              2);
    EXPECT_EQ(code({"--deny-loopback", "false"}), 2) << "loopback cannot be allowed wholesale";
    EXPECT_EQ(code({"--call-webhook-secret", "whsec_not base64!"}), 2);
    // The environment supplies the secret: the server starts (and is stopped at once).
    setenv("LEADFLOW_CALL_WEBHOOK_SECRET", "from-env", 1);
    ServerProcess proc({"serve", "--db", db, "--port", "0", "--provider", "webhook",
                        "--call-webhook-url", "http://a.example/d"});
    unsetenv("LEADFLOW_CALL_WEBHOOK_SECRET");
    EXPECT_GT(proc.port(), 0) << "the secret came from LEADFLOW_CALL_WEBHOOK_SECRET";
}

}  // namespace
}  // namespace leadflow::server::testing
