// web/app/geometry.hpp — 2D math of the editor canvas: vectors, rectangles, the camera (pan and
// zoom around a point), and cubic edge curves. Pure and ImGui-free, so it is unit-tested natively.
#pragma once

#include <cstddef>
#include <vector>

namespace leadflow::web {

struct Vec2 {
    float x = 0;
    float y = 0;
};
inline Vec2 operator+(Vec2 a, Vec2 b) {
    return {a.x + b.x, a.y + b.y};
}
inline Vec2 operator-(Vec2 a, Vec2 b) {
    return {a.x - b.x, a.y - b.y};
}
inline Vec2 operator*(Vec2 a, float s) {
    return {a.x * s, a.y * s};
}

// Axis-aligned rectangle; `min` is the top-left corner (y grows downwards, as on screen).
struct Rect {
    Vec2 min;
    Vec2 max;
    float width() const { return max.x - min.x; }
    float height() const { return max.y - min.y; }
    bool contains(Vec2 p) const {
        return p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y;
    }
    // True when the rectangles share any point (touching edges count).
    bool overlaps(const Rect& o) const {
        return min.x <= o.max.x && o.min.x <= max.x && min.y <= o.max.y && o.min.y <= max.y;
    }
    // The rectangle spanned by two corners given in any order.
    static Rect from_corners(Vec2 a, Vec2 b);
    // Grows the rectangle to include p.
    void include(Vec2 p);
};

// The view onto the canvas. screen = origin + world * scale() + pan, where origin is the
// canvas's top-left corner in screen pixels, scale() = zoom * pixel_ratio, and zoom 1 is 100%
// (one world unit per CSS pixel). Screen units are device pixels.
struct Camera {
    Vec2 origin;               // canvas top-left, device pixels
    Vec2 pan;                  // device pixels
    float zoom = 1.0f;         // 1 = 100%
    float pixel_ratio = 1.0f;  // devicePixelRatio

    // 0.01%: fit view shows graphs millions of world units across (a 10,000-node chain laid
    // out left to right is ≈ 3.4 million wide); the canvas draws simple shapes that far out.
    static constexpr float kMinZoom = 0.0001f;
    static constexpr float kMaxZoom = 4.0f;

    float scale() const { return zoom * pixel_ratio; }
    Vec2 world_to_screen(Vec2 w) const { return origin + w * scale() + pan; }
    Vec2 screen_to_world(Vec2 s) const { return (s - origin - pan) * (1.0f / scale()); }
    // The world rectangle visible in a screen rectangle.
    Rect visible_world(const Rect& screen) const;
    // Multiplies the zoom by `factor` (clamped to [kMinZoom, kMaxZoom]) keeping the world point
    // under `screen_point` fixed on screen.
    void zoom_at(Vec2 screen_point, float factor);
    // Sets the zoom to `new_zoom` (clamped) keeping the world point under `screen_point` fixed.
    void set_zoom_at(Vec2 screen_point, float new_zoom);
    // Centres `world` in `screen` with `margin` device pixels on each side, zooming so it fits
    // (zoom clamped; never above `max_zoom`). An empty or degenerate rectangle is centred at 100%.
    void fit(const Rect& world, const Rect& screen, float margin, float max_zoom = 1.0f);
    // Centres the world point `w` in `screen` without changing the zoom.
    void center_on(Vec2 w, const Rect& screen);
};

// Of the sizes a font was baked at (ascending), the one to draw text of `desired` pixels with:
// the smallest baked size >= desired (scaling down stays sharp), else the largest. Returns 0 when
// `sizes` is empty.
float pick_baked_size(const std::vector<float>& sizes, float desired);

// A cubic Bézier edge curve from an output pin to an input pin, bending horizontally (left to
// right) so back edges loop around.
struct Curve {
    Vec2 p0, p1, p2, p3;
    Vec2 at(float t) const;
    // Bounding box of the control points (contains the curve).
    Rect bounds() const;
};
Curve edge_curve(Vec2 from, Vec2 to);
// Shortest distance from `p` to the curve, approximated with `segments` line segments.
float distance_to_curve(const Curve& c, Vec2 p, int segments = 24);
// Shortest distance from `p` to the segment a–b.
float distance_to_segment(Vec2 p, Vec2 a, Vec2 b);

}  // namespace leadflow::web
