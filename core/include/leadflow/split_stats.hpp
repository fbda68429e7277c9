// leadflow/split_stats.hpp — statistics of the per-branch results of SPLIT nodes
// (docs/simulation.md#results): which branch converts best, and intervals of per-lead means.
// Computed with + − × ÷, sqrt and sampling.hpp's det_log/det_exp only, in a fixed order, so the
// numbers are identical natively and in WebAssembly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace leadflow {

// Grid cells of probability_best()'s numerical integration.
constexpr int kBestGridCells = 16384;
// Up to this many branches, branches with identical counts get bit-identical probabilities.
constexpr std::size_t kBestDirectProducts = 16;

// The probability that each branch has the highest conversion rate, given `successes[i]` of
// `trials[i]` leads converted on branch i (same sizes; 0 <= successes[i] <= trials[i], else
// clamped): the rate of branch i has the Beta(1 + successes[i], 1 + trials[i] − successes[i])
// posterior of a uniform prior, independently of the others, and the result is
// P(rate_i > rate_j for every j ≠ i), integrated on a fixed grid of kBestGridCells cells that
// covers every posterior's mean ± 10 standard deviations (ties within a cell split evenly). The
// values are >= 0 and sum to 1 (up to rounding); a single branch gets 1; no branch, an empty
// vector. Branches with identical counts get identical values (bit for bit up to
// kBestDirectProducts branches, up to rounding beyond).
std::vector<double> probability_best(const std::vector<std::int64_t>& successes,
                                     const std::vector<std::int64_t>& trials);

// The normal-approximation 95% interval of a mean: mean ± 1.959963984540054 × sd / sqrt(n),
// where sd is the sample standard deviation from `sum_sq_dev` (the sum of squared deviations
// from the mean) and n − 1. The lower end is clamped at `floor`. n == 0 gives {0, 0}; n == 1,
// {mean, mean}.
std::pair<double, double> mean_interval(double mean, double sum_sq_dev, std::int64_t n,
                                        double floor);

}  // namespace leadflow
