// web/app/panel_layout.cpp — see panel_layout.hpp.
#include "panel_layout.hpp"

#include <algorithm>
#include <cmath>

#include "leadflow/json.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::web {

namespace {

constexpr float kMaxPanel = 4000;

void read_size(const Json& j, const char* key, float min, float* out) {
    if (!j.contains(key) || !j[key].is_number()) return;
    const double v = j[key].get<double>();
    if (std::isfinite(v) && v >= min && v <= kMaxPanel) *out = static_cast<float>(v);
}

// `want` within [lo, hi] (hi wins when lo > hi, never below 0).
float fit(float want, float lo, float hi) {
    return std::max(0.0f, std::min(std::max(want, lo), hi));
}

}  // namespace

std::string panel_sizes_text(const PanelSizes& s) {
    Json j = Json::object();
    j["left"] = std::round(s.left * 10) / 10;
    j["right"] = std::round(s.right * 10) / 10;
    j["bottom"] = std::round(s.bottom * 10) / 10;
    j["results_maximized"] = s.results_maximized;
    return j.dump();
}

PanelSizes parse_panel_sizes(std::string_view text) {
    PanelSizes out;
    if (text.size() > kMaxPanelLayoutText) return out;
    Result<Json> parsed = parse_json(text, JsonLimits{4, 16});
    if (!parsed.ok() || !parsed->is_object()) return out;
    const Json& j = *parsed;
    read_size(j, "left", kMinLeftPanel, &out.left);
    read_size(j, "right", kMinRightPanel, &out.right);
    read_size(j, "bottom", kMinBottomPanel, &out.bottom);
    if (j.contains("results_maximized") && j["results_maximized"].is_boolean()) {
        out.results_maximized = j["results_maximized"].get<bool>();
    }
    return out;
}

PanelRects fit_panels(const PanelSizes& s, float width, float height, float ratio) {
    PanelRects r;
    const float k = ratio > 0 && std::isfinite(ratio) ? ratio : 1.0f;
    width = std::max(0.0f, width);
    height = std::max(0.0f, height);
    r.gap = kSplitterSize * k;
    const float min_l = kMinLeftPanel * k, min_r = kMinRightPanel * k;
    // Horizontal: the canvas keeps its minimum; the panels give way down to theirs, then the
    // panels and the canvas share what there is in proportion to their minimums.
    float room = width - 2 * r.gap - kMinCanvasWidth * k;
    if (room >= min_l + min_r) {
        r.left = fit(s.left * k, min_l, room - min_r);
        r.right = fit(s.right * k, min_r, room - r.left);
    } else {
        const float total = min_l + min_r + kMinCanvasWidth * k + 2 * r.gap;
        const float f = total > 0 ? width / total : 0;
        r.left = min_l * f;
        r.right = min_r * f;
        r.gap *= f;
    }
    const float min_b = kMinBottomPanel * k, min_c = kMinCanvasHeight * k;
    const float vroom = height - r.gap - min_c;
    if (s.results_maximized) {
        r.bottom_full_width = true;
        r.bottom = std::max(0.0f, vroom);
    } else if (vroom >= min_b) {
        r.bottom = fit(s.bottom * k, min_b, vroom);
    } else {
        r.bottom = std::max(0.0f, height * min_b / (min_b + min_c + r.gap));
    }
    return r;
}

}  // namespace leadflow::web
