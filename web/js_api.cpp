// web/js_api.cpp — see js_api.hpp. Every exported function is defined with LEADFLOW_JS_EXPORT
// at the start of a line, its return type, name and '(' on that same line: that is how
// cmake/JsApiExports.cmake finds the export list.
//
// Index:
//   [SECTION] Replies and named actions
//   [SECTION] Graph, view and clipboard
//   [SECTION] Simulation and share links (web/app/sim_ui.hpp)
//   [SECTION] Server mode (web/app/server_client.hpp, web/app/versions_ui.hpp)
//   [SECTION] Comparing two graphs (web/app/compare_ui.hpp)
#include "js_api.hpp"

#include <emscripten.h>
#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/app.hpp"
#include "app/json_fields.hpp"
#include "leadflow/validate.hpp"
#include "leadflow/wire.hpp"

#define LEADFLOW_JS_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE

using leadflow::Json;
using leadflow::Status;
using namespace leadflow::web;

namespace {

// [SECTION] Replies and named actions

AppState* g_app = nullptr;
std::string g_result;      // backing store for strings returned to JavaScript
std::string g_last_error;  // why leadflow_simulate() returned ""

const char* hold(std::string s) {
    g_result = std::move(s);
    return g_result.c_str();
}

// The reply of every action: {"ok": true} or {"ok": false, "error": "…"}.
const char* reply(const Status& s) {
    Json out = Json::object();
    out["ok"] = s.is_ok();
    if (!s.is_ok()) out["error"] = s.message();
    return hold(out.dump());
}

// A Server tab action (window.leadflow.server.action): answered ok at once; what it did, and
// any error, shows in leadflow_server_status().
struct ServerAction {
    std::string_view name;
    void (*run)(AppState& app, const std::string& arg);
};

// A Compare tab action (window.leadflow.compare.action): fails when it cannot start.
struct CompareAction {
    std::string_view name;
    Status (*run)(AppState& app, const std::string& arg);
};

Status outcome(const ServerAction& action, AppState& app, const std::string& arg) {
    action.run(app, arg);
    return Status::ok();
}

Status outcome(const CompareAction& action, AppState& app, const std::string& arg) {
    return action.run(app, arg);
}

// Runs the action named `name` of `actions`; an unknown name is an error naming it.
template <typename Action, std::size_t N>
const char* run_action(const Action (&actions)[N], const char* name, const char* arg) {
    const std::string a = name ? name : "", v = arg ? arg : "";
    for (const Action& action : actions) {
        if (action.name == a) return reply(outcome(action, *g_app, v));
    }
    return reply(Status::invalid("unknown action '" + a + "'"));
}

// A version number argument ("3"); 0 when it is not one.
std::int64_t version_number(const std::string& arg) {
    return std::atoll(arg.c_str());
}

using Arg = const std::string&;

// The Server tab's buttons and the Versions section.
constexpr ServerAction kServerActions[] = {
    {"sign_in", [](AppState& app, Arg key) { server_sign_in(app, key); }},
    {"sign_out", [](AppState& app, Arg) { server_sign_out(app); }},
    {"refresh", [](AppState& app, Arg) { server_refresh_list(app); }},
    {"list_page", [](AppState& app, Arg page) { server_list_page(app, std::atoll(page.c_str())); }},
    {"search", [](AppState& app, Arg text) { server_set_search(app, text); }},
    {"delete", [](AppState& app, Arg id) { server_delete_ask(app, id); }},
    {"delete_confirm", [](AppState& app, Arg) { server_delete_confirm(app); }},
    {"delete_cancel", [](AppState& app, Arg) { server_delete_cancel(app); }},
    {"duplicate", [](AppState& app, Arg id) { server_duplicate(app, id); }},
    {"open", [](AppState& app, Arg id) { server_open(app, id); }},
    {"create", [](AppState& app, Arg title) { server_create(app, title); }},
    {"save", [](AppState& app, Arg) { server_save(app); }},
    {"validate", [](AppState& app, Arg) { server_validate(app); }},
    {"activate", [](AppState& app, Arg) { server_lifecycle(app, "activate"); }},
    {"pause", [](AppState& app, Arg) { server_lifecycle(app, "pause"); }},
    {"resume", [](AppState& app, Arg) { server_lifecycle(app, "resume"); }},
    {"cancel", [](AppState& app, Arg) { server_lifecycle(app, "cancel"); }},
    {"save_scenario", [](AppState& app, Arg) { server_save_scenario(app); }},
    {"short_link", [](AppState& app, Arg) { server_short_link(app); }},
    {"live", [](AppState& app, Arg on) { server_set_live(app, on != "off"); }},
    {"calibrate", [](AppState& app, Arg) { server_calibrate(app); }},
    {"apply_calibration", [](AppState& app, Arg) { server_apply_calibration(app); }},
    // "calibrated" or "stored" sets the scenario source; "" keeps the panel's choice.
    {"forecast", [](AppState& app, Arg source) { server_forecast(app, source); }},
    {"history", [](AppState& app, Arg lead) { server_load_history(app, lead); }},
    {"leads_page",
     [](AppState& app, Arg page) { server_leads_page(app, std::atoll(page.c_str())); }},
    {"leads_status", [](AppState& app, Arg status) { server_leads_status(app, status); }},
    {"leads_phone", [](AppState& app, Arg text) { server_leads_phone(app, text); }},
    {"leads_refresh", [](AppState& app, Arg) { server_leads_refresh(app); }},
    {"lead_open", [](AppState& app, Arg id) { server_lead_open(app, id); }},
    {"lead_close", [](AppState& app, Arg) { server_lead_close(app); }},
    {"lead_remove", [](AppState& app, Arg id) { server_lead_remove_ask(app, id); }},
    {"lead_remove_confirm", [](AppState& app, Arg) { server_lead_remove_confirm(app); }},
    {"lead_remove_cancel", [](AppState& app, Arg) { server_lead_remove_cancel(app); }},
    {"calls_open", [](AppState& app, Arg on) { server_calls_open(app, on != "off"); }},
    {"calls_page",
     [](AppState& app, Arg page) { server_calls_page(app, std::atoll(page.c_str())); }},
    {"calls_filter",
     [](AppState& app, Arg spec) {
         // {"workflow_id", "lead_id", "status"}: each optional, "" = any.
         leadflow::Result<Json> j = leadflow::parse_json(spec);
         CallFilter f;
         if (j.ok() && j->is_object()) {
             f.workflow_id = json_str(*j, "workflow_id");
             f.lead_id = json_str(*j, "lead_id");
             f.status = json_str(*j, "status");
         }
         server_calls_filter(app, f);
     }},
    {"versions",
     [](AppState& app, Arg page) {
         const std::int64_t n = version_number(page);
         versions_refresh(app, n >= 1 ? n : 1);
     }},
    {"select_version",
     [](AppState& app, Arg arg) {
         const std::int64_t n = version_number(arg);
         if (n >= 1) app.versions.selected = n;
     }},
    {"publish",
     [](AppState& app, Arg options) {
         versions_set_publish_options(app, options);
         versions_publish_preview(app);
     }},
    {"publish_confirm", [](AppState& app, Arg) { versions_publish_confirm(app); }},
    {"publish_cancel", [](AppState& app, Arg) { versions_publish_cancel(app); }},
    {"restore", [](AppState& app, Arg n) { versions_restore(app, version_number(n)); }},
    {"diff", [](AppState& app, Arg n) { versions_show_diff(app, version_number(n)); }},
    {"diff_off", [](AppState& app, Arg) { versions_hide_diff(app); }},
    {"simulate_change", [](AppState& app, Arg) { versions_simulate_change(app); }},
};

// A comparison that cannot start fails with the Compare tab's message.
Status compare_started(AppState& app, bool started) {
    return started ? Status::ok() : Status::invalid(app.compare.error);
}

constexpr CompareAction kCompareActions[] = {
    {"opened", [](AppState& app, Arg) { return compare_started(app, compare_with_opened(app)); }},
    {"template", [](AppState& app,
                    Arg name) { return compare_started(app, compare_with_template(app, name)); }},
    {"clear",
     [](AppState& app, Arg) {
         app.compare.view.reset();
         app.compare.error.clear();
         return Status::ok();
     }},
};

}  // namespace

void leadflow::web::js_api_attach(AppState& app) {
    g_app = &app;
}

// [SECTION] Graph, view and clipboard

// window.leadflow.loadGraph(json): replaces the graph (not undoable; a layout of its overlapping
// cards is then the one undo step, arrange_opened_graph).
LEADFLOW_JS_EXPORT const char* leadflow_load_graph(const char* json) {
    Status s = load_graph_text(*g_app, json ? json : "", false, "Load graph");
    if (s.is_ok()) {
        g_app->request_fit = true;
        arrange_opened_graph(*g_app);
        compare_remember_opened(*g_app, "loaded graph");
    }
    return reply(s);
}

// File import (upload): like loadGraph but one undo step, and reported in the status line.
LEADFLOW_JS_EXPORT const char* leadflow_import_text(const char* json) {
    Status s = load_graph_text(*g_app, json ? json : "", true, "Import");
    g_app->notify(s.is_ok() ? "Imported graph" : "Import failed: " + s.message(), 8.0);
    if (s.is_ok()) {
        g_app->request_fit = true;
        arrange_opened_graph(*g_app);
        compare_remember_opened(*g_app, "imported file");
    }
    return reply(s);
}

// window.leadflow.getGraph(): the current graph as wire JSON text.
LEADFLOW_JS_EXPORT const char* leadflow_get_graph() {
    return hold(graph_text(*g_app, false));
}

// window.leadflow.validate(): {"valid", "errors", "warnings"} for the current graph.
LEADFLOW_JS_EXPORT const char* leadflow_validate() {
    update_validation(*g_app);
    return hold(leadflow::validation_report_json(g_app->diagnostics).dump());
}

// Frame build statistics (bench and tests).
LEADFLOW_JS_EXPORT const char* leadflow_frame_stats() {
    const FrameStats& s = g_app->stats;
    Json out = Json::object();
    out["last_ms"] = s.last_ms;
    out["avg_ms"] = s.average_ms();
    out["samples"] = s.count;
    out["frames"] = s.frames;
    out["nodes_drawn"] = s.nodes_drawn;
    out["edges_drawn"] = s.edges_drawn;
    out["simple_lod"] = s.simple_lod;
    out["canvas_text"] = s.canvas_text;
    out["zoom"] = g_app->editor.camera.zoom;
    out["nodes"] = g_app->editor.graph().nodes.size();
    out["canvas_font_sizes"] = g_app->fonts.canvas_sizes.size();
    return hold(out.dump());
}

LEADFLOW_JS_EXPORT void leadflow_fit_view() {
    g_app->request_fit = true;
}

// Sets the zoom (1 = 100%) around the canvas centre.
LEADFLOW_JS_EXPORT void leadflow_set_zoom(double zoom) {
    const Rect& r = g_app->canvas_screen;
    g_app->editor.camera.set_zoom_at({(r.min.x + r.max.x) / 2, (r.min.y + r.max.y) / 2},
                                     static_cast<float>(zoom));
}

// Where things are on screen, in CSS pixels: named widgets, and the visible nodes with their
// pins. For end-to-end tests that drive the real mouse.
LEADFLOW_JS_EXPORT const char* leadflow_ui_probe() {
    AppState& app = *g_app;
    const float k = 1.0f / app.pixel_ratio;
    auto rect_json = [k](const Rect& r) {
        return Json::array({r.min.x * k, r.min.y * k, r.width() * k, r.height() * k});
    };
    Json out = Json::object();
    out["pixel_ratio"] = app.pixel_ratio;
    out["canvas"] = rect_json(app.canvas_screen);
    out["items"] = Json::object();
    for (const auto& [name, r] : app.probes) out["items"][name] = rect_json(r);
    out["nodes"] = Json::object();
    Editor& ed = app.editor;
    const GraphIndex& idx = ed.index();
    const Camera& cam = ed.camera;
    for (int i = 0; i < static_cast<int>(idx.node_count()) && i < 500; ++i) {
        const Rect w = idx.node_rect(ed.graph(), i);
        Rect s{cam.world_to_screen(w.min), cam.world_to_screen(w.max)};
        if (!s.overlaps(app.canvas_screen)) continue;
        Json n = Json::object();
        n["rect"] = rect_json(s);
        const leadflow::web::Vec2 in = cam.world_to_screen(idx.input_pin_world(ed.graph(), i));
        n["input"] = Json::array({in.x * k, in.y * k});
        Json pins = Json::object();
        const auto& shape = idx.shape(i);
        for (int p = 0; p < static_cast<int>(shape.pins.size()); ++p) {
            const leadflow::web::Vec2 c =
                cam.world_to_screen(idx.output_pin_world(ed.graph(), i, p));
            pins[shape.pins[static_cast<std::size_t>(p)].label] = Json::array({c.x * k, c.y * k});
        }
        n["pins"] = pins;
        out["nodes"][ed.graph().nodes[static_cast<std::size_t>(i)].id] = n;
    }
    // Edges with a visible part: {id: {points: [[x, y], …]}}, their routed polylines on screen.
    out["edges"] = Json::object();
    const EdgeRoutes& routes = ed.routes();
    const Rect visible = cam.visible_world(app.canvas_screen);
    for (int e = 0; e < static_cast<int>(routes.size()) && e < 1000; ++e) {
        const std::vector<leadflow::web::Vec2>& pts = routes.points(e);
        if (pts.empty() || !routes.bounds(e).overlaps(visible)) continue;
        Json points = Json::array();
        for (const leadflow::web::Vec2& w : pts) {
            const leadflow::web::Vec2 p = cam.world_to_screen(w);
            points.push_back(Json::array({p.x * k, p.y * k}));
        }
        out["edges"][ed.graph().edges[static_cast<std::size_t>(e)].id] =
            Json{{"points", std::move(points)}};
    }
    // Whether the last frame drew the canvas's text (false below a readable size).
    out["canvas_text"] = app.stats.canvas_text;
    Json sel = Json::array();
    for (const std::string& id : ed.selected_nodes()) sel.push_back(id);
    out["selected_nodes"] = sel;
    Json sel_e = Json::array();
    for (const std::string& id : ed.selected_edges()) sel_e.push_back(id);
    out["selected_edges"] = sel_e;
    // Notes on screen: {id: {rect, text, color}}, and the note whose text is being edited.
    out["notes"] = Json::object();
    for (const leadflow::Note& n : ed.notes()) {
        const Rect w = note_rect(n);
        Rect s{cam.world_to_screen(w.min), cam.world_to_screen(w.max)};
        if (!s.overlaps(app.canvas_screen)) continue;
        out["notes"][n.id] = Json{{"rect", rect_json(s)}, {"text", n.text}, {"color", n.color}};
    }
    Json sel_n = Json::array();
    for (const std::string& id : ed.selected_notes()) sel_n.push_back(id);
    out["selected_notes"] = sel_n;
    out["note_edit"] = Json{{"id", app.note_edit.id}, {"input_active", app.note_edit.input_active}};
    out["zoom"] = cam.zoom;
    out["can_undo"] = ed.history().can_undo();
    out["status"] = app.status;
    out["find"] = Json{{"open", app.find.open},
                       {"query", app.find.query},
                       {"input_active", app.find.input_active},
                       {"highlighted", app.find.highlighted}};
    return hold(out.dump());
}

// The browser's copy event asks for the selection as clipboard text.
LEADFLOW_JS_EXPORT const char* leadflow_copy_selection() {
    if (g_app->editor.selected_nodes().empty()) return "";
    return hold(g_app->editor.copy_selection());
}

// The browser's paste event hands over the clipboard text; the Ctrl+V shortcut uses it.
LEADFLOW_JS_EXPORT void leadflow_set_paste_text(const char* text) {
    g_app->pasted_text = std::string(text ? text : "");
}

LEADFLOW_JS_EXPORT const char* leadflow_autosave_key() {
    return kAutosaveKey;
}

// True while an ImGui text field has the keyboard (the browser's copy/cut events then belong
// to the field, not to the canvas selection).
LEADFLOW_JS_EXPORT int leadflow_wants_text_input() {
    return ImGui::GetIO().WantTextInput ? 1 : 0;
}

// window.leadflow.uiSettings(): {"theme", "ui_scale"} as chosen (View menu), and "applied_scale",
// the UI scale the frame on screen was built with.
LEADFLOW_JS_EXPORT const char* leadflow_ui_settings() {
    const UiSettings& s = g_app->ui_settings;
    Json out = Json::object();
    out["theme"] = theme_name(s.theme);
    out["ui_scale"] = s.ui_scale;
    out["applied_scale"] = static_cast<int>(g_app->ui_scale * 100.0f + 0.5f);
    return hold(out.dump());
}

// window.leadflow.workspace(): the panel sizes (as kept in localStorage), the chart value under
// the mouse, the results tables' column widths against their texts, and PNG exports written.
LEADFLOW_JS_EXPORT const char* leadflow_workspace() {
    const AppState& app = *g_app;
    Json out = Json::object();
    const PanelSizes& p = app.panels.sizes;
    out["panels"] = Json{{"left", p.left},
                         {"right", p.right},
                         {"bottom", p.bottom},
                         {"results_maximized", p.results_maximized},
                         {"dragging", app.panels.dragging}};
    out["chart_hover"] = app.chart_hover.chart.empty() ? Json(nullptr)
                                                       : Json{{"chart", app.chart_hover.chart},
                                                              {"index", app.chart_hover.index},
                                                              {"text", app.chart_hover.text}};
    Json fits = Json::array();
    for (const TableColumnFit& f : app.table_fits) {
        fits.push_back(Json{{"table", f.table},
                            {"header", f.header},
                            {"width", f.width},
                            {"text_width", f.text_width}});
    }
    out["table_columns"] = std::move(fits);
    out["png_exports"] = app.png_exports;
    return hold(out.dump());
}

// window.leadflow.setUiSettings(json): as the View menu sets them (kept in localStorage);
// read as stored settings are read (ui_settings.hpp: parse_ui_settings).
LEADFLOW_JS_EXPORT const char* leadflow_set_ui_settings(const char* text) {
    set_ui_settings(*g_app, parse_ui_settings(text ? text : ""));
    return reply(Status::ok());
}

// [SECTION] Simulation and share links (web/app/sim_ui.hpp)

// window.leadflow.setScenario(json).
LEADFLOW_JS_EXPORT const char* leadflow_set_scenario(const char* text) {
    leadflow::Result<Json> j = leadflow::parse_json(text ? text : "");
    return reply(j.ok() ? set_scenario(*g_app, *j) : j.status());
}

LEADFLOW_JS_EXPORT const char* leadflow_get_scenario() {
    return hold(g_app->sim.scenario.dump());
}

// window.leadflow.simulate(): the results JSON text exactly as `leadflow-sim --json` prints it
// (without its final newline), or "" with the reason in leadflow_last_error(). Runs at once.
LEADFLOW_JS_EXPORT const char* leadflow_simulate() {
    SimUi& sim = g_app->sim;
    Status s = sim.session.start(g_app->editor.graph(), sim.scenario);
    if (!s.is_ok()) {
        g_last_error = s.message();
        return "";
    }
    const double t0 = emscripten_get_now();
    sim.session.step(INT64_MAX);
    sim.last_run_ms = emscripten_get_now() - t0;
    sim.results_graph_version = g_app->editor.structure_version();
    return sim.session.results_text().c_str();
}

LEADFLOW_JS_EXPORT const char* leadflow_last_error() {
    return g_last_error.c_str();
}

// Starts a run split across frames (the Run button).
LEADFLOW_JS_EXPORT const char* leadflow_start_simulation() {
    return reply(start_simulation(*g_app));
}

// {"running", "progress", "events", "leads", "finished_runs", "last_run_ms", "error",
// "scenario_error", "link_error", "overlay"}.
LEADFLOW_JS_EXPORT const char* leadflow_sim_status() {
    const SimUi& sim = g_app->sim;
    Json out = Json::object();
    out["running"] = sim.session.running();
    out["progress"] = sim.session.progress();
    out["events"] = sim.session.events();
    out["leads"] = sim.session.leads();
    out["finished_runs"] = sim.session.results_version();
    out["last_run_ms"] = sim.last_run_ms;
    out["error"] = sim.error;
    out["scenario_error"] = sim.scenario_error;
    out["link_error"] = sim.link_error;
    out["overlay"] = Json{
        {"edges", sim.overlay_edges}, {"badges", sim.overlay_badges}, {"stuck", sim.overlay_stuck}};
    return hold(out.dump());
}

// The last finished run's results JSON text ("" when none).
LEADFLOW_JS_EXPORT const char* leadflow_results() {
    return g_app->sim.session.results_text().c_str();
}

LEADFLOW_JS_EXPORT const char* leadflow_share_fragment() {
    return hold(current_share_fragment(*g_app));
}

// Opens a share link (URL, "#s=1.…" or "s=1.…"); on failure the current work is untouched and
// the page shows the message.
LEADFLOW_JS_EXPORT const char* leadflow_open_link(const char* text) {
    std::string t = text ? text : "";
    const std::size_t hash = t.find('#');
    if (hash != std::string::npos) t = t.substr(hash + 1);
    return reply(open_share_link(*g_app, t));
}

// [SECTION] Server mode (web/app/server_client.hpp, web/app/versions_ui.hpp)

// An answer to a platform::http_request (status 0 = no answer).
LEADFLOW_JS_EXPORT void leadflow_http_done(int id, int status, const char* body) {
    server_deliver(*g_app, id, status, body ? body : "");
}

// The page's glue found leadflow-server behind the page (GET /healthz answered "ok").
LEADFLOW_JS_EXPORT void leadflow_server_detected(const char* provider) {
    server_detected(*g_app, provider ? provider : "");
}

// window.leadflow.server.<action>(arg): kServerActions.
LEADFLOW_JS_EXPORT const char* leadflow_server_action(const char* action, const char* arg) {
    return run_action(kServerActions, action, arg);
}

LEADFLOW_JS_EXPORT const char* leadflow_server_status() {
    return hold(server_status_json(*g_app).dump());
}

// [SECTION] Comparing two graphs (web/app/compare_ui.hpp)

// window.leadflow.compare.action(name, arg): kCompareActions.
LEADFLOW_JS_EXPORT const char* leadflow_compare_action(const char* action, const char* arg) {
    return run_action(kCompareActions, action, arg);
}

LEADFLOW_JS_EXPORT const char* leadflow_compare_status() {
    return hold(compare_status_json(*g_app).dump());
}
