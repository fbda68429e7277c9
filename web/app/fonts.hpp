// web/app/fonts.hpp — the embedded UI font (Roboto) baked into the atlas at several sizes, so
// that canvas text stays sharp at every zoom: text is drawn with the nearest baked size >= the
// wanted size and scaled down by the remainder.
#pragma once

#include <vector>

struct ImFont;

namespace leadflow::web {

// Height of canvas text (card labels) in world units: at 100% zoom it is this many CSS pixels.
constexpr float kCanvasTextSize = 13.0f;
// The smallest canvas text, in CSS pixels: zoomed out, text keeps this size while its row of
// the card holds it and is not drawn after that, rather than shrinking until it cannot be read.
constexpr float kMinReadableCanvasText = 9.0f;

struct Fonts {
    // Which canvas sizes build() bakes.
    enum class Bake {
        kFirstFrame,  // none: the first frame draws canvas text with the UI font (15 px, at
                      // most 100% zoom as fit view never zooms further, so scaled down), and
                      // comes sooner
        kAll,         // every size (zoom up to 300% stays sharp)
    };

    ImFont* ui = nullptr;             // menus and panels
    std::vector<ImFont*> canvas;      // ascending sizes
    std::vector<float> canvas_sizes;  // pixel size of each canvas font

    // (Re)builds the atlas for a device pixel ratio, the UI font `ui_scale` times its size
    // (the canvas sizes do not change with it). Call before the renderer creates its font
    // texture (or destroy the texture first and create it again after).
    void build(float pixel_ratio, float ui_scale, Bake bake = Bake::kAll);
    // False after a kFirstFrame build: the canvas sizes are still missing (for_size then
    // returns the UI font).
    bool complete() const { return complete_; }
    // The font to draw `pixel_size` text with (nearest baked size >= it; the largest otherwise;
    // the UI font when no canvas size is baked).
    ImFont* for_size(float pixel_size) const;

    // The canvas sizes (CSS pixels, ascending) a build bakes at device pixel ratio 1.
    static std::vector<float> canvas_sizes_for(Bake bake);

  private:
    bool complete_ = false;
};

}  // namespace leadflow::web
