// web/app/find_panel.cpp — Find node (Ctrl+F): a search box over the canvas listing the nodes
// whose label or id contains what is typed (find_nodes.hpp). Enter or a click on a match selects
// that node and centres the view on it; Escape closes the box.
#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <string>

#include "app.hpp"
#include "find_nodes.hpp"

namespace leadflow::web {

void open_find(AppState& app) {
    app.find.open = true;
    app.find.focus_input = true;
    app.find.highlighted = 0;
}

namespace {

void jump_to(AppState& app, const std::string& id) {
    app.focus_node = id;  // the canvas selects it and centres the view (editor_canvas.cpp)
    app.find.open = false;
}

struct Highlight {
    int* index;
    int count;
};

int on_history_key(ImGuiInputTextCallbackData* data) {
    auto* h = static_cast<Highlight*>(data->UserData);
    if (h->count == 0) return 0;
    if (data->EventKey == ImGuiKey_DownArrow) *h->index = (*h->index + 1) % h->count;
    if (data->EventKey == ImGuiKey_UpArrow) *h->index = (*h->index + h->count - 1) % h->count;
    return 0;
}

}  // namespace

void draw_find(AppState& app) {
    FindUi& f = app.find;
    if (!f.open) return;
    const Rect& cs = app.canvas_screen;
    const float r = app.ui_ratio();
    const float width = std::min(360.0f * r, std::max(cs.width() - 16.0f * r, 120.0f * r));
    ImGui::SetNextWindowPos({(cs.min.x + cs.max.x - width) / 2, cs.min.y + 8.0f * r});
    ImGui::SetNextWindowSize({width, 0});
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_AlwaysAutoResize;
    if (f.focus_input) ImGui::SetNextWindowFocus();
    if (!ImGui::Begin("Find node", &f.open, flags)) {
        ImGui::End();
        return;
    }
    const FindResult found = find_nodes(app.editor.graph(), f.query, kFindListed);
    const int count = static_cast<int>(found.matches.size());
    f.highlighted = count == 0 ? 0 : std::clamp(f.highlighted, 0, count - 1);

    const bool focused = ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows);
    if (focused && ImGui::IsKeyPressed(ImGuiKey_Escape, false)) {
        f.open = false;
        ImGui::End();
        return;
    }

    if (f.focus_input) {
        ImGui::SetKeyboardFocusHere();
        f.focus_input = false;
    }
    ImGui::SetNextItemWidth(-1);
    const std::string before = f.query;
    // Up/Down reach the box as its history keys (so keyboard navigation does not take the
    // keyboard away from it) and move the highlighted match.
    Highlight h{&f.highlighted, count};
    const bool enter = ImGui::InputTextWithHint(
        "##query", "Label or id", &f.query,
        ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackHistory, on_history_key,
        &h);
    app.probe("find/input");
    f.input_active = ImGui::IsItemActive();
    if (f.query != before) f.highlighted = 0;
    if (enter) {
        if (count > 0) {
            jump_to(app,
                    app.editor.graph()
                        .nodes[found.matches[static_cast<std::size_t>(f.highlighted)].node_index]
                        .id);
        } else {
            f.focus_input = true;  // nothing to jump to: keep typing
        }
    }

    if (f.query.find_first_not_of(" \t") == std::string::npos) {
        ImGui::TextDisabled("Type part of a node's label or id");
    } else if (found.total == 0) {
        ImGui::TextDisabled("No node matches");
    } else {
        if (found.total > found.matches.size()) {
            ImGui::TextDisabled("%zu matches, the first %zu listed", found.total,
                                found.matches.size());
        } else if (found.total == 1) {
            ImGui::TextDisabled("1 match");
        } else {
            ImGui::TextDisabled("%zu matches", found.total);
        }
        const float row = ImGui::GetTextLineHeightWithSpacing();
        ImGui::BeginChild("##matches", {0, row * static_cast<float>(std::min(count, 8)) + row / 2});
        for (int i = 0; f.open && i < count; ++i) {
            const Node& n =
                app.editor.graph().nodes[found.matches[static_cast<std::size_t>(i)].node_index];
            ImGui::PushID(i);
            const std::string text = (n.label.empty() ? std::string("(no label)") : n.label) +
                                     "   " + n.id + "  ·  " + kind_of(n.type).title;
            if (ImGui::Selectable(text.c_str(), i == f.highlighted)) jump_to(app, n.id);
            app.probe("find/match/" + n.id);
            if (i == f.highlighted && ImGui::IsItemVisible() == false) ImGui::SetScrollHereY();
            ImGui::PopID();
        }
        ImGui::EndChild();
    }
    ImGui::End();
}

}  // namespace leadflow::web
