// web/app/editor.cpp — see editor.hpp.
#include "editor.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "layout.hpp"
#include "node_kinds.hpp"

namespace leadflow::web {

Editor::Editor(std::uint64_t id_seed) : ids_(id_seed) {}

const GraphIndex& Editor::index() {
    if (index_version_ != structure_version_) {
        index_.build(graph_);
        index_version_ = structure_version_;
    }
    return index_;
}

void Editor::bump(bool structural) {
    ++version_;
    if (structural) ++structure_version_;
}

std::string Editor::load(Graph g, bool undoable, const std::string& label) {
    if (change_open_) end_change("Edit");
    // Whatever came in, the editor holds notes within the limits: what was dropped or cut is
    // said once, here, and the graph the editor keeps (and saves) is the one it shows.
    NotesRead read = read_notes(g.workflow.extra);
    if (!read.warning.empty()) write_notes(g, read.notes);
    if (undoable) {
        undo_.push(std::move(graph_), label);
    } else {
        undo_.clear();
    }
    graph_ = std::move(g);
    clear_selection();
    bump(true);
    return read.warning;
}

void Editor::apply(const std::string& label, const std::function<void(Graph&)>& fn,
                   bool structural) {
    if (change_open_) end_change("Edit");
    Graph before = graph_;
    fn(graph_);
    undo_.push(std::move(before), label);
    bump(structural);
    drop_missing_selection();
}

std::string Editor::add_node(NodeType t, Vec2 at) {
    const NodeKind& kind = kind_of(t);
    Node n;
    n.id = ids_.next(graph_, "node_");
    n.type = t;
    n.node_type_raw = kind.wire;
    n.label = kind.title;
    n.position_x = std::round(at.x);
    n.position_y = std::round(at.y);
    n.config = default_config(t);
    const std::string id = n.id;
    apply(std::string("Add ") + kind.title, [&](Graph& g) { g.nodes.push_back(std::move(n)); });
    selected_nodes_ = {id};
    selected_edges_.clear();
    return id;
}

Result<std::string> Editor::connect(const std::string& from_id, int pin, const std::string& to_id) {
    const Node* from = graph_.find_node(from_id);
    if (!from) return Status::not_found("no node " + from_id);
    if (!graph_.find_node(to_id)) return Status::not_found("no node " + to_id);
    if (is_terminal(from->type)) {
        return Status::invalid(std::string(to_string(from->type)) +
                               " nodes have no outgoing edges");
    }
    const std::vector<Pin> pins = output_pins(*from);
    if (pin < 0 || pin >= static_cast<int>(pins.size())) {
        return Status::not_found("node " + from_id + " has no output pin " + std::to_string(pin));
    }
    Edge e;
    e.from_node_id = from_id;
    e.to_node_id = to_id;
    e.label = pin_edge_label(pins[static_cast<std::size_t>(pin)]);
    for (const Edge& other : graph_.edges) {
        const bool same_label = (is_unlabelled(other) && !e.label) ||
                                (e.label && !is_unlabelled(other) &&
                                 normalize_label(*other.label) == normalize_label(*e.label));
        if (other.from_node_id == from_id && other.to_node_id == to_id && same_label) {
            return Status::conflict("that edge already exists");
        }
    }
    std::int64_t position = 0;
    for (const Edge& other : graph_.edges) position = std::max(position, other.position + 1);
    e.position = position;
    e.id = ids_.next(graph_, "edge_");
    const std::string id = e.id;
    apply("Connect", [&](Graph& g) { g.edges.push_back(std::move(e)); });
    return id;
}

bool Editor::delete_selection() {
    if (selected_nodes_.empty() && selected_edges_.empty() && selected_notes_.empty()) {
        return false;
    }
    const auto nodes = selected_nodes_;
    const auto edges = selected_edges_;
    std::vector<Note> kept_notes = this->notes();
    const bool notes_changed = !selected_notes_.empty();
    kept_notes.erase(std::remove_if(kept_notes.begin(), kept_notes.end(),
                                    [&](const Note& n) { return selected_notes_.count(n.id) > 0; }),
                     kept_notes.end());
    apply("Delete", [&](Graph& g) {
        if (notes_changed) write_notes(g, kept_notes);
        g.nodes.erase(std::remove_if(g.nodes.begin(), g.nodes.end(),
                                     [&](const Node& n) { return nodes.count(n.id) > 0; }),
                      g.nodes.end());
        g.edges.erase(std::remove_if(g.edges.begin(), g.edges.end(),
                                     [&](const Edge& e) {
                                         return edges.count(e.id) > 0 ||
                                                nodes.count(e.from_node_id) > 0 ||
                                                nodes.count(e.to_node_id) > 0;
                                     }),
                      g.edges.end());
        if (g.workflow.entry_node_id && nodes.count(*g.workflow.entry_node_id)) {
            g.workflow.entry_node_id.reset();
        }
    });
    clear_selection();
    return true;
}

void Editor::move_selection(Vec2 delta) {
    if (selected_nodes_.empty()) return;
    apply(
        "Move",
        [&](Graph& g) {
            for (Node& n : g.nodes) {
                if (selected_nodes_.count(n.id)) {
                    n.position_x += delta.x;
                    n.position_y += delta.y;
                }
            }
        },
        false);
}

std::vector<Box> Editor::selected_boxes(std::vector<std::string>* ids) {
    const GraphIndex& idx = index();
    std::vector<Box> boxes;
    ids->clear();
    for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
        const Node& n = graph_.nodes[i];
        if (!selected_nodes_.count(n.id)) continue;
        const NodeShape& s = idx.shape(static_cast<int>(i));
        boxes.push_back({n.position_x, n.position_y, s.width, s.height});
        ids->push_back(n.id);
    }
    return boxes;
}

void Editor::place_nodes(const std::string& label, const std::vector<std::string>& ids,
                         const std::vector<Point>& corners) {
    apply(
        label,
        [&](Graph& g) {
            std::size_t k = 0;
            for (Node& n : g.nodes) {
                if (k < ids.size() && n.id == ids[k]) {
                    n.position_x = corners[k].x;
                    n.position_y = corners[k].y;
                    ++k;
                }
            }
        },
        false);
}

bool Editor::align_selection(AlignEdge edge) {
    std::vector<std::string> ids;
    const std::vector<Box> boxes = selected_boxes(&ids);
    if (boxes.size() < 2) return false;
    place_nodes("Align", ids, align_boxes(boxes, edge));
    return true;
}

bool Editor::distribute_selection(bool horizontal) {
    std::vector<std::string> ids;
    const std::vector<Box> boxes = selected_boxes(&ids);
    if (boxes.size() < 3) return false;
    place_nodes("Distribute", ids, distribute_boxes(boxes, horizontal));
    return true;
}

// [SECTION] Notes

const std::vector<Note>& Editor::notes() {
    if (notes_version_ != version_) {
        notes_ = read_notes(graph_.workflow.extra).notes;
        notes_version_ = version_;
    }
    return notes_;
}

void Editor::write_notes(Graph& g, const std::vector<Note>& notes) {
    Json& extra = g.workflow.extra;
    if (!extra.is_object()) extra = Json::object();
    if (notes.empty()) {
        extra.erase(kNotesKey);
    } else {
        extra[kNotesKey] = notes_to_json(notes);
    }
}

std::string Editor::add_note(Vec2 at, const std::string& text, const std::string& color) {
    std::vector<Note> all = notes();
    if (all.size() >= kMaxNotes) return "";
    Note n;
    do {
        n.id = ids_.next(graph_, "note_");
    } while (std::any_of(all.begin(), all.end(), [&](const Note& o) { return o.id == n.id; }));
    n.text = note_text_within_limit(text);
    n.x = std::round(at.x);
    n.y = std::round(at.y);
    const auto& colors = note_colors();
    n.color = std::find(colors.begin(), colors.end(), color) != colors.end() ? color : colors[0];
    const std::string id = n.id;
    all.push_back(std::move(n));
    apply(
        "Add note", [&](Graph& g) { write_notes(g, all); }, false);
    clear_selection();
    selected_notes_ = {id};
    return id;
}

bool Editor::edit_note(const std::string& id, const std::string& label,
                       const std::function<bool(Note&)>& change) {
    std::vector<Note> all = notes();
    for (Note& n : all) {
        if (n.id != id) continue;
        if (!change(n)) return false;
        apply(
            label, [&](Graph& g) { write_notes(g, all); }, false);
        return true;
    }
    return false;
}

bool Editor::set_note_text(const std::string& id, const std::string& text) {
    const std::string cut = note_text_within_limit(text);
    return edit_note(id, "Edit note", [&](Note& n) {
        if (n.text == cut) return false;
        n.text = cut;
        return true;
    });
}

bool Editor::set_note_color(const std::string& id, const std::string& color) {
    const auto& colors = note_colors();
    if (std::find(colors.begin(), colors.end(), color) == colors.end()) return false;
    return edit_note(id, "Note colour", [&](Note& n) {
        if (n.color == color) return false;
        n.color = color;
        return true;
    });
}

Rect note_rect(const Note& n) {
    return {{static_cast<float>(n.x), static_cast<float>(n.y)},
            {static_cast<float>(n.x + kNoteWidth), static_cast<float>(n.y + kNoteHeight)}};
}

int Editor::note_at(Vec2 world) {
    const std::vector<Note>& all = notes();
    for (int i = static_cast<int>(all.size()) - 1; i >= 0; --i) {
        if (note_rect(all[static_cast<std::size_t>(i)]).contains(world)) return i;
    }
    return -1;
}

void Editor::move_notes_live(const std::vector<std::pair<std::string, Vec2>>& corners) {
    if (corners.empty()) return;
    std::vector<Note> all = notes();
    for (Note& n : all) {
        for (const auto& [id, c] : corners) {
            if (n.id == id) {
                n.x = c.x;
                n.y = c.y;
            }
        }
    }
    write_notes(graph_, all);
}

std::vector<Vec2> Editor::card_sizes() {
    const GraphIndex& idx = index();
    std::vector<Vec2> sizes;
    sizes.reserve(graph_.nodes.size());
    for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
        const NodeShape& s = idx.shape(static_cast<int>(i));
        sizes.push_back({s.width, s.height});
    }
    return sizes;
}

void Editor::auto_layout() {
    const std::vector<Vec2> sizes = card_sizes();
    apply(
        "Auto-layout",
        [&](Graph& g) { web::auto_layout(g, [&](std::size_t i) { return sizes[i]; }); }, false);
}

bool Editor::arrange_if_overlapping() {
    const std::vector<Vec2> sizes = card_sizes();
    if (!cards_overlap(graph_, [&](std::size_t i) { return sizes[i]; })) return false;
    auto_layout();
    return true;
}

void Editor::begin_change() {
    if (change_open_) return;
    change_open_ = true;
    change_touched_ = false;
    change_structural_ = false;
    change_before_ = graph_;
}

void Editor::touch(bool structural) {
    change_touched_ = true;
    change_structural_ = change_structural_ || structural;
    bump(structural);
}

void Editor::end_change(const std::string& label) {
    if (!change_open_) return;
    change_open_ = false;
    if (change_touched_) undo_.push(std::move(change_before_), label);
    change_before_ = Graph{};
}

bool Editor::undo() {
    if (change_open_) end_change("Edit");
    if (!undo_.undo(graph_)) return false;
    bump(true);
    drop_missing_selection();
    return true;
}

bool Editor::redo() {
    if (change_open_) end_change("Edit");
    if (!undo_.redo(graph_)) return false;
    bump(true);
    drop_missing_selection();
    return true;
}

void Editor::clear_selection() {
    selected_nodes_.clear();
    selected_edges_.clear();
    selected_notes_.clear();
}

void Editor::select_note(const std::string& id, bool add) {
    if (!add) {
        const std::string keep = id;  // `id` may be an element of the selection cleared here
        clear_selection();
        selected_notes_.insert(keep);
    } else if (!selected_notes_.erase(id)) {
        selected_notes_.insert(id);
    }
}

void Editor::select_node(const std::string& id, bool add) {
    if (!add) {
        const std::string keep = id;  // `id` may be an element of the selection cleared here
        clear_selection();
        selected_nodes_.insert(keep);
    } else if (!selected_nodes_.erase(id)) {
        selected_nodes_.insert(id);
    }
}

void Editor::select_edge(const std::string& id, bool add) {
    if (!add) {
        const std::string keep = id;  // `id` may be an element of the selection cleared here
        clear_selection();
        selected_edges_.insert(keep);
    } else if (!selected_edges_.erase(id)) {
        selected_edges_.insert(id);
    }
}

void Editor::select_in_rect(const Rect& world, bool add) {
    if (!add) clear_selection();
    for (int i : index().nodes_in_rect(graph_, world)) {
        selected_nodes_.insert(graph_.nodes[static_cast<std::size_t>(i)].id);
    }
    for (const Note& n : notes()) {
        if (note_rect(n).overlaps(world)) selected_notes_.insert(n.id);
    }
}

void Editor::select_all() {
    clear_selection();
    for (const Node& n : graph_.nodes) selected_nodes_.insert(n.id);
}

void Editor::drop_missing_selection() {
    for (auto it = selected_nodes_.begin(); it != selected_nodes_.end();) {
        it = graph_.find_node(*it) ? std::next(it) : selected_nodes_.erase(it);
    }
    for (auto it = selected_edges_.begin(); it != selected_edges_.end();) {
        it = graph_.find_edge(*it) ? std::next(it) : selected_edges_.erase(it);
    }
    if (selected_notes_.empty()) return;
    std::set<std::string> present;
    for (const Note& n : notes()) present.insert(n.id);
    for (auto it = selected_notes_.begin(); it != selected_notes_.end();) {
        it = present.count(*it) ? std::next(it) : selected_notes_.erase(it);
    }
}

std::string Editor::copy_selection() const {
    return copy_nodes(graph_, selected_nodes_, read_notes(graph_.workflow.extra).notes,
                      selected_notes_);
}

Result<std::size_t> Editor::paste(std::string_view text, Vec2 at) {
    Graph staged = graph_;
    std::vector<std::string> notes;
    Result<std::vector<std::string>> pasted = paste_nodes(staged, text, at, ids_, &notes);
    if (!pasted.ok()) return pasted.status();
    if (pasted->empty() && notes.empty()) return std::size_t{0};
    apply("Paste", [&](Graph& g) { g = std::move(staged); });
    clear_selection();
    for (const std::string& id : *pasted) selected_nodes_.insert(id);
    for (const std::string& id : notes) selected_notes_.insert(id);
    return pasted->size() + notes.size();
}

void Editor::fit_view(const Rect& screen) {
    Rect b = index().bounds(graph_);
    bool any = !graph_.nodes.empty();
    // Notes are part of what the workflow shows: the fitted view takes them in too.
    for (const Note& n : notes()) {
        const Rect r = note_rect(n);
        if (!any) b = r;
        b.include(r.min);
        b.include(r.max);
        any = true;
    }
    camera.fit(b, screen, 40.0f * camera.pixel_ratio);
}

}  // namespace leadflow::web
