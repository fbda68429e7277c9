// web/app/sim_results.cpp — the Results tab: terminal breakdown, time-to-terminal histogram and
// leads in progress over time as small charts, and a table of Monte-Carlo shares against the
// exact values with their 95% intervals (docs/simulation.md#exact-vs-monte-carlo).
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "app.hpp"
#include "chart_axis.hpp"
#include "platform.hpp"

namespace leadflow::web {

namespace {

const char* const kTerminals[] = {"completed", "dropped", "failed", "stuck", "unfinished"};
const ImU32 kTerminalColors[] = {IM_COL32(80, 200, 120, 255), IM_COL32(200, 110, 80, 255),
                                 IM_COL32(220, 70, 70, 255), IM_COL32(200, 180, 60, 255),
                                 IM_COL32(120, 130, 150, 255)};
constexpr ImU32 kBarColor = IM_COL32(90, 170, 230, 255);
constexpr ImU32 kBarHotColor = IM_COL32(140, 205, 255, 255);

double num(const Json& j) {
    return j.is_number() ? j.get<double>() : 0.0;
}

// Axis, tick-label and gridline colours from the theme (View > Theme), so charts read on a dark
// or a light panel.
ImU32 axis_color() {
    return ImGui::GetColorU32(ImGuiCol_TextDisabled);
}
ImU32 grid_color() {
    return ImGui::GetColorU32(ImGuiCol_Text, 0.12f);
}

// Reserves a chart area of `size` and returns its rectangle (min, max).
std::pair<ImVec2, ImVec2> chart_area(ImVec2 size) {
    const ImVec2 a = ImGui::GetCursorScreenPos();
    ImGui::Dummy(size);
    return {a, {a.x + size.x, a.y + size.y}};
}

// How many intervals an axis of `length` pixels gets: about one per `spacing` pixels, 2 to 8.
int tick_count(float length, float spacing) {
    return std::clamp(static_cast<int>(length / std::max(spacing, 1.0f)), 2, 8);
}

void chart_tooltip(AppState& app, const char* chart, int index, const std::string& text) {
    app.chart_hover = {chart, index, text};
    ImGui::SetTooltip("%s", text.c_str());
}

// Where leads ended: a horizontal bar per terminal with its 95% interval as a whisker, on a
// share axis (0–100%) with gridlines; the tooltip gives the exact share, count and interval.
void terminal_chart(AppState& app, const Json& r, ImVec2 size) {
    ImGui::TextUnformatted("Where leads ended");
    const auto [a, b] = chart_area(size);
    app.probe("results/chart/terminal");
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float fs = ImGui::GetFontSize();
    const float label_w = ImGui::CalcTextSize("unfinished  ").x;
    const float x0 = a.x + label_w, x1 = b.x - ImGui::CalcTextSize(" 100.0%").x;
    const float axis_y = b.y - fs - 2;
    const float row = (axis_y - a.y) / 5.0f;
    const ImU32 text_color = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 whisker_color = ImGui::GetColorU32(ImGuiCol_Text, 0.8f);
    // Share axis: gridlines and tick labels under the bars.
    const AxisTicks xt = nice_ticks(0, 1, tick_count(x1 - x0, fs * 4));
    auto X = [&](double v) { return x0 + (x1 - x0) * static_cast<float>(v / xt.hi); };
    float label_end = -1e30f;  // labels that would overlap the previous one are left out
    for (double t : xt.ticks) {
        const float x = X(t);
        dl->AddLine({x, a.y}, {x, axis_y}, grid_color());
        const std::string label = tick_label(t, xt.step, true);
        const float w = ImGui::CalcTextSize(label.c_str()).x;
        const float lx = std::min(x - w / 2, b.x - w);
        if (lx < label_end) continue;
        dl->AddText({lx, axis_y + 2}, axis_color(), label.c_str());
        label_end = lx + w + fs / 2;
    }
    dl->AddLine({x0, axis_y}, {x1, axis_y}, axis_color());
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (int i = 0; i < 5; ++i) {
        const Json& t = r["terminal"][kTerminals[i]];
        const double share = num(t["share"]);
        const float y = a.y + row * static_cast<float>(i);
        const bool hot = hovered && mouse.y >= y && mouse.y < y + row;
        dl->AddText({a.x, y + (row - fs) / 2}, text_color, kTerminals[i]);
        const ImVec2 bar_min{x0, y + row * 0.2f}, bar_max{X(share), y + row * 0.8f};
        dl->AddRectFilled(bar_min, bar_max, kTerminalColors[i]);
        if (hot) dl->AddRect(bar_min, {std::max(bar_max.x, x0 + 2), bar_max.y}, text_color);
        app.probes[std::string("results/terminal/") + kTerminals[i]] = {
            {x0, bar_min.y}, {std::max(bar_max.x, x0 + 4), bar_max.y}};
        // The 95% interval as a whisker.
        const double lo = num(t["ci95"][0]), hi = num(t["ci95"][1]);
        dl->AddLine({X(lo), y + row / 2}, {X(hi), y + row / 2}, whisker_color, 1.0f);
        char text[160];
        std::snprintf(text, sizeof text, "%.1f%%", share * 100);
        dl->AddText({x1 + 6, y + (row - fs) / 2}, text_color, text);
        if (hot) {
            std::snprintf(text, sizeof text,
                          "%s: %.2f%% of leads (%" PRId64 ")\n95%% interval %.2f%%–%.2f%%",
                          kTerminals[i], share * 100,
                          t["count"].is_number_integer() ? t["count"].get<std::int64_t>() : 0,
                          lo * 100, hi * 100);
            chart_tooltip(app, "terminal", i, text);
        }
    }
}

// Bars (histogram, bins of equal width) or a line (series) over x from 0, with round ticks on
// both axes, gridlines, and the value under the mouse in a tooltip (`what` names the y values).
void series_chart(AppState& app, const char* id, const char* title,
                  const std::vector<std::pair<double, double>>& points, double x_end, bool bars,
                  const char* x_unit, const char* what, ImVec2 size) {
    ImGui::TextUnformatted(title);
    const auto [a, b] = chart_area(size);
    app.probe(std::string("results/chart/") + id);
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float fs = ImGui::GetFontSize();
    if (points.empty() || x_end <= 0) {
        dl->AddLine({a.x, b.y - fs - 4}, {b.x, b.y - fs - 4}, axis_color());
        dl->AddText({a.x + 4, a.y}, axis_color(), "no data");
        return;
    }
    double y_max = 0;
    for (const auto& p : points) y_max = std::max(y_max, p.second);
    const float plot_h = (b.y - a.y) - fs * 2;
    const AxisTicks yt = nice_ticks(0, y_max, tick_count(plot_h, fs * 2.2f));
    float label_w = 0;
    for (double t : yt.ticks) {
        label_w = std::max(label_w, ImGui::CalcTextSize(tick_label(t, yt.step).c_str()).x);
    }
    const ImVec2 p0{a.x + label_w + 6, a.y + fs / 2}, p1{b.x - fs, b.y - fs - 4};
    const AxisTicks xt = nice_ticks(0, x_end, tick_count(p1.x - p0.x, fs * 4.5f));
    auto X = [&](double x) { return p0.x + (p1.x - p0.x) * static_cast<float>(x / xt.hi); };
    auto Y = [&](double y) {
        return p1.y - (p1.y - p0.y) * static_cast<float>((y - yt.lo) / (yt.hi - yt.lo));
    };
    // Gridlines and tick labels.
    for (double t : yt.ticks) {
        const float y = Y(t);
        dl->AddLine({p0.x, y}, {p1.x, y}, grid_color());
        const std::string label = tick_label(t, yt.step);
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        dl->AddText({p0.x - 4 - ts.x, y - ts.y / 2}, axis_color(), label.c_str());
    }
    float label_end = -1e30f;  // labels that would overlap the previous one are left out
    for (double t : xt.ticks) {
        const float x = X(t);
        dl->AddLine({x, p0.y}, {x, p1.y}, grid_color());
        std::string label = tick_label(t, xt.step);
        if (t == xt.ticks.back()) label += std::string(" ") + x_unit;
        const float w = ImGui::CalcTextSize(label.c_str()).x;
        const float lx = std::min(x - w / 2, b.x - w);
        if (lx < label_end) continue;
        dl->AddText({lx, p1.y + 2}, axis_color(), label.c_str());
        label_end = lx + w + fs / 2;
    }
    dl->AddLine({p0.x, p1.y}, {p1.x, p1.y}, axis_color());
    dl->AddLine({p0.x, p0.y}, {p0.x, p1.y}, axis_color());

    std::vector<double> xs;
    xs.reserve(points.size());
    for (const auto& p : points) xs.push_back(p.first);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool inside =
        hovered && mouse.x >= p0.x && mouse.x <= p1.x && mouse.y >= p0.y && mouse.y <= p1.y;
    const double mouse_x = (mouse.x - p0.x) / (p1.x - p0.x) * xt.hi;
    char text[160];
    if (bars) {
        const double w = points.size() > 1 ? points[1].first - points[0].first : x_end;
        const int hot = inside ? bar_at(xs, w, mouse_x) : -1;
        std::size_t tallest = 0;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const auto& p = points[i];
            if (p.second > points[tallest].second) tallest = i;
            dl->AddRectFilled({X(p.first) + 1, Y(p.second)}, {X(p.first + w) - 1, p1.y},
                              static_cast<int>(i) == hot ? kBarHotColor : kBarColor);
        }
        const auto& t = points[tallest];
        app.probes[std::string("results/") + id + "/tallest"] = {{X(t.first) + 1, Y(t.second)},
                                                                 {X(t.first + w) - 1, p1.y}};
        if (hot >= 0) {
            const auto& p = points[static_cast<std::size_t>(hot)];
            std::snprintf(text, sizeof text, "%g–%g %s: %.0f %s", p.first, p.first + w, x_unit,
                          p.second, what);
            chart_tooltip(app, id, hot, text);
        }
    } else {
        for (std::size_t i = 1; i < points.size(); ++i) {
            dl->AddLine({X(points[i - 1].first), Y(points[i - 1].second)},
                        {X(points[i].first), Y(points[i].second)}, kBarColor, 2.0f);
        }
        const int hot = inside ? nearest_point(xs, mouse_x) : -1;
        if (hot >= 0) {
            const auto& p = points[static_cast<std::size_t>(hot)];
            const ImVec2 at{X(p.first), Y(p.second)};
            dl->AddLine({at.x, p0.y}, {at.x, p1.y}, axis_color());
            dl->AddCircleFilled(at, 4.0f, kBarHotColor);
            std::snprintf(text, sizeof text, "%g %s: %.0f %s", p.first, x_unit, p.second, what);
            chart_tooltip(app, id, hot, text);
        }
    }
}

void exact_table(AppState& app, const Json& r) {
    const Json& ex = r["exact"];
    const bool exact =
        ex.is_object() && ex["available"].is_boolean() && ex["available"].get<bool>();
    if (!exact) {
        ImGui::TextDisabled("Exact analysis unavailable: %s",
                            ex.is_object() && ex["reason"].is_string()
                                ? ex["reason"].get<std::string>().c_str()
                                : "—");
    }
    // Columns as wide as their content (headers included); a panel narrower than the table
    // scrolls it sideways instead of cutting the headers.
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
    const ImGuiStyle& st = ImGui::GetStyle();
    const float height = 7 * (ImGui::GetTextLineHeight() + st.CellPadding.y * 2) +
                         st.ScrollbarSize + st.CellPadding.y * 2;
    if (!ImGui::BeginTable("exact_table", 6, flags, {0, height})) return;
    const std::vector<const char*> headers = {"Outcome",      "Leads", "Monte-Carlo",
                                              "95% interval", "Exact", "Check"};
    for (const char* h : headers) ImGui::TableSetupColumn(h);
    ImGui::TableSetupScrollFreeze(1, 0);
    ImGui::TableHeadersRow();
    std::vector<float> w(headers.size(), 0.0f);
    const bool finished = num(r["terminal"]["unfinished"]["share"]) < 0.001;
    for (int i = 0; i < 5; ++i) {
        const Json& t = r["terminal"][kTerminals[i]];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kTerminalColors[i]), "%s", kTerminals[i]);
        fit_column(w, 0);
        ImGui::TableNextColumn();
        ImGui::Text("%" PRId64, t["count"].get<std::int64_t>());
        fit_column(w, 1);
        ImGui::TableNextColumn();
        ImGui::Text("%.2f%%", num(t["share"]) * 100);
        fit_column(w, 2);
        ImGui::TableNextColumn();
        ImGui::Text("%.2f-%.2f%%", num(t["ci95"][0]) * 100, num(t["ci95"][1]) * 100);
        fit_column(w, 3);
        ImGui::TableNextColumn();
        if (exact && ex["terminal"].contains(kTerminals[i])) {
            const double e = num(ex["terminal"][kTerminals[i]]);
            ImGui::Text("%.2f%%", e * 100);
            fit_column(w, 4);
            ImGui::TableNextColumn();
            // With a long enough horizon, Monte-Carlo shares fall inside their intervals around the
            // exact values about 95% of the time (the exact solution ignores time).
            const double lo = num(t["ci95"][0]), hi = num(t["ci95"][1]);
            const bool inside = e >= lo - 1e-12 && e <= hi + 1e-12;
            if (!finished) {
                ImGui::TextDisabled("horizon cut");
            } else if (inside) {
                ImGui::TextColored(tone(app, StatusTone::kGood), "inside");
            } else {
                ImGui::TextColored(tone(app, StatusTone::kWarn), "outside");
            }
            fit_column(w, 5);
        } else {
            ImGui::TextDisabled("—");
            fit_column(w, 4);
            ImGui::TableNextColumn();
        }
    }
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("calls / lead");
    fit_column(w, 0);
    ImGui::TableNextColumn();
    ImGui::Text("%" PRId64, r["calls"]["placed"].get<std::int64_t>());
    fit_column(w, 1);
    ImGui::TableNextColumn();
    ImGui::Text("%.3f", num(r["calls"]["per_lead"]));
    fit_column(w, 2);
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%.0f min · cost %.2f", num(r["calls"]["minutes"]),
                        num(r["calls"]["cost"]));
    fit_column(w, 3);
    ImGui::TableNextColumn();
    if (exact) {
        ImGui::Text("%.3f", num(ex["expected_calls"]));
        fit_column(w, 4);
    }
    record_table_fit(app, "exact_table", w, headers);
    ImGui::EndTable();
    app.probe("results/table");
}

}  // namespace

void export_results_json(AppState& app) {
    const std::string& text = app.sim.session.results_text();
    if (text.empty()) return;
    // leadflow-sim --json ends its output with a newline; the file is byte for byte that output.
    platform::download_text("leadflow-results.json", text + "\n");
    app.notify("Exported leadflow-results.json");
}

void draw_sim_results(AppState& app) {
    SimUi& sim = app.sim;
    if (sim.session.running()) {
        char overlay[64];
        std::snprintf(overlay, sizeof overlay, "Simulating %" PRId64 " leads... %.0f%%",
                      sim.session.leads(), sim.session.progress() * 100.0);
        ImGui::ProgressBar(static_cast<float>(sim.session.progress()), {-1, 0}, overlay);
    }
    const Json& r = sim.session.results();
    if (!r.is_object()) {
        ImGui::TextDisabled("No results yet: open the Simulation tab and press Run.");
        return;
    }
    const Json& ttt = r["time_to_terminal_hours"];
    ImGui::Text("%" PRId64 " leads · seed %" PRIu64 " · p50 %.1f h · p90 %.1f h · p99 %.1f h",
                r["leads"].get<std::int64_t>(), r["seed"].get<std::uint64_t>(), num(ttt["p50"]),
                num(ttt["p90"]), num(ttt["p99"]));
    ImGui::SameLine();
    if (ImGui::SmallButton("Export results as JSON")) export_results_json(app);
    app.probe("results/export_json");
    ImGui::SameLine();
    if (ImGui::SmallButton(app.panels.sizes.results_maximized ? "Restore" : "Maximize")) {
        toggle_results_maximized(app);
    }
    app.probe("results/maximize");
    if (!ImGui::BeginTable("results_layout", 4, ImGuiTableFlags_SizingStretchProp)) return;
    ImGui::TableSetupColumn("terminal", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("histogram", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("progress", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("exact", ImGuiTableColumnFlags_WidthStretch, 1.9f);
    const float h = std::max(80.0f, ImGui::GetContentRegionAvail().y - ImGui::GetFontSize() * 2);
    ImGui::TableNextColumn();
    terminal_chart(app, r, {ImGui::GetContentRegionAvail().x, h});
    ImGui::TableNextColumn();
    std::vector<std::pair<double, double>> hist;
    double hist_end = 0;
    for (const Json& b : ttt["histogram"]) {
        hist.emplace_back(num(b["from"]), num(b["count"]));
        hist_end = std::max(hist_end, num(b["to"]));
    }
    series_chart(app, "histogram", "Time to terminal (histogram)", hist, hist_end, true, "h",
                 "leads", {ImGui::GetContentRegionAvail().x, h});
    ImGui::TableNextColumn();
    std::vector<std::pair<double, double>> prog;
    double prog_end = 0;
    for (const Json& p : r["in_progress"]) {
        prog.emplace_back(num(p["t_hours"]), num(p["count"]));
        prog_end = std::max(prog_end, num(p["t_hours"]));
    }
    series_chart(app, "progress", "Leads in progress", prog, prog_end, false, "h",
                 "leads in progress", {ImGui::GetContentRegionAvail().x, h});
    ImGui::TableNextColumn();
    ImGui::BeginChild("exact_scroll", {0, h + ImGui::GetFontSize()});
    exact_table(app, r);
    draw_split_results(app, r);
    ImGui::EndChild();
    ImGui::EndTable();
}

}  // namespace leadflow::web
