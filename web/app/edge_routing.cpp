// web/app/edge_routing.cpp — see edge_routing.hpp.
#include "edge_routing.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <queue>

namespace leadflow::web {
namespace {

// Weight of the search's distance estimate (1 would find the cheapest route, slowly).
constexpr float kGreed = 2.0f;
// Cards that only touch a segment do not block it; this much of a card's border is "touching".
constexpr double kTouch = 0.01;

bool same(Vec2 a, Vec2 b) {
    return a.x == b.x && a.y == b.y;
}
bool same(const Rect& a, const Rect& b) {
    return same(a.min, b.min) && same(a.max, b.max);
}

Rect grown(const Rect& r, float by) {
    return {{r.min.x - by, r.min.y - by}, {r.max.x + by, r.max.y + by}};
}

// Direction index of a unit axis vector: 0 = +x, 1 = +y, 2 = -x, 3 = -y.
int dir_of(Vec2 d) {
    if (std::abs(d.x) >= std::abs(d.y)) return d.x >= 0 ? 0 : 2;
    return d.y >= 0 ? 1 : 3;
}
constexpr int kDx[4] = {1, 0, -1, 0};
constexpr int kDy[4] = {0, 1, 0, -1};

// Drops repeated points and the middle one of three collinear points.
std::vector<Vec2> simplified(const std::vector<Vec2>& in) {
    std::vector<Vec2> out;
    out.reserve(in.size());
    for (const Vec2& p : in) {
        if (!out.empty() && same(out.back(), p)) continue;
        if (out.size() >= 2) {
            const Vec2 a = out[out.size() - 2], b = out.back();
            const bool collinear = (a.x == b.x && b.x == p.x) || (a.y == b.y && b.y == p.y);
            const bool turns_back =
                collinear && ((b.x - a.x) * (p.x - b.x) < 0 || (b.y - a.y) * (p.y - b.y) < 0);
            if (collinear && !turns_back) out.pop_back();
        }
        out.push_back(p);
    }
    return out;
}

std::int64_t cell_of(float v, float size) {
    const double c = std::floor(static_cast<double>(v) / size);
    return static_cast<std::int64_t>(std::clamp(c, -1e9, 1e9));
}
std::uint64_t cell_key(std::int64_t cx, std::int64_t cy) {
    return static_cast<std::uint64_t>(cx) * 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(cy);
}

}  // namespace

bool RouteRequest::operator==(const RouteRequest& o) const {
    return from == o.from && to == o.to && same(start, o.start) && same(start_dir, o.start_dir) &&
           same(end, o.end) && same(end_dir, o.end_dir);
}

bool segment_enters_rect(Vec2 a, Vec2 b, const Rect& r) {
    // Liang–Barsky clipping against the rectangle shrunk by kTouch: any part of the segment
    // inside the shrunk rectangle is inside the interior. In double: a float cannot hold
    // kTouch next to coordinates of a few hundred thousand.
    const double x0 = static_cast<double>(r.min.x) + kTouch,
                 x1 = static_cast<double>(r.max.x) - kTouch;
    const double y0 = static_cast<double>(r.min.y) + kTouch,
                 y1 = static_cast<double>(r.max.y) - kTouch;
    if (x0 >= x1 || y0 >= y1) return false;
    const double ax = a.x, ay = a.y;
    const double dx = static_cast<double>(b.x) - ax, dy = static_cast<double>(b.y) - ay;
    double t0 = 0.0, t1 = 1.0;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {ax - x0, x1 - ax, ay - y0, y1 - ay};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0) return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0.0) {
            t0 = std::max(t0, t);
        } else {
            t1 = std::min(t1, t);
        }
        if (t0 > t1) return false;
    }
    return true;
}

float distance_to_polyline(const std::vector<Vec2>& points, Vec2 p) {
    float best = std::numeric_limits<float>::infinity();
    for (std::size_t i = 1; i < points.size(); ++i) {
        best = std::min(best, distance_to_segment(p, points[i - 1], points[i]));
    }
    return best;
}

Vec2 polyline_midpoint(const std::vector<Vec2>& points, Vec2* direction) {
    if (direction) *direction = {1.0f, 0.0f};
    if (points.empty()) return {};
    float total = 0;
    for (std::size_t i = 1; i < points.size(); ++i) {
        total += std::hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    }
    float left = total / 2;
    for (std::size_t i = 1; i < points.size(); ++i) {
        const Vec2 d = points[i] - points[i - 1];
        const float len = std::hypot(d.x, d.y);
        if (len <= 0) continue;
        if (left <= len || i + 1 == points.size()) {
            if (direction) *direction = d * (1.0f / len);
            return points[i - 1] + d * (std::min(left, len) / len);
        }
        left -= len;
    }
    return points.front();
}

// [SECTION] Card lookups

void EdgeRoutes::rebuild_buckets() {
    buckets_.clear();
    cell_ = 256.0f;
    all_ = cards_.empty() ? Rect{} : cards_.front();
    for (const Rect& r : cards_) {
        cell_ = std::max({cell_, r.width(), r.height()});
        all_.include(r.min);
        all_.include(r.max);
    }
    buckets_.reserve(cards_.size() * 2);
    for (int i = 0; i < static_cast<int>(cards_.size()); ++i) {
        const Rect& r = cards_[static_cast<std::size_t>(i)];
        for (std::int64_t cx = cell_of(r.min.x, cell_); cx <= cell_of(r.max.x, cell_); ++cx) {
            for (std::int64_t cy = cell_of(r.min.y, cell_); cy <= cell_of(r.max.y, cell_); ++cy) {
                buckets_[cell_key(cx, cy)].push_back(i);
            }
        }
    }
    seen_.assign(cards_.size(), 0);
    stamp_ = 0;
}

template <typename F>
void EdgeRoutes::cards_in(const Rect& area, F&& visit) const {
    const std::int64_t x0 = cell_of(area.min.x, cell_), x1 = cell_of(area.max.x, cell_);
    const std::int64_t y0 = cell_of(area.min.y, cell_), y1 = cell_of(area.max.y, cell_);
    const double cells = static_cast<double>(x1 - x0 + 1) * static_cast<double>(y1 - y0 + 1);
    if (cells > static_cast<double>(cards_.size())) {
        for (int i = 0; i < static_cast<int>(cards_.size()); ++i) {
            if (cards_[static_cast<std::size_t>(i)].overlaps(area)) {
                if (!visit(i)) return;
            }
        }
        return;
    }
    if (++stamp_ == std::numeric_limits<int>::max()) {
        std::fill(seen_.begin(), seen_.end(), 0);
        stamp_ = 1;
    }
    for (std::int64_t cx = x0; cx <= x1; ++cx) {
        for (std::int64_t cy = y0; cy <= y1; ++cy) {
            auto it = buckets_.find(cell_key(cx, cy));
            if (it == buckets_.end()) continue;
            for (int i : it->second) {
                if (seen_[static_cast<std::size_t>(i)] == stamp_) continue;
                seen_[static_cast<std::size_t>(i)] = stamp_;
                if (!cards_[static_cast<std::size_t>(i)].overlaps(area)) continue;
                if (!visit(i)) return;
            }
        }
    }
}

bool EdgeRoutes::point_free(Vec2 p) const {
    bool free = true;
    cards_in({p, p}, [&](int i) {
        const Rect& r = cards_[static_cast<std::size_t>(i)];
        const double x = p.x, y = p.y;
        if (x > r.min.x + kTouch && x < r.max.x - kTouch && y > r.min.y + kTouch &&
            y < r.max.y - kTouch) {
            free = false;
        }
        return free;
    });
    return free;
}

bool EdgeRoutes::segment_free(Vec2 a, Vec2 b) const {
    bool free = true;
    cards_in(Rect::from_corners(a, b), [&](int i) {
        free = !segment_enters_rect(a, b, cards_[static_cast<std::size_t>(i)]);
        return free;
    });
    return free;
}

// [SECTION] Routing one edge

// A* over the grid of lines `clearance` away from the sides of the cards in `window` (and the
// window's own sides, and the lines through a and b). A state is a grid point and the direction
// it was entered in; a bend costs options_.bend_cost. Writes the route a … b (grid points, not
// yet simplified) and returns true when one is found within the expansion budget.
bool EdgeRoutes::search(const RouteRequest& r, Vec2 a, Vec2 b, const Rect& window,
                        std::vector<Vec2>* out) const {
    const float c = options_.clearance;
    std::vector<float> xs{a.x, b.x, window.min.x, window.max.x};
    std::vector<float> ys{a.y, b.y, window.min.y, window.max.y};
    cards_in(window, [&](int i) {
        const Rect& cr = cards_[static_cast<std::size_t>(i)];
        for (float x : {cr.min.x - c, cr.max.x + c}) {
            if (x > window.min.x && x < window.max.x) xs.push_back(x);
        }
        for (float y : {cr.min.y - c, cr.max.y + c}) {
            if (y > window.min.y && y < window.max.y) ys.push_back(y);
        }
        return true;
    });
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    std::sort(ys.begin(), ys.end());
    ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
    auto index_of = [](const std::vector<float>& v, float x) {
        return static_cast<std::int64_t>(std::lower_bound(v.begin(), v.end(), x) - v.begin());
    };
    const std::int64_t nx = static_cast<std::int64_t>(xs.size());
    const std::int64_t ny = static_cast<std::int64_t>(ys.size());
    const std::int64_t ia = index_of(xs, a.x), ja = index_of(ys, a.y);
    const std::int64_t ib = index_of(xs, b.x), jb = index_of(ys, b.y);
    const int start_dir = dir_of(r.start_dir), goal_dir = dir_of(r.end_dir);
    auto id = [nx](std::int64_t i, std::int64_t j, int d) {
        return static_cast<std::uint64_t>(((j * nx) + i) * 4 + d);
    };
    constexpr std::uint64_t kGoal = std::numeric_limits<std::uint64_t>::max();

    struct Open {
        float f;
        float g;
        std::uint64_t id;
        bool operator<(const Open& o) const {
            // A min-heap on f; among equals, the state further along (larger g) first.
            return f != o.f ? f > o.f : g < o.g;
        }
    };
    std::priority_queue<Open> open;
    std::unordered_map<std::uint64_t, float> best;
    std::unordered_map<std::uint64_t, std::uint64_t> parent;
    // Distance to b plus the bends still needed (one when both coordinates differ), weighted
    // above 1: the search then heads for b instead of widening over the many routes of equal
    // cost a grid offers, and finds a route of few bends that may be a little longer than the
    // shortest.
    auto h = [&](std::int64_t i, std::int64_t j) {
        const float dx = std::abs(xs[static_cast<std::size_t>(i)] - b.x);
        const float dy = std::abs(ys[static_cast<std::size_t>(j)] - b.y);
        return kGreed * (dx + dy + (dx > 0 && dy > 0 ? options_.bend_cost : 0.0f));
    };
    const std::uint64_t first = id(ia, ja, start_dir);
    best[first] = 0;
    open.push({h(ia, ja), 0, first});
    int expansions = 0;
    while (!open.empty()) {
        const Open top = open.top();
        open.pop();
        if (top.id == kGoal) break;
        auto known = best.find(top.id);
        if (known != best.end() && known->second < top.g) continue;
        if (++expansions > options_.max_expansions) return false;
        const int dir = static_cast<int>(top.id % 4);
        const std::int64_t cell = static_cast<std::int64_t>(top.id / 4);
        const std::int64_t i = cell % nx, j = cell / nx;
        if (i == ib && j == jb) {
            const float g = top.g + (dir == goal_dir ? 0.0f : options_.bend_cost);
            auto goal = best.find(kGoal);
            if (goal == best.end() || g < goal->second) {
                best[kGoal] = g;
                parent[kGoal] = top.id;
                open.push({g, g, kGoal});
            }
        }
        const Vec2 p{xs[static_cast<std::size_t>(i)], ys[static_cast<std::size_t>(j)]};
        for (int d = 0; d < 4; ++d) {
            if (d == (dir + 2) % 4) continue;  // no U-turns
            const std::int64_t ni = i + kDx[d], nj = j + kDy[d];
            if (ni < 0 || nj < 0 || ni >= nx || nj >= ny) continue;
            const Vec2 q{xs[static_cast<std::size_t>(ni)], ys[static_cast<std::size_t>(nj)]};
            const float g = top.g + std::abs(q.x - p.x) + std::abs(q.y - p.y) +
                            (d == dir ? 0.0f : options_.bend_cost);
            const std::uint64_t nid = id(ni, nj, d);
            auto it = best.find(nid);
            if (it != best.end() && it->second <= g) continue;
            if (!segment_free(p, q)) continue;
            best[nid] = g;
            parent[nid] = top.id;
            open.push({g + h(ni, nj), g, nid});
        }
    }
    if (!parent.count(kGoal)) return false;
    std::vector<Vec2> pts;
    for (std::uint64_t s = parent[kGoal];; s = parent[s]) {
        const std::int64_t cell = static_cast<std::int64_t>(s / 4);
        pts.push_back(
            {xs[static_cast<std::size_t>(cell % nx)], ys[static_cast<std::size_t>(cell / nx)]});
        if (s == first) break;
    }
    std::reverse(pts.begin(), pts.end());
    *out = std::move(pts);
    return true;
}

std::vector<Vec2> EdgeRoutes::route_one(const RouteRequest& r) const {
    if (r.from < 0 || r.to < 0) return {};
    const float stub = options_.stub;
    const Vec2 a = r.start + r.start_dir * stub;
    const Vec2 b = r.end - r.end_dir * stub;
    const float mx = (a.x + b.x) / 2;
    // The direct orthogonal route: also what an edge gets when no route around the cards exists.
    std::vector<Vec2> direct{r.start, a, {mx, a.y}, {mx, b.y}, b, r.end};
    const bool ends_free =
        point_free(a) && point_free(b) && segment_free(r.start, a) && segment_free(b, r.end);
    if (!ends_free) return simplified(direct);
    if (dir_of(r.start_dir) == 0 && a.x <= b.x && segment_free(a, direct[2]) &&
        segment_free(direct[2], direct[3]) && segment_free(direct[3], b)) {
        return simplified(direct);
    }
    const Rect span = Rect::from_corners(a, b);
    const float frame = 2 * options_.clearance + stub;
    Rect everything = grown(all_, frame);
    everything.include(span.min);
    everything.include(span.max);
    const Rect windows[] = {grown(span, 4 * options_.clearance + 200.0f), grown(span, 1000.0f),
                            everything};
    for (const Rect& w : windows) {
        const bool last = &w == &windows[2];
        if (!last && w.min.x <= everything.min.x && w.min.y <= everything.min.y &&
            w.max.x >= everything.max.x && w.max.y >= everything.max.y) {
            continue;  // as large as the last window: search once, there
        }
        std::vector<Vec2> mid;
        if (search(r, a, b, w, &mid)) {
            std::vector<Vec2> pts{r.start};
            pts.insert(pts.end(), mid.begin(), mid.end());
            pts.push_back(r.end);
            return simplified(pts);
        }
    }
    return simplified(direct);
}

// [SECTION] The cache

void EdgeRoutes::store(std::size_t e, std::vector<Vec2> pts) {
    Rect b{};
    if (!pts.empty()) {
        b = {pts.front(), pts.front()};
        for (const Vec2& p : pts) b.include(p);
    }
    routes_[e] = std::move(pts);
    bounds_[e] = b;
}

void EdgeRoutes::route_all(const std::vector<Rect>& cards, const std::vector<RouteRequest>& edges) {
    cards_ = cards;
    edges_ = edges;
    rebuild_buckets();
    routes_.assign(edges.size(), {});
    bounds_.assign(edges.size(), Rect{});
    for (std::size_t e = 0; e < edges.size(); ++e) store(e, route_one(edges[e]));
}

int EdgeRoutes::update(const std::vector<Rect>& cards, const std::vector<RouteRequest>& edges) {
    // Where cards appeared, went or moved (old and new places), grown by what a route keeps from
    // a card: a route that meets none of these is still free and still as good as before.
    const float reach = options_.clearance + options_.stub;
    std::vector<Rect> touched;
    if (cards.size() == cards_.size()) {
        for (std::size_t i = 0; i < cards.size(); ++i) {
            if (same(cards[i], cards_[i])) continue;
            touched.push_back(grown(cards_[i], reach));
            touched.push_back(grown(cards[i], reach));
        }
    } else {
        // Cards were added or deleted (indices shift): compare the two sets of rectangles.
        auto less = [](const Rect& a, const Rect& b) {
            if (a.min.x != b.min.x) return a.min.x < b.min.x;
            if (a.min.y != b.min.y) return a.min.y < b.min.y;
            if (a.max.x != b.max.x) return a.max.x < b.max.x;
            return a.max.y < b.max.y;
        };
        std::vector<Rect> before = cards_, after = cards;
        std::sort(before.begin(), before.end(), less);
        std::sort(after.begin(), after.end(), less);
        std::size_t i = 0, j = 0;
        while (i < before.size() || j < after.size()) {
            if (j == after.size() || (i < before.size() && less(before[i], after[j]))) {
                touched.push_back(grown(before[i++], reach));
            } else if (i == before.size() || less(after[j], before[i])) {
                touched.push_back(grown(after[j++], reach));
            } else {
                ++i;
                ++j;
            }
        }
    }
    if (touched.size() > 2 * std::max<std::size_t>(16, cards.size() / 8) ||
        routes_.size() != edges_.size()) {
        route_all(cards, edges);
        return static_cast<int>(edges.size());
    }
    const bool same_edges = edges.size() == edges_.size();
    if (touched.empty() && same_edges && std::equal(edges.begin(), edges.end(), edges_.begin())) {
        return 0;
    }
    if (!touched.empty()) {
        cards_ = cards;
        rebuild_buckets();
    }
    // A route depends on its ends' geometry only: when edges came or went (indices shift), the
    // old routes are found again by it.
    auto same_geometry = [](const RouteRequest& a, const RouteRequest& b) {
        return (a.from < 0) == (b.from < 0) && (a.to < 0) == (b.to < 0) && same(a.start, b.start) &&
               same(a.start_dir, b.start_dir) && same(a.end, b.end) && same(a.end_dir, b.end_dir);
    };
    auto geometry_key = [](const RouteRequest& r) {
        std::uint64_t h = 1469598103934665603ull;
        for (float v : {r.start.x, r.start.y, r.start_dir.x, r.start_dir.y, r.end.x, r.end.y,
                        r.end_dir.x, r.end_dir.y}) {
            std::uint32_t bits;
            std::memcpy(&bits, &v, sizeof bits);
            h = (h ^ bits) * 1099511628211ull;
        }
        return h;
    };
    std::unordered_map<std::uint64_t, std::size_t> old_by_geometry;
    if (!same_edges) {
        old_by_geometry.reserve(edges_.size());
        for (std::size_t o = 0; o < edges_.size(); ++o) {
            if (!routes_[o].empty()) old_by_geometry.emplace(geometry_key(edges_[o]), o);
        }
    }
    std::vector<std::vector<Vec2>> old_routes = std::move(routes_);
    std::vector<Rect> old_bounds = std::move(bounds_);
    const std::vector<RouteRequest> old_edges = std::move(edges_);
    edges_ = edges;
    routes_.assign(edges.size(), {});
    bounds_.assign(edges.size(), Rect{});
    int routed = 0;
    for (std::size_t e = 0; e < edges.size(); ++e) {
        const RouteRequest& r = edges[e];
        std::size_t o = old_edges.size();
        if (same_edges) {
            if (same_geometry(r, old_edges[e])) o = e;
        } else {
            auto it = old_by_geometry.find(geometry_key(r));
            if (it != old_by_geometry.end() && same_geometry(r, old_edges[it->second])) {
                o = it->second;
            }
        }
        bool reuse = o < old_edges.size() && !old_routes[o].empty();
        for (std::size_t t = 0; reuse && t < touched.size(); ++t) {
            reuse = !touched[t].overlaps(old_bounds[o]);
        }
        if (reuse) {
            routes_[e] = old_routes[o];
            bounds_[e] = old_bounds[o];
        } else {
            store(e, route_one(r));
            ++routed;
        }
    }
    return routed;
}

void EdgeRoutes::clear() {
    cards_.clear();
    edges_.clear();
    routes_.clear();
    bounds_.clear();
    buckets_.clear();
}

}  // namespace leadflow::web
