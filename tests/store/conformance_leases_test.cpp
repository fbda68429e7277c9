// tests/store/conformance_leases_test.cpp — the Store contract for the schedulers' workflow
// leases (Store::lease_workflows, StoreTx::live_hold_workflows): alone on a database a server
// serves every workflow; several servers on one database share the workflows fairly, take over
// the leases of a server that stopped renewing them, and never take one whose transaction is
// still running (see store_conformance.hpp). A second store opened on the same database stands
// for another server.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "store_conformance.hpp"

namespace leadflow::server::conformance {
namespace {

using Ids = std::vector<std::string>;

constexpr std::int64_t kLong = 600000;  // a lease that does not lapse during a test

class LeaseConformance : public StoreConformance {
  protected:
    // The workflows `store` leases after one round among `ids`, sorted.
    static Ids lease(Store& store, const Ids& ids, std::int64_t lease_ms) {
        auto r = store.lease_workflows(ids, lease_ms);
        EXPECT_TRUE(r.ok()) << r.status().message();
        if (!r.ok() || !r.value()) return {};
        Ids out = *r.value();
        std::sort(out.begin(), out.end());
        return out;
    }

    // The workflows of `ids` a scheduler transaction of `store` holds, sorted.
    static Ids hold(Store& store, const Ids& ids) {
        Ids out;
        Status st = store.live_transact([&](StoreTx& tx) {
            auto h = tx.live_hold_workflows(ids, kLong);
            if (!h.ok()) return h.status();
            out = h.value();
            return Status::ok();
        });
        EXPECT_TRUE(st.is_ok()) << st.message();
        std::sort(out.begin(), out.end());
        return out;
    }

    // Repeats lease rounds of `store` until it leases `want` (at most 30 s).
    static bool lease_until(Store& store, const Ids& ids, const Ids& want) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < until) {
            if (lease(store, ids, kLong) == want) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
};

TEST_P(LeaseConformance, AloneOnTheDatabaseEveryWorkflowIsTheServers) {
    if (store_->shared()) GTEST_SKIP() << "several servers share this backend";
    auto r = store_->lease_workflows({"w1", "w2"}, kLong);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_FALSE(r.value()) << "one server: no leases to take";
    EXPECT_EQ(hold(*store_, {"w2", "w1"}), (Ids{"w1", "w2"}));
}

TEST_P(LeaseConformance, ServersShareTheWorkflowsAndTakeOverLapsedLeases) {
    if (!store_->shared()) GTEST_SKIP() << "used by one process only";
    auto opened = instance_->open();
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    Store& a = *store_;
    Store& b = *opened.value();
    const Ids all{"w1", "w2", "w3", "w4"};
    // Alone, a takes every workflow; b, arriving, finds none free.
    EXPECT_EQ(lease(a, all, kLong), all);
    EXPECT_EQ(lease(b, all, kLong), Ids{});
    // Two servers alive: a gives back what is beyond its half, and b takes it.
    EXPECT_EQ(lease(a, all, kLong), (Ids{"w1", "w2"}));
    EXPECT_EQ(lease(b, all, kLong), (Ids{"w3", "w4"}));
    EXPECT_EQ(lease(a, all, kLong), (Ids{"w1", "w2"})) << "a stable share stays";
    // Each scheduler transaction holds only its own server's workflows.
    EXPECT_EQ(hold(a, all), (Ids{"w1", "w2"}));
    EXPECT_EQ(hold(b, all), (Ids{"w3", "w4"}));
    // b stops renewing (a last round with a lease of 1 ms): once its lease and its presence
    // lapse, a takes every workflow.
    lease(b, all, 1);
    EXPECT_TRUE(lease_until(a, all, all)) << "a never took over b's workflows";
    // b, resuming, holds nothing any more: it cannot step the leads a now moves.
    EXPECT_EQ(hold(b, all), Ids{});
    EXPECT_EQ(hold(a, all), all);
    // A workflow no longer runnable is not served; one new is.
    EXPECT_EQ(lease(a, {"w2", "w5"}, kLong), (Ids{"w2", "w5"}));
}

TEST_P(LeaseConformance, ALeaseHeldByARunningTransactionIsNotTaken) {
    if (!store_->shared()) GTEST_SKIP() << "used by one process only";
    auto opened = instance_->open();
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    Store& a = *store_;
    Store& b = *opened.value();
    // a leases w1 for 1 ms only, then a scheduler transaction of a holds it (for 1 ms again)
    // and stays open: the lease lapses meanwhile, but the row stays a's until it commits.
    ASSERT_EQ(lease(a, {"w1"}, 1), Ids{"w1"});
    std::promise<void> holding, finish;
    std::future<void> is_holding = holding.get_future();
    std::shared_future<void> finished = finish.get_future().share();
    std::future<Ids> held = std::async(std::launch::async, [&] {
        Ids out;
        Status st = a.live_transact([&](StoreTx& tx) {
            auto h = tx.live_hold_workflows({"w1"}, 1);
            if (!h.ok()) return h.status();
            out = h.value();
            holding.set_value();
            finished.wait();
            return Status::ok();
        });
        EXPECT_TRUE(st.is_ok()) << st.message();
        return out;
    });
    is_holding.wait();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // past both leases of 1 ms
    EXPECT_EQ(lease(b, {"w1"}, kLong), Ids{}) << "b took a lease a transaction still holds";
    finish.set_value();
    EXPECT_EQ(held.get(), Ids{"w1"});
    // Committed and lapsed: now b takes it, and a's next transaction does not hold it.
    EXPECT_TRUE(lease_until(b, {"w1"}, {"w1"}));
    EXPECT_EQ(hold(a, {"w1"}), Ids{});
}

INSTANTIATE_TEST_SUITE_P(Backends, LeaseConformance, ::testing::ValuesIn(backends()),
                         [](const ::testing::TestParamInfo<Backend>& p) { return p.param.name; });

}  // namespace
}  // namespace leadflow::server::conformance
