// web/app/ghost_routes.cpp — see ghost_routes.hpp.
#include "ghost_routes.hpp"

#include <string>
#include <unordered_map>

namespace leadflow::web {

int GhostRoutes::update(const Graph& g, const GraphIndex& idx, const DiffOverlay& overlay) {
    const int live = static_cast<int>(idx.node_count());
    cards_.resize(static_cast<std::size_t>(live) + overlay.ghost_nodes.size());
    for (int i = 0; i < live; ++i) cards_[static_cast<std::size_t>(i)] = idx.node_rect(g, i);
    std::unordered_map<std::string, int> ghost_cards;
    for (std::size_t k = 0; k < overlay.ghost_nodes.size(); ++k) {
        cards_[static_cast<std::size_t>(live) + k] = overlay.ghost_nodes[k].world;
        ghost_cards.emplace(overlay.ghost_nodes[k].id, live + static_cast<int>(k));
    }
    auto ghost_card = [&](const std::string& id) {
        auto it = ghost_cards.find(id);
        return it == ghost_cards.end() ? -1 : it->second;
    };
    requests_.resize(overlay.ghost_edges.size());
    for (std::size_t e = 0; e < overlay.ghost_edges.size(); ++e) {
        const GhostEdge& ghost = overlay.ghost_edges[e];
        RouteRequest& r = requests_[e];
        r = RouteRequest{};
        // Where it leaves: the editor's card (by the pin its label picks there) or the ghost.
        const int from = idx.node_index(ghost.edge.from_node_id);
        if (from >= 0) {
            const int pin = pin_for_edge(idx.shape(from).pins, ghost.edge);
            r.from = from;
            r.start = idx.output_pin_world(g, from, pin);
            r.start_dir = GraphIndex::output_direction(pin);
        } else {
            r.from = ghost_card(ghost.edge.from_node_id);
            r.start = ghost.start;
            r.start_dir = ghost.start_dir;
        }
        const int to = idx.node_index(ghost.edge.to_node_id);
        if (to >= 0) {
            r.to = to;
            r.end = idx.input_pin_world(g, to);
        } else {
            r.to = ghost_card(ghost.edge.to_node_id);
            r.end = ghost.end;
        }
        r.end_dir = {1.0f, 0.0f};
        if (r.from < 0 || r.to < 0) r = RouteRequest{};  // no card to attach to: no route
    }
    return routes_.update(cards_, requests_);
}

}  // namespace leadflow::web
