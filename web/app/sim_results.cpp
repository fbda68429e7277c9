// web/app/sim_results.cpp — the Results tab: terminal breakdown, time-to-terminal histogram and
// leads in progress over time as small charts, and a table of Monte-Carlo shares against the
// exact values with their 95% intervals (docs/simulation.md#exact-vs-monte-carlo).
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "app.hpp"
#include "platform.hpp"

namespace leadflow::web {

namespace {

const char* const kTerminals[] = {"completed", "dropped", "failed", "stuck", "unfinished"};
const ImU32 kTerminalColors[] = {IM_COL32(80, 200, 120, 255), IM_COL32(200, 110, 80, 255),
                                 IM_COL32(220, 70, 70, 255), IM_COL32(200, 180, 60, 255),
                                 IM_COL32(120, 130, 150, 255)};
constexpr ImU32 kBarColor = IM_COL32(90, 170, 230, 255);
constexpr ImU32 kAxisColor = IM_COL32(110, 115, 128, 255);

double num(const Json& j) {
    return j.is_number() ? j.get<double>() : 0.0;
}

// Reserves a chart area of `size` and returns its rectangle (min, max).
std::pair<ImVec2, ImVec2> chart_area(ImVec2 size) {
    const ImVec2 a = ImGui::GetCursorScreenPos();
    ImGui::Dummy(size);
    return {a, {a.x + size.x, a.y + size.y}};
}

void terminal_chart(const Json& r, ImVec2 size) {
    ImGui::TextUnformatted("Where leads ended");
    const auto [a, b] = chart_area(size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float row = (b.y - a.y) / 5.0f;
    const float label_w = ImGui::CalcTextSize("unfinished  ").x;
    // The theme's text colour (View > Theme), so the labels read on a dark or a light panel.
    const ImU32 text_color = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 whisker_color = ImGui::GetColorU32(ImGuiCol_Text, 0.8f);
    for (int i = 0; i < 5; ++i) {
        const Json& t = r["terminal"][kTerminals[i]];
        const double share = num(t["share"]);
        const float y = a.y + row * static_cast<float>(i);
        dl->AddText({a.x, y + (row - ImGui::GetFontSize()) / 2}, text_color, kTerminals[i]);
        const float x0 = a.x + label_w, x1 = b.x - 60;
        dl->AddRectFilled({x0, y + row * 0.2f},
                          {x0 + (x1 - x0) * static_cast<float>(share), y + row * 0.8f},
                          kTerminalColors[i]);
        // The 95% interval as a whisker.
        const float lo = x0 + (x1 - x0) * static_cast<float>(num(t["ci95"][0]));
        const float hi = x0 + (x1 - x0) * static_cast<float>(num(t["ci95"][1]));
        dl->AddLine({lo, y + row / 2}, {hi, y + row / 2}, whisker_color, 1.0f);
        char text[32];
        std::snprintf(text, sizeof text, "%.1f%%", share * 100);
        dl->AddText({x1 + 6, y + (row - ImGui::GetFontSize()) / 2}, text_color, text);
    }
}

// Bars (histogram) or a line (series) over x, with the y maximum and the x range as text.
void series_chart(const char* title, const std::vector<std::pair<double, double>>& points,
                  double x_end, bool bars, const char* x_unit, ImVec2 size) {
    ImGui::TextUnformatted(title);
    const auto [a, b] = chart_area(size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float fs = ImGui::GetFontSize();
    const ImVec2 p0{a.x + 4, a.y + fs + 2}, p1{b.x - 4, b.y - fs - 4};
    dl->AddLine({p0.x, p1.y}, {p1.x, p1.y}, kAxisColor);
    if (points.empty() || x_end <= 0) {
        dl->AddText({p0.x, p0.y}, kAxisColor, "no data");
        return;
    }
    double y_max = 0;
    for (const auto& p : points) y_max = std::max(y_max, p.second);
    if (y_max <= 0) y_max = 1;
    auto X = [&](double x) { return p0.x + (p1.x - p0.x) * static_cast<float>(x / x_end); };
    auto Y = [&](double y) { return p1.y - (p1.y - p0.y) * static_cast<float>(y / y_max); };
    if (bars) {
        const double w = points.size() > 1 ? points[1].first - points[0].first : x_end;
        for (const auto& p : points) {
            dl->AddRectFilled({X(p.first) + 1, Y(p.second)}, {X(p.first + w) - 1, p1.y}, kBarColor);
        }
    } else {
        for (std::size_t i = 1; i < points.size(); ++i) {
            dl->AddLine({X(points[i - 1].first), Y(points[i - 1].second)},
                        {X(points[i].first), Y(points[i].second)}, kBarColor, 2.0f);
        }
    }
    char text[64];
    std::snprintf(text, sizeof text, "max %.0f", y_max);
    dl->AddText({p0.x, a.y}, kAxisColor, text);
    dl->AddText({p0.x, p1.y + 2}, kAxisColor, "0");
    std::snprintf(text, sizeof text, "%.0f %s", x_end, x_unit);
    dl->AddText({p1.x - ImGui::CalcTextSize(text).x, p1.y + 2}, kAxisColor, text);
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
    const ImGuiTableFlags flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("exact_table", 6, flags)) return;
    ImGui::TableSetupColumn("Outcome", 0, 1.0f);
    ImGui::TableSetupColumn("Leads", 0, 0.8f);
    ImGui::TableSetupColumn("Monte-Carlo", 0, 1.1f);
    ImGui::TableSetupColumn("95% interval", 0, 1.6f);
    ImGui::TableSetupColumn("Exact", 0, 0.9f);
    ImGui::TableSetupColumn("", 0, 0.9f);
    ImGui::TableHeadersRow();
    const bool finished = num(r["terminal"]["unfinished"]["share"]) < 0.001;
    for (int i = 0; i < 5; ++i) {
        const Json& t = r["terminal"][kTerminals[i]];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kTerminalColors[i]), "%s", kTerminals[i]);
        ImGui::TableNextColumn();
        ImGui::Text("%" PRId64, t["count"].get<std::int64_t>());
        ImGui::TableNextColumn();
        ImGui::Text("%.2f%%", num(t["share"]) * 100);
        ImGui::TableNextColumn();
        ImGui::Text("%.2f-%.2f%%", num(t["ci95"][0]) * 100, num(t["ci95"][1]) * 100);
        ImGui::TableNextColumn();
        if (exact && ex["terminal"].contains(kTerminals[i])) {
            const double e = num(ex["terminal"][kTerminals[i]]);
            ImGui::Text("%.2f%%", e * 100);
            ImGui::TableNextColumn();
            // With a long enough horizon, Monte-Carlo shares fall inside their intervals around the
            // exact values about 95% of the time (the exact solution ignores time).
            const double lo = num(t["ci95"][0]), hi = num(t["ci95"][1]);
            const bool inside = e >= lo - 1e-12 && e <= hi + 1e-12;
            if (!finished) {
                ImGui::TextDisabled("horizon cut");
            } else if (inside) {
                ImGui::TextColored({0.4f, 0.85f, 0.5f, 1}, "inside");
            } else {
                ImGui::TextColored({0.95f, 0.6f, 0.3f, 1}, "outside");
            }
        } else {
            ImGui::TextDisabled("—");
            ImGui::TableNextColumn();
        }
    }
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("calls / lead");
    ImGui::TableNextColumn();
    ImGui::Text("%" PRId64, r["calls"]["placed"].get<std::int64_t>());
    ImGui::TableNextColumn();
    ImGui::Text("%.3f", num(r["calls"]["per_lead"]));
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%.0f min · cost %.2f", num(r["calls"]["minutes"]),
                        num(r["calls"]["cost"]));
    ImGui::TableNextColumn();
    if (exact) ImGui::Text("%.3f", num(ex["expected_calls"]));
    ImGui::TableNextColumn();
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
    if (!ImGui::BeginTable("results_layout", 4, ImGuiTableFlags_SizingStretchProp)) return;
    ImGui::TableSetupColumn("terminal", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("histogram", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("progress", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("exact", ImGuiTableColumnFlags_WidthStretch, 1.9f);
    const float h = std::max(80.0f, ImGui::GetContentRegionAvail().y - ImGui::GetFontSize() * 2);
    ImGui::TableNextColumn();
    terminal_chart(r, {ImGui::GetContentRegionAvail().x, h});
    ImGui::TableNextColumn();
    std::vector<std::pair<double, double>> hist;
    double hist_end = 0;
    for (const Json& b : ttt["histogram"]) {
        hist.emplace_back(num(b["from"]), num(b["count"]));
        hist_end = std::max(hist_end, num(b["to"]));
    }
    series_chart("Time to terminal (histogram)", hist, hist_end, true, "h",
                 {ImGui::GetContentRegionAvail().x, h});
    ImGui::TableNextColumn();
    std::vector<std::pair<double, double>> prog;
    double prog_end = 0;
    for (const Json& p : r["in_progress"]) {
        prog.emplace_back(num(p["t_hours"]), num(p["count"]));
        prog_end = std::max(prog_end, num(p["t_hours"]));
    }
    series_chart("Leads in progress", prog, prog_end, false, "h",
                 {ImGui::GetContentRegionAvail().x, h});
    ImGui::TableNextColumn();
    ImGui::BeginChild("exact_scroll", {0, h + ImGui::GetFontSize()});
    exact_table(app, r);
    ImGui::EndChild();
    ImGui::EndTable();
}

}  // namespace leadflow::web
