// web/app/sim_ui.hpp — the simulation and sharing features of the browser app: their state
// (held by AppState::sim) and the draw functions the frame calls. One file per feature:
//   sim_panel.cpp     the scenario editor, Run, progress (the right panel's Simulation tab)
//   sim_results.cpp   charts and the Monte-Carlo vs exact table (the bottom panel's Results tab)
//   split_results.cpp the A/B comparison of SPLIT branches under that table
//   sim_overlay.cpp   results drawn on the canvas (edge thickness and counts, node badges)
//   share.cpp         share links: copy, open, the bad-link message
// Model logic lives in scenario_edit, sim_session and share_link (tested natively).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "leadflow/json.hpp"
#include "share_link.hpp"
#include "sim_session.hpp"

namespace leadflow::web {

struct AppState;

// Results of a finished run, indexed for drawing on the canvas.
struct SimOverlayData {
    std::unordered_map<std::string, std::int64_t> edge_traversals;
    std::unordered_map<std::string, double> node_share;  // share of leads reaching the node
    std::unordered_map<std::string, std::int64_t> node_leads;
    std::unordered_map<std::string, std::int64_t> node_stuck;
    std::int64_t max_traversals = 0;
    std::uint64_t results_version = 0;
};

struct SimUi {
    Json scenario = Json::object();  // the scenario as edited; {} = every default
    std::string scenario_error;      // why the scenario does not parse ("" = fine)
    std::uint64_t scenario_checked = 0, scenario_version = 1;
    SimSession session;
    std::string error;  // why the last run could not start
    double run_started_ms = 0;
    double last_run_ms = 0;      // wall time of the last finished run
    double frame_budget_ms = 8;  // simulation work per frame while a run proceeds
    double last_tick_ms = 0;
    std::uint64_t results_graph_version = 0;  // editor structure version the results are for
    bool show_overlay = true;
    SimOverlayData overlay;
    // What the overlay drew last frame (for tests): edges, node badges, stuck flags.
    int overlay_edges = 0, overlay_badges = 0, overlay_stuck = 0;
    // Tab requests (served once by the panels): "simulation", "results", "server", "inspector".
    std::string open_tab;
    // Share links.
    std::optional<LinkView> pending_view;  // applied on the next frame the canvas is laid out
    std::string link_error;                // shown in a modal until dismissed
    bool link_error_open = false;
    std::string last_fragment;
    // Scenario autosave (localStorage, one second after the last change).
    bool restored = false;
    std::uint64_t saved_scenario_version = 0, scenario_changed_version = 0;
    double scenario_changed_ms = 0;
};

constexpr const char* kScenarioKey = "leadflow.editor.scenario.v1";

// [SECTION] Simulation (sim_panel.cpp)
// Sets the scenario (scenario JSON). Invalid scenarios are refused: kInvalidArgument with the
// parser's message; the current scenario is unchanged.
Status set_scenario(AppState& app, const Json& scenario);
// Starts a sliced run of the current graph and scenario (replacing one in progress). On failure
// the message is also kept in app.sim.error.
Status start_simulation(AppState& app);
// Advances a run in progress by about frame_budget_ms of work. Called once per frame.
void sim_tick(AppState& app);
// The right panel (tabs Inspector | Simulation | Server) and the bottom panel (Validation |
// Results), replacing the single windows' contents.
void draw_right_panel(AppState& app);
void draw_bottom_panel(AppState& app);
void draw_sim_panel(AppState& app);
// The "Simulate" main menu.
void draw_sim_menu(AppState& app);

// [SECTION] Results (sim_results.cpp, split_results.cpp, sim_overlay.cpp)
void draw_sim_results(AppState& app);
// The per-branch tables of the SPLIT nodes in `results` (nothing for a graph without one).
void draw_split_results(AppState& app, const Json& results);
// Downloads the last finished run's results as leadflow-results.json: the bytes
// `leadflow-sim GRAPH --scenario S --json` prints (final newline included). Nothing without one.
void export_results_json(AppState& app);
// Draws results over the canvas (called by the canvas after the nodes).
void draw_sim_overlay(AppState& app);

// [SECTION] Share links (share.cpp)
// The fragment (without '#') for the current graph, scenario and view.
std::string current_share_fragment(AppState& app);
// Opens a link fragment: on success replaces graph, scenario and view (one undo step for the
// graph) and starts the simulation; on failure shows the message and changes nothing.
Status open_share_link(AppState& app, const std::string& fragment);
// Copies the link to the clipboard (menu item) and says so in the status line.
void copy_share_link(AppState& app);
// Applies a pending link view and draws the bad-link message (once per frame).
void share_tick(AppState& app);

// [SECTION] Server mode (server_panel.cpp)
void draw_server_panel(AppState& app);
bool server_mode_available(const AppState& app);
// The workflow list inside the Server tab: search, the page's rows, previous/next
// (workflow_list_panel.cpp).
void draw_workflow_list(AppState& app);
// The open workflow's lead table and selected lead, and the call log (lead_panel.cpp).
void draw_lead_sections(AppState& app);
// The forecast (forecast_panel.cpp): the Forecast button (drawn beside Calibrate) with its
// options on the line below; the section: final bands, last finish, and the chart of the
// completed band with the actual points.
void draw_forecast_button(AppState& app);
void draw_forecast_section(AppState& app);

}  // namespace leadflow::web
