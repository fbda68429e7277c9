// web/app/undo.hpp — undo/redo of graph edits as whole-graph snapshots: simple, exact, and cheap
// enough (an edit copies the graph once; 10,000 nodes copy in milliseconds).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "leadflow/model.hpp"

namespace leadflow::web {

class UndoStack {
  public:
    explicit UndoStack(std::size_t max_depth = 200) : max_depth_(max_depth) {}

    // Records `before` (the graph as it was before an edit named `label`) and clears the redo
    // history. The oldest step is dropped beyond max_depth.
    void push(Graph before, std::string label);
    // Restores the previous graph into `current` (which goes onto the redo history). Returns
    // false, leaving `current` untouched, when there is nothing to undo.
    bool undo(Graph& current);
    // Re-applies the last undone edit; false when there is nothing to redo.
    bool redo(Graph& current);

    bool can_undo() const { return !undo_.empty(); }
    bool can_redo() const { return !redo_.empty(); }
    // Names of the next undo / redo steps ("" when none), for the Edit menu.
    const std::string& undo_label() const;
    const std::string& redo_label() const;
    std::size_t undo_depth() const { return undo_.size(); }
    void clear();

  private:
    struct Step {
        Graph graph;
        std::string label;
    };
    std::size_t max_depth_;
    std::vector<Step> undo_;
    std::vector<Step> redo_;
};

}  // namespace leadflow::web
