// The editor's appearance settings as kept in localStorage (docs/editor.md#theme-and-ui-scale):
// round trip, and stored text that is damaged or written by someone else.
#include "ui_settings.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace leadflow::web
