// web/app/editor.hpp — the editor's state and every edit it can make, free of ImGui and the
// browser: the graph, selection, camera, undo history and clipboard logic. The UI files
// (editor_canvas, inspector, palette, …) call these operations; tests call them directly.
//
// Every edit is one undo step. Continuous edits (dragging nodes, typing in a field) are
// bracketed by begin_change() / end_change() so that they become a single step.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "align.hpp"
#include "clipboard.hpp"
#include "geometry.hpp"
#include "graph_index.hpp"
#include "leadflow/model.hpp"
#include "leadflow/notes.hpp"
#include "leadflow/status.hpp"
#include "undo.hpp"

namespace leadflow::web {

// A note's card on the canvas, world units.
Rect note_rect(const Note& n);

class Editor {
  public:
    explicit Editor(std::uint64_t id_seed = 1);

    // [SECTION] Document
    const Graph& graph() const { return graph_; }
    // Changes on every edit, undo and redo (positions included): drives autosave.
    std::uint64_t version() const { return version_; }
    // Changes when anything but node positions changes: drives validation and the index.
    std::uint64_t structure_version() const { return structure_version_; }
    // The lookups for the current graph (rebuilt lazily after structural changes).
    const GraphIndex& index();
    // The current graph's edge routes (GraphIndex::routes), compared with the cards at most once
    // per version(): every caller of a frame after the first gets them as they are.
    const EdgeRoutes& routes() { return index().routes(graph_, version_); }
    // GraphIndex::hit_test on the current graph, with routes() as they are.
    Hit hit_test(Vec2 p, float tolerance) { return index().hit_test(graph_, p, tolerance, version_); }

    // Replaces the whole graph (import, template, automation). With `undoable`, the previous
    // graph is one undo step; otherwise the history is cleared. Clears the selection. Notes
    // beyond the limits (leadflow/notes.hpp) are dropped or cut; returns the sentence saying so
    // ("" when the graph came whole).
    std::string load(Graph g, bool undoable, const std::string& label = "Load graph");

    // [SECTION] Edits (each is one undo step)
    // Adds a node of type `t` with its default config and a label taken from the type, its
    // top-left corner at `at`; selects it alone and returns its id.
    std::string add_node(NodeType t, Vec2 at);
    // Connects output pin `pin` of node `from_id` to node `to_id` with that pin's label (none for
    // a default pin) as the last edge of `from_id` in edge order. Fails (graph unchanged):
    // kNotFound for an unknown node or pin, kInvalidArgument for an edge out of a terminal node,
    // kConflict when the same from/to/label edge exists. Returns the new edge id.
    Result<std::string> connect(const std::string& from_id, int pin, const std::string& to_id);
    // Deletes the selected nodes (and every edge touching them), the selected edges and the
    // selected notes; clears the entry node when it is deleted. Returns false (no undo step)
    // when nothing is selected.
    bool delete_selection();
    // Moves the selected nodes by `delta` world units as one undo step.
    void move_selection(Vec2 delta);
    // Lays the graph out (layout.hpp) as one undo step.
    void auto_layout();
    // Lays the graph out as auto_layout() does, one undo step, when its cards overlap
    // (layout.hpp: cards_overlap), which is how a graph without positions looks. A graph whose
    // cards do not overlap keeps its positions exactly and gets no undo step. Returns whether it
    // laid the graph out.
    bool arrange_if_overlapping();
    // Aligns the selected nodes (align.hpp) as one undo step. Returns false (no undo step) when
    // fewer than 2 nodes are selected.
    bool align_selection(AlignEdge edge);
    // Spaces the selected nodes with equal gaps along one axis (align.hpp) as one undo step.
    // Returns false (no undo step) when fewer than 3 nodes are selected.
    bool distribute_selection(bool horizontal);
    // Applies `fn` to the graph as one undo step named `label`. `structural` = false when `fn`
    // only moves nodes.
    void apply(const std::string& label, const std::function<void(Graph&)>& fn,
               bool structural = true);

    // [SECTION] Notes (leadflow/notes.hpp: kept in the workflow object, ignored by the engine)
    // The graph's notes, in drawing order (the last is on top).
    const std::vector<Note>& notes();
    // Adds a note (default colour unless `color` names one) with its top-left corner at `at`;
    // selects it alone; one undo step. Returns its id, or "" when the graph already holds
    // kMaxNotes notes.
    std::string add_note(Vec2 at, const std::string& text = "", const std::string& color = "");
    // Sets a note's text (cut to kMaxNoteTextBytes at a character boundary) or colour (a name
    // of note_colors()) as one undo step. False (no step) for an unknown id, an unknown colour,
    // or no change.
    bool set_note_text(const std::string& id, const std::string& text);
    bool set_note_color(const std::string& id, const std::string& color);
    // The topmost note whose card contains the world point, or -1.
    int note_at(Vec2 world);
    // During a change (begin_change): moves the notes to the given top-left corners.
    void move_notes_live(const std::vector<std::pair<std::string, Vec2>>& corners);

    // [SECTION] Continuous edits
    // Snapshots the graph once (nested calls are ignored until end_change).
    void begin_change();
    // Live access during a change: the caller mutates, then calls touch().
    Graph& live_graph() { return graph_; }
    void touch(bool structural);
    // Closes the change: one undo step named `label` if touch() was called since begin_change.
    void end_change(const std::string& label);
    bool in_change() const { return change_open_; }

    // [SECTION] Undo
    bool undo();
    bool redo();
    const UndoStack& history() const { return undo_; }

    // [SECTION] Selection
    const std::set<std::string>& selected_nodes() const { return selected_nodes_; }
    const std::set<std::string>& selected_edges() const { return selected_edges_; }
    void clear_selection();
    // Selects one node; with `add`, toggles it within the current selection (shift-click).
    void select_node(const std::string& id, bool add);
    void select_edge(const std::string& id, bool add);
    void select_note(const std::string& id, bool add);
    // Selects the nodes and notes overlapping a world rectangle (box selection); `add` keeps the
    // current.
    void select_in_rect(const Rect& world, bool add);
    void select_all();
    bool is_selected_node(const std::string& id) const { return selected_nodes_.count(id) > 0; }
    bool is_selected_edge(const std::string& id) const { return selected_edges_.count(id) > 0; }
    const std::set<std::string>& selected_notes() const { return selected_notes_; }
    bool is_selected_note(const std::string& id) const { return selected_notes_.count(id) > 0; }

    // [SECTION] Clipboard
    // The selection (steps, the edges between them, notes) as clipboard text (clipboard.hpp).
    std::string copy_selection() const;
    // Pastes text with its top-left at `at`; selects the new nodes and notes. One undo step;
    // failure leaves everything unchanged. Returns the number of nodes and notes pasted.
    Result<std::size_t> paste(std::string_view text, Vec2 at);

    // [SECTION] View
    Camera camera;
    // Fits the whole graph into the canvas rectangle `screen` (device pixels).
    void fit_view(const Rect& screen);

    IdGenerator& ids() { return ids_; }

  private:
    void bump(bool structural);
    // Card sizes (world units) in node order, for the layout functions.
    std::vector<Vec2> card_sizes();
    void drop_missing_selection();
    // Writes `notes` into the workflow object of `g` (no "notes" key when there are none).
    static void write_notes(Graph& g, const std::vector<Note>& notes);
    // Applies `change` to note `id` as one undo step named `label`; false (no step) for an
    // unknown id or when `change` says it changed nothing.
    bool edit_note(const std::string& id, const std::string& label,
                   const std::function<bool(Note&)>& change);
    // Moves the selected nodes to `corners` (same order as `ids`) as one undo step.
    void place_nodes(const std::string& label, const std::vector<std::string>& ids,
                     const std::vector<Point>& corners);
    std::vector<Box> selected_boxes(std::vector<std::string>* ids);

    Graph graph_;
    std::uint64_t version_ = 1;
    std::uint64_t structure_version_ = 1;
    std::uint64_t index_version_ = 0;
    GraphIndex index_;
    UndoStack undo_;
    IdGenerator ids_;
    std::set<std::string> selected_nodes_;
    std::set<std::string> selected_edges_;
    std::set<std::string> selected_notes_;
    std::vector<Note> notes_;
    std::uint64_t notes_version_ = 0;
    bool change_open_ = false;
    bool change_touched_ = false;
    bool change_structural_ = false;
    Graph change_before_;
};

}  // namespace leadflow::web
