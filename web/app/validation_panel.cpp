// web/app/validation_panel.cpp — live diagnostics of the core's validator
// (docs/workflows.md#validation-codes); a click focuses the node or edge on the canvas.
#include <imgui.h>

#include "app.hpp"

namespace leadflow::web {

void draw_validation_panel(AppState& app) {
    if (app.validated_version != app.editor.structure_version()) {
        ImGui::TextDisabled("Checking the workflow…");
        return;
    }
    std::size_t errors = 0, warnings = 0;
    for (const Diagnostic& d : app.diagnostics) {
        (d.severity == Severity::kError ? errors : warnings)++;
    }
    if (errors == 0) {
        ImGui::TextColored(tone(app, StatusTone::kGood), "Valid: can be activated");
    } else {
        ImGui::TextColored(tone(app, StatusTone::kBad), "%zu error(s) block activation", errors);
    }
    ImGui::SameLine();
    ImGui::TextDisabled("· %zu warning(s)", warnings);
    ImGui::Separator();
    if (!ImGui::BeginTable(
            "diagnostics", 3,
            ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV)) {
        return;
    }
    ImGui::TableSetupColumn("Severity", ImGuiTableColumnFlags_WidthFixed, 70.0f * app.ui_ratio());
    ImGui::TableSetupColumn("Code", ImGuiTableColumnFlags_WidthFixed, 220.0f * app.ui_ratio());
    ImGui::TableSetupColumn("Message", ImGuiTableColumnFlags_WidthStretch);
    // Only the visible rows are laid out (a big graph can have thousands of diagnostics).
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(app.diagnostics.size()));
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const Diagnostic& d = app.diagnostics[static_cast<std::size_t>(row)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const bool error = d.severity == Severity::kError;
            ImGui::PushID(row);
            const ImVec4 col = tone(app, error ? StatusTone::kBad : StatusTone::kWarn);
            ImGui::PushStyleColor(ImGuiCol_Text, col);
            if (ImGui::Selectable(error ? "error" : "warning", false,
                                  ImGuiSelectableFlags_SpanAllColumns)) {
                if (d.node_id) {
                    app.focus_node = d.node_id;
                } else if (d.edge_id) {
                    app.focus_edge = d.edge_id;
                }
            }
            ImGui::PopStyleColor();
            app.probe("diagnostic/" + std::to_string(row));
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.message.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(d.code.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(d.message.c_str());
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

}  // namespace leadflow::web
