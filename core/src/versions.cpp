// core/src/versions.cpp — see leadflow/versions.hpp.
#include "leadflow/versions.hpp"

#include <algorithm>

namespace leadflow {

VersionStep version_step(std::int64_t number, bool move,
                         std::map<std::string, std::string> node_map, const Graph& g) {
    VersionStep s;
    s.number = number;
    s.move = move;
    s.node_map = std::move(node_map);
    for (const Node& n : g.nodes) s.nodes[n.id] = n.type;
    return s;
}

LeadPlacement resolve_placement(LeadPlacement at, NodeType type, std::int64_t seen,
                                const std::vector<VersionStep>& later) {
    std::vector<const VersionStep*> order;
    order.reserve(later.size());
    for (const VersionStep& s : later) {
        if (s.number > seen && s.number > at.version) order.push_back(&s);
    }
    std::sort(order.begin(), order.end(),
              [](const VersionStep* a, const VersionStep* b) { return a->number < b->number; });
    for (const VersionStep* s : order) {
        if (!s->move) continue;
        auto mapped = s->node_map.find(at.node_id);
        const std::string& target = mapped == s->node_map.end() ? at.node_id : mapped->second;
        auto node = s->nodes.find(target);
        if (node == s->nodes.end() || node->second != type) continue;
        at.version = s->number;
        at.node_id = target;
    }
    return at;
}

}  // namespace leadflow
