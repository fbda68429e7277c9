// server/runtime/sandbox.cpp — sandbox draws (see sandbox.hpp).
#include "runtime/sandbox.hpp"

#include <cmath>

#include "leadflow/rng.hpp"
#include "leadflow/sampling.hpp"

namespace leadflow::server {

std::uint64_t fnv1a64(const std::string& text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

SandboxCall sample_sandbox_call(const BoundNodeModel& m, std::uint64_t scenario_seed,
                                const std::string& call_id) {
    Rng rng(fnv1a64(call_id) ^ (scenario_seed * 0x9E3779B97F4A7C15ULL));
    SandboxCall c;
    c.outcome = static_cast<CallOutcome>(sample_categorical(rng, m.outcome_cumulative.data(), 5));
    double seconds = 5;
    switch (c.outcome) {
        case CallOutcome::kCompleted:
        case CallOutcome::kVoicemail:
            seconds = sample_truncated_normal(rng, m.duration_mean_s, m.duration_sd_s, 5.0);
            break;
        case CallOutcome::kNoAnswer:
            seconds = m.ring_s;
            break;
        default:
            break;
    }
    c.duration_ms = static_cast<std::int64_t>(std::llround(seconds * 1000.0));
    if (c.outcome == CallOutcome::kCompleted) {
        for (const AnalysisModel& a : m.analysis) {
            std::size_t i =
                sample_categorical(rng, a.dist.cumulative.data(), a.dist.cumulative.size());
            if (i < a.dist.values.size()) c.analysis[a.name] = a.dist.values[i];
        }
    }
    return c;
}

SandboxAction sample_sandbox_action(const BoundNodeModel& m, std::uint64_t scenario_seed,
                                    const std::string& key) {
    Rng rng(fnv1a64(key) ^ (scenario_seed * 0xBF58476D1CE4E5B9ULL));
    SandboxAction a;
    a.ok = sample_bernoulli(rng, m.success_rate);
    a.latency_ms = static_cast<std::int64_t>(std::llround(m.latency_s * 1000.0));
    return a;
}

}  // namespace leadflow::server
