// Statistics of SPLIT branches: the probability that each branch is best, and mean intervals.
#include "leadflow/split_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "leadflow/sampling.hpp"

namespace leadflow {

std::vector<double> probability_best(const std::vector<std::int64_t>& successes,
                                     const std::vector<std::int64_t>& trials) {
    const std::size_t k_branches = std::min(successes.size(), trials.size());
    if (k_branches == 0) return {};
    if (k_branches == 1) return {1.0};
    std::vector<double> s(k_branches), f(k_branches);
    for (std::size_t i = 0; i < k_branches; ++i) {
        const std::int64_t n = std::max<std::int64_t>(trials[i], 0);
        const std::int64_t k = std::clamp<std::int64_t>(successes[i], 0, n);
        s[i] = static_cast<double>(k);
        f[i] = static_cast<double>(n - k);
    }
    // The grid covers every posterior's bulk: a wide one where the counts are small, a narrow
    // one around close rates where they are large, so the cells stay fine against the spread.
    double lo = 1, hi = 0;
    for (std::size_t i = 0; i < k_branches; ++i) {
        const double a = s[i] + 1, b = f[i] + 1;
        const double mean = a / (a + b);
        const double sd = std::sqrt(mean * (1 - mean) / (a + b + 1));
        lo = std::min(lo, mean - 10 * sd);
        hi = std::max(hi, mean + 10 * sd);
    }
    lo = std::max(lo, 0.0);
    hi = std::min(hi, 1.0);
    const std::size_t cells = kBestGridCells;
    const double width = (hi - lo) / static_cast<double>(cells);
    std::vector<double> log_x(cells), log_1mx(cells);
    for (std::size_t c = 0; c < cells; ++c) {
        const double x = lo + (static_cast<double>(c) + 0.5) * width;
        log_x[c] = det_log(x);
        log_1mx[c] = det_log(1 - x);
    }
    // Each posterior as a discrete distribution over the cells (its density at the cell's
    // midpoint, normalized over the grid: the Beta function cancels, so no log-gamma is needed).
    std::vector<std::vector<double>> mass(k_branches, std::vector<double>(cells));
    for (std::size_t i = 0; i < k_branches; ++i) {
        std::vector<double>& m = mass[i];
        double top = -INFINITY;
        for (std::size_t c = 0; c < cells; ++c) {
            // 0 × log(…) is 0 even where the logarithm is huge.
            const double l =
                (s[i] > 0 ? s[i] * log_x[c] : 0.0) + (f[i] > 0 ? f[i] * log_1mx[c] : 0.0);
            m[c] = l;
            top = std::max(top, l);
        }
        double total = 0;
        for (std::size_t c = 0; c < cells; ++c) {
            m[c] = det_exp(m[c] - top);
            total += m[c];
        }
        for (std::size_t c = 0; c < cells; ++c) m[c] /= total;
    }
    // P(i best) = Σ_c mass_i(c) × Π_{j≠i} (P(rate_j below cell c) + mass_j(c) / 2). Up to
    // kBestDirectProducts branches the product runs over the others in index order, so equal
    // counts multiply equal factors in the same order and get bit-identical values; beyond, it
    // comes from prefix and suffix products (linear in the branches, equal up to rounding).
    std::vector<double> best(k_branches, 0.0), below(k_branches, 0.0), term(k_branches);
    std::vector<double> prefix(k_branches + 1), suffix(k_branches + 1);
    const bool direct = k_branches <= kBestDirectProducts;
    for (std::size_t c = 0; c < cells; ++c) {
        for (std::size_t j = 0; j < k_branches; ++j) term[j] = below[j] + mass[j][c] / 2;
        if (direct) {
            for (std::size_t i = 0; i < k_branches; ++i) {
                double others = 1;
                for (std::size_t j = 0; j < k_branches; ++j) {
                    if (j != i) others *= term[j];
                }
                best[i] += mass[i][c] * others;
            }
        } else {
            prefix[0] = 1;
            for (std::size_t j = 0; j < k_branches; ++j) prefix[j + 1] = prefix[j] * term[j];
            suffix[k_branches] = 1;
            for (std::size_t j = k_branches; j-- > 0;) suffix[j] = suffix[j + 1] * term[j];
            for (std::size_t i = 0; i < k_branches; ++i) {
                best[i] += mass[i][c] * prefix[i] * suffix[i + 1];
            }
        }
        for (std::size_t j = 0; j < k_branches; ++j) below[j] += mass[j][c];
    }
    double sum = 0;
    for (const double p : best) sum += p;
    if (sum > 0) {
        for (double& p : best) p /= sum;
    }
    return best;
}

std::pair<double, double> mean_interval(double mean, double sum_sq_dev, std::int64_t n,
                                        double floor) {
    if (n <= 0) return {0.0, 0.0};
    if (n == 1) return {mean, mean};
    const double nn = static_cast<double>(n);
    const double half = 1.959963984540054 * std::sqrt(sum_sq_dev / (nn - 1) / nn);
    return {std::max(mean - half, floor), mean + half};
}

}  // namespace leadflow
