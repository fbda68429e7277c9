// web/app/sim_panel.cpp — the simulation panel: the scenario editor
// (docs/simulation.md#the-scenario: leads, seed, start, horizon, arrivals, cost, the leads'
// phone-number mix, per-call-node outcome sliders that keep the sum at 1, call durations, analysis
// attributes, application success rates, lead variables), Run with a progress bar (the run proceeds
// a slice per frame), and the tabbed side and bottom panels.
//
// Index:
//   [SECTION] Scenario and runs
//   [SECTION] Widgets bound to scenario JSON
//   [SECTION] Scenario editor
//   [SECTION] Panels and menu
#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cfloat>
#include <cinttypes>
#include <cstdio>
#include <optional>

#include "app.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/wire.hpp"
#include "platform.hpp"
#include "scenario_edit.hpp"

namespace leadflow::web {

// [SECTION] Scenario and runs

Status set_scenario(AppState& app, const Json& scenario) {
    Result<Scenario> s = parse_scenario(scenario);
    if (!s.ok()) return s.status();
    app.sim.scenario = scenario;
    ++app.sim.scenario_version;
    return Status::ok();
}

Status start_simulation(AppState& app) {
    SimUi& sim = app.sim;
    Status s = sim.session.start(app.editor.graph(), sim.scenario);
    sim.error = s.is_ok() ? std::string() : s.message();
    if (!s.is_ok()) {
        app.notify("Simulation cannot start: " + s.message(), 8.0);
        return s;
    }
    sim.run_started_ms = platform::now_ms();
    sim.results_graph_version = app.editor.structure_version();
    return s;
}

void sim_tick(AppState& app) {
    SimUi& sim = app.sim;
    // The scenario is kept in localStorage next to the autosaved graph (restored on the first
    // frame unless the page asks for a fresh start; a share link opened later replaces it).
    if (!sim.restored) {
        sim.restored = true;
        std::optional<std::string> saved;
        if (!platform::fresh_start_requested()) saved = platform::storage_get(kScenarioKey);
        if (saved) {
            Result<Json> j = parse_json(*saved);
            if (j.ok()) set_scenario(app, *j);  // an invalid one is ignored
        }
        sim.saved_scenario_version = sim.scenario_version;
    }
    if (sim.saved_scenario_version != sim.scenario_version) {
        if (sim.scenario_changed_version != sim.scenario_version) {
            sim.scenario_changed_version = sim.scenario_version;
            sim.scenario_changed_ms = platform::now_ms();
        } else if (platform::now_ms() - sim.scenario_changed_ms > 1000.0) {
            platform::storage_set(kScenarioKey, sim.scenario.dump());
            sim.saved_scenario_version = sim.scenario_version;
        }
    }
    if (sim.scenario_checked != sim.scenario_version) {
        Result<Scenario> s = parse_scenario(sim.scenario);
        sim.scenario_error = s.ok() ? std::string() : s.status().message();
        sim.scenario_checked = sim.scenario_version;
    }
    const double start = platform::now_ms();
    const double interval = start - sim.last_tick_ms;
    sim.last_tick_ms = start;
    if (!sim.session.running()) return;
    // Work in slices of events until this frame's budget is spent; the page keeps drawing. The
    // budget follows the frame rate: about half of the time between frames (a browser drawing
    // at 60 Hz gives ~8 ms, a slow software renderer more), within [8, 50] ms.
    sim.frame_budget_ms = std::clamp(interval * 0.5, 8.0, 50.0);
    constexpr std::int64_t kSlice = 20000;
    bool done = false;
    do {
        done = sim.session.step(kSlice);
    } while (!done && platform::now_ms() - start < sim.frame_budget_ms);
    if (done) {
        sim.last_run_ms = platform::now_ms() - sim.run_started_ms;
        char msg[96];
        std::snprintf(msg, sizeof msg, "Simulated %" PRId64 " leads in %.2f s", sim.session.leads(),
                      sim.last_run_ms / 1000.0);
        app.notify(msg, 6.0);
        if (sim.open_tab.empty()) sim.open_tab = "results";
    }
}

namespace {

// [SECTION] Widgets bound to scenario JSON

void mark_changed(AppState& app) {
    ++app.sim.scenario_version;
}

bool input_int(const char* label, Json& obj, const char* key, std::int64_t fallback,
               std::int64_t lo, std::int64_t hi) {
    std::int64_t v = obj.is_object() && obj.contains(key) && obj[key].is_number_integer()
                         ? obj[key].get<std::int64_t>()
                         : fallback;
    if (!ImGui::InputScalar(label, ImGuiDataType_S64, &v, nullptr, nullptr, "%" PRId64,
                            ImGuiInputTextFlags_EnterReturnsTrue | 0)) {
        return false;
    }
    obj[key] = std::clamp(v, lo, hi);
    return true;
}

bool input_number(const char* label, Json& obj, const char* key, double fallback, double lo,
                  double hi, const char* format = "%g") {
    double v = number_at(obj, key, fallback);
    if (!ImGui::InputDouble(label, &v, 0, 0, format)) return false;
    set_number(obj, key, std::clamp(v, lo, hi));
    return true;
}

// A 0–100% slider over a probability; true when dragged.
bool probability_slider(const char* label, double* p) {
    float pct = static_cast<float>(*p * 100.0);
    if (!ImGui::SliderFloat(label, &pct, 0.0f, 100.0f, "%.1f%%", ImGuiSliderFlags_AlwaysClamp)) {
        return false;
    }
    *p = pct / 100.0;
    return true;
}

std::string node_title(const Node& n) {
    return (n.label.empty() ? n.id : n.label) + "##" + n.id;
}

// [SECTION] Scenario editor

void general_form(AppState& app, Json& sc) {
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    bool changed = false;
    std::int64_t leads = sc.contains("leads") && sc["leads"].is_number_integer()
                             ? sc["leads"].get<std::int64_t>()
                             : 1000;
    if (ImGui::InputScalar("Leads", ImGuiDataType_S64, &leads, nullptr, nullptr, "%" PRId64)) {
        sc["leads"] = std::clamp<std::int64_t>(leads, 1, kMaxScenarioLeads);
        changed = true;
    }
    app.probe("sim/leads");
    changed |= input_int("Seed", sc, "seed", 1, 0, INT64_MAX);
    std::string start = sc.contains("start_time") && sc["start_time"].is_string()
                            ? sc["start_time"].get<std::string>()
                            : "2026-01-05T09:00:00.000Z";
    if (ImGui::InputText("Start (UTC)", &start)) {
        sc["start_time"] = start;
        changed = true;
    }
    changed |= input_number("Horizon (days)", sc, "horizon_days", 90, 0.01, 3650);
    Json& arrivals = sc["arrivals"];
    if (!arrivals.is_object()) arrivals = Json{{"mode", "all_at_start"}};
    const bool uniform = arrivals.contains("mode") && arrivals["mode"] == "uniform";
    int mode = uniform ? 1 : 0;
    const char* const modes[] = {"all at start", "uniform"};
    if (ImGui::Combo("Arrivals", &mode, modes, 2)) {
        arrivals["mode"] = mode == 1 ? "uniform" : "all_at_start";
        if (mode == 1 && !arrivals.contains("over_days")) arrivals["over_days"] = 7;
        if (mode == 0) arrivals.erase("over_days");
        changed = true;
    }
    if (mode == 1) changed |= input_number("Over (days)", arrivals, "over_days", 1, 0.001, 3650);
    changed |= input_number("Cost / minute", sc, "cost_per_minute", 0, 0, 1e6, "%.4g");
    ImGui::PopItemWidth();
    if (changed) mark_changed(app);
}

// The leads' phone-number mix (scenario.phone_numbers): a row per number with its share, rows
// added and removed, the shares rescaled to sum to 1 on request. The core's parser judges the
// mix (the panel does not second-guess it) and its message shows under the table.
void phone_numbers_form(AppState& app, Json& sc) {
    Json& mix = sc["phone_numbers"];
    if (!mix.is_array()) mix = Json::array();
    bool changed = false;
    std::optional<std::size_t> remove;  // the row whose x was clicked
    double sum = 0;
    const ImGuiTableFlags flags = ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg;
    if (!mix.empty() && ImGui::BeginTable("phone_numbers", 3, flags)) {
        ImGui::TableSetupColumn("Number", ImGuiTableColumnFlags_WidthStretch, 0.62f);
        ImGui::TableSetupColumn("Share", ImGuiTableColumnFlags_WidthStretch, 0.38f);
        ImGui::TableSetupColumn("##remove", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < mix.size(); ++i) {
            Json& row = mix[i];
            if (!row.is_object()) row = Json::object();
            const std::string id = "sim/phone/" + std::to_string(i);
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            std::string number = row.contains("number") && row["number"].is_string()
                                     ? row["number"].get<std::string>()
                                     : std::string();
            ImGui::SetNextItemWidth(-FLT_MIN);
            if (ImGui::InputTextWithHint("##number", "+14155550100", &number)) {
                row["number"] = number;
                changed = true;
            }
            app.probe(id + "/number");
            ImGui::TableNextColumn();
            double share = number_at(row, "share", 0);
            sum += share;
            ImGui::SetNextItemWidth(-FLT_MIN);
            if (ImGui::InputDouble("##share", &share, 0, 0, "%.4g")) {
                set_number(row, "share", std::clamp(share, 0.0, 1e6));
                changed = true;
            }
            app.probe(id + "/share");
            ImGui::TableNextColumn();
            if (ImGui::SmallButton("x")) remove = i;
            app.probe(id + "/remove");
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    ImGui::BeginDisabled(mix.size() >= kMaxScenarioPhoneNumbers);
    if (ImGui::SmallButton("Add number")) {
        mix.push_back(Json{{"number", ""}, {"share", 0}});
        changed = true;
    }
    ImGui::EndDisabled();
    app.probe("sim/phone/add");
    if (!mix.empty()) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Normalize shares")) {
            normalize_phone_shares(mix);
            changed = true;
        }
        app.probe("sim/phone/normalize");
        ImGui::SameLine();
        ImGui::TextDisabled("sum %.6g", sum);
    }
    if (remove) {
        mix.erase(*remove);
        changed = true;
    }
    if (mix.empty()) {
        sc.erase("phone_numbers");  // `mix` is gone from here on
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled(
            "No numbers: each lead's zone is the workflow's (or its timezone variable's).");
        ImGui::PopTextWrapPos();
    }
    const std::string& error = app.sim.scenario_error;
    if (error.rfind("scenario.phone_numbers", 0) == 0) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(tone(app, StatusTone::kBad), "%s", error.c_str());
        ImGui::PopTextWrapPos();
        app.probe("sim/phone/error");
    }
    if (changed) mark_changed(app);
}

// Analysis attributes of one call node: bool (p_true slider) or values ("a=0.6, b=0.4").
bool analysis_form(Json& model) {
    bool changed = false;
    Json& analysis = model["analysis"];
    if (!analysis.is_object()) analysis = Json::object();
    std::string remove;
    for (auto it = analysis.begin(); it != analysis.end(); ++it) {
        ImGui::PushID(it.key().c_str());
        Json& a = it.value();
        if (!a.is_object()) a = Json{{"type", "bool"}, {"p_true", 0.5}};
        const bool is_bool = !a.contains("values");
        ImGui::TextUnformatted(it.key().c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("x")) remove = it.key();
        if (is_bool) {
            double p = number_at(a, "p_true", 0.5);
            if (probability_slider("true", &p)) {
                a = Json{{"type", "bool"}};
                set_number(a, "p_true", std::round(p * 10000) / 10000);
                changed = true;
            }
        } else {
            std::string text = format_value_list(a["values"]);
            if (ImGui::InputText("values", &text, ImGuiInputTextFlags_EnterReturnsTrue)) {
                Result<Json> v = parse_value_list(text);
                if (v.ok()) {
                    a = Json{{"type", "values"}, {"values", *v}};
                    changed = true;
                }
            }
        }
        ImGui::PopID();
    }
    if (!remove.empty()) {
        analysis.erase(remove);
        changed = true;
    }
    static std::string new_name;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.45f);
    ImGui::InputTextWithHint("##newattr", "attribute name", &new_name);
    ImGui::SameLine();
    if (ImGui::SmallButton("+ yes/no") && !new_name.empty()) {
        analysis[new_name] = Json{{"type", "bool"}, {"p_true", 0.5}};
        new_name.clear();
        changed = true;
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("+ values") && !new_name.empty()) {
        analysis[new_name] = Json{{"type", "values"}, {"values", {{"a", 0.5}, {"b", 0.5}}}};
        new_name.clear();
        changed = true;
    }
    if (analysis.empty()) model.erase("analysis");
    return changed;
}

void call_node_form(AppState& app, Json& sc, const Node& n) {
    ImGui::PushID(n.id.c_str());
    std::array<double, 5> p = scenario_outcomes(sc, n.id);
    bool changed = false;
    for (int i = 0; i < 5; ++i) {
        double v = p[static_cast<std::size_t>(i)];
        if (probability_slider(kScenarioOutcomes[i], &v)) {
            rebalance_outcomes(p, i, v);
            set_scenario_outcomes(sc, n.id, p);
            changed = true;
        }
        app.probe("sim/outcome/" + n.id + "/" + kScenarioOutcomes[i]);
    }
    Json& model = scenario_node(sc, n.id);
    Json& dur = model["call_duration_s"];
    if (!dur.is_object()) dur = Json::object();
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.3f);
    changed |= input_number("mean s", dur, "mean", 60, 0, 86400);
    ImGui::SameLine();
    changed |= input_number("sd s", dur, "sd", 30, 0, 86400);
    ImGui::PopItemWidth();
    if (dur.empty()) model.erase("call_duration_s");
    if (ImGui::TreeNode("Post-call analysis")) {
        changed |= analysis_form(model);
        ImGui::TreePop();
    }
    if (model.empty()) sc["nodes"].erase(n.id);
    if (changed) mark_changed(app);
    ImGui::PopID();
}

void application_node_form(AppState& app, Json& sc, const Node& n) {
    ImGui::PushID(n.id.c_str());
    Json& model = scenario_node(sc, n.id);
    bool changed = false;
    double rate = number_at(model, "success_rate", 0.98);
    if (probability_slider("success", &rate)) {
        set_number(model, "success_rate", std::round(rate * 10000) / 10000);
        changed = true;
    }
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.4f);
    changed |= input_number("latency s", model, "latency_s", 2, 0, 86400);
    if (model.empty()) sc["nodes"].erase(n.id);
    if (changed) mark_changed(app);
    ImGui::PopID();
}

void variables_form(AppState& app, Json& sc) {
    Json& vars = sc["variables"];
    if (!vars.is_object()) vars = Json::object();
    bool changed = false;
    std::string remove;
    static std::unordered_map<std::string, std::string> drafts;  // text being typed per variable
    static std::unordered_map<std::string, std::string> errors;
    for (auto it = vars.begin(); it != vars.end(); ++it) {
        ImGui::PushID(it.key().c_str());
        const std::string& name = it.key();
        if (!drafts.count(name)) drafts[name] = format_value_list(it.value()["values"]);
        ImGui::TextUnformatted(name.c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("x")) remove = name;
        ImGui::SetNextItemWidth(-1);
        if (ImGui::InputText("##values", &drafts[name])) {
            Result<Json> v = parse_value_list(drafts[name]);
            errors[name] = v.ok() ? std::string() : v.status().message();
            if (v.ok()) {
                it.value() = Json{{"values", *v}};
                changed = true;
            }
        }
        if (!errors[name].empty()) {
            ImGui::TextColored(tone(app, StatusTone::kBad), "%s", errors[name].c_str());
        }
        ImGui::PopID();
    }
    if (!remove.empty()) {
        vars.erase(remove);
        drafts.erase(remove);
        errors.erase(remove);
        changed = true;
    }
    static std::string new_name;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
    ImGui::InputTextWithHint("##newvar", "variable name (e.g. city)", &new_name);
    ImGui::SameLine();
    if (ImGui::SmallButton("Add variable") && !new_name.empty() && !vars.contains(new_name)) {
        vars[new_name] = Json{{"values", {{"a", 0.5}, {"b", 0.5}}}};
        drafts.erase(new_name);
        new_name.clear();
        changed = true;
    }
    if (vars.empty()) sc.erase("variables");
    if (changed) mark_changed(app);
}

void run_controls(AppState& app) {
    SimUi& sim = app.sim;
    const float r = app.ui_ratio();
    if (sim.session.running()) {
        if (ImGui::Button("Cancel", {90 * r, 0})) {
            sim.session.cancel();
            app.notify("Simulation cancelled");
        }
        app.probe("sim/cancel");
        ImGui::SameLine();
        char overlay[64];
        std::snprintf(overlay, sizeof overlay, "%.0f%%  ·  %" PRId64 " events",
                      sim.session.progress() * 100.0, sim.session.events());
        ImGui::ProgressBar(static_cast<float>(sim.session.progress()), {-1, 0}, overlay);
        app.probe("sim/progress");
        return;
    }
    ImGui::BeginDisabled(!sim.scenario_error.empty());
    if (ImGui::Button("Run simulation", {140 * r, 0})) start_simulation(app);
    ImGui::EndDisabled();
    app.probe("sim/run");
    ImGui::SameLine();
    if (ImGui::Button("Copy link")) copy_share_link(app);
    app.probe("sim/copy_link");
    if (!sim.session.results_text().empty()) {
        ImGui::TextDisabled("Last run: %" PRId64 " leads, %.2f s",
                            sim.session.results()["leads"].get<std::int64_t>(),
                            sim.last_run_ms / 1000.0);
        if (sim.results_graph_version != app.editor.structure_version()) {
            ImGui::TextColored(tone(app, StatusTone::kWarn), "The graph changed since: run again.");
        }
    }
    if (!sim.error.empty())
        ImGui::TextColored(tone(app, StatusTone::kBad), "%s", sim.error.c_str());
}

}  // namespace

void draw_sim_panel(AppState& app) {
    SimUi& sim = app.sim;
    // The forms edit a copy: drawing never changes the scenario, only an edit does.
    Json sc = sim.scenario.is_object() ? sim.scenario : Json::object();
    const std::uint64_t version = sim.scenario_version;
    run_controls(app);
    if (!sim.scenario_error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(tone(app, StatusTone::kBad), "Scenario: %s", sim.scenario_error.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::Checkbox("Show results on the canvas", &sim.show_overlay);
    ImGui::Separator();
    if (ImGui::CollapsingHeader("Leads and time", ImGuiTreeNodeFlags_DefaultOpen)) {
        general_form(app, sc);
    }
    // Open while the scenario has a mix (a share link's shows at once) until toggled by hand.
    const bool has_mix = sc.contains("phone_numbers") && sc["phone_numbers"].is_array() &&
                         !sc["phone_numbers"].empty();
    const bool mix_open = ImGui::CollapsingHeader(
        "Phone numbers", has_mix ? ImGuiTreeNodeFlags_DefaultOpen : ImGuiTreeNodeFlags_None);
    app.probe("sim/phone_numbers");
    if (mix_open) phone_numbers_form(app, sc);
    const Graph& g = app.editor.graph();
    if (ImGui::CollapsingHeader("Calls", ImGuiTreeNodeFlags_DefaultOpen)) {
        int count = 0;
        for (const Node& n : g.nodes) {
            if (n.type != NodeType::kVoiceCall) continue;
            ++count;
            if (ImGui::TreeNodeEx(node_title(n).c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
                call_node_form(app, sc, n);
                ImGui::TreePop();
            }
        }
        if (count == 0) ImGui::TextDisabled("No call nodes.");
    }
    bool any_app = false;
    for (const Node& n : g.nodes) any_app |= n.type == NodeType::kApplication;
    if (any_app && ImGui::CollapsingHeader("Applications")) {
        for (const Node& n : g.nodes) {
            if (n.type != NodeType::kApplication) continue;
            if (ImGui::TreeNodeEx(node_title(n).c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
                application_node_form(app, sc, n);
                ImGui::TreePop();
            }
        }
    }
    if (ImGui::CollapsingHeader("Lead variables")) variables_form(app, sc);
    if (sim.scenario_version != version) {
        for (const char* key : {"nodes", "variables"}) {
            if (sc.contains(key) && sc[key].is_object() && sc[key].empty()) sc.erase(key);
        }
        sim.scenario = std::move(sc);
    }
}

// [SECTION] Panels and menu

namespace {

// A tab that can also be opened programmatically through SimUi::open_tab.
bool tab(AppState& app, const char* label, const char* key) {
    ImGuiTabItemFlags flags = 0;
    if (app.sim.open_tab == key) {
        flags |= ImGuiTabItemFlags_SetSelected;
    }
    const bool open = ImGui::BeginTabItem(label, nullptr, flags);
    app.probe(std::string("tab/") + key);
    return open;
}

}  // namespace

void draw_right_panel(AppState& app) {
    if (!ImGui::BeginTabBar("right_tabs")) return;
    if (tab(app, "Inspector", "inspector")) {
        draw_inspector(app);
        ImGui::EndTabItem();
    }
    if (tab(app, "Simulation", "simulation")) {
        ImGui::BeginChild("sim_scroll");
        draw_sim_panel(app);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    if (server_mode_available(app) && tab(app, "Server", "server")) {
        ImGui::BeginChild("server_scroll");
        draw_server_panel(app);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
    if (app.sim.open_tab == "inspector" || app.sim.open_tab == "simulation" ||
        app.sim.open_tab == "server") {
        app.sim.open_tab.clear();
    }
}

void draw_bottom_panel(AppState& app) {
    if (!ImGui::BeginTabBar("bottom_tabs")) return;
    if (tab(app, "Validation", "validation")) {
        draw_validation_panel(app);
        ImGui::EndTabItem();
    }
    if (tab(app, "Simulation results", "results")) {
        draw_sim_results(app);
        ImGui::EndTabItem();
    }
    if (tab(app, "Compare", "compare")) {
        draw_compare_panel(app);
        ImGui::EndTabItem();
    }
    if (app.versions.diff_on && tab(app, "Version diff", "diff")) {
        draw_diff_list(app);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
    const std::string& t = app.sim.open_tab;
    if (t == "validation" || t == "results" || t == "compare" || t == "diff") {
        app.sim.open_tab.clear();
    }
}

void draw_sim_menu(AppState& app) {
    if (!ImGui::BeginMenu("Simulate")) {
        app.probe("menu/simulate");
        return;
    }
    app.probe("menu/simulate");
    const bool running = app.sim.session.running();
    if (ImGui::MenuItem("Run simulation", nullptr, false,
                        !running && app.sim.scenario_error.empty())) {
        start_simulation(app);
    }
    if (ImGui::MenuItem("Cancel run", nullptr, false, running)) app.sim.session.cancel();
    if (ImGui::MenuItem("Scenario...")) app.sim.open_tab = "simulation";
    if (ImGui::MenuItem("Results")) app.sim.open_tab = "results";
    ImGui::MenuItem("Results on the canvas", nullptr, &app.sim.show_overlay);
    draw_compare_menu(app);
    ImGui::Separator();
    if (ImGui::MenuItem("Copy share link")) copy_share_link(app);
    app.probe("menu/simulate/copy_link");
    ImGui::EndMenu();
}

}  // namespace leadflow::web
