// web/app/chart_axis.hpp — the axes of the results charts: "nice" round tick values covering a
// data range, their labels, and which bar or point lies under the mouse. Pure and ImGui-free
// (tests/web checks it); sim_results.cpp draws with it.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace leadflow::web {

// An axis covering a data range with round ticks: lo and hi are multiples of step, lo <= the
// data's minimum, hi >= its maximum, and ticks holds lo, lo + step, …, hi.
struct AxisTicks {
    double lo = 0;
    double hi = 1;
    double step = 1;
    std::vector<double> ticks;
};

// Round ticks for the range [min_value, max_value]: the step is 1, 2 or 5 times a power of ten,
// the smallest such step giving at most `max_ticks` intervals (max_ticks < 1 counts as 1; a
// range across zero gets at least 2, since zero is always a tick).
// Degenerate input still gives a usable axis: a range of one value v spans [0, v] (or [v, 0]
// when v is negative) and [0, 1] when v is 0; min_value > max_value is swapped; a bound that is
// not finite gives [0, 1]. Tick values are rounded to the step's decimals, so 0.1 + 0.2 reads
// as 0.3.
AxisTicks nice_ticks(double min_value, double max_value, int max_ticks = 5);

// A tick label for `value` on an axis of step `step`: as many decimals as the step needs (none
// for a step of 1 or more); from a step of 500 on, values are written in thousands ("2.5k",
// "200k"), from 5e5 in millions ("1.5M"), from 5e8 in billions ("3G"); "-0" is written "0".
// `percent` multiplies by 100 and appends '%' (shares 0..1 read as 0%..100%).
std::string tick_label(double value, double step, bool percent = false);

// The index of the bar under x for bars of equal width starting at the values `starts`
// (ascending; bar i covers [starts[i], starts[i] + width)), or -1 when x falls on none.
int bar_at(const std::vector<double>& starts, double width, double x);

// The index of the point whose x is nearest to `x` (points sorted by x), -1 when there are none.
int nearest_point(const std::vector<double>& xs, double x);

}  // namespace leadflow::web
