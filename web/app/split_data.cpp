// web/app/split_data.cpp — see split_data.hpp.
#include "split_data.hpp"

#include <tuple>
#include <utility>

namespace leadflow::web {
namespace {

double num(const Json& j, const char* key) {
    if (!j.is_object()) return 0;
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

// The [lo, hi] pair of j[key]; {0, 0} when it is not one.
std::pair<double, double> interval(const Json& j, const char* key) {
    if (!j.is_object()) return {0, 0};
    auto it = j.find(key);
    if (it == j.end() || !it->is_array() || it->size() != 2 || !(*it)[0].is_number() ||
        !(*it)[1].is_number()) {
        return {0, 0};
    }
    return {(*it)[0].get<double>(), (*it)[1].get<double>()};
}

const Json& member(const Json& j, const char* key) {
    static const Json kNull;
    if (!j.is_object()) return kNull;
    auto it = j.find(key);
    return it == j.end() ? kNull : *it;
}

}  // namespace

std::vector<SplitTable> split_tables(const Json& results) {
    std::vector<SplitTable> out;
    const Json& splits = member(results, "splits");
    if (!splits.is_object()) return out;
    const Json& exact = member(member(results, "exact"), "splits");
    for (auto node = splits.begin(); node != splits.end(); ++node) {
        if (!node->is_object()) continue;
        SplitTable t;
        t.node_id = node.key();
        const Json& exact_node = member(exact, node.key().c_str());
        std::size_t best = 0;
        for (auto br = node->begin(); br != node->end(); ++br) {
            const Json& b = *br;
            SplitBranchRow row;
            row.label = br.key();
            row.leads = static_cast<std::int64_t>(num(b, "leads"));
            row.share = num(b, "share");
            const Json& completed = member(b, "completed");
            row.conversion = num(completed, "share");
            std::tie(row.conversion_lo, row.conversion_hi) = interval(completed, "ci95");
            const Json& ex = member(member(exact_node, br.key().c_str()), "completed");
            if (ex.is_number()) row.exact_conversion = ex.get<double>();
            const Json& cost = member(b, "cost");
            row.cost = num(cost, "mean");
            std::tie(row.cost_lo, row.cost_hi) = interval(cost, "ci95");
            row.calls_per_lead = num(b, "calls_per_lead");
            const Json& hours = member(b, "hours_to_terminal");
            if (num(hours, "leads") > 0) {
                row.hours = num(hours, "mean");
                std::tie(row.hours_lo, row.hours_hi) = interval(hours, "ci95");
            }
            row.p_best = num(b, "p_best");
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
