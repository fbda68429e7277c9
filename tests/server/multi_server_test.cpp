// tests/server/multi_server_test.cpp — several `leadflow-server` processes on one PostgreSQL
// database (docs/operations.md#running-several-servers): any server answers any request, the
// servers share the workflows (each leases its fair share), and the server moving a workflow's
// leads, killed mid-run (kill -9, left dead) or stopped for longer than its lease and its
// database session may stay idle (SIGSTOP, then SIGCONT), loses no lead, finishes none twice
// and places no call twice: another server takes the workflow over.
//
// Run by the tests multi_server_pg (tests/pg/pg-temp-server provides the PostgreSQL server and
// LEADFLOW_TEST_DB=postgres); skipped when run without one.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "http_receiver.hpp"
#include "leadflow/json.hpp"
#include "pg_test_db.hpp"
#include "process_test_util.hpp"
#include "runtime/outbound.hpp"
#include "util/webhook_signature.hpp"
#include "versions_test_util.hpp"

namespace leadflow::server::testing {
namespace {

using namespace std::chrono_literals;

// A port of 127.0.0.1 free now (bound to port 0, then closed).
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
        port = ntohs(a.sin_port);
    }
    ::close(fd);
    return port;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class MultiServer : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!::leadflow::testing::test_db_is_postgres()) {
            GTEST_SKIP() << "needs a PostgreSQL server (run as multi_server_pg)";
        }
        db_ = std::make_unique<::leadflow::testing::PgTestDatabase>();
        ASSERT_TRUE(db_->available()) << db_->why();
        key_ = create_key(db_->uri());
        ASSERT_FALSE(key_.empty());
    }

    // Starts server `i` on the shared database; `uri_options` is appended to its URI, `extra`
    // to its options.
    void start(std::size_t i, const std::string& uri_options = "",
               const std::vector<std::string>& extra = {}, const std::string& scale = "100000",
               int port = 0) {
        if (servers_.size() <= i) servers_.resize(i + 1);
        if (clients_.size() <= i) clients_.resize(i + 1);
        std::vector<std::string> args{
            "serve",        "--db", db_->uri() + uri_options, "--port", std::to_string(port),
            "--rate-limit", "0",    "--time-scale",           scale};
        args.insert(args.end(), extra.begin(), extra.end());
        servers_[i] = std::make_unique<ServerProcess>(args);
        ASSERT_GT(servers_[i]->port(), 0) << "server " << i << " did not start";
        clients_[i] = std::make_unique<httplib::Client>("127.0.0.1", servers_[i]->port());
        clients_[i]->set_read_timeout(60, 0);
    }

    // A request to server `i`; the JSON reply (its text when not JSON). `expect`: the status.
    Json call(std::size_t i, const std::string& method, const std::string& path,
              const Json& body = Json(), int expect = 0) {
        httplib::Headers h{{"Authorization", "Bearer " + key_}};
        httplib::Client& c = *clients_.at(i);
        httplib::Result r =
            method == "GET"   ? c.Get(path.c_str(), h)
            : method == "PUT" ? c.Put(path.c_str(), h, body.dump(), "application/json")
            : method == "PATCH"
                ? c.Patch(path.c_str(), h, body.dump(), "application/json")
                : c.Post(path.c_str(), h, body.is_null() ? "" : body.dump(), "application/json");
        EXPECT_TRUE(r) << "server " << i << ": " << method << " " << path;
        if (!r) return Json();
        if (expect) EXPECT_EQ(r->status, expect) << method << " " << path << ": " << r->body;
        Json j = Json::parse(r->body, nullptr, false);
        return j.is_discarded() ? Json(r->body) : j;
    }

    // The fixture's workflow, built through server `i`; returns its id.
    std::string import_fixture(std::size_t i, const std::string& name) {
        const std::string dir = LEADFLOW_FIXTURES_DIR;
        Json g = Json::parse(read_file(dir + "/" + name + ".json"));
        Json settings = g["workflow"]["settings"];
        settings["respect_lead_local_time"] = false;  // calls at any hour
        std::string wf = call(i, "POST", "/v1/workflows",
                              Json{{"title", name}, {"settings", settings}}, 201)["id"]
                             .get<std::string>();
        call(i, "PUT", "/v1/workflows/" + wf + "/graph",
             Json{{"nodes", g["nodes"]}, {"edges", g["edges"]}}, 200);
        call(i, "PUT", "/v1/workflows/" + wf + "/scenario",
             Json::parse(read_file(dir + "/" + name + ".scenario.json")), 200);
        return wf;
    }

    // Enrols `n` leads through server `i`, 500 per request; returns their ids.
    std::vector<std::string> enrol(std::size_t i, const std::string& wf, int n) {
        std::vector<std::string> ids;
        for (int from = 0; from < n; from += 500) {
            Json leads = Json::array();
            std::vector<std::string> phones;
            for (int k = from; k < std::min(n, from + 500); ++k) {
                char phone[32];
                std::snprintf(phone, sizeof phone, "+1415%07d", 2000000 + k);
                phones.emplace_back(phone);
                leads.push_back(Json{{"phone_number", phone}});
            }
            Json b = call(i, "POST", "/v1/workflows/" + wf + "/leads", Json{{"leads", leads}}, 201);
            for (const std::string& p : phones) ids.push_back(b["data"][p][0].get<std::string>());
        }
        return ids;
    }

    // Polls server `i` until the workflow's status is `status` (at most `seconds`).
    bool wait_status(std::size_t i, const std::string& wf, const std::string& status, int seconds) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        while (std::chrono::steady_clock::now() < until) {
            if (call(i, "GET", "/v1/workflows/" + wf)["status"] == status) return true;
            std::this_thread::sleep_for(100ms);
        }
        return false;
    }

    // Every call of the workflow in the call log, by lead, read through server `i`.
    std::map<std::string, std::vector<std::string>> call_log(std::size_t i, const std::string& wf) {
        std::map<std::string, std::vector<std::string>> out;
        for (int page = 1;; ++page) {
            Json b = call(i, "GET",
                          "/v1/calls?workflow_id=" + wf + "&limit=100&page=" + std::to_string(page),
                          Json(), 200);
            for (const Json& c : b["data"]) {
                out[c["lead_id"].get<std::string>()].push_back(c["id"].get<std::string>());
            }
            if (page >= b["meta"]["totalPages"].get<int>()) break;
        }
        return out;
    }

    // Checks every lead of `ids` through server `i`: exactly one terminal history entry, and the
    // calls of its history are exactly its calls in the log, each once. Returns how many
    // converted.
    int check_leads(std::size_t i, const std::string& wf, const std::vector<std::string>& ids) {
        const auto log = call_log(i, wf);
        int converted = 0;
        for (const std::string& id : ids) {
            Json h = call(i, "GET", "/v1/workflows/" + wf + "/leads/" + id + "/history", Json(),
                          200)["history"];
            int terminal = 0;
            std::multiset<std::string> steps;
            for (const Json& e : h) {
                const std::string s = e.value("status", "");
                terminal += s == "converted" || s == "dropped" || s == "failed";
                converted += s == "converted";
                if (e.contains("call_id") && e["call_id"].is_string()) {
                    steps.insert(e["call_id"].get<std::string>());
                }
            }
            EXPECT_EQ(terminal, 1) << id << ": " << h.dump();
            auto it = log.find(id);
            const std::multiset<std::string> logged =
                it == log.end() ? std::multiset<std::string>()
                                : std::multiset<std::string>(it->second.begin(), it->second.end());
            EXPECT_EQ(logged, steps) << id << ": the call log and the history disagree";
            EXPECT_EQ(std::set<std::string>(steps.begin(), steps.end()).size(), steps.size())
                << id << ": a call appears twice";
        }
        return converted;
    }

    // The converted share of `converted` of `n` leads is within 4 standard errors of the exact
    // value of the workflow's version 1.
    void expect_share(std::size_t i, const std::string& wf, int converted, int n) {
        const double p =
            exact_converted_share(call(i, "GET", "/v1/workflows/" + wf + "/versions/1"));
        const double share = static_cast<double>(converted) / n;
        const double se = std::sqrt(p * (1 - p) / n);
        std::printf("%d leads: converted %.4f, exact %.4f (%.2f standard errors)\n", n, share, p,
                    se > 0 ? std::fabs(share - p) / se : 0.0);
        EXPECT_LE(std::fabs(share - p), 4 * se + 1e-9);
    }

    // The server that leases workflow `wf` now, read from the database (a lease's owner is
    // "HOST:PID:RANDOM"); polls until one does (at most `seconds`). -1 when none did.
    int lease_owner(const std::string& wf, int seconds = 120) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        PGconn* c = PQconnectdb(db_->uri().c_str());
        int found = -1;
        while (found < 0 && PQstatus(c) == CONNECTION_OK &&
               std::chrono::steady_clock::now() < until) {
            const char* values[] = {wf.c_str()};
            PGresult* r = PQexecParams(c,
                                       "SELECT owner FROM scheduler_leases WHERE workflow_id = $1"
                                       " AND owner IS NOT NULL AND lease_until > leadflow_now_ms()",
                                       1, nullptr, values, nullptr, nullptr, 0);
            if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
                const std::string owner = PQgetvalue(r, 0, 0);
                const std::size_t a = owner.find(':'), b = owner.find(':', a + 1);
                const long pid = std::strtol(owner.substr(a + 1, b - a - 1).c_str(), nullptr, 10);
                for (std::size_t i = 0; i < servers_.size(); ++i) {
                    if (servers_[i] && servers_[i]->pid() == pid) found = static_cast<int>(i);
                }
            }
            PQclear(r);
            if (found < 0) std::this_thread::sleep_for(20ms);
        }
        PQfinish(c);
        return found;
    }

    std::unique_ptr<::leadflow::testing::PgTestDatabase> db_;
    std::string key_;
    std::vector<std::unique_ptr<ServerProcess>> servers_;
    std::vector<std::unique_ptr<httplib::Client>> clients_;
};

TEST_F(MultiServer, DatabaseCommandsTakeAPostgresUri) {
    // SetUp's `keys create` made the schema; a second database shows migrate creating it.
    ::leadflow::testing::PgTestDatabase fresh;
    ASSERT_TRUE(fresh.available()) << fresh.why();
    auto [code, out] = run_server_binary({"migrate", "--db", fresh.uri()});
    EXPECT_EQ(code, 0) << out;
    EXPECT_NE(out.find("created at schema version"), std::string::npos) << out;
    std::tie(code, out) = run_server_binary({"migrate", "--db", fresh.uri()});
    EXPECT_EQ(code, 0);
    EXPECT_NE(out.find("the latest; nothing to do"), std::string::npos) << out;
    std::tie(code, out) = run_server_binary({"keys", "list", "--db", db_->uri()});
    EXPECT_EQ(code, 0);
    EXPECT_NE(out.find("acme"), std::string::npos) << out;
    std::tie(code, out) = run_server_binary({"backup", "--db", db_->uri(), "--to", "/tmp/x"});
    EXPECT_EQ(code, 2) << "backup copies SQLite files only";
}

TEST_F(MultiServer, ThreeServersOneKilledMidRunEveryLeadFinishesOnceWithOneCallPerStep) {
    // A workflow whose server stopped renewing its lease is taken over after 2 s.
    for (std::size_t i = 0; i < 3; ++i) start(i, "", {"--scheduler-lease-seconds", "2"});
    // Each request goes to another server: any server answers any request.
    const std::string wf = import_fixture(0, "lead_nurture");
    const int n = 3000;
    const auto ids = enrol(1, wf, n);
    call(2, "POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    // Mid-run: some leads finished, most still running.
    const auto until = std::chrono::steady_clock::now() + 120s;
    Json w;
    while (std::chrono::steady_clock::now() < until) {
        w = call(0, "GET", "/v1/workflows/" + wf);
        const int done = w["lead_counts"]["completed"].get<int>() +
                         w["lead_counts"]["dropped"].get<int>() +
                         w["lead_counts"]["failed"].get<int>();
        if (done > 0) break;
        std::this_thread::sleep_for(50ms);
    }
    ASSERT_GT(w["lead_counts"]["active"].get<int>(), 0) << w.dump();
    // The server moving the workflow's leads is the one killed, and left dead.
    const int dead = lease_owner(wf);
    ASSERT_GE(dead, 0) << "no server leases the workflow";
    const std::size_t a = (dead + 1) % 3, b = (dead + 2) % 3;
    servers_[dead]->stop(SIGKILL);
    // A surviving server takes the lease over once it lapses (a dead server's pid no longer
    // counts as an owner). Checked before the end: a finished workflow's lease is not renewed.
    const int heir = lease_owner(wf);
    EXPECT_TRUE(heir == static_cast<int>(a) || heir == static_cast<int>(b)) << heir;
    ASSERT_TRUE(wait_status(b, wf, "completed", 600));
    w = call(a, "GET", "/v1/workflows/" + wf);
    EXPECT_EQ(w["lead_counts"]["completed"].get<int>() + w["lead_counts"]["dropped"].get<int>() +
                  w["lead_counts"]["failed"].get<int>(),
              n)
        << w.dump();
    const int converted = check_leads(a, wf, ids);
    expect_share(b, wf, converted, n);
}

TEST_F(MultiServer, TwoServersLeaseOneWorkflowEachAndBothFinish) {
    for (std::size_t i = 0; i < 2; ++i) start(i);
    const int n = 300;
    const std::string wf_a = import_fixture(0, "lead_nurture");
    const std::string wf_b = import_fixture(1, "lead_nurture");
    const auto ids_a = enrol(0, wf_a, n);
    const auto ids_b = enrol(1, wf_b, n);
    call(0, "POST", "/v1/workflows/" + wf_a + "/activate", Json(), 200);
    call(1, "POST", "/v1/workflows/" + wf_b + "/activate", Json(), 200);
    // The fair share of two workflows over two servers is one each: each workflow's leads are
    // moved by its own server, side by side.
    int owner_a = -1, owner_b = -1;
    const auto until = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < until) {
        owner_a = lease_owner(wf_a, 10);
        owner_b = lease_owner(wf_b, 10);
        if (owner_a >= 0 && owner_b >= 0 && owner_a != owner_b) break;
    }
    EXPECT_GE(owner_a, 0);
    EXPECT_GE(owner_b, 0);
    EXPECT_NE(owner_a, owner_b) << "one server leases both workflows";
    ASSERT_TRUE(wait_status(0, wf_a, "completed", 600));
    ASSERT_TRUE(wait_status(1, wf_b, "completed", 600));
    const int converted = check_leads(1, wf_a, ids_a) + check_leads(0, wf_b, ids_b);
    expect_share(0, wf_a, converted, 2 * n);
}

// A test voice platform: it places each dispatched call once (a repeated dispatch, same
// idempotency key, is acknowledged and not placed again) and answers every call's result to
// another server than the one that dispatched it (the next live one after the callback URL's).
class VoicePlatform {
  public:
    VoicePlatform(std::string secret, std::vector<int> ports)
        : secret_(std::move(secret)), ports_(std::move(ports)), alive_(ports_.size(), true) {
        receiver_.server().Post(
            "/dispatch",
            [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res); });
        worker_ = std::thread([this] { answer(); });
    }
    ~VoicePlatform() {
        {
            std::lock_guard<std::mutex> lock(mu_);
            stopping_ = true;
            cv_.notify_all();
        }
        worker_.join();
    }
    std::string url() const { return receiver_.url("/dispatch"); }
    // Server `i` is dead: results go to the others.
    void mark_dead(std::size_t i) {
        std::lock_guard<std::mutex> lock(mu_);
        alive_[i] = false;
    }
    int bad_signatures() const { return bad_signatures_.load(); }
    int repeats() const { return repeats_.load(); }
    // Results answered to another server than the dispatcher's.
    int crossed() const { return crossed_.load(); }
    std::map<std::string, int> placed() {  // call id → times placed
        std::lock_guard<std::mutex> lock(mu_);
        return placed_;
    }

  private:
    struct Pending {
        std::string call_id, path;
        std::size_t from = 0;  // index of the dispatching server
    };

    void dispatch(const httplib::Request& req, httplib::Response& res) {
        WebhookHeaders h{req.get_header_value("webhook-id"),
                         req.get_header_value("webhook-timestamp"),
                         req.get_header_value("webhook-signature")};
        if (!verify_webhook(secret_, h, req.body, std::time(nullptr))) ++bad_signatures_;
        const Json d = Json::parse(req.body, nullptr, false);
        res.status = 202;
        if (d.is_discarded()) return;
        const std::string key = req.get_header_value("X-Leadflow-Idempotency-Key");
        const std::string call_id = d.value("call_id", "");
        auto url = parse_url(d.value("callback_url", ""));
        if (!url.ok()) return;
        std::lock_guard<std::mutex> lock(mu_);
        if (!keys_.insert(key).second) {
            ++repeats_;
            return;
        }
        ++placed_[call_id];
        std::size_t from = 0;
        for (std::size_t i = 0; i < ports_.size(); ++i) from = ports_[i] == url->port ? i : from;
        queue_.push_back(Pending{call_id, url->path, from});
        cv_.notify_all();
    }

    // Answers results in dispatch order: about a third of the calls are answered (COMPLETED,
    // chosen by a hash of the call id, so a rerun answers the same calls), the rest not.
    void answer() {
        std::unique_lock<std::mutex> lock(mu_);
        int n = 0;
        for (;;) {
            cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            Pending p = std::move(queue_.front());
            queue_.pop_front();
            const bool answered = std::hash<std::string>()(p.call_id) % 3 == 0;
            const std::string body =
                Json{{"status", answered ? "completed" : "no_answer"}, {"duration_s", 30}}.dump();
            WebhookHeaders h =
                sign_webhook(secret_, "res_" + std::to_string(n++), std::time(nullptr), body);
            // The next live server after the dispatcher (any live one if it is the only one).
            for (std::size_t k = 1; k <= ports_.size(); ++k) {
                const std::size_t to = (p.from + k) % ports_.size();
                if (!alive_[to]) continue;
                const int port = ports_[to];
                lock.unlock();
                httplib::Client c("127.0.0.1", port);
                c.set_read_timeout(30, 0);
                auto r = c.Post(p.path.c_str(),
                                {{"webhook-id", h.id},
                                 {"webhook-timestamp", h.timestamp},
                                 {"webhook-signature", h.signature}},
                                body, "application/json");
                lock.lock();
                if (r && r->status == 200) {
                    crossed_ += to != p.from;
                    break;
                }
            }
        }
    }

    const std::string secret_;
    const std::vector<int> ports_;
    Receiver receiver_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<bool> alive_;
    std::set<std::string> keys_;
    std::map<std::string, int> placed_;
    std::deque<Pending> queue_;
    bool stopping_ = false;
    std::atomic<int> bad_signatures_{0}, repeats_{0}, crossed_{0};
    std::thread worker_;
};

TEST_F(MultiServer, WebhookCallsAnsweredToAnotherServerSurviveAServerKilledMidRun) {
    // The ports are chosen first (each server's --public-url names its own), so the servers
    // start on ports known in advance: free ones found by binding port 0.
    std::vector<int> ports;
    for (int i = 0; i < 3; ++i) ports.push_back(free_port());
    const std::string secret = "platform-secret";
    VoicePlatform platform(secret, ports);
    for (std::size_t i = 0; i < 3; ++i) {
        const std::string port = std::to_string(ports[i]);
        // Two days of waiting take 8.6 wall seconds; a call's result may take a day (4.3 s)
        // before the call times out; a dead server's claimed dispatches wait 2 s.
        start(i, "",
              {"--provider", "webhook", "--call-webhook-url", platform.url(),
               "--call-webhook-secret", secret, "--allow-outbound", "127.0.0.1", "--public-url",
               "http://127.0.0.1:" + port, "--call-grace-seconds", "86400",
               "--outbox-lease-seconds", "2", "--scheduler-lease-seconds", "2"},
              "20000", ports[i]);
        ASSERT_EQ(servers_[i]->port(), ports[i]) << "--port was taken meanwhile";
    }
    const std::string wf = import_fixture(0, "lead_nurture");
    const int n = 300;
    const auto ids = enrol(1, wf, n);
    call(2, "POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    const auto until = std::chrono::steady_clock::now() + 120s;
    while (platform.placed().size() < static_cast<std::size_t>(n) &&
           std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(20ms);
    }
    // The server stepping the workflow's leads is killed mid-run and left dead.
    const int dead = lease_owner(wf);
    ASSERT_GE(dead, 0) << "no server leases the workflow";
    const std::size_t a = (dead + 1) % 3, b = (dead + 2) % 3;
    servers_[dead]->stop(SIGKILL);
    platform.mark_dead(dead);
    ASSERT_TRUE(wait_status(a, wf, "completed", 600));
    check_leads(b, wf, ids);
    EXPECT_EQ(platform.bad_signatures(), 0);
    EXPECT_GT(platform.crossed(), 0) << "results went to other servers than their dispatcher";
    // Every call in the log was placed exactly once (a repeated dispatch is not a new call).
    const auto log = call_log(a, wf);
    const auto placed = platform.placed();
    std::size_t logged = 0;
    for (const auto& [lead, calls] : log) {
        for (const std::string& id : calls) {
            ++logged;
            auto it = placed.find(id);
            // A dispatch still unsent when its call timed out is never placed.
            if (it != placed.end()) EXPECT_EQ(it->second, 1) << id;
        }
    }
    EXPECT_LE(placed.size(), logged) << "the platform placed a call the log does not hold";
    std::printf("%zu calls logged, %zu placed, %d repeated dispatches, %d results crossed\n",
                logged, placed.size(), platform.repeats(), platform.crossed());
}

TEST_F(MultiServer, AServerStoppedPastItsLeaseCannotAdvanceALeadTwice) {
    // Sessions idle inside a transaction for more than a second are ended by the database
    // (a libpq option in the URI): a stopped server's open transaction is rolled back and its
    // locks released. A workflow lease lapses after a second without renewal.
    for (std::size_t i = 0; i < 2; ++i) {
        start(i, "&options=-c%20idle_in_transaction_session_timeout%3D1000",
              {"--scheduler-lease-seconds", "1"});
    }
    const std::string wf = import_fixture(0, "lead_nurture");
    const int n = 600;
    const auto ids = enrol(0, wf, n);
    call(0, "POST", "/v1/workflows/" + wf + "/activate", Json(), 200);
    // Stop the server moving the leads repeatedly while it works, each time for longer than
    // its lease and than the database lets a session sit idle in a transaction: the other
    // server takes the workflow over meanwhile, and the stopped one, resumed, must not step a
    // lead the other already moved.
    int stops_of_the_owner = 0;
    for (int round = 0; round < 5; ++round) {
        std::this_thread::sleep_for(200ms);
        const int owner = lease_owner(wf, 10);
        if (owner < 0) break;  // finished
        ++stops_of_the_owner;
        ASSERT_EQ(::kill(servers_[owner]->pid(), SIGSTOP), 0);
        std::this_thread::sleep_for(2500ms);
        ASSERT_EQ(::kill(servers_[owner]->pid(), SIGCONT), 0);
    }
    EXPECT_GE(stops_of_the_owner, 2);
    ASSERT_TRUE(wait_status(0, wf, "completed", 600));
    const int converted = check_leads(1, wf, ids);
    expect_share(0, wf, converted, n);
}

}  // namespace
}  // namespace leadflow::server::testing
