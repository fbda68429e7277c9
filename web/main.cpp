// web/main.cpp — the browser editor's entry point: GLFW + WebGL2 + Dear ImGui set-up, the frame
// loop (HiDPI and resize handling, grid pass, frame-build timing), and the C functions that the
// JavaScript automation API (web/js/leadflow.js → window.leadflow) calls.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "app/app.hpp"
#include "app/grid_renderer.hpp"
#include "leadflow/validate.hpp"
#include "leadflow/wire.hpp"
#include "platform.hpp"

namespace {

// Startup timeline for bench/editor_bench.mjs: performance.mark("lf:<what>").
// clang-format off
EM_JS(void, mark, (const char* what), { performance.mark('lf:' + UTF8ToString(what)); });
// Start-up failed: the page shows why (index.html's Module.onAbort).
EM_JS(void, show_fatal, (const char* what), {
    if (Module['onAbort']) Module['onAbort'](UTF8ToString(what));
});
// clang-format on

// Mouse wheel and trackpad for ImGui, as its GLFW backend feeds them (100 pixels, 3 lines or
// 1/80 page per step), but listened to on the canvas: the backend listens on the document,
// where Chrome makes wheel listeners passive and logs a console error for every event.
EM_BOOL on_wheel(int, const EmscriptenWheelEvent* ev, void*) {
    float per_step = 0.0f;
    if (ev->deltaMode == DOM_DELTA_PIXEL) {
        per_step = 1.0f / 100.0f;
    } else if (ev->deltaMode == DOM_DELTA_LINE) {
        per_step = 1.0f / 3.0f;
    } else if (ev->deltaMode == DOM_DELTA_PAGE) {
        per_step = 80.0f;
    }
    ImGui::GetIO().AddMouseWheelEvent(static_cast<float>(ev->deltaX) * -per_step,
                                      static_cast<float>(ev->deltaY) * -per_step);
    return EM_TRUE;  // the page itself never scrolls
}

using leadflow::Json;
using namespace leadflow::web;

GLFWwindow* g_window = nullptr;
AppState* g_app = nullptr;
GridRenderer g_grid;
bool g_ready = false;
int g_pixel_w = 0, g_pixel_h = 0;
float g_font_ratio = 0;
std::string g_result;  // backing store for strings returned to JavaScript

const char* hold(std::string s) {
    g_result = std::move(s);
    return g_result.c_str();
}

// The canvas's size in device pixels (CSS size × devicePixelRatio, at least 1 × 1).
void canvas_pixel_size(int* w, int* h, double* dpr) {
    double css_w = 0, css_h = 0;
    platform::canvas_css_size(&css_w, &css_h);
    *dpr = platform::device_pixel_ratio();
    *w = std::max(1, static_cast<int>(std::lround(css_w * *dpr)));
    *h = std::max(1, static_cast<int>(std::lround(css_h * *dpr)));
}

// Matches the canvas's drawing buffer to its CSS size × devicePixelRatio, and rebuilds fonts
// when the ratio changes (moving the window to another screen, browser zoom).
void sync_canvas_size() {
    int w = 1, h = 1;
    double dpr = 1;
    canvas_pixel_size(&w, &h, &dpr);
    if (w != g_pixel_w || h != g_pixel_h) {
        platform::set_canvas_pixel_size(w, h);
        g_pixel_w = w;
        g_pixel_h = h;
    }
    const float ratio = static_cast<float>(dpr);
    // The first frame bakes only the UI font; the canvas sizes follow on the next frame.
    const bool complete_fonts = g_ready && !g_app->fonts.complete();
    if (ratio != g_font_ratio || complete_fonts) {
        const bool rebuild = g_font_ratio != 0;
        if (rebuild) ImGui_ImplOpenGL3_DestroyFontsTexture();
        g_app->fonts.build(ratio, g_ready ? Fonts::Bake::kAll : Fonts::Bake::kFirstFrame);
        if (rebuild) ImGui_ImplOpenGL3_CreateFontsTexture();
        ImGuiStyle style;
        ImGui::StyleColorsDark(&style);
        style.WindowRounding = 4.0f;
        style.FrameRounding = 3.0f;
        style.ScaleAllSizes(ratio);
        ImGui::GetStyle() = style;
        g_font_ratio = ratio;
        g_app->pixel_ratio = ratio;
        g_app->editor.camera.pixel_ratio = ratio;
    }
}

// AppState::canvas_background: the grid over the Rect the callback carries.
void draw_canvas_grid(const ImDrawList*, const ImDrawCmd* cmd) {
    const ImDrawData* dd = ImGui::GetDrawData();
    const int fb_h = static_cast<int>(dd->DisplaySize.y * dd->FramebufferScale.y);
    g_grid.draw(g_app->editor.camera, *static_cast<const Rect*>(cmd->UserCallbackData), fb_h);
}

void frame() {
    if (!g_ready) mark("frame");
    sync_canvas_size();
    const double start = platform::now_ms();
    ImGui_ImplOpenGL3_NewFrame();
    if (!g_ready) mark("gl-objects");
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    draw_app(*g_app);
    ImGui::Render();
    g_app->stats.add(platform::now_ms() - start);
    if (!g_ready) mark("built");

    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(g_window, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(0.08f, 0.085f, 0.095f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());  // with the grid (draw_canvas_grid)
    if (!g_ready) {
        mark("presented");
        g_ready = true;
        platform::notify_ready();
    }
}

}  // namespace

extern "C" {

// window.leadflow.loadGraph(json): replaces the graph (not undoable). Returns {"ok": true} or
// {"ok": false, "error": "…"} as JSON text.
EMSCRIPTEN_KEEPALIVE const char* leadflow_load_graph(const char* json) {
    leadflow::Status s = load_graph_text(*g_app, json ? json : "", false, "Load graph");
    Json out = Json::object();
    out["ok"] = s.is_ok();
    if (!s.is_ok()) out["error"] = s.message();
    if (s.is_ok()) {
        g_app->request_fit = true;
        compare_remember_opened(*g_app, "loaded graph");
    }
    return hold(out.dump());
}

// File import (upload): like loadGraph but one undo step, and reported in the status line.
EMSCRIPTEN_KEEPALIVE const char* leadflow_import_text(const char* json) {
    leadflow::Status s = load_graph_text(*g_app, json ? json : "", true, "Import");
    Json out = Json::object();
    out["ok"] = s.is_ok();
    if (!s.is_ok()) out["error"] = s.message();
    g_app->notify(s.is_ok() ? "Imported graph" : "Import failed: " + s.message(), 8.0);
    if (s.is_ok()) {
        g_app->request_fit = true;
        compare_remember_opened(*g_app, "imported file");
    }
    return hold(out.dump());
}

// window.leadflow.getGraph(): the current graph as wire JSON text.
EMSCRIPTEN_KEEPALIVE const char* leadflow_get_graph() {
    return hold(graph_text(*g_app, false));
}

// window.leadflow.validate(): {"valid", "errors", "warnings"} for the current graph.
EMSCRIPTEN_KEEPALIVE const char* leadflow_validate() {
    update_validation(*g_app);
    return hold(leadflow::validation_report_json(g_app->diagnostics).dump());
}

// Frame build statistics (bench and tests).
EMSCRIPTEN_KEEPALIVE const char* leadflow_frame_stats() {
    const FrameStats& s = g_app->stats;
    Json out = Json::object();
    out["last_ms"] = s.last_ms;
    out["avg_ms"] = s.average_ms();
    out["samples"] = s.count;
    out["frames"] = s.frames;
    out["nodes_drawn"] = s.nodes_drawn;
    out["edges_drawn"] = s.edges_drawn;
    out["simple_lod"] = s.simple_lod;
    out["zoom"] = g_app->editor.camera.zoom;
    out["nodes"] = g_app->editor.graph().nodes.size();
    out["canvas_font_sizes"] = g_app->fonts.canvas_sizes.size();
    return hold(out.dump());
}

EMSCRIPTEN_KEEPALIVE void leadflow_fit_view() {
    g_app->request_fit = true;
}

// Sets the zoom (1 = 100%) around the canvas centre.
EMSCRIPTEN_KEEPALIVE void leadflow_set_zoom(double zoom) {
    const Rect& r = g_app->canvas_screen;
    g_app->editor.camera.set_zoom_at({(r.min.x + r.max.x) / 2, (r.min.y + r.max.y) / 2},
                                     static_cast<float>(zoom));
}

// Where things are on screen, in CSS pixels: named widgets, and the visible nodes with their
// pins. For end-to-end tests that drive the real mouse.
EMSCRIPTEN_KEEPALIVE const char* leadflow_ui_probe() {
    AppState& app = *g_app;
    const float k = 1.0f / app.pixel_ratio;
    auto rect_json = [k](const Rect& r) {
        return Json::array({r.min.x * k, r.min.y * k, r.width() * k, r.height() * k});
    };
    Json out = Json::object();
    out["pixel_ratio"] = app.pixel_ratio;
    out["canvas"] = rect_json(app.canvas_screen);
    out["items"] = Json::object();
    for (const auto& [name, r] : app.probes) out["items"][name] = rect_json(r);
    out["nodes"] = Json::object();
    Editor& ed = app.editor;
    const GraphIndex& idx = ed.index();
    const Camera& cam = ed.camera;
    for (int i = 0; i < static_cast<int>(idx.node_count()) && i < 500; ++i) {
        const Rect w = idx.node_rect(ed.graph(), i);
        Rect s{cam.world_to_screen(w.min), cam.world_to_screen(w.max)};
        if (!s.overlaps(app.canvas_screen)) continue;
        Json n = Json::object();
        n["rect"] = rect_json(s);
        const leadflow::web::Vec2 in = cam.world_to_screen(idx.input_pin_world(ed.graph(), i));
        n["input"] = Json::array({in.x * k, in.y * k});
        Json pins = Json::object();
        const auto& shape = idx.shape(i);
        for (int p = 0; p < static_cast<int>(shape.pins.size()); ++p) {
            const leadflow::web::Vec2 c =
                cam.world_to_screen(idx.output_pin_world(ed.graph(), i, p));
            pins[shape.pins[static_cast<std::size_t>(p)].label] = Json::array({c.x * k, c.y * k});
        }
        n["pins"] = pins;
        out["nodes"][ed.graph().nodes[static_cast<std::size_t>(i)].id] = n;
    }
    Json sel = Json::array();
    for (const std::string& id : ed.selected_nodes()) sel.push_back(id);
    out["selected_nodes"] = sel;
    Json sel_e = Json::array();
    for (const std::string& id : ed.selected_edges()) sel_e.push_back(id);
    out["selected_edges"] = sel_e;
    out["zoom"] = cam.zoom;
    out["can_undo"] = ed.history().can_undo();
    out["status"] = app.status;
    return hold(out.dump());
}

// The browser's copy event asks for the selection as clipboard text.
EMSCRIPTEN_KEEPALIVE const char* leadflow_copy_selection() {
    if (g_app->editor.selected_nodes().empty()) return "";
    return hold(g_app->editor.copy_selection());
}

// The browser's paste event hands over the clipboard text; the Ctrl+V shortcut uses it.
EMSCRIPTEN_KEEPALIVE void leadflow_set_paste_text(const char* text) {
    g_app->pasted_text = std::string(text ? text : "");
}

EMSCRIPTEN_KEEPALIVE const char* leadflow_autosave_key() {
    return kAutosaveKey;
}

// True while an ImGui text field has the keyboard (the browser's copy/cut events then belong
// to the field, not to the canvas selection).
EMSCRIPTEN_KEEPALIVE int leadflow_wants_text_input() {
    return ImGui::GetIO().WantTextInput ? 1 : 0;
}

// [SECTION] Simulation and share links (web/app/sim_ui.hpp)

std::string g_last_error;

// window.leadflow.setScenario(json): {"ok": true} or {"ok": false, "error": "…"}.
EMSCRIPTEN_KEEPALIVE const char* leadflow_set_scenario(const char* text) {
    Json out = Json::object();
    leadflow::Result<Json> j = leadflow::parse_json(text ? text : "");
    leadflow::Status s = j.ok() ? set_scenario(*g_app, *j) : j.status();
    out["ok"] = s.is_ok();
    if (!s.is_ok()) out["error"] = s.message();
    return hold(out.dump());
}

EMSCRIPTEN_KEEPALIVE const char* leadflow_get_scenario() {
    return hold(g_app->sim.scenario.dump());
}

// window.leadflow.simulate(): the results JSON text exactly as `leadflow-sim --json` prints it
// (without its final newline), or "" with the reason in leadflow_last_error(). Runs at once.
EMSCRIPTEN_KEEPALIVE const char* leadflow_simulate() {
    SimUi& sim = g_app->sim;
    leadflow::Status s = sim.session.start(g_app->editor.graph(), sim.scenario);
    if (!s.is_ok()) {
        g_last_error = s.message();
        return "";
    }
    const double t0 = emscripten_get_now();
    sim.session.step(INT64_MAX);
    sim.last_run_ms = emscripten_get_now() - t0;
    sim.results_graph_version = g_app->editor.structure_version();
    return sim.session.results_text().c_str();
}

EMSCRIPTEN_KEEPALIVE const char* leadflow_last_error() {
    return g_last_error.c_str();
}

// Starts a run split across frames (the Run button). {"ok", "error"}.
EMSCRIPTEN_KEEPALIVE const char* leadflow_start_simulation() {
    leadflow::Status s = start_simulation(*g_app);
    Json out = Json::object();
    out["ok"] = s.is_ok();
    if (!s.is_ok()) out["error"] = s.message();
    return hold(out.dump());
}

// {"running", "progress", "events", "leads", "finished_runs", "last_run_ms", "error"}.
EMSCRIPTEN_KEEPALIVE const char* leadflow_sim_status() {
    const SimUi& sim = g_app->sim;
    Json out = Json::object();
    out["running"] = sim.session.running();
    out["progress"] = sim.session.progress();
    out["events"] = sim.session.events();
    out["leads"] = sim.session.leads();
    out["finished_runs"] = sim.session.results_version();
    out["last_run_ms"] = sim.last_run_ms;
    out["error"] = sim.error;
    out["scenario_error"] = sim.scenario_error;
    out["link_error"] = sim.link_error;
    out["overlay"] = Json{
        {"edges", sim.overlay_edges}, {"badges", sim.overlay_badges}, {"stuck", sim.overlay_stuck}};
    return hold(out.dump());
}

// The last finished run's results JSON text ("" when none).
EMSCRIPTEN_KEEPALIVE const char* leadflow_results() {
    return g_app->sim.session.results_text().c_str();
}

EMSCRIPTEN_KEEPALIVE const char* leadflow_share_fragment() {
    return hold(current_share_fragment(*g_app));
}

// Opens a share link (URL, "#s=1.…" or "s=1.…"). {"ok": true} or {"ok": false, "error"}; on
// failure the current work is untouched and the page shows the message.
EMSCRIPTEN_KEEPALIVE const char* leadflow_open_link(const char* text) {
    std::string t = text ? text : "";
    const std::size_t hash = t.find('#');
    if (hash != std::string::npos) t = t.substr(hash + 1);
    leadflow::Status s = open_share_link(*g_app, t);
    Json out = Json::object();
    out["ok"] = s.is_ok();
    if (!s.is_ok()) out["error"] = s.message();
    return hold(out.dump());
}

// [SECTION] Server mode (web/app/server_client.hpp)

// An answer to a platform::http_request (status 0 = no answer).
EMSCRIPTEN_KEEPALIVE void leadflow_http_done(int id, int status, const char* body) {
    server_deliver(*g_app, id, status, body ? body : "");
}

// The page's glue found leadflow-server behind the page (GET /healthz answered "ok").
EMSCRIPTEN_KEEPALIVE void leadflow_server_detected(const char* provider) {
    server_detected(*g_app, provider ? provider : "");
}

// window.leadflow.server.<action>(arg): the Server tab's buttons. {"ok": true} or
// {"ok": false, "error": "unknown action"}; results show in leadflow_server_status().
EMSCRIPTEN_KEEPALIVE const char* leadflow_server_action(const char* action, const char* arg) {
    const std::string a = action ? action : "", v = arg ? arg : "";
    AppState& app = *g_app;
    bool ok = true;
    if (a == "sign_in") {
        server_sign_in(app, v);
    } else if (a == "sign_out") {
        server_sign_out(app);
    } else if (a == "refresh") {
        server_refresh_list(app);
    } else if (a == "open") {
        server_open(app, v);
    } else if (a == "create") {
        server_create(app, v);
    } else if (a == "save") {
        server_save(app);
    } else if (a == "validate") {
        server_validate(app);
    } else if (a == "activate" || a == "pause" || a == "resume" || a == "cancel") {
        server_lifecycle(app, a);
    } else if (a == "save_scenario") {
        server_save_scenario(app);
    } else if (a == "short_link") {
        server_short_link(app);
    } else if (a == "live") {
        server_set_live(app, v != "off");
    } else if (a == "history") {
        server_load_history(app, v);
    } else {
        ok = versions_action(app, a, v);
    }
    Json out = Json::object();
    out["ok"] = ok;
    if (!ok) out["error"] = "unknown action '" + a + "'";
    return hold(out.dump());
}

EMSCRIPTEN_KEEPALIVE const char* leadflow_server_status() {
    return hold(server_status_json(*g_app).dump());
}

// [SECTION] Comparing two graphs (web/app/compare_ui.hpp)

// window.leadflow.compare.action(name, arg): "opened", "template" (name), "clear".
EMSCRIPTEN_KEEPALIVE const char* leadflow_compare_action(const char* action, const char* arg) {
    return hold(compare_action(*g_app, action ? action : "", arg ? arg : "").dump());
}

EMSCRIPTEN_KEEPALIVE const char* leadflow_compare_status() {
    return hold(compare_status_json(*g_app).dump());
}

}  // extern "C"

int main() {
    mark("main");
    if (!glfwInit()) {
        std::fprintf(stderr, "glfwInit failed\n");
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    // No depth or stencil buffer: nothing draws with them.
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    // The drawing buffer gets its final size with the context: resizing it afterwards makes the
    // page wait for the GPU process (and for the grid shader compile queued before it).
    int pixel_w = 1, pixel_h = 1;
    double dpr = 1;
    canvas_pixel_size(&pixel_w, &pixel_h, &dpr);
    g_window = glfwCreateWindow(pixel_w, pixel_h, "Leadflow", nullptr, nullptr);
    if (!g_window) {
        std::fprintf(stderr, "glfwCreateWindow failed (WebGL2 unavailable?)\n");
        show_fatal("this browser could not create a WebGL 2 context");
        return 1;
    }
    glfwMakeContextCurrent(g_window);
    mark("gl");

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    emscripten_set_wheel_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, false, nullptr);
    emscripten_set_wheel_callback("#canvas", nullptr, false, on_wheel);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    // Text fields use the system clipboard: writes go to the browser, reads take the text the
    // browser's paste event delivered (web/js/leadflow.js), else the last copied text.
    io.SetClipboardTextFn = [](void*, const char* text) {
        g_app->text_clipboard = text ? text : "";
        platform::set_clipboard_text(g_app->text_clipboard);
    };
    io.GetClipboardTextFn = [](void*) -> const char* {
        if (g_app->pasted_text) g_app->text_clipboard = *g_app->pasted_text;
        return g_app->text_clipboard.c_str();
    };

    mark("imgui");
    g_app = new AppState();
    g_app->canvas_background = draw_canvas_grid;
    g_app->editor.ids() = IdGenerator(static_cast<std::uint64_t>(emscripten_get_now() * 1000.0) ^
                                      static_cast<std::uint64_t>(emscripten_random() * 1e12));
    mark("app");
    // The grid's shaders compile in the GPU process while the fonts bake.
    if (!g_grid.init()) std::fprintf(stderr, "grid shader unavailable; plain background\n");
    mark("grid");
    sync_canvas_size();
    mark("fonts");
    if (platform::fresh_start_requested() || !restore_autosave(*g_app)) {
        load_graph_text(*g_app, templates().front().json, false, "Template");
    }
    g_app->saved_version = g_app->editor.version();
    g_app->request_fit = true;
    mark("graph");
    // The first frame is drawn now, not at the next animation frame (up to one display refresh
    // later): the browser shows it with its next composited frame.
    frame();
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
