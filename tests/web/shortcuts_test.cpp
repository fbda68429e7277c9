// The keyboard shortcut table (web/app/shortcuts.hpp) that both the key handling and
// Help → Keyboard shortcuts read (docs/editor.md#keyboard-shortcuts).
#include "shortcuts.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "node_kinds.hpp"

namespace leadflow::web {
namespace {

TEST(Shortcuts, EveryChordIsDistinct) {
    std::set<std::string> seen;
    for (const Shortcut& s : shortcuts()) {
        EXPECT_TRUE(seen.insert(chord_text(s.chord)).second)
            << chord_text(s.chord) << " is bound twice";
    }
    // chord_text tells chords apart (so distinct texts are distinct chords).
    for (const Shortcut& a : shortcuts()) {
        for (const Shortcut& b : shortcuts()) {
            if (&a != &b) {
                EXPECT_FALSE(a.chord == b.chord);
            }
        }
    }
}

TEST(Shortcuts, EveryChordRunsItsOwnAction) {
    // The lookup the key handling uses finds each listed chord's action, so every row Help shows
    // is handled, and no other row shadows it.
    for (const Shortcut& s : shortcuts()) {
        const std::optional<Action> a = shortcut_action(s.chord, false);
        ASSERT_TRUE(a.has_value()) << chord_text(s.chord);
        EXPECT_EQ(*a, s.action) << chord_text(s.chord);
        EXPECT_FALSE(shortcut_action(s.chord, true).has_value()) << "Alt+" << chord_text(s.chord);
        EXPECT_FALSE(s.description.empty()) << chord_text(s.chord);
    }
}

TEST(Shortcuts, EveryActionHasAShortcut) {
    for (int i = 0; i < kActionCount; ++i) {
        EXPECT_FALSE(shortcut_text(static_cast<Action>(i)).empty()) << "action " << i;
    }
    EXPECT_EQ(node_kinds().size(), 7u);  // kAddNode1 … kAddNode7
}

TEST(Shortcuts, ModifiersMustMatchExactly) {
    EXPECT_EQ(shortcut_action({Key::kZ, true, false}, false), Action::kUndo);
    EXPECT_EQ(shortcut_action({Key::kZ, true, true}, false), Action::kRedo);
    EXPECT_EQ(shortcut_action({Key::kY, true, false}, false), Action::kRedo);
    EXPECT_EQ(shortcut_action({Key::kF, true, false}, false), Action::kFindNode);
    EXPECT_EQ(shortcut_action({Key::kF, false, false}, false), Action::kFitView);
    EXPECT_FALSE(shortcut_action({Key::kF, false, true}, false).has_value());
    EXPECT_FALSE(shortcut_action({Key::kZ, false, false}, false).has_value());
    EXPECT_FALSE(shortcut_action({Key::kS, true, true}, false).has_value());
}

TEST(Shortcuts, TextNamesModifiersAndKey) {
    EXPECT_EQ(chord_text({Key::kZ, true, true}), "Ctrl+Shift+Z");
    EXPECT_EQ(chord_text({Key::kDelete, false, false}), "Del");
    EXPECT_EQ(shortcut_text(Action::kFindNode), "Ctrl+F");
    EXPECT_EQ(shortcut_text(Action::kRedo), "Ctrl+Shift+Z");  // the first of its chords
    EXPECT_EQ(shortcut_text(Action::kAddNode1), "1");
    std::string add6, add7;
    for (const Shortcut& s : shortcuts()) {
        if (s.action == Action::kAddNode6) add6 = s.description;
        if (s.action == Action::kAddNode7) add7 = s.description;
    }
    EXPECT_NE(add6.find(node_kinds()[5].title), std::string::npos);
    EXPECT_NE(add7.find(node_kinds().back().title), std::string::npos);
}

TEST(Shortcuts, SevenAddsASplit) {
    EXPECT_EQ(shortcut_action({Key::k7, false, false}, false), Action::kAddNode7);
    EXPECT_EQ(shortcut_text(Action::kAddNode7), "7");
    const NodeKind& k = node_kinds()[6];
    EXPECT_EQ(k.type, NodeType::kSplit);
    EXPECT_STREQ(k.shortcut, "7");
    // Every palette entry's shortcut is the key of its add action.
    for (std::size_t i = 0; i < node_kinds().size(); ++i) {
        EXPECT_EQ(shortcut_text(static_cast<Action>(static_cast<int>(Action::kAddNode1) +
                                                    static_cast<int>(i))),
                  node_kinds()[i].shortcut)
            << i;
    }
}

TEST(Shortcuts, NotesAndAlignHaveTheirKeys) {
    EXPECT_EQ(shortcut_action({Key::kN, false, false}, false), Action::kAddNote);
    EXPECT_EQ(shortcut_action({Key::kEnter, false, false}, false), Action::kEditNote);
    EXPECT_EQ(shortcut_action({Key::kLeft, false, true}, false), Action::kAlignLeft);
    EXPECT_EQ(shortcut_action({Key::kDown, false, true}, false), Action::kAlignBottom);
    EXPECT_EQ(shortcut_action({Key::kX, false, true}, false), Action::kAlignCenterX);
    EXPECT_EQ(shortcut_action({Key::kH, false, true}, false), Action::kDistributeH);
    EXPECT_EQ(shortcut_action({Key::kV, false, true}, false), Action::kDistributeV);
    // Plain arrows and Ctrl+Shift+V (the browser's paste as plain text) stay free.
    EXPECT_FALSE(shortcut_action({Key::kLeft, false, false}, false).has_value());
    EXPECT_FALSE(shortcut_action({Key::kV, true, true}, false).has_value());
    EXPECT_EQ(shortcut_text(Action::kAlignCenterY), "Shift+Y");
}

TEST(Shortcuts, ExportPngAndResultsHaveTheirKeys) {
    EXPECT_EQ(shortcut_action({Key::kE, true, true}, false), Action::kExportPng);
    EXPECT_EQ(shortcut_action({Key::kR, false, false}, false), Action::kToggleResults);
    EXPECT_EQ(shortcut_text(Action::kExportPng), "Ctrl+Shift+E");
}

TEST(Shortcuts, MarkdownHasOneRowPerAction) {
    const std::string md = shortcuts_markdown();
    EXPECT_EQ(md.rfind("| Keys | Action |\n|---|---|\n| Ctrl+Z | Undo |\n", 0), 0u) << md;
    EXPECT_NE(md.find("| Ctrl+Shift+Z, Ctrl+Y | Redo |\n"), std::string::npos);
    EXPECT_NE(md.find("| Del, Backspace | Delete the selection |\n"), std::string::npos);
    std::size_t rows = 0;
    for (char c : md) rows += c == '\n';
    EXPECT_EQ(rows, 2u + static_cast<std::size_t>(kActionCount));
}

// docs/editor.md's shortcut table is the code's table: the text between its markers must be
// exactly shortcuts_markdown() (on failure, paste the printed table there).
TEST(Shortcuts, DocumentedTableMatchesTheCode) {
    std::ifstream in(std::string(LEADFLOW_SOURCE_DIR) + "/docs/editor.md", std::ios::binary);
    ASSERT_TRUE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string doc = ss.str();
    const std::string begin = "<!-- shortcuts table: generated from web/app/shortcuts.cpp -->\n";
    const std::string end = "<!-- end of shortcuts table -->";
    const std::size_t a = doc.find(begin);
    ASSERT_NE(a, std::string::npos) << "marker missing: " << begin;
    const std::size_t b = doc.find(end, a);
    ASSERT_NE(b, std::string::npos) << "marker missing: " << end;
    EXPECT_EQ(doc.substr(a + begin.size(), b - a - begin.size()), shortcuts_markdown())
        << "docs/editor.md's shortcut table differs from the code; it should read:\n"
        << shortcuts_markdown();
}

}  // namespace
}  // namespace leadflow::web
