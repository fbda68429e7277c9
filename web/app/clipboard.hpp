// web/app/clipboard.hpp — copy and paste of nodes as JSON text (the system clipboard carries it
// between tabs and into other tools). The text is a graph fragment in the wire format:
// {"leadflow_clipboard": 1, "nodes": [...], "edges": [...], "notes": [...]} ("notes" only when
// notes were copied; each as in workflow.notes, leadflow/notes.hpp).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "geometry.hpp"
#include "leadflow/model.hpp"
#include "leadflow/notes.hpp"
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

// The clipboard text for the nodes `node_ids` of `g`, the edges whose both ends are among them
// (edges leaving the selection are not copied) and the notes of `notes` whose ids are in
// `note_ids`, in their order. Empty selection → a fragment with no nodes.
std::string copy_nodes(const Graph& g, const std::set<std::string>& node_ids,
                       const std::vector<Note>& notes = {},
                       const std::set<std::string>& note_ids = {});

// Pastes clipboard text into `g`: every node, edge and note gets a new id (edges are re-pointed
// to the new node ids), nodes and notes keep their relative positions and are moved so that the
// top-left corner of their bounding box (node positions and note corners) lands on `at` (world
// units). Notes are added after `g`'s notes in workflow.notes, read as leniently as an opened
// file's (leadflow/notes.hpp: bad entries skipped, long texts cut), and only while `g` has
// fewer than kMaxNotes. Also accepts a whole graph document ({workflow, nodes, edges}; its
// notes are not pasted). Returns the new node ids, and the new note ids in `note_ids` when
// given. Fails with kInvalidArgument (g unchanged) when the text is not JSON or not a
// fragment, or a node or edge does not decode; edges whose ends are not in the fragment are
// dropped.
Result<std::vector<std::string>> paste_nodes(Graph& g, std::string_view text, Vec2 at,
                                             IdGenerator& ids,
                                             std::vector<std::string>* note_ids = nullptr);

}  // namespace leadflow::web
