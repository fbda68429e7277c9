// web/app/ui_settings.cpp — see ui_settings.hpp.
#include "ui_settings.hpp"

#include <algorithm>
#include <cmath>

#include "leadflow/json.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::web {

const char* theme_name(Theme t) {
    return t == Theme::kLight ? "light" : "dark";
}

int clamp_ui_scale(int percent) {
    return std::clamp(percent, kMinUiScale, kMaxUiScale);
}

std::string ui_settings_text(const UiSettings& s) {
    Json j = Json::object();
    j["theme"] = theme_name(s.theme);
    j["ui_scale"] = clamp_ui_scale(s.ui_scale);
    return j.dump();
}

UiSettings parse_ui_settings(std::string_view text) {
    UiSettings out;
    if (text.size() > kMaxUiSettingsText) return out;
    Result<Json> parsed = parse_json(text, JsonLimits{4, 16});
    if (!parsed.ok() || !parsed->is_object()) return out;
    const Json& j = *parsed;
    if (j.contains("theme") && j["theme"].is_string() && j["theme"].get<std::string>() == "light") {
        out.theme = Theme::kLight;
    }
    if (j.contains("ui_scale") && j["ui_scale"].is_number()) {
        const double v = j["ui_scale"].get<double>();
        if (std::isfinite(v) && v == std::floor(v)) {
            out.ui_scale = clamp_ui_scale(static_cast<int>(std::clamp(v, -1e6, 1e6)));
        }
    }
    return out;
}

}  // namespace leadflow::web
