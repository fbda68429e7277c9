// web/app/workflow_list.hpp — the Server tab's workflow list without a browser: the request for
// one page of workflows (with a title search the server filters on), reading the server's page
// and the "41–60 of 250" label. Pure, so it is unit-tested natively; workflow_ops.cpp sends the
// requests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

// Workflows per page of the list (the API's limit allows 1–100).
constexpr std::int64_t kWorkflowPageSize = 20;
// Longest search text sent; longer text is cut (no title is longer than 200 characters).
constexpr std::size_t kMaxWorkflowSearch = 200;

// One row of GET /v1/workflows.
struct WorkflowRow {
    std::string id;
    std::string title;
    std::string status;
};

struct WorkflowPage {
    std::vector<WorkflowRow> rows;  // as served (newest change first)
    std::int64_t page = 1;
    std::int64_t limit = kWorkflowPageSize;
    std::int64_t total = 0;        // workflows matching the search
    std::int64_t total_pages = 1;  // at least 1
};

// Percent-encodes everything but RFC 3986's unreserved characters, so the text reaches the
// server's query parser byte for byte ('&', '+', '#', '%' and spaces included).
std::string query_escape(const std::string& s);
// `s` cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string s, std::size_t max);

// The path of GET /v1/workflows for page `page` (1 when below 1) of kWorkflowPageSize
// workflows, most recently changed first, whose title contains `search` (any case; the server
// filters). `search` is trimmed, cut to kMaxWorkflowSearch bytes and percent-encoded; an empty
// one asks for every workflow.
std::string workflow_list_path(std::int64_t page, const std::string& search);

// Reads a page of workflows ({"data": [...], "meta": {page, limit, total, totalPages}}).
// kInvalidArgument "workflow list answer: …" when the shape is not the documented one (no data
// list, no meta.total, a row without a string id).
Result<WorkflowPage> read_workflow_page(const Json& body);

// "41–60 of 250" for the rows shown; "No workflows" when there are none, "No workflow title
// contains “x”" when a search found none.
std::string workflow_range_label(const WorkflowPage& page, const std::string& search);

// The page to show after one workflow of `page` was deleted: the same page, or the one before
// when the deleted workflow was the only one on the last page.
std::int64_t page_after_delete(const WorkflowPage& page);

// The workflow's title in quotation marks (“Lead nurture”); its id when the title is empty.
std::string quoted_title(const WorkflowRow& row);

// The question asked before deleting: "Delete “Title”? Its graph, versions, leads and history
// are deleted too."
std::string delete_question(const WorkflowRow& row);

}  // namespace leadflow::web
