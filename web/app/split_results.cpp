// web/app/split_results.cpp — the Results tab's A/B comparison: one table per SPLIT node, a row
// per branch with its conversion (95% interval, and the exact value), call cost per lead, hours
// to the end and the probability that it converts best (split_data.hpp reads the results).
#include <imgui.h>

#include <cinttypes>
#include <cstdio>

#include "app.hpp"
#include "split_data.hpp"

namespace leadflow::web {

void draw_split_results(AppState& app, const Json& results) {
    const std::vector<SplitTable> tables = split_tables(results);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
    const ImGuiStyle& st = ImGui::GetStyle();
    for (const SplitTable& t : tables) {
        ImGui::Spacing();
        const Node* node = app.editor.graph().find_node(t.node_id);
        const std::string title = node != nullptr && !node->label.empty() ? node->label : t.node_id;
        ImGui::Text("Branches of \"%s\"", title.c_str());
        const std::string id = "split_table/" + t.node_id;
        const float height = static_cast<float>(t.rows.size() + 1) *
                                 (ImGui::GetTextLineHeight() + st.CellPadding.y * 2) +
                             st.ScrollbarSize + st.CellPadding.y * 2;
        if (!ImGui::BeginTable(id.c_str(), 7, flags, {0, height})) continue;
        // P(best) next to the conversions it is about: the answer stays in view when the panel
        // is narrow and the table scrolls sideways.
        const std::vector<const char*> headers = {"Branch",
                                                  "Leads",
                                                  "Conversion (95%)",
                                                  "Exact",
                                                  "P(best)",
                                                  "Cost / lead (95%)",
                                                  "Hours to end (95%)"};
        for (const char* h : headers) ImGui::TableSetupColumn(h);
        ImGui::TableSetupScrollFreeze(1, 0);
        ImGui::TableHeadersRow();
        std::vector<float> w(headers.size(), 0.0f);
        for (const SplitBranchRow& r : t.rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.label.c_str());
            fit_column(w, 0);
            app.probe("results/split/" + t.node_id + "/" + r.label);
            ImGui::TableNextColumn();
            ImGui::Text("%" PRId64 " (%.1f%%)", r.leads, r.share * 100);
            fit_column(w, 1);
            ImGui::TableNextColumn();
            ImGui::Text("%.2f%% (%.2f-%.2f%%)", r.conversion * 100, r.conversion_lo * 100,
                        r.conversion_hi * 100);
            fit_column(w, 2);
            ImGui::TableNextColumn();
            if (r.exact_conversion) {
                ImGui::Text("%.2f%%", *r.exact_conversion * 100);
            } else {
                ImGui::TextDisabled("-");
            }
            fit_column(w, 3);
            ImGui::TableNextColumn();
            const char* verdict = r.best ? best_verdict(r.p_best) : "";
            if (*verdict != '\0') {
                ImGui::TextColored(tone(app, StatusTone::kGood), "%.1f%% %s", r.p_best * 100,
                                   verdict);
            } else {
                ImGui::Text("%.1f%%", r.p_best * 100);
            }
            fit_column(w, 4);
            ImGui::TableNextColumn();
            ImGui::Text("%.2f (%.2f-%.2f) · %.2f calls", r.cost, r.cost_lo, r.cost_hi,
                        r.calls_per_lead);
            fit_column(w, 5);
            ImGui::TableNextColumn();
            if (r.hours) {
                ImGui::Text("%.1f h (%.1f-%.1f)", *r.hours, r.hours_lo, r.hours_hi);
            } else {
                ImGui::TextDisabled("none ended");
            }
            fit_column(w, 6);
        }
        record_table_fit(app, id.c_str(), w, headers);
        ImGui::EndTable();
    }
}

}  // namespace leadflow::web
