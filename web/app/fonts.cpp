// web/app/fonts.cpp — see fonts.hpp.
#include "fonts.hpp"

#include <imgui.h>

#include <iterator>

#include "embedded_assets.hpp"
#include "geometry.hpp"

namespace leadflow::web {

// Latin-1 plus the punctuation the UI writes (dashes, quotes, "…", "→", "−", "≤", "≥"); the
// ranges must outlive the atlas, hence static.
static const ImWchar kGlyphRanges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x2193,
                                       0x2212, 0x2212, 0x2264, 0x2265, 0};

// World text is kCanvasTextSize units high; these cover zoom ≈ 0.4 … 3 sharply (few sizes keep
// the atlas, and so the time to the first frame, small).
static constexpr float kCanvasSizes[] = {9.0f, 13.0f, 19.0f, 28.0f, 40.0f};

std::vector<float> Fonts::canvas_sizes_for(Bake bake) {
    if (bake == Bake::kFirstFrame) return {};
    return {std::begin(kCanvasSizes), std::end(kCanvasSizes)};
}

void Fonts::build(float pixel_ratio, float ui_scale, Bake bake) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;  // the bytes are static (embedded)
    cfg.OversampleH = 1;
    cfg.OversampleV = 1;
    cfg.GlyphRanges = kGlyphRanges;
    auto* data = const_cast<unsigned char*>(assets::kUiFont);
    const int size = static_cast<int>(assets::kUiFont_size);
    ui = io.Fonts->AddFontFromMemoryTTF(data, size, 15.0f * pixel_ratio * ui_scale, &cfg);
    canvas.clear();
    canvas_sizes.clear();
    for (float s : canvas_sizes_for(bake)) {
        const float px = s * pixel_ratio;
        ImFontConfig c = cfg;
        c.OversampleH = 1;
        canvas.push_back(io.Fonts->AddFontFromMemoryTTF(data, size, px, &c));
        canvas_sizes.push_back(px);
    }
    io.FontDefault = ui;
    io.Fonts->Build();
    complete_ = bake == Bake::kAll;
}

ImFont* Fonts::for_size(float pixel_size) const {
    const float s = pick_baked_size(canvas_sizes, pixel_size);
    for (std::size_t i = 0; i < canvas_sizes.size(); ++i) {
        if (canvas_sizes[i] == s) return canvas[i];
    }
    return ui;
}

}  // namespace leadflow::web
