// web/app/workflow_ops.cpp — server mode's workflow list: the requests behind the Server tab's
// list (a page of workflows with a title search the server filters on, sent once typing
// pauses) and its row actions, Delete (after a confirmation) and Duplicate.
#include <optional>
#include <utility>

#include "app.hpp"
#include "json_fields.hpp"
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

// The row of `workflow_id` on the page shown, or the open workflow's, or the bare id.
WorkflowRow row_of(const AppState& app, const std::string& workflow_id) {
    for (const WorkflowRow& r : app.server.list.rows) {
        if (r.id == workflow_id) return r;
    }
    WorkflowRow r;
    r.id = workflow_id;
    if (workflow_id == app.server.workflow_id) {
        r.title = json_str(app.server.workflow, "title");
        r.status = json_str(app.server.workflow, "status");
    }
    return r;
}

void server_delete_ask(AppState& app, const std::string& workflow_id) {
    if (workflow_id.empty()) return;
    app.server.error.clear();
    app.server.confirm_delete = row_of(app, workflow_id);
}

void server_delete_cancel(AppState& app) {
    app.server.confirm_delete = WorkflowRow{};
}

void server_delete_confirm(AppState& app) {
    ServerUi& s = app.server;
    const WorkflowRow row = s.confirm_delete;
    if (row.id.empty()) return;
    s.confirm_delete = WorkflowRow{};
    s.error.clear();
    bool listed = false;
    for (const WorkflowRow& r : s.list.rows) listed = listed || r.id == row.id;
    const std::int64_t page = listed ? page_after_delete(s.list) : s.list.page;
    server_request(app, "DELETE", "/v1/workflows/" + row.id, nullptr,
                   [row, page](AppState& a, const HttpAnswer& r) {
                       if (!r.ok()) return fail(a, "Cannot delete " + quoted_title(row), r);
                       ServerUi& t = a.server;
                       t.info = "Deleted " + quoted_title(row);
                       a.notify(t.info);
                       if (t.workflow_id == row.id) {
                           // The editor keeps the graph; it is no longer on the server.
                           t.workflow_id.clear();
                           t.workflow = nullptr;
                           t.validation = nullptr;
                           t.live = false;
                           t.node_counts.clear();
                           t.node_active.clear();
                           t.history.clear();
                           calibration_reset(t);
                           forecast_reset(t);
                           t.leads = LeadTableUi{};
                           versions_reset(a, "");
                       }
                       request_list(a, page, t.list_search);
                   });
}

void server_duplicate(AppState& app, const std::string& workflow_id) {
    if (workflow_id.empty()) return;
    app.server.error.clear();
    const WorkflowRow row = row_of(app, workflow_id);
    // The open workflow with unsaved edits: the server copies the stored draft, then the copy's
    // draft gets the editor's graph and fields. The original's draft stays as it was stored (the
    // edits belong to the copy the user goes on with). The bodies are taken now, so edits made
    // while the requests run do not leak into the copy either.
    std::optional<std::pair<Json, Json>> edits;
    if (workflow_id == app.server.workflow_id && versions_unsaved(app)) {
        edits.emplace(graph_body(app.editor.graph()), workflow_patch(app.editor.graph()));
    }
    server_request(app, "POST", "/v1/workflows/" + row.id + "/duplicate", Json::object(),
                   [row, edits](AppState& b, const HttpAnswer& r) {
                       if (!r.ok()) return fail(b, "Cannot duplicate " + quoted_title(row), r);
                       const std::string id = json_str(r.body, "id");
                       if (id.empty()) {
                           b.server.error = "The duplicate answer has no workflow id";
                           return;
                       }
                       // The copy keeps the server's title ("… (copy)"), not the original's.
                       const std::string title = json_str(r.body, "title");
                       auto opened = [id, title](AppState& c) {
                           c.notify("Duplicated as " + quoted_title({id, title, ""}));
                           server_open(c, id);
                           // The copy is the most recently changed workflow: page 1 shows it.
                           request_list(c, 1, c.server.list_search);
                       };
                       if (!edits) return opened(b);
                       Json patch = edits->second;
                       if (!title.empty()) patch["title"] = title;
                       const std::string path = "/v1/workflows/" + id;
                       server_request(b, "PUT", path + "/graph?publish=false", edits->first,
                                      [path, patch, opened](AppState& c, const HttpAnswer& g) {
                                          if (!g.ok())
                                              return fail(c, "Saving the copy's graph failed", g);
                                          server_request(
                                              c, "PATCH", path + "?publish=false", patch,
                                              [opened](AppState& d, const HttpAnswer& p) {
                                                  if (!p.ok()) {
                                                      return fail(d, "Saving the copy failed", p);
                                                  }
                                                  opened(d);
                                              });
                                      });
                   });
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
                {"ids", ids},
                {"confirm_delete",
                 s.confirm_delete.id.empty() ? std::string() : delete_question(s.confirm_delete)}};
}

}  // namespace leadflow::web
