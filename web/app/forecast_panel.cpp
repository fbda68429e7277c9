// web/app/forecast_panel.cpp — the forecast in the Server tab: the Forecast button and its
// options, the request (POST /v1/workflows/{id}/forecast), the final bands and the last
// finish, and a chart of the completed band by day with the workflow's actual completed leads
// since the forecast drawn over it. Reading the reply and placing the points is
// forecast_data.cpp (tested natively); the canvas's forecast badges are sim_overlay.cpp.
//
// The server's clock: the forecast's "now" is the server's (virtual) time, which runs faster
// than the wall clock under `serve --time-scale`. The live view's node-counts reply says when
// (on that clock) it counted, so each poll's completed count is placed in days after "now"
// over the band, blue inside it and red outside. A reply without that time (an older server)
// leaves the points numbered by poll: they are drawn beside the band chart against the final
// completed band, and none counts as inside or outside.
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "app.hpp"
#include "chart_axis.hpp"

namespace leadflow::web {

namespace {

constexpr ImU32 kBandFill = IM_COL32(80, 200, 120, 60);
constexpr ImU32 kExpectedColor = IM_COL32(80, 200, 120, 255);
constexpr ImU32 kActualColor = IM_COL32(90, 170, 230, 255);
constexpr ImU32 kOutsideColor = IM_COL32(220, 90, 70, 255);

// Axis, tick-label and gridline colours from the theme, as the Results charts have them.
ImU32 axis_color() {
    return ImGui::GetColorU32(ImGuiCol_TextDisabled);
}
ImU32 grid_color() {
    return ImGui::GetColorU32(ImGuiCol_Text, 0.12f);
}

int tick_count(float length, float spacing) {
    return std::clamp(static_cast<int>(length / std::max(spacing, 1.0f)), 2, 8);
}

// A plot area with round ticks on both axes (x from 0 to x_end, y from 0 to y_max), gridlines
// and labels; X and Y map data to screen.
struct Plot {
    ImVec2 a, b;    // the whole chart
    ImVec2 p0, p1;  // the plotted area
    AxisTicks xt, yt;
    bool hovered = false;
    float X(double x) const {
        return p0.x + (p1.x - p0.x) * static_cast<float>((x - xt.lo) / (xt.hi - xt.lo));
    }
    float Y(double y) const {
        return p1.y - (p1.y - p0.y) * static_cast<float>((y - yt.lo) / (yt.hi - yt.lo));
    }
    double x_at(float sx) const { return xt.lo + (sx - p0.x) / (p1.x - p0.x) * (xt.hi - xt.lo); }
    bool mouse_inside() const {
        const ImVec2 m = ImGui::GetIO().MousePos;
        return hovered && m.x >= p0.x && m.x <= p1.x && m.y >= p0.y && m.y <= p1.y;
    }
};

Plot plot_area(AppState& app, const char* probe, ImVec2 size, double x_lo, double x_end,
               double y_max, const char* x_unit) {
    Plot p;
    p.a = ImGui::GetCursorScreenPos();
    ImGui::Dummy(size);
    app.probe(probe);
    p.hovered = ImGui::IsItemHovered();
    p.b = {p.a.x + size.x, p.a.y + size.y};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float fs = ImGui::GetFontSize();
    p.yt = nice_ticks(0, y_max, tick_count(size.y - fs * 2, fs * 2.2f));
    float label_w = 0;
    for (double t : p.yt.ticks) {
        label_w = std::max(label_w, ImGui::CalcTextSize(tick_label(t, p.yt.step).c_str()).x);
    }
    p.p0 = {p.a.x + label_w + 6, p.a.y + fs / 2};
    p.p1 = {p.b.x - fs, p.b.y - fs - 4};
    p.xt = nice_ticks(x_lo, x_end, tick_count(p.p1.x - p.p0.x, fs * 4.5f));
    for (double t : p.yt.ticks) {
        const float y = p.Y(t);
        dl->AddLine({p.p0.x, y}, {p.p1.x, y}, grid_color());
        const std::string label = tick_label(t, p.yt.step);
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        dl->AddText({p.p0.x - 4 - ts.x, y - ts.y / 2}, axis_color(), label.c_str());
    }
    float label_end = -1e30f;  // labels that would overlap the previous one are left out
    for (double t : p.xt.ticks) {
        const float x = p.X(t);
        dl->AddLine({x, p.p0.y}, {x, p.p1.y}, grid_color());
        std::string label = tick_label(t, p.xt.step);
        if (t == p.xt.ticks.back()) label += std::string(" ") + x_unit;
        const float w = ImGui::CalcTextSize(label.c_str()).x;
        const float lx = std::min(x - w / 2, p.b.x - w);
        if (lx < label_end) continue;
        dl->AddText({lx, p.p1.y + 2}, axis_color(), label.c_str());
        label_end = lx + w + fs / 2;
    }
    dl->AddLine({p.p0.x, p.p1.y}, {p.p1.x, p.p1.y}, axis_color());
    dl->AddLine({p.p0.x, p.p0.y}, {p.p0.x, p.p1.y}, axis_color());
    return p;
}

// The tooltip, and what it shows for the automation API's workspace().chart_hover: chart
// "forecast" (index: the day end, 0 = now), "forecast/actual" (the actual point) or
// "forecast/polls" (the poll-numbered point).
void chart_tooltip(AppState& app, const char* chart, int index, const std::string& text) {
    app.chart_hover = {chart, index, text};
    ImGui::SetTooltip("%s", text.c_str());
}

// The actual points: a line through them, each a dot (red when outside the band).
void draw_points(ImDrawList* dl, const Plot& p, const std::vector<ForecastPoint>& points,
                 bool timed) {
    const ForecastPoint* prev = nullptr;
    for (const ForecastPoint& pt : points) {
        if (pt.timed != timed) continue;
        const ImVec2 at{p.X(pt.x), p.Y(pt.y)};
        if (prev) dl->AddLine({p.X(prev->x), p.Y(prev->y)}, at, kActualColor, 1.5f);
        dl->AddCircleFilled(at, 3.0f, timed && !pt.inside ? kOutsideColor : kActualColor);
        prev = &pt;
    }
}

// The completed band by day: low–high shaded, the expected count as a line, from day 0 (0 at
// "now") to the last day, and flat after it as far as the points go; the actual points placed
// in days when the server's time is known. The tooltip gives the day end or the point nearest
// the mouse.
void band_chart(AppState& app, const ForecastUi& fc, ImVec2 size) {
    const ForecastView& f = fc.view;
    ImGui::TextUnformatted("Completed after the forecast, by day (95% band)");
    const double last_day = static_cast<double>(f.by_day.size());
    double x_lo = 0, x_end = std::max(1.0, last_day);
    double y_max = f.by_day.empty() ? 0 : f.by_day.back().completed.high;
    std::vector<double> point_xs;
    std::vector<std::size_t> point_of;  // index into fc.points of each timed point
    for (std::size_t i = 0; i < fc.points.size(); ++i) {
        const ForecastPoint& pt = fc.points[i];
        if (!pt.timed) continue;
        x_lo = std::min(x_lo, pt.x);
        x_end = std::max(x_end, pt.x);
        y_max = std::max(y_max, pt.y);
        point_xs.push_back(pt.x);
        point_of.push_back(i);
    }
    const Plot p =
        plot_area(app, "server/forecast/chart", size, x_lo, x_end, std::max(y_max, 1.0), "days");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    std::vector<double> xs{0};
    ForecastBand prev;  // day 0: nothing ended since "now"
    for (std::size_t d = 0; d < f.by_day.size(); ++d) {
        const ForecastBand& b = f.by_day[d].completed;
        const float x0 = p.X(static_cast<double>(d)), x1 = p.X(static_cast<double>(d + 1));
        dl->AddQuadFilled({x0, p.Y(prev.low)}, {x1, p.Y(b.low)}, {x1, p.Y(b.high)},
                          {x0, p.Y(prev.high)}, kBandFill);
        dl->AddLine({x0, p.Y(prev.expected)}, {x1, p.Y(b.expected)}, kExpectedColor, 2.0f);
        prev = b;
        xs.push_back(static_cast<double>(d + 1));
    }
    if (!f.by_day.empty() && x_end > last_day) {
        const float x0 = p.X(last_day), x1 = p.X(x_end);
        dl->AddRectFilled({x0, p.Y(prev.high)}, {x1, p.Y(prev.low)}, kBandFill);
        dl->AddLine({x0, p.Y(prev.expected)}, {x1, p.Y(prev.expected)}, kExpectedColor, 2.0f);
    }
    draw_points(dl, p, fc.points, true);
    if (!p.mouse_inside()) return;
    const float mouse_x = ImGui::GetIO().MousePos.x;
    const double at = p.x_at(mouse_x);
    const int day = nearest_point(xs, at);
    const int point = nearest_point(point_xs, at);
    char text[256];
    if (point >= 0 &&
        (day < 0 || std::fabs(p.X(point_xs[static_cast<std::size_t>(point)]) - mouse_x) <
                        std::fabs(p.X(xs[static_cast<std::size_t>(day)]) - mouse_x))) {
        const ForecastPoint& pt = fc.points[point_of[static_cast<std::size_t>(point)]];
        const ForecastBand b = completed_band_at(f, pt.x);
        std::snprintf(text, sizeof text,
                      "%.2f days after the forecast: %.0f completed since, %s the band %.0f\xE2\x80"
                      "\x93%.0f",
                      pt.x, pt.y, pt.inside ? "inside" : "outside", b.low, b.high);
        const float x = p.X(pt.x);
        dl->AddLine({x, p.p0.y}, {x, p.p1.y}, axis_color());
        dl->AddCircle({x, p.Y(pt.y)}, 5.0f, ImGui::GetColorU32(ImGuiCol_Text));
        chart_tooltip(app, "forecast/actual", point, text);
        return;
    }
    if (day < 0) return;
    const float x = p.X(xs[static_cast<std::size_t>(day)]);
    dl->AddLine({x, p.p0.y}, {x, p.p1.y}, axis_color());
    const ForecastBand b = completed_band_at(f, xs[static_cast<std::size_t>(day)]);
    const std::string line = day == 0 ? "Now (" + f.now + "): 0 completed since"
                                      : "Day " + std::to_string(day) + " (" +
                                            f.by_day[static_cast<std::size_t>(day - 1)].at +
                                            "): " + band_text(b) + " completed";
    chart_tooltip(app, "forecast", day, line);
}

// Without the server's time (a node-counts reply without "now"): the actual completed leads
// since the forecast by poll number, against the final completed band (where they must end up).
void poll_chart(AppState& app, const ForecastUi& fc, ImVec2 size) {
    ImGui::TextUnformatted("Actual completed since the forecast, by live poll");
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip(
            "This server's live counts do not say when they were counted, so the points are\n"
            "numbered by live poll (about one a second), not placed in days; the shaded strip\n"
            "is the final completed band.");
    }
    double x_end = 1, y_max = fc.view.completed.high;
    for (const ForecastPoint& pt : fc.points) {
        x_end = std::max(x_end, pt.x);
        y_max = std::max(y_max, pt.y);
    }
    const Plot p =
        plot_area(app, "server/forecast/polls", size, 0, x_end, std::max(y_max, 1.0), "polls");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ForecastBand& fin = fc.view.completed;
    dl->AddRectFilled({p.p0.x, p.Y(fin.high)}, {p.p1.x, p.Y(fin.low)}, kBandFill);
    dl->AddLine({p.p0.x, p.Y(fin.expected)}, {p.p1.x, p.Y(fin.expected)}, kExpectedColor);
    draw_points(dl, p, fc.points, false);
    if (!p.mouse_inside() || fc.points.empty()) return;
    std::vector<double> xs;
    for (const ForecastPoint& pt : fc.points) xs.push_back(pt.x);
    const int i = nearest_point(xs, p.x_at(ImGui::GetIO().MousePos.x));
    if (i < 0) return;
    const ForecastPoint& pt = fc.points[static_cast<std::size_t>(i)];
    char text[128];
    std::snprintf(text, sizeof text, "Poll %.0f: %.0f completed since the forecast", pt.x, pt.y);
    chart_tooltip(app, "forecast/polls", i, text);
}

// printf-style text wrapped at the panel's edge, in the disabled colour when `dim`.
void wrapped(bool dim, const char* format, ...) IM_FMTARGS(2);
void wrapped(bool dim, const char* format, ...) {
    char buf[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    if (dim) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", buf);
    if (dim) ImGui::PopStyleColor();
}

void recompute_points(ForecastUi& fc) {
    fc.points = forecast_points(fc.view, fc.observations);
}

Json band_json(const ForecastBand& b) {
    return Json{{"expected", b.expected}, {"low", b.low}, {"high", b.high}};
}

}  // namespace

void forecast_reset(ServerUi& s) {
    ForecastUi& fc = s.forecast;
    fc.shown = false;
    fc.view = ForecastView{};
    fc.observations.clear();
    fc.points.clear();
    fc.polls = 0;
}

void server_forecast(AppState& app, const std::string& source) {
    ServerUi& s = app.server;
    s.error.clear();
    if (s.workflow_id.empty()) return;
    if (source == "calibrated" || source == "stored") s.forecast.source = source;
    const std::string wf = s.workflow_id;
    s.forecast.busy = true;
    server_request(app, "POST", "/v1/workflows/" + wf + "/forecast",
                   forecast_request(s.forecast.source, s.forecast.arrival_days),
                   [wf](AppState& a, const HttpAnswer& r) {
                       ForecastUi& fc = a.server.forecast;
                       fc.busy = false;
                       if (a.server.workflow_id != wf) return;  // another workflow is open
                       if (!r.ok()) {
                           a.server.error = "Forecast failed: " + r.message();
                           a.notify(a.server.error, 8.0);
                           return;
                       }
                       Result<ForecastView> v = read_forecast(r.body);
                       if (!v.ok()) {
                           a.server.error = v.status().message();
                           return;
                       }
                       forecast_reset(a.server);
                       fc.view = std::move(v.value());
                       fc.shown = true;
                       a.server.info = "Forecast from the " + fc.view.scenario_source + " scenario";
                   });
}

void forecast_observe(AppState& app, const std::string& workflow_id, const Json& node_counts) {
    ForecastUi& fc = app.server.forecast;
    if (!fc.shown || !app.server.live || workflow_id != app.server.workflow_id) return;
    std::optional<ForecastObservation> o = read_observation(node_counts, fc.polls + 1);
    if (!o) return;
    ++fc.polls;
    fc.observations.push_back(*o);
    thin_observations(fc.observations, kMaxForecastObservations);
    recompute_points(fc);
}

void draw_forecast_button(AppState& app) {
    ServerUi& s = app.server;
    ImGui::BeginDisabled(s.forecast.busy);
    if (ImGui::Button("Forecast")) server_forecast(app);
    ImGui::EndDisabled();
    app.probe("server/forecast");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip(
            "Simulates the running leads from where each one is, plus future arrivals: how many "
            "will complete or drop, by day, with 95%% bands");
    }
    // Its options, on the lines below.
    ForecastUi& fc = s.forecast;
    ImGui::TextUnformatted("Forecast scenario:");
    for (const char* src : {"calibrated", "stored"}) {
        ImGui::SameLine();
        if (ImGui::RadioButton(src, fc.source == src)) fc.source = src;
        app.probe(std::string("server/forecast_source/") + src);
    }
    ImGui::TextUnformatted("Future arrivals over");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
    if (ImGui::InputDouble("days##forecast_arrival_days", &fc.arrival_days, 0, 0, "%.1f")) {
        if (!std::isfinite(fc.arrival_days) || fc.arrival_days < 0) fc.arrival_days = 0;
    }
    app.probe("server/forecast_arrival_days");
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip(
            "New leads expected over that many days, at the calibrated (or the scenario's) "
            "rate;\n0: none, only the enrolled leads that have not started");
    }
}

void draw_forecast_section(AppState& app) {
    ServerUi& s = app.server;
    ForecastUi& fc = s.forecast;
    const float fs = ImGui::GetFontSize();
    if (fc.busy) ImGui::TextDisabled("Forecasting...");
    if (!fc.shown) return;
    ImGui::SeparatorText("Forecast");
    const ForecastView& f = fc.view;
    wrapped(false,
            "Version %" PRId64 ", %s scenario, at %s: %" PRId64 " leads running, %" PRId64
            " to start (%" PRId64 " enrolled, the rest expected arrivals)",
            f.version, f.scenario_source.c_str(), f.now.c_str(), f.running, f.arrivals, f.pending);
    wrapped(false, "Will complete %s \xC2\xB7 drop %s \xC2\xB7 fail %s \xC2\xB7 unfinished %s",
            band_text(f.completed).c_str(), band_text(f.dropped).c_str(),
            band_text(f.failed).c_str(), band_text(f.unfinished).c_str());
    app.probe("server/forecast/final");
    if (f.last_finish_days) {
        wrapped(false, "The last lead finishes %s (%.1f days after the forecast)",
                f.last_finish.c_str(), *f.last_finish_days);
    } else {
        wrapped(true, "Some leads are still running at the scenario's horizon");
    }
    wrapped(true,
            "Already ended before the forecast: %" PRId64 " completed, %" PRId64
            " dropped, %" PRId64 " failed",
            f.ended_completed, f.ended_dropped, f.ended_failed);
    const float w = ImGui::GetContentRegionAvail().x;
    band_chart(app, fc, {w, fs * 12});
    if (!s.live) {
        wrapped(true, "Turn the live view on to plot the actual completed leads.");
        return;
    }
    if (fc.points.empty()) {
        wrapped(true, "Waiting for the first live poll...");
        return;
    }
    const ForecastPoint& last = fc.points.back();
    if (last.timed) {
        const auto inside = std::count_if(fc.points.begin(), fc.points.end(),
                                          [](const ForecastPoint& p) { return p.inside; });
        wrapped(false,
                "Actual: %.0f completed since the forecast; %td of %zu points inside the band",
                last.y, inside, fc.points.size());
        return;
    }
    wrapped(false, "Actual: %.0f completed since the forecast (%zu polls)", last.y,
            fc.points.size());
    poll_chart(app, fc, {w, fs * 8});
}

Json forecast_status_json(const AppState& app) {
    const ServerUi& s = app.server;
    const ForecastUi& fc = s.forecast;
    if (!fc.shown) return nullptr;
    const ForecastView& f = fc.view;
    Json actual = Json::array();
    std::int64_t inside = 0;
    bool timed = !fc.points.empty();
    for (const ForecastPoint& p : fc.points) {
        actual.push_back(Json{{"x", p.x}, {"y", p.y}, {"timed", p.timed}, {"inside", p.inside}});
        if (p.inside) ++inside;
        timed = timed && p.timed;
    }
    // The completed band at each day end, so that a test can place the points itself.
    Json completed_by_day = Json::array();
    for (const ForecastDay& d : f.by_day) completed_by_day.push_back(band_json(d.completed));
    return Json{
        {"workflow_id", f.workflow_id},
        {"version", f.version},
        {"source", f.scenario_source},
        {"now", f.now},
        {"running", f.running},
        {"arrivals", f.arrivals},
        {"leads", f.leads},
        {"pending", f.pending},
        {"ended_before",
         {{"completed", f.ended_completed},
          {"dropped", f.ended_dropped},
          {"failed", f.ended_failed}}},
        {"final",
         {{"completed", band_json(f.completed)},
          {"dropped", band_json(f.dropped)},
          {"failed", band_json(f.failed)},
          {"unfinished", band_json(f.unfinished)}}},
        {"by_day", f.by_day.size()},
        {"completed_by_day", completed_by_day},
        {"last_finish", f.last_finish_days ? Json(f.last_finish) : Json(nullptr)},
        {"last_finish_days", f.last_finish_days ? Json(*f.last_finish_days) : Json(nullptr)},
        {"points", fc.points.size()},
        {"timed", timed},
        {"inside", inside},
        {"actual", actual},
        {"node_badges", fc.node_badges}};
}

}  // namespace leadflow::web
