// web/app/templates.cpp — the three reference workflows, embedded at build time from
// tests/fixtures/ (the same files the core's tests use).
#include <imgui.h>

#include "app.hpp"
#include "embedded_assets.hpp"

namespace leadflow::web {

const std::vector<Template>& templates() {
    static const std::vector<Template> list = {
        {"Lead nurture", reinterpret_cast<const char*>(assets::kTemplateLeadNurture)},
        {"Re-engagement drip", reinterpret_cast<const char*>(assets::kTemplateReengagementDrip)},
        {"Conditional follow-up",
         reinterpret_cast<const char*>(assets::kTemplateConditionalFollowup)},
    };
    return list;
}

void draw_templates_menu(AppState& app) {
    if (!ImGui::BeginMenu("New from template")) return;
    for (const Template& t : templates()) {
        if (ImGui::MenuItem(t.name)) {
            Status s = load_graph_text(app, t.json, true, std::string("Template ") + t.name);
            app.notify(s.is_ok() ? std::string("Loaded template ") + t.name
                                 : "Template failed: " + s.message());
            if (s.is_ok()) compare_remember_opened(app, std::string("template ") + t.name);
            app.request_fit = true;
        }
    }
    ImGui::EndMenu();
}

}  // namespace leadflow::web
