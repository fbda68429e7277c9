// web/app/layout.hpp — automatic layered layout, left to right (a simple Sugiyama scheme):
// cycles are broken by ignoring DFS back edges, layers come from longest paths, the order inside
// a layer from barycentre sweeps, and cards are stacked so that none overlap.
#pragma once

#include <functional>

#include "geometry.hpp"
#include "leadflow/model.hpp"

namespace leadflow::web {

struct LayoutOptions {
    float layer_gap = 120.0f;  // horizontal space between layers (world units)
    float node_gap = 40.0f;    // vertical space between cards of one layer
    Vec2 origin{0.0f, 0.0f};   // top-left of the first layer
};

// Assigns position_x/position_y to every node of `g`. `node_size(i)` gives the card size of
// node i. Deterministic: the same graph gives the same positions. Nodes reachable from the entry
// come first; edges with dangling ends are ignored. After it, no two cards overlap and every edge
// that is not part of a cycle goes from a lower layer (left) to a higher one (right).
void auto_layout(Graph& g, const std::function<Vec2(std::size_t)>& node_size,
                 const LayoutOptions& options = {});

}  // namespace leadflow::web
