// web/app/grid_renderer.hpp — draws the canvas background grid with our own shader
// (shaders/grid.vert, shaders/grid.frag, embedded at build time) before ImGui renders.
#pragma once

#include "geometry.hpp"

namespace leadflow::web {

// The grid's colours (RGBA, 0–1): the background and the minor and major lines.
struct GridColors {
    float background[4];
    float minor[4];
    float major[4];
};

class GridRenderer {
  public:
    // Starts compiling and linking the shaders without waiting for them (call early: the GPU
    // process compiles while start-up continues). False if WebGL could not create them.
    bool init();
    // Waits for the compile started by init(); true when the program linked. On failure prints
    // the shader logs to the console once and returns false (the canvas keeps a plain
    // background). draw() calls it.
    bool finish();
    // Fills `canvas` (device pixels, y down) of a framebuffer `fb_height` pixels high with the
    // grid seen through `camera`, in `colors`.
    void draw(const Camera& camera, const Rect& canvas, int fb_height, const GridColors& colors);

  private:
    enum class State { kIdle, kCompiling, kReady, kFailed };
    State state_ = State::kIdle;
    unsigned vs_ = 0, fs_ = 0;
    unsigned program_ = 0;
    unsigned vao_ = 0;
    int u_origin_ = -1, u_scale_ = -1, u_spacing_ = -1, u_background_ = -1, u_minor_ = -1,
        u_major_ = -1;
};

}  // namespace leadflow::web
