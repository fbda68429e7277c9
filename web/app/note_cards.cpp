// web/app/note_cards.cpp — sticky notes on the canvas: drawing them, editing their text in place,
// and the canvas's right-click menu that adds, edits, colours and deletes them. The notes
// themselves are data of the workflow (leadflow/notes.hpp) edited through the Editor, so every
// change is an undo step and travels with the graph.
#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

#include "app.hpp"

namespace leadflow::web {
namespace {

constexpr ImU32 kNoteText = IM_COL32(36, 34, 30, 255);
constexpr ImU32 kNoteSelect = IM_COL32(90, 190, 255, 255);

ImVec2 im(Vec2 v) {
    return {v.x, v.y};
}

const Note* find_note(Editor& ed, const std::string& id) {
    for (const Note& n : ed.notes()) {
        if (n.id == id) return &n;
    }
    return nullptr;
}

Rect note_screen_rect(const Editor& ed, const Note& n) {
    const Rect w = note_rect(n);
    return {ed.camera.world_to_screen(w.min), ed.camera.world_to_screen(w.max)};
}

void close_editor(AppState& app) {
    app.note_edit = NoteEditUi{};
}

}  // namespace

ImU32 note_fill(const std::string& color) {
    if (color == "green") return IM_COL32(168, 222, 150, 240);
    if (color == "blue") return IM_COL32(156, 204, 246, 240);
    if (color == "pink") return IM_COL32(246, 176, 204, 240);
    if (color == "purple") return IM_COL32(204, 182, 242, 240);
    return IM_COL32(250, 226, 124, 240);  // yellow, the default
}

void draw_notes(AppState& app, ImDrawList* dl, bool simple) {
    Editor& ed = app.editor;
    const float s = ed.camera.scale();
    const float text_px = kCanvasTextSize * s;
    ImFont* font = app.fonts.for_size(text_px);
    for (const Note& n : ed.notes()) {
        const Rect r = note_screen_rect(ed, n);
        if (!r.overlaps(app.canvas_screen)) continue;
        const bool selected = ed.is_selected_note(n.id);
        if (simple) {
            dl->AddRectFilled(im(r.min), im(r.max), selected ? kNoteSelect : note_fill(n.color));
            continue;
        }
        const float rounding = 3.0f * s;
        dl->AddRectFilled({r.min.x + 3 * s, r.min.y + 3 * s}, {r.max.x + 3 * s, r.max.y + 3 * s},
                          IM_COL32(0, 0, 0, 60), rounding);
        dl->AddRectFilled(im(r.min), im(r.max), note_fill(n.color), rounding);
        if (selected) {
            dl->AddRect({r.min.x - 2, r.min.y - 2}, {r.max.x + 2, r.max.y + 2}, kNoteSelect,
                        rounding, 0, 2.5f * std::min(std::max(s, 0.8f), 1.5f));
        }
        if (app.note_edit.id == n.id || n.text.empty() || text_px < 5.0f * app.pixel_ratio) {
            continue;
        }
        const float pad = 8.0f * s;
        const ImVec4 clip{r.min.x + pad, r.min.y + pad, r.max.x - pad, r.max.y - pad};
        dl->AddText(font, text_px, {r.min.x + pad, r.min.y + pad}, kNoteText, n.text.data(),
                    n.text.data() + n.text.size(), r.width() - 2 * pad, &clip);
    }
}

void add_note_at(AppState& app, Vec2 world) {
    const std::string id = app.editor.add_note(world);
    if (id.empty()) {
        app.notify("A workflow may have at most " + std::to_string(kMaxNotes) + " notes", 6.0);
        return;
    }
    open_note_editor(app, id);
}

void add_note_at_mouse(AppState& app) {
    const Rect& cs = app.canvas_screen;
    Vec2 at{ImGui::GetIO().MousePos.x, ImGui::GetIO().MousePos.y};
    if (!cs.contains(at)) at = {(cs.min.x + cs.max.x) / 2, (cs.min.y + cs.max.y) / 2};
    // The mouse is at the note's top-left quarter, so the card lands where one points.
    const Vec2 w = app.editor.camera.screen_to_world(at) -
                   Vec2{static_cast<float>(kNoteWidth / 4), static_cast<float>(kNoteHeight / 4)};
    add_note_at(app, w);
}

void open_note_editor(AppState& app, const std::string& id) {
    const Note* n = find_note(app.editor, id);
    if (!n) return;
    app.note_edit.id = id;
    app.note_edit.text = n->text;
    app.note_edit.focus_input = true;
    app.editor.select_note(id, false);
}

void edit_selected_note(AppState& app) {
    const auto& sel = app.editor.selected_notes();
    if (sel.size() != 1 || !app.editor.selected_nodes().empty()) return;
    const std::string id = *sel.begin();  // a copy: opening the editor re-selects
    open_note_editor(app, id);
}

void draw_note_editor(AppState& app) {
    NoteEditUi& ne = app.note_edit;
    app.note_edit.input_active = false;
    if (ne.id.empty()) return;
    Editor& ed = app.editor;
    const Note* n = find_note(ed, ne.id);
    if (!n) return close_editor(app);  // deleted or undone meanwhile
    const Rect r = note_screen_rect(ed, *n);
    const float k = app.ui_ratio();
    const ImVec2 size{std::max(r.width(), 220 * k), std::max(r.height(), 130 * k)};
    ImGui::SetNextWindowPos(im(r.min));
    ImGui::SetNextWindowSize(size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {2 * k, 2 * k});
    const ImGuiWindowFlags flags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings;
    if (ne.focus_input) ImGui::SetNextWindowFocus();
    ImGui::Begin("##note_editor", nullptr, flags);
    ImGui::PopStyleVar();
    if (ne.focus_input) {
        ImGui::SetKeyboardFocusHere();
        ne.focus_input = false;
    }
    const bool escape = ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
                        ImGui::IsKeyPressed(ImGuiKey_Escape, false);
    const std::string id = ne.id;
    const bool enter = ImGui::InputTextMultiline(
        "##note_text", &ne.text, {-1, -ImGui::GetFrameHeightWithSpacing()},
        ImGuiInputTextFlags_CtrlEnterForNewLine | ImGuiInputTextFlags_EnterReturnsTrue);
    app.probe("note_editor/text");
    const bool active = ImGui::IsItemActive();
    const bool left = ImGui::IsItemDeactivated();
    ImGui::TextDisabled("Enter keeps, Ctrl+Enter new line, Esc cancels");
    ImGui::End();
    if (escape) return close_editor(app);
    ne.input_active = active;
    if (enter || left) {
        const std::string text = ne.text;
        close_editor(app);
        if (ed.set_note_text(id, text)) app.notify("Edited the note");
        if (text.size() > kMaxNoteTextBytes) {
            app.notify("The note's text was cut to " + std::to_string(kMaxNoteTextBytes) + " bytes",
                       6.0);
        }
    }
}

void draw_canvas_menu(AppState& app) {
    Editor& ed = app.editor;
    CanvasMenuUi& m = app.canvas_menu;
    if (m.open_requested) {
        ImGui::OpenPopup("##canvas_menu");
        m.open_requested = false;
    }
    if (!ImGui::BeginPopup("##canvas_menu")) return;
    const Note* note = m.note.empty() ? nullptr : find_note(ed, m.note);
    if (ImGui::MenuItem("Add note here", shortcut_text(Action::kAddNote).c_str())) {
        add_note_at(app, m.world);
    }
    app.probe("canvas_menu/add_note");
    if (note) {
        const std::string id = note->id;
        ImGui::Separator();
        if (ImGui::MenuItem("Edit note", shortcut_text(Action::kEditNote).c_str())) {
            open_note_editor(app, id);
        }
        app.probe("canvas_menu/edit_note");
        if (ImGui::BeginMenu("Note colour")) {
            for (const std::string& c : note_colors()) {
                if (ImGui::MenuItem(c.c_str(), nullptr, note->color == c)) {
                    ed.set_note_color(id, c);
                    break;  // `note` may point into notes that changed
                }
            }
            ImGui::EndMenu();
        }
        if (ImGui::MenuItem("Delete note", shortcut_text(Action::kDelete).c_str())) {
            ed.select_note(id, false);
            ed.delete_selection();
        }
        app.probe("canvas_menu/delete_note");
    }
    if (ed.selected_nodes().size() >= 2) {
        ImGui::Separator();
        ImGui::TextDisabled("Selected steps");
        draw_align_menu_items(app);
    }
    ImGui::EndPopup();
}

}  // namespace leadflow::web
