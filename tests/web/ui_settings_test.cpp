// The editor's appearance settings as kept in localStorage (docs/editor.md#theme-and-ui-scale):
// round trip, and stored text that is damaged or written by someone else.
#include "ui_settings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace leadflow::web {
namespace {

TEST(UiSettings, RoundTrips) {
    for (Theme t : {Theme::kDark, Theme::kLight}) {
        for (int scale : kUiScaleSteps) {
            const UiSettings s{t, scale};
            EXPECT_EQ(parse_ui_settings(ui_settings_text(s)), s) << ui_settings_text(s);
        }
    }
    EXPECT_EQ(ui_settings_text({Theme::kLight, 125}), R"({"theme":"light","ui_scale":125})");
}

TEST(UiSettings, DamagedTextGivesDefaults) {
    const UiSettings defaults;
    EXPECT_EQ(defaults.theme, Theme::kDark);
    EXPECT_EQ(defaults.ui_scale, 100);
    for (const char* text :
         {"", "null", "[]", "\"light\"", "{", "{\"theme\":\"light\"",
          "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"}) {
        EXPECT_EQ(parse_ui_settings(text), defaults) << text;
    }
    std::string huge = R"({"theme":"light","ui_scale":125,"pad":")";
    huge += std::string(kMaxUiSettingsText, 'x') + "\"}";
    EXPECT_EQ(parse_ui_settings(huge), defaults);
}

TEST(UiSettings, EachFieldFallsBackOnItsOwn) {
    EXPECT_EQ(parse_ui_settings(R"({"theme":"solarized","ui_scale":150})"),
              (UiSettings{Theme::kDark, 150}));
    EXPECT_EQ(parse_ui_settings(R"({"theme":"light","ui_scale":"150"})"),
              (UiSettings{Theme::kLight, 100}));
    EXPECT_EQ(parse_ui_settings(R"({"theme":"light","ui_scale":1.5})"),
              (UiSettings{Theme::kLight, 100}));
    EXPECT_EQ(parse_ui_settings(R"({"theme":"LIGHT"})"), (UiSettings{Theme::kDark, 100}));
    EXPECT_EQ(parse_ui_settings(R"({"ui_scale":125,"later":{"x":[1,2]}})"),
              (UiSettings{Theme::kDark, 125}));
}

TEST(UiSettings, ScaleIsClampedToItsRange) {
    EXPECT_EQ(parse_ui_settings(R"({"ui_scale":10})").ui_scale, kMinUiScale);
    EXPECT_EQ(parse_ui_settings(R"({"ui_scale":-400})").ui_scale, kMinUiScale);
    EXPECT_EQ(parse_ui_settings(R"({"ui_scale":1000})").ui_scale, kMaxUiScale);
    EXPECT_EQ(parse_ui_settings(R"({"ui_scale":1e300})").ui_scale, kMaxUiScale);
    EXPECT_EQ(parse_ui_settings(R"({"ui_scale":130})").ui_scale, 130);
    EXPECT_EQ(clamp_ui_scale(74), 75);
    EXPECT_EQ(clamp_ui_scale(201), 200);
    EXPECT_EQ(ui_settings_text({Theme::kDark, 500}), R"({"theme":"dark","ui_scale":200})");
}

// WCAG 2 relative luminance and contrast ratio of two opaque colours.
double luminance(const ToneColor& c) {
    auto lin = [](double v) {
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}
double contrast(const ToneColor& a, const ToneColor& b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// Status text (errors, warnings, the question before a delete) must be readable on both
// themes' panels: WCAG AA for normal text is a contrast of 4.5.
TEST(StatusColors, EveryToneIsReadableOnItsThemesPanels) {
    for (Theme t : {Theme::kDark, Theme::kLight}) {
        for (StatusTone tone : {StatusTone::kGood, StatusTone::kBad, StatusTone::kWarn}) {
            const ToneColor c = status_tone_color(t, tone);
            EXPECT_GE(contrast(c, panel_background(t)), 4.5)
                << theme_name(t) << " tone " << static_cast<int>(tone);
            EXPECT_EQ(c.a, 1.0f);
        }
        EXPECT_GE(contrast(danger_button_text(t), danger_button_color(t)), 4.5) << theme_name(t);
    }
}

// The regression: the dark theme's tones were drawn on the light theme's pale panels, where
// they are unreadable (contrast 1.5 to 2.7), so each theme must have tones of its own.
TEST(StatusColors, TheThemesHaveTheirOwnTones) {
    for (StatusTone tone : {StatusTone::kGood, StatusTone::kBad, StatusTone::kWarn}) {
        const ToneColor dark = status_tone_color(Theme::kDark, tone);
        EXPECT_LT(contrast(dark, panel_background(Theme::kLight)), 3.0) << static_cast<int>(tone);
        EXPECT_LT(luminance(status_tone_color(Theme::kLight, tone)), luminance(dark));
    }
    EXPECT_LT(luminance(panel_background(Theme::kDark)),
              luminance(panel_background(Theme::kLight)));
}

}  // namespace
}  // namespace leadflow::web
