// web/app/workflow_ops.cpp — server mode's workflow list: the requests behind the Server tab's
// list (a page of workflows with a title search the server filters on, sent once typing pauses).
#include "app.hpp"
#include "platform.hpp"

namespace leadflow::web {

namespace {

void fail(AppState& app, const std::string& what, const HttpAnswer& a) {
    app.server.error = what + ": " + a.message();
    app.notify(app.server.error, 8.0);
}

// Asks for page `page` of the workflows whose title contains `search`. Only the newest list
// request's answer is shown: a slow answer to an older search must not replace a newer one.
void request_list(AppState& app, std::int64_t page, const std::string& search) {
    const std::uint64_t seq = ++app.server.list_seq;
    server_request(app, "GET", workflow_list_path(page, search), nullptr,
                   [seq, search](AppState& a, const HttpAnswer& r) {
                       if (seq != a.server.list_seq) return;
                       if (!r.ok()) return fail(a, "Listing workflows failed", r);
                       Result<WorkflowPage> p = read_workflow_page(r.body);
                       if (!p.ok()) {
                           a.server.error = p.status().message();
                           return;
                       }
                       // A page past the end (workflows deleted meanwhile): show the last one.
                       if (p->rows.empty() && p->page > p->total_pages) {
                           return request_list(a, p->total_pages, search);
                       }
                       a.server.list = std::move(*p);
                       a.server.list_search = search;
                   });
}

}  // namespace

void server_refresh_list(AppState& app) {
    app.server.error.clear();
    request_list(app, app.server.list.page, app.server.list_search);
}

void server_list_page(AppState& app, std::int64_t page) {
    app.server.error.clear();
    request_list(app, page, app.server.list_search);
}

void server_set_search(AppState& app, const std::string& text, bool typing) {
    ServerUi& s = app.server;
    s.search = text;
    if (typing) {
        s.search_due_ms = platform::now_ms() + kSearchPauseMs;
        return;
    }
    s.search_due_ms = -1;
    s.error.clear();
    request_list(app, 1, text);
}

void workflow_list_tick(AppState& app) {
    ServerUi& s = app.server;
    if (s.search_due_ms < 0 || !s.signed_in || platform::now_ms() < s.search_due_ms) return;
    server_set_search(app, s.search);
}

Json workflow_list_status_json(const AppState& app) {
    const ServerUi& s = app.server;
    Json titles = Json::array(), ids = Json::array();
    for (const WorkflowRow& r : s.list.rows) {
        titles.push_back(r.title);
        ids.push_back(r.id);
    }
    return Json{{"page", s.list.page},
                {"total", s.list.total},
                {"total_pages", s.list.total_pages},
                {"range", workflow_range_label(s.list, s.list_search)},
                {"search", s.list_search},
                {"search_pending", s.search_due_ms >= 0},
                {"titles", titles},
                {"ids", ids}};
}

}  // namespace leadflow::web
