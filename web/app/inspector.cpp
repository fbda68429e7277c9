// web/app/inspector.cpp — the inspector: a form per node type (docs/workflows.md#node-configs), the
// selected edge's label and order, and the workflow settings (docs/workflows.md#settings) when
// nothing is selected.
//
// Forms edit a copy of the object; a changed copy is written back inside one continuous change
// (editor.hpp), closed when no widget is active any more, so typing a word is one undo step.
#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cstdio>

#include "app.hpp"
#include "leadflow/validate.hpp"

namespace leadflow::web {
namespace {

const char* const kOperators[] = {"equals",   "not_equals",   "exists",
                                  "contains", "greater_than", "less_than"};
const char* const kUnits[] = {"minutes", "hours", "days"};
const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string get_string(const Json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return {};
    const Json& v = j[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return {};
    return v.dump();
}

// A text field bound to a JSON string member; true when edited.
bool edit_string(const char* label, Json& obj, const char* key, const char* hint = "") {
    std::string value = get_string(obj, key);
    if (!ImGui::InputTextWithHint(label, hint, &value)) return false;
    obj[key] = value;
    return true;
}

// A combo over fixed choices bound to a JSON string member.
template <std::size_t N>
bool edit_choice(const char* label, Json& obj, const char* key, const char* const (&choices)[N],
                 const char* fallback) {
    std::string value = get_string(obj, key);
    if (value.empty()) value = fallback;
    bool changed = false;
    if (ImGui::BeginCombo(label, value.c_str())) {
        for (const char* c : choices) {
            if (ImGui::Selectable(c, value == c)) {
                obj[key] = c;
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    return changed;
}

bool edit_number(const char* label, Json& obj, const char* key, double fallback) {
    double v = obj.is_object() && obj.contains(key) && obj[key].is_number() ? obj[key].get<double>()
                                                                            : fallback;
    if (!ImGui::InputDouble(label, &v, 0, 0, "%g")) return false;
    if (v == static_cast<double>(static_cast<long long>(v))) {
        obj[key] = static_cast<long long>(v);
    } else {
        obj[key] = v;
    }
    return true;
}

bool voice_call_form(Json& c) {
    bool changed = edit_string("Agent", c, "agent_id", "agent id (required)");
    changed |= edit_string("From number", c, "from_phone_number", "+14155550100");
    const std::string phone = get_string(c, "from_phone_number");
    if (!phone.empty() && !is_e164_syntax(phone)) {
        ImGui::TextColored({0.95f, 0.4f, 0.4f, 1}, "Not E.164: + and 8–15 digits");
    }
    bool has_max = c.contains("max_call_seconds");
    if (ImGui::Checkbox("Limit call length", &has_max)) {
        if (has_max)
            c["max_call_seconds"] = 300;
        else
            c.erase("max_call_seconds");
        changed = true;
    }
    if (has_max) changed |= edit_number("Max seconds", c, "max_call_seconds", 300);
    return changed;
}

bool time_form(Json& c) {
    bool changed = false;
    const char* const sources[] = {"fixed", "postcall_analysis"};
    changed |= edit_choice("Release", c, "time_source", sources, "fixed");
    if (get_string(c, "time_source") == "postcall_analysis") {
        changed |= edit_string("Analysis field", c, "pca_field", "e.g. callback_time");
        ImGui::TextDisabled("Releases at the time named by call.analysis.<field>.");
        return changed;
    }
    // Aliases (delay_minutes …) are shown, and rewritten canonically when edited.
    for (const char* alias : {"delay_minutes", "delay_hours", "delay_days"}) {
        if (!c.contains("duration_value") && c.contains(alias)) {
            ImGui::TextDisabled("Uses alias %s", alias);
        }
    }
    if (edit_number("Duration", c, "duration_value", 1)) {
        changed = true;
        for (const char* alias : {"delay_minutes", "delay_hours", "delay_days"}) c.erase(alias);
        if (!c.contains("duration_unit")) c["duration_unit"] = "days";
    }
    changed |= edit_choice("Unit", c, "duration_unit", kUnits, "days");
    return changed;
}

bool conditional_form(Json& c) {
    bool changed = false;
    int mode = c.contains("condition_field") ? 1 : 0;
    if (ImGui::RadioButton("Conditions (true/false)", &mode, 0)) {
        c.erase("condition_field");
        c.erase("branches");
        if (!c.contains("conditions")) c["conditions"] = Json::array();
        changed = true;
    }
    ImGui::SameLine();
    if (ImGui::RadioButton("Switch", &mode, 1)) {
        c["condition_field"] = get_string(c, "condition_field");
        if (!c.contains("branches")) c["branches"] = Json::array();
        changed = true;
    }
    if (mode == 1) {
        changed |= edit_string("Field", c, "condition_field", "e.g. lead.city");
        if (!c.contains("branches") || !c["branches"].is_array()) c["branches"] = Json::array();
        Json& branches = c["branches"];
        int remove = -1;
        for (std::size_t i = 0; i < branches.size(); ++i) {
            ImGui::PushID(static_cast<int>(i));
            std::string v =
                branches[i].is_string() ? branches[i].get<std::string>() : branches[i].dump();
            ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.7f);
            if (ImGui::InputText("##branch", &v)) {
                branches[i] = v;
                changed = true;
            }
            ImGui::SameLine();
            if (ImGui::SmallButton("Remove")) remove = static_cast<int>(i);
            ImGui::PopID();
        }
        if (remove >= 0) {
            branches.erase(static_cast<std::size_t>(remove));
            changed = true;
        }
        if (ImGui::Button("Add branch")) {
            branches.push_back("value");
            changed = true;
        }
        return changed;
    }
    const char* const logics[] = {"AND", "OR"};
    changed |= edit_choice("Logic", c, "logic", logics, "AND");
    if (!c.contains("conditions") || !c["conditions"].is_array()) c["conditions"] = Json::array();
    Json& conds = c["conditions"];
    int remove = -1;
    for (std::size_t i = 0; i < conds.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        ImGui::Separator();
        if (!conds[i].is_object()) conds[i] = Json::object();
        changed |= edit_string("Field", conds[i], "field", "call.analysis.interested");
        changed |= edit_choice("Operator", conds[i], "operator", kOperators, "equals");
        if (get_string(conds[i], "operator") != "exists") {
            changed |= edit_string("Value", conds[i], "value");
        }
        if (ImGui::SmallButton("Remove condition")) remove = static_cast<int>(i);
        ImGui::PopID();
    }
    if (remove >= 0) {
        conds.erase(static_cast<std::size_t>(remove));
        changed = true;
    }
    if (ImGui::Button("Add condition")) {
        conds.push_back(Json{{"field", ""}, {"operator", "equals"}, {"value", ""}});
        changed = true;
    }
    return changed;
}

bool application_form(Json& c) {
    const char* const providers[] = {"webhook"};
    bool changed = edit_choice("Provider", c, "provider_key", providers, "webhook");
    changed |= edit_string("Action", c, "action_key", "action name (required)");
    if (!c.contains("action_config") || !c["action_config"].is_object()) {
        c["action_config"] = Json::object();
    }
    Json& ac = c["action_config"];
    changed |= edit_string("URL", ac, "url", "https://example.test/hook");
    const char* const methods[] = {"POST", "PUT", "PATCH", "GET"};
    changed |= edit_choice("Method", ac, "method", methods, "POST");
    std::string body = get_string(ac, "body_template");
    if (ImGui::InputTextMultiline("Body", &body, {-1, ImGui::GetTextLineHeight() * 5})) {
        ac["body_template"] = body;
        changed = true;
    }
    ImGui::TextDisabled(
        "Placeholders: {{lead.phone_number}}, {{lead.<var>}}, "
        "{{call.analysis.<name>}}");
    return changed;
}

// The raw JSON of an unknown node type's config, editable as text.
bool raw_config_form(Json& c, std::string& buffer, std::string& error) {
    if (buffer.empty()) buffer = c.dump(2);
    if (ImGui::InputTextMultiline("Config", &buffer, {-1, ImGui::GetTextLineHeight() * 8})) {
        Json parsed = Json::parse(buffer, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_object()) {
            error = "not a JSON object";
            return false;
        }
        error.clear();
        c = parsed;
        return true;
    }
    if (!error.empty()) ImGui::TextColored({0.95f, 0.4f, 0.4f, 1}, "%s", error.c_str());
    return false;
}

void write_back(Editor& ed, const std::function<void(Graph&)>& fn) {
    ed.begin_change();
    fn(ed.live_graph());
    ed.touch(true);
}

void node_inspector(AppState& app, const Node& original) {
    Editor& ed = app.editor;
    Node n = original;
    const NodeKind& kind = kind_of(n.type);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kind.color), "%s", kind.title);
    ImGui::SameLine();
    ImGui::TextDisabled("%s · %s", n.node_type_raw.c_str(), n.id.c_str());
    bool changed = ImGui::InputText("Label", &n.label);
    app.probe("inspector/label");
    const bool is_entry = ed.graph().workflow.entry_node_id == n.id;
    if (is_entry) {
        ImGui::TextColored(tone(app, StatusTone::kGood), "Entry node");
        ImGui::SameLine();
        if (ImGui::SmallButton("Unset")) {
            ed.apply("Unset entry node", [](Graph& g) { g.workflow.entry_node_id.reset(); });
            return;
        }
    } else if (ImGui::SmallButton("Set as entry node")) {
        const std::string id = n.id;
        ed.apply("Set entry node", [&](Graph& g) { g.workflow.entry_node_id = id; });
        return;
    }
    ImGui::SeparatorText("Config");
    static std::string raw_buffer, raw_error, raw_for;
    if (raw_for != n.id) {
        raw_buffer.clear();
        raw_error.clear();
        raw_for = n.id;
    }
    if (!n.config.is_object()) n.config = Json::object();
    switch (n.type) {
        case NodeType::kVoiceCall:
            changed |= voice_call_form(n.config);
            break;
        case NodeType::kTime:
            changed |= time_form(n.config);
            break;
        case NodeType::kConditional:
            changed |= conditional_form(n.config);
            break;
        case NodeType::kApplication:
            changed |= application_form(n.config);
            break;
        case NodeType::kConverted:
        case NodeType::kDropped:
            ImGui::TextDisabled("Terminal step: no config.");
            break;
        case NodeType::kSplit:
            ImGui::TextWrapped(
                "A/B split: \"branches\" lists each branch's label and weight; label each "
                "outgoing edge with its branch.");
            changed |= raw_config_form(n.config, raw_buffer, raw_error);
            break;
        case NodeType::kUnknown:
            ImGui::TextWrapped("Unknown node type %s: kept unchanged; edit its config as JSON.",
                               n.node_type_raw.c_str());
            changed |= raw_config_form(n.config, raw_buffer, raw_error);
            break;
    }
    // Diagnostics for this node.
    for (const Diagnostic& d : app.diagnostics) {
        if (d.node_id != n.id) continue;
        const ImVec4 col =
            tone(app, d.severity == Severity::kError ? StatusTone::kBad : StatusTone::kWarn);
        ImGui::PushStyleColor(ImGuiCol_Text, col);
        ImGui::TextWrapped("%s: %s", d.code.c_str(), d.message.c_str());
        ImGui::PopStyleColor();
    }
    if (changed) {
        write_back(ed, [&](Graph& g) {
            for (Node& target : g.nodes) {
                if (target.id == n.id) target = n;
            }
        });
    }
}

void edge_inspector(AppState& app, const Edge& original) {
    Editor& ed = app.editor;
    Edge e = original;
    ImGui::Text("Edge %s", e.id.c_str());
    const Node* from = ed.graph().find_node(e.from_node_id);
    const Node* to = ed.graph().find_node(e.to_node_id);
    ImGui::TextDisabled("%s → %s", from ? from->label.c_str() : e.from_node_id.c_str(),
                        to ? to->label.c_str() : e.to_node_id.c_str());
    bool changed = false;
    std::string label = e.label.value_or("");
    if (ImGui::InputTextWithHint("Label", "(none: default edge)", &label)) {
        e.label = label.empty() ? std::nullopt : std::optional<std::string>(label);
        changed = true;
    }
    app.probe("inspector/edge_label");
    if (from) {
        ImGui::TextDisabled("Outcomes of the source:");
        for (const Pin& p : output_pins(*from)) {
            ImGui::SameLine();
            if (ImGui::SmallButton(p.label.c_str())) {
                e.label = pin_edge_label(p);
                changed = true;
            }
        }
    }
    int position = static_cast<int>(e.position);
    if (ImGui::InputInt("Order", &position)) {
        e.position = position;
        changed = true;
    }
    ImGui::TextDisabled("Lower order is tried first; a matching label beats the default edge.");
    if (ImGui::Button("Delete edge")) {
        ed.delete_selection();
        return;
    }
    if (changed) {
        write_back(ed, [&](Graph& g) {
            for (Edge& target : g.edges) {
                if (target.id == e.id) target = e;
            }
        });
    }
}

void workflow_inspector(AppState& app) {
    Editor& ed = app.editor;
    Workflow w = ed.graph().workflow;
    bool changed = false;
    ImGui::SeparatorText("Workflow");
    changed |= ImGui::InputText("Title", &w.title);
    changed |= ImGui::InputTextMultiline("Description", &w.description,
                                         {-1, ImGui::GetTextLineHeight() * 3});
    const std::string entry_preview = w.entry_node_id ? *w.entry_node_id : "(automatic)";
    if (ImGui::BeginCombo("Entry node", entry_preview.c_str())) {
        if (ImGui::Selectable("(automatic)", !w.entry_node_id)) {
            w.entry_node_id.reset();
            changed = true;
        }
        int shown = 0;
        for (const Node& n : ed.graph().nodes) {
            if (++shown > 500) break;
            const std::string item = n.label + "  (" + n.id + ")";
            if (ImGui::Selectable(item.c_str(), w.entry_node_id == n.id)) {
                w.entry_node_id = n.id;
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SeparatorText("Settings");
    Settings& s = w.settings;
    changed |= ImGui::InputText("Time zone", &s.timezone);
    bool has_window = s.calling_window.has_value();
    if (ImGui::Checkbox("Calling window", &has_window)) {
        if (has_window)
            s.calling_window = CallingWindow{{"mon", "tue", "wed", "thu", "fri"}, "09:00", "18:00"};
        else
            s.calling_window.reset();
        changed = true;
    }
    if (s.calling_window) {
        CallingWindow& cw = *s.calling_window;
        for (const char* d : kDays) {
            bool on = std::find(cw.days.begin(), cw.days.end(), d) != cw.days.end();
            if (ImGui::Checkbox(d, &on)) {
                if (on) {
                    cw.days.push_back(d);
                    std::vector<std::string> ordered;
                    for (const char* k : kDays) {
                        if (std::find(cw.days.begin(), cw.days.end(), k) != cw.days.end())
                            ordered.push_back(k);
                    }
                    cw.days = ordered;
                } else {
                    cw.days.erase(std::remove(cw.days.begin(), cw.days.end(), d), cw.days.end());
                }
                changed = true;
            }
            if (d != kDays[6]) ImGui::SameLine();
        }
        ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.3f);
        changed |= ImGui::InputText("start", &cw.start);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.4f);
        changed |= ImGui::InputText("end", &cw.end);
    }
    // Local calling hours in every zone a lead's number may be in (docs/calling-hours.md).
    changed |= ImGui::Checkbox("Respect lead's local time", &s.respect_lead_local_time);
    if (s.respect_lead_local_time) {
        ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.3f);
        changed |= ImGui::InputText("from##local_hours", &s.local_calling_hours.start);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.4f);
        changed |= ImGui::InputText("to##local_hours", &s.local_calling_hours.end);
    }
    bool limited = s.max_concurrent_calls.has_value();
    if (ImGui::Checkbox("Limit concurrent calls", &limited)) {
        if (limited)
            s.max_concurrent_calls = 10;
        else
            s.max_concurrent_calls.reset();
        changed = true;
    }
    if (s.max_concurrent_calls) {
        int v = *s.max_concurrent_calls;
        if (ImGui::InputInt("Max concurrent", &v)) {
            s.max_concurrent_calls = std::max(1, v);
            changed = true;
        }
    }
    changed |= ImGui::InputInt("Max steps per lead", &s.max_steps_per_lead);
    changed |= ImGui::Checkbox("Auto-complete", &s.auto_complete);
    if (changed) {
        write_back(ed, [&](Graph& g) { g.workflow = w; });
    }
}

}  // namespace

void draw_inspector(AppState& app) {
    Editor& ed = app.editor;
    const auto& nodes = ed.selected_nodes();
    const auto& edges = ed.selected_edges();
    if (nodes.size() == 1 && edges.empty()) {
        if (const Node* n = ed.graph().find_node(*nodes.begin())) node_inspector(app, *n);
    } else if (edges.size() == 1 && nodes.empty()) {
        if (const Edge* e = ed.graph().find_edge(*edges.begin())) edge_inspector(app, *e);
    } else if (!nodes.empty() || !edges.empty()) {
        ImGui::Text("%zu nodes, %zu edges selected", nodes.size(), edges.size());
        if (ImGui::Button("Delete selection")) ed.delete_selection();
    } else {
        workflow_inspector(app);
    }
    // Close a continuous edit once the user leaves the field.
    if (ed.in_change() && !ImGui::IsAnyItemActive()) ed.end_change("Edit");
}

}  // namespace leadflow::web
