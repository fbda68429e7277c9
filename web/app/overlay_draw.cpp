// web/app/overlay_draw.cpp — see overlay_draw.hpp.
#include "overlay_draw.hpp"

#include <algorithm>

namespace leadflow::web {

float overlay_text_px(const Camera& cam, float pixel_ratio) {
    return std::clamp(11.0f * cam.scale(), 10.0f * pixel_ratio, 16.0f * pixel_ratio);
}

void draw_pill(ImDrawList* dl, ImFont* font, float size, Vec2 at, ImU32 bg, ImU32 fg,
               const std::string& text) {
    const ImVec2 ts = font->CalcTextSizeA(size, 1e9f, 0.0f, text.c_str());
    const float pad = size * 0.35f;
    const ImVec2 a{at.x, at.y}, b{at.x + ts.x + 2 * pad, at.y + ts.y + pad};
    dl->AddRectFilled(a, b, bg, (b.y - a.y) / 2);
    dl->AddText(font, size, {a.x + pad, a.y + pad / 2}, fg, text.c_str());
}

void draw_corner_pill(ImDrawList* dl, ImFont* font, float size, Vec2 top_right, ImU32 bg, ImU32 fg,
                      const std::string& text) {
    const float w = font->CalcTextSizeA(size, 1e9f, 0.0f, text.c_str()).x;
    draw_pill(dl, font, size, {top_right.x - w - size * 0.7f, top_right.y - size * 1.9f}, bg, fg,
              text);
}

void draw_world_route(ImDrawList* dl, const Camera& cam, const std::vector<Vec2>& points, ImU32 col,
                      float thickness) {
    if (points.size() < 2) return;
    std::vector<ImVec2> screen(points.size());
    for (std::size_t k = 0; k < points.size(); ++k) screen[k] = im(cam.world_to_screen(points[k]));
    dl->AddPolyline(screen.data(), static_cast<int>(screen.size()), col, 0, thickness);
}

}  // namespace leadflow::web
