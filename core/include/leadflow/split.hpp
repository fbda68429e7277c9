// leadflow/split.hpp — the branch a lead takes at a SPLIT node (docs/workflows.md#split), a
// Leadflow extension: a pure function of the lead's id and the node's id, so that reruns, crash
// recovery, the simulator and the server all choose the same branch, natively and in
// WebAssembly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leadflow {

// 64-bit FNV-1a over the bytes of `lead_id`, one 0xFF byte (never part of UTF-8 text, so
// ("ab", "c") and ("a", "bc") differ), then the bytes of `node_id`, finished with the
// SplitMix64 mixer so that nearby ids spread over the whole range. Integer operations only:
// identical on every platform.
std::uint64_t split_hash(std::string_view lead_id, std::string_view node_id);

// split_hash mapped to [0, 1): its top 53 bits times 2^-53 (exact in a double).
double split_unit(std::string_view lead_id, std::string_view node_id);

// The branch (index into `weights`) a lead takes: the first i with
// split_unit(lead_id, node_id) × total < weights[0] + … + weights[i], where total is the sum of
// the weights (sums and one product only: identical natively and in WebAssembly). Weights that
// are not positive numbers count as 0 and are never chosen. Returns 0 when `weights` is empty or
// no weight is positive. Over many leads, branch i is taken with probability weights[i] / total.
std::size_t split_branch(std::string_view lead_id, std::string_view node_id,
                         const std::vector<double>& weights);

// The id a simulated lead has for split_branch: "sim:<seed>:<index>" (index from 0, in arrival
// order), so that a Monte-Carlo run reproduces with its seed and runs with different seeds
// split their leads independently.
std::string simulated_lead_id(std::uint64_t seed, std::uint64_t index);

}  // namespace leadflow
