// web/bench_bare/bare_main.cpp — a bare Dear ImGui page (one window, same backends and flags as
// the editor): the baseline scripts/bench compares the editor's time to first frame against.
// Built twice: as Emscripten sets a page up by default (bare/), and with the editor's start-up
// recipe (bare-lean/, LEADFLOW_BARE_LEAN: lean WebGL context, first frame drawn from main()),
// which the bench reports alongside so that the ratio is also known like for like.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

namespace {
GLFWwindow* g_window = nullptr;
bool g_ready = false;

void frame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    ImGui::Begin("Bare ImGui");
    ImGui::Text("Hello from a bare Dear ImGui page.");
    ImGui::End();
    ImGui::Render();
    int w = 0, h = 0;
    glfwGetFramebufferSize(g_window, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(0.1f, 0.1f, 0.12f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (!g_ready) {
        g_ready = true;
        EM_ASM({
            window.bareReady = true;
            window.bareReadyAt = performance.now();
        });
    }
}
}  // namespace

int main() {
    EM_ASM({ performance.mark('lf:main'); });
    glfwInit();
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
#ifdef LEADFLOW_BARE_LEAN
    // The variant with the editor's context settings (no depth or stencil buffer; no extensions
    // enabled: a link flag).
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
#endif
    g_window = glfwCreateWindow(1280, 720, "bare", nullptr, nullptr);
    glfwMakeContextCurrent(g_window);
    EM_ASM({ performance.mark('lf:gl'); });
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");
#ifdef LEADFLOW_BARE_LEAN
    frame();  // the first frame during start-up, as the editor draws it
#endif
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
