// Camera, curves and font-size picking of the editor canvas.
#include "geometry.hpp"

#include <gtest/gtest.h>

namespace leadflow::web {
namespace {

TEST(Camera, WorldScreenRoundTrip) {
    Camera c;
    c.origin = {10, 20};
    c.pan = {5, -7};
    c.zoom = 1.5f;
    c.pixel_ratio = 2.0f;
    const Vec2 w{123.0f, -45.0f};
    const Vec2 s = c.world_to_screen(w);
    EXPECT_FLOAT_EQ(s.x, 10 + 123 * 3 + 5);
    EXPECT_FLOAT_EQ(s.y, 20 - 45 * 3 - 7);
    const Vec2 back = c.screen_to_world(s);
    EXPECT_NEAR(back.x, w.x, 1e-3);
    EXPECT_NEAR(back.y, w.y, 1e-3);
}

TEST(Camera, ZoomKeepsThePointUnderTheCursorFixed) {
    Camera c;
    c.origin = {0, 40};
    c.pan = {100, 50};
    const Vec2 cursor{400, 300};
    const Vec2 before = c.screen_to_world(cursor);
    c.zoom_at(cursor, 1.25f);
    EXPECT_FLOAT_EQ(c.zoom, 1.25f);
    const Vec2 after = c.screen_to_world(cursor);
    EXPECT_NEAR(after.x, before.x, 1e-3);
    EXPECT_NEAR(after.y, before.y, 1e-3);
}

TEST(Camera, ZoomIsClamped) {
    Camera c;
    c.zoom_at({0, 0}, 1000.0f);
    EXPECT_FLOAT_EQ(c.zoom, Camera::kMaxZoom);
    c.zoom_at({0, 0}, 1e-9f);
    EXPECT_FLOAT_EQ(c.zoom, Camera::kMinZoom);
}

TEST(Camera, FitCentresAndContainsTheWorldRect) {
    Camera c;
    c.pixel_ratio = 2.0f;
    const Rect screen{{0, 0}, {1000, 600}};
    const Rect world{{-500, 100}, {1500, 400}};
    c.fit(world, screen, 20.0f, 4.0f);
    const Vec2 a = c.world_to_screen(world.min), b = c.world_to_screen(world.max);
    EXPECT_GE(a.x, 19.9f);
    EXPECT_LE(b.x, 980.1f);
    EXPECT_GE(a.y, 0.0f);
    EXPECT_LE(b.y, 600.0f);
    EXPECT_NEAR((a.x + b.x) / 2, 500.0f, 0.5f);
    EXPECT_NEAR((a.y + b.y) / 2, 300.0f, 0.5f);
    // Width is the binding dimension: exactly the available width.
    EXPECT_NEAR(b.x - a.x, 960.0f, 0.5f);
}

TEST(Camera, FitNeverZoomsPastMaxZoom) {
    Camera c;
    c.fit({{0, 0}, {10, 10}}, {{0, 0}, {1000, 1000}}, 0.0f, 1.0f);
    EXPECT_FLOAT_EQ(c.zoom, 1.0f);
}

TEST(Camera, VisibleWorldMatchesTheScreenCorners) {
    Camera c;
    c.zoom = 0.5f;
    c.pan = {100, 0};
    const Rect v = c.visible_world({{0, 0}, {800, 600}});
    EXPECT_FLOAT_EQ(v.min.x, -200.0f);
    EXPECT_FLOAT_EQ(v.max.x, 1400.0f);
    EXPECT_FLOAT_EQ(v.max.y, 1200.0f);
}

TEST(PickBakedSize, SmallestAtLeastDesiredElseLargest) {
    const std::vector<float> sizes{12, 16, 24, 36};
    EXPECT_EQ(pick_baked_size(sizes, 5), 12);
    EXPECT_EQ(pick_baked_size(sizes, 16), 16);
    EXPECT_EQ(pick_baked_size(sizes, 16.5f), 24);
    EXPECT_EQ(pick_baked_size(sizes, 100), 36);
    EXPECT_EQ(pick_baked_size({}, 10), 0);
}

TEST(Curve, PassesThroughEndpointsAndBoundsContainSamples) {
    const Curve c = edge_curve({0, 0}, {300, 100});
    EXPECT_FLOAT_EQ(c.at(0).x, 0);
    EXPECT_FLOAT_EQ(c.at(1).x, 300);
    EXPECT_FLOAT_EQ(c.at(1).y, 100);
    const Rect b = c.bounds();
    for (int i = 0; i <= 10; ++i) EXPECT_TRUE(b.contains(c.at(i / 10.0f)));
    EXPECT_LT(distance_to_curve(c, c.at(0.37f)), 1.0f);
    EXPECT_GT(distance_to_curve(c, {150, 400}), 200.0f);
}

TEST(Rect, FromCornersAndOverlap) {
    const Rect r = Rect::from_corners({10, 50}, {-10, 0});
    EXPECT_FLOAT_EQ(r.min.x, -10);
    EXPECT_FLOAT_EQ(r.max.y, 50);
    EXPECT_TRUE(r.overlaps({{5, 5}, {100, 100}}));
    EXPECT_FALSE(r.overlaps({{11, 0}, {20, 10}}));
}

}  // namespace
}  // namespace leadflow::web
