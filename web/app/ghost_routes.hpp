// web/app/ghost_routes.hpp — routes for the version diff's ghost edges (edges the version had and
// the draft removed), drawn like live edges: orthogonal polylines around the cards on the canvas,
// the editor's cards and the ghost cards of removed nodes alike (edge_routing.hpp).
//
// Routes are cached the way GraphIndex::routes caches the live edges: update() rebuilds its
// inputs and lets EdgeRoutes reroute only what a change touches, so a frame in which nothing
// moved routes nothing. Pure and ImGui-free, so it is unit-tested natively.
#pragma once

#include <cstddef>
#include <vector>

#include "edge_routing.hpp"
#include "graph_index.hpp"
#include "leadflow/model.hpp"
#include "versions_data.hpp"

namespace leadflow::web {

class GhostRoutes {
  public:
    // Brings the routes of `overlay.ghost_edges` up to date around the cards of `g` (laid out
    // by `idx`, which must be built from `g`) and `overlay.ghost_nodes`. Each end of a ghost
    // edge is attached to the card drawn for its node: the editor's card, at its current
    // position and the pin its label picks there, when the draft still has the node; else the
    // node's ghost card, at the pin the version had. An end with neither gets no route.
    // Returns the number of ghost edges routed (0 when nothing moved since the last call).
    int update(const Graph& g, const GraphIndex& idx, const DiffOverlay& overlay);
    // Forgets every route (the next update routes all).
    void clear() { routes_.clear(); }

    // The polyline of ghost edge `e` (the index in overlay.ghost_edges of the last update):
    // first point its start, last its end; empty without a route.
    const std::vector<Vec2>& points(std::size_t e) const {
        return routes_.points(static_cast<int>(e));
    }
    // Bounding box of ghost edge `e`'s polyline.
    const Rect& bounds(std::size_t e) const { return routes_.bounds(static_cast<int>(e)); }
    std::size_t size() const { return routes_.size(); }

  private:
    EdgeRoutes routes_;
    std::vector<Rect> cards_;  // the editor's cards, then the ghost cards
    std::vector<RouteRequest> requests_;
};

}  // namespace leadflow::web
