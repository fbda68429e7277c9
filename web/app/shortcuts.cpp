// web/app/shortcuts.cpp — see shortcuts.hpp.
#include "shortcuts.hpp"

#include <string>

#include "node_kinds.hpp"

namespace leadflow::web {
namespace {

const char* key_name(Key k) {
    switch (k) {
        case Key::kA:
            return "A";
        case Key::kC:
            return "C";
        case Key::kF:
            return "F";
        case Key::kL:
            return "L";
        case Key::kM:
            return "M";
        case Key::kO:
            return "O";
        case Key::kS:
            return "S";
        case Key::kV:
            return "V";
        case Key::kX:
            return "X";
        case Key::kY:
            return "Y";
        case Key::kZ:
            return "Z";
        case Key::k0:
            return "0";
        case Key::k1:
            return "1";
        case Key::k2:
            return "2";
        case Key::k3:
            return "3";
        case Key::k4:
            return "4";
        case Key::k5:
            return "5";
        case Key::k6:
            return "6";
        case Key::k7:
            return "7";
        case Key::kH:
            return "H";
        case Key::kN:
            return "N";
        case Key::kEnter:
            return "Enter";
        case Key::kLeft:
            return "Left";
        case Key::kRight:
            return "Right";
        case Key::kUp:
            return "Up";
        case Key::kDown:
            return "Down";
        case Key::kDelete:
            return "Del";
        case Key::kBackspace:
            return "Backspace";
        case Key::kE:
            return "E";
        case Key::kR:
            return "R";
    }
    return "?";
}

std::vector<Shortcut> build() {
    const Chord ctrl_z{Key::kZ, true, false};
    std::vector<Shortcut> out = {
        {Action::kUndo, ctrl_z, "Undo"},
        {Action::kRedo, {Key::kZ, true, true}, "Redo"},
        {Action::kRedo, {Key::kY, true, false}, "Redo"},
        {Action::kCut,
         {Key::kX, true, false},
         "Cut the selected steps and notes (system clipboard, JSON)"},
        {Action::kCopy, {Key::kC, true, false}, "Copy the selected steps and notes"},
        {Action::kPaste, {Key::kV, true, false}, "Paste steps and notes"},
        {Action::kSelectAll, {Key::kA, true, false}, "Select all"},
        {Action::kDelete, {Key::kDelete, false, false}, "Delete the selection"},
        {Action::kDelete, {Key::kBackspace, false, false}, "Delete the selection"},
        {Action::kFindNode, {Key::kF, true, false}, "Find a node by label or id"},
        {Action::kImport, {Key::kO, true, false}, "Import workflow JSON"},
        {Action::kExport, {Key::kS, true, false}, "Export workflow JSON"},
        {Action::kFitView, {Key::kF, false, false}, "Fit the whole graph in view"},
        {Action::kZoom100, {Key::k0, false, false}, "Zoom to 100%"},
        {Action::kAutoLayout, {Key::kL, false, false}, "Auto-layout"},
        {Action::kToggleMinimap, {Key::kM, false, false}, "Show or hide the minimap"},
    };
    const Key digits[] = {Key::k1, Key::k2, Key::k3, Key::k4, Key::k5, Key::k6, Key::k7};
    static_assert(sizeof digits / sizeof digits[0] ==
                  static_cast<int>(Action::kAddNode7) - static_cast<int>(Action::kAddNode1) + 1);
    for (int i = 0; i < 7; ++i) {
        const NodeKind& k = node_kinds()[static_cast<std::size_t>(i)];
        out.push_back({static_cast<Action>(static_cast<int>(Action::kAddNode1) + i),
                       {digits[i], false, false},
                       std::string("Add a step at the view centre: ") + k.title});
    }
    const std::vector<Shortcut> notes_and_align = {
        {Action::kAddNote, {Key::kN, false, false}, "Add a note under the mouse"},
        {Action::kEditNote, {Key::kEnter, false, false}, "Edit the selected note's text"},
        {Action::kAlignLeft, {Key::kLeft, false, true}, "Align the selected steps' left edges"},
        {Action::kAlignRight, {Key::kRight, false, true}, "Align the selected steps' right edges"},
        {Action::kAlignTop, {Key::kUp, false, true}, "Align the selected steps' top edges"},
        {Action::kAlignBottom, {Key::kDown, false, true}, "Align the selected steps' bottom edges"},
        {Action::kAlignCenterX,
         {Key::kX, false, true},
         "Align the selected steps' centres on a vertical line"},
        {Action::kAlignCenterY,
         {Key::kY, false, true},
         "Align the selected steps' centres on a horizontal line"},
        {Action::kDistributeH,
         {Key::kH, false, true},
         "Distribute the selected steps horizontally (equal gaps)"},
        {Action::kDistributeV,
         {Key::kV, false, true},
         "Distribute the selected steps vertically (equal gaps)"},
        {Action::kExportPng,
         {Key::kE, true, true},
         "Export the canvas, with the simulation overlay, as a PNG image"},
        {Action::kToggleResults, {Key::kR, false, false}, "Maximize or restore the results panel"},
    };
    out.insert(out.end(), notes_and_align.begin(), notes_and_align.end());
    return out;
}

}  // namespace

const std::vector<Shortcut>& shortcuts() {
    static const std::vector<Shortcut> table = build();
    return table;
}

std::optional<Action> shortcut_action(const Chord& pressed, bool alt) {
    if (alt) return std::nullopt;
    for (const Shortcut& s : shortcuts()) {
        if (s.chord == pressed) return s.action;
    }
    return std::nullopt;
}

std::string chord_text(const Chord& c) {
    std::string out;
    if (c.ctrl) out += "Ctrl+";
    if (c.shift) out += "Shift+";
    return out + key_name(c.key);
}

std::string shortcut_text(Action a) {
    for (const Shortcut& s : shortcuts()) {
        if (s.action == a) return chord_text(s.chord);
    }
    return "";
}

std::string shortcuts_markdown() {
    std::string out = "| Keys | Action |\n|---|---|\n";
    std::vector<bool> done(static_cast<std::size_t>(kActionCount), false);
    for (const Shortcut& s : shortcuts()) {
        const auto a = static_cast<std::size_t>(s.action);
        if (done[a]) continue;
        done[a] = true;
        std::string keys;
        for (const Shortcut& t : shortcuts()) {
            if (t.action != s.action) continue;
            if (!keys.empty()) keys += ", ";
            keys += chord_text(t.chord);
        }
        out += "| " + keys + " | " + s.description + " |\n";
    }
    return out;
}

}  // namespace leadflow::web
