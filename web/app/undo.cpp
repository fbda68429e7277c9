// web/app/undo.cpp — see undo.hpp.
#include "undo.hpp"

#include <utility>

namespace leadflow::web {

void UndoStack::push(Graph before, std::string label) {
    undo_.push_back({std::move(before), std::move(label)});
    if (undo_.size() > max_depth_) undo_.erase(undo_.begin());
    redo_.clear();
}

bool UndoStack::undo(Graph& current) {
    if (undo_.empty()) return false;
    Step step = std::move(undo_.back());
    undo_.pop_back();
    redo_.push_back({std::move(current), step.label});
    current = std::move(step.graph);
    return true;
}

bool UndoStack::redo(Graph& current) {
    if (redo_.empty()) return false;
    Step step = std::move(redo_.back());
    redo_.pop_back();
    undo_.push_back({std::move(current), step.label});
    current = std::move(step.graph);
    return true;
}

const std::string& UndoStack::undo_label() const {
    static const std::string none;
    return undo_.empty() ? none : undo_.back().label;
}

const std::string& UndoStack::redo_label() const {
    static const std::string none;
    return redo_.empty() ? none : redo_.back().label;
}

void UndoStack::clear() {
    undo_.clear();
    redo_.clear();
}

}  // namespace leadflow::web
