// web/app/panel_layout.hpp — the sizes of the editor's panels around the canvas (palette on the
// left, inspector on the right, results at the bottom), changed by dragging the splitters between
// them and kept per browser in localStorage. Pure: the stored text and the clamping that keeps
// every panel and the canvas usable; app.cpp lays the windows out and drags the splitters.
#pragma once

#include <string>
#include <string_view>

namespace leadflow::web {

// Panel sizes in CSS pixels at 100% UI scale (so they grow with View → UI scale).
struct PanelSizes {
    float left = 190;    // palette width
    float right = 340;   // inspector width
    float bottom = 180;  // results panel height
    // The results panel takes the whole width and all the height but a strip of canvas.
    bool results_maximized = false;
    bool operator==(const PanelSizes& o) const {
        return left == o.left && right == o.right && bottom == o.bottom &&
               results_maximized == o.results_maximized;
    }
    bool operator!=(const PanelSizes& o) const { return !(*this == o); }
};

// Smallest sizes (same units): panels stay readable, the canvas stays usable.
constexpr float kMinLeftPanel = 120;
constexpr float kMinRightPanel = 220;
constexpr float kMinBottomPanel = 90;
constexpr float kMinCanvasWidth = 200;
constexpr float kMinCanvasHeight = 120;
// The splitter between two panels (the gap that is dragged), same units.
constexpr float kSplitterSize = 6;

constexpr const char* kPanelLayoutKey = "leadflow.editor.layout.v1";
constexpr std::size_t kMaxPanelLayoutText = 4096;

// The stored form: {"left": w, "right": w, "bottom": h, "results_maximized": bool}.
std::string panel_sizes_text(const PanelSizes& s);
// Reads the stored form. Like the appearance settings, nothing in it is trusted: text that is
// not a JSON object (or is longer than kMaxPanelLayoutText) gives the defaults; each field that
// is missing, not a finite number (or boolean) or outside [minimum, 4000] falls back to its
// default on its own.
PanelSizes parse_panel_sizes(std::string_view text);

// The panels' sizes on screen (device pixels).
struct PanelRects {
    float left = 0, right = 0, bottom = 0;
    float gap = 0;                   // splitter thickness
    bool bottom_full_width = false;  // results maximized: under the palette and inspector too
};

// Fits `s` into a work area of `width` × `height` device pixels, `ratio` device pixels per unit
// (devicePixelRatio × UI scale): each panel at least its minimum, the canvas at least its
// minimum; when the area is too small for both, the panels shrink towards their minimums first,
// then everything in proportion. A maximized results panel leaves the canvas kMinCanvasHeight.
PanelRects fit_panels(const PanelSizes& s, float width, float height, float ratio);

}  // namespace leadflow::web
