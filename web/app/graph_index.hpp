// web/app/graph_index.hpp — the card layout of every node and the lookups the canvas needs each
// frame (node by id, edge endpoints and pins), plus hit testing in world coordinates. Rebuilt
// when the graph's structure changes; node positions are read live from the graph so that
// dragging needs no rebuild.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "edge_routing.hpp"
#include "geometry.hpp"
#include "leadflow/model.hpp"
#include "node_kinds.hpp"

namespace leadflow::web {

// Card metrics in world units (100% zoom = CSS pixels).
constexpr float kNodeWidth = 200.0f;
constexpr float kHeaderHeight = 24.0f;
constexpr float kSummaryHeight = 20.0f;
constexpr float kPinRowHeight = 18.0f;
constexpr float kPinRadius = 5.0f;

// The local layout of one card: its size and pins (offsets from the node's position, which is
// the card's top-left corner).
struct NodeShape {
    float width = kNodeWidth;
    float height = kHeaderHeight + kSummaryHeight;
    std::vector<Pin> pins;
    std::string summary;
};
NodeShape node_shape(const Node& n);
Vec2 input_pin_offset(const NodeShape& s);
Vec2 output_pin_offset(const NodeShape& s, int pin);
// Where edges whose label matches no pin leave the card (bottom centre).
Vec2 other_anchor_offset(const NodeShape& s);

// What a point on the canvas hits, most specific first: output pin, input pin, node, edge.
struct Hit {
    enum Kind { kNone, kOutputPin, kInputPin, kNode, kEdge };
    Kind kind = kNone;
    int node = -1;  // node index (for pins and nodes)
    int pin = -1;   // output pin index
    int edge = -1;  // edge index
};

class GraphIndex {
  public:
    // Rebuilds every lookup from `g` (O(nodes + edges)).
    void build(const Graph& g);

    // Index of the node with this id, or -1.
    int node_index(const std::string& id) const;
    int edge_index(const std::string& id) const;
    const NodeShape& shape(int node) const { return shapes_[static_cast<std::size_t>(node)]; }
    std::size_t node_count() const { return shapes_.size(); }

    // Endpoints of an edge by index: node indices (-1 when dangling) and the source pin (-1 when
    // its label matches no pin).
    struct EdgeEnds {
        int from = -1;
        int to = -1;
        int pin = -1;
    };
    const EdgeEnds& edge_ends(int edge) const { return ends_[static_cast<std::size_t>(edge)]; }

    // World-space geometry, using the node's current position from `g`.
    Rect node_rect(const Graph& g, int node) const;
    Vec2 output_pin_world(const Graph& g, int node, int pin) const;
    // The direction an edge leaves from output pin `pin`: rightwards out of a pin, downwards out
    // of the card's bottom for an edge whose label matches no pin (pin -1).
    static Vec2 output_direction(int pin) { return pin >= 0 ? Vec2{1.0f, 0.0f} : Vec2{0.0f, 1.0f}; }
    Vec2 input_pin_world(const Graph& g, int node) const;
    // The curve of an edge; false when an end is dangling.
    bool edge_curve_world(const Graph& g, int edge, Curve* out) const;
    // Every edge routed around the cards at their current positions in `g` (edge_routing.hpp):
    // the canvas draws, labels and hit-tests these polylines. Brought up to date on each call;
    // a call after which nothing moved costs one comparison per card and edge. A non-zero
    // `version` names the state of `g` (Editor::version(), which changes with every edit,
    // positions included): a call with the same version as the previous one returns the routes
    // without looking at `g`, so drawing code may ask once per edge. 0 always compares.
    const EdgeRoutes& routes(const Graph& g, std::uint64_t version = 0) const;

    // Hit test at world point `p`; `tolerance` (world units) widens pins and edges. `version`
    // as for routes().
    Hit hit_test(const Graph& g, Vec2 p, float tolerance, std::uint64_t version = 0) const;
    // Indices of the nodes whose card overlaps `world`.
    std::vector<int> nodes_in_rect(const Graph& g, const Rect& world) const;
    // The bounding box of every card; a zero rectangle at the origin for an empty graph.
    Rect bounds(const Graph& g) const;

  private:
    std::unordered_map<std::string, int> node_ids_;
    std::unordered_map<std::string, int> edge_ids_;
    std::vector<NodeShape> shapes_;
    std::vector<EdgeEnds> ends_;
    // The route cache and the inputs it was last compared with (kept to reuse their memory).
    mutable EdgeRoutes routes_;
    mutable std::vector<Rect> route_cards_;
    mutable std::vector<RouteRequest> route_requests_;
    mutable std::uint64_t routed_version_ = 0;  // version of the last routes() call; 0: none
};

}  // namespace leadflow::web
