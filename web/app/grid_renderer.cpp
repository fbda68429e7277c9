// web/app/grid_renderer.cpp — see grid_renderer.hpp.
#include "grid_renderer.hpp"

#include <GLES3/gl3.h>

#include <cmath>
#include <cstdio>

#include "embedded_assets.hpp"

namespace leadflow::web {
namespace {

unsigned start_compile(GLenum kind, const char* source) {
    const GLuint s = glCreateShader(kind);
    glShaderSource(s, 1, &source, nullptr);
    glCompileShader(s);
    return s;
}

// Prints a shader's compile log when it failed.
void report_shader(const char* what, GLuint s) {
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (ok) return;
    char log[1024] = {};
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    std::fprintf(stderr, "grid shader (%s): %s\n", what, log);
}

}  // namespace

// WebGL compiles in the GPU process: nothing here waits for the result, so the compile runs
// while the page does other start-up work (finish() asks for it at the first draw).
bool GridRenderer::init() {
    vs_ = start_compile(GL_VERTEX_SHADER, reinterpret_cast<const char*>(assets::kGridVert));
    fs_ = start_compile(GL_FRAGMENT_SHADER, reinterpret_cast<const char*>(assets::kGridFrag));
    program_ = glCreateProgram();
    if (!vs_ || !fs_ || !program_) return false;
    glAttachShader(program_, vs_);
    glAttachShader(program_, fs_);
    glLinkProgram(program_);
    state_ = State::kCompiling;
    return true;
}

bool GridRenderer::finish() {
    if (state_ != State::kCompiling) return state_ == State::kReady;
    GLint ok = 0;
    glGetProgramiv(program_, GL_LINK_STATUS, &ok);
    if (!ok) {
        report_shader("vertex", vs_);
        report_shader("fragment", fs_);
        std::fprintf(stderr, "grid shader: link failed; plain background\n");
        glDeleteProgram(program_);
        program_ = 0;
    }
    glDeleteShader(vs_);
    glDeleteShader(fs_);
    vs_ = fs_ = 0;
    if (!ok) {
        state_ = State::kFailed;
        return false;
    }
    u_origin_ = glGetUniformLocation(program_, "u_origin");
    u_scale_ = glGetUniformLocation(program_, "u_scale");
    u_spacing_ = glGetUniformLocation(program_, "u_spacing");
    u_background_ = glGetUniformLocation(program_, "u_background");
    u_minor_ = glGetUniformLocation(program_, "u_minor");
    u_major_ = glGetUniformLocation(program_, "u_major");
    glGenVertexArrays(1, &vao_);
    state_ = State::kReady;
    return true;
}

void GridRenderer::draw(const Camera& camera, const Rect& canvas, int fb_height,
                        const GridColors& colors) {
    if (!finish()) return;
    // Minor spacing: 20 world units, multiplied by 5 until lines are at least 8 pixels apart.
    float spacing = 20.0f;
    while (spacing * camera.scale() < 8.0f) spacing *= 5.0f;
    const Vec2 origin = camera.world_to_screen({0, 0});
    const int x = static_cast<int>(canvas.min.x);
    const int y = fb_height - static_cast<int>(canvas.max.y);
    const int w = static_cast<int>(canvas.width());
    const int h = static_cast<int>(canvas.height());
    if (w <= 0 || h <= 0) return;
    glEnable(GL_SCISSOR_TEST);
    glScissor(x, y, w, h);
    glDisable(GL_BLEND);
    glUseProgram(program_);
    glUniform2f(u_origin_, origin.x, static_cast<float>(fb_height) - origin.y);
    glUniform1f(u_scale_, camera.scale());
    glUniform1f(u_spacing_, spacing);
    glUniform4fv(u_background_, 1, colors.background);
    glUniform4fv(u_minor_, 1, colors.minor);
    glUniform4fv(u_major_, 1, colors.major);
    glBindVertexArray(vao_);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);
    glUseProgram(0);
    glDisable(GL_SCISSOR_TEST);
}

}  // namespace leadflow::web
