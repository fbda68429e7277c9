// web/app/fonts.hpp — the embedded UI font (Roboto) baked into the atlas at several sizes, so
// that canvas text stays sharp at every zoom: text is drawn with the nearest baked size >= the
// wanted size and scaled down by the remainder.
#pragma once

#include <vector>

struct ImFont;

namespace leadflow::web {

struct Fonts {
    ImFont* ui = nullptr;             // menus and panels
    std::vector<ImFont*> canvas;      // ascending sizes
    std::vector<float> canvas_sizes;  // pixel size of each canvas font

    // (Re)builds the atlas for a device pixel ratio. Call before the renderer creates its
    // font texture (or destroy the texture first).
    void build(float pixel_ratio);
    // The font to draw `pixel_size` text with (nearest baked size >= it; the largest otherwise).
    ImFont* for_size(float pixel_size) const;
};

}  // namespace leadflow::web
