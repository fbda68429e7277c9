// The results charts' axes (web/app/chart_axis.hpp): round ticks for shares, counts and hours,
// degenerate ranges, labels, and finding the bar or point under the mouse.
#include "chart_axis.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace leadflow::web {
namespace {

// Every axis: ticks from lo to hi by step, covering the data, step 1/2/5 × 10^k.
void expect_well_formed(const AxisTicks& a, double min_v, double max_v, int max_ticks) {
    ASSERT_GE(a.ticks.size(), 2u);
    EXPECT_EQ(a.ticks.front(), a.lo);
    EXPECT_EQ(a.ticks.back(), a.hi);
    EXPECT_LE(a.lo, min_v);
    EXPECT_GE(a.hi, max_v);
    const int least = min_v < 0 && max_v > 0 ? 2 : 1;
    EXPECT_LE(static_cast<int>(a.ticks.size()) - 1, std::max(least, max_ticks));
    for (std::size_t i = 1; i < a.ticks.size(); ++i) {
        EXPECT_NEAR(a.ticks[i] - a.ticks[i - 1], a.step, a.step * 1e-9);
    }
    const double mantissa = a.step / std::pow(10.0, std::floor(std::log10(a.step) + 1e-12));
    EXPECT_TRUE(std::fabs(mantissa - 1) < 1e-9 || std::fabs(mantissa - 2) < 1e-9 ||
                std::fabs(mantissa - 5) < 1e-9)
        << a.step;
}

TEST(ChartAxis, SharesZeroToOne) {
    const AxisTicks a = nice_ticks(0, 1, 5);
    EXPECT_EQ(a.step, 0.2);
    EXPECT_EQ(a.ticks, (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
    const AxisTicks b = nice_ticks(0, 0.37, 4);
    EXPECT_EQ(b.step, 0.1);
    EXPECT_EQ(b.ticks, (std::vector<double>{0, 0.1, 0.2, 0.3, 0.4}));  // 0.3 exactly, not 0.30…04
    expect_well_formed(b, 0, 0.37, 4);
}

TEST(ChartAxis, CountsUpToAMillion) {
    const AxisTicks a = nice_ticks(0, 1e6, 5);
    EXPECT_EQ(a.step, 200000);
    EXPECT_EQ(a.hi, 1e6);
    expect_well_formed(a, 0, 1e6, 5);
    const AxisTicks b = nice_ticks(0, 873412, 4);
    EXPECT_EQ(b.step, 500000);
    expect_well_formed(b, 0, 873412, 4);
    EXPECT_EQ(tick_label(200000, 200000), "200k");
    EXPECT_EQ(tick_label(1e6, 200000), "1000k");
    EXPECT_EQ(tick_label(3e6, 1e6), "3M");
    EXPECT_EQ(tick_label(1.5e6, 5e5), "1.5M");
}

TEST(ChartAxis, VariousRanges) {
    const double cases[][2] = {{0, 7},     {0, 10},   {0, 99},    {3, 17},     {-5, 5},
                               {0, 0.003}, {12, 13},  {0, 250.5}, {-1e-3, 0},  {1e9, 3e9},
                               {0, 168},   {0, 1e-9}, {100, 101}, {-880, -20}, {0.5, 0.52}};
    for (const auto& c : cases) {
        for (int n : {1, 3, 5, 8}) {
            SCOPED_TRACE(testing::Message() << c[0] << ".." << c[1] << " max " << n);
            expect_well_formed(nice_ticks(c[0], c[1], n), c[0], c[1], n);
        }
    }
    EXPECT_EQ(nice_ticks(0, 168, 5).ticks, (std::vector<double>{0, 50, 100, 150, 200}));
    EXPECT_EQ(nice_ticks(-5, 5, 5).ticks, (std::vector<double>{-5, 0, 5}));
    EXPECT_EQ(nice_ticks(-5, 5, 10).ticks,
              (std::vector<double>{-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5}));
}

TEST(ChartAxis, DegenerateRanges) {
    EXPECT_EQ(nice_ticks(0, 0).ticks, (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
    const AxisTicks one = nice_ticks(42, 42, 5);
    EXPECT_EQ(one.lo, 0);
    EXPECT_GE(one.hi, 42);
    expect_well_formed(one, 0, 42, 5);
    const AxisTicks neg = nice_ticks(-3, -3, 5);
    EXPECT_LE(neg.lo, -3);
    EXPECT_EQ(neg.hi, 0);
    const AxisTicks swapped = nice_ticks(10, 0, 5);
    EXPECT_EQ(swapped.ticks, nice_ticks(0, 10, 5).ticks);
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(nice_ticks(nan, 3).ticks, nice_ticks(0, 1).ticks);
    EXPECT_EQ(nice_ticks(0, inf).ticks, nice_ticks(0, 1).ticks);
    EXPECT_EQ(nice_ticks(0, 1, 0).ticks, (std::vector<double>{0, 1}));
    EXPECT_EQ(nice_ticks(0, 1, -4).ticks, (std::vector<double>{0, 1}));
}

TEST(ChartAxis, Labels) {
    EXPECT_EQ(tick_label(0, 0.2, true), "0%");
    EXPECT_EQ(tick_label(0.4, 0.2, true), "40%");
    EXPECT_EQ(tick_label(0.025, 0.005, true), "2.5%");
    EXPECT_EQ(tick_label(0.3, 0.1), "0.3");
    EXPECT_EQ(tick_label(0.05, 0.05), "0.05");
    EXPECT_EQ(tick_label(150, 50), "150");
    EXPECT_EQ(tick_label(-0.0, 1), "0");
    EXPECT_EQ(tick_label(-1e-17, 0.1), "0");
    EXPECT_EQ(tick_label(-2, 1), "-2");
    EXPECT_EQ(tick_label(2500, 500), "2.5k");
    EXPECT_EQ(tick_label(1250, 250), "1250");  // steps under 500: plain numbers
    EXPECT_EQ(tick_label(5e9, 1e9), "5G");
}

TEST(ChartAxis, BarAndPointUnderTheMouse) {
    const std::vector<double> starts = {0, 10, 20, 30};
    EXPECT_EQ(bar_at(starts, 10, -0.1), -1);
    EXPECT_EQ(bar_at(starts, 10, 0), 0);
    EXPECT_EQ(bar_at(starts, 10, 9.99), 0);
    EXPECT_EQ(bar_at(starts, 10, 10), 1);
    EXPECT_EQ(bar_at(starts, 10, 39.9), 3);
    EXPECT_EQ(bar_at(starts, 10, 40), -1);
    EXPECT_EQ(bar_at({}, 10, 5), -1);
    EXPECT_EQ(bar_at(starts, 0, 5), -1);
    const std::vector<double> xs = {0, 1, 4};
    EXPECT_EQ(nearest_point(xs, -5), 0);
    EXPECT_EQ(nearest_point(xs, 0.4), 0);
    EXPECT_EQ(nearest_point(xs, 0.6), 1);
    EXPECT_EQ(nearest_point(xs, 3), 2);
    EXPECT_EQ(nearest_point(xs, 99), 2);
    EXPECT_EQ(nearest_point({}, 1), -1);
}

}  // namespace
}  // namespace leadflow::web
