// The Monte-Carlo results of SPLIT nodes (docs/simulation.md#results, key "splits"): per branch,
// how its leads ended, what their calls cost, how long they took, and the probability that the
// branch converts best. Built after the run from the per-lead arrays (sim_run.hpp).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "leadflow/split.hpp"
#include "leadflow/split_stats.hpp"
#include "sim_run.hpp"

namespace leadflow {

namespace {

constexpr std::uint32_t kNoBranch = 0xFFFFFFFFu;

// Per-branch sums of one SPLIT node: first pass counts and totals, second pass the squared
// deviations (two passes in a fixed order, as time_to_terminal's statistics: identical natively
// and in WebAssembly, and no cancellation from sums of squares).
struct BranchSums {
    std::int64_t leads = 0, completed = 0, dropped = 0, calls = 0;
    std::int64_t billed_ms = 0;
    std::int64_t finished = 0, finished_s = 0;  // leads that completed, dropped or failed
    double billed_ss = 0, finished_ss = 0;
    double billed_mean = 0, finished_mean = 0;
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
    // here for every lead that entered the node rather than stored per lead during the run.
    std::vector<std::size_t> split_nodes;
    for (std::size_t i = 0; i < n_nodes; ++i) {
        if (g.nodes()[i].type == NodeType::kSplit) split_nodes.push_back(i);
    }
    // branch[s * n_leads + lead]: the branch the lead took at split_nodes[s], or kNoBranch when
    // it never entered that node.
    std::vector<std::uint32_t> branch(split_nodes.size() * n_leads, kNoBranch);
    for (std::size_t lead = 0; lead < n_leads; ++lead) {
        std::string id;
        for (std::size_t s = 0; s < split_nodes.size(); ++s) {
            const std::size_t i = split_nodes[s];
            const std::size_t word = i / 64;
            const std::uint64_t bit = std::uint64_t{1} << (i % 64);
            const std::uint64_t w =
                word == 0 ? state[lead].visited : visited_more[lead * (mask_words - 1) + word - 1];
            if ((w & bit) == 0) continue;
            if (id.empty()) id = simulated_lead_id(b.scenario.seed, lead);
            branch[s * n_leads + lead] = static_cast<std::uint32_t>(split_branch(
                id, g.node_id(static_cast<std::int32_t>(i)), g.nodes()[i].split_weights));
        }
    }

    Json out = Json::object();
    const std::int64_t n = b.scenario.leads;
    const double cost_per_ms = b.scenario.cost_per_minute / 60000.0;
    for (std::size_t s = 0; s < split_nodes.size(); ++s) {
        const CompiledNode& node = g.nodes()[split_nodes[s]];
        const std::uint32_t* of = &branch[s * n_leads];
        std::vector<BranchSums> sums(node.split_weights.size());
        for (std::size_t lead = 0; lead < n_leads; ++lead) {
            if (of[lead] == kNoBranch) continue;
            BranchSums& k = sums[of[lead]];
            ++k.leads;
            const LeadEnd end = state[lead].end();
            k.completed += end == LeadEnd::kCompleted;
            k.dropped += end == LeadEnd::kDropped;
            k.calls += calls_of[lead];
            k.billed_ms += static_cast<std::int64_t>(billed_of[lead]);
            if (end != LeadEnd::kNone) {
                ++k.finished;
                k.finished_s += end_s[lead] - arrival_s[lead];
            }
        }
        for (BranchSums& k : sums) {
            if (k.leads > 0) {
                k.billed_mean = static_cast<double>(k.billed_ms) / static_cast<double>(k.leads);
            }
            if (k.finished > 0) {
                k.finished_mean =
                    static_cast<double>(k.finished_s) / static_cast<double>(k.finished);
            }
        }
        for (std::size_t lead = 0; lead < n_leads; ++lead) {
            if (of[lead] == kNoBranch) continue;
            BranchSums& k = sums[of[lead]];
            const double d = static_cast<double>(billed_of[lead]) - k.billed_mean;
            k.billed_ss += d * d;
            if (state[lead].end() != LeadEnd::kNone) {
                const double t =
                    static_cast<double>(end_s[lead] - arrival_s[lead]) - k.finished_mean;
                k.finished_ss += t * t;
            }
        }
        std::vector<std::int64_t> successes, trials;
        for (const BranchSums& k : sums) {
            successes.push_back(k.completed);
            trials.push_back(k.leads);
        }
        const std::vector<double> best = probability_best(successes, trials);

        Json branches = Json::object();
        for (std::size_t i = 0; i < sums.size(); ++i) {
            const BranchSums& k = sums[i];
            const double per = k.leads > 0 ? 1.0 / static_cast<double>(k.leads) : 0.0;
            Json bj = Json::object();
            bj["leads"] = k.leads;
            bj["share"] = n > 0 ? static_cast<double>(k.leads) / static_cast<double>(n) : 0.0;
            bj["completed"] = sim::proportion_json(k.completed, k.leads);
            bj["dropped"] = sim::proportion_json(k.dropped, k.leads);
            bj["calls_per_lead"] = static_cast<double>(k.calls) * per;
            bj["minutes_per_lead"] = k.billed_mean / 60000.0;
            const auto cost_ms = mean_interval(k.billed_mean, k.billed_ss, k.leads, 0.0);
            bj["cost"] = interval_json(k.billed_mean * cost_per_ms,
                                       {cost_ms.first * cost_per_ms, cost_ms.second * cost_per_ms});
            const auto t_s = mean_interval(k.finished_mean, k.finished_ss, k.finished, 0.0);
            Json tj = Json::object();
            tj["leads"] = k.finished;
            tj.update(
                interval_json(k.finished_mean / 3600.0, {t_s.first / 3600.0, t_s.second / 3600.0}));
            bj["hours_to_terminal"] = tj;
            bj["p_best"] = best[i];
            branches[node.split_labels[i]] = bj;
        }
        out[g.node_id(static_cast<std::int32_t>(split_nodes[s]))] = branches;
    }
    return out;
}

}  // namespace leadflow
