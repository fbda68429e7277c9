// web/app/diff_overlay.cpp — a version → draft diff on the canvas: nodes and edges the draft
// added are outlined green, changed ones amber (nodes only moved: blue), with a badge naming the
// change; nodes the draft removed are drawn as red ghosts where they were in the version, under
// the graph, and removed edges as red routes around the cards (ghost_routes.hpp).
#include <imgui.h>

#include <algorithm>

#include "app.hpp"
#include "overlay_draw.hpp"

namespace leadflow::web {

namespace {

constexpr ImU32 kAddedColor = IM_COL32(80, 210, 120, 255);
constexpr ImU32 kChangedColor = IM_COL32(240, 170, 60, 255);
constexpr ImU32 kMovedColor = IM_COL32(110, 160, 235, 255);
constexpr ImU32 kRemovedColor = IM_COL32(225, 80, 80, 170);
constexpr ImU32 kGhostFill = IM_COL32(225, 80, 80, 38);
constexpr ImU32 kLabelColor = IM_COL32(20, 22, 26, 255);
constexpr ImU32 kGhostText = IM_COL32(240, 170, 170, 220);

ImU32 color_of(DiffMark m) {
    switch (m) {
        case DiffMark::kAdded:
            return kAddedColor;
        case DiffMark::kChanged:
            return kChangedColor;
        case DiffMark::kMoved:
            return kMovedColor;
        case DiffMark::kNone:
            break;
    }
    return 0;
}

bool showing(const AppState& app) {
    return app.versions.diff_on && app.versions.diff && app.versions.diff_graph;
}

}  // namespace

void draw_diff_ghosts(AppState& app) {
    VersionsUi& v = app.versions;
    v.ghost_nodes_drawn = v.ghost_edges_drawn = 0;
    if (!showing(app)) return;
    const Camera& cam = app.editor.camera;
    const Rect visible = cam.visible_world(app.canvas_screen);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float s = cam.scale();
    // Routed like the live edges, around the editor's cards and the ghost cards; cached, so a
    // frame in which nothing moved routes nothing.
    v.ghost_reroutes = v.ghost_routes.update(app.editor.graph(), app.editor.index(), v.overlay);
    for (std::size_t e = 0; e < v.overlay.ghost_edges.size(); ++e) {
        const std::vector<Vec2>& pts = v.ghost_routes.points(e);
        if (pts.size() < 2 || !v.ghost_routes.bounds(e).overlaps(visible)) continue;
        draw_world_route(dl, cam, pts, kRemovedColor, std::max(1.5f, 2.5f * std::min(s, 2.0f)));
        ++v.ghost_edges_drawn;
    }
    const float px = overlay_text_px(cam, app.pixel_ratio);
    ImFont* font = app.fonts.for_size(px);
    const bool labels = cam.zoom >= 0.2f;
    for (const GhostNode& g : v.overlay.ghost_nodes) {
        if (!g.world.overlaps(visible)) continue;
        const Vec2 a = cam.world_to_screen(g.world.min), b = cam.world_to_screen(g.world.max);
        const float rounding = 5.0f * s;
        dl->AddRectFilled(im(a), im(b), kGhostFill, rounding);
        dl->AddRect(im(a), im(b), kRemovedColor, rounding, 0,
                    std::max(1.0f, 2.0f * std::min(s, 1.5f)));
        if (labels) {
            const std::string text = (g.label.empty() ? g.id : g.label);
            const float pad = 8.0f * s;
            const ImVec4 clip{a.x, a.y, b.x - pad, b.y};
            dl->AddText(font, px, {a.x + pad, a.y + (kHeaderHeight * s - px) / 2}, kGhostText,
                        text.c_str(), nullptr, 0.0f, &clip);
            draw_pill(dl, font, px, {a.x, a.y - px * 1.9f}, kRemovedColor, kLabelColor, "removed");
        }
        ++v.ghost_nodes_drawn;
    }
}

void draw_diff_marks(AppState& app) {
    VersionsUi& v = app.versions;
    v.marks_drawn = 0;
    if (!showing(app)) return;
    Editor& ed = app.editor;
    const Graph& g = ed.graph();
    const GraphIndex& idx = ed.index();
    const Camera& cam = ed.camera;
    const Rect visible = cam.visible_world(app.canvas_screen);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float s = cam.scale();
    const EdgeRoutes& routes = ed.routes();
    for (const auto& [id, mark] : v.overlay.edges) {
        const int e = idx.edge_index(id);
        if (e < 0) continue;
        if (routes.points(e).size() < 2 || !routes.bounds(e).overlaps(visible)) continue;
        draw_world_route(dl, cam, routes.points(e),
                         (color_of(mark) & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 200),
                         std::max(2.0f, 3.5f * std::min(s, 2.0f)));
        ++v.marks_drawn;
    }
    const float px = overlay_text_px(cam, app.pixel_ratio);
    ImFont* font = app.fonts.for_size(px);
    const bool labels = cam.zoom >= 0.2f;
    for (const auto& [id, mark] : v.overlay.nodes) {
        const int i = idx.node_index(id);
        if (i < 0) continue;
        const Rect wr = idx.node_rect(g, i);
        if (!wr.overlaps(visible)) continue;
        const Vec2 a = cam.world_to_screen(wr.min), b = cam.world_to_screen(wr.max);
        const ImU32 col = color_of(mark);
        dl->AddRect({a.x - 3, a.y - 3}, {b.x + 3, b.y + 3}, col, 6.0f * s, 0,
                    std::max(1.5f, 3.0f * std::min(s, 1.5f)));
        if (labels) {
            std::string text = mark == DiffMark::kAdded ? "new" : "moved";
            if (mark == DiffMark::kChanged) {
                auto n = v.overlay.node_changes.find(id);
                const int count = n == v.overlay.node_changes.end() ? 0 : n->second;
                text = "changed · " + std::to_string(count);
            }
            draw_corner_pill(dl, font, px, {b.x, a.y}, col, kLabelColor, text);
        }
        ++v.marks_drawn;
    }
}

}  // namespace leadflow::web
