// The SPLIT branch hash (docs/workflows.md#split).
#include "leadflow/split.hpp"

#include <cmath>

namespace leadflow {

namespace {

constexpr std::uint64_t kFnvOffset = 0xCBF29CE484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001B3ULL;

std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes) {
    for (char ch : bytes) {
        h ^= static_cast<unsigned char>(ch);
        h *= kFnvPrime;
    }
    return h;
}

bool usable(double w) {
    return w > 0 && std::isfinite(w);
}

}  // namespace

std::uint64_t split_hash(std::string_view lead_id, std::string_view node_id) {
    std::uint64_t h = fnv1a(kFnvOffset, lead_id);
    h ^= 0xFFu;
    h *= kFnvPrime;
    h = fnv1a(h, node_id);
    // SplitMix64's finalizer: FNV-1a alone leaves its top bits poorly mixed for short inputs.
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

double split_unit(std::string_view lead_id, std::string_view node_id) {
    return static_cast<double>(split_hash(lead_id, node_id) >> 11) * 0x1.0p-53;
}

std::size_t split_branch(std::string_view lead_id, std::string_view node_id,
                         const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) {
        if (usable(w)) total += w;
    }
    if (!(total > 0)) return 0;
    const double target = split_unit(lead_id, node_id) * total;
    double cumulative = 0;
    std::size_t last = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (!usable(weights[i])) continue;
        cumulative += weights[i];
        last = i;
        if (target < cumulative) return i;
    }
    return last;  // rounding left target at the total: the last usable branch
}

std::string simulated_lead_id(std::uint64_t seed, std::uint64_t index) {
    return "sim:" + std::to_string(seed) + ":" + std::to_string(index);
}

}  // namespace leadflow
