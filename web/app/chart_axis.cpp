// web/app/chart_axis.cpp — see chart_axis.hpp.
#include "chart_axis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace leadflow::web {

namespace {

// Decimals needed to write multiples of `step` exactly (0 for steps of 1 or more).
int step_decimals(double step) {
    if (!(step > 0) || step >= 1) return 0;
    return std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 12);
}

double round_to(double v, int decimals) {
    const double f = std::pow(10.0, decimals);
    return std::round(v * f) / f;
}

}  // namespace

AxisTicks nice_ticks(double min_value, double max_value, int max_ticks) {
    AxisTicks out;
    if (!std::isfinite(min_value) || !std::isfinite(max_value)) {
        min_value = 0;
        max_value = 1;
    }
    if (min_value > max_value) std::swap(min_value, max_value);
    if (min_value == max_value) {
        if (min_value > 0) {
            min_value = 0;
        } else if (min_value < 0) {
            max_value = 0;
        } else {
            max_value = 1;
        }
    }
    // A range across zero needs two intervals at least (zero is always a tick).
    const int intervals = std::max(min_value < 0 && max_value > 0 ? 2 : 1, max_ticks);
    const double raw = (max_value - min_value) / intervals;
    double power = std::pow(10.0, std::floor(std::log10(raw)));
    double step = power;
    // The smallest of 1, 2, 5, 10 × power whose rounded-out range fits in `intervals` steps.
    for (int guard = 0; guard < 8; ++guard) {
        bool found = false;
        for (double m : {1.0, 2.0, 5.0, 10.0}) {
            step = m * power;
            const double lo = std::floor(min_value / step + 1e-9) * step;
            const double hi = std::ceil(max_value / step - 1e-9) * step;
            if ((hi - lo) / step <= intervals + 1e-9) {
                found = true;
                break;
            }
        }
        if (found) break;
        power *= 10;
    }
    const int decimals = step_decimals(step);
    out.step = step;
    out.lo = round_to(std::floor(min_value / step + 1e-9) * step, decimals);
    out.hi = round_to(std::ceil(max_value / step - 1e-9) * step, decimals);
    const int n = static_cast<int>(std::lround((out.hi - out.lo) / step));
    for (int i = 0; i <= n; ++i) out.ticks.push_back(round_to(out.lo + step * i, decimals) + 0.0);
    return out;
}

std::string tick_label(double value, double step, bool percent) {
    if (percent) {
        value *= 100;
        step *= 100;
    }
    char buf[64];
    const double mag = std::fabs(step);
    const char* suffix = "";
    double div = 1;
    if (mag >= 5e8) {
        suffix = "G", div = 1e9;
    } else if (mag >= 5e5) {
        suffix = "M", div = 1e6;
    } else if (mag >= 500) {
        suffix = "k", div = 1e3;
    }
    const double shown = value / div;
    const int decimals = step_decimals(step / div);
    std::snprintf(buf, sizeof buf, "%.*f", decimals, shown);
    std::string s = buf;
    if (s.find_first_not_of("-0.") == std::string::npos) s = "0";  // "-0", "-0.00" → "0"
    if (s != "0") s += suffix;
    if (percent) s += '%';
    return s;
}

int bar_at(const std::vector<double>& starts, double width, double x) {
    if (starts.empty() || !(width > 0) || !std::isfinite(x)) return -1;
    const auto it = std::upper_bound(starts.begin(), starts.end(), x);
    if (it == starts.begin()) return -1;
    const int i = static_cast<int>(it - starts.begin()) - 1;
    return x < starts[static_cast<std::size_t>(i)] + width ? i : -1;
}

int nearest_point(const std::vector<double>& xs, double x) {
    if (xs.empty() || !std::isfinite(x)) return xs.empty() ? -1 : 0;
    const auto it = std::lower_bound(xs.begin(), xs.end(), x);
    if (it == xs.begin()) return 0;
    if (it == xs.end()) return static_cast<int>(xs.size()) - 1;
    const int i = static_cast<int>(it - xs.begin());
    return (x - xs[static_cast<std::size_t>(i - 1)]) <= (xs[static_cast<std::size_t>(i)] - x)
               ? i - 1
               : i;
}

}  // namespace leadflow::web
