// tests/server/call_result_test.cpp — a provider's call result is outside input: a result with
// an out-of-range or mistyped field is a clear 400 that changes nothing, and the call still
// takes the valid result that follows.
#include <gtest/gtest.h>

#include "live_test_util.hpp"

namespace leadflow::server::testing {
namespace {

class CallResult : public LiveTest {};

TEST_F(CallResult, BadFieldsAre400AndTheCallStillTakesItsResult) {
    std::string wf;
    std::vector<std::string> ids;
    start_webhook_calls(1, &wf, &ids);
    Json call = body_of(get("/v1/calls?lead_id=" + ids[0]))["data"][0];
    ASSERT_EQ(call["status"], "in_progress");
    const std::string id = call["id"].get<std::string>();
    for (const char* bad : {
             R"({"status":"completed","duration_s":1e300})",
             R"({"status":"completed","duration_s":86401})",
             R"({"status":"completed","duration_s":-1})",
             R"({"status":"completed","duration_s":"60"})",
             R"({"status":"completed","analysis":[1,2]})",
             R"({"status":"exploded"})",
             R"({"duration_s":5})",
             R"([1])",
         }) {
        Response r = post_call_result(id, bad, "s3cret");
        EXPECT_EQ(r.status, 400) << bad << " → " << r.body;
        EXPECT_NE(r.body.find("message"), std::string::npos) << r.body;
    }
    Json still = body_of(get("/v1/calls?lead_id=" + ids[0]))["data"][0];
    EXPECT_EQ(still["status"], "in_progress") << "no bad result reached the call log";
    Response ok = post_call_result(
        id, R"({"status":"completed","duration_s":86400,"analysis":{"mood":"warm"}})", "s3cret");
    ASSERT_EQ(ok.status, 200) << ok.body;
    advance(10);
    Json logged = body_of(get("/v1/calls?lead_id=" + ids[0]))["data"][0];
    EXPECT_EQ(logged["status"], "completed");
    EXPECT_DOUBLE_EQ(logged["duration_s"].get<double>(), 86400.0);
    EXPECT_EQ(lead(wf, ids[0])["status"], "completed");
}

TEST_F(CallResult, TheCallLogFiltersByStatus) {
    std::string wf;
    std::vector<std::string> ids;
    start_webhook_calls(2, &wf, &ids);
    const std::string base = "/v1/calls?workflow_id=" + wf;
    EXPECT_EQ(body_of(get(base + "&status=in_progress"))["meta"]["total"], 2);
    const std::string id =
        body_of(get("/v1/calls?lead_id=" + ids[0]))["data"][0]["id"].get<std::string>();
    ASSERT_EQ(post_call_result(id, R"({"status":"no_answer"})", "s3cret").status, 200);
    advance(10);
    Json no_answer = body_of(get(base + "&status=no_answer"));
    ASSERT_EQ(no_answer["meta"]["total"], 1);
    EXPECT_EQ(no_answer["data"][0]["lead_id"], ids[0]);
    EXPECT_EQ(body_of(get(base + "&status=in_progress"))["data"][0]["lead_id"], ids[1]);
    EXPECT_EQ(body_of(get(base + "&status=completed"))["meta"]["total"], 0);
    Response bad = get(base + "&status=exploded");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(body_of(bad)["message"],
              "status must be one of in_progress, completed, no_answer, busy, voicemail, failed");
}

}  // namespace
}  // namespace leadflow::server::testing
