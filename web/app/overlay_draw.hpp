// web/app/overlay_draw.hpp — drawing shared by the canvas overlays (simulation results and the
// live view: sim_overlay.cpp; the version diff: diff_overlay.cpp): text pills and world-space
// curves on a draw list, in screen (device) pixels.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "geometry.hpp"

namespace leadflow::web {

inline ImVec2 im(Vec2 v) {
    return {v.x, v.y};
}

// The text size of overlay badges, in device pixels: 11 CSS px at 100% zoom, never below 10 or
// above 16 CSS px (`pixel_ratio` device pixels each), so badges stay readable zoomed out.
float overlay_text_px(const Camera& cam, float pixel_ratio);

// A pill: `text` in `font` at `size` px and colour `fg` on a rounded `bg` background padded by
// 0.35 × size, its top-left corner at `at`.
void draw_pill(ImDrawList* dl, ImFont* font, float size, Vec2 at, ImU32 bg, ImU32 fg,
               const std::string& text);

// draw_pill over a node card's top-right corner `top_right`: the pill's text ends 0.7 × size
// left of it and the pill's top is 1.9 × size above it.
void draw_corner_pill(ImDrawList* dl, ImFont* font, float size, Vec2 top_right, ImU32 bg, ImU32 fg,
                      const std::string& text);

// The routed edge `points` (world space, edge_routing.hpp) on screen through `cam`.
void draw_world_route(ImDrawList* dl, const Camera& cam, const std::vector<Vec2>& points, ImU32 col,
                      float thickness);

}  // namespace leadflow::web
