// The Server tab's workflow list: the page request with a title search, reading a page, the
// "41–60 of 250" label, the page shown after a delete and the words naming a workflow.
#include "workflow_list.hpp"

#include <gtest/gtest.h>

namespace leadflow::web {
namespace {

Json page_json(std::int64_t page, std::int64_t rows, std::int64_t total) {
    Json data = Json::array();
    for (std::int64_t i = 0; i < rows; ++i) {
        data.push_back(Json{{"id", "wf_" + std::to_string(i)},
                            {"title", "Flow " + std::to_string(i)},
                            {"status", "draft"}});
    }
    return Json{
        {"data", data},
        {"meta",
         {{"page", page}, {"limit", 20}, {"total", total}, {"totalPages", (total + 19) / 20}}}};
}

TEST(WorkflowListPath, AsksForOnePageNewestChangeFirst) {
    EXPECT_EQ(workflow_list_path(3, ""),
              "/v1/workflows?page=3&limit=20&sortBy=updated_at&sortOrder=DESC");
    EXPECT_EQ(workflow_list_path(0, "   "),
              "/v1/workflows?page=1&limit=20&sortBy=updated_at&sortOrder=DESC");
}

TEST(WorkflowListPath, SearchIsTrimmedAndPercentEncoded) {
    EXPECT_EQ(workflow_list_path(1, "  Q3 & 50%+ #1 \xC3\xA9  "),
              "/v1/workflows?page=1&limit=20&sortBy=updated_at&sortOrder=DESC"
              "&search=Q3%20%26%2050%25%2B%20%231%20%C3%A9");
    EXPECT_NE(workflow_list_path(1, "a-b_c.d~e").find("&search=a-b_c.d~e"), std::string::npos);
}

TEST(WorkflowListPath, LongSearchIsCutWithoutSplittingACharacter) {
    // 199 ASCII bytes then a two-byte character: cutting at 200 would split it.
    const std::string text = std::string(199, 'a') + "\xC3\xA9" + "tail";
    const std::string path = workflow_list_path(1, text);
    const std::string tail = path.substr(path.find("&search=") + 8);
    EXPECT_EQ(tail, std::string(199, 'a'));
}

TEST(WorkflowPageRead, ReadsRowsAndMeta) {
    auto p = read_workflow_page(page_json(3, 20, 250));
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_EQ(p->page, 3);
    EXPECT_EQ(p->total, 250);
    EXPECT_EQ(p->total_pages, 13);
    ASSERT_EQ(p->rows.size(), 20u);
    EXPECT_EQ(p->rows[4].id, "wf_4");
    EXPECT_EQ(p->rows[4].title, "Flow 4");
    EXPECT_EQ(p->rows[4].status, "draft");
}

TEST(WorkflowPageRead, MissingTotalPagesIsComputed) {
    Json body = page_json(1, 20, 41);
    body["meta"].erase("totalPages");
    auto p = read_workflow_page(body);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->total_pages, 3);
}

TEST(WorkflowPageRead, WrongShapesAreNamed) {
    EXPECT_NE(read_workflow_page(Json::array()).status().message().find("no data list"),
              std::string::npos);
    EXPECT_NE(read_workflow_page(Json{{"data", Json::array()}}).status().message().find("no meta"),
              std::string::npos);
    Json no_total = page_json(1, 1, 1);
    no_total["meta"].erase("total");
    EXPECT_NE(read_workflow_page(no_total).status().message().find("meta.total"),
              std::string::npos);
    Json no_id = page_json(1, 1, 1);
    no_id["data"][0].erase("id");
    auto r = read_workflow_page(no_id);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("without an id"), std::string::npos);
}

TEST(WorkflowRangeLabel, NamesTheRowsShownAndTheTotal) {
    EXPECT_EQ(workflow_range_label(*read_workflow_page(page_json(3, 20, 250)), ""),
              "41\xE2\x80\x93"
              "60 of 250");
    EXPECT_EQ(workflow_range_label(*read_workflow_page(page_json(7, 10, 130)), ""),
              "121\xE2\x80\x93"
              "130 of 130");
    EXPECT_EQ(workflow_range_label(*read_workflow_page(page_json(1, 1, 1)), "x"),
              "1\xE2\x80\x93"
              "1 of 1");
}

TEST(WorkflowRangeLabel, EmptyListsSayWhy) {
    EXPECT_EQ(workflow_range_label(*read_workflow_page(page_json(1, 0, 0)), " "), "No workflows");
    EXPECT_EQ(workflow_range_label(*read_workflow_page(page_json(1, 0, 0)), " Q3 "),
              "No workflow title contains \xE2\x80\x9CQ3\xE2\x80\x9D");
    EXPECT_EQ(workflow_range_label(*read_workflow_page(page_json(9, 0, 130)), ""),
              "No workflows on this page");
}

TEST(PageAfterDelete, StepsBackOnlyFromAnEmptiedLastPage) {
    EXPECT_EQ(page_after_delete(*read_workflow_page(page_json(7, 1, 121))), 6);
    EXPECT_EQ(page_after_delete(*read_workflow_page(page_json(7, 2, 122))), 7);
    EXPECT_EQ(page_after_delete(*read_workflow_page(page_json(1, 1, 1))), 1);
    EXPECT_EQ(page_after_delete(*read_workflow_page(page_json(3, 20, 250))), 3);
}

TEST(DeleteQuestion, NamesTheWorkflow) {
    EXPECT_EQ(delete_question({"wf_1", "Lead nurture", "draft"}),
              "Delete \xE2\x80\x9CLead nurture\xE2\x80\x9D? Its graph, versions, leads and "
              "history are deleted too.");
    EXPECT_EQ(quoted_title({"wf_1", "", "draft"}), "\xE2\x80\x9Cwf_1\xE2\x80\x9D");
}

}  // namespace
}  // namespace leadflow::web
