// web/app/compare_panel.cpp — "Compare with…": the editor's graph simulated against another
// graph under one scenario (compare_data.hpp), with or without a server. The Compare tab (bottom
// panel) shows conversion, calls per lead and time to terminal for both, the difference and its
// 95% interval; the Simulate menu's "Compare with" submenu and the tab's buttons pick the
// "before" graph: the one last opened (share link, file, template, loadGraph), a template, or
// in server mode the published version (Versions → Simulate the change).
//
// Index:
//   [SECTION] Running
//   [SECTION] Drawing
//   [SECTION] Automation API
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <vector>

#include "app.hpp"
#include "leadflow/wire.hpp"
#include "platform.hpp"

namespace leadflow::web {

// [SECTION] Running

void compare_remember_opened(AppState& app, const std::string& label) {
    app.compare.opened = app.editor.graph();
    app.compare.opened_label = label;
}

void compare_request(AppState& app, Graph before, std::string before_label, Graph after,
                     std::string after_label, Json scenario) {
    CompareUi& c = app.compare;
    c.before = std::move(before);
    c.after = std::move(after);
    c.before_label = std::move(before_label);
    c.after_label = std::move(after_label);
    c.scenario = std::move(scenario);
    c.error.clear();
    c.session = CompareSession();  // a comparison in progress gives way to the new one
    c.pending = true;
    c.announce = true;
    app.sim.open_tab = "compare";
}

bool compare_with_opened(AppState& app) {
    CompareUi& c = app.compare;
    if (!c.opened) {
        c.error = "Open a share link, a file or a template first: it becomes the \"before\".";
        app.sim.open_tab = "compare";
        return false;
    }
    compare_request(app, *c.opened, c.opened_label, app.editor.graph(), "editor", app.sim.scenario);
    return true;
}

bool compare_with_template(AppState& app, const std::string& name) {
    for (const Template& t : templates()) {
        if (name != t.name) continue;
        Result<Graph> g = parse_graph(t.json);
        if (!g.ok()) break;
        compare_request(app, std::move(*g), std::string("template ") + t.name, app.editor.graph(),
                        "editor", app.sim.scenario);
        return true;
    }
    app.compare.error = "No template named \"" + name + "\".";
    return false;
}

void compare_tick(AppState& app) {
    CompareUi& c = app.compare;
    if (!c.pending) return;
    // The tab shows "Comparing..." on the frame of the request. The two runs then advance in
    // slices until the frame's budget (the one the Simulate tab uses) is spent, so the page
    // keeps drawing, with a progress bar, however large the scenario.
    if (c.announce) {
        c.announce = false;
        return;
    }
    const double start = platform::now_ms();
    if (!c.session.running()) {
        c.started_ms = start;
        Status st = c.session.start(c.before, c.after, c.scenario);
        if (!st.is_ok()) {
            c.pending = false;
            ++c.runs;
            c.view.reset();
            c.error = st.message();
            app.notify("Comparison failed: " + c.error, 8.0);
            return;
        }
    }
    constexpr std::int64_t kSlice = 20000;
    bool done = false;
    do {
        done = c.session.step(kSlice);
    } while (!done && platform::now_ms() - start < app.sim.frame_budget_ms);
    if (!done) return;
    c.pending = false;
    Result<Json> r = c.session.finish();
    c.last_run_ms = platform::now_ms() - c.started_ms;
    ++c.runs;
    if (!r.ok()) {
        c.view.reset();
        c.error = r.status().message();
        app.notify("Comparison failed: " + c.error, 8.0);
        return;
    }
    Result<ComparisonView> v = read_comparison(*r);
    if (!v.ok()) {
        c.view.reset();
        c.error = v.status().message();
        return;
    }
    c.view = std::move(*v);
    char msg[96];
    std::snprintf(msg, sizeof msg, "Compared two runs of %" PRId64 " leads in %.2f s",
                  c.view->leads, c.last_run_ms / 1000.0);
    app.notify(msg, 6.0);
}

// [SECTION] Drawing

namespace {

void metric_row(const AppState& app, const char* name, const CompareMetric& m, MetricUnit unit,
                std::vector<float>& w) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(name);
    fit_column(w, 0);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(format_value(m.before, unit).c_str());
    fit_column(w, 1);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(format_value(m.after, unit).c_str());
    fit_column(w, 2);
    ImGui::TableNextColumn();
    // A difference whose interval excludes zero is coloured (green up / red down for
    // conversion; the reverse for calls and time, which cost).
    const bool clear = m.has_ci && (m.ci_lo > 0 || m.ci_hi < 0);
    const bool good = unit == MetricUnit::kShare ? m.delta > 0 : m.delta < 0;
    const std::string d = format_delta(m.delta, unit);
    if (clear) {
        ImGui::TextColored(good ? tone(app, StatusTone::kGood) : tone(app, StatusTone::kBad), "%s",
                           d.c_str());
    } else {
        ImGui::TextUnformatted(d.c_str());
    }
    fit_column(w, 3);
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", format_interval(m, unit).c_str());
    fit_column(w, 4);
}

void choices(AppState& app) {
    CompareUi& c = app.compare;
    ImGui::BeginDisabled(!c.opened.has_value());
    const std::string opened =
        c.opened ? "Compare with " + c.opened_label : std::string("Compare with opened graph");
    if (ImGui::Button(opened.c_str())) compare_with_opened(app);
    ImGui::EndDisabled();
    app.probe("compare/opened");
    if (app.server.signed_in && !app.server.workflow_id.empty()) {
        ImGui::SameLine();
        ImGui::BeginDisabled(!app.versions.published.has_value());
        if (ImGui::Button("Compare with published version")) versions_simulate_change(app);
        ImGui::EndDisabled();
        app.probe("compare/published");
    }
}

}  // namespace

void export_comparison_csv(AppState& app) {
    if (!app.compare.view) return;
    platform::download_text("leadflow-comparison.csv", comparison_csv(*app.compare.view),
                            "text/csv");
    app.notify("Exported leadflow-comparison.csv");
}

void draw_compare_panel(AppState& app) {
    CompareUi& c = app.compare;
    choices(app);
    if (c.pending) {
        ImGui::TextDisabled("Comparing %s with %s...", c.before_label.c_str(),
                            c.after_label.c_str());
        ImGui::ProgressBar(static_cast<float>(c.session.running() ? c.session.progress() : 0.0),
                           ImVec2(-1, 0));
        return;
    }
    if (!c.error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(tone(app, StatusTone::kBad), "%s", c.error.c_str());
        ImGui::PopTextWrapPos();
    }
    if (!c.view) {
        if (c.error.empty()) {
            ImGui::TextDisabled(
                "Simulate the editor's graph against another one under the same scenario: the "
                "graph last opened (share link, file, template), a template (Simulate > Compare "
                "with), or the published version (Server tab > Versions).");
        }
        return;
    }
    const ComparisonView& v = *c.view;
    ImGui::Text("Before: %s  ·  After: %s  ·  %" PRId64 " leads each, seed %" PRIu64,
                c.before_label.c_str(), c.after_label.c_str(), v.leads, v.seed);
    ImGui::SameLine();
    if (ImGui::SmallButton("Export comparison as CSV")) export_comparison_csv(app);
    app.probe("compare/export_csv");
    // Columns as wide as their content (headers included); a panel narrower than the table
    // scrolls it sideways instead of cutting the headers.
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
    const ImGuiStyle& st = ImGui::GetStyle();
    const float height = 4 * (ImGui::GetTextLineHeight() + st.CellPadding.y * 2) +
                         st.ScrollbarSize + st.CellPadding.y * 2;
    if (ImGui::BeginTable("compare_table", 5, flags, {0, height})) {
        const std::vector<const char*> headers = {"Outcome", "Before", "After", "Difference",
                                                  "95% interval"};
        for (const char* h : headers) ImGui::TableSetupColumn(h);
        ImGui::TableSetupScrollFreeze(1, 0);
        ImGui::TableHeadersRow();
        std::vector<float> w(headers.size(), 0.0f);
        metric_row(app, "Conversion", v.conversion, MetricUnit::kShare, w);
        metric_row(app, "Calls per lead", v.calls_per_lead, MetricUnit::kCalls, w);
        metric_row(app, "Time to terminal", v.time_to_terminal, MetricUnit::kHours, w);
        record_table_fit(app, "compare_table", w, headers);
        ImGui::EndTable();
    }
    app.probe("compare/table");
    ImGui::TextDisabled(
        "Converted %" PRId64 " -> %" PRId64 " leads; time to terminal over %" PRId64 " -> %" PRId64
        " leads that reached one. Both runs share the seed, so the intervals are conservative.",
        v.converted_before, v.converted_after, v.terminal_before, v.terminal_after);
}

void draw_compare_menu(AppState& app) {
    if (!ImGui::BeginMenu("Compare with")) return;
    CompareUi& c = app.compare;
    const std::string opened =
        c.opened ? "Opened: " + c.opened_label : std::string("Opened graph (none yet)");
    if (ImGui::MenuItem(opened.c_str(), nullptr, false, c.opened.has_value())) {
        compare_with_opened(app);
    }
    if (app.server.signed_in && !app.server.workflow_id.empty()) {
        const std::string published =
            app.versions.published ? "Published version " + std::to_string(*app.versions.published)
                                   : std::string("Published version (none yet)");
        if (ImGui::MenuItem(published.c_str(), nullptr, false,
                            app.versions.published.has_value())) {
            versions_simulate_change(app);
        }
    }
    ImGui::Separator();
    for (const Template& t : templates()) {
        const std::string label = std::string("Template: ") + t.name;
        if (ImGui::MenuItem(label.c_str())) compare_with_template(app, t.name);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Show comparison")) app.sim.open_tab = "compare";
    ImGui::EndMenu();
}

// [SECTION] Automation API

namespace {

Json metric_json(const CompareMetric& m) {
    return Json{{"before", m.before},
                {"after", m.after},
                {"delta", m.delta},
                {"ci95", m.has_ci ? Json::array({m.ci_lo, m.ci_hi}) : Json(nullptr)}};
}

}  // namespace

Json compare_status_json(const AppState& app) {
    const CompareUi& c = app.compare;
    Json out = Json::object();
    out["pending"] = c.pending;
    out["progress"] = c.session.running() ? c.session.progress() : (c.pending ? 0.0 : 1.0);
    out["runs"] = c.runs;
    out["error"] = c.error;
    out["has_opened"] = c.opened.has_value();
    out["opened_label"] = c.opened_label;
    out["before_label"] = c.before_label;
    out["after_label"] = c.after_label;
    out["last_run_ms"] = c.last_run_ms;
    if (!c.view) {
        out["result"] = nullptr;
        return out;
    }
    const ComparisonView& v = *c.view;
    out["result"] = Json{{"leads", v.leads},
                         {"seed", v.seed},
                         {"conversion", metric_json(v.conversion)},
                         {"calls_per_lead", metric_json(v.calls_per_lead)},
                         {"time_to_terminal_hours", metric_json(v.time_to_terminal)},
                         {"converted", Json::array({v.converted_before, v.converted_after})},
                         {"terminal_leads", Json::array({v.terminal_before, v.terminal_after})},
                         {"before_results", v.before_text},
                         {"after_results", v.after_text}};
    return out;
}

}  // namespace leadflow::web
