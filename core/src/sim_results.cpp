// The Monte-Carlo simulator: statistics and the results JSON of a run (docs/simulation.md#results),
// from the counters and per-lead arrays that simulate.cpp fills (sim_run.hpp).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "leadflow/civil_time.hpp"
#include "leadflow/exact.hpp"
#include "leadflow/simulate.hpp"
#include "sim_run.hpp"

namespace leadflow {

namespace {

// A "nice" step (hours) so that span / step <= max_steps.
double nice_step_hours(double span_hours, double max_steps) {
    static const double kSteps[] = {0.25, 0.5, 1, 2, 3, 4, 6, 12, 24, 48, 72, 168, 336, 720};
    for (double s : kSteps) {
        if (span_hours / s <= max_steps) return s;
    }
    return std::ceil(span_hours / max_steps / 720) * 720;
}

// Sorts ascending: std::sort for small inputs, else an LSD radix sort on 16-bit digits (two
// linear passes instead of n log n comparisons for a million leads; same result, integers).
void sort_seconds(std::vector<std::uint32_t>& v) {
    if (v.size() < (std::size_t{1} << 16)) {
        std::sort(v.begin(), v.end());
        return;
    }
    std::uint32_t max = 0;
    for (const std::uint32_t x : v) max = x > max ? x : max;
    std::vector<std::uint32_t> tmp(v.size());
    std::vector<std::size_t> count(std::size_t{1} << 16);
    for (int shift = 0; shift < 32 && (max >> shift) != 0; shift += 16) {
        std::fill(count.begin(), count.end(), std::size_t{0});
        for (const std::uint32_t x : v) ++count[(x >> shift) & 0xFFFFu];
        std::size_t sum = 0;
        for (std::size_t& c : count) {
            const std::size_t here = c;
            c = sum;
            sum += here;
        }
        for (const std::uint32_t x : v) tmp[count[(x >> shift) & 0xFFFFu]++] = x;
        v.swap(tmp);
    }
}

}  // namespace

Json sim::proportion_json(std::int64_t count, std::int64_t n) {
    Json j = Json::object();
    j["count"] = count;
    j["share"] = n > 0 ? static_cast<double>(count) / static_cast<double>(n) : 0.0;
    const auto ci = wilson_interval(count, n);
    j["ci95"] = Json::array({ci.first, ci.second});
    return j;
}

std::pair<double, double> wilson_interval(std::int64_t k, std::int64_t n) {
    if (n <= 0) return {0.0, 0.0};
    const double z = 1.959963984540054;
    const double nn = static_cast<double>(n);
    const double p = static_cast<double>(k) / nn;
    const double z2 = z * z;
    const double denom = 1 + z2 / nn;
    const double center = (p + z2 / (2 * nn)) / denom;
    const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
    double lo = center - half, hi = center + half;
    if (lo < 0 || k == 0) lo = 0;
    if (hi > 1 || k == n) hi = 1;
    return {lo, hi};
}

Json SimulationRun::State::results_json(SimulationStats* stats) const {
    const Scenario& sc = b.scenario;
    // Every lead of the run: the scenario's, and a forecast's running leads before them.
    const auto n = static_cast<std::int64_t>(n_leads);
    const double n_div = n > 0 ? static_cast<double>(n) : 1.0;  // a forecast may have no leads
    const std::int64_t unfinished = n - counts[0] - counts[1] - counts[2] - counts[3];
    Json out = Json::object();
    out["leads"] = n;
    out["seed"] = sc.seed;
    Json term = Json::object();
    term["completed"] = sim::proportion_json(counts[0], n);
    term["dropped"] = sim::proportion_json(counts[1], n);
    term["failed"] = sim::proportion_json(counts[2], n);
    term["stuck"] = sim::proportion_json(counts[3], n);
    term["unfinished"] = sim::proportion_json(unfinished, n);
    out["terminal"] = term;
    Json nodes = Json::object();
    for (std::size_t i = 0; i < n_nodes; ++i) {
        Json nj = Json::object();
        nj["entries"] = entries[i];
        nj["leads"] = unique[i];
        nj["share"] = static_cast<double>(unique[i]) / n_div;
        nodes[g.node_id(static_cast<std::int32_t>(i))] = nj;
    }
    out["nodes"] = nodes;
    Json edges = Json::object();
    for (std::size_t i = 0; i < n_edges; ++i) {
        edges[g.edge_id(static_cast<std::int32_t>(i))] = Json{{"traversals", traversals[i]}};
    }
    out["edges"] = edges;
    Json calls = Json::object();
    const double minutes = static_cast<double>(billed_ms) / 60000.0;
    calls["placed"] = calls_placed;
    calls["per_lead"] = static_cast<double>(calls_placed) / n_div;
    calls["minutes"] = minutes;
    calls["cost"] = minutes * sc.cost_per_minute;
    out["calls"] = calls;

    // Time to terminal (completed, dropped, failed), exact percentiles by nearest rank.
    std::vector<std::uint32_t> ttt;
    ttt.reserve(static_cast<std::size_t>(counts[0] + counts[1] + counts[2]));
    for (std::size_t i = 0; i < n_leads; ++i) {
        if (state[i].end() != LeadEnd::kNone) ttt.push_back(end_s[i] - arrival_s[i]);
    }
    sort_seconds(ttt);
    auto pct = [&](double p) {
        if (ttt.empty()) return 0.0;
        std::size_t rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(ttt.size())));
        if (rank < 1) rank = 1;
        return static_cast<double>(ttt[rank - 1]) / 3600.0;
    };
    Json tj = Json::object();
    tj["p50"] = pct(0.50);
    tj["p90"] = pct(0.90);
    tj["p99"] = pct(0.99);
    Json hist = Json::array();
    if (!ttt.empty()) {
        const double max_h = static_cast<double>(ttt.back()) / 3600.0;
        const double w = nice_step_hours(max_h > 0 ? max_h : 1, 30);
        const std::size_t bins = static_cast<std::size_t>(std::floor(max_h / w)) + 1;
        std::vector<std::int64_t> hc(bins, 0);
        const double w_s = w * 3600.0;
        for (std::uint32_t s : ttt) {
            std::size_t k = static_cast<std::size_t>(std::floor(static_cast<double>(s) / w_s));
            if (k >= bins) k = bins - 1;
            ++hc[k];
        }
        for (std::size_t k = 0; k < bins; ++k) {
            hist.push_back(Json{{"from", static_cast<double>(k) * w},
                                {"to", static_cast<double>(k + 1) * w},
                                {"count", hc[k]}});
        }
    }
    tj["histogram"] = hist;
    out["time_to_terminal_hours"] = tj;

    // Leads in progress (arrived, not yet ended or stuck) at regular instants up to the horizon.
    const double horizon_h = sc.horizon_days * 24.0;
    const double step_h = nice_step_hours(horizon_h, 60);
    const std::size_t samples = static_cast<std::size_t>(std::floor(horizon_h / step_h)) + 1;
    const double step_s = step_h * 3600.0;
    std::vector<std::int64_t> arrived_by(samples + 1, 0), ended_by(samples + 1, 0);
    auto sample_index = [&](std::uint32_t s) {
        const double k = std::ceil(static_cast<double>(s) / step_s);
        return k >= static_cast<double>(samples) ? samples : static_cast<std::size_t>(k);
    };
    for (std::size_t i = 0; i < n_leads; ++i) {
        if (start + static_cast<TimeMs>(arrival_s[i]) * 1000 > horizon_end) continue;
        ++arrived_by[sample_index(arrival_s[i])];
        if (end_s[i] != kNotEnded) ++ended_by[sample_index(end_s[i])];
    }
    Json prog = Json::array();
    std::int64_t a_sum = 0, e_sum = 0;
    for (std::size_t k = 0; k < samples; ++k) {
        a_sum += arrived_by[k];
        e_sum += ended_by[k];
        prog.push_back(
            Json{{"t_hours", static_cast<double>(k) * step_h}, {"count", a_sum - e_sum}});
    }
    out["in_progress"] = prog;

    if (opt.exact) {
        out["exact"] = to_json(solve_exact(g, b), g);
    } else {
        // The shape of an exact solution that is not available, with its reason.
        ExactResult none;
        none.reason = "not requested";
        out["exact"] = to_json(none, g);
    }
    out["start_time"] = format_timestamp(start);
    out["horizon_days"] = sc.horizon_days;
    out["events"] = events;
    out["warnings"] = b.warnings;
    if (has_split) out["splits"] = splits_json();

    if (stats != nullptr) {
        stats->events = events;
        stats->peak_queue = static_cast<std::int64_t>(peak_queue);
        const std::size_t bytes =
            n_leads * (sizeof(sim::SimLead) + (mask_words - 1) * 8 + 8 + n_vars + n_attrs +
                       (n_attrs ? 4 : 0) + (fifo.empty() ? 0 : 4) + (calls_of.empty() ? 0 : 4) +
                       (billed_of.empty() ? 0 : 8)) +
            peak_queue * sizeof(std::uint64_t);
        stats->bytes_per_lead = n_leads ? bytes / n_leads : 0;
        // Two passes (mean, then squared deviations) in a fixed order: the same bytes natively
        // and in WebAssembly, and no cancellation from sums of squares.
        stats->terminal_leads = static_cast<std::int64_t>(ttt.size());
        stats->time_to_terminal_mean_hours = 0;
        stats->time_to_terminal_sd_hours = 0;
        if (!ttt.empty()) {
            std::int64_t sum_s = 0;
            for (const std::uint32_t t : ttt) sum_s += t;
            const double mean_s = static_cast<double>(sum_s) / static_cast<double>(ttt.size());
            double ss = 0;
            for (const std::uint32_t t : ttt) {
                const double d = static_cast<double>(t) - mean_s;
                ss += d * d;
            }
            stats->time_to_terminal_mean_hours = mean_s / 3600.0;
            if (ttt.size() > 1) {
                stats->time_to_terminal_sd_hours =
                    std::sqrt(ss / static_cast<double>(ttt.size() - 1)) / 3600.0;
            }
        }
        stats->calls_per_lead_sd = -1;
        if (!calls_of.empty()) {
            const double mean = static_cast<double>(calls_placed) / static_cast<double>(n_leads);
            double ss = 0;
            for (const std::uint32_t c : calls_of) {
                const double d = static_cast<double>(c) - mean;
                ss += d * d;
            }
            stats->calls_per_lead_sd =
                n_leads > 1 ? std::sqrt(ss / static_cast<double>(n_leads - 1)) : 0.0;
        }
    }
    return out;
}

}  // namespace leadflow
