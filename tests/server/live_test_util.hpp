// tests/server/live_test_util.hpp — ApiTest plus a live Scheduler on the same fake clocks, and
// helpers to import the reference fixtures, enrol leads and run ticks.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/scheduler.hpp"
#include "server_test_util.hpp"

namespace leadflow::server::testing {

// A store that hands every call to `inner`: tests derive from it to watch or delay one kind of
// transaction (e.g. the scheduler's) and leave the rest as they are.
class ForwardingStore : public Store {
  public:
    explicit ForwardingStore(Store& inner) : inner_(inner) {}
    Status transact(const std::function<Status(StoreTx&)>& fn) override {
        return inner_.transact(fn);
    }
    Status live_transact(const std::function<Status(StoreTx&)>& fn) override {
        return inner_.live_transact(fn);
    }
    bool api_write_waiting() const override { return inner_.api_write_waiting(); }
    Status read(const std::function<Status(StoreTx&)>& fn) override { return inner_.read(fn); }
    int schema_version() const override { return inner_.schema_version(); }
    std::optional<std::int64_t> commit_counter() override { return inner_.commit_counter(); }

  private:
    Store& inner_;
};

class LiveTest : public ApiTest {
  protected:
    void SetUp() override;
    void TearDown() override;

    // Restart: reopens the database, the app and a new scheduler on the same file.
    void restart_live();
    // A workflow with the fixture's graph, settings and scenario (tests/fixtures/NAME.json).
    std::string import_fixture(const std::string& name);
    // Enrols `n` leads (distinct valid US numbers, optional variables); returns their ids.
    std::vector<std::string> enrol(const std::string& wf, int n, const Json& variables = Json());
    // Advances the monotonic clock by `wall_ms` and runs one tick; returns the steps persisted.
    std::int64_t advance(TimeMs wall_ms);
    // Ticks with `wall_ms` steps until the workflow's status is `status` (at most max_ticks).
    bool run_until_status(const std::string& wf, const std::string& status, TimeMs wall_ms,
                          int max_ticks = 10000);
    // call → won (COMPLETED) / lost (default); the sandbox answers with `outcome` always, after
    // 60 s. Sets nodes_ = {call, won, lost}.
    std::string simple_call_workflow(const std::string& outcome, const Json& settings = Json());
    // TIME (duration) → CONVERTED. Sets nodes_ = {wait, won}.
    std::string wait_workflow(double hours);
    // POSTs a call result for `call_id` signed with `secret` (Standard Webhooks, at the fake
    // wall clock; a new webhook-id each time; unsigned when `secret` is empty).
    Response post_call_result(const std::string& call_id, const std::string& body,
                              const std::string& secret);
    // Restarts on the webhook call provider (call results signed with the secret "s3cret"),
    // enrols `n` leads in simple_call_workflow("COMPLETED"), activates it and runs one tick, so
    // that each lead's call is in flight. Sets *wf to the workflow and *ids to the leads.
    void start_webhook_calls(int n, std::string* wf, std::vector<std::string>* ids);
    Json lead(const std::string& wf, const std::string& id);
    Json history(const std::string& wf, const std::string& id);
    // The lead's raw history events (`?events=true`).
    Json events(const std::string& wf, const std::string& id);
    Json workflow(const std::string& wf);
    // The entries of `hist` (history()) whose status is `status`.
    int count_status(const Json& hist, const std::string& status);

    RuntimeConfig live_config_;
    std::unique_ptr<Scheduler> scheduler_;
    int next_phone_ = 0;
    int next_message_ = 0;
    std::vector<std::string> nodes_;
};

}  // namespace leadflow::server::testing
