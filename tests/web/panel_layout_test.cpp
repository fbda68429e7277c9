// The panels' sizes (web/app/panel_layout.hpp): the stored form kept in localStorage, damaged
// stored text, and fitting the sizes into the window with the minimums kept.
#include "panel_layout.hpp"

#include <gtest/gtest.h>

#include <string>

namespace leadflow::web {
namespace {

TEST(PanelLayout, RoundTrips) {
    const PanelSizes s{250, 400, 320, true};
    EXPECT_EQ(parse_panel_sizes(panel_sizes_text(s)), s) << panel_sizes_text(s);
    EXPECT_EQ(panel_sizes_text(PanelSizes{}),
              R"({"left":190.0,"right":340.0,"bottom":180.0,"results_maximized":false})");
}

TEST(PanelLayout, DamagedTextFallsBackFieldByField) {
    const PanelSizes defaults;
    for (const char* text : {"", "null", "[]", "{", "\"x\"", "{\"left\":"}) {
        EXPECT_EQ(parse_panel_sizes(text), defaults) << text;
    }
    EXPECT_EQ(parse_panel_sizes(R"({"left":"wide","right":300,"bottom":1e9})"),
              (PanelSizes{190, 300, 180, false}));
    EXPECT_EQ(parse_panel_sizes(R"({"left":10,"right":-5,"bottom":200,"results_maximized":1})"),
              (PanelSizes{190, 340, 200, false}));
    std::string huge = R"({"left":200,"pad":")" + std::string(kMaxPanelLayoutText, 'x') + "\"}";
    EXPECT_EQ(parse_panel_sizes(huge), defaults);
}

TEST(PanelLayout, FitsWithTheMinimumsKept) {
    // Room for everything: the sizes as asked, scaled by the ratio.
    PanelRects r = fit_panels(PanelSizes{200, 300, 250, false}, 2560, 1600, 2);
    EXPECT_EQ(r.left, 400);
    EXPECT_EQ(r.right, 600);
    EXPECT_EQ(r.bottom, 500);
    EXPECT_EQ(r.gap, kSplitterSize * 2);
    EXPECT_FALSE(r.bottom_full_width);
    // Too large: the canvas keeps its minimum width and height.
    r = fit_panels(PanelSizes{900, 900, 900, false}, 1280, 800, 1);
    EXPECT_GE(1280 - r.left - r.right - 2 * r.gap, kMinCanvasWidth - 0.01f);
    EXPECT_GE(800 - r.bottom - r.gap, kMinCanvasHeight - 0.01f);
    EXPECT_GE(r.right, kMinRightPanel);
    // Too small a window: everything shrinks in proportion, nothing negative or overlapping.
    r = fit_panels(PanelSizes{}, 300, 100, 1);
    EXPECT_GT(r.left, 0);
    EXPECT_GT(r.right, 0);
    EXPECT_LE(r.left + r.right + 2 * r.gap, 300.01f);
    EXPECT_LE(r.bottom, 100);
    EXPECT_GE(r.bottom, 0);
    r = fit_panels(PanelSizes{}, 0, 0, 1);
    EXPECT_EQ(r.bottom, 0);
    EXPECT_EQ(r.left, 0);
}

TEST(PanelLayout, MaximizedResultsLeaveAStripOfCanvas) {
    const PanelRects r = fit_panels(PanelSizes{190, 340, 180, true}, 1280, 800, 1);
    EXPECT_TRUE(r.bottom_full_width);
    EXPECT_FLOAT_EQ(r.bottom, 800 - kMinCanvasHeight - kSplitterSize);
}

}  // namespace
}  // namespace leadflow::web
