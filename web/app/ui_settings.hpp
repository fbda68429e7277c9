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

}  // namespace leadflow::web
