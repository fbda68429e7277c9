// leadflow/sampling.hpp — the simulator's own math and samplers (identical on every platform).
//
// The C library's log/exp differ by an ulp between glibc and Emscripten's libc, which would
// change sampled values and every result after them. Everything here uses only operations
// IEEE 754 rounds exactly (+ − × ÷, sqrt) plus exact bit manipulation (frexp/ldexp), so the
// same Rng state gives the same samples natively and in WebAssembly.
#pragma once

#include <cstddef>

#include "leadflow/rng.hpp"

namespace leadflow {

// Natural logarithm, accurate to about 1 ulp, computed with + − × ÷ only.
// x <= 0 returns -infinity (x == 0) or NaN (x < 0); +infinity returns +infinity.
double det_log(double x);
// e^x, accurate to about 1 ulp, computed with + − × ÷ only. Overflows to +infinity above ~709.78
// and underflows to 0 below ~-745.
double det_exp(double x);

// A standard normal variate (Marsaglia's polar method with det_log).
double sample_standard_normal(Rng& rng);
// A normal variate with this mean and standard deviation, redrawn until it is >= floor (after
// 64 rejections the floor itself is returned, so the call always ends). sd <= 0 gives
// max(mean, floor) without drawing.
double sample_truncated_normal(Rng& rng, double mean, double sd, double floor);
// An exponential variate with this mean (inverse transform with det_log).
double sample_exponential(Rng& rng, double mean);
// True with probability p (p <= 0: never; p >= 1: always; one draw either way).
bool sample_bernoulli(Rng& rng, double p);
// An index drawn from `cumulative` (non-decreasing, last element ≈ 1): the first i with
// u < cumulative[i]; rounding slack goes to the last index whose weight is positive.
std::size_t sample_categorical(Rng& rng, const double* cumulative, std::size_t n);

}  // namespace leadflow
