// web/main.cpp — the browser editor's entry point: GLFW + WebGL2 + Dear ImGui set-up and the frame
// loop (HiDPI and resize handling, grid pass, frame-build timing). The C functions JavaScript
// calls (window.leadflow, the page's glue) are in js_api.cpp.
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
#include "js_api.hpp"
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

using namespace leadflow::web;

GLFWwindow* g_window = nullptr;
AppState* g_app = nullptr;
GridRenderer g_grid;
bool g_ready = false;
int g_pixel_w = 0, g_pixel_h = 0;
float g_font_ratio = 0;
UiSettings g_styled;  // the settings the fonts and style were last built for
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
    // Theme and UI scale (View menu) apply from the frame after they change.
    const UiSettings& settings = g_app->ui_settings;
    if (ratio != g_font_ratio || complete_fonts || settings != g_styled) {
        const bool rebuild = g_font_ratio != 0;
        const float ui_scale = static_cast<float>(settings.ui_scale) / 100.0f;
        if (rebuild) ImGui_ImplOpenGL3_DestroyFontsTexture();
        g_app->fonts.build(ratio, ui_scale, g_ready ? Fonts::Bake::kAll : Fonts::Bake::kFirstFrame);
        if (rebuild) ImGui_ImplOpenGL3_CreateFontsTexture();
        apply_editor_style(settings.theme, ratio * ui_scale);
        g_styled = settings;
        g_app->ui_scale = ui_scale;
        g_font_ratio = ratio;
        g_app->pixel_ratio = ratio;
        g_app->editor.camera.pixel_ratio = ratio;
    }
}

// AppState::canvas_background: the grid over the Rect the callback carries.
void draw_canvas_grid(const ImDrawList*, const ImDrawCmd* cmd) {
    const ImDrawData* dd = ImGui::GetDrawData();
    const int fb_h = static_cast<int>(dd->DisplaySize.y * dd->FramebufferScale.y);
    g_grid.draw(g_app->editor.camera, *static_cast<const Rect*>(cmd->UserCallbackData), fb_h,
                theme_colors(g_app->ui_settings.theme).grid);
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
    const float* clear = theme_colors(g_app->ui_settings.theme).clear;
    glClearColor(clear[0], clear[1], clear[2], clear[3]);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());  // with the grid (draw_canvas_grid)
    // File → Export canvas as PNG: the pixels just drawn, read before the browser presents them
    // (the drawing buffer is not preserved past this frame).
    if (g_app->png_export_frame != 0 && g_app->stats.frames >= g_app->png_export_frame) {
        export_canvas_png(*g_app, fb_h, [](int x, int y, int w, int h, unsigned char* rgba) {
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glReadPixels(x, y, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        });
    }
    if (!g_ready) {
        mark("presented");
        g_ready = true;
        platform::notify_ready();
    }
}

}  // namespace

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
    js_api_attach(*g_app);
    load_ui_settings(*g_app);
    load_panel_sizes(*g_app);
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
