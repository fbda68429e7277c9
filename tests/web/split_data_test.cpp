// The Results tab's A/B rows (web/app/split_data.hpp): read from a results JSON as the core
// writes it, the exact values joined in, the branch most likely best marked.
#include "split_data.hpp"

#include <gtest/gtest.h>

#include "leadflow/simulate.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::web {
namespace {

Json results_with_split() {
    return Json::parse(R"({"leads": 100, "splits": {"s1": {
        "A": {"leads": 40, "share": 0.4, "completed": {"count": 20, "share": 0.5, "ci95": [0.35, 0.65]},
              "dropped": {"count": 20, "share": 0.5, "ci95": [0.35, 0.65]},
              "calls_per_lead": 1.5, "minutes_per_lead": 2.0,
              "cost": {"mean": 0.2, "ci95": [0.1, 0.3]},
              "hours_to_terminal": {"leads": 40, "mean": 12.5, "ci95": [10.0, 15.0]},
              "p_best": 0.97},
        "B": {"leads": 60, "share": 0.6, "completed": {"count": 15, "share": 0.25, "ci95": [0.16, 0.37]},
              "dropped": {"count": 40, "share": 0.66, "ci95": [0.5, 0.8]},
              "calls_per_lead": 1.0, "minutes_per_lead": 1.0,
              "cost": {"mean": 0.1, "ci95": [0.05, 0.15]},
              "hours_to_terminal": {"leads": 0, "mean": 0.0, "ci95": [0.0, 0.0]},
              "p_best": 0.03}}},
        "exact": {"available": true, "splits": {"s1": {"A": {"leads": 0.4, "completed": 0.45, "dropped": 0.55},
                                                       "B": {"leads": 0.6, "completed": null, "dropped": null}}}}})");
}

TEST(SplitData, RowsFollowTheResults) {
    const std::vector<SplitTable> t = split_tables(results_with_split());
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].node_id, "s1");
    ASSERT_EQ(t[0].rows.size(), 2u);
    const SplitBranchRow& a = t[0].rows[0];
    const SplitBranchRow& b = t[0].rows[1];
    EXPECT_EQ(a.label, "A");
    EXPECT_EQ(a.leads, 40);
    EXPECT_DOUBLE_EQ(a.conversion, 0.5);
    EXPECT_DOUBLE_EQ(a.conversion_lo, 0.35);
    EXPECT_DOUBLE_EQ(a.conversion_hi, 0.65);
    ASSERT_TRUE(a.exact_conversion.has_value());
    EXPECT_DOUBLE_EQ(*a.exact_conversion, 0.45);
    EXPECT_DOUBLE_EQ(a.cost, 0.2);
    EXPECT_DOUBLE_EQ(a.cost_hi, 0.3);
    EXPECT_DOUBLE_EQ(a.calls_per_lead, 1.5);
    ASSERT_TRUE(a.hours.has_value());
    EXPECT_DOUBLE_EQ(*a.hours, 12.5);
    EXPECT_DOUBLE_EQ(a.hours_lo, 10.0);
    EXPECT_TRUE(a.best);
    EXPECT_STREQ(best_verdict(a.p_best), "likely best");
    EXPECT_EQ(b.label, "B");
    EXPECT_FALSE(b.exact_conversion.has_value());  // null: no exact value for the branch
    EXPECT_FALSE(b.hours.has_value());             // no lead of B ended
    EXPECT_FALSE(b.best);
    EXPECT_STREQ(best_verdict(b.p_best), "");
    EXPECT_STREQ(best_verdict(0.94), "");
}

TEST(SplitData, NoSplitsKeyNoTables) {
    EXPECT_TRUE(split_tables(Json::parse(R"({"leads": 10, "terminal": {}})")).empty());
    EXPECT_TRUE(split_tables(Json::parse(R"({"splits": null})")).empty());
    EXPECT_TRUE(split_tables(Json()).empty());
}

TEST(SplitData, ReadsWhatTheSimulatorWrites) {
    // A SPLIT at the entry, branch A converts at once, B drops: A is best beyond doubt.
    auto g = graph_from_json(Json::parse(R"({"workflow": {"id": "wf", "title": "t"},
        "nodes": [{"id": "s", "node_type": "SPLIT", "config": {"branches": [
                     {"label": "A", "weight": 50}, {"label": "B", "weight": 50}]}},
                  {"id": "c", "node_type": "CONVERTED"}, {"id": "d", "node_type": "DROPPED"}],
        "edges": [{"id": "e1", "from_node_id": "s", "to_node_id": "c", "label": "A"},
                  {"id": "e2", "from_node_id": "s", "to_node_id": "d", "label": "B"}]})"));
    ASSERT_TRUE(g.ok()) << g.status().message();
    Scenario s;
    s.leads = 400;
    auto res = simulate_graph(*g, s);
    ASSERT_TRUE(res.ok()) << res.status().message();
    const std::vector<SplitTable> t = split_tables(*res);
    ASSERT_EQ(t.size(), 1u);
    ASSERT_EQ(t[0].rows.size(), 2u);
    EXPECT_EQ(t[0].rows[0].leads + t[0].rows[1].leads, 400);
    EXPECT_DOUBLE_EQ(t[0].rows[0].conversion, 1.0);
    ASSERT_TRUE(t[0].rows[0].exact_conversion.has_value());
    EXPECT_DOUBLE_EQ(*t[0].rows[0].exact_conversion, 1.0);
    EXPECT_TRUE(t[0].rows[0].best);
    EXPECT_GT(t[0].rows[0].p_best, 0.999);
}

}  // namespace
}  // namespace leadflow::web
