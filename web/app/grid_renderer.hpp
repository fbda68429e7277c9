// web/app/grid_renderer.hpp — draws the canvas background grid with our own shader
// (shaders/grid.vert, shaders/grid.frag, embedded at build time) before ImGui renders.
#pragma once

#include "geometry.hpp"

namespace leadflow::web {

class GridRenderer {
  public:
    // Compiles the shaders; false (and a console message) if WebGL rejects them.
    bool init();
    // Fills `canvas` (device pixels, y down) of a framebuffer `fb_height` pixels high with the
    // grid seen through `camera`.
    void draw(const Camera& camera, const Rect& canvas, int fb_height);

  private:
    unsigned program_ = 0;
    unsigned vao_ = 0;
    int u_origin_ = -1, u_scale_ = -1, u_spacing_ = -1, u_background_ = -1, u_minor_ = -1,
        u_major_ = -1;
};

}  // namespace leadflow::web
