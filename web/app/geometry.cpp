// web/app/geometry.cpp — see geometry.hpp.
#include "geometry.hpp"

#include <algorithm>
#include <cmath>

namespace leadflow::web {

Rect Rect::from_corners(Vec2 a, Vec2 b) {
    return {{std::min(a.x, b.x), std::min(a.y, b.y)}, {std::max(a.x, b.x), std::max(a.y, b.y)}};
}

void Rect::include(Vec2 p) {
    min.x = std::min(min.x, p.x);
    min.y = std::min(min.y, p.y);
    max.x = std::max(max.x, p.x);
    max.y = std::max(max.y, p.y);
}

Rect Camera::visible_world(const Rect& screen) const {
    return Rect::from_corners(screen_to_world(screen.min), screen_to_world(screen.max));
}

void Camera::zoom_at(Vec2 screen_point, float factor) {
    set_zoom_at(screen_point, zoom * factor);
}

void Camera::set_zoom_at(Vec2 screen_point, float new_zoom) {
    const Vec2 world = screen_to_world(screen_point);
    zoom = std::clamp(new_zoom, kMinZoom, kMaxZoom);
    // Keep `world` under the cursor: screen_point = origin + world * scale + pan.
    pan = screen_point - origin - world * scale();
}

void Camera::fit(const Rect& world, const Rect& screen, float margin, float max_zoom) {
    const float avail_w = std::max(1.0f, screen.width() - 2 * margin);
    const float avail_h = std::max(1.0f, screen.height() - 2 * margin);
    if (world.width() <= 0 && world.height() <= 0) {
        zoom = std::clamp(1.0f, kMinZoom, kMaxZoom);
    } else {
        const float zx = world.width() > 0 ? avail_w / (world.width() * pixel_ratio) : max_zoom;
        const float zy = world.height() > 0 ? avail_h / (world.height() * pixel_ratio) : max_zoom;
        zoom = std::clamp(std::min({zx, zy, max_zoom}), kMinZoom, kMaxZoom);
    }
    center_on({(world.min.x + world.max.x) / 2, (world.min.y + world.max.y) / 2}, screen);
}

void Camera::center_on(Vec2 w, const Rect& screen) {
    const Vec2 center{(screen.min.x + screen.max.x) / 2, (screen.min.y + screen.max.y) / 2};
    pan = center - origin - w * scale();
}

float pick_baked_size(const std::vector<float>& sizes, float desired) {
    if (sizes.empty()) return 0;
    for (float s : sizes) {
        if (s >= desired) return s;
    }
    return sizes.back();
}

Vec2 Curve::at(float t) const {
    const float u = 1 - t;
    const float a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
    return {a * p0.x + b * p1.x + c * p2.x + d * p3.x, a * p0.y + b * p1.y + c * p2.y + d * p3.y};
}

Rect Curve::bounds() const {
    Rect r{p0, p0};
    r.include(p1);
    r.include(p2);
    r.include(p3);
    return r;
}

Curve edge_curve(Vec2 from, Vec2 to) {
    const float dx = std::abs(to.x - from.x);
    const float bend = std::clamp(dx * 0.5f, 40.0f, 200.0f) + (to.x < from.x ? 60.0f : 0.0f);
    return {from, {from.x + bend, from.y}, {to.x - bend, to.y}, to};
}

float distance_to_segment(Vec2 p, Vec2 a, Vec2 b) {
    const Vec2 ab = b - a, ap = p - a;
    const float len2 = ab.x * ab.x + ab.y * ab.y;
    float t = len2 > 0 ? (ap.x * ab.x + ap.y * ab.y) / len2 : 0;
    t = std::clamp(t, 0.0f, 1.0f);
    const Vec2 q = a + ab * t;
    return std::hypot(p.x - q.x, p.y - q.y);
}

float distance_to_curve(const Curve& c, Vec2 p, int segments) {
    float best = distance_to_segment(p, c.p0, c.p0);
    Vec2 prev = c.p0;
    for (int i = 1; i <= segments; ++i) {
        const Vec2 cur = c.at(static_cast<float>(i) / static_cast<float>(segments));
        best = std::min(best, distance_to_segment(p, prev, cur));
        prev = cur;
    }
    return best;
}

}  // namespace leadflow::web
