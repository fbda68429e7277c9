// web/app/graph_index.cpp — see graph_index.hpp.
#include "graph_index.hpp"

#include <algorithm>
#include <cmath>

namespace leadflow::web {

NodeShape node_shape(const Node& n) {
    NodeShape s;
    s.pins = output_pins(n);
    s.summary = config_summary(n);
    s.height = kHeaderHeight + kSummaryHeight + kPinRowHeight * static_cast<float>(s.pins.size());
    if (!s.pins.empty()) s.height += 4.0f;
    return s;
}

Vec2 input_pin_offset(const NodeShape&) {
    return {0.0f, kHeaderHeight * 0.5f};
}

Vec2 output_pin_offset(const NodeShape& s, int pin) {
    return {s.width,
            kHeaderHeight + kSummaryHeight + kPinRowHeight * (static_cast<float>(pin) + 0.5f)};
}

Vec2 other_anchor_offset(const NodeShape& s) {
    return {s.width * 0.5f, s.height};
}

void GraphIndex::build(const Graph& g) {
    routed_version_ = 0;
    node_ids_.clear();
    edge_ids_.clear();
    shapes_.clear();
    ends_.clear();
    node_ids_.reserve(g.nodes.size());
    shapes_.reserve(g.nodes.size());
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        node_ids_.emplace(g.nodes[i].id, static_cast<int>(i));
        shapes_.push_back(node_shape(g.nodes[i]));
    }
    ends_.reserve(g.edges.size());
    for (std::size_t i = 0; i < g.edges.size(); ++i) {
        const Edge& e = g.edges[i];
        edge_ids_.emplace(e.id, static_cast<int>(i));
        EdgeEnds ends;
        ends.from = node_index(e.from_node_id);
        ends.to = node_index(e.to_node_id);
        if (ends.from >= 0) ends.pin = pin_for_edge(shape(ends.from).pins, e);
        ends_.push_back(ends);
    }
}

int GraphIndex::node_index(const std::string& id) const {
    auto it = node_ids_.find(id);
    return it == node_ids_.end() ? -1 : it->second;
}

int GraphIndex::edge_index(const std::string& id) const {
    auto it = edge_ids_.find(id);
    return it == edge_ids_.end() ? -1 : it->second;
}

Rect GraphIndex::node_rect(const Graph& g, int node) const {
    const Node& n = g.nodes[static_cast<std::size_t>(node)];
    const NodeShape& s = shape(node);
    const Vec2 p{static_cast<float>(n.position_x), static_cast<float>(n.position_y)};
    return {p, {p.x + s.width, p.y + s.height}};
}

Vec2 GraphIndex::output_pin_world(const Graph& g, int node, int pin) const {
    const Node& n = g.nodes[static_cast<std::size_t>(node)];
    const Vec2 p{static_cast<float>(n.position_x), static_cast<float>(n.position_y)};
    return p + (pin >= 0 ? output_pin_offset(shape(node), pin) : other_anchor_offset(shape(node)));
}

Vec2 GraphIndex::input_pin_world(const Graph& g, int node) const {
    const Node& n = g.nodes[static_cast<std::size_t>(node)];
    return Vec2{static_cast<float>(n.position_x), static_cast<float>(n.position_y)} +
           input_pin_offset(shape(node));
}

bool GraphIndex::edge_curve_world(const Graph& g, int edge, Curve* out) const {
    const EdgeEnds& e = edge_ends(edge);
    if (e.from < 0 || e.to < 0) return false;
    *out = edge_curve(output_pin_world(g, e.from, e.pin), input_pin_world(g, e.to));
    return true;
}

const EdgeRoutes& GraphIndex::routes(const Graph& g, std::uint64_t version) const {
    if (version != 0 && version == routed_version_) return routes_;
    routed_version_ = version;
    const int n = static_cast<int>(shapes_.size());
    route_cards_.resize(shapes_.size());
    for (int i = 0; i < n; ++i) route_cards_[static_cast<std::size_t>(i)] = node_rect(g, i);
    route_requests_.resize(ends_.size());
    for (int e = 0; e < static_cast<int>(ends_.size()); ++e) {
        const EdgeEnds& ends = edge_ends(e);
        RouteRequest& r = route_requests_[static_cast<std::size_t>(e)];
        r = RouteRequest{};
        if (ends.from < 0 || ends.to < 0) continue;
        r.from = ends.from;
        r.to = ends.to;
        r.start = output_pin_world(g, ends.from, ends.pin);
        r.start_dir = output_direction(ends.pin);
        r.end = input_pin_world(g, ends.to);
        r.end_dir = {1.0f, 0.0f};
    }
    routes_.update(route_cards_, route_requests_);
    return routes_;
}

Hit GraphIndex::hit_test(const Graph& g, Vec2 p, float tolerance, std::uint64_t version) const {
    Hit hit;
    const float pin_reach = kPinRadius + tolerance;
    // Later nodes are drawn on top, so test them first.
    for (int i = static_cast<int>(shapes_.size()) - 1; i >= 0; --i) {
        Rect r = node_rect(g, i);
        Rect grown{{r.min.x - pin_reach, r.min.y - pin_reach}, {r.max.x + pin_reach, r.max.y}};
        if (!grown.contains(p)) continue;
        const NodeShape& s = shape(i);
        for (int k = 0; k < static_cast<int>(s.pins.size()); ++k) {
            const Vec2 c = output_pin_world(g, i, k);
            if (std::abs(p.x - c.x) <= pin_reach && std::abs(p.y - c.y) <= kPinRowHeight * 0.5f) {
                return {Hit::kOutputPin, i, k, -1};
            }
        }
        const Vec2 in = input_pin_world(g, i);
        if (std::abs(p.x - in.x) <= pin_reach && std::abs(p.y - in.y) <= pin_reach) {
            return {Hit::kInputPin, i, -1, -1};
        }
        if (r.contains(p)) return {Hit::kNode, i, -1, -1};
    }
    float best = tolerance + 3.0f;
    const EdgeRoutes& paths = routes(g, version);
    for (int e = 0; e < static_cast<int>(paths.size()); ++e) {
        const std::vector<Vec2>& pts = paths.points(e);
        if (pts.empty()) continue;
        const Rect& b = paths.bounds(e);
        Rect grown{{b.min.x - best, b.min.y - best}, {b.max.x + best, b.max.y + best}};
        if (!grown.contains(p)) continue;
        const float d = distance_to_polyline(pts, p);
        if (d <= best) {
            best = d;
            hit = {Hit::kEdge, -1, -1, e};
        }
    }
    return hit;
}

std::vector<int> GraphIndex::nodes_in_rect(const Graph& g, const Rect& world) const {
    std::vector<int> out;
    for (int i = 0; i < static_cast<int>(shapes_.size()); ++i) {
        if (node_rect(g, i).overlaps(world)) out.push_back(i);
    }
    return out;
}

Rect GraphIndex::bounds(const Graph& g) const {
    if (shapes_.empty()) return {};
    Rect b = node_rect(g, 0);
    for (int i = 1; i < static_cast<int>(shapes_.size()); ++i) {
        Rect r = node_rect(g, i);
        b.include(r.min);
        b.include(r.max);
    }
    return b;
}

}  // namespace leadflow::web
