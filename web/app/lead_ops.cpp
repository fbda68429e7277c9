// web/app/lead_ops.cpp — server mode's operations on a running workflow's leads: the requests
// behind the lead table (a page of leads filtered by status and searched by phone number on the
// server), one lead's detail (the lead, its history and its calls), removing a lead after a
// confirmation, and the call log with its filters. A refusal shows the server's message as it
// words it (docs/api.md#errors).
#include "app.hpp"
#include "json_fields.hpp"
#include "platform.hpp"

namespace leadflow::web {

namespace {

std::string leads_path(const std::string& workflow_id, const std::string& tail = "") {
    return "/v1/workflows/" + workflow_id + "/leads" + tail;
}

// Asks for page `page` of the table's workflow's leads with `filter`. Only the newest request's
// answer is shown: a slow answer to an older search must not replace a newer one.
void request_leads(AppState& app, std::int64_t page, const LeadFilter& filter) {
    LeadTableUi& t = app.server.leads;
    if (t.workflow_id.empty()) return;
    const std::uint64_t seq = ++t.seq;
    t.asked = filter;
    t.asked_page = page;
    server_request(app, "GET", lead_list_path(t.workflow_id, page, filter), nullptr,
                   [seq, filter](AppState& a, const HttpAnswer& r) {
                       LeadTableUi& u = a.server.leads;
                       if (seq != u.seq) return;
                       if (!r.ok()) {
                           u.error = r.message();
                           return;
                       }
                       Result<LeadPage> p = read_lead_page(r.body);
                       if (!p.ok()) {
                           u.error = p.status().message();
                           return;
                       }
                       // A page past the end (the filter matches fewer leads now): the last one.
                       if (p->rows.empty() && p->page > p->total_pages) {
                           return request_leads(a, p->total_pages, filter);
                       }
                       u.error.clear();
                       u.page = std::move(*p);
                       u.shown = filter;
                   });
}

// The row of `lead_id` on the page shown (or the selected lead), or the bare id.
LeadRow row_of(const AppState& app, const std::string& lead_id) {
    const LeadTableUi& t = app.server.leads;
    for (const LeadRow& r : t.page.rows) {
        if (r.id == lead_id) return r;
    }
    if (t.selected.id == lead_id) return t.selected;
    LeadRow r;
    r.id = lead_id;
    return r;
}

// The selected lead's record and its calls (its history: server_load_history).
void request_detail(AppState& app) {
    LeadTableUi& t = app.server.leads;
    const std::string id = t.selected.id;
    if (id.empty() || t.workflow_id.empty()) return;
    server_request(app, "GET", leads_path(t.workflow_id, "/" + id), nullptr,
                   [id](AppState& a, const HttpAnswer& r) {
                       LeadTableUi& u = a.server.leads;
                       if (u.selected.id != id) return;
                       if (!r.ok()) {
                           u.detail_error = r.message();
                           return;
                       }
                       u.lead = r.body;
                       u.selected.phone_number = json_str(r.body, "phone_number");
                       u.selected.status = json_str(r.body, "status");
                       u.selected.current_node_id = json_str(r.body, "current_node_id");
                       u.selected.created_at = json_str(r.body, "created_at");
                   });
    CallFilter calls;
    calls.lead_id = id;
    server_request(app, "GET", call_list_path(1, 100, calls), nullptr,
                   [id](AppState& a, const HttpAnswer& r) {
                       LeadTableUi& u = a.server.leads;
                       if (u.selected.id != id) return;
                       if (!r.ok()) {
                           u.detail_error = r.message();
                           return;
                       }
                       Result<CallPage> p = read_call_page(r.body);
                       if (!p.ok()) {
                           u.detail_error = p.status().message();
                           return;
                       }
                       u.calls = std::move(*p);
                   });
    server_load_history(app, id, app.server.history_lead == id);
}

void request_calls(AppState& app, std::int64_t page, const CallFilter& filter) {
    CallLogUi& c = app.server.calls;
    const std::uint64_t seq = ++c.seq;
    server_request(app, "GET", call_list_path(page, kCallPageSize, filter), nullptr,
                   [seq, filter](AppState& a, const HttpAnswer& r) {
                       CallLogUi& d = a.server.calls;
                       if (seq != d.seq) return;
                       if (!r.ok()) {
                           d.error = r.message();
                           return;
                       }
                       Result<CallPage> p = read_call_page(r.body);
                       if (!p.ok()) {
                           d.error = p.status().message();
                           return;
                       }
                       d.error.clear();
                       d.page = std::move(*p);
                       d.shown = filter;
                   });
}

}  // namespace

void server_leads_page(AppState& app, std::int64_t page) {
    request_leads(app, page, app.server.leads.asked);
}

void server_leads_status(AppState& app, const std::string& status) {
    LeadTableUi& t = app.server.leads;
    t.filter.status = status;
    t.phone_due_ms = -1;
    request_leads(app, 1, t.filter);
}

void server_leads_phone(AppState& app, const std::string& text, bool typing) {
    LeadTableUi& t = app.server.leads;
    t.filter.phone = text;
    if (typing) {
        t.phone_due_ms = platform::now_ms() + kSearchPauseMs;
        return;
    }
    t.phone_due_ms = -1;
    request_leads(app, 1, t.filter);
}

void server_leads_refresh(AppState& app) {
    const LeadTableUi& t = app.server.leads;
    request_leads(app, t.asked_page, t.asked);
    if (!t.selected.id.empty()) request_detail(app);
}

void server_lead_open(AppState& app, const std::string& lead_id) {
    LeadTableUi& t = app.server.leads;
    if (lead_id.empty() || t.workflow_id.empty()) return;
    t.selected = row_of(app, lead_id);
    t.lead = nullptr;
    t.calls = CallPage{};
    t.detail_error.clear();
    t.confirm_remove = LeadRow{};
    app.server.history.clear();  // the canvas shows no other lead's path meanwhile
    app.server.history_lead.clear();
    request_detail(app);
}

void server_lead_close(AppState& app) {
    LeadTableUi& t = app.server.leads;
    t.selected = LeadRow{};
    t.lead = nullptr;
    t.calls = CallPage{};
    t.detail_error.clear();
    app.server.history.clear();
    app.server.history_lead.clear();
}

void server_lead_remove_ask(AppState& app, const std::string& lead_id) {
    if (lead_id.empty()) return;
    app.server.leads.error.clear();
    app.server.leads.confirm_remove = row_of(app, lead_id);
}

void server_lead_remove_cancel(AppState& app) {
    app.server.leads.confirm_remove = LeadRow{};
}

void server_lead_remove_confirm(AppState& app) {
    LeadTableUi& t = app.server.leads;
    const LeadRow row = t.confirm_remove;
    if (row.id.empty() || t.workflow_id.empty()) return;
    t.confirm_remove = LeadRow{};
    t.error.clear();
    server_request(app, "DELETE", leads_path(t.workflow_id, "/" + row.id), nullptr,
                   [row](AppState& a, const HttpAnswer& r) {
                       if (!r.ok()) {
                           a.server.leads.error = r.message();
                           return;
                       }
                       const std::string who = row.phone_number.empty() ? row.id : row.phone_number;
                       a.server.info = "Removed " + who;
                       a.notify(a.server.info);
                       a.server.next_poll_ms = 0;  // the live counts show it at once
                       server_leads_refresh(a);
                   });
}

void server_calls_open(AppState& app, bool open) {
    CallLogUi& c = app.server.calls;
    c.open = open;
    if (!open) return;
    if (c.this_workflow) c.filter.workflow_id = app.server.workflow_id;
    request_calls(app, 1, c.filter);
}

void server_calls_page(AppState& app, std::int64_t page) {
    request_calls(app, page, app.server.calls.shown);
}

void server_calls_filter(AppState& app, const CallFilter& filter) {
    CallLogUi& c = app.server.calls;
    c.filter = filter;
    c.this_workflow = !filter.workflow_id.empty() && filter.workflow_id == app.server.workflow_id;
    request_calls(app, 1, filter);
}

namespace {

// The call log's filters belong to the workflow they were set on: a status or lead id chosen
// for one workflow would hide another's calls, so the log starts over for each one.
void reset_call_log(AppState& app) {
    ServerUi& s = app.server;
    CallLogUi& c = s.calls;
    const bool open = c.open;
    const std::uint64_t seq = c.seq;  // answers to the old filters must still be dropped
    c = CallLogUi{};
    c.seq = seq;
    c.open = open;
    c.workflow_id = s.workflow_id;
    c.filter.workflow_id = s.workflow_id;
    if (open) request_calls(app, 1, c.filter);
}

}  // namespace

void leads_tick(AppState& app) {
    ServerUi& s = app.server;
    LeadTableUi& t = s.leads;
    if (!s.signed_in) return;
    if (s.calls.workflow_id != s.workflow_id) reset_call_log(app);
    if (t.workflow_id != s.workflow_id) {
        // Another workflow is open (or none): its table starts over on page 1, unfiltered.
        t = LeadTableUi{};
        s.history.clear();
        s.history_lead.clear();
        t.workflow_id = s.workflow_id;
        request_leads(app, 1, t.filter);
        return;
    }
    if (t.phone_due_ms >= 0 && platform::now_ms() >= t.phone_due_ms) {
        server_leads_phone(app, t.filter.phone);
    }
}

Json leads_status_json(const AppState& app) {
    const LeadTableUi& t = app.server.leads;
    Json ids = Json::array(), phones = Json::array(), statuses = Json::array();
    for (const LeadRow& r : t.page.rows) {
        ids.push_back(r.id);
        phones.push_back(r.phone_number);
        statuses.push_back(r.status);
    }
    Json selected = Json::object();
    if (!t.selected.id.empty()) {
        Json history = Json::array();
        if (app.server.history_lead == t.selected.id) {
            for (const HistoryStep& h : app.server.history) {
                history.push_back(Json{{"node_id", h.node_id},
                                       {"label", h.label},
                                       {"status", h.status},
                                       {"outcome", h.outcome}});
            }
        }
        Json calls = Json::array();
        for (const CallRow& c : t.calls.rows) {
            calls.push_back(Json{{"id", c.id},
                                 {"status", c.status},
                                 {"outcome", c.outcome},
                                 {"duration_s", c.duration_s},
                                 {"analysis", c.analysis}});
        }
        selected = Json{{"id", t.selected.id},
                        {"phone_number", t.selected.phone_number},
                        {"status", t.selected.status},
                        {"current_node_id", t.selected.current_node_id},
                        {"loaded", !t.lead.is_null()},
                        {"history", history},
                        {"calls", calls},
                        {"calls_total", t.calls.total},
                        {"error", t.detail_error}};
    }
    return Json{
        {"workflow_id", t.workflow_id},
        {"page", t.page.page},
        {"total", t.page.total},
        {"total_pages", t.page.total_pages},
        {"range",
         page_range_label(t.page.page, t.page.limit, t.page.total, t.page.rows.size(), "No leads")},
        {"status", t.shown.status},
        {"phone", t.shown.phone},
        {"phone_pending", t.phone_due_ms >= 0},
        {"ids", ids},
        {"phones", phones},
        {"statuses", statuses},
        {"error", t.error},
        {"confirm_remove",
         t.confirm_remove.id.empty() ? std::string() : remove_lead_question(t.confirm_remove)},
        {"selected", selected}};
}

Json calls_status_json(const AppState& app) {
    const CallLogUi& c = app.server.calls;
    Json ids = Json::array(), leads = Json::array(), statuses = Json::array();
    for (const CallRow& r : c.page.rows) {
        ids.push_back(r.id);
        leads.push_back(r.lead_id);
        statuses.push_back(r.status);
    }
    return Json{{"open", c.open},
                {"page", c.page.page},
                {"total", c.page.total},
                {"total_pages", c.page.total_pages},
                {"range", page_range_label(c.page.page, c.page.limit, c.page.total,
                                           c.page.rows.size(), "No calls")},
                {"filter", Json{{"workflow_id", c.shown.workflow_id},
                                {"lead_id", c.shown.lead_id},
                                {"status", c.shown.status}}},
                {"inputs", Json{{"this_workflow", c.this_workflow},
                                {"lead_id", c.filter.lead_id},
                                {"status", c.filter.status}}},
                {"ids", ids},
                {"lead_ids", leads},
                {"statuses", statuses},
                {"error", c.error}};
}

}  // namespace leadflow::web
