// web/app/layout.hpp — automatic layered layout, left to right (a simple Sugiyama scheme):
// cycles are broken by ignoring DFS back edges, layers come from longest paths, the order inside
// a layer from barycentre sweeps (down and up, the ordering with the fewest crossings between
// neighbouring layers kept), and cards are stacked so that none overlap.
//
// Edge-position order: a node's outgoing edges are taken in the order of the output pins they
// leave from (node_kinds.hpp: top to bottom on the card), then by edge position, so the children
// of a node stack in the order of its pins (COMPLETED above DNP above FAILED) whatever order the
// edges are listed in.
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

// True when two cards of `g` overlap (their interiors meet; cards that only touch do not count).
// A graph without positions (every node at 0, 0, as the API builds them) has all its cards on one
// spot. This is the editor's "needs layout" test for a graph it opens. `node_size` as for
// auto_layout. Linear in the node count for graphs without overlaps (cards are bucketed on a
// grid of the largest card's size); stops at the first overlap.
bool cards_overlap(const Graph& g, const std::function<Vec2(std::size_t)>& node_size);

}  // namespace leadflow::web
