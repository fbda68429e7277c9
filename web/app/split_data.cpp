// web/app/split_data.cpp — see split_data.hpp.
#include "split_data.hpp"

#include <tuple>
#include <utility>

#include "json_fields.hpp"

namespace leadflow::web {

std::vector<SplitTable> split_tables(const Json& results) {
    std::vector<SplitTable> out;
    const Json& splits = json_member(results, "splits");
    if (!splits.is_object()) return out;
    const Json& exact = json_member(json_member(results, "exact"), "splits");
    for (auto node = splits.begin(); node != splits.end(); ++node) {
        if (!node->is_object()) continue;
        SplitTable t;
        t.node_id = node.key();
        const Json& exact_node = json_member(exact, node.key().c_str());
        std::size_t best = 0;
        for (auto br = node->begin(); br != node->end(); ++br) {
            const Json& b = *br;
            SplitBranchRow row;
            row.label = br.key();
            row.leads = static_cast<std::int64_t>(json_num(b, "leads"));
            row.share = json_num(b, "share");
            const Json& completed = json_member(b, "completed");
            row.conversion = json_num(completed, "share");
            std::tie(row.conversion_lo, row.conversion_hi) = json_interval(completed, "ci95");
            const Json& ex = json_member(json_member(exact_node, br.key().c_str()), "completed");
            if (ex.is_number()) row.exact_conversion = ex.get<double>();
            const Json& cost = json_member(b, "cost");
            row.cost = json_num(cost, "mean");
            std::tie(row.cost_lo, row.cost_hi) = json_interval(cost, "ci95");
            row.calls_per_lead = json_num(b, "calls_per_lead");
            const Json& hours = json_member(b, "hours_to_terminal");
            if (json_num(hours, "leads") > 0) {
                row.hours = json_num(hours, "mean");
                std::tie(row.hours_lo, row.hours_hi) = json_interval(hours, "ci95");
            }
            row.p_best = json_num(b, "p_best");
            if (!t.rows.empty() && row.p_best > t.rows[best].p_best) best = t.rows.size();
            t.rows.push_back(std::move(row));
        }
        if (!t.rows.empty()) t.rows[best].best = true;
        out.push_back(std::move(t));
    }
    return out;
}

const char* best_verdict(double p_best) {
    return p_best >= 0.95 ? "likely best" : "";
}

}  // namespace leadflow::web
