// web/app/ui_settings.hpp — the editor's appearance settings (theme and UI scale), kept per
// browser in localStorage and applied when the page loads. Pure: reading and writing the stored
// text; the View menu and the styling that apply them are settings_menu.cpp.
#pragma once

#include <string>
#include <string_view>

namespace leadflow::web {

enum class Theme { kDark, kLight };

// The UI scale's range and the steps the View menu offers (percent).
constexpr int kMinUiScale = 75;
constexpr int kMaxUiScale = 200;
constexpr int kUiScaleSteps[] = {75, 90, 100, 110, 125, 150, 175, 200};

struct UiSettings {
    Theme theme = Theme::kDark;
    int ui_scale = 100;  // percent: panels, menus and their text; the canvas keeps its own zoom
    bool operator==(const UiSettings& o) const {
        return theme == o.theme && ui_scale == o.ui_scale;
    }
    bool operator!=(const UiSettings& o) const { return !(*this == o); }
};

// The localStorage key the settings are kept under.
constexpr const char* kUiSettingsKey = "leadflow.editor.settings.v1";
// Stored text longer than this is ignored (the settings are a few dozen bytes).
constexpr std::size_t kMaxUiSettingsText = 4096;

// The stored form: {"theme": "dark"|"light", "ui_scale": percent}.
std::string ui_settings_text(const UiSettings& s);

// Reads the stored form. The text comes from the browser's storage, which anything on the page's
// origin can write, so nothing in it is trusted: text that is not a JSON object (or longer than
// kMaxUiSettingsText) gives the defaults; a missing or unknown theme gives the dark theme; a
// scale that is not a whole number gives 100; one out of range is clamped to
// [kMinUiScale, kMaxUiScale]. Unknown keys are ignored.
UiSettings parse_ui_settings(std::string_view text);

// `percent` clamped to [kMinUiScale, kMaxUiScale].
int clamp_ui_scale(int percent);

const char* theme_name(Theme t);  // "dark", "light"

// [SECTION] Status colours
// Colours of status text (valid / error / warning, the server's messages, questions before a
// delete) on the theme's panels. Every panel takes them from here, never from literals, so that
// text stays readable in both themes.
enum class StatusTone { kGood, kBad, kWarn };
struct ToneColor {
    float r, g, b, a;  // RGBA in 0..1, as ImGui's ImVec4
};
// The colour of `tone` in theme `t`: light tones on the dark theme, dark ones on the light
// theme; each has a WCAG contrast ratio of at least 4.5 against panel_background(t).
ToneColor status_tone_color(Theme t, StatusTone tone);
// The background status text is read on: ImGui's window colour in the theme
// (StyleColorsDark / StyleColorsLight), opaque.
ToneColor panel_background(Theme t);
// The fill of a button that deletes or removes something, and the text drawn on it (readable on
// that fill in both themes).
ToneColor danger_button_color(Theme t);
ToneColor danger_button_text(Theme t);

}  // namespace leadflow::web
