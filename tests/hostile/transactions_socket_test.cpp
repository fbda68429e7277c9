// tests/hostile/transactions_socket_test.cpp — issue 14, item 1, end to end: a CSV upload
// with one byte that is not UTF-8 made a transaction body throw and left the writer connection
// inside its transaction, so every later write of every organization failed and the scheduler
// stopped. Through a real socket to the real server binary.
#include <gtest/gtest.h>

#include <string>

#include "api_client.hpp"
#include "leadflow/json.hpp"
#include "process_test_util.hpp"
#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

// End to end: the upload that used to leave BEGIN IMMEDIATE open on the writer connection.
TEST(TransactionsThroughSocket, InvalidUtf8CsvDoesNotWedgeOtherOrganizationsOrTheScheduler) {
    TempDir dir;
    const std::string db = dir.path() + "/wedge.db";
    const std::string key_a = create_key(db, "acme");
    const std::string key_b = create_key(db, "globex");
    // One hour of TIME holds passes in about 36 wall ms.
    ServerProcess server(
        {"serve", "--db", db, "--port", "0", "--rate-limit", "0", "--time-scale", "100000"});
    ASSERT_GT(server.port(), 0);
    ApiClient api(server.port());

    const std::string wf_a = api.time_chain_workflow(key_a, 1, 60);
    ASSERT_FALSE(wf_a.empty());
    ApiReply bad = api.upload_csv("/v1/workflows/" + wf_a + "/leads", key_a,
                                  "phone_number,name\n+14155550100,Jos\xe9\n");
    // Whatever the upload answered (a 400 for the bad byte, or a 500), it must not be followed
    // by failures.
    ASSERT_NE(bad.status, 0) << "the server did not answer the upload";

    // Another organization writes, and its leads move through the scheduler.
    const std::string wf_b = api.time_chain_workflow(key_b, 2, 30);
    ASSERT_FALSE(wf_b.empty());
    auto ids = api.enrol(key_b, wf_b, 20);
    ASSERT_EQ(ids.size(), 20u);
    ApiReply act = api.call("POST", "/v1/workflows/" + wf_b + "/activate", key_b);
    ASSERT_EQ(act.status, 200) << act.body.dump();
    EXPECT_TRUE(poll_until(
        [&] {
            return api.call("GET", "/v1/workflows/" + wf_b, key_b).body["status"] == "completed";
        },
        60))
        << api.call("GET", "/v1/workflows/" + wf_b, key_b).body.dump();
    // The first organization writes too.
    ApiReply good = api.upload_csv("/v1/workflows/" + wf_a + "/leads", key_a,
                                   "phone_number,name\n+14155550101,Jose\n");
    EXPECT_EQ(good.status, 201) << good.body.dump();
    ApiReply ready = api.call("GET", "/readyz", "");
    EXPECT_EQ(ready.status, 200) << ready.body.dump();
}

}  // namespace
}  // namespace leadflow::server::testing
