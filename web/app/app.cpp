// web/app/app.cpp — the frame: main menu (with shortcuts), fixed window layout around the
// canvas, global shortcuts, live validation and autosave.
#include "app.hpp"

#include <imgui.h>

#include <algorithm>

#include "platform.hpp"
#include "shortcuts.hpp"

namespace leadflow::web {

void FrameStats::add(double ms) {
    last_ms = ms;
    samples[frames % 120] = ms;
    count = std::min(count + 1, 120);
    ++frames;
}

double FrameStats::average_ms() const {
    if (count == 0) return 0;
    double sum = 0;
    for (int i = 0; i < count; ++i) sum += samples[i];
    return sum / count;
}

void AppState::notify(const std::string& message, double seconds, bool hold) {
    const double now = platform::now_ms();
    if (!hold && now < status_hold_until) return;
    status = message;
    status_until = now + seconds * 1000.0;
    status_hold_until = hold ? status_until : 0;
}

void AppState::probe(const std::string& name) {
    probes[name] = {{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y},
                    {ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y}};
}

void update_validation(AppState& app) {
    if (app.validated_version == app.editor.structure_version()) return;
    app.diagnostics = validate(app.editor.graph());
    app.node_marks.clear();
    app.edge_marks.clear();
    for (const Diagnostic& d : app.diagnostics) {
        auto mark = [&](std::unordered_map<std::string, Severity>& marks, const std::string& id) {
            auto [it, inserted] = marks.emplace(id, d.severity);
            if (!inserted && d.severity == Severity::kError) it->second = Severity::kError;
        };
        if (d.node_id) mark(app.node_marks, *d.node_id);
        if (d.edge_id) mark(app.edge_marks, *d.edge_id);
    }
    app.validated_version = app.editor.structure_version();
}

namespace {

// A menu item that runs `a`, showing its shortcut from the table (shortcuts.hpp).
bool action_item(AppState& app, const char* label, Action a, bool enabled = true) {
    const std::string keys = shortcut_text(a);
    if (!ImGui::MenuItem(label, keys.c_str(), false, enabled)) return false;
    run_action(app, a);
    return true;
}

}  // namespace

void draw_align_menu_items(AppState& app) {
    const std::size_t n = app.editor.selected_nodes().size();
    action_item(app, "Align left edges", Action::kAlignLeft, n >= 2);
    app.probe("menu/edit/align_left");
    action_item(app, "Align right edges", Action::kAlignRight, n >= 2);
    action_item(app, "Align top edges", Action::kAlignTop, n >= 2);
    action_item(app, "Align bottom edges", Action::kAlignBottom, n >= 2);
    action_item(app, "Align centres (vertical line)", Action::kAlignCenterX, n >= 2);
    action_item(app, "Align centres (horizontal line)", Action::kAlignCenterY, n >= 2);
    action_item(app, "Distribute horizontally", Action::kDistributeH, n >= 3);
    app.probe("menu/edit/distribute_h");
    action_item(app, "Distribute vertically", Action::kDistributeV, n >= 3);
}

namespace {

void draw_menus(AppState& app) {
    Editor& ed = app.editor;
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        app.probe("menu/file");
        if (ImGui::MenuItem("New empty workflow")) {
            load_graph_text(app, R"({"nodes": [], "edges": []})", true, "New");
        }
        draw_templates_menu(app);
        ImGui::Separator();
        action_item(app, "Import JSON…", Action::kImport);
        action_item(app, "Export JSON", Action::kExport);
        app.probe("menu/file/export");
        action_item(app, "Export canvas as PNG", Action::kExportPng);
        app.probe("menu/file/export_png");
        ImGui::EndMenu();
    } else {
        app.probe("menu/file");
    }
    if (ImGui::BeginMenu("Edit")) {
        app.probe("menu/edit");
        const std::string undo = "Undo " + ed.history().undo_label();
        const std::string redo = "Redo " + ed.history().redo_label();
        action_item(app, undo.c_str(), Action::kUndo, ed.history().can_undo());
        action_item(app, redo.c_str(), Action::kRedo, ed.history().can_redo());
        ImGui::Separator();
        const bool has_nodes = !ed.selected_nodes().empty();
        action_item(app, "Cut", Action::kCut, has_nodes);
        action_item(app, "Copy", Action::kCopy, has_nodes);
        action_item(app, "Paste", Action::kPaste, !app.internal_clipboard.empty());
        action_item(app, "Delete", Action::kDelete,
                    has_nodes || !ed.selected_edges().empty() || !ed.selected_notes().empty());
        action_item(app, "Select all", Action::kSelectAll);
        ImGui::Separator();
        action_item(app, "Find node…", Action::kFindNode);
        ImGui::Separator();
        action_item(app, "Add note", Action::kAddNote);
        action_item(app, "Edit note", Action::kEditNote,
                    ed.selected_notes().size() == 1 && !has_nodes);
        if (ImGui::BeginMenu("Align", ed.selected_nodes().size() >= 2)) {
            draw_align_menu_items(app);
            ImGui::EndMenu();
        }
        app.probe("menu/edit/align");
        ImGui::EndMenu();
    } else {
        app.probe("menu/edit");
    }
    if (ImGui::BeginMenu("Add")) {
        for (std::size_t i = 0; i < node_kinds().size(); ++i) {
            action_item(
                app, node_kinds()[i].title,
                static_cast<Action>(static_cast<int>(Action::kAddNode1) + static_cast<int>(i)));
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        app.probe("menu/view");
        action_item(app, "Fit view", Action::kFitView);
        action_item(app, "Zoom 100%", Action::kZoom100);
        action_item(app, "Auto-layout", Action::kAutoLayout);
        const std::string minimap = shortcut_text(Action::kToggleMinimap);
        ImGui::MenuItem("Minimap", minimap.c_str(), &app.show_minimap);
        const std::string results = shortcut_text(Action::kToggleResults);
        if (ImGui::MenuItem("Maximize results", results.c_str(),
                            app.panels.sizes.results_maximized)) {
            toggle_results_maximized(app);
        }
        app.probe("menu/view/maximize_results");
        if (ImGui::MenuItem("Reset panel sizes")) {
            set_panel_sizes(app, PanelSizes{});
        }
        ImGui::Separator();
        draw_settings_menu_items(app);
        ImGui::EndMenu();
    } else {
        app.probe("menu/view");
    }
    draw_sim_menu(app);
    if (ImGui::BeginMenu("Help")) {
        app.probe("menu/help");
        ImGui::MenuItem("Canvas controls", nullptr, &app.show_help);
        ImGui::MenuItem("Keyboard shortcuts", nullptr, &app.show_shortcuts);
        app.probe("menu/help/shortcuts");
        ImGui::EndMenu();
    } else {
        app.probe("menu/help");
    }
    ImGui::EndMainMenuBar();
}

void draw_help(AppState& app) {
    if (!app.show_help) return;
    ImGui::SetNextWindowSize({420 * app.ui_ratio(), 0}, ImGuiCond_Appearing);
    if (ImGui::Begin("Canvas controls", &app.show_help, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::TextWrapped(
            "Pan: drag empty space, middle or right mouse, Shift+wheel or trackpad scroll.\n"
            "Zoom: wheel or Ctrl+wheel (pinch), around the cursor. F fits, 0 is 100%%.\n"
            "Select: click, Shift+click to toggle, Shift+drag on empty space for a box.\n"
            "Connect: drag from an output pin (right side) onto a node.\n"
            "Delete/Backspace deletes; Ctrl+C/X/V copy, cut, paste (system clipboard, JSON).\n"
            "Ctrl+Z undo, Ctrl+Shift+Z redo. L auto-layout. M minimap. 1–7 add nodes.\n"
            "Notes: N (or right-click > Add note here) adds one; double-click or Enter edits "
            "its text; drag to move; Del deletes.\n"
            "Align (Edit > Align): Shift+arrows align edges, Shift+X / Shift+Y centres, "
            "Shift+H / Shift+V distribute.");
        ImGui::SeparatorText("Comparing two versions of a workflow");
        ImGui::TextWrapped(
            "Simulate > Compare with: simulates the graph last opened (share link, imported "
            "file, template), a template, or the published version against the editor's graph "
            "under the current scenario, and shows conversion, calls per lead and time to "
            "terminal with the difference and its 95%% interval (bottom panel, Compare). No "
            "server is needed.\n"
            "On a Leadflow server (Server tab > Versions): Save graph saves the draft without "
            "publishing it; Publish checks first (dry run: version number, leads that move or "
            "stay) and publishes on Confirm; Restore puts a version back into the draft; Diff "
            "marks on the canvas what the draft added (green), changed (amber) or moved (blue) "
            "and shows removed nodes as red ghosts, with every changed field in the bottom "
            "panel's Version diff tab; Simulate the change compares the published version with "
            "the draft under the stored scenario.");
    }
    ImGui::End();
}

}  // namespace

void draw_app(AppState& app) {
    app.probes.clear();
    draw_menus(app);
    handle_shortcuts(app);
    // The first frame goes on screen without waiting for validation; it runs from the next one
    // (the panel says "Checking" meanwhile).
    if (app.stats.frames > 0) update_validation(app);
    sim_tick(app);
    compare_tick(app);
    server_tick(app);

    app.chart_hover = {};
    app.table_fits.clear();
    layout_panels(app);
    draw_canvas(app);
    draw_note_editor(app);
    share_tick(app);
    draw_find(app);
    draw_help(app);
    draw_shortcuts_window(app);
    autosave_tick(app);
}

}  // namespace leadflow::web
