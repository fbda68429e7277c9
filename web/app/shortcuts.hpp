// web/app/shortcuts.hpp — the editor's keyboard shortcuts: one table of actions and the keys
// that run them. The key handling (shortcuts_panel.cpp) looks pressed keys up in it, and the
// menus and Help → Keyboard shortcuts show it, so what the editor does and what it says it does
// cannot drift apart. Pure and ImGui-free (tests/web checks the table).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace leadflow::web {

// Everything a shortcut can do. kCount is the number of actions, not an action.
enum class Action {
    kUndo,
    kRedo,
    kCut,
    kCopy,
    kPaste,
    kSelectAll,
    kDelete,
    kFindNode,
    kImport,
    kExport,
    kFitView,
    kZoom100,
    kAutoLayout,
    kToggleMinimap,
    kAddNode1,  // node_kinds()[0] … [6], in palette order
    kAddNode2,
    kAddNode3,
    kAddNode4,
    kAddNode5,
    kAddNode6,
    kAddNode7,
    kAddNote,   // a sticky note under the mouse (the view centre when the mouse is elsewhere)
    kEditNote,  // edit the text of the one selected note
    kAlignLeft,
    kAlignRight,
    kAlignTop,
    kAlignBottom,
    kAlignCenterX,  // centres on one vertical line
    kAlignCenterY,  // centres on one horizontal line
    kDistributeH,
    kDistributeV,
    kExportPng,      // the canvas, with the simulation overlay, as a PNG download
    kToggleResults,  // maximize the results panel, or restore it
    kCount,
};
constexpr int kActionCount = static_cast<int>(Action::kCount);

// The keys shortcuts use (the UI maps them to ImGui's keys).
enum class Key {
    kA,
    kC,
    kF,
    kL,
    kM,
    kO,
    kS,
    kV,
    kX,
    kY,
    kZ,
    k0,
    k1,
    k2,
    k3,
    k4,
    k5,
    k6,
    k7,
    kH,
    kN,
    kEnter,
    kLeft,
    kRight,
    kUp,
    kDown,
    kDelete,
    kBackspace,
    kE,
    kR
};

// A key with the modifiers held. `ctrl` is Ctrl, or Cmd on a Mac.
struct Chord {
    Key key = Key::kA;
    bool ctrl = false;
    bool shift = false;
    bool operator==(const Chord& o) const {
        return key == o.key && ctrl == o.ctrl && shift == o.shift;
    }
};

struct Shortcut {
    Action action;
    Chord chord;
    std::string description;  // "Undo", "Add a Voice call step", …
};

// Every shortcut, in the order Help lists them. An action may have more than one chord (the
// first is the one menus show); no chord appears twice.
const std::vector<Shortcut>& shortcuts();

// The action a key press runs: the shortcut whose chord is exactly `pressed` (modifiers
// included); none while Alt is held.
std::optional<Action> shortcut_action(const Chord& pressed, bool alt);

// How a chord is written: "Ctrl+Shift+Z", "Del", "1".
std::string chord_text(const Chord& c);
// The first chord of `a` as chord_text writes it ("" when it has none), for menu hints.
std::string shortcut_text(Action a);

// The table as docs/editor.md shows it (Markdown): a header row, then one row per action in
// table order, its chords joined by ", " and its first description. tests/web checks that the
// document's table is exactly this text, so the document cannot drift from the code.
std::string shortcuts_markdown();

}  // namespace leadflow::web
