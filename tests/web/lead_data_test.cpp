// The Server tab's lead table and call log: the page requests with their filters, reading the
// server's pages, the range label and the words shown for calls and for removing a lead.
#include "lead_data.hpp"

#include <gtest/gtest.h>

namespace leadflow::web {
namespace {

TEST(LeadListPath, AsksForOnePageWithTheFiltersGiven) {
    EXPECT_EQ(lead_list_path("wf_1", 3, {}), "/v1/workflows/wf_1/leads?page=3&limit=25");
    EXPECT_EQ(lead_list_path("wf_1", 0, {"removed", ""}),
              "/v1/workflows/wf_1/leads?page=1&limit=25&status=removed");
    // The phone search goes out trimmed and percent-encoded ('+' would read as a space).
    EXPECT_EQ(lead_list_path("wf_1", 2, {"", "  +1 (415) 555  "}),
              "/v1/workflows/wf_1/leads?page=2&limit=25&phone=%2B1%20%28415%29%20555");
    EXPECT_EQ(lead_list_path("wf_1", 1, {"", "   "}), "/v1/workflows/wf_1/leads?page=1&limit=25");
    const std::string path = lead_list_path("wf_1", 1, {"", std::string(100, '5')});
    EXPECT_EQ(path.substr(path.find("&phone=") + 7), std::string(kMaxPhoneSearch, '5'));
}

TEST(LeadPageRead, ReadsRowsAndMeta) {
    Json body = Json{{"data", Json::array({Json{{"id", "wlead_a"},
                                                {"phone_number", "+14155552671"},
                                                {"status", "active"},
                                                {"current_node_id", "node_call1"},
                                                {"created_at", "2026-01-05T09:00:00.000Z"}},
                                           Json{{"id", "wlead_b"},
                                                {"phone_number", "+14155552672"},
                                                {"status", "pending"},
                                                {"current_node_id", nullptr}}})},
                     {"meta", {{"page", 5}, {"limit", 25}, {"total", 102}, {"totalPages", 5}}}};
    auto p = read_lead_page(body);
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_EQ(p->page, 5);
    EXPECT_EQ(p->total, 102);
    EXPECT_EQ(p->total_pages, 5);
    ASSERT_EQ(p->rows.size(), 2u);
    EXPECT_EQ(p->rows[0].current_node_id, "node_call1");
    EXPECT_EQ(p->rows[1].current_node_id, "");
    EXPECT_EQ(p->rows[1].phone_number, "+14155552672");
    EXPECT_EQ(page_range_label(p->page, p->limit, p->total, p->rows.size(), "No leads"),
              "101\xE2\x80\x93"
              "102 of 102");
}

TEST(LeadPageRead, AnswersOfAnotherShapeAreErrors) {
    EXPECT_EQ(read_lead_page(Json::array()).status().message(), "lead list answer: no data list");
    EXPECT_EQ(read_lead_page(Json{{"data", Json::array()}}).status().message(),
              "lead list answer: no meta");
    EXPECT_EQ(read_lead_page(Json{{"data", Json::array({Json{{"phone_number", "+1"}}})},
                                  {"meta", {{"total", 1}}}})
                  .status()
                  .message(),
              "lead list answer: a row without an id");
    // Without totalPages it is computed from the total and the limit.
    auto p = read_lead_page(Json{{"data", Json::array()}, {"meta", {{"total", 51}}}});
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->total_pages, 3);
    EXPECT_EQ(page_range_label(p->page, p->limit, p->total, p->rows.size(), "No leads"),
              "No leads");
}

TEST(CallListPath, FiltersByWorkflowLeadAndStatus) {
    EXPECT_EQ(call_list_path(1, 25, {}), "/v1/calls?page=1&limit=25");
    EXPECT_EQ(call_list_path(2, 500, {"wf_1", "wlead_2", "no_answer"}),
              "/v1/calls?page=2&limit=100&workflow_id=wf_1&lead_id=wlead_2&status=no_answer");
    EXPECT_EQ(call_list_path(-4, 0, {"", "a&b", ""}), "/v1/calls?page=1&limit=1&lead_id=a%26b");
}

TEST(CallPageRead, ReadsOutcomeDurationAndAnalysis) {
    Json body =
        Json{{"data", Json::array({Json{{"id", "call_1"},
                                        {"lead_id", "wlead_a"},
                                        {"status", "completed"},
                                        {"outcome", "COMPLETED"},
                                        {"duration_s", 97.4},
                                        {"analysis", {{"interested", "true"}, {"score", 7}}}},
                                   Json{{"id", "call_2"},
                                        {"status", "in_progress"},
                                        {"outcome", nullptr},
                                        {"duration_s", nullptr}}})},
             {"meta", {{"page", 1}, {"limit", 25}, {"total", 2}, {"totalPages", 1}}}};
    auto p = read_call_page(body);
    ASSERT_TRUE(p.ok()) << p.status().message();
    ASSERT_EQ(p->rows.size(), 2u);
    EXPECT_EQ(p->rows[0].outcome, "COMPLETED");
    EXPECT_EQ(call_duration_text(p->rows[0].duration_s), "1m 37s");
    EXPECT_EQ(call_analysis_text(p->rows[0].analysis), "interested: true, score: 7");
    EXPECT_EQ(p->rows[1].outcome, "");
    EXPECT_EQ(call_duration_text(p->rows[1].duration_s), "\xE2\x80\x94");
    EXPECT_EQ(call_analysis_text(p->rows[1].analysis), "");
    EXPECT_EQ(call_duration_text(42.2), "42s");
    EXPECT_EQ(read_call_page(Json{{"data", 3}}).status().message(),
              "call log answer: no data list");
}

TEST(RemoveLead, TheQuestionNamesThePhoneNumber) {
    LeadRow row;
    row.id = "wlead_a";
    EXPECT_EQ(remove_lead_question(row),
              "Remove wlead_a from the workflow? It stops where it is; its history and calls "
              "stay.");
    row.phone_number = "+14155552671";
    EXPECT_NE(remove_lead_question(row).find("Remove +14155552671 from"), std::string::npos);
}

}  // namespace
}  // namespace leadflow::web
