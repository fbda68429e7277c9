// web/app/server_client.hpp — server mode: talking to the leadflow-server that served the page
// (same origin, docs/api.md) with an API key kept in sessionStorage. Requests go out through the
// platform (fetch in the browser) and their answers come back on a later frame to the callback
// given here. The state of the Server tab (workflow list, the open workflow, live counts, one
// lead's history) lives in ServerUi.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "calibration_data.hpp"
#include "forecast_data.hpp"
#include "lead_data.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "server_data.hpp"
#include "workflow_list.hpp"

namespace leadflow::web {

struct AppState;

// An answer: HTTP status (0 when the request failed before reaching the server) and the body
// parsed as JSON (null when it is not JSON).
struct HttpAnswer {
    int status = 0;
    Json body = nullptr;
    bool ok() const { return status >= 200 && status < 300; }
    // The server's error message (a string or a list of strings; docs/api.md#errors), or a
    // fallback.
    std::string message() const;
};
using HttpCallback = std::function<void(AppState&, const HttpAnswer&)>;

// One step of a lead's history, drawn on the canvas as its path.
struct HistoryStep {
    std::string node_id, edge_id, to_node_id, outcome, label, started_at, ended_at, reason, status;
};

// The lead table (lead_ops.cpp): one page of the open workflow's leads, filtered by status and
// searched by phone number (the server filters; the search is sent once typing pauses), and the
// lead open in the detail below it (its history is ServerUi::history, drawn as its path).
struct LeadTableUi {
    std::string workflow_id;  // the workflow the table shows; the open one once asked for
    LeadPage page;
    LeadFilter shown;  // the filter the page shown was asked with
    LeadFilter asked;  // the filter of the newest request (a refresh asks for it again)
    std::int64_t asked_page = 1;
    LeadFilter filter;         // the status menu and the phone box
    double phone_due_ms = -1;  // when the typed phone search is sent; -1 when nothing waits
    std::uint64_t seq = 0;     // the newest list request: older answers are dropped
    std::string error;         // the server's message for the last failed list or removal
    LeadRow selected;          // the lead open in the detail; id empty when none
    Json lead = nullptr;       // GET …/leads/{id} of the selected lead
    CallPage calls;            // its calls, newest first
    std::string detail_error;  // the server's message for the last failed detail request
    LeadRow confirm_remove;    // the lead Remove asks about; id empty when none
};

// The call log (lead_ops.cpp): a page of the organization's calls with filters.
struct CallLogUi {
    std::string workflow_id;  // the open workflow the filters were set for (leads_tick)
    bool open = false;        // the section is expanded (then it asks for its first page)
    CallPage page;
    CallFilter filter;          // the filter inputs
    CallFilter shown;           // the filter the page shown was asked with
    bool this_workflow = true;  // filter by the open workflow
    std::uint64_t seq = 0;
    std::string error;  // the server's message for the last failed request
};

// The forecast of the open workflow (forecast_panel.cpp): POST …/forecast on request, then the
// workflow's completed count at each live poll, placed against the forecast's band.
struct ForecastUi {
    std::string source = "calibrated";  // the scenario to forecast with: "calibrated" or "stored"
    double arrival_days = 0;            // days of future arrivals; 0: the server's default
    bool busy = false;                  // a request is in flight
    bool shown = false;                 // `view` holds an answer for the open workflow
    ForecastView view;
    // The workflow's polls since the forecast arrived (at most kMaxForecastObservations: a
    // longer live view keeps every second one) and their chart points.
    std::vector<ForecastObservation> observations;
    std::int64_t polls = 0;
    std::vector<ForecastPoint> points;
    int node_badges = 0;  // forecast badges the canvas drew last frame
};
constexpr std::size_t kMaxForecastObservations = 4096;

struct ServerUi {
    bool probed = false;     // the same-origin probe was answered
    bool available = false;  // the page is served by leadflow-server
    std::string provider;    // from /healthz
    std::string key;         // API key (also in sessionStorage)
    std::string key_input;
    bool signed_in = false;
    int pending = 0;    // requests in flight
    std::string error;  // last failure, for the panel
    std::string info;   // last success message
    // The workflow list (workflow_ops.cpp): the page shown, the search box, and the search
    // typed but not sent yet (sent once typing pauses for kSearchPauseMs).
    WorkflowPage list;
    std::string list_search;     // the search the page shown was asked with
    std::string search;          // the search box
    double search_due_ms = -1;   // when the typed search is sent; -1 when nothing waits
    std::uint64_t list_seq = 0;  // the newest list request: older answers are dropped
    WorkflowRow confirm_delete;  // the workflow Delete asks about; id empty when none
    // The workflow open in the editor, when it came from (or was saved to) the server.
    std::string workflow_id;
    Json workflow = nullptr;  // last GET /v1/workflows/{id}
    Json validation = nullptr;
    std::string new_title;
    std::string short_link;
    // Live view: counts from GET …/node-counts (exact for any number of leads).
    bool live = false;
    double next_poll_ms = 0;
    std::map<std::string, std::int64_t> node_counts;  // leads whose current node is the key
    std::map<std::string, std::int64_t> node_active;  // of those, still active
    std::int64_t not_started = 0;                     // leads with no current node
    std::int64_t counted_leads = 0;                   // enrolled leads the counts cover
    std::uint64_t polls = 0;
    int live_badges = 0;  // node-count badges the canvas drew last frame
    int path_edges = 0;   // edges of the selected lead's path the canvas drew last frame
    int path_nodes = 0;   // nodes of that path it outlined
    LeadTableUi leads;
    CallLogUi calls;
    // Enrolling leads: pasted numbers / CSV text, or a CSV or Excel file from the browser.
    std::string enrol_text;
    bool enrolling = false;
    EnrolOutcome enrol;  // the last enrolment's result (summary empty before any)
    // One lead's history.
    std::string history_lead;
    std::vector<HistoryStep> history;
    // Calibration (GET …/calibration, on request) and drift (GET …/drift, polled with the live
    // view) of the open workflow (docs/calibration.md).
    bool calibrated = false;  // `calibration` holds an answer for the open workflow
    CalibrationView calibration;
    std::vector<DriftBadge> drift;
    int drift_badges = 0;  // drift badges the canvas drew last frame
    ForecastUi forecast;
};

// Sends `method path` with an optional JSON body and the API key; `done` runs when the answer
// arrives. Counts the request in ServerUi::pending.
void server_request(AppState& app, const std::string& method, const std::string& path,
                    const Json& body, HttpCallback done);
// Delivers an answer (called by the exported leadflow_http_done).
void server_deliver(AppState& app, int id, int status, const std::string& body);

// Server-mode actions (buttons and the automation API call these).
void server_detected(AppState& app, const std::string& provider);
void server_sign_in(AppState& app, const std::string& key);
void server_sign_out(AppState& app);
// The workflow list (workflow_ops.cpp). Refresh asks again for the page shown; list_page for
// page `page` with the search shown; set_search shows page 1 of the workflows whose title
// contains `text` (the server filters), at once or, when `typing`, once typing pauses.
constexpr double kSearchPauseMs = 300.0;
void server_refresh_list(AppState& app);
void server_list_page(AppState& app, std::int64_t page);
void server_set_search(AppState& app, const std::string& text, bool typing = false);
// Delete (workflow_ops.cpp): ask names the workflow and waits for confirm or cancel; confirm
// sends DELETE /v1/workflows/{id}. A refusal (an active workflow, leads in a call) shows the
// server's message after "Cannot delete “Title”: "; after a delete the list shows the same page
// (the one before when it emptied the last), and a deleted open workflow leaves the editor's
// graph in place, no longer tied to the server.
void server_delete_ask(AppState& app, const std::string& workflow_id);
void server_delete_confirm(AppState& app);
void server_delete_cancel(AppState& app);
// Duplicate: POST /v1/workflows/{id}/duplicate (a new draft "<title> (copy)" with the same
// graph, settings and scenario), then opens the copy. Duplicating the open workflow with
// unsaved edits saves them as its draft first, so the copy has what the editor shows.
void server_duplicate(AppState& app, const std::string& workflow_id);
// Per-frame: sends a typed search once typing paused.
void workflow_list_tick(AppState& app);
// {page, total, total_pages, range, search, search_pending, titles, ids, confirm_delete}: the
// automation API's view of the list (confirm_delete: the question asked, "" when none).
Json workflow_list_status_json(const AppState& app);
void server_open(AppState& app, const std::string& workflow_id);
void server_create(AppState& app, const std::string& title);
// Saves the editor's graph and workflow fields as the draft (`?publish=false`: an active
// workflow keeps running on its published version). `then` runs with true once both the graph
// and the workflow fields are saved, with false when either failed (the error is shown).
void server_save(AppState& app, std::function<void(AppState&, bool)> then = {});
// The bodies a save sends: the workflow fields the editor owns (PATCH /v1/workflows/{id}) and
// the graph with its notes (PUT /v1/workflows/{id}/graph).
Json workflow_patch(const Graph& g);
Json graph_body(const Graph& g);
void server_validate(AppState& app);
// verb: "activate", "pause", "resume" or "cancel".
void server_lifecycle(AppState& app, const std::string& verb);
void server_save_scenario(AppState& app);
void server_short_link(AppState& app);
void server_set_live(AppState& app, bool on);
// Calibrate from live data: asks for a scenario fitted from the open workflow's calls.
void server_calibrate(AppState& app);
// Makes the fitted scenario the editor's scenario (Save scenario then stores it on the server).
void server_apply_calibration(AppState& app);
// Forgets the open workflow's calibration and drift (another workflow is open, or none).
void calibration_reset(ServerUi& s);
// The forecast (forecast_panel.cpp): POST /v1/workflows/{id}/forecast for the open workflow with
// `source` ("calibrated" or "stored"; "" = the panel's selector) and the panel's arrival days.
// The answer replaces the forecast shown (its actual points start over); a reply that is not a
// forecast shows the reader's message and keeps the one shown.
void server_forecast(AppState& app, const std::string& source = "");
// Forgets the forecast (another workflow is open, or none).
void forecast_reset(ServerUi& s);
// A live poll's node-counts reply (GET /v1/workflows/{id}/node-counts) of workflow
// `workflow_id`: with a forecast of that workflow shown, its lead_counts.completed at its "now"
// (the server's clock) becomes the chart's next actual point (read_observation; numbered by
// poll when the reply has no time).
void forecast_observe(AppState& app, const std::string& workflow_id, const Json& node_counts);
// null, or {workflow_id, version, source, now, running, arrivals, leads, pending, ended_before:
// {completed, dropped, failed}, final: {completed|dropped|failed|unfinished: {expected, low,
// high}}, by_day (the number of days), completed_by_day: [{expected, low, high}] (the completed
// band at each day end), last_finish (ISO or null), last_finish_days (or null),
// points (actual points plotted), timed (whether their x is days, not poll numbers), inside
// (of those, inside the completed band), actual: [{x, y, timed, inside}], node_badges}.
Json forecast_status_json(const AppState& app);
// Loads one lead's history (ServerUi::history). A `refresh` (the same lead asked again) leaves
// the error shown in place.
void server_load_history(AppState& app, const std::string& lead_id, bool refresh = false);
// Enrols the leads in `text` (phone numbers one per line, or CSV with a phone_number column;
// enrolment_csv()) into the open workflow; the result lands in ServerUi::enrol.
void server_enrol_text(AppState& app, const std::string& text);
// Opens the browser's file picker; the chosen CSV or Excel (.xlsx, .xlsm) file is enrolled as
// it is. The server's answer lands in ServerUi::enrol: the count, the rejected rows by reason, or
// its message for a file it cannot read ("file is not a valid .xlsx workbook: …").
void server_enrol_file(AppState& app);
// The lead table (lead_ops.cpp). page shows page `page` with the filter asked last; status and
// phone set the filter and show page 1 (phone at once or, when `typing`, once typing pauses);
// refresh asks again for the page shown. The server's message of a refusal (an invalid phone
// search) shows under the table as it words it.
void server_leads_page(AppState& app, std::int64_t page);
void server_leads_status(AppState& app, const std::string& status);
void server_leads_phone(AppState& app, const std::string& text, bool typing = false);
void server_leads_refresh(AppState& app);
// Opens lead `lead_id` of the open workflow in the detail: the lead, its history (one entry per
// node visit, drawn on the canvas as its path) and its calls (GET /v1/calls?lead_id=).
void server_lead_open(AppState& app, const std::string& lead_id);
void server_lead_close(AppState& app);
// Remove: ask names the lead and waits for confirm or cancel; confirm sends DELETE …/leads/{id}
// and then shows the table's page and the lead again (status "removed").
void server_lead_remove_ask(AppState& app, const std::string& lead_id);
void server_lead_remove_confirm(AppState& app);
void server_lead_remove_cancel(AppState& app);
// The call log: open/close the section, a page, and its filters (workflow_id, lead_id, status;
// an empty value = any). Changing the filter shows page 1.
void server_calls_open(AppState& app, bool open);
void server_calls_page(AppState& app, std::int64_t page);
void server_calls_filter(AppState& app, const CallFilter& filter);
// Per-frame: the lead table follows the open workflow and sends a typed phone search once
// typing paused.
// When another workflow is open (or none), also starts the call log over: its filters cleared,
// "This workflow only" on, page 1 asked for again if the section is open.
void leads_tick(AppState& app);
// The automation API's views: {workflow_id, page, total, total_pages, range, status, phone,
// phone_pending, ids, phones, statuses, error, confirm_remove, selected: {id, phone_number,
// status, current_node_id, history: [{node_id, label, status, outcome}], calls: [{id, status,
// outcome, duration_s, analysis}], calls_total, error}} and {open, page, total, total_pages,
// range, filter, ids, lead_ids, statuses, error}.
Json leads_status_json(const AppState& app);
Json calls_status_json(const AppState& app);
// Per-frame: live polling.
void server_tick(AppState& app);
// {available, signed_in, pending, error, info, workflow_id, workflow, validation, node_counts,
//  node_active, not_started, counted_leads, live_badges, polls, short_link, history, enrol,
//  calibration: null | {nodes: [{node_id, type, observed, fitted, note, shares: [{label,
//  current, fitted, low, high, count}]}], arrivals}, drift: [{node_id, message}], drift_badges,
//  forecast: forecast_status_json()}: the automation API's view of server mode.
Json server_status_json(const AppState& app);

}  // namespace leadflow::web
