// web/app/sim_overlay.cpp — simulation results drawn on the canvas: edges as thick as their
// share of traversals with the count next to them, a badge under each node with the share of
// leads that reached it, and a red flag on nodes where leads got stuck.
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "app.hpp"
#include "overlay_draw.hpp"

namespace leadflow::web {

namespace {

constexpr ImU32 kFlowColor = IM_COL32(70, 200, 170, 150);
constexpr ImU32 kBadgeColor = IM_COL32(30, 95, 85, 235);
constexpr ImU32 kStuckColor = IM_COL32(215, 60, 60, 240);
constexpr ImU32 kLabelColor = IM_COL32(235, 245, 240, 255);
constexpr ImU32 kPathColor = IM_COL32(240, 150, 40, 230);
constexpr ImU32 kLiveColor = IM_COL32(60, 110, 200, 240);
constexpr ImU32 kDriftColor = IM_COL32(200, 60, 50, 240);

void rebuild(SimUi& sim) {
    SimOverlayData& d = sim.overlay;
    d = SimOverlayData{};
    const Json& r = sim.session.results();
    if (!r.is_object()) return;
    for (auto it = r["edges"].begin(); it != r["edges"].end(); ++it) {
        const std::int64_t t = it.value()["traversals"].get<std::int64_t>();
        d.edge_traversals[it.key()] = t;
        d.max_traversals = std::max(d.max_traversals, t);
    }
    for (auto it = r["nodes"].begin(); it != r["nodes"].end(); ++it) {
        d.node_share[it.key()] = it.value()["share"].get<double>();
        d.node_leads[it.key()] = it.value()["leads"].get<std::int64_t>();
    }
    for (const auto& [id, n] : sim.session.stuck_nodes()) d.node_stuck[id] = n;
    d.results_version = sim.session.results_version();
}

std::string with_commas(std::int64_t v) {
    std::string s = std::to_string(v < 0 ? -v : v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
        s.insert(static_cast<std::size_t>(i), ",");
    }
    return v < 0 ? "-" + s : s;
}

void pill(ImDrawList* dl, ImFont* font, float size, Vec2 at, ImU32 bg, const std::string& text) {
    draw_pill(dl, font, size, at, bg, kLabelColor, text);
}

// While a forecast is shown, each node's badge (where the live count goes) gives the leads on
// it now beside the forecast's expected future entries: "now 12 · +340 forecast" (the live
// view's count; "+340 forecast" alone while the live view is off). Nodes with neither get none.
void draw_forecast_badges(AppState& app, ImDrawList* dl, ImFont* font, float text_px) {
    ServerUi& sv = app.server;
    Editor& ed = app.editor;
    const Graph& g = ed.graph();
    const GraphIndex& idx = ed.index();
    const Camera& cam = ed.camera;
    for (int n = 0; n < static_cast<int>(g.nodes.size()); ++n) {
        const std::string& id = g.nodes[static_cast<std::size_t>(n)].id;
        auto entries = sv.forecast.view.node_entries.find(id);
        const std::int64_t future =
            entries == sv.forecast.view.node_entries.end() ? 0 : entries->second;
        std::optional<std::int64_t> now;
        if (sv.live) {
            auto c = sv.node_counts.find(id);
            now = c == sv.node_counts.end() ? 0 : c->second;
        }
        if (future == 0 && now.value_or(0) == 0) continue;
        const Rect wr = idx.node_rect(g, n);
        const Vec2 tl = cam.world_to_screen(wr.min);
        pill(dl, font, text_px, {tl.x + (wr.width() * cam.scale()) * 0.45f, tl.y - text_px * 1.9f},
             kLiveColor, node_forecast_text(now, future));
        ++sv.forecast.node_badges;
        if (now.value_or(0) > 0) ++sv.live_badges;
    }
}

// Server mode: the selected lead's history as its path (the nodes it visited outlined, the
// edges taken drawn in order, with step numbers), and with the live view on, leads per node (a
// badge on the card's top edge; with a forecast shown, the forecast's badge in its place).
void draw_live_view(AppState& app, ImDrawList* dl, ImFont* font, float text_px, bool labels) {
    ServerUi& sv = app.server;
    sv.live_badges = 0;
    sv.drift_badges = 0;
    sv.forecast.node_badges = 0;
    sv.path_edges = sv.path_nodes = 0;
    const bool forecast = sv.forecast.shown;
    if (!sv.live && sv.history.empty() && !forecast) return;
    Editor& ed = app.editor;
    const Graph& g = ed.graph();
    const GraphIndex& idx = ed.index();
    const Camera& cam = ed.camera;
    const float s = cam.scale();
    // The path: every edge taken, and per node the numbers of its steps ("1, 2").
    std::map<int, std::string> steps_at;
    int step = 0;
    for (const HistoryStep& h : sv.history) {
        ++step;
        const int e = h.edge_id.empty() ? -1 : idx.edge_index(h.edge_id);
        if (e >= 0) {
            draw_world_route(dl, cam, ed.routes().points(e), kPathColor, 4.0f * std::min(s, 2.0f));
            ++sv.path_edges;
        }
        const int n = idx.node_index(h.node_id);
        if (n < 0) continue;
        std::string& text = steps_at[n];
        text += (text.empty() ? "" : ", ") + std::to_string(step);
    }
    for (const auto& [n, text] : steps_at) {
        const Rect wr = idx.node_rect(g, n);
        const Vec2 a = cam.world_to_screen(wr.min), b = cam.world_to_screen(wr.max);
        dl->AddRect({a.x - 3, a.y - 3}, {b.x + 3, b.y + 3}, kPathColor, 8.0f * std::min(s, 2.0f), 0,
                    3.0f);
        ++sv.path_nodes;
    }
    if (labels) {
        for (const auto& [n, text] : steps_at) {
            const Vec2 tl = cam.world_to_screen(idx.node_rect(g, n).min);
            pill(dl, font, text_px, {tl.x - text_px * 0.6f, tl.y - text_px * 1.9f}, kPathColor,
                 text);
        }
    }
    if (!labels) return;
    if (forecast) draw_forecast_badges(app, dl, font, text_px);
    if (!sv.live) return;
    // Nodes without leads get no badge; "N here · M active" while some of them still move.
    for (const auto& [id, count] : sv.node_counts) {
        if (count == 0 || forecast) continue;
        const int n = idx.node_index(id);
        if (n < 0) continue;
        const Rect wr = idx.node_rect(g, n);
        const Vec2 tl = cam.world_to_screen(wr.min);
        std::string text = with_commas(count) + " here";
        auto active = sv.node_active.find(id);
        if (active != sv.node_active.end() && active->second > 0 && active->second != count) {
            text += "  ·  " + with_commas(active->second) + " active";
        }
        pill(dl, font, text_px, {tl.x + (wr.width() * s) * 0.45f, tl.y - text_px * 1.9f},
             kLiveColor, text);
        ++sv.live_badges;
    }
    // Call nodes whose outcome shares left the plan: the drift's message under the card.
    for (const DriftBadge& b : sv.drift) {
        const int n = idx.node_index(b.node_id);
        if (n < 0) continue;
        const Rect wr = idx.node_rect(g, n);
        const Vec2 bl = cam.world_to_screen({wr.min.x, wr.max.y});
        pill(dl, font, text_px, {bl.x, bl.y + text_px * 0.5f}, kDriftColor, "Drift: " + b.message);
        ++sv.drift_badges;
    }
}

}  // namespace

void draw_sim_overlay(AppState& app) {
    {
        const float px = overlay_text_px(app.editor.camera, app.pixel_ratio);
        draw_live_view(app, ImGui::GetWindowDrawList(), app.fonts.for_size(px), px,
                       app.editor.camera.zoom >= 0.2f);
    }
    SimUi& sim = app.sim;
    sim.overlay_edges = sim.overlay_badges = sim.overlay_stuck = 0;
    if (!sim.show_overlay || sim.session.results_text().empty()) return;
    if (sim.overlay.results_version != sim.session.results_version()) rebuild(sim);
    const SimOverlayData& d = sim.overlay;
    Editor& ed = app.editor;
    const Graph& g = ed.graph();
    const GraphIndex& idx = ed.index();
    const Camera& cam = ed.camera;
    const Rect visible = cam.visible_world(app.canvas_screen);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float s = cam.scale();
    const float text_px = overlay_text_px(cam, app.pixel_ratio);
    const bool labels = cam.zoom >= 0.2f;
    ImFont* font = app.fonts.for_size(text_px);

    for (int e = 0; e < static_cast<int>(g.edges.size()); ++e) {
        const Edge& edge = g.edges[static_cast<std::size_t>(e)];
        auto it = d.edge_traversals.find(edge.id);
        if (it == d.edge_traversals.end() || it->second == 0 || d.max_traversals == 0) continue;
        const EdgeRoutes& routes = ed.routes();
        if (routes.points(e).size() < 2 || !routes.bounds(e).overlaps(visible)) continue;
        const double frac = static_cast<double>(it->second) / static_cast<double>(d.max_traversals);
        const float thickness =
            (2.0f + 10.0f * static_cast<float>(std::sqrt(frac))) * std::min(s, 2.0f);
        draw_world_route(dl, cam, routes.points(e), kFlowColor, thickness);
        ++sim.overlay_edges;
        if (labels) {
            const Vec2 at = cam.world_to_screen(polyline_midpoint(routes.points(e)));
            pill(dl, font, text_px, {at.x - text_px, at.y - text_px * 1.6f}, kBadgeColor,
                 with_commas(it->second));
        }
    }
    if (!labels) return;
    for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) {
        const Node& n = g.nodes[static_cast<std::size_t>(i)];
        const Rect wr = idx.node_rect(g, i);
        if (!wr.overlaps(visible)) continue;
        auto share = d.node_share.find(n.id);
        if (share == d.node_share.end()) continue;
        const Vec2 bl = cam.world_to_screen({wr.min.x, wr.max.y});
        char text[64];
        std::snprintf(text, sizeof text, "%.1f%%  ·  %s leads", share->second * 100.0,
                      with_commas(d.node_leads.at(n.id)).c_str());
        pill(dl, font, text_px, {bl.x, bl.y + 4 * s}, kBadgeColor, text);
        ++sim.overlay_badges;
        auto stuck = d.node_stuck.find(n.id);
        if (stuck != d.node_stuck.end()) {
            const Vec2 tr = cam.world_to_screen({wr.max.x, wr.min.y});
            const std::string t = "stuck " + with_commas(stuck->second);
            draw_corner_pill(dl, font, text_px, tr, kStuckColor, kLabelColor, t);
            const Vec2 a = cam.world_to_screen(wr.min), b = cam.world_to_screen(wr.max);
            dl->AddRect(im(a), im(b), kStuckColor, 5.0f * s, 0, 2.0f * std::min(s, 1.5f));
            ++sim.overlay_stuck;
        }
    }
}

}  // namespace leadflow::web
