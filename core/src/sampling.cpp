// Deterministic math and samplers. Only + − × ÷, sqrt, frexp and ldexp are used: each is exact
// or correctly rounded by IEEE 754, hence identical on every platform built with
// -ffp-contract=off.
#include "leadflow/sampling.hpp"

#include <cmath>
#include <limits>

namespace leadflow {

namespace {
// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11.
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kSqrtHalf = 0.70710678118654752440;
}  // namespace

double det_log(double x) {
    if (x != x) return x;
    if (x < 0) return std::numeric_limits<double>::quiet_NaN();
    if (x == 0) return -std::numeric_limits<double>::infinity();
    if (x == std::numeric_limits<double>::infinity()) return x;
    int e = 0;
    double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
    if (m < kSqrtHalf) {
        m *= 2;
        e -= 1;
    }
    // m in [sqrt(1/2), sqrt(2)): log(m) = 2 atanh(t), t = (m-1)/(m+1), |t| <= 0.1716.
    const double t = (m - 1) / (m + 1);
    const double t2 = t * t;
    double series = 1.0 / 27;
    for (int k = 25; k >= 3; k -= 2) series = 1.0 / k + t2 * series;
    const double log_m = 2 * t + 2 * t * t2 * series;
    const double k = e;
    return k * kLn2Hi + (log_m + k * kLn2Lo);
}

double det_exp(double x) {
    if (x != x) return x;
    if (x > 709.8) return std::numeric_limits<double>::infinity();
    if (x < -745.2) return 0.0;
    // x = k ln2 + r, |r| <= ln2/2; e^x = 2^k e^r.
    const double kd = std::floor(x / 0.69314718055994530942 + 0.5);
    const double r = (x - kd * kLn2Hi) - kd * kLn2Lo;
    // Horner form of the Taylor series: small terms are added first.
    double sum = 1;
    for (int i = 20; i >= 1; --i) sum = 1 + sum * r / i;
    return std::ldexp(sum, static_cast<int>(kd));
}

double sample_standard_normal(Rng& rng) {
    for (;;) {
        const double u = 2 * rng.uniform() - 1;
        const double v = 2 * rng.uniform() - 1;
        const double s = u * u + v * v;
        if (s > 0 && s < 1) return u * std::sqrt(-2 * det_log(s) / s);
    }
}

double sample_truncated_normal(Rng& rng, double mean, double sd, double floor) {
    if (!(sd > 0)) return mean > floor ? mean : floor;
    for (int i = 0; i < 64; ++i) {
        const double x = mean + sd * sample_standard_normal(rng);
        if (x >= floor) return x;
    }
    return floor;
}

double sample_exponential(Rng& rng, double mean) {
    return -mean * det_log(rng.uniform_open());
}

bool sample_bernoulli(Rng& rng, double p) {
    return rng.uniform() < p;
}

std::size_t sample_categorical(Rng& rng, const double* cumulative, std::size_t n) {
    const double u = rng.uniform();
    for (std::size_t i = 0; i < n; ++i) {
        if (u < cumulative[i]) return i;
    }
    // u landed in the rounding slack above the last cumulative value.
    for (std::size_t i = n; i-- > 0;) {
        if (i == 0 || cumulative[i] > cumulative[i - 1]) return i;
    }
    return 0;
}

}  // namespace leadflow
