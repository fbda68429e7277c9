// Sticky notes: reading and checking the workflow's "notes" (leadflow/notes.hpp), the editor's
// note edits, and notes through share links and the wire format.
#include "leadflow/notes.hpp"

#include <gtest/gtest.h>

#include "editor.hpp"
#include "leadflow/share.hpp"
#include "leadflow/wire.hpp"
#include "share_link.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::fixture_graph;

Json note_json(const std::string& id, const std::string& text, double x = 0, double y = 0) {
    return Json{{"id", id}, {"text", text}, {"x", x}, {"y", y}, {"color", "green"}};
}

// [SECTION] read_notes / check_notes

TEST(Notes, ReadKeepsWellFormedNotesExactly) {
    const Json w = {{"notes", Json::array({note_json("n1", "Call back Fridays", 10.5, -20)})}};
    NotesRead r = read_notes(w);
    EXPECT_EQ(r.warning, "");
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_EQ(r.notes[0].id, "n1");
    EXPECT_EQ(r.notes[0].text, "Call back Fridays");
    EXPECT_EQ(r.notes[0].x, 10.5);
    EXPECT_EQ(r.notes[0].y, -20);
    EXPECT_EQ(r.notes[0].color, "green");
    EXPECT_EQ(notes_to_json(r.notes), w["notes"]);
    EXPECT_TRUE(check_notes(w["notes"]).is_ok());
}

TEST(Notes, AbsentOrNullMeansNone) {
    EXPECT_TRUE(read_notes(Json::object()).notes.empty());
    EXPECT_TRUE(read_notes(Json{{"notes", nullptr}}).notes.empty());
    EXPECT_EQ(read_notes(Json{{"notes", nullptr}}).warning, "");
    EXPECT_NE(read_notes(Json{{"notes", "text"}}).warning, "");
}

TEST(Notes, ReadIsLenientAndSaysWhatItChanged) {
    Json list = Json::array();
    list.push_back(42);                                                  // skipped
    list.push_back(Json{{"text", 7}, {"x", "far"}, {"color", "teal"}});  // repaired
    list.push_back(note_json("dup", "one"));
    list.push_back(note_json("dup", "two"));  // a repeated id gets a fresh one
    NotesRead r = read_notes(Json{{"notes", list}});
    ASSERT_EQ(r.notes.size(), 3u);
    EXPECT_EQ(r.notes[0].text, "");
    EXPECT_EQ(r.notes[0].x, 0);
    EXPECT_EQ(r.notes[0].color, "yellow");
    EXPECT_FALSE(r.notes[0].id.empty());
    EXPECT_EQ(r.notes[1].id, "dup");
    EXPECT_NE(r.notes[2].id, "dup");
    EXPECT_NE(r.notes[2].id, r.notes[0].id);
    EXPECT_NE(r.warning.find("Skipped 1 note(s)"), std::string::npos) << r.warning;
}

TEST(Notes, HostileSizesAreCutNotHung) {
    // A million notes and a megabyte of text: the reader keeps the limits and says so.
    Json list = Json::array();
    list.push_back(note_json("big", std::string(1 << 20, 'x')));
    for (int i = 0; i < 1000000; ++i) list.push_back(Json::object());
    NotesRead r = read_notes(Json{{"notes", list}});
    ASSERT_EQ(r.notes.size(), kMaxNotes);
    EXPECT_EQ(r.notes[0].text.size(), kMaxNoteTextBytes);
    EXPECT_NE(r.warning.find("Opened the first 500 of 1000001 notes"), std::string::npos)
        << r.warning;
    EXPECT_NE(r.warning.find("Cut the text of 1 note(s) to 4000 bytes"), std::string::npos)
        << r.warning;
    EXPECT_EQ(check_notes(list).message(),
              "notes: a workflow may have at most 500 notes (got 1000001)");
}

TEST(Notes, TextIsCutAtACharacterBoundary) {
    // "é" is two bytes: a cut in its middle steps back before it.
    std::string text(kMaxNoteTextBytes - 1, 'a');
    text += "\xC3\xA9";
    EXPECT_EQ(note_text_within_limit(text), std::string(kMaxNoteTextBytes - 1, 'a'));
    EXPECT_EQ(note_text_within_limit("short"), "short");
}

TEST(Notes, CheckNamesTheField) {
    auto msg = [](Json list) { return check_notes(list).message(); };
    EXPECT_EQ(msg(Json::object()), "notes: expected an array");
    EXPECT_EQ(msg(Json::array({1})), "notes[0]: expected an object");
    EXPECT_EQ(msg(Json::array({Json{{"text", "a"}, {"x", 0}, {"y", 0}}})),
              "notes[0].id: expected a non-empty string");
    EXPECT_EQ(msg(Json::array({note_json("a", std::string(kMaxNoteTextBytes + 1, 'x'))})),
              "notes[0].text: at most 4000 bytes (got 4001)");
    EXPECT_EQ(msg(Json::array({note_json("a", "x"), note_json("a", "y")})),
              "notes[1].id: 'a' is used twice");
    Json bad_color = note_json("a", "x");
    bad_color["color"] = "teal";
    EXPECT_EQ(msg(Json::array({bad_color})),
              "notes[0].color: expected one of yellow, green, blue, pink, purple");
    Json no_y = note_json("a", "x");
    no_y.erase("y");
    EXPECT_EQ(msg(Json::array({no_y})), "notes[0].y: expected a finite number");
    EXPECT_TRUE(check_notes(Json::array()).is_ok());
}

// [SECTION] Editor

TEST(EditorNotes, AddEditMoveDeleteAreUndoableSteps) {
    Editor ed;
    const std::string id = ed.add_note({10.4f, 20.6f});
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(ed.selected_notes(), std::set<std::string>{id});
    ASSERT_EQ(ed.notes().size(), 1u);
    EXPECT_EQ(ed.notes()[0].x, 10);
    EXPECT_EQ(ed.notes()[0].y, 21);
    EXPECT_EQ(ed.graph().workflow.extra["notes"][0]["id"], id);

    EXPECT_TRUE(ed.set_note_text(id, "Ask legal"));
    EXPECT_FALSE(ed.set_note_text(id, "Ask legal"));  // no change, no step
    EXPECT_TRUE(ed.set_note_color(id, "pink"));
    EXPECT_FALSE(ed.set_note_color(id, "teal"));
    EXPECT_EQ(ed.notes()[0].text, "Ask legal");

    ed.begin_change();
    ed.move_notes_live({{id, {300, 400}}});
    ed.touch(false);
    ed.end_change("Move");
    EXPECT_EQ(ed.notes()[0].x, 300);
    EXPECT_EQ(ed.note_at({310, 410}), 0);
    EXPECT_EQ(ed.note_at({290, 410}), -1);

    ed.select_note(id, false);
    ASSERT_TRUE(ed.delete_selection());
    EXPECT_TRUE(ed.notes().empty());
    EXPECT_FALSE(ed.graph().workflow.extra.contains("notes"));  // no empty list left behind

    ASSERT_TRUE(ed.undo());  // delete
    EXPECT_EQ(ed.notes().size(), 1u);
    ASSERT_TRUE(ed.undo());  // move
    EXPECT_EQ(ed.notes()[0].x, 10);
    ASSERT_TRUE(ed.undo());  // colour
    ASSERT_TRUE(ed.undo());  // text
    EXPECT_EQ(ed.notes()[0].text, "");
    ASSERT_TRUE(ed.undo());  // add
    EXPECT_TRUE(ed.notes().empty());
    EXPECT_FALSE(ed.history().can_undo());
}

TEST(EditorNotes, SelectingTheSelectedNoteByItsOwnIdKeepsIt) {
    // The id passed may be the selection's own element, which selecting alone clears first.
    Editor ed;
    const std::string id = ed.add_note({0, 0});
    ed.select_note(*ed.selected_notes().begin(), false);
    EXPECT_EQ(ed.selected_notes(), std::set<std::string>{id});
    const std::string node = ed.add_node(NodeType::kTime, {400, 0});
    ed.select_node(*ed.selected_nodes().begin(), false);
    EXPECT_EQ(ed.selected_nodes(), std::set<std::string>{node});
}

TEST(EditorNotes, FitViewTakesTheNotesIn) {
    Editor ed;
    ed.add_node(NodeType::kTime, {0, 0});
    ed.add_note({3000, 2000});
    const Rect screen{{0, 0}, {800, 600}};
    ed.fit_view(screen);
    EXPECT_TRUE(screen.contains(ed.camera.world_to_screen({0, 0})));
    EXPECT_TRUE(screen.contains(ed.camera.world_to_screen(
        {3000 + static_cast<float>(kNoteWidth), 2000 + static_cast<float>(kNoteHeight)})));
    // Notes alone are fitted too.
    Editor only_notes;
    only_notes.add_note({-5000, -5000});
    only_notes.fit_view(screen);
    EXPECT_TRUE(screen.contains(only_notes.camera.world_to_screen({-4900, -4950})));
}

TEST(EditorNotes, NotesDoNotChangeTheGraphStructure) {
    Editor ed;
    ed.load(fixture_graph("lead_nurture.json"), false);
    const std::uint64_t structure = ed.structure_version();
    ed.add_note({0, 0}, "hello");
    EXPECT_EQ(ed.structure_version(), structure);
}

TEST(EditorNotes, DeleteTakesNodesAndNotesTogether) {
    Editor ed;
    const std::string node = ed.add_node(NodeType::kTime, {0, 0});
    const std::string note = ed.add_note({500, 0});
    ed.select_in_rect(Rect{{-10, -10}, {800, 300}}, false);
    EXPECT_EQ(ed.selected_nodes().size(), 1u);
    EXPECT_EQ(ed.selected_notes().size(), 1u);
    ASSERT_TRUE(ed.delete_selection());
    EXPECT_TRUE(ed.graph().nodes.empty());
    EXPECT_TRUE(ed.notes().empty());
    ASSERT_TRUE(ed.undo());
    EXPECT_EQ(ed.graph().nodes.size(), 1u);
    EXPECT_EQ(ed.notes().size(), 1u);
    (void)node;
    (void)note;
}

TEST(EditorNotes, LoadCutsHostileNotesAndSaysSo) {
    Graph g;
    Json list = Json::array();
    for (int i = 0; i < 2000; ++i) list.push_back(note_json("n" + std::to_string(i), "t"));
    g.workflow.extra["notes"] = list;
    Editor ed;
    const std::string warning = ed.load(std::move(g), false);
    EXPECT_NE(warning.find("Opened the first 500 of 2000 notes"), std::string::npos) << warning;
    EXPECT_EQ(ed.notes().size(), kMaxNotes);
    EXPECT_EQ(ed.graph().workflow.extra["notes"].size(), kMaxNotes);
    EXPECT_TRUE(ed.add_note({0, 0}).empty());  // full
}

TEST(EditorNotes, WellFormedNotesLoadUntouched) {
    Graph g;
    // An extra member of a note this version does not know is kept while nothing edits it.
    Json n = note_json("n1", "keep me");
    n["author"] = "sam";
    g.workflow.extra["notes"] = Json::array({n});
    Editor ed;
    EXPECT_EQ(ed.load(g, false), "");
    EXPECT_EQ(ed.graph().workflow.extra["notes"][0]["author"], "sam");
}

// [SECTION] Wire format and share links

TEST(NotesTravel, ThroughTheWireFormatAsWorkflowNotes) {
    Graph g = fixture_graph("lead_nurture.json");
    g.workflow.extra["notes"] = Json::array({note_json("n1", "Fridays only", 40, 50)});
    const Json j = to_json(g);
    EXPECT_EQ(j["workflow"]["notes"][0]["text"], "Fridays only");
    Result<Graph> back = graph_from_json(j);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->workflow.extra["notes"], g.workflow.extra["notes"]);
}

TEST(NotesTravel, ThroughShareLinks) {
    Graph g = fixture_graph("lead_nurture.json");
    g.workflow.extra["notes"] = Json::array({note_json("n1", "Fridays only", 40, 50)});
    const std::string fragment = make_share_fragment(g, nullptr, LinkView{});
    Result<OpenedLink> opened = open_share_fragment(fragment);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    EXPECT_EQ(opened->graph.workflow.extra["notes"], g.workflow.extra["notes"]);
}

TEST(NotesTravel, AGraphWithoutNotesMakesTheSameLinkAsBefore) {
    // Notes add nothing to a graph that has none: the link text is the old one.
    Graph g = fixture_graph("lead_nurture.json");
    SharePayload p;
    p.graph = to_json(g);
    p.view = link_view_json(LinkView{});
    EXPECT_EQ(make_share_fragment(g, nullptr, LinkView{}), encode_share_fragment(p));
    EXPECT_FALSE(p.graph["workflow"].contains("notes"));
}

}  // namespace
}  // namespace leadflow::web
