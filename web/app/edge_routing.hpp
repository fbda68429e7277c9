// web/app/edge_routing.hpp — orthogonal edge routes that go around node cards.
//
// Every edge becomes a polyline of horizontal and vertical segments: straight out of its source
// pin, through the free space between cards, straight into its target pin. Routes keep
// `clearance` world units from cards where there is room and never pass through a card's interior
// when a way around exists (cards that overlap the pins themselves leave none: such an edge gets
// the direct orthogonal route).
//
// How: an edge whose simple three-segment route (out, across at the midpoint, in) is free takes
// it; otherwise an A* search with a bend cost runs over the grid of lines that run `clearance`
// away from the sides of the cards near the edge, in windows that grow until a route is found
// (the last one holds every card and a frame around them all, so a route around everything
// exists). Cards are looked up in a uniform bucket grid.
//
// Routes are cached: update() reroutes only the edges whose ends moved or whose route a card
// that appeared, went or moved comes near, so dragging a few cards of a big graph, connecting or
// deleting stays cheap, and a frame in which nothing changed costs one comparison per card and
// edge.
//
// Pure and ImGui-free, so it is unit-tested natively.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "geometry.hpp"

namespace leadflow::web {

// One edge to route. It leaves at `start` heading `start_dir` and arrives at `end` heading
// `end_dir` (unit axis vectors: {1, 0} out of a pin on a card's right side and into a pin on a
// card's left side, {0, 1} out of a card's bottom). `from` and `to` index the card list (-1: no
// card; an edge with either end missing gets no route).
struct RouteRequest {
    int from = -1;
    int to = -1;
    Vec2 start;
    Vec2 start_dir{1.0f, 0.0f};
    Vec2 end;
    Vec2 end_dir{1.0f, 0.0f};
    bool operator==(const RouteRequest& o) const;
};

struct RouteOptions {
    float clearance = 12.0f;     // distance kept from cards where there is room
    float stub = 16.0f;          // length of the first and last segment (straight out / in)
    float bend_cost = 40.0f;     // a bend costs as much as this many world units of length
    int max_expansions = 40000;  // per search window; past it the next window is tried
};

// True when the segment a–b passes through the interior of `r` (touching its border does not
// count).
bool segment_enters_rect(Vec2 a, Vec2 b, const Rect& r);

// Shortest distance from `p` to the polyline `points` (infinity for fewer than 2 points).
float distance_to_polyline(const std::vector<Vec2>& points, Vec2 p);

// The point halfway along the polyline (by length), and the direction of the segment it is on.
// For fewer than 2 points: the only point (or 0, 0) and direction {1, 0}.
Vec2 polyline_midpoint(const std::vector<Vec2>& points, Vec2* direction = nullptr);

class EdgeRoutes {
  public:
    explicit EdgeRoutes(RouteOptions options = {}) : options_(options) {}

    // Routes every edge anew around `cards`.
    void route_all(const std::vector<Rect>& cards, const std::vector<RouteRequest>& edges);
    // Brings the routes up to date for `cards` and `edges`. An edge keeps its route when an
    // edge with the same end geometry had one (by index, or, when edges were added or deleted,
    // found by that geometry) and no card appeared, went or moved near that route; every other
    // edge is routed again. When many cards changed, everything is. Returns the number of edges
    // routed.
    int update(const std::vector<Rect>& cards, const std::vector<RouteRequest>& edges);
    // Forgets every route (the next update routes all).
    void clear();

    std::size_t size() const { return routes_.size(); }
    // The polyline of edge `e`: first point its start, last its end; empty without a route.
    const std::vector<Vec2>& points(int e) const { return routes_[static_cast<std::size_t>(e)]; }
    // Bounding box of edge `e`'s polyline.
    const Rect& bounds(int e) const { return bounds_[static_cast<std::size_t>(e)]; }

  private:
    void rebuild_buckets();
    std::vector<Vec2> route_one(const RouteRequest& r) const;
    bool point_free(Vec2 p) const;
    bool segment_free(Vec2 a, Vec2 b) const;
    template <typename F>
    void cards_in(const Rect& area, F&& visit) const;
    bool search(const RouteRequest& r, Vec2 a, Vec2 b, const Rect& window,
                std::vector<Vec2>* out) const;
    void store(std::size_t e, std::vector<Vec2> pts);

    RouteOptions options_;
    std::vector<Rect> cards_;
    std::vector<RouteRequest> edges_;
    std::vector<std::vector<Vec2>> routes_;
    std::vector<Rect> bounds_;
    // Card buckets: cell (cx, cy) of size cell_ holds the cards that overlap it.
    float cell_ = 256.0f;
    std::unordered_map<std::uint64_t, std::vector<int>> buckets_;
    Rect all_;                       // bounding box of every card
    mutable std::vector<int> seen_;  // per card: the query stamp that last visited it
    mutable int stamp_ = 0;
};

}  // namespace leadflow::web
