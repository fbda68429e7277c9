// web/app/app.cpp — the frame: main menu (with shortcuts), fixed window layout around the
// canvas, global shortcuts, live validation and autosave.
#include "app.hpp"

#include <imgui.h>

#include <algorithm>

#include "platform.hpp"

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

void AppState::notify(const std::string& message, double seconds) {
    status = message;
    status_until = platform::now_ms() + seconds * 1000.0;
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
        if (ImGui::MenuItem("Import JSON…", "Ctrl+O")) import_file(app);
        if (ImGui::MenuItem("Export JSON", "Ctrl+S")) export_file(app);
        app.probe("menu/file/export");
        ImGui::EndMenu();
    } else {
        app.probe("menu/file");
    }
    if (ImGui::BeginMenu("Edit")) {
        const std::string undo = "Undo " + ed.history().undo_label();
        const std::string redo = "Redo " + ed.history().redo_label();
        if (ImGui::MenuItem(undo.c_str(), "Ctrl+Z", false, ed.history().can_undo())) ed.undo();
        if (ImGui::MenuItem(redo.c_str(), "Ctrl+Shift+Z", false, ed.history().can_redo())) {
            ed.redo();
        }
        ImGui::Separator();
        const bool has_nodes = !ed.selected_nodes().empty();
        if (ImGui::MenuItem("Cut", "Ctrl+X", false, has_nodes)) {
            copy_selection(app);
            ed.delete_selection();
        }
        if (ImGui::MenuItem("Copy", "Ctrl+C", false, has_nodes)) copy_selection(app);
        if (ImGui::MenuItem("Paste", "Ctrl+V", false, !app.internal_clipboard.empty())) {
            paste_clipboard(app);
        }
        if (ImGui::MenuItem("Delete", "Del", false, has_nodes || !ed.selected_edges().empty())) {
            ed.delete_selection();
        }
        if (ImGui::MenuItem("Select all", "Ctrl+A")) ed.select_all();
        ImGui::Separator();
        if (ImGui::MenuItem("Find node…", "Ctrl+F")) open_find(app);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Add")) {
        for (const NodeKind& k : node_kinds()) {
            if (ImGui::MenuItem(k.title, k.shortcut)) add_node_at_view_center(app, k.type);
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Fit view", "F")) app.request_fit = true;
        if (ImGui::MenuItem("Zoom 100%", "0"))
            ed.camera.set_zoom_at({(app.canvas_screen.min.x + app.canvas_screen.max.x) / 2,
                                   (app.canvas_screen.min.y + app.canvas_screen.max.y) / 2},
                                  1.0f);
        if (ImGui::MenuItem("Auto-layout", "L")) {
            ed.auto_layout();
            app.request_fit = true;
        }
        ImGui::MenuItem("Minimap", "M", &app.show_minimap);
        ImGui::EndMenu();
    }
    draw_sim_menu(app);
    if (ImGui::BeginMenu("Help")) {
        ImGui::MenuItem("Canvas controls", nullptr, &app.show_help);
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void handle_shortcuts(AppState& app) {
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;
    Editor& ed = app.editor;
    const bool ctrl = io.KeyCtrl || io.KeySuper;
    if (ctrl && ImGui::IsKeyPressed(ImGuiKey_Z, false)) {
        if (io.KeyShift) {
            ed.redo();
        } else {
            ed.undo();
        }
    } else if (ctrl && ImGui::IsKeyPressed(ImGuiKey_Y, false)) {
        ed.redo();
    } else if (ctrl && ImGui::IsKeyPressed(ImGuiKey_C, false)) {
        copy_selection(app);
    } else if (ctrl && ImGui::IsKeyPressed(ImGuiKey_X, false)) {
        copy_selection(app);
        ed.delete_selection();
    } else if (ctrl && ImGui::IsKeyPressed(ImGuiKey_V, false)) {
        paste_clipboard(app);
    } else if (ctrl && ImGui::IsKeyPressed(ImGuiKey_A, false)) {
        ed.select_all();
    } else if (ctrl && ImGui::IsKeyPressed(ImGuiKey_S, false)) {
        export_file(app);
    } else if (ctrl && ImGui::IsKeyPressed(ImGuiKey_O, false)) {
        import_file(app);
    } else if (ctrl && ImGui::IsKeyPressed(ImGuiKey_F, false)) {
        open_find(app);
    } else if (!ctrl && !io.KeyAlt) {
        if (ImGui::IsKeyPressed(ImGuiKey_Delete, false) ||
            ImGui::IsKeyPressed(ImGuiKey_Backspace, false)) {
            ed.delete_selection();
        } else if (ImGui::IsKeyPressed(ImGuiKey_F, false)) {
            app.request_fit = true;
        } else if (ImGui::IsKeyPressed(ImGuiKey_L, false)) {
            ed.auto_layout();
            app.request_fit = true;
        } else if (ImGui::IsKeyPressed(ImGuiKey_M, false)) {
            app.show_minimap = !app.show_minimap;
        } else if (ImGui::IsKeyPressed(ImGuiKey_0, false)) {
            ed.camera.set_zoom_at({(app.canvas_screen.min.x + app.canvas_screen.max.x) / 2,
                                   (app.canvas_screen.min.y + app.canvas_screen.max.y) / 2},
                                  1.0f);
        } else {
            const ImGuiKey digits[] = {ImGuiKey_1, ImGuiKey_2, ImGuiKey_3,
                                       ImGuiKey_4, ImGuiKey_5, ImGuiKey_6};
            for (std::size_t i = 0; i < node_kinds().size(); ++i) {
                if (ImGui::IsKeyPressed(digits[i], false)) {
                    add_node_at_view_center(app, node_kinds()[i].type);
                }
            }
        }
    }
    if (!ImGui::IsKeyDown(ImGuiKey_V)) app.pasted_text.reset();
}

void draw_help(AppState& app) {
    if (!app.show_help) return;
    ImGui::SetNextWindowSize({420 * app.pixel_ratio, 0}, ImGuiCond_Appearing);
    if (ImGui::Begin("Canvas controls", &app.show_help, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::TextWrapped(
            "Pan: drag empty space, middle or right mouse, Shift+wheel or trackpad scroll.\n"
            "Zoom: wheel or Ctrl+wheel (pinch), around the cursor. F fits, 0 is 100%%.\n"
            "Select: click, Shift+click to toggle, Shift+drag on empty space for a box.\n"
            "Connect: drag from an output pin (right side) onto a node.\n"
            "Delete/Backspace deletes; Ctrl+C/X/V copy, cut, paste (system clipboard, JSON).\n"
            "Ctrl+Z undo, Ctrl+Shift+Z redo. L auto-layout. M minimap. 1–6 add nodes.");
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

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float r = app.pixel_ratio;
    const float top = vp->WorkPos.y;
    const float height = vp->WorkSize.y;
    const float width = vp->WorkSize.x;
    const float left_w = std::min(190.0f * r, width * 0.25f);
    const float right_w = std::min(340.0f * r, width * 0.35f);
    const float bottom_h = std::min(180.0f * r, height * 0.3f);
    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;

    ImGui::SetNextWindowPos({0, top});
    ImGui::SetNextWindowSize({left_w, height});
    if (ImGui::Begin("Palette", nullptr, fixed)) draw_palette(app);
    ImGui::End();

    ImGui::SetNextWindowPos({width - right_w, top});
    ImGui::SetNextWindowSize({right_w, height});
    if (ImGui::Begin("Inspector", nullptr, fixed)) draw_right_panel(app);
    ImGui::End();

    ImGui::SetNextWindowPos({left_w, top + height - bottom_h});
    ImGui::SetNextWindowSize({width - left_w - right_w, bottom_h});
    if (ImGui::Begin("Validation", nullptr, fixed)) draw_bottom_panel(app);
    ImGui::End();

    app.canvas_screen = {{left_w, top}, {width - right_w, top + height - bottom_h}};
    draw_canvas(app);
    share_tick(app);
    draw_find(app);
    draw_help(app);
    autosave_tick(app);
}

}  // namespace leadflow::web
