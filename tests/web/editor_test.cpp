// Editor edits, selection, undo/redo, copy/paste, hit testing and auto-layout.
#include "editor.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "layout.hpp"
#include "leadflow/validate.hpp"
#include "leadflow/wire.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::fixture_graph;
using testing::make_edge;
using testing::make_node;

// [SECTION] Edits and undo

TEST(Editor, AddNodeUsesTypeDefaultsAndSelectsIt) {
    Editor ed;
    const std::string id = ed.add_node(NodeType::kTime, {100.4f, 50.6f});
    ASSERT_EQ(ed.graph().nodes.size(), 1u);
    const Node& n = ed.graph().nodes[0];
    EXPECT_EQ(n.id, id);
    EXPECT_EQ(id.rfind("node_", 0), 0u);
    EXPECT_EQ(n.node_type_raw, "TIME");
    EXPECT_EQ(n.position_x, 100);
    EXPECT_EQ(n.position_y, 51);
    EXPECT_EQ(n.config["duration_unit"], "days");
    EXPECT_EQ(ed.selected_nodes(), std::set<std::string>{id});
}

TEST(Editor, UndoRedoEveryEdit) {
    Editor ed;
    const std::string a = ed.add_node(NodeType::kVoiceCall, {0, 0});
    const std::string b = ed.add_node(NodeType::kConverted, {300, 0});
    ASSERT_TRUE(ed.connect(a, 0, b).ok());
    ASSERT_EQ(ed.graph().edges.size(), 1u);
    EXPECT_EQ(*ed.graph().edges[0].label, "COMPLETED");

    ed.select_node(b, false);
    ASSERT_TRUE(ed.delete_selection());
    EXPECT_EQ(ed.graph().nodes.size(), 1u);
    EXPECT_TRUE(ed.graph().edges.empty());  // the edge into b went with it

    ASSERT_TRUE(ed.undo());
    EXPECT_EQ(ed.graph().nodes.size(), 2u);
    EXPECT_EQ(ed.graph().edges.size(), 1u);
    ASSERT_TRUE(ed.undo());
    EXPECT_TRUE(ed.graph().edges.empty());
    ASSERT_TRUE(ed.redo());
    EXPECT_EQ(ed.graph().edges.size(), 1u);
    ASSERT_TRUE(ed.undo());
    ASSERT_TRUE(ed.undo());
    ASSERT_TRUE(ed.undo());
    EXPECT_TRUE(ed.graph().nodes.empty());
    EXPECT_FALSE(ed.undo());
    EXPECT_TRUE(ed.redo());
    EXPECT_EQ(ed.graph().nodes.size(), 1u);
}

TEST(Editor, NewEditClearsRedo) {
    Editor ed;
    ed.add_node(NodeType::kTime, {0, 0});
    ed.undo();
    EXPECT_TRUE(ed.history().can_redo());
    ed.add_node(NodeType::kDropped, {0, 0});
    EXPECT_FALSE(ed.history().can_redo());
}

TEST(Editor, ConnectRejectsBadEdges) {
    Editor ed;
    const std::string call = ed.add_node(NodeType::kVoiceCall, {0, 0});
    const std::string done = ed.add_node(NodeType::kConverted, {300, 0});
    EXPECT_EQ(ed.connect(done, 0, call).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(ed.connect(call, 42, done).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(ed.connect("node_nope", 0, done).status().code(), StatusCode::kNotFound);
    ASSERT_TRUE(ed.connect(call, 6, done).ok());  // default pin → unlabelled edge
    EXPECT_FALSE(ed.graph().edges[0].label.has_value());
    EXPECT_EQ(ed.connect(call, 6, done).status().code(), StatusCode::kConflict);
    EXPECT_EQ(ed.graph().edges.size(), 1u);
}

TEST(Editor, ConnectAppendsInEdgeOrder) {
    Editor ed;
    const std::string call = ed.add_node(NodeType::kVoiceCall, {0, 0});
    const std::string a = ed.add_node(NodeType::kConverted, {300, 0});
    const std::string b = ed.add_node(NodeType::kDropped, {300, 200});
    ASSERT_TRUE(ed.connect(call, 0, a).ok());
    ASSERT_TRUE(ed.connect(call, 5, b).ok());
    EXPECT_LT(ed.graph().edges[0].position, ed.graph().edges[1].position);
}

TEST(Editor, DeletingTheEntryNodeClearsIt) {
    Graph g;
    g.nodes.push_back(make_node("n1", NodeType::kTime));
    g.workflow.entry_node_id = "n1";
    Editor ed;
    ed.load(g, false);
    ed.select_node("n1", false);
    ed.delete_selection();
    EXPECT_FALSE(ed.graph().workflow.entry_node_id.has_value());
    ed.undo();
    EXPECT_EQ(*ed.graph().workflow.entry_node_id, "n1");
}

TEST(Editor, ContinuousChangeIsOneUndoStep) {
    Editor ed;
    const std::string id = ed.add_node(NodeType::kTime, {0, 0});
    const auto depth = ed.history().undo_depth();
    const auto structure = ed.structure_version();
    ed.begin_change();
    for (int i = 0; i < 10; ++i) {
        ed.live_graph().nodes[0].position_x += 5;
        ed.touch(false);
    }
    ed.end_change("Move");
    EXPECT_EQ(ed.graph().nodes[0].position_x, 50);
    EXPECT_EQ(ed.history().undo_depth(), depth + 1);
    EXPECT_EQ(ed.structure_version(), structure);  // moves don't invalidate validation
    ed.undo();
    EXPECT_EQ(ed.graph().nodes[0].position_x, 0);
    (void)id;
}

TEST(Editor, ChangeWithoutTouchAddsNoStep) {
    Editor ed;
    ed.add_node(NodeType::kTime, {0, 0});
    const auto depth = ed.history().undo_depth();
    ed.begin_change();
    ed.end_change("Nothing");
    EXPECT_EQ(ed.history().undo_depth(), depth);
}

TEST(Editor, MoveSelectionMovesOnlySelected) {
    Editor ed;
    const std::string a = ed.add_node(NodeType::kTime, {0, 0});
    const std::string b = ed.add_node(NodeType::kTime, {0, 100});
    ed.select_node(a, false);
    ed.move_selection({10, 20});
    EXPECT_EQ(ed.graph().find_node(a)->position_x, 10);
    EXPECT_EQ(ed.graph().find_node(a)->position_y, 20);
    EXPECT_EQ(ed.graph().find_node(b)->position_y, 100);
}

TEST(Editor, LoadNotUndoableClearsHistory) {
    Editor ed;
    ed.add_node(NodeType::kTime, {0, 0});
    ed.load(fixture_graph("lead_nurture.json"), false);
    EXPECT_FALSE(ed.history().can_undo());
    ed.load(fixture_graph("conditional_followup.json"), true, "Import");
    EXPECT_EQ(ed.history().undo_label(), "Import");
    ed.undo();
    EXPECT_EQ(ed.graph().workflow.title, "Lead nurture");
}

// [SECTION] Selection

TEST(Selection, ShiftClickTogglesAndBoxSelects) {
    Editor ed;
    const std::string a = ed.add_node(NodeType::kTime, {0, 0});
    const std::string b = ed.add_node(NodeType::kTime, {500, 0});
    const std::string c = ed.add_node(NodeType::kTime, {1000, 0});
    ed.select_node(a, false);
    ed.select_node(b, true);
    EXPECT_EQ(ed.selected_nodes().size(), 2u);
    ed.select_node(a, true);
    EXPECT_EQ(ed.selected_nodes(), std::set<std::string>{b});
    ed.select_in_rect({{-10, -10}, {600, 30}}, false);
    EXPECT_EQ(ed.selected_nodes(), (std::set<std::string>{a, b}));
    ed.select_in_rect({{1005, 5}, {1006, 6}}, true);
    EXPECT_EQ(ed.selected_nodes(), (std::set<std::string>{a, b, c}));
}

TEST(Selection, UndoDropsSelectionOfVanishedNodes) {
    Editor ed;
    const std::string a = ed.add_node(NodeType::kTime, {0, 0});
    ed.undo();
    EXPECT_FALSE(ed.is_selected_node(a));
}

// [SECTION] Clipboard

TEST(Clipboard, CopyKeepsOnlyEdgesInsideTheSelection) {
    Editor ed;
    ed.load(fixture_graph("lead_nurture.json"), false);
    ed.select_node("node_call1", false);
    ed.select_node("node_wait1", true);
    const Json doc = Json::parse(ed.copy_selection());
    EXPECT_EQ(doc["nodes"].size(), 2u);
    for (const Json& e : doc["edges"]) {
        EXPECT_TRUE(e["from_node_id"] == "node_call1" || e["from_node_id"] == "node_wait1");
        EXPECT_TRUE(e["to_node_id"] == "node_call1" || e["to_node_id"] == "node_wait1");
    }
    EXPECT_EQ(doc["edges"].size(), 1u);  // call1 --DNP--> wait1
}

TEST(Clipboard, PasteMakesNewIdsAndRewiresEdges) {
    Editor ed;
    ed.load(fixture_graph("lead_nurture.json"), false);
    const std::size_t nodes = ed.graph().nodes.size(), edges = ed.graph().edges.size();
    ed.select_node("node_call1", false);
    ed.select_node("node_wait1", true);
    const std::string text = ed.copy_selection();
    Result<std::size_t> pasted = ed.paste(text, {1000, 1000});
    ASSERT_TRUE(pasted.ok()) << pasted.status().message();
    EXPECT_EQ(*pasted, 2u);
    ASSERT_EQ(ed.graph().nodes.size(), nodes + 2);
    ASSERT_EQ(ed.graph().edges.size(), edges + 1);
    const Edge& e = ed.graph().edges.back();
    EXPECT_TRUE(ed.is_selected_node(e.from_node_id));
    EXPECT_TRUE(ed.is_selected_node(e.to_node_id));
    EXPECT_NE(e.from_node_id, "node_call1");
    EXPECT_EQ(*e.label, "DNP");
    // The pasted fragment's top-left lands at the paste point, relative layout kept.
    double min_x = 1e9, min_y = 1e9;
    for (const std::string& id : ed.selected_nodes()) {
        min_x = std::min(min_x, ed.graph().find_node(id)->position_x);
        min_y = std::min(min_y, ed.graph().find_node(id)->position_y);
    }
    EXPECT_EQ(min_x, 1000);
    EXPECT_EQ(min_y, 1000);
    ed.undo();
    EXPECT_EQ(ed.graph().nodes.size(), nodes);
    EXPECT_EQ(ed.graph().edges.size(), edges);
}

// Notes take part in copy and paste like steps (docs/editor.md#notes): the selected ones go
// into the fragment and come back with new ids, their place relative to the steps kept.
TEST(Clipboard, SelectedNotesAreCopiedAndPastedWithTheSteps) {
    Editor ed;
    ed.load(fixture_graph("lead_nurture.json"), false);
    const std::string note = ed.add_note({-300, -200}, "Call back on Fridays", "blue");
    ed.add_note({5000, 5000}, "Not selected");
    ed.select_node("node_call1", false);
    ed.select_note(note, true);
    const Json doc = Json::parse(ed.copy_selection());
    ASSERT_EQ(doc["nodes"].size(), 1u);
    ASSERT_EQ(doc["notes"].size(), 1u);
    EXPECT_EQ(doc["notes"][0]["id"], note);
    EXPECT_EQ(doc["notes"][0]["text"], "Call back on Fridays");
    EXPECT_EQ(doc["notes"][0]["color"], "blue");

    const Node before_node = *ed.graph().find_node("node_call1");
    Result<std::size_t> pasted = ed.paste(doc.dump(), {2000, 2000});
    ASSERT_TRUE(pasted.ok()) << pasted.status().message();
    EXPECT_EQ(*pasted, 2u);  // one step, one note
    ASSERT_EQ(ed.notes().size(), 3u);
    const Note copy = ed.notes().back();
    EXPECT_NE(copy.id, note);
    EXPECT_EQ(copy.text, "Call back on Fridays");
    EXPECT_EQ(copy.color, "blue");
    EXPECT_EQ(ed.selected_notes(), std::set<std::string>{copy.id});
    ASSERT_EQ(ed.selected_nodes().size(), 1u);
    const Node& new_node = *ed.graph().find_node(*ed.selected_nodes().begin());
    // The note was the top-left of the fragment: it lands on the paste point, the step keeps
    // its offset from it.
    EXPECT_EQ(copy.x, 2000);
    EXPECT_EQ(copy.y, 2000);
    EXPECT_EQ(new_node.position_x - copy.x, before_node.position_x - (-300));
    EXPECT_EQ(new_node.position_y - copy.y, before_node.position_y - (-200));
    // One undo step takes both back.
    ed.undo();
    EXPECT_EQ(ed.notes().size(), 2u);
    EXPECT_EQ(ed.graph().nodes.size(), fixture_graph("lead_nurture.json").nodes.size());
}

TEST(Clipboard, NotesAloneAreCopiedAndPasted) {
    Editor ed;
    const std::string note = ed.add_note({10, 20}, "Alone");
    ed.select_note(note, false);
    const std::string text = ed.copy_selection();
    EXPECT_EQ(Json::parse(text)["nodes"].size(), 0u);
    Result<std::size_t> pasted = ed.paste(text, {100, 100});
    ASSERT_TRUE(pasted.ok()) << pasted.status().message();
    EXPECT_EQ(*pasted, 1u);
    ASSERT_EQ(ed.notes().size(), 2u);
    EXPECT_EQ(ed.notes()[1].text, "Alone");
    EXPECT_EQ(ed.notes()[1].x, 100);
    // Pasting twice makes two more notes, each with an id of its own.
    ASSERT_TRUE(ed.paste(text, {300, 300}).ok());
    ASSERT_EQ(ed.notes().size(), 3u);
    EXPECT_NE(ed.notes()[1].id, ed.notes()[2].id);
    EXPECT_NE(ed.notes()[0].id, ed.notes()[2].id);
}

TEST(Clipboard, PastedNotesStopAtTheLimitAndAreReadLeniently) {
    Editor ed;
    Graph g;
    Json notes = Json::array();
    for (std::size_t i = 0; i < kMaxNotes - 1; ++i) {
        notes.push_back(Json{{"id", "n" + std::to_string(i)}, {"text", ""}, {"x", 0}, {"y", 0}});
    }
    g.workflow.extra = Json{{"notes", notes}};
    ed.load(std::move(g), false);
    ASSERT_EQ(ed.notes().size(), kMaxNotes - 1);
    // Two notes, one of them with a colour nobody knows and a text too long: one fits.
    const std::string big(kMaxNoteTextBytes + 10, 'x');
    const Json fragment = {
        {"leadflow_clipboard", 1},
        {"nodes", Json::array()},
        {"notes",
         Json::array({Json{{"id", "a"}, {"text", big}, {"x", 0}, {"y", 0}, {"color", "plaid"}},
                      Json{{"id", "b"}, {"text", "b"}, {"x", 9}, {"y", 9}}})}};
    Result<std::size_t> pasted = ed.paste(fragment.dump(), {0, 0});
    ASSERT_TRUE(pasted.ok()) << pasted.status().message();
    EXPECT_EQ(*pasted, 1u);
    ASSERT_EQ(ed.notes().size(), kMaxNotes);
    EXPECT_EQ(ed.notes().back().text.size(), kMaxNoteTextBytes);
    EXPECT_EQ(ed.notes().back().color, "yellow");
    // Full: nothing more is pasted, and nothing changes.
    const auto version = ed.version();
    pasted = ed.paste(fragment.dump(), {0, 0});
    ASSERT_TRUE(pasted.ok());
    EXPECT_EQ(*pasted, 0u);
    EXPECT_EQ(ed.version(), version);
}

// A whole graph document pasted brings its steps, not its notes (they belong to its workflow).
TEST(Clipboard, AWholeGraphDocumentPastesNoNotes) {
    Editor ed;
    const std::string doc =
        R"({"workflow": {"id": "w", "notes": [{"id": "n", "text": "t", "x": 0, "y": 0}]},
        "nodes": [{"id": "x", "node_type": "TIME", "position_x": 0, "position_y": 0}], "edges": []})";
    Result<std::size_t> pasted = ed.paste(doc, {0, 0});
    ASSERT_TRUE(pasted.ok()) << pasted.status().message();
    EXPECT_EQ(*pasted, 1u);
    EXPECT_TRUE(ed.notes().empty());
}

TEST(Clipboard, BadTextIsAClearErrorAndChangesNothing) {
    Editor ed;
    ed.add_node(NodeType::kTime, {0, 0});
    const auto version = ed.version();
    Result<std::size_t> r = ed.paste("not json", {0, 0});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("clipboard"), std::string::npos);
    r = ed.paste("{\"foo\": 1}", {0, 0});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("nodes"), std::string::npos);
    r = ed.paste(R"({"nodes": [{"id": "x", "node_type": "TIME", "position_x": "left"}]})", {0, 0});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("position_x"), std::string::npos);
    EXPECT_EQ(ed.version(), version);
    EXPECT_EQ(ed.graph().nodes.size(), 1u);
}

TEST(Clipboard, IdsNeverCollide) {
    Graph g;
    IdGenerator a(7), b(7);
    const std::string first = a.next(g, "node_");
    g.nodes.push_back(make_node(first, NodeType::kTime));
    EXPECT_NE(b.next(g, "node_"), first);  // same sequence, but the taken id is skipped
}

// [SECTION] Hit testing

TEST(HitTest, PinsNodesAndEdges) {
    Graph g;
    g.nodes.push_back(make_node("call", NodeType::kVoiceCall, 0, 0));
    g.nodes.push_back(make_node("done", NodeType::kConverted, 400, 0));
    g.edges.push_back(make_edge("e1", "call", "done", "COMPLETED"));
    GraphIndex idx;
    idx.build(g);
    const Vec2 pin0 = idx.output_pin_world(g, 0, 0);
    Hit h = idx.hit_test(g, pin0, 2.0f);
    EXPECT_EQ(h.kind, Hit::kOutputPin);
    EXPECT_EQ(h.node, 0);
    EXPECT_EQ(h.pin, 0);
    h = idx.hit_test(g, idx.output_pin_world(g, 0, 5), 2.0f);
    EXPECT_EQ(h.pin, 5);
    h = idx.hit_test(g, {50, 10}, 2.0f);
    EXPECT_EQ(h.kind, Hit::kNode);
    EXPECT_EQ(h.node, 0);
    h = idx.hit_test(g, idx.input_pin_world(g, 1), 2.0f);
    EXPECT_EQ(h.kind, Hit::kInputPin);
    EXPECT_EQ(h.node, 1);
    // Edges are hit along their routed path (edge_routing.hpp).
    const std::vector<Vec2>& route = idx.routes(g).points(0);
    ASSERT_GE(route.size(), 2u);
    h = idx.hit_test(g, polyline_midpoint(route), 2.0f);
    EXPECT_EQ(h.kind, Hit::kEdge);
    EXPECT_EQ(h.edge, 0);
    h = idx.hit_test(g, {-500, -500}, 2.0f);
    EXPECT_EQ(h.kind, Hit::kNone);
}

TEST(HitTest, TopmostNodeWins) {
    Graph g;
    g.nodes.push_back(make_node("under", NodeType::kTime, 0, 0));
    g.nodes.push_back(make_node("over", NodeType::kTime, 20, 10));
    GraphIndex idx;
    idx.build(g);
    EXPECT_EQ(idx.hit_test(g, {60, 30}, 1.0f).node, 1);
}

TEST(HitTest, DanglingEdgeHasNoCurve) {
    Graph g;
    g.nodes.push_back(make_node("a", NodeType::kTime));
    g.edges.push_back(make_edge("e", "a", "missing"));
    GraphIndex idx;
    idx.build(g);
    Curve c;
    EXPECT_FALSE(idx.edge_curve_world(g, 0, &c));
    EXPECT_EQ(idx.edge_ends(0).to, -1);
}

// [SECTION] Auto-layout

bool any_overlap(const Graph& g, const GraphIndex& idx) {
    for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i)
        for (int j = i + 1; j < static_cast<int>(g.nodes.size()); ++j)
            if (idx.node_rect(g, i).overlaps(idx.node_rect(g, j))) return true;
    return false;
}

TEST(AutoLayout, ReferenceWorkflowsFlowLeftToRightWithoutOverlap) {
    for (const char* name : testing::kReferenceFixtures) {
        Editor ed;
        Graph g = fixture_graph(name);
        for (Node& n : g.nodes) n.position_x = n.position_y = 0;  // everything stacked
        ed.load(g, false);
        ed.auto_layout();
        const GraphIndex& idx = ed.index();
        EXPECT_FALSE(any_overlap(ed.graph(), idx)) << name;
        // The reference workflows are acyclic: every edge points right.
        for (const Edge& e : ed.graph().edges) {
            EXPECT_LT(ed.graph().find_node(e.from_node_id)->position_x,
                      ed.graph().find_node(e.to_node_id)->position_x)
                << name << " " << e.id;
        }
        ed.undo();
        EXPECT_EQ(ed.graph().nodes[1].position_x, 0) << "layout is one undo step";
    }
}

TEST(AutoLayout, CyclesAndDanglingEdgesTerminate) {
    Graph g;
    for (int i = 0; i < 4; ++i)
        g.nodes.push_back(make_node("n" + std::to_string(i), NodeType::kTime));
    g.edges.push_back(make_edge("e0", "n0", "n1"));
    g.edges.push_back(make_edge("e1", "n1", "n2"));
    g.edges.push_back(make_edge("e2", "n2", "n0"));  // cycle
    g.edges.push_back(make_edge("e3", "n2", "ghost"));
    g.edges.push_back(make_edge("e4", "n3", "n3"));  // self loop
    GraphIndex idx;
    idx.build(g);
    auto_layout(g, [&](std::size_t i) {
        return Vec2{idx.shape(static_cast<int>(i)).width, idx.shape(static_cast<int>(i)).height};
    });
    EXPECT_FALSE(any_overlap(g, idx));
    EXPECT_LT(g.nodes[0].position_x, g.nodes[1].position_x);
    EXPECT_LT(g.nodes[1].position_x, g.nodes[2].position_x);
}

TEST(AutoLayout, IsDeterministic) {
    Graph a = fixture_graph("lead_nurture.json"), b = a;
    auto size = [](std::size_t) { return Vec2{200, 100}; };
    auto_layout(a, size);
    auto_layout(b, size);
    EXPECT_EQ(to_json(a).dump(), to_json(b).dump());
}

// [SECTION] Round trip through the editor

// [SECTION] Fit view of the largest graphs

// Every node's card lies inside `screen` after fit view; returns how many do not.
int nodes_outside(Editor& ed, const Rect& screen) {
    int outside = 0;
    for (int i = 0; i < static_cast<int>(ed.graph().nodes.size()); ++i) {
        const Rect w = ed.index().node_rect(ed.graph(), i);
        const Vec2 a = ed.camera.world_to_screen(w.min), b = ed.camera.world_to_screen(w.max);
        if (!screen.contains(a) || !screen.contains(b)) ++outside;
    }
    return outside;
}

TEST(FitView, ShowsEveryNodeOfA10kNodeLayout) {
    // A chain of 10,000 steps: auto-layout gives it one layer per node, the widest layout there
    // is (millions of world units). Zoom used to stop at 2%, which left most of it off screen.
    Graph g;
    for (int i = 0; i < 10000; ++i) {
        g.nodes.push_back(
            make_node("n" + std::to_string(i), i % 2 ? NodeType::kTime : NodeType::kVoiceCall));
        if (i > 0) {
            g.edges.push_back(make_edge("e" + std::to_string(i), "n" + std::to_string(i - 1),
                                        "n" + std::to_string(i)));
        }
    }
    Editor ed;
    ed.load(std::move(g), false);
    ed.auto_layout();
    const Rect screen{{190, 30}, {940, 620}};  // the canvas of a 1280×800 page
    for (float pixel_ratio : {1.0f, 2.0f}) {
        ed.camera.pixel_ratio = pixel_ratio;
        const Rect device{screen.min * pixel_ratio, screen.max * pixel_ratio};
        ed.fit_view(device);
        EXPECT_LT(ed.camera.zoom, 0.02f);
        EXPECT_GE(ed.camera.zoom, Camera::kMinZoom);
        EXPECT_EQ(nodes_outside(ed, device), 0) << "zoom " << ed.camera.zoom;
        // Centred: the first and last cards sit symmetrically left and right.
        const Rect first = ed.index().node_rect(ed.graph(), 0);
        const Rect last = ed.index().node_rect(ed.graph(), 9999);
        const float left = ed.camera.world_to_screen(first.min).x - device.min.x;
        const float right = device.max.x - ed.camera.world_to_screen(last.max).x;
        EXPECT_NEAR(left, right, 1.0f);
    }
}

TEST(FitView, ShowsEveryNodeOfA10kNodeGrid) {
    // The bench's synthetic graph: 1,000 rows of 10 cards, 300 × 220 world units apart.
    Graph g;
    for (int i = 0; i < 10000; ++i) {
        g.nodes.push_back(make_node("n" + std::to_string(i), NodeType::kTime, (i % 10) * 300.0,
                                    (i / 10) * 220.0));
    }
    Editor ed;
    ed.load(std::move(g), false);
    const Rect screen{{190, 30}, {940, 620}};
    ed.fit_view(screen);
    EXPECT_LT(ed.camera.zoom, 0.02f);
    EXPECT_EQ(nodes_outside(ed, screen), 0) << "zoom " << ed.camera.zoom;
}

TEST(Editor, EditedGraphExportsAndValidates) {
    Editor ed;
    const std::string call = ed.add_node(NodeType::kVoiceCall, {0, 0});
    const std::string done = ed.add_node(NodeType::kConverted, {300, 0});
    ASSERT_TRUE(ed.connect(call, 0, done).ok());
    const std::string text = to_json(ed.graph()).dump();
    Result<Graph> back = parse_graph(text);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->nodes.size(), 2u);
    EXPECT_EQ(to_json(*back).dump(), text);
    // The new call node has no agent yet: validation says so.
    bool missing_agent = false;
    for (const Diagnostic& d : validate(ed.graph()))
        missing_agent |= d.code == "VOICE_CALL_MISSING_AGENT";
    EXPECT_TRUE(missing_agent);
}

}  // namespace
}  // namespace leadflow::web
