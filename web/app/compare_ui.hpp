// web/app/compare_ui.hpp — comparing two graphs by simulation in the browser, with or without a
// server: the editor's graph ("after") against a "before" graph — the graph last opened (a
// share link, an imported file, a template, loadGraph), a template, or (server mode) the
// workflow's published version — under one scenario. The state lives in AppState::compare;
// compare_panel.cpp runs the comparison (compare_data.hpp) and draws the Compare tab and the
// "Compare with" menu.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "compare_data.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"

namespace leadflow::web {

struct AppState;

struct CompareUi {
    // The graph last opened in the editor, kept as a "before" candidate, and what it was.
    std::optional<Graph> opened;
    std::string opened_label;
    // The comparison asked for: it runs on the next frame, so the tab says "Comparing..." first.
    bool pending = false;
    bool announce = false;   // the frame that shows "Comparing..." has not been drawn yet
    CompareSession session;  // the two runs, advanced a frame budget at a time
    double started_ms = 0;
    Graph before, after;
    std::string before_label, after_label;
    Json scenario = Json::object();
    // The last finished comparison.
    std::optional<ComparisonView> view;
    std::string error;
    std::uint64_t runs = 0;  // finished comparisons (successful or not)
    double last_run_ms = 0;
};

// Remembers the editor's graph (just opened) as the "before" candidate, named `label`
// ("share link", "file workflow.json", "template Lead nurture", …).
void compare_remember_opened(AppState& app, const std::string& label);
// Asks for a comparison of `before` with `after` under `scenario` (scenario JSON); it runs on the
// next frame and opens the Compare tab.
void compare_request(AppState& app, Graph before, std::string before_label, Graph after,
                     std::string after_label, Json scenario);
// The editor's graph against the last opened graph / a template, under the editor's scenario.
// false (and a message) when there is no such graph.
bool compare_with_opened(AppState& app);
bool compare_with_template(AppState& app, const std::string& name);
// Per frame: runs a pending comparison.
void compare_tick(AppState& app);
// The Compare tab (bottom panel) and the Simulate menu's "Compare with" submenu.
void draw_compare_panel(AppState& app);
void draw_compare_menu(AppState& app);
// Downloads the comparison table as leadflow-comparison.csv (compare_data.hpp: comparison_csv).
// Nothing without a finished comparison.
void export_comparison_csv(AppState& app);
// {pending, runs, error, before_label, after_label, has_opened, opened_label, leads, seed,
//  conversion, calls_per_lead, time_to_terminal_hours ({before, after, delta, ci95}),
//  converted, terminal_leads, before_results, after_results (the results JSON texts)}.
Json compare_status_json(const AppState& app);

}  // namespace leadflow::web
