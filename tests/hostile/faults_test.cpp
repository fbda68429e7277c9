// tests/hostile/faults_test.cpp — storage faults injected under the store with a SQLite VFS
// shim (fault_vfs.hpp; issue 14, item 12 and "Fault injection"). The server runs in-process
// (the shim is linked into this test only) behind a real socket on 127.0.0.1: the store opens
// its file through the shim, and App, the scheduler and the outbox worker run as in `serve`.
// A full disk under live load: API writes answer 503 with a clear message, /readyz says 503
// and why, the scheduler backs off (its attempts and log lines are bounded), and once space
// returns /readyz is 200 again without a restart, leads go on, and every lead's history is
// whole (no step lost or doubled). Single faults at chosen points never lose a write that was
// acknowledged nor keep one that was refused.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api_client.hpp"
#include "fault_vfs.hpp"
#include "http/app.hpp"
#include "http/auth.hpp"
#include "http/errors.hpp"
#include "http/httplib_adapter.hpp"
#include "runtime/outbox.hpp"
#include "runtime/scheduler.hpp"
#include "server_test_util.hpp"
#include "store/sqlite_store.hpp"

namespace leadflow::server::testing {
namespace {

using Steady = std::chrono::steady_clock;

double seconds_since(Steady::time_point t0) {
    return std::chrono::duration<double>(Steady::now() - t0).count();
}

// Lines written to stderr while it lives (the server's log), read back by lines().
class StderrCapture {
  public:
    explicit StderrCapture(std::string path) : path_(std::move(path)) {
        std::fflush(stderr);
        saved_ = dup(2);
        std::FILE* f = std::fopen(path_.c_str(), "w");
        dup2(fileno(f), 2);
        std::fclose(f);
    }
    ~StderrCapture() { restore(); }
    void restore() {
        if (saved_ < 0) return;
        std::fflush(stderr);
        dup2(saved_, 2);
        close(saved_);
        saved_ = -1;
    }
    // Captured lines containing `needle`.
    std::vector<std::string> lines(const std::string& needle) {
        std::fflush(stderr);
        std::ifstream in(path_);
        std::vector<std::string> out;
        for (std::string l; std::getline(in, l);) {
            if (l.find(needle) != std::string::npos) out.push_back(l);
        }
        return out;
    }

  private:
    std::string path_;
    int saved_ = -1;
};

class Faults : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(register_fault_vfs());
        clear_faults();
        auto s = open_sqlite_store(dir_.path() + "/faults.db", 0, kFaultVfsName);
        ASSERT_TRUE(s.ok()) << s.status().message();
        store_ = std::move(s.value());
        leadflow::server::Clock clock = system_clock();
        auto a = create_api_key(*store_, "acme", clock.now());
        auto b = create_api_key(*store_, "globex", clock.now());
        ASSERT_TRUE(a.ok() && b.ok());
        key_a_ = a->key;
        key_b_ = b->key;
        ServerConfig config;
        config.rate_limit = 0;
        app_ = std::make_unique<App>(*store_, config, clock);
        ConnectionLimits limits;
        limits.workers = 8;
        http_ = std::make_unique<HttpServer>(*app_, limits);
        auto port = http_->bind("127.0.0.1", 0);
        ASSERT_TRUE(port.ok());
        http_thread_ = std::thread([this] { http_->run(); });
        RuntimeConfig live;
        live.time_scale = 100000;  // an hour of TIME hold in 36 wall ms
        scheduler_ = std::make_unique<Scheduler>(*store_, live, clock.now, clock.monotonic_ms);
        ASSERT_TRUE(scheduler_->init());
        app_->set_live(scheduler_.get());
        outbox_ = std::make_unique<OutboxWorker>(*store_, *scheduler_, OutboxConfig{}, clock.now);
        scheduler_->start();
        outbox_->start();
        api_ = std::make_unique<ApiClient>(port.value());
    }
    void TearDown() override {
        clear_faults();
        if (outbox_) outbox_->stop();
        if (scheduler_) scheduler_->stop();
        if (http_) http_->stop();
        if (http_thread_.joinable()) http_thread_.join();
        api_.reset();
        outbox_.reset();
        scheduler_.reset();
        http_.reset();
        app_.reset();
        store_.reset();
    }
    ApiReply readyz() { return api_->call("GET", "/readyz", ""); }
    // An API write of organization B: a new workflow.
    ApiReply write_b(const std::string& title) {
        return api_->call("POST", "/v1/workflows", key_b_, Json{{"title", title}});
    }
    Json workflow(const std::string& wf) {
        return api_->call("GET", "/v1/workflows/" + wf, key_a_).body;
    }
    // Every lead's history as (node, status) pairs, with its engine step count, must match
    // the first lead's: the sandbox-free TIME chain is deterministic, so a step lost or
    // written twice shows as a difference.
    void expect_histories_whole(const std::string& wf, const std::vector<std::string>& ids) {
        std::string reference;
        std::int64_t reference_steps = -1;
        for (const std::string& id : ids) {
            ApiReply h =
                api_->call("GET", "/v1/workflows/" + wf + "/leads/" + id + "/history", key_a_);
            ASSERT_EQ(h.status, 200) << h.body.dump();
            std::string walk;
            int terminal = 0;
            for (const Json& e : h.body["history"]) {
                walk +=
                    e["node_id"].get<std::string>() + ":" + e["status"].get<std::string>() + " ";
                terminal += e["status"] == "converted";
            }
            const std::int64_t steps = h.body["execution"]["steps"].get<std::int64_t>();
            EXPECT_EQ(terminal, 1) << id << ": " << walk;
            if (reference_steps < 0) {
                reference = walk;
                reference_steps = steps;
                continue;
            }
            EXPECT_EQ(walk, reference) << id;
            EXPECT_EQ(steps, reference_steps) << id;
        }
    }

    TempDir dir_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<App> app_;
    std::unique_ptr<HttpServer> http_;
    std::thread http_thread_;
    std::unique_ptr<Scheduler> scheduler_;
    std::unique_ptr<OutboxWorker> outbox_;
    std::unique_ptr<ApiClient> api_;
    std::string key_a_, key_b_;
};

TEST_F(Faults, FullDiskUnderLiveLoadAnswers503BacksOffAndRecoversByItself) {
    // Leads that take about 2 wall seconds each (five 10-hour holds) are in flight when the
    // disk fills.
    const std::string wf = api_->time_chain_workflow(key_a_, 5, 600);
    ASSERT_FALSE(wf.empty());
    const std::vector<std::string> ids = api_->enrol(key_a_, wf, 300);
    ASSERT_EQ(ids.size(), 300u);
    ASSERT_EQ(api_->call("POST", "/v1/workflows/" + wf + "/activate", key_a_).status, 200);
    ASSERT_TRUE(poll_until([&] { return scheduler_->transitions() > 0; }, 60));
    ASSERT_TRUE(poll_until([&] { return readyz().status == 200; }, 60)) << readyz().body.dump();

    StderrCapture log(dir_.path() + "/stderr.txt");
    const std::int64_t failed_before = scheduler_->progress().failed_attempts_total;
    fail_from_now(FaultOp::kWrite, /*disk_full=*/true);
    const auto fault_start = Steady::now();

    // API writes: 503 with the clear message, and nothing saved.
    ApiReply w = write_b("during the fault");
    EXPECT_EQ(w.status, 503) << w.body.dump();
    EXPECT_EQ(w.body["message"], kStorageUnavailableMessage);
    EXPECT_NE(w.body["message"].get<std::string>().find("storage is full"), std::string::npos);
    // Readiness says so, and why.
    const auto ops0 = fault_ops(FaultOp::kWrite), inj0 = faults_injected(FaultOp::kWrite);
    ApiReply r = readyz();
    EXPECT_EQ(r.status, 503) << r.body.dump() << " ops " << fault_ops(FaultOp::kWrite) - ops0
                             << " injected " << faults_injected(FaultOp::kWrite) - inj0;
    EXPECT_EQ(r.body["storage"]["write"], "failed");
    EXPECT_NE(r.body["message"].get<std::string>().find("storage is full"), std::string::npos)
        << r.body.dump();
    // The scheduler backs off.
    ASSERT_TRUE(poll_until([&] { return scheduler_->progress().backing_off; }, 60));
    EXPECT_TRUE(poll_until([&] { return readyz().body["scheduler"]["backing_off"] == true; }, 60));
    // Keep the disk full for 4 s of wall time: without backoff (a retry every 20 ms) the
    // scheduler would try about 200 times; with it (100 ms doubling) about 6 times.
    poll_until([&] { return seconds_since(fault_start) >= 4.0; }, 10);
    const std::int64_t attempts = scheduler_->progress().failed_attempts_total - failed_before;
    const auto sched_lines = log.lines("leadflow-server: scheduler");
    const auto outbox_lines = log.lines("leadflow-server: outbox");
    const double fault_seconds = seconds_since(fault_start);
    EXPECT_GE(attempts, 1);
    EXPECT_LE(attempts, 12) << "retries are not backing off";
    EXPECT_LE(sched_lines.size(), 1u) << "the scheduler logs per retry";
    EXPECT_LE(outbox_lines.size(), 1u);
    ApiReply still = readyz();
    EXPECT_EQ(still.status, 503);

    // Space returns.
    clear_faults();
    const auto release = Steady::now();
    ASSERT_TRUE(poll_until([&] { return readyz().status == 200; }, 60)) << readyz().body.dump();
    const double recovery_s = seconds_since(release);
    const auto recovered_lines = log.lines("leadflow-server: scheduler");
    log.restore();
    std::printf(
        "full disk for %.1f s: %lld scheduler attempts (%.1f per minute), %zu scheduler log "
        "lines; /readyz 200 again %.3f s after release\n",
        fault_seconds, static_cast<long long>(attempts), attempts * 60.0 / fault_seconds,
        sched_lines.size(), recovery_s);
    EXPECT_EQ(recovered_lines.size(), sched_lines.size() + 1) << "one line for the recovery";

    // Writes succeed again, the leads finish, each exactly once and whole.
    EXPECT_EQ(write_b("after the fault").status, 201);
    ASSERT_TRUE(poll_until([&] { return workflow(wf)["status"] == "completed"; }, 120))
        << workflow(wf).dump();
    EXPECT_EQ(workflow(wf)["lead_counts"]["completed"], 300) << workflow(wf).dump();
    expect_histories_whole(wf, ids);
    // The WAL was checkpointed and truncated at the first commit after the failure.
    EXPECT_GE(sqlite_checkpoint_counts(*store_).truncated_after_failure, 1);
    // The write refused during the fault was not saved.
    ApiReply list = api_->call("GET", "/v1/workflows?limit=100", key_b_);
    ASSERT_EQ(list.status, 200);
    int refused = 0;
    for (const Json& x : list.body["data"]) refused += x["title"] == "during the fault";
    EXPECT_EQ(refused, 0);
}

TEST_F(Faults, SingleFaultsAtChosenPointsNeverLoseOrInventAWrite) {
    // For each operation kind and each of the first N operations from now: that one operation
    // fails during an API write. The write is either acknowledged (201) and kept, or refused
    // (503, or 500 for a fault SQLite reports otherwise) and absent; the next write succeeds.
    struct Case {
        FaultOp op;
        bool disk_full;
        const char* name;
    };
    const Case cases[] = {{FaultOp::kWrite, true, "write-full"},
                          {FaultOp::kWrite, false, "write-ioerr"},
                          {FaultOp::kSync, false, "sync"},
                          {FaultOp::kRead, false, "read"}};
    int acknowledged = 0, refused = 0, n_writes = 0;
    for (const Case& c : cases) {
        for (int n = 1; n <= 12; ++n) {
            const std::string title = std::string(c.name) + "-" + std::to_string(n);
            fail_nth(c.op, n, c.disk_full);
            ApiReply w = write_b(title);
            clear_faults();
            ++n_writes;
            ASSERT_NE(w.status, 0) << title;
            if (w.status == 201) {
                ++acknowledged;
            } else {
                EXPECT_TRUE(w.status == 503 || w.status == 500) << title << ": " << w.body.dump();
                ++refused;
            }
            ApiReply next = write_b(title + "-next");
            EXPECT_EQ(next.status, 201) << title << ": " << next.body.dump();
        }
    }
    // Every acknowledged write is there, no refused one is.
    ApiReply all = api_->call("GET", "/v1/workflows?limit=100&page=1", key_b_);
    ASSERT_EQ(all.status, 200);
    std::set<std::string> titles;
    for (int page = 1;; ++page) {
        ApiReply p =
            api_->call("GET", "/v1/workflows?limit=100&page=" + std::to_string(page), key_b_);
        ASSERT_EQ(p.status, 200);
        if (p.body["data"].empty()) break;
        for (const Json& x : p.body["data"]) titles.insert(x["title"].get<std::string>());
    }
    int kept = 0;
    for (const Case& c : cases) {
        for (int n = 1; n <= 12; ++n) {
            kept += titles.count(std::string(c.name) + "-" + std::to_string(n)) > 0;
        }
    }
    EXPECT_EQ(kept, acknowledged) << refused << " refused of " << n_writes;
    EXPECT_GT(refused, 0) << "no injected fault reached a write";
    // The file is sound.
    sqlite3* db = nullptr;
    ASSERT_EQ(
        sqlite3_open_v2((dir_.path() + "/faults.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
        SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "ok");
    sqlite3_finalize(s);
    sqlite3_close(db);
    // The scheduler may have met one of the faults and be backing off: the probe wakes it.
    EXPECT_TRUE(poll_until([&] { return readyz().status == 200; }, 60)) << readyz().body.dump();
}

TEST_F(Faults, FailingReadsAnswer503AndHealthzSaysSo) {
    const std::string wf = api_->time_chain_workflow(key_a_, 1, 60);
    ASSERT_FALSE(wf.empty());
    fail_from_now(FaultOp::kRead);
    // Reads that reach the disk fail; those served from a connection's cache may not. Either
    // way no 500 and no hang.
    for (int i = 0; i < 5; ++i) {
        ApiReply g = api_->call("GET", "/v1/workflows/" + wf, key_a_);
        EXPECT_TRUE(g.status == 200 || g.status == 503) << g.body.dump();
    }
    ApiReply w = write_b("reads failing");
    EXPECT_TRUE(w.status == 201 || w.status == 503) << w.body.dump();
    clear_faults();
    EXPECT_TRUE(poll_until([&] { return readyz().status == 200; }, 60)) << readyz().body.dump();
    EXPECT_EQ(api_->call("GET", "/healthz", "").status, 200);
    EXPECT_EQ(api_->call("GET", "/v1/workflows/" + wf, key_a_).status, 200);
}

}  // namespace
}  // namespace leadflow::server::testing
