// web/app/shortcuts_panel.cpp — the keyboard shortcuts at work: what each action does, the key
// handling that looks pressed keys up in the table (shortcuts.hpp), and Help → Keyboard
// shortcuts, which lists the same table.
#include <imgui.h>

#include "app.hpp"
#include "shortcuts.hpp"

namespace leadflow::web {
namespace {

ImGuiKey imgui_key(Key k) {
    switch (k) {
        case Key::kA:
            return ImGuiKey_A;
        case Key::kC:
            return ImGuiKey_C;
        case Key::kF:
            return ImGuiKey_F;
        case Key::kL:
            return ImGuiKey_L;
        case Key::kM:
            return ImGuiKey_M;
        case Key::kO:
            return ImGuiKey_O;
        case Key::kS:
            return ImGuiKey_S;
        case Key::kV:
            return ImGuiKey_V;
        case Key::kX:
            return ImGuiKey_X;
        case Key::kY:
            return ImGuiKey_Y;
        case Key::kZ:
            return ImGuiKey_Z;
        case Key::k0:
            return ImGuiKey_0;
        case Key::k1:
            return ImGuiKey_1;
        case Key::k2:
            return ImGuiKey_2;
        case Key::k3:
            return ImGuiKey_3;
        case Key::k4:
            return ImGuiKey_4;
        case Key::k5:
            return ImGuiKey_5;
        case Key::k6:
            return ImGuiKey_6;
        case Key::k7:
            return ImGuiKey_7;
        case Key::kH:
            return ImGuiKey_H;
        case Key::kN:
            return ImGuiKey_N;
        case Key::kEnter:
            return ImGuiKey_Enter;
        case Key::kLeft:
            return ImGuiKey_LeftArrow;
        case Key::kRight:
            return ImGuiKey_RightArrow;
        case Key::kUp:
            return ImGuiKey_UpArrow;
        case Key::kDown:
            return ImGuiKey_DownArrow;
        case Key::kDelete:
            return ImGuiKey_Delete;
        case Key::kBackspace:
            return ImGuiKey_Backspace;
        case Key::kE:
            return ImGuiKey_E;
        case Key::kR:
            return ImGuiKey_R;
    }
    return ImGuiKey_None;
}

void zoom_100(AppState& app) {
    const Rect& c = app.canvas_screen;
    app.editor.camera.set_zoom_at({(c.min.x + c.max.x) / 2, (c.min.y + c.max.y) / 2}, 1.0f);
}

void add_node(AppState& app, Action a) {
    const int i = static_cast<int>(a) - static_cast<int>(Action::kAddNode1);
    add_node_at_view_center(app, node_kinds()[static_cast<std::size_t>(i)].type);
}

void align(AppState& app, AlignEdge edge) {
    if (!app.editor.align_selection(edge)) app.notify("Select 2 or more steps to align them");
}

}  // namespace

void run_action(AppState& app, Action a) {
    Editor& ed = app.editor;
    // Every action is handled here (no default: the compiler names a missing one).
    switch (a) {
        case Action::kUndo:
            ed.undo();
            break;
        case Action::kRedo:
            ed.redo();
            break;
        case Action::kCut:
            copy_selection(app);
            ed.delete_selection();
            break;
        case Action::kCopy:
            copy_selection(app);
            break;
        case Action::kPaste:
            paste_clipboard(app);
            break;
        case Action::kSelectAll:
            ed.select_all();
            break;
        case Action::kDelete:
            ed.delete_selection();
            break;
        case Action::kFindNode:
            open_find(app);
            break;
        case Action::kImport:
            import_file(app);
            break;
        case Action::kExport:
            export_file(app);
            break;
        case Action::kFitView:
            app.request_fit = true;
            break;
        case Action::kZoom100:
            zoom_100(app);
            break;
        case Action::kAutoLayout:
            ed.auto_layout();
            app.request_fit = true;
            break;
        case Action::kToggleMinimap:
            app.show_minimap = !app.show_minimap;
            break;
        case Action::kAddNode1:
        case Action::kAddNode2:
        case Action::kAddNode3:
        case Action::kAddNode4:
        case Action::kAddNode5:
        case Action::kAddNode6:
        case Action::kAddNode7:
            add_node(app, a);
            break;
        case Action::kAddNote:
            add_note_at_mouse(app);
            break;
        case Action::kEditNote:
            edit_selected_note(app);
            break;
        case Action::kAlignLeft:
            align(app, AlignEdge::kLeft);
            break;
        case Action::kAlignRight:
            align(app, AlignEdge::kRight);
            break;
        case Action::kAlignTop:
            align(app, AlignEdge::kTop);
            break;
        case Action::kAlignBottom:
            align(app, AlignEdge::kBottom);
            break;
        case Action::kAlignCenterX:
            align(app, AlignEdge::kCenterX);
            break;
        case Action::kAlignCenterY:
            align(app, AlignEdge::kCenterY);
            break;
        case Action::kDistributeH:
        case Action::kDistributeV:
            if (!ed.distribute_selection(a == Action::kDistributeH)) {
                app.notify("Select 3 or more steps to distribute them");
            }
            break;
        case Action::kExportPng:
            request_canvas_png(app);
            break;
        case Action::kToggleResults:
            toggle_results_maximized(app);
            break;
        case Action::kCount:
            break;
    }
}

void handle_shortcuts(AppState& app) {
    ImGuiIO& io = ImGui::GetIO();
    if (!io.WantTextInput) {
        const bool ctrl = io.KeyCtrl || io.KeySuper;
        for (const Shortcut& s : shortcuts()) {
            if (!ImGui::IsKeyPressed(imgui_key(s.chord.key), false)) continue;
            if (std::optional<Action> a =
                    shortcut_action({s.chord.key, ctrl, io.KeyShift}, io.KeyAlt)) {
                run_action(app, *a);
                break;  // one action per frame
            }
        }
    }
    if (!ImGui::IsKeyDown(ImGuiKey_V)) app.pasted_text.reset();
}

void draw_shortcuts_window(AppState& app) {
    if (!app.show_shortcuts) return;
    ImGui::SetNextWindowSize({440 * app.ui_ratio(), 0}, ImGuiCond_Appearing);
    if (ImGui::Begin("Keyboard shortcuts", &app.show_shortcuts, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::TextDisabled("On the canvas (not while typing in a field):");
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV;
        if (ImGui::BeginTable("##shortcuts", 2, flags)) {
            ImGui::TableSetupColumn("Keys", ImGuiTableColumnFlags_WidthFixed,
                                    110.0f * app.ui_ratio());
            ImGui::TableSetupColumn("Action", ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableHeadersRow();
            for (const Shortcut& s : shortcuts()) {
                const std::string keys = chord_text(s.chord);
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(keys.c_str());
                app.probe("shortcuts/" + keys);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(s.description.c_str());
            }
            ImGui::EndTable();
        }
        ImGui::TextDisabled("In the Find node box: Enter jumps, Up/Down choose, Esc closes.");
        const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
        app.probes["shortcuts/window"] = {{pos.x, pos.y}, {pos.x + size.x, pos.y + size.y}};
    }
    ImGui::End();
}

}  // namespace leadflow::web
