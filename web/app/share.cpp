// web/app/share.cpp — share links in the app (docs/simulation.md#share-links): the link for the
// current graph, scenario and view; opening one (graph, scenario and view restored, the same
// simulation run again); and the message for a link that cannot be opened, which leaves the work
// untouched.
#include <imgui.h>

#include "app.hpp"
#include "platform.hpp"

namespace leadflow::web {

namespace {

// Longer links than this are offered as short links when a server is at hand (some chat and
// mail tools cut long URLs).
constexpr std::size_t kLongLinkChars = 2000;

std::string open_panel(const AppState& app) {
    if (app.sim.session.running() || !app.sim.session.results_text().empty()) return "results";
    return "";
}

Vec2 canvas_center(const AppState& app) {
    const Rect& r = app.canvas_screen;
    return {(r.min.x + r.max.x) / 2, (r.min.y + r.max.y) / 2};
}

}  // namespace

std::string current_share_fragment(AppState& app) {
    LinkView v;
    v.center = app.editor.camera.screen_to_world(canvas_center(app));
    v.zoom = app.editor.camera.zoom;
    v.panel = open_panel(app);
    app.sim.last_fragment = make_share_fragment(app.editor.graph(), app.sim.scenario, v);
    return app.sim.last_fragment;
}

Status open_share_link(AppState& app, const std::string& fragment) {
    Result<OpenedLink> link = open_share_fragment(fragment);
    if (!link.ok()) {
        app.sim.link_error = link.status().message();
        app.sim.link_error_open = true;
        app.notify("Link not opened: " + link.status().message(), 10.0);
        return link.status();
    }
    const std::string notes_warning = app.editor.load(std::move(link->graph), true, "Open link");
    // A link's view frames the positions it carries: laid out anew, the graph is fitted instead.
    const bool arranged = arrange_opened_graph(app);
    compare_remember_opened(app, "share link");
    app.sim.scenario = link->scenario.is_null() ? Json::object() : link->scenario;
    ++app.sim.scenario_version;
    app.sim.pending_view = arranged ? std::nullopt : link->view;
    if (!app.sim.pending_view) app.request_fit = true;
    app.sim.open_tab = "simulation";
    Status run = start_simulation(app);
    app.notify(run.is_ok() ? "Opened shared workflow; simulating..."
                           : "Opened shared workflow; " + run.message(),
               6.0);
    // Held over the simulation's messages, so it can be read.
    if (!notes_warning.empty()) app.notify(notes_warning, 12.0, true);
    return Status::ok();
}

void copy_share_link(AppState& app) {
    const std::string fragment = current_share_fragment(app);
    const std::size_t length = platform::share_url(fragment).size();
    // A long link on a Leadflow server: store it there and copy the short /s/<id> link instead.
    if (length > kLongLinkChars && app.server.signed_in) {
        server_short_link(app);
        return;
    }
    platform::copy_share_link(fragment);
    app.notify("Link copied (" + std::to_string(length) + " characters)", 6.0);
}

void share_tick(AppState& app) {
    SimUi& sim = app.sim;
    const Rect& cs = app.canvas_screen;
    if (sim.pending_view && cs.width() > 1 && cs.height() > 1) {
        Camera& cam = app.editor.camera;
        cam.set_zoom_at(canvas_center(app), sim.pending_view->zoom);
        cam.center_on(sim.pending_view->center, cs);
        if (!sim.pending_view->panel.empty()) sim.open_tab = sim.pending_view->panel;
        sim.pending_view.reset();
        app.request_fit = false;
    }
    if (sim.link_error_open) {
        ImGui::OpenPopup("Link not opened");
        sim.link_error_open = false;
    }
    const float r = app.ui_ratio();
    ImGui::SetNextWindowSize({460 * r, 0}, ImGuiCond_Appearing);
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(
        {vp->WorkPos.x + vp->WorkSize.x / 2, vp->WorkPos.y + vp->WorkSize.y / 3},
        ImGuiCond_Appearing, {0.5f, 0.5f});
    if (ImGui::BeginPopupModal("Link not opened", nullptr, ImGuiWindowFlags_NoSavedSettings)) {
        app.probe("link_error");
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(sim.link_error.c_str());
        ImGui::Spacing();
        ImGui::TextDisabled("Your current workflow was not changed.");
        ImGui::PopTextWrapPos();
        if (ImGui::Button("OK", {120 * r, 0})) ImGui::CloseCurrentPopup();
        app.probe("link_error/ok");
        ImGui::EndPopup();
    }
}

}  // namespace leadflow::web
