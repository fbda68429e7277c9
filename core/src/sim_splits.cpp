// The Monte-Carlo results of SPLIT nodes (docs/simulation.md#results, key "splits"): per branch,
// how its leads ended, what their calls cost, how long they took, and the probability that the
// branch converts best. Built after the run from the per-lead arrays (sim_run.hpp).
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "leadflow/split.hpp"
#include "leadflow/split_stats.hpp"
#include "sim_run.hpp"

namespace leadflow {

namespace {

// Per-branch totals of one SPLIT node, in one pass over the leads in index order. Means come
// from exact integer sums; the sums of squared deviations from Welford's updates (+ − × ÷ in a
// fixed order: identical natively and in WebAssembly, and no cancellation from sums of squares),
// so no per-lead array is needed after the run.
struct BranchSums {
    std::int64_t leads = 0, completed = 0, dropped = 0, calls = 0;
    std::int64_t billed_ms = 0;
    std::int64_t finished = 0, finished_s = 0;  // leads that completed, dropped or failed
    double billed_run_mean = 0, billed_ss = 0;
    double finished_run_mean = 0, finished_ss = 0;

    static void welford(double x, std::int64_t n, double& mean, double& ss) {
        const double d = x - mean;
        mean += d / static_cast<double>(n);
        ss += d * (x - mean);
    }
};

Json interval_json(double mean, std::pair<double, double> ci) {
    Json j = Json::object();
    j["mean"] = mean;
    j["ci95"] = Json::array({ci.first, ci.second});
    return j;
}

}  // namespace

Json SimulationRun::State::splits_json() const {
    // A lead's branch at a SPLIT is a function of its id and the node's id, so it is recomputed
    // here for every lead that entered the node rather than stored per lead during the run. The
    // id is written as run() writes it for the engine: "sim:<seed>:" then the index.
    std::vector<std::size_t> split_nodes;
    for (std::size_t i = 0; i < n_nodes; ++i) {
        if (g.nodes()[i].type == NodeType::kSplit) split_nodes.push_back(i);
    }
    std::vector<std::vector<BranchSums>> sums(split_nodes.size());
    for (std::size_t s = 0; s < split_nodes.size(); ++s) {
        sums[s].resize(g.nodes()[split_nodes[s]].split_weights.size());
    }
    char id_buf[sizeof lead_id_buf];
    std::memcpy(id_buf, lead_id_buf, lead_id_prefix);
    for (std::size_t lead = 0; lead < n_leads; ++lead) {
        std::string_view id;
        for (std::size_t s = 0; s < split_nodes.size(); ++s) {
            const std::size_t i = split_nodes[s];
            const std::size_t word = i / 64;
            const std::uint64_t bit = std::uint64_t{1} << (i % 64);
            const std::uint64_t w =
                word == 0 ? state[lead].visited : visited_more[lead * (mask_words - 1) + word - 1];
            if ((w & bit) == 0) continue;
            if (id.empty()) {
                const auto written =
                    std::to_chars(id_buf + lead_id_prefix, id_buf + sizeof id_buf, lead);
                id = std::string_view(id_buf, static_cast<std::size_t>(written.ptr - id_buf));
            }
            const std::size_t branch = split_branch(id, g.node_id(static_cast<std::int32_t>(i)),
                                                    g.nodes()[i].split_weights);
            BranchSums& k = sums[s][branch];
            ++k.leads;
            const LeadEnd end = state[lead].end();
            k.completed += end == LeadEnd::kCompleted;
            k.dropped += end == LeadEnd::kDropped;
            k.calls += calls_of[lead];
            k.billed_ms += static_cast<std::int64_t>(billed_of[lead]);
            BranchSums::welford(static_cast<double>(billed_of[lead]), k.leads, k.billed_run_mean,
                                k.billed_ss);
            if (end != LeadEnd::kNone) {
                const std::uint32_t t = end_s[lead] - arrival_s[lead];
                ++k.finished;
                k.finished_s += t;
                BranchSums::welford(static_cast<double>(t), k.finished, k.finished_run_mean,
                                    k.finished_ss);
            }
        }
    }

    Json out = Json::object();
    const auto n = static_cast<std::int64_t>(n_leads);
    const double cost_per_ms = b.scenario.cost_per_minute / 60000.0;
    for (std::size_t s = 0; s < split_nodes.size(); ++s) {
        const CompiledNode& node = g.nodes()[split_nodes[s]];
        const std::vector<BranchSums>& branch_sums = sums[s];
        std::vector<std::int64_t> successes, trials;
        for (const BranchSums& k : branch_sums) {
            successes.push_back(k.completed);
            trials.push_back(k.leads);
        }
        const std::vector<double> best = probability_best(successes, trials);

        Json branches = Json::object();
        for (std::size_t i = 0; i < branch_sums.size(); ++i) {
            const BranchSums& k = branch_sums[i];
            const double billed_mean =
                k.leads > 0 ? static_cast<double>(k.billed_ms) / static_cast<double>(k.leads) : 0.0;
            const double finished_mean =
                k.finished > 0 ? static_cast<double>(k.finished_s) / static_cast<double>(k.finished)
                               : 0.0;
            Json bj = Json::object();
            bj["leads"] = k.leads;
            bj["share"] = n > 0 ? static_cast<double>(k.leads) / static_cast<double>(n) : 0.0;
            bj["completed"] = sim::proportion_json(k.completed, k.leads);
            bj["dropped"] = sim::proportion_json(k.dropped, k.leads);
            bj["calls_per_lead"] =
                k.leads > 0 ? static_cast<double>(k.calls) / static_cast<double>(k.leads) : 0.0;
            bj["minutes_per_lead"] = billed_mean / 60000.0;
            const auto cost_ms = mean_interval(billed_mean, k.billed_ss, k.leads, 0.0);
            bj["cost"] = interval_json(billed_mean * cost_per_ms,
                                       {cost_ms.first * cost_per_ms, cost_ms.second * cost_per_ms});
            const auto t_s = mean_interval(finished_mean, k.finished_ss, k.finished, 0.0);
            Json tj = Json::object();
            tj["leads"] = k.finished;
            tj.update(
                interval_json(finished_mean / 3600.0, {t_s.first / 3600.0, t_s.second / 3600.0}));
            bj["hours_to_terminal"] = tj;
            bj["p_best"] = best[i];
            branches[node.split_labels[i]] = bj;
        }
        out[g.node_id(static_cast<std::int32_t>(split_nodes[s]))] = branches;
    }
    return out;
}

}  // namespace leadflow
