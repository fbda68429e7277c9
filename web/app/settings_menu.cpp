// web/app/settings_menu.cpp — the theme and UI scale (ui_settings.hpp) at work: the View menu's
// Theme and UI scale entries, remembering them in localStorage, and the ImGui style, clear colour
// and canvas grid colours of each theme.
#include <imgui.h>

#include <string>

#include "app.hpp"
#include "platform.hpp"

namespace leadflow::web {

namespace {

// The dark theme's colours are the ones the editor was designed in; the light theme keeps the
// cards (dark bodies, coloured headers) and lightens everything around them.
constexpr ThemeColors kDarkColors = {
    {0.08f, 0.085f, 0.095f, 1.0f},
    {{0.105f, 0.11f, 0.125f, 1.0f}, {0.2f, 0.21f, 0.24f, 1.0f}, {0.28f, 0.3f, 0.34f, 1.0f}},
    IM_COL32(22, 23, 27, 225),
    IM_COL32(80, 84, 96, 255),
};
constexpr ThemeColors kLightColors = {
    {0.86f, 0.87f, 0.89f, 1.0f},
    {{0.93f, 0.935f, 0.945f, 1.0f}, {0.84f, 0.85f, 0.87f, 1.0f}, {0.74f, 0.76f, 0.79f, 1.0f}},
    IM_COL32(250, 250, 252, 230),
    IM_COL32(150, 155, 165, 255),
};

}  // namespace

ToneColor tone_color(const AppState& app, StatusTone tone) {
    return status_tone_color(app.ui_settings.theme, tone);
}

ImVec4 tone(const AppState& app, StatusTone t) {
    const ToneColor c = tone_color(app, t);
    return {c.r, c.g, c.b, c.a};
}

void tone_text_wrapped(const AppState& app, StatusTone t, const std::string& text) {
    if (text.empty()) return;
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(tone(app, t), "%s", text.c_str());
    ImGui::PopTextWrapPos();
}

bool danger_button(const AppState& app, const char* label) {
    const ToneColor fill = danger_button_color(app.ui_settings.theme);
    const ToneColor text = danger_button_text(app.ui_settings.theme);
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4{fill.r, fill.g, fill.b, fill.a});
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4{text.r, text.g, text.b, text.a});
    const bool pressed = ImGui::Button(label);
    ImGui::PopStyleColor(2);
    return pressed;
}

const ThemeColors& theme_colors(Theme t) {
    return t == Theme::kLight ? kLightColors : kDarkColors;
}

void apply_editor_style(Theme theme, float scale) {
    ImGuiStyle style;
    if (theme == Theme::kLight) {
        ImGui::StyleColorsLight(&style);
    } else {
        ImGui::StyleColorsDark(&style);
    }
    style.WindowRounding = 4.0f;
    style.FrameRounding = 3.0f;
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

void load_ui_settings(AppState& app) {
    const std::optional<std::string> text = platform::storage_get(kUiSettingsKey);
    app.ui_settings = parse_ui_settings(text ? *text : "");
}

void set_ui_settings(AppState& app, const UiSettings& s) {
    UiSettings clean = s;
    clean.ui_scale = clamp_ui_scale(s.ui_scale);
    if (clean == app.ui_settings) return;
    app.ui_settings = clean;  // the frame loop restyles before the next frame
    platform::storage_set(kUiSettingsKey, ui_settings_text(clean));
}

void draw_settings_menu_items(AppState& app) {
    UiSettings s = app.ui_settings;
    if (ImGui::BeginMenu("Theme")) {
        app.probe("menu/view/theme");
        if (ImGui::MenuItem("Dark", nullptr, s.theme == Theme::kDark)) s.theme = Theme::kDark;
        app.probe("menu/view/theme/dark");
        if (ImGui::MenuItem("Light", nullptr, s.theme == Theme::kLight)) s.theme = Theme::kLight;
        app.probe("menu/view/theme/light");
        ImGui::EndMenu();
    } else {
        app.probe("menu/view/theme");
    }
    if (ImGui::BeginMenu("UI scale")) {
        app.probe("menu/view/scale");
        for (int percent : kUiScaleSteps) {
            const std::string label = std::to_string(percent) + "%";
            if (ImGui::MenuItem(label.c_str(), nullptr, s.ui_scale == percent)) {
                s.ui_scale = percent;
            }
            app.probe("menu/view/scale/" + std::to_string(percent));
        }
        ImGui::EndMenu();
    } else {
        app.probe("menu/view/scale");
    }
    set_ui_settings(app, s);
}

}  // namespace leadflow::web
