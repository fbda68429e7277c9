// web/app/lead_panel.cpp — the Server tab's lead sections: the lead table of the open workflow
// (status menu, phone search, one page of leads with previous/next and "26–50 of 130"), the
// selected lead (its path on the canvas, the history timeline with one entry per node visit, its
// calls with outcome, duration and analysis, Remove after a confirmation) and the call log with
// its filters. The server's messages show as it words them.
#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "app.hpp"

namespace leadflow::web {

namespace {

// A status menu over `choices` ("" shown as "any status"); true when one was picked. Each
// item is probed as `<probe>/<status>` ("any" for "").
bool status_menu(AppState& app, const char* label, const std::string& probe,
                 const std::vector<std::string>& choices, const std::string& current,
                 std::string* picked) {
    bool changed = false;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::BeginCombo(label, current.empty() ? "any status" : current.c_str())) {
        for (const std::string& c : choices) {
            if (ImGui::Selectable(c.empty() ? "any status" : c.c_str(), c == current)) {
                *picked = c;
                changed = true;
            }
            app.probe(probe + "/" + (c.empty() ? std::string("any") : c));
        }
        ImGui::EndCombo();
    }
    app.probe(probe);
    return changed;
}

// Previous / "26–50 of 130" / Next; `go` shows another page.
template <typename Page, typename Go>
void pager(AppState& app, const std::string& probe, const Page& p, const char* none, Go go) {
    ImGui::PushID(probe.c_str());  // the workflow list's pager has the same buttons
    ImGui::BeginDisabled(p.page <= 1);
    if (ImGui::SmallButton("< Previous")) go(p.page - 1);
    app.probe(probe + "/prev");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextUnformatted(page_range_label(p.page, p.limit, p.total, p.rows.size(), none).c_str());
    app.probe(probe + "/range");
    ImGui::SameLine();
    ImGui::BeginDisabled(p.page >= p.total_pages);
    if (ImGui::SmallButton("Next >")) go(p.page + 1);
    app.probe(probe + "/next");
    ImGui::EndDisabled();
    ImGui::PopID();
}

// The label of node `id` in the editor's graph (its id when the graph has no such node).
std::string node_label(const AppState& app, const std::string& id) {
    if (id.empty()) return "";
    for (const Node& n : app.editor.graph().nodes) {
        if (n.id == id) return n.label.empty() ? id : n.label;
    }
    return id;
}

void lead_table(AppState& app) {
    LeadTableUi& t = app.server.leads;
    std::string status;
    if (status_menu(app, "##lead_status", "leads/status", lead_status_choices(), t.filter.status,
                    &status)) {
        server_leads_status(app, status);
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 5);
    if (ImGui::InputTextWithHint("##lead_phone", "Search phone numbers", &t.filter.phone)) {
        server_leads_phone(app, t.filter.phone, true);
    }
    app.probe("leads/phone");
    ImGui::SameLine();
    if (ImGui::SmallButton("Refresh##leads")) server_leads_refresh(app);
    app.probe("leads/refresh");
    tone_text_wrapped(app, StatusTone::kBad, t.error);
    if (ImGui::BeginTable("server_leads", 3,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableSetupColumn("Phone", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("Step", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        int i = 0;
        for (const LeadRow& l : t.page.rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(l.id.c_str());
            if (ImGui::Selectable(l.phone_number.empty() ? l.id.c_str() : l.phone_number.c_str(),
                                  l.id == t.selected.id, ImGuiSelectableFlags_SpanAllColumns)) {
                server_lead_open(app, l.id);
            }
            app.probe("leads/row/" + std::to_string(i++));
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", l.status.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(node_label(app, l.current_node_id).c_str());
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    pager(app, "leads", t.page, "No leads", [&](std::int64_t p) { server_leads_page(app, p); });
}

void remove_confirmation(AppState& app) {
    LeadTableUi& t = app.server.leads;
    if (t.confirm_remove.id.empty()) return;
    tone_text_wrapped(app, StatusTone::kWarn, remove_lead_question(t.confirm_remove));
    if (danger_button(app, "Remove lead")) server_lead_remove_confirm(app);
    app.probe("lead/remove_confirm");
    ImGui::SameLine();
    if (ImGui::Button("Cancel##remove")) server_lead_remove_cancel(app);
    app.probe("lead/remove_cancel");
}

// "2026-01-05T09:01:00.000Z" as "01-05 09:01:00" (other text as it is).
std::string short_time(const std::string& at) {
    return at.size() >= 19 && at[10] == 'T' ? at.substr(5, 5) + " " + at.substr(11, 8) : at;
}

// Calls, one row each: start, (lead,) status and outcome with the analysis below them (the
// panel is narrow), duration.
void calls_table(const char* id, const std::vector<CallRow>& calls, bool with_lead) {
    if (!ImGui::BeginTable(id, with_lead ? 4 : 3,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        return;
    }
    ImGui::TableSetupColumn("Started", ImGuiTableColumnFlags_WidthFixed);
    if (with_lead) ImGui::TableSetupColumn("Lead", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("Outcome and analysis", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("Duration", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (const CallRow& c : calls) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", short_time(c.created_at).c_str());
        if (with_lead) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.lead_id.c_str());
        }
        ImGui::TableNextColumn();
        ImGui::Text("%s%s%s", c.status.c_str(), c.outcome.empty() ? "" : " · ", c.outcome.c_str());
        const std::string analysis = call_analysis_text(c.analysis);
        if (!analysis.empty()) {
            ImGui::PushTextWrapPos(0);
            ImGui::TextDisabled("%s", analysis.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(call_duration_text(c.duration_s).c_str());
    }
    ImGui::EndTable();
}

void lead_detail(AppState& app) {
    ServerUi& s = app.server;
    LeadTableUi& t = s.leads;
    if (t.selected.id.empty()) {
        ImGui::TextDisabled("Click a lead to see its path, history and calls.");
        return;
    }
    ImGui::Text("%s  ·  %s", t.selected.phone_number.c_str(), t.selected.status.c_str());
    app.probe("lead/title");
    ImGui::TextDisabled("%s", t.selected.id.c_str());
    if (ImGui::SmallButton("Close##lead")) {
        server_lead_close(app);
        return;
    }
    app.probe("lead/close");
    ImGui::SameLine();
    if (ImGui::SmallButton("Remove...")) server_lead_remove_ask(app, t.selected.id);
    app.probe("lead/remove");
    remove_confirmation(app);
    tone_text_wrapped(app, StatusTone::kBad, t.detail_error);
    ImGui::TextDisabled("History (its path is drawn on the canvas)");
    if (s.history_lead == t.selected.id && !s.history.empty() &&
        ImGui::BeginTable("lead_history", 4,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("Step", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("Started", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableHeadersRow();
        int i = 0;
        for (const HistoryStep& h : s.history) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%d", ++i);
            ImGui::TableNextColumn();
            const std::string step = h.label.empty() ? node_label(app, h.node_id) : h.label;
            ImGui::Text("%s%s%s", step.empty() ? "(not started)" : step.c_str(),
                        h.outcome.empty() ? "" : " -> ", h.outcome.c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", h.status.c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", short_time(h.started_at).c_str());
        }
        ImGui::EndTable();
        app.probe("lead/history");
    }
    ImGui::TextDisabled("Calls: %lld", static_cast<long long>(t.calls.total));
    if (!t.calls.rows.empty()) {
        calls_table("lead_calls", t.calls.rows, false);
        app.probe("lead/calls");
    }
}

void call_log(AppState& app) {
    ServerUi& s = app.server;
    CallLogUi& c = s.calls;
    bool changed = false;
    CallFilter f = c.filter;
    if (!s.workflow_id.empty()) {
        if (ImGui::Checkbox("This workflow only", &c.this_workflow)) changed = true;
        app.probe("calls/workflow");
        f.workflow_id = c.this_workflow ? s.workflow_id : "";
        ImGui::SameLine();
    }
    std::string status;
    if (status_menu(app, "##call_status", "calls/status", call_status_choices(), c.filter.status,
                    &status)) {
        f.status = status;
        changed = true;
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    if (ImGui::InputTextWithHint("##call_lead", "Lead id (wlead_...)", &c.filter.lead_id,
                                 ImGuiInputTextFlags_EnterReturnsTrue)) {
        changed = true;
    }
    f.lead_id = c.filter.lead_id;
    app.probe("calls/lead");
    ImGui::SameLine();
    if (!s.leads.selected.id.empty() && ImGui::SmallButton("Selected lead")) {
        f.lead_id = s.leads.selected.id;
        changed = true;
    }
    app.probe("calls/selected_lead");
    if (changed) server_calls_filter(app, f);
    tone_text_wrapped(app, StatusTone::kBad, c.error);
    calls_table("call_log", c.page.rows, true);
    pager(app, "calls", c.page, "No calls", [&](std::int64_t p) { server_calls_page(app, p); });
}

}  // namespace

void draw_lead_sections(AppState& app) {
    ServerUi& s = app.server;
    if (!s.workflow_id.empty()) {
        ImGui::SeparatorText("Leads");
        lead_table(app);
        ImGui::SeparatorText("Lead");
        lead_detail(app);
    }
    ImGui::Spacing();
    ImGui::SetNextItemOpen(s.calls.open);
    const bool open = ImGui::CollapsingHeader("Call log");
    app.probe("calls/open");
    if (open != s.calls.open) server_calls_open(app, open);
    if (open) call_log(app);
}

}  // namespace leadflow::web
