// web/app/workflow_list_panel.cpp — the Server tab's workflow list: create from the editor, a
// search box (titles containing the text; the server filters), one page of workflows (click a
// title to open it; Duplicate and Delete on each row, Delete after a confirmation naming the
// workflow) and previous/next with "41–60 of 250".
#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "app.hpp"

namespace leadflow::web {

namespace {

void create_row(AppState& app) {
    ServerUi& s = app.server;
    if (ImGui::Button("Refresh")) server_refresh_list(app);
    app.probe("server/refresh");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
    ImGui::InputTextWithHint("##title", "new workflow title", &s.new_title);
    ImGui::SameLine();
    if (ImGui::Button("Create from editor")) server_create(app, s.new_title);
    app.probe("server/create");
}

// The question Delete asks, with Delete and Cancel.
void delete_confirmation(AppState& app) {
    ServerUi& s = app.server;
    if (s.confirm_delete.id.empty()) return;
    tone_text_wrapped(app, StatusTone::kWarn, delete_question(s.confirm_delete));
    app.probe("server/delete_question");
    if (danger_button(app, "Delete workflow")) server_delete_confirm(app);
    app.probe("server/delete_confirm");
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) server_delete_cancel(app);
    app.probe("server/delete_cancel");
}

void page_row(AppState& app) {
    ServerUi& s = app.server;
    const WorkflowPage& p = s.list;
    ImGui::BeginDisabled(p.page <= 1);
    if (ImGui::SmallButton("< Previous")) server_list_page(app, p.page - 1);
    app.probe("server/list_prev");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextUnformatted(workflow_range_label(p, s.list_search).c_str());
    app.probe("server/list_range");
    ImGui::SameLine();
    ImGui::BeginDisabled(p.page >= p.total_pages);
    if (ImGui::SmallButton("Next >")) server_list_page(app, p.page + 1);
    app.probe("server/list_next");
    ImGui::EndDisabled();
}

}  // namespace

void draw_workflow_list(AppState& app) {
    ServerUi& s = app.server;
    create_row(app);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputTextWithHint("##search", "Search titles", &s.search)) {
        server_set_search(app, s.search, true);
    }
    app.probe("server/search");
    if (ImGui::BeginTable("server_workflows", 3, ImGuiTableFlags_RowBg)) {
        ImGui::TableSetupColumn("Title", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("Actions", ImGuiTableColumnFlags_WidthFixed);
        for (const WorkflowRow& w : s.list.rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(w.id.c_str());
            if (ImGui::Selectable(w.title.empty() ? w.id.c_str() : w.title.c_str(),
                                  w.id == s.workflow_id)) {
                server_open(app, w.id);
            }
            app.probe("server/workflow/" + w.id);
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", w.status.c_str());
            ImGui::TableNextColumn();
            if (ImGui::SmallButton("Duplicate")) server_duplicate(app, w.id);
            app.probe("server/duplicate/" + w.id);
            ImGui::SameLine();
            if (ImGui::SmallButton("Delete")) server_delete_ask(app, w.id);
            app.probe("server/delete/" + w.id);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    delete_confirmation(app);
    page_row(app);
}

}  // namespace leadflow::web
