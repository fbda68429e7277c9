// Server mode's data handling: the CSV of an enrolment from pasted text, the enrolment answer
// (count or grouped row errors) and the live view's node counts.
#include "server_data.hpp"

#include <gtest/gtest.h>

namespace leadflow::web {
namespace {

TEST(EnrolmentCsv, OneNumberPerLineBecomesAQuotedPhoneColumn) {
    auto csv = enrolment_csv("  +1 415 555 2671\r\n\n(415) 555-2672  \n\"odd\"\n");
    ASSERT_TRUE(csv.ok()) << csv.status().message();
    EXPECT_EQ(*csv, "phone_number\n\"+1 415 555 2671\"\n\"(415) 555-2672\"\n\"\"\"odd\"\"\"\n");
}

TEST(EnrolmentCsv, CsvWithAPhoneNumberHeaderIsSentAsItIs) {
    const std::string text =
        "\n\xEF\xBB\xBF"
        "name,\"Phone_Number\",city\nAnn,+14155552671,Pune\n";
    auto csv = enrolment_csv(text);
    ASSERT_TRUE(csv.ok());
    EXPECT_EQ(*csv, text);
    // A header without the column is not a header: each line is taken as a number.
    auto plain = enrolment_csv("name,phone\nAnn,+14155552671\n");
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(*plain, "phone_number\n\"name,phone\"\n\"Ann,+14155552671\"\n");
}

TEST(EnrolmentCsv, NothingToEnrolIsAClearError) {
    for (const char* text : {"", "   \n\t\r\n"}) {
        auto csv = enrolment_csv(text);
        ASSERT_FALSE(csv.ok());
        EXPECT_EQ(csv.status().code(), StatusCode::kInvalidArgument);
        EXPECT_NE(csv.status().message().find("phone_number column"), std::string::npos);
    }
}

TEST(EnrolAnswer, CreatedGivesTheCount) {
    EnrolOutcome o =
        read_enrol_answer(201, Json{{"data", Json::object()}, {"count", 3}, {"leads_enrolled", 3}});
    EXPECT_TRUE(o.ok);
    EXPECT_EQ(o.enrolled, 3);
    EXPECT_EQ(o.summary, "Enrolled 3 leads");
    EXPECT_TRUE(o.lines.empty());
    EXPECT_EQ(read_enrol_answer(201, Json{{"count", 1}}).summary, "Enrolled 1 lead");
}

TEST(EnrolAnswer, RowErrorsAreListedByReasonWithTheirRows) {
    Json rows = Json::array();
    for (int i = 1; i <= 7; ++i) rows.push_back(Json{{"position", i}, {"phone_number", "x"}});
    Json body{{"statusCode", 400},
              {"message", Json::array({"Invalid phone number: 7 row(s)"})},
              {"errors",
               Json::array(
                   {Json{{"reason", "Invalid phone number"}, {"rows", rows}},
                    Json{{"reason", "Missing phone number"},
                         {"rows", Json::array({Json{{"position", 9}, {"phone_number", ""}}})}}})}};
    EnrolOutcome o = read_enrol_answer(400, body);
    EXPECT_FALSE(o.ok);
    EXPECT_EQ(o.enrolled, 0);
    EXPECT_EQ(o.summary, "Nothing was enrolled: 8 rows were rejected. Fix them and enrol again.");
    ASSERT_EQ(o.lines.size(), 2u);
    EXPECT_EQ(o.lines[0],
              "Invalid phone number: 7 rows (row 1: x, row 2: x, row 3: x, row 4: x, row 5: x, …)");
    EXPECT_EQ(o.lines[1], "Missing phone number: 1 row (row 9: (empty))");
}

TEST(EnrolAnswer, OtherFailuresShowTheServersMessage) {
    EnrolOutcome o = read_enrol_answer(
        409,
        Json{{"statusCode", 409}, {"message", "Leads cannot be added to a completed workflow"}});
    EXPECT_FALSE(o.ok);
    EXPECT_EQ(o.summary, "Nothing was enrolled: Leads cannot be added to a completed workflow");
    EXPECT_EQ(read_enrol_answer(400, Json{{"message", Json::array({"a", "b"})}}).summary,
              "Nothing was enrolled: a; b");
    EXPECT_EQ(read_enrol_answer(502, nullptr).summary, "Nothing was enrolled: HTTP 502");
    EXPECT_FALSE(read_enrol_answer(0, nullptr).ok);
    EXPECT_NE(read_enrol_answer(0, nullptr).summary.find("cannot be reached"), std::string::npos);
}

TEST(LivePoll, OnceASecondButNeverMoreThanAQuarterOfTheTimeForSlowCounts) {
    EXPECT_DOUBLE_EQ(next_live_poll_ms(5000, 5020), 6000);   // quick answer: once a second
    EXPECT_DOUBLE_EQ(next_live_poll_ms(5000, 7000), 13000);  // 2 s answer: 6 s of rest
    EXPECT_DOUBLE_EQ(next_live_poll_ms(5000, 4000), 6000);   // clock oddities change nothing
}

TEST(NodeCounts, ReadsTotalsActiveAndNotStarted) {
    Json body = Json::parse(R"({"data": [
        {"node_id": "call", "total": 1200, "by_status": {"active": 700, "removed": 500}},
        {"node_id": "won", "total": 0, "by_status": {}}],
      "not_started": 4, "lead_counts": {"active": 700}, "enrolled_leads": 1204})");
    auto c = read_node_counts(body);
    ASSERT_TRUE(c.ok()) << c.status().message();
    EXPECT_EQ(c->total, (std::map<std::string, std::int64_t>{{"call", 1200}, {"won", 0}}));
    EXPECT_EQ(c->active, (std::map<std::string, std::int64_t>{{"call", 700}}));
    EXPECT_EQ(c->not_started, 4);
    EXPECT_EQ(c->enrolled, 1204);
}

TEST(NodeCounts, AnswersOfAnotherShapeAreRefused) {
    for (const char* text : {R"({"data": {}})", R"({"data": [{"node_id": 3, "total": 1}]})",
                             R"({"data": [], "enrolled_leads": 0})", "null"}) {
        auto c = read_node_counts(Json::parse(text));
        ASSERT_FALSE(c.ok()) << text;
        EXPECT_NE(c.status().message().find("node counts answer"), std::string::npos);
    }
}

}  // namespace
}  // namespace leadflow::web
