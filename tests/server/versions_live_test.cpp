// tests/server/versions_live_test.cpp — publishes that land between the scheduler's
// transactions (API writes go before its next one): a tick reads which workflows run and their
// newest versions, then steps leads in one or more batches, and each batch must see a publish,
// pause or cancel committed before it. Regressions: leads enrolled after a `keep` publish
// started on the old version, leads a `move` had moved took one more step on the version they
// left, and stuck leads woken by a publish were re-evaluated on their old graph and never again.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "versions_test_util.hpp"

namespace leadflow::server::testing {
namespace {

// The store, with a hook that runs before one of the scheduler's transactions: the API request
// that gets the write lock between two of them (the SQLite store lets waiting API writes go
// before the scheduler's next transaction).
class InterleavedStore final : public ForwardingStore {
  public:
    explicit InterleavedStore(Store& store) : ForwardingStore(store) {}

    // Runs `fn` before the `nth` scheduler transaction from now (1 = the next one).
    void before_live_transaction(int nth, std::function<void()> fn) {
        hook_at_ = live_ + nth;
        hook_ = std::move(fn);
    }

    Status live_transact(const std::function<Status(StoreTx&)>& fn) override {
        if (++live_ == hook_at_ && hook_) {
            auto hook = std::move(hook_);
            hook_ = nullptr;
            hook();
        }
        return ForwardingStore::live_transact(fn);
    }

  private:
    std::int64_t live_ = 0, hook_at_ = 0;
    std::function<void()> hook_;
};

// A tick begins by reading which workflows run (outside any write transaction), then steps
// leads in one or more batch transactions; API writes go between them. A publish
// that lands there must already apply to the leads the batches step.
class PublishMidTick : public VersionsTest {
  protected:
    void SetUp() override {
        VersionsTest::SetUp();
        scheduler_.reset();
        interleaved_ = std::make_unique<InterleavedStore>(*store_);
        scheduler_ = std::make_unique<Scheduler>(
            *interleaved_, live_config_, [this] { return now_; }, [this] { return mono_; });
        ASSERT_TRUE(scheduler_->init().is_ok());
        app_->set_live(scheduler_.get());
    }
    void TearDown() override {
        scheduler_.reset();
        interleaved_.reset();
        VersionsTest::TearDown();
    }
    // Runs `fn` after the next tick has read the workflows, before its first batch.
    void before_next_batch(std::function<void()> fn) {
        interleaved_->before_live_transaction(1, std::move(fn));
    }

    std::unique_ptr<InterleavedStore> interleaved_;
};

TEST_F(PublishMidTick, LeadsEnrolledAfterAKeepPublishStartOnTheNewVersion) {
    std::string wf = make_graph_workflow(one_call(24), versions_scenario());
    enrol_fixed(wf, "wlead_early_", 10);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(1);
    ASSERT_EQ(put("/v1/workflows/" + wf + "/graph?publish=false", with_retry(24)).status, 200);
    std::vector<std::string> late;
    bool published = false;
    before_next_batch([&] {
        published =
            post("/v1/workflows/" + wf + "/publish", Json{{"migrate", "keep"}}).status == 201;
        late = enrol_fixed(wf, "wlead_late_", 10);
    });
    advance(1);
    ASSERT_TRUE(published);
    ASSERT_EQ(late.size(), 10u);
    for (const std::string& id : late) {
        Json l = lead(wf, id);
        EXPECT_EQ(l["execution"]["phase"], "waiting") << l.dump();
        EXPECT_EQ(l["version"], 2) << "enrolled after version 2 was published: " << l.dump();
    }
}

TEST_F(PublishMidTick, AMovePublishAppliesToTheNextStepOfEveryLead) {
    // Version 1: an hour's wait, then a call. Version 2: the wait converts; the call is gone.
    std::string wf = make_graph_workflow(one_call(1), versions_scenario());
    auto ids = enrol_fixed(wf, "wlead_due_", 10);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(1);
    Json v2{{"nodes", Json::array({time_node("n_wait", 1), end_node("n_won", "CONVERTED")})},
            {"edges", Json::array({edge("e_wait", "n_wait", "n_won")})}};
    ASSERT_EQ(put("/v1/workflows/" + wf + "/graph?publish=false", v2).status, 200);
    bool shown_on_v2 = false;
    before_next_batch([&] {
        Response r = post("/v1/workflows/" + wf + "/publish", Json{{"migrate", "move"}});
        EXPECT_EQ(r.status, 201) << r.body;
        EXPECT_EQ(body_of(r)["leads"]["move"], 10) << r.body;
        shown_on_v2 = lead(wf, ids[0])["version"] == 2;
    });
    advance(40);  // 4,000 s: the hour is over in this tick
    EXPECT_TRUE(shown_on_v2) << "the API showed the leads on version 2 before the step";
    for (const std::string& id : ids) {
        Json l = lead(wf, id);
        EXPECT_EQ(l["status"], "completed") << l.dump();
        EXPECT_EQ(l["version"], 2) << l.dump();
        for (const Json& h : history(wf, id)) {
            EXPECT_NE(h["node_id"], "n_call1") << "stepped on version 1 after the publish";
        }
    }
    EXPECT_TRUE(body_of(get("/v1/calls?workflow_id=" + wf))["data"].empty());
}

TEST_F(PublishMidTick, StuckLeadsWokenByAPublishAreReevaluatedOnIt) {
    // Version 1 has no edge for BUSY: every lead is stuck after its call. Version 2 adds one.
    Json busy = versions_scenario();
    busy["nodes"]["n_call1"]["outcomes"] =
        Json{{"COMPLETED", 0}, {"NO_ANSWER", 0}, {"BUSY", 1}, {"VOICEMAIL", 0}, {"FAILED", 0}};
    Json v1{{"nodes", Json::array({call_node("n_call1", "Call"), end_node("n_won", "CONVERTED")})},
            {"edges", Json::array({edge("e_won1", "n_call1", "n_won", "COMPLETED")})}};
    std::string wf = make_graph_workflow(v1, busy);
    auto ids = enrol_fixed(wf, "wlead_stuck_", 5);
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(1);  // the calls are placed
    advance(1);  // and end: stuck
    ASSERT_EQ(lead(wf, ids[0])["execution"]["phase"], "stuck");
    ASSERT_EQ(put("/v1/workflows/" + wf + "/graph?publish=false", one_call(0)).status, 200);
    before_next_batch([&] {
        EXPECT_EQ(post("/v1/workflows/" + wf + "/publish", Json{{"migrate", "move"}}).status, 201);
    });
    advance(1);
    for (int i = 0; i < 3; ++i) advance(1);
    for (const std::string& id : ids) {
        Json l = lead(wf, id);
        EXPECT_EQ(l["status"], "dropped") << l.dump();
        EXPECT_EQ(l["version"], 2) << l.dump();
    }
}

TEST_F(PublishMidTick, LeadsOfAWorkflowPausedBeforeTheBatchDoNotStart) {
    std::string wf = make_graph_workflow(one_call(24), versions_scenario());
    ASSERT_EQ(post("/v1/workflows/" + wf + "/activate", Json()).status, 200);
    advance(1);
    auto ids = enrol_fixed(wf, "wlead_paused_", 3);
    before_next_batch(
        [&] { EXPECT_EQ(post("/v1/workflows/" + wf + "/pause", Json()).status, 200); });
    EXPECT_EQ(advance(1), 0);
    for (const std::string& id : ids) {
        EXPECT_EQ(lead(wf, id)["execution"]["phase"], "entering") << "started while paused";
    }
}

}  // namespace
}  // namespace leadflow::server::testing
