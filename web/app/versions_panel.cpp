// web/app/versions_panel.cpp — the Versions section of the Server tab (the draft's state against
// the newest version; Publish with a note and the keep/move choice, its dry-run summary and
// Confirm; the paged version list with Restore, Diff and Simulate the change) and the Version
// diff tab of the bottom panel (every changed field, version → draft; a row focuses its node).
#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <cinttypes>

#include "app.hpp"

namespace leadflow::web {

namespace {

void draft_state(AppState& app) {
    VersionsUi& v = app.versions;
    const bool differs = v.draft_diff && !v.draft_diff->empty();
    const std::string line = v.draft_line.empty() ? "Loading versions..." : v.draft_line;
    if (differs) {
        ImGui::TextColored(tone(app, StatusTone::kWarn), "%s", line.c_str());
    } else {
        ImGui::TextUnformatted(line.c_str());
    }
    app.probe("versions/draft_line");
    ImGui::SameLine();
    if (ImGui::SmallButton("Refresh##versions")) versions_refresh(app);
    if (versions_unsaved(app)) {
        tone_text_wrapped(
            app, StatusTone::kWarn,
            "The editor has changes the server's draft does not have: Save graph (saves the "
            "draft, publishes nothing), or Publish (saves them first).");
    }
}

void preview_box(AppState& app, const PublishPreview& p) {
    const float r = app.ui_ratio();
    ImGui::BeginChild("publish_preview", {0, 0},
                      ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY);
    if (p.valid) {
        ImGui::TextColored(tone(app, StatusTone::kGood),
                           "Valid: publishing makes version %" PRId64 " (%s)", p.version,
                           p.migrate.c_str());
    } else {
        ImGui::TextColored(tone(app, StatusTone::kBad),
                           "Not valid: version %" PRId64 " cannot be published", p.version);
    }
    ImGui::PushTextWrapPos(0);
    ImGui::Text("Running leads: %" PRId64 " move  ·  %" PRId64 " stay on their version  ·  %" PRId64
                " not started (they start on the new version)",
                p.move, p.stay, p.not_started);
    ImGui::PopTextWrapPos();
    app.probe("versions/preview");
    for (const std::string& s : p.stay_lines) ImGui::BulletText("%s", s.c_str());
    for (const std::string& e : p.errors) tone_text_wrapped(app, StatusTone::kBad, e);
    for (const std::string& w : p.warnings) tone_text_wrapped(app, StatusTone::kWarn, w);
    if (versions_unsaved(app)) {
        tone_text_wrapped(app, StatusTone::kWarn,
                          "The editor changed since this check: Cancel and Publish again to "
                          "include the changes.");
    }
    ImGui::BeginDisabled(!p.valid);
    if (ImGui::Button("Confirm publish", {140 * r, 0})) versions_publish_confirm(app);
    ImGui::EndDisabled();
    app.probe("versions/confirm");
    ImGui::SameLine();
    if (ImGui::Button("Cancel##publish")) versions_publish_cancel(app);
    app.probe("versions/cancel");
    ImGui::EndChild();
}

// One answer to what running leads do on publish: a radio button `label` (probe
// "versions/<label>") that sets VersionsUi::move to `move`, showing `tip` when hovered.
void migrate_choice(AppState& app, const char* label, bool move, const char* tip) {
    int migrate = app.versions.move ? 1 : 0;
    if (ImGui::RadioButton(label, &migrate, move ? 1 : 0)) app.versions.move = move;
    app.probe(std::string("versions/") + label);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
}

void publish_form(AppState& app) {
    VersionsUi& v = app.versions;
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##version_note", "note for the new version (optional)", &v.note);
    app.probe("versions/note");
    ImGui::TextDisabled("Running leads:");
    ImGui::SameLine();
    migrate_choice(app, "keep", false,
                   "Leads already running finish on the version they run on; new leads start on "
                   "the new version.");
    ImGui::SameLine();
    migrate_choice(app, "move", true,
                   "Running leads move to the node with the same id in the new version when it "
                   "exists and has the same type; the others stay.");
    const bool busy = v.step == PublishStep::kSaving || v.step == PublishStep::kChecking ||
                      v.step == PublishStep::kPublishing;
    ImGui::BeginDisabled(busy || v.step == PublishStep::kReview);
    if (ImGui::Button("Publish...")) versions_publish_preview(app);
    ImGui::EndDisabled();
    app.probe("versions/publish");
    if (busy) {
        ImGui::SameLine();
        ImGui::TextDisabled(v.step == PublishStep::kSaving     ? "Saving the draft..."
                            : v.step == PublishStep::kChecking ? "Checking (dry run)..."
                                                               : "Publishing...");
    }
    if (v.step == PublishStep::kReview && v.preview) preview_box(app, *v.preview);
    if (v.step == PublishStep::kIdle && v.published_result) {
        const PublishPreview& p = *v.published_result;
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(tone(app, StatusTone::kGood),
                           "Published version %" PRId64 ": %" PRId64 " leads moved, %" PRId64
                           " stayed, %" PRId64 " not started",
                           p.version, p.move, p.stay, p.not_started);
        ImGui::PopTextWrapPos();
    }
}

void version_list(AppState& app) {
    VersionsUi& v = app.versions;
    if (!v.loaded) {
        ImGui::TextDisabled("Loading versions...");
        return;
    }
    if (v.page.rows.empty()) {
        ImGui::TextDisabled("No versions yet: Publish (or activate) makes version 1.");
        return;
    }
    const ImGuiTableFlags flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("versions", 4, flags)) {
        ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("Published (UTC)", 0, 1.3f);
        ImGui::TableSetupColumn("Note", 0, 1.4f);
        ImGui::TableSetupColumn("Migrate", 0, 0.6f);
        ImGui::TableHeadersRow();
        for (const VersionRow& row : v.page.rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(static_cast<int>(row.number));
            const std::string label = std::to_string(row.number) + (row.current ? " *" : "");
            if (ImGui::Selectable(label.c_str(), v.selected == row.number,
                                  ImGuiSelectableFlags_SpanAllColumns)) {
                v.selected = row.number;
            }
            app.probe("versions/row/" + std::to_string(row.number));
            if (ImGui::IsItemHovered()) {
                ImGui::SetTooltip(
                    "%" PRId64 " nodes, %" PRId64 " edges%s%s", row.node_count, row.edge_count,
                    row.current ? "; current: new leads start here" : "",
                    row.published_by.empty() ? "" : ("; by " + row.published_by).c_str());
            }
            ImGui::TableNextColumn();
            // "2026-03-02T09:00:00.000Z" → "2026-03-02 09:00:00"
            std::string when = row.created_at.substr(0, 19);
            if (when.size() > 10) when[10] = ' ';
            ImGui::TextUnformatted(when.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(row.note.empty() ? "—" : row.note.c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", row.migrate.c_str());
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    ImGui::TextDisabled("* current: new leads start on it");
    if (v.page.total_pages > 1) {
        ImGui::BeginDisabled(v.page_no <= 1);
        if (ImGui::SmallButton("< Newer")) versions_refresh(app, v.page_no - 1);
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::Text("page %" PRId64 " of %" PRId64, v.page_no, v.page.total_pages);
        ImGui::SameLine();
        ImGui::BeginDisabled(v.page_no >= v.page.total_pages);
        if (ImGui::SmallButton("Older >")) versions_refresh(app, v.page_no + 1);
        ImGui::EndDisabled();
    }
}

void version_actions(AppState& app) {
    VersionsUi& v = app.versions;
    const std::int64_t n = v.selected.value_or(v.published.value_or(0));
    ImGui::BeginDisabled(n < 1);
    const std::string suffix = n >= 1 ? " " + std::to_string(n) : std::string();
    if (ImGui::Button(("Restore version" + suffix).c_str())) versions_restore(app, n);
    app.probe("versions/restore");
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip(
            "Replaces the draft (and the editor) with this version; publishes "
            "nothing.");
    }
    ImGui::SameLine();
    if (ImGui::Button(("Diff version" + suffix + " with draft").c_str())) {
        versions_show_diff(app, n);
    }
    app.probe("versions/diff");
    ImGui::EndDisabled();
    ImGui::BeginDisabled(!v.published);
    if (ImGui::Button("Simulate the change")) versions_simulate_change(app);
    ImGui::EndDisabled();
    app.probe("versions/simulate_change");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip(
            "The stored scenario on the published version and on the editor's "
            "draft, side by side (bottom panel, Compare).");
    }
    if (v.diff_on) {
        ImGui::SameLine();
        if (ImGui::Button("Hide diff")) versions_hide_diff(app);
        app.probe("versions/diff_off");
    }
}

std::string value_text(const std::optional<std::string>& v) {
    if (!v) return "—";
    if (v->size() > 60) return v->substr(0, 57) + "...";
    return *v;
}

// Starts a table row for the element `e`: a selectable `kind` spanning every column (ImGui id
// `id`) that focuses `e` on the canvas when clicked and `focusable` (its node when `node`, else
// its edge), then its name in the second column.
void element_row(AppState& app, const void* id, const char* kind, const DiffElement& e, bool node,
                 bool focusable) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushID(id);
    if (ImGui::Selectable((std::string(kind) + "##row").c_str(), false,
                          ImGuiSelectableFlags_SpanAllColumns) &&
        focusable) {
        if (node) {
            app.focus_node = e.id;
        } else {
            app.focus_edge = e.id;
        }
    }
    ImGui::PopID();
    ImGui::TableNextColumn();
    const std::string name = e.label.empty() ? e.id : e.label + " (" + e.id + ")";
    ImGui::TextUnformatted(name.c_str());
}

void change_rows(AppState& app, const char* kind, const DiffElement& e, bool node) {
    for (const DiffChange& c : e.changes) {
        element_row(app, &c, kind, e, node, true);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.field.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(value_text(c.before).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(value_text(c.after).c_str());
    }
}

void whole_rows(AppState& app, const char* kind, const std::vector<DiffElement>& list,
                const char* before, const char* after, bool node, bool focusable) {
    for (const DiffElement& e : list) {
        element_row(app, &e, kind, e, node, focusable);
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", node ? e.node_type.c_str() : "edge");
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(before);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(after);
    }
}

}  // namespace

void draw_versions_section(AppState& app) {
    VersionsUi& v = app.versions;
    draft_state(app);
    publish_form(app);
    ImGui::Spacing();
    version_list(app);
    version_actions(app);
    if (!v.error.empty()) tone_text_wrapped(app, StatusTone::kBad, v.error);
}

void draw_diff_list(AppState& app) {
    VersionsUi& v = app.versions;
    if (!v.diff_on) {
        ImGui::TextDisabled("Server tab > Versions: pick a version and press Diff.");
        return;
    }
    if (!v.diff) {
        ImGui::TextDisabled("Loading the diff of version %" PRId64 "...", v.diff_version);
        return;
    }
    const DiffView& d = *v.diff;
    ImGui::Text("Version %" PRId64
                " -> draft:  nodes +%zu -%zu ~%zu  ·  edges +%zu -%zu ~%zu  ·  "
                "workflow ~%zu",
                v.diff_version, d.nodes_added.size(), d.nodes_removed.size(),
                d.nodes_changed.size(), d.edges_added.size(), d.edges_removed.size(),
                d.edges_changed.size(), d.workflow_changes.size());
    ImGui::SameLine();
    if (ImGui::SmallButton("Hide diff")) {
        versions_hide_diff(app);
        return;
    }
    if (versions_unsaved(app)) {
        ImGui::SameLine();
        ImGui::TextColored(tone(app, StatusTone::kWarn),
                           "(of the saved draft; the editor has unsaved changes)");
    }
    if (d.empty()) {
        ImGui::TextDisabled("Nothing changed.");
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
    if (!ImGui::BeginTable("diff_list", 5, flags, {0, ImGui::GetContentRegionAvail().y})) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Change", 0, 0.7f);
    ImGui::TableSetupColumn("Element", 0, 1.4f);
    ImGui::TableSetupColumn("Field", 0, 1.2f);
    ImGui::TableSetupColumn(("Version " + std::to_string(v.diff_version)).c_str(), 0, 1.3f);
    ImGui::TableSetupColumn("Draft", 0, 1.3f);
    ImGui::TableHeadersRow();
    whole_rows(app, "node added", d.nodes_added, "—", "new node", true, true);
    whole_rows(app, "node removed", d.nodes_removed, "node", "— (ghost on the canvas)", true,
               false);
    for (const DiffElement& e : d.nodes_changed) change_rows(app, "node changed", e, true);
    whole_rows(app, "edge added", d.edges_added, "—", "new edge", false, true);
    whole_rows(app, "edge removed", d.edges_removed, "edge", "—", false, false);
    for (const DiffElement& e : d.edges_changed) change_rows(app, "edge changed", e, false);
    for (const DiffChange& c : d.workflow_changes) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted("workflow");
        ImGui::TableNextColumn();
        ImGui::TextDisabled("settings");
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.field.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(value_text(c.before).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(value_text(c.after).c_str());
    }
    ImGui::EndTable();
    app.probe("diff/list");
}

}  // namespace leadflow::web
