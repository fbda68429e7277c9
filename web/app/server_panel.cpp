// web/app/server_panel.cpp — the Server tab, shown when the page is served by leadflow-server:
// sign in with an API key, list/open/create/save workflows, validate, activate/pause/resume/
// cancel, store the scenario, make a short link, calibration and the forecast, the live view
// (lead counts per node, refreshed), then the lead table, the selected lead and the call log
// (lead_panel.cpp).
#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <cinttypes>

#include "app.hpp"
#include "json_fields.hpp"

namespace leadflow::web {

namespace {

void sign_in_form(AppState& app) {
    ServerUi& s = app.server;
    ImGui::TextWrapped(
        "This page is served by a Leadflow server (%s calls). Sign in with an API "
        "key (leadflow-server keys create --org NAME).",
        s.provider.c_str());
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##key", "key_id:secret", &s.key_input, ImGuiInputTextFlags_Password);
    app.probe("server/key");
    if (ImGui::Button("Sign in") && !s.key_input.empty()) server_sign_in(app, s.key_input);
    app.probe("server/sign_in");
}

// Enrolling leads: pasted numbers or CSV text, or a CSV or Excel file; then the count or the
// errors (the server's message word for word after "Nothing was enrolled: ").
void enrol_leads(AppState& app) {
    ServerUi& s = app.server;
    ImGui::TextDisabled("Phone numbers, one per line, or CSV text with a phone_number column");
    ImGui::InputTextMultiline("##enrol_text", &s.enrol_text,
                              {-1, ImGui::GetTextLineHeightWithSpacing() * 4});
    app.probe("server/enrol_text");
    ImGui::BeginDisabled(s.enrolling);
    if (ImGui::Button("Enrol pasted leads")) server_enrol_text(app, s.enrol_text);
    app.probe("server/enrol");
    ImGui::SameLine();
    if (ImGui::Button("Upload CSV or Excel file...")) server_enrol_file(app);
    app.probe("server/enrol_file");
    ImGui::EndDisabled();
    if (s.enrolling) {
        ImGui::SameLine();
        ImGui::TextDisabled("Enrolling...");
    }
    if (s.enrol.summary.empty()) return;
    tone_text_wrapped(app, s.enrol.ok ? StatusTone::kGood : StatusTone::kBad, s.enrol.summary);
    if (!s.enrol.ok) {
        ImGui::PushTextWrapPos(0);
        for (const std::string& line : s.enrol.lines) ImGui::BulletText("%s", line.c_str());
        ImGui::PopTextWrapPos();
    }
}

// Calibrate from live data: the fitted shares beside the current ones, node by node, and Apply;
// beside it the Forecast button, its options and its chart (forecast_panel.cpp).
void calibration_section(AppState& app) {
    ServerUi& s = app.server;
    if (ImGui::Button("Calibrate from live data")) server_calibrate(app);
    app.probe("server/calibrate");
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip(
            "Fits the scenario to this workflow's own calls, actions and arrivals "
            "(docs/calibration.md)");
    }
    ImGui::SameLine();
    draw_forecast_button(app);
    if (!s.calibrated) return;
    ImGui::SameLine();
    if (ImGui::Button("Apply fitted scenario")) server_apply_calibration(app);
    app.probe("server/apply_calibration");
    ImGui::TextDisabled("%lld leads arrived (%.1f a day)",
                        static_cast<long long>(s.calibration.arrivals), s.calibration.per_day);
    const Graph& g = app.editor.graph();
    for (const CalibratedNode& n : s.calibration.nodes) {
        std::string name = n.node_id;
        for (const Node& node : g.nodes) {
            if (node.id == n.node_id && !node.label.empty()) name = node.label;
        }
        ImGui::Text("%s  ·  %lld %s", name.c_str(), static_cast<long long>(n.observed),
                    n.type == "APPLICATION" ? "actions" : "calls");
        if (!n.fitted) {
            ImGui::SameLine();
            ImGui::TextDisabled("(keeps its model)");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", n.note.c_str());
        }
        const std::string table = "##cal_" + n.node_id;
        if (!ImGui::BeginTable(table.c_str(), 3,
                               ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
            continue;
        }
        ImGui::TableSetupColumn("");
        ImGui::TableSetupColumn("current");
        ImGui::TableSetupColumn("fitted (95%)");
        ImGui::TableHeadersRow();
        for (const CalibratedShare& sh : n.shares) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(sh.label.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.1f%%", sh.current * 100);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(share_with_interval(sh).c_str());
        }
        ImGui::EndTable();
    }
}

void open_workflow(AppState& app) {
    ServerUi& s = app.server;
    if (s.workflow_id.empty()) {
        ImGui::TextDisabled("The editor's graph is not on the server yet: Create from editor.");
        return;
    }
    const std::string status = json_str(s.workflow, "status");
    ImGui::Text("%s  ·  %s", s.workflow_id.c_str(), status.c_str());
    if (ImGui::Button("Save graph")) server_save(app);
    app.probe("server/save");
    if (ImGui::IsItemHovered() && s.workflow.is_object() &&
        !s.workflow.value("published_version", Json(nullptr)).is_null()) {
        ImGui::SetTooltip(
            "Saves the draft; running leads stay on the published version until "
            "you Publish (Versions below).");
    }
    ImGui::SameLine();
    if (ImGui::Button("Save scenario")) server_save_scenario(app);
    ImGui::SameLine();
    if (ImGui::Button("Validate")) server_validate(app);
    for (const char* verb : {"activate", "pause", "resume", "cancel"}) {
        if (verb != std::string("activate")) ImGui::SameLine();
        if (ImGui::Button(verb)) server_lifecycle(app, verb);
    }
    if (ImGui::Button("Short link")) server_short_link(app);
    if (!s.short_link.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", s.short_link.c_str());
    }
    if (s.validation.is_object()) {
        ImGui::Text("Server validation: %s, %zu error(s), %zu warning(s)",
                    s.validation["valid"].get<bool>() ? "valid" : "invalid",
                    s.validation["errors"].size(), s.validation["warnings"].size());
    }
    if (s.workflow.is_object() && s.workflow.contains("lead_counts")) {
        std::string counts;
        for (auto it = s.workflow["lead_counts"].begin(); it != s.workflow["lead_counts"].end();
             ++it) {
            if (!counts.empty()) counts += " · ";
            counts += it.key() + " " + it.value().dump();
        }
        ImGui::TextWrapped("Leads: %s", counts.c_str());
    }
    ImGui::SeparatorText("Versions");
    draw_versions_section(app);
    ImGui::SeparatorText("Calibration and forecast");
    calibration_section(app);
    draw_forecast_section(app);
    ImGui::SeparatorText("Enrol leads");
    enrol_leads(app);
    ImGui::SeparatorText("Live view");
    bool live = s.live;
    if (ImGui::Checkbox("Live view (counts per node on the canvas)", &live)) {
        server_set_live(app, live);
    }
    app.probe("server/live");
    if (!s.live) return;
    ImGui::TextDisabled("Refreshed %" PRIu64 " times · %" PRId64 " leads counted · %" PRId64
                        " not started",
                        s.polls, s.counted_leads, s.not_started);
    for (const DriftBadge& b : s.drift) {
        tone_text_wrapped(app, StatusTone::kWarn, "Drift: " + b.message);
    }
}

}  // namespace

bool server_mode_available(const AppState& app) {
    return app.server.available;
}

void draw_server_panel(AppState& app) {
    ServerUi& s = app.server;
    if (!s.available) {
        ImGui::TextDisabled("Not served by a Leadflow server.");
        return;
    }
    if (s.pending > 0) ImGui::TextDisabled("Talking to the server...");
    tone_text_wrapped(app, StatusTone::kBad, s.error);
    if (!s.signed_in) {
        sign_in_form(app);
        return;
    }
    if (ImGui::SmallButton("Sign out")) {
        server_sign_out(app);
        return;
    }
    ImGui::SeparatorText("Workflows on the server");
    draw_workflow_list(app);
    ImGui::SeparatorText("Open workflow");
    open_workflow(app);
    draw_lead_sections(app);
}

}  // namespace leadflow::web
