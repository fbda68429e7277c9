// tests/hostile/transactions_test.cpp — a transaction body that throws must not leave its
// transaction open (issue 14, item 1): every later write of every organization, and the
// scheduler, go on. In-process against the store: API, scheduler and read transactions
// (transactions_socket_test.cpp replays the upload that used to wedge the server).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "leadflow/json.hpp"
#include "server_test_util.hpp"
#include "store/sqlite_store.hpp"

namespace leadflow::server::testing {
namespace {

class StoreTransactions : public ::testing::Test {
  protected:
    void SetUp() override {
        auto s = open_sqlite_store(dir_.path() + "/tx.db");
        ASSERT_TRUE(s.ok()) << s.status().message();
        store_ = std::move(s.value());
    }
    std::optional<std::string> meta(const std::string& key) {
        std::optional<std::string> v;
        Status st = store_->read([&](StoreTx& tx) {
            auto r = tx.live_meta_get(key);
            if (!r.ok()) return r.status();
            v = r.value();
            return Status::ok();
        });
        EXPECT_TRUE(st) << st.message();
        return v;
    }
    // A write of each kind of transaction; all must succeed.
    void expect_writes_succeed(const std::string& tag) {
        Status api = store_->transact([&](StoreTx& tx) { return tx.live_meta_put("api", tag); });
        EXPECT_TRUE(api) << api.message();
        Status live =
            store_->live_transact([&](StoreTx& tx) { return tx.live_meta_put("live", tag); });
        EXPECT_TRUE(live) << live.message();
        EXPECT_EQ(meta("api"), tag);
        EXPECT_EQ(meta("live"), tag);
    }

    TempDir dir_;
    std::unique_ptr<Store> store_;
};

// What the CSV upload did: serializing a string that is not UTF-8 throws from inside the body.
[[noreturn]] void dump_invalid_utf8() {
    Json vars = Json::object();
    vars["name"] = std::string("Jos\xe9");
    (void)vars.dump();
    throw std::logic_error("dump() accepted invalid UTF-8");
}

TEST_F(StoreTransactions, ApiTransactionThatThrowsRollsBackAndLaterWritesSucceed) {
    for (int i = 0; i < 3; ++i) {
        EXPECT_THROW(store_->transact([&](StoreTx& tx) {
            EXPECT_TRUE(tx.live_meta_put("half", "written"));
            dump_invalid_utf8();
            return Status::ok();
        }),
                     Json::type_error);
        EXPECT_EQ(meta("half"), std::nullopt) << "the thrown transaction's write was kept";
        expect_writes_succeed("after api throw " + std::to_string(i));
    }
}

TEST_F(StoreTransactions, SchedulerTransactionThatThrowsRollsBackAndLaterWritesSucceed) {
    for (int i = 0; i < 3; ++i) {
        EXPECT_THROW(store_->live_transact([&](StoreTx& tx) {
            // Writes recorded for the write-behind thread, then the throw.
            OutboxRow row;
            row.idempotency_key = "k" + std::to_string(i);
            row.kind = "action";
            for (int j = 0; j < 100; ++j) {
                row.idempotency_key = "k" + std::to_string(i) + "-" + std::to_string(j);
                EXPECT_TRUE(tx.live_outbox_insert(row));
            }
            EXPECT_TRUE(tx.live_meta_put("half", "written"));
            throw std::runtime_error("scheduler step failed");
            return Status::ok();
        }),
                     std::runtime_error);
        EXPECT_EQ(meta("half"), std::nullopt);
        std::size_t outbox = 1;
        ASSERT_TRUE(store_->read([&](StoreTx& tx) {
            auto due = tx.live_outbox_due(1LL << 60, 1000);
            if (!due.ok()) return due.status();
            outbox = due->size();
            return Status::ok();
        }));
        EXPECT_EQ(outbox, 0u) << "the thrown transaction's outbox rows were kept";
        expect_writes_succeed("after scheduler throw " + std::to_string(i));
    }
}

TEST_F(StoreTransactions, ReadThatThrowsEndsItsSnapshot) {
    // Many throwing reads: each must give its connection back with its read transaction ended
    // (a reader kept inside a transaction would pin the WAL and see stale data).
    for (int i = 0; i < 20; ++i) {
        EXPECT_THROW(store_->read([&](StoreTx& tx) -> Status {
            (void)tx.live_meta_get("api");
            throw std::runtime_error("read failed");
        }),
                     std::runtime_error);
        ASSERT_TRUE(store_->transact(
            [&](StoreTx& tx) { return tx.live_meta_put("api", std::to_string(i)); }));
        EXPECT_EQ(meta("api"), std::to_string(i)) << "a reader kept an old snapshot";
    }
}

TEST_F(StoreTransactions, FailedBodyAndFailedWriteRollBackToo) {
    Status st = store_->transact([&](StoreTx& tx) {
        EXPECT_TRUE(tx.live_meta_put("half", "written"));
        return Status::conflict("no");
    });
    EXPECT_EQ(st.code(), StatusCode::kConflict);
    EXPECT_EQ(meta("half"), std::nullopt);
    expect_writes_succeed("after failure");
}

}  // namespace
}  // namespace leadflow::server::testing
