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

namespace {

// The dark theme's tones are the ones the editor was designed with; the light theme needs darker
// ones (the dark tones have a contrast of 1.5 to 2.7 on its pale panels).
constexpr ToneColor kDarkTones[] = {
    {0.4f, 0.85f, 0.5f, 1}, {0.95f, 0.4f, 0.4f, 1}, {0.95f, 0.6f, 0.3f, 1}};
constexpr ToneColor kLightTones[] = {
    {0.07f, 0.45f, 0.17f, 1}, {0.75f, 0.12f, 0.12f, 1}, {0.62f, 0.32f, 0.0f, 1}};

}  // namespace

ToneColor status_tone_color(Theme t, StatusTone tone) {
    const ToneColor* tones = t == Theme::kLight ? kLightTones : kDarkTones;
    return tones[static_cast<int>(tone)];
}

ToneColor panel_background(Theme t) {
    // ImGui 1.90's WindowBg: 0.94 grey in StyleColorsLight, 0.06 in StyleColorsDark.
    return t == Theme::kLight ? ToneColor{0.94f, 0.94f, 0.94f, 1}
                              : ToneColor{0.06f, 0.06f, 0.06f, 1};
}

ToneColor danger_button_color(Theme) {
    return {0.65f, 0.2f, 0.2f, 1};
}

ToneColor danger_button_text(Theme) {
    // The light theme's text is black, which reads poorly on the dark red; white reads on it in
    // both themes.
    return {1, 1, 1, 1};
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
