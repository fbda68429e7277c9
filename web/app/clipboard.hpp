// web/app/clipboard.hpp — copy and paste of nodes as JSON text (the system clipboard carries it
// between tabs and into other tools). The text is a graph fragment in the wire format:
// {"leadflow_clipboard": 1, "nodes": [...], "edges": [...]}.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "geometry.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

// Makes fresh ids ("node_<n>", "edge_<n>") that do not occur in a graph. Seeded so that two
// sessions (tabs) rarely pick the same ids; tests pass a fixed seed.
class IdGenerator {
  public:
    explicit IdGenerator(std::uint64_t seed = 1) : state_(seed ? seed : 1) {}
    // A new id with `prefix` ("node_", "edge_") unused by any node or edge of `g`.
    std::string next(const Graph& g, const std::string& prefix);

  private:
    std::uint64_t state_;
};

// The clipboard text for the nodes `node_ids` of `g` and the edges whose both ends are among
// them (edges leaving the selection are not copied). Empty selection → a fragment with no nodes.
std::string copy_nodes(const Graph& g, const std::set<std::string>& node_ids);

// Pastes clipboard text into `g`: every node and edge gets a new id (edges are re-pointed to
// the new node ids), nodes keep their relative positions and are moved so that their bounding
// box's top-left corner lands on `at` (world units). Also accepts a whole graph document
// ({workflow, nodes, edges}). Returns the new node ids. Fails with kInvalidArgument (g
// unchanged) when the text is not JSON or not a fragment, or a node or edge does not decode;
// edges whose ends are not in the fragment are dropped.
Result<std::vector<std::string>> paste_nodes(Graph& g, std::string_view text, Vec2 at,
                                             IdGenerator& ids);

}  // namespace leadflow::web
