// web/app/palette.cpp — the palette: one button per node type (added at the view centre, or
// dragged onto the canvas), plus quick actions.
#include <imgui.h>

#include "app.hpp"

namespace leadflow::web {

void draw_palette(AppState& app) {
    ImGui::TextDisabled("Add a step");
    const float w = ImGui::GetContentRegionAvail().x;
    for (const NodeKind& k : node_kinds()) {
        const ImVec4 col = ImGui::ColorConvertU32ToFloat4(k.color);
        ImGui::PushStyleColor(ImGuiCol_Button, col);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered,
                              ImVec4(col.x * 1.2f, col.y * 1.2f, col.z * 1.2f, 1.0f));
        ImGui::PushStyleColor(ImGuiCol_ButtonActive,
                              ImVec4(col.x * 0.8f, col.y * 0.8f, col.z * 0.8f, 1.0f));
        const std::string label = std::string(k.title) + "##palette";
        if (ImGui::Button(label.c_str(), {w, ImGui::GetFrameHeight() * 1.4f})) {
            add_node_at_view_center(app, k.type);
        }
        ImGui::PopStyleColor(3);
        app.probe(std::string("palette/") + k.wire);
        // Press and drag onto the canvas: the node lands where it is dropped (the canvas is the
        // drop target, editor_canvas.cpp).
        if (ImGui::BeginDragDropSource()) {
            ImGui::SetDragDropPayload(kNodeTypePayload, &k.type, sizeof k.type);
            ImGui::TextColored(col, "%s", k.title);
            ImGui::TextDisabled("Drop on the canvas to add");
            ImGui::EndDragDropSource();
        }
        if (ImGui::IsItemHovered() && !ImGui::GetDragDropPayload()) {
            ImGui::SetTooltip(
                "%s (%s): click to add at the view centre (shortcut %s), or drag "
                "onto the canvas",
                k.title, k.wire, k.shortcut);
        }
    }
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextDisabled("Arrange");
    if (ImGui::Button("Auto-layout  (L)", {w, 0})) {
        app.editor.auto_layout();
        app.request_fit = true;
    }
    app.probe("palette/layout");
    if (ImGui::Button("Fit view  (F)", {w, 0})) app.request_fit = true;
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextDisabled("Tips");
    ImGui::TextWrapped(
        "Drag a step from here onto the canvas to place it. "
        "Drag from a pin on a card's right edge onto another card to connect. "
        "Shift+drag selects a box. Help > Keyboard shortcuts lists every shortcut.");
}

}  // namespace leadflow::web
