// web/app/workflow_list.cpp — the workflow list's request, answer and label, and the words
// of deleting.
#include "workflow_list.hpp"

#include <algorithm>

#include "json_fields.hpp"
#include "leadflow/text.hpp"

namespace leadflow::web {

std::string query_escape(const std::string& s) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string cut_utf8(std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
    return s;
}

namespace {

std::string quoted(const std::string& s) {
    return "\xE2\x80\x9C" + s + "\xE2\x80\x9D";
}

}  // namespace

std::string workflow_list_path(std::int64_t page, const std::string& search) {
    std::string path = "/v1/workflows?page=" + std::to_string(std::max<std::int64_t>(page, 1)) +
                       "&limit=" + std::to_string(kWorkflowPageSize) +
                       "&sortBy=updated_at&sortOrder=DESC";
    const std::string text = cut_utf8(trim(search), kMaxWorkflowSearch);
    if (!text.empty()) path += "&search=" + query_escape(text);
    return path;
}

Result<WorkflowPage> read_workflow_page(const Json& body) {
    auto bad = [](const std::string& what) {
        return Status::invalid("workflow list answer: " + what);
    };
    if (!body.is_object() || !body.contains("data") || !body["data"].is_array()) {
        return bad("no data list");
    }
    if (!body.contains("meta") || !body["meta"].is_object()) return bad("no meta");
    WorkflowPage out;
    const Json& meta = body["meta"];
    if (!json_int(meta, "total", &out.total) || out.total < 0) return bad("no meta.total");
    json_int(meta, "page", &out.page);
    json_int(meta, "limit", &out.limit);
    if (out.page < 1) out.page = 1;
    if (out.limit < 1) out.limit = kWorkflowPageSize;
    if (!json_int(meta, "totalPages", &out.total_pages) || out.total_pages < 1) {
        out.total_pages = std::max<std::int64_t>(1, (out.total + out.limit - 1) / out.limit);
    }
    for (const Json& w : body["data"]) {
        WorkflowRow r;
        r.id = json_str(w, "id");
        if (r.id.empty()) return bad("a workflow without an id");
        r.title = json_str(w, "title");
        r.status = json_str(w, "status");
        out.rows.push_back(std::move(r));
    }
    return out;
}

std::string workflow_range_label(const WorkflowPage& page, const std::string& search) {
    if (page.rows.empty()) {
        const std::string text = trim(search);
        if (text.empty()) return page.total > 0 ? "No workflows on this page" : "No workflows";
        return "No workflow title contains " + quoted(text);
    }
    const std::int64_t first = (page.page - 1) * page.limit + 1;
    const std::int64_t last = first + static_cast<std::int64_t>(page.rows.size()) - 1;
    return std::to_string(first) + "\xE2\x80\x93" + std::to_string(last) + " of " +
           std::to_string(std::max(page.total, last));
}

std::int64_t page_after_delete(const WorkflowPage& page) {
    if (page.page > 1 && page.rows.size() <= 1) return page.page - 1;
    return page.page;
}

std::string quoted_title(const WorkflowRow& row) {
    return quoted(row.title.empty() ? row.id : row.title);
}

std::string delete_question(const WorkflowRow& row) {
    return "Delete " + quoted_title(row) +
           "? Its graph, versions, leads and history are deleted too.";
}

}  // namespace leadflow::web
