// Simulation comparison of two graphs: two seeded runs and the intervals of their differences.
#include "leadflow/compare.hpp"

#include <cmath>
#include <cstdint>
#include <string>

namespace leadflow {

namespace {

constexpr double kZ95 = 1.959963984540054;  // as wilson_interval

Status prefixed(const char* side, const Status& s) {
    return Status(s.code(), std::string(side) + ": " + s.message());
}

struct Run {
    Json results;
    SimulationStats stats;
};

Result<Run> run_one(const CompiledGraph& g, const Scenario& s, const SimulateOptions& o) {
    Run r;
    const BoundScenario bound = bind_scenario(g, s);
    auto results = simulate(g, bound, o, &r.stats);
    if (!results.ok()) return results.status();
    r.results = std::move(results).value();
    return r;
}

Json pair(double a, double b) {
    return Json::array({a, b});
}

// Newcombe's hybrid score interval for p2 − p1 (independent proportions).
Json conversion_difference(std::int64_t k1, std::int64_t n1, std::int64_t k2, std::int64_t n2) {
    const double p1 = n1 > 0 ? static_cast<double>(k1) / static_cast<double>(n1) : 0.0;
    const double p2 = n2 > 0 ? static_cast<double>(k2) / static_cast<double>(n2) : 0.0;
    const auto [l1, u1] = wilson_interval(k1, n1);
    const auto [l2, u2] = wilson_interval(k2, n2);
    const double delta = p2 - p1;
    const double lo = delta - std::sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
    const double hi = delta + std::sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));
    Json j = Json::object();
    j["before"] = p1;
    j["after"] = p2;
    j["delta"] = delta;
    j["ci95"] = pair(lo, hi);
    return j;
}

// Difference of two means with the normal-approximation interval.
Json mean_difference(double m1, double s1, std::int64_t n1, double m2, double s2, std::int64_t n2) {
    const double delta = m2 - m1;
    Json j = Json::object();
    j["before"] = m1;
    j["after"] = m2;
    j["delta"] = delta;
    if (n1 >= 2 && n2 >= 2) {
        const double se =
            std::sqrt(s1 * s1 / static_cast<double>(n1) + s2 * s2 / static_cast<double>(n2));
        j["ci95"] = pair(delta - kZ95 * se, delta + kZ95 * se);
    } else {
        j["ci95"] = nullptr;
    }
    j["sd"] = pair(s1, s2);
    return j;
}

}  // namespace

Result<Json> compare_simulations(const Graph& before, const Graph& after, const Scenario& s,
                                 const SimulateOptions& o) {
    auto cb = compile_graph(before);
    if (!cb.ok()) return prefixed("before", cb.status());
    auto ca = compile_graph(after);
    if (!ca.ok()) return prefixed("after", ca.status());
    SimulateOptions opt = o;
    opt.lead_calls = true;  // for calls_per_lead_sd; the results are the same bytes
    auto rb = run_one(*cb, s, opt);
    if (!rb.ok()) return prefixed("before", rb.status());
    auto ra = run_one(*ca, s, opt);
    if (!ra.ok()) return prefixed("after", ra.status());
    return compare_runs(rb->results, rb->stats, ra->results, ra->stats, s.leads);
}

Json compare_runs(const Json& before, const SimulationStats& bs, const Json& after,
                  const SimulationStats& as, std::int64_t leads) {
    const std::int64_t n = leads;
    const auto converted = [](const Json& r) {
        return r["terminal"]["completed"]["count"].get<std::int64_t>();
    };
    Json diff = Json::object();
    diff["conversion"] = conversion_difference(converted(before), n, converted(after), n);
    diff["calls_per_lead"] =
        mean_difference(before["calls"]["per_lead"].get<double>(), bs.calls_per_lead_sd, n,
                        after["calls"]["per_lead"].get<double>(), as.calls_per_lead_sd, n);
    Json ttt = mean_difference(bs.time_to_terminal_mean_hours, bs.time_to_terminal_sd_hours,
                               bs.terminal_leads, as.time_to_terminal_mean_hours,
                               as.time_to_terminal_sd_hours, as.terminal_leads);
    ttt["leads"] = Json::array({bs.terminal_leads, as.terminal_leads});
    diff["time_to_terminal_hours"] = std::move(ttt);

    Json out = Json::object();
    out["before"] = before;
    out["after"] = after;
    out["difference"] = std::move(diff);
    return out;
}

}  // namespace leadflow
