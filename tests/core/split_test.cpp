// The SPLIT node (docs/workflows.md#split): its config and validation codes, the branch hash (a
// fixed table computed independently, so native and WebAssembly runs check the same values),
// branch frequencies, the engine, the exact solution and its agreement with Monte-Carlo.
#include "leadflow/split.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "leadflow/engine.hpp"
#include "leadflow/exact.hpp"
#include "leadflow/node_config.hpp"
#include "leadflow/simulate.hpp"
#include "leadflow/validate.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

Json branches(std::initializer_list<std::pair<const char*, Json>> list) {
    Json b = Json::array();
    for (const auto& [label, weight] : list)
        b.push_back(Json{{"label", label}, {"weight", weight}});
    return Json{{"branches", b}};
}

// call → SPLIT(A 30, B 70): A → a second call, B → dropped.
GraphBuilder ab_graph(Json config = branches({{"A", 30}, {"B", 70}})) {
    return GraphBuilder()
        .node("split", "SPLIT", std::move(config))
        .node("call", "VOICE_CALL")
        .node("conv", "CONVERTED")
        .node("drop", "DROPPED")
        .edge("split", "call", "A")
        .edge("split", "drop", "B")
        .edge("call", "conv", "COMPLETED")
        .edge("call", "drop")
        .entry("split");
}

std::vector<std::string> codes(const std::vector<Diagnostic>& diags) {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags) out.push_back(d.code);
    return out;
}

bool has(const std::vector<Diagnostic>& diags, const std::string& code) {
    const auto c = codes(diags);
    return std::find(c.begin(), c.end(), code) != c.end();
}

// [SECTION] Config and validation

TEST(Split, ParsesBranchesLeniently) {
    auto cfg = parse_split_config(Json::parse(
        R"({"branches": [{"label": " A ", "weight": 50}, {"label": "B", "weight": "2.5"},
                                     {"label": "C"}, {"label": "D", "weight": "heavy"}]})"));
    ASSERT_TRUE(cfg.ok()) << cfg.status().message();
    ASSERT_EQ(cfg->branches.size(), 4u);
    EXPECT_EQ(cfg->branches[0].label, "A");
    EXPECT_EQ(cfg->branches[0].weight, 50);
    EXPECT_EQ(cfg->branches[1].weight, 2.5);
    EXPECT_TRUE(std::isnan(cfg->branches[2].weight));
    EXPECT_TRUE(std::isnan(cfg->branches[3].weight));
    EXPECT_TRUE(parse_split_config(Json::object())->branches.empty());
    // Structure that cannot be read fails, naming the key.
    auto bad = parse_split_config(Json::parse(R"({"branches": {"A": 1}})"));
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.status().message().find("config.branches"), std::string::npos);
    bad = parse_split_config(Json::parse(R"({"branches": [{"label": 3, "weight": 1}]})"));
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.status().message().find("config.branches[0].label"), std::string::npos);
    EXPECT_FALSE(parse_split_config(Json::parse(R"({"branches": ["A"]})")).ok());
}

TEST(Split, ValidGraphIsCleanAndCompiles) {
    const GraphBuilder b = ab_graph();
    const auto diags = validate(b.graph());
    EXPECT_TRUE(diags.empty()) << validation_report_json(diags).dump(2);
    const CompiledGraph g = b.compile();
    const CompiledNode& s = g.nodes()[static_cast<std::size_t>(g.node_index("split"))];
    EXPECT_EQ(s.type, NodeType::kSplit);
    EXPECT_EQ(s.split_weights, (std::vector<double>{30, 70}));
    EXPECT_EQ(s.split_labels, (std::vector<std::string>{"A", "B"}));
    ASSERT_EQ(s.split_edges.size(), 2u);
    EXPECT_EQ(g.edge_id(s.split_edges[0]), "e1");
    EXPECT_EQ(g.edge_id(s.split_edges[1]), "e2");
    EXPECT_STREQ(to_string(NodeType::kSplit), "SPLIT");
    EXPECT_EQ(parse_node_type("SPLIT"), NodeType::kSplit);
}

TEST(Split, EachProblemHasItsCode) {
    auto diags = validate(ab_graph(Json::object()).graph());
    EXPECT_TRUE(has(diags, "SPLIT_NO_BRANCHES")) << validation_report_json(diags).dump(2);
    diags = validate(ab_graph(Json{{"branches", "A,B"}}).graph());
    EXPECT_TRUE(has(diags, "SPLIT_INVALID_BRANCH"));
    diags = validate(ab_graph(branches({{"A", 30}, {"b ", 70}, {"B", 1}})).graph());
    EXPECT_TRUE(has(diags, "SPLIT_INVALID_BRANCH"));  // B repeated (case-insensitive)
    diags = validate(ab_graph(branches({{"A", 30}, {"B", 70}, {"", 1}})).graph());
    EXPECT_TRUE(has(diags, "SPLIT_INVALID_BRANCH"));  // empty label
    for (const Json& weight : {Json(0), Json(-1), Json("x"), Json(nullptr), Json::array()}) {
        diags = validate(ab_graph(branches({{"A", weight}, {"B", 70}})).graph());
        EXPECT_TRUE(has(diags, "SPLIT_INVALID_WEIGHT")) << weight.dump();
        EXPECT_FALSE(compile_graph(ab_graph(branches({{"A", weight}, {"B", 70}})).graph()).ok());
    }
    // A branch no edge carries; an edge (labelled or not) naming no branch.
    diags = validate(ab_graph(branches({{"A", 30}, {"B", 70}, {"C", 5}})).graph());
    EXPECT_EQ(codes(diags), std::vector<std::string>{"SPLIT_BRANCH_WITHOUT_EDGE"});
    EXPECT_EQ(diags[0].node_id.value_or(""), "split");
    diags = validate(ab_graph(branches({{"A", 30}})).graph());
    ASSERT_EQ(codes(diags), std::vector<std::string>{"SPLIT_EDGE_UNKNOWN_BRANCH"});
    EXPECT_EQ(diags[0].edge_id.value_or(""), "e2");
    diags = validate(ab_graph().edge("split", "conv").graph());
    ASSERT_TRUE(has(diags, "SPLIT_EDGE_UNKNOWN_BRANCH"));
    EXPECT_FALSE(is_valid(diags));
    // No branches does not compile either (the engine could not choose).
    EXPECT_FALSE(compile_graph(ab_graph(Json::object()).graph()).ok());
}

// [SECTION] The branch hash

TEST(Split, HashIsAFixedFunctionOfTheIds) {
    // Computed independently (FNV-1a 64 over lead id, 0xFF, node id; SplitMix64 finalizer).
    struct Row {
        const char* lead;
        const char* node;
        std::uint64_t hash;
        std::size_t even;    // branch for weights {50, 50}
        std::size_t uneven;  // branch for weights {1, 2, 7}
    };
    const Row rows[] = {
        {"lead_1", "node_split", 0xB34C1D3C5D30B1B6ULL, 1, 2},
        {"lead_2", "node_split", 0x4BCBFE8C74E085FAULL, 0, 1},
        {"lead_3", "node_split", 0xF4422CCEA648B98CULL, 1, 2},
        {"", "", 0x4F2DB50F124040CDULL, 0, 2},
        {"sim:42:0", "ab", 0x77D1294BBF2D1F43ULL, 0, 2},
        {"a", "bc", 0x54CB1647ADBE0435ULL, 0, 2},
        {"ab", "c", 0x0A52C632FCE1F7D1ULL, 0, 0},
    };
    for (const Row& r : rows) {
        SCOPED_TRACE(std::string(r.lead) + "/" + r.node);
        EXPECT_EQ(split_hash(r.lead, r.node), r.hash);
        EXPECT_EQ(split_branch(r.lead, r.node, {50, 50}), r.even);
        EXPECT_EQ(split_branch(r.lead, r.node, {1, 2, 7}), r.uneven);
        // Same inputs, same branch, every time.
        EXPECT_EQ(split_branch(r.lead, r.node, {1, 2, 7}), split_branch(r.lead, r.node, {1, 2, 7}));
    }
    EXPECT_EQ(simulated_lead_id(42, 7), "sim:42:7");
    const double u = split_unit("lead_1", "node_split");
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
    // Unusable weights are never chosen; none usable: branch 0.
    for (int i = 0; i < 200; ++i) {
        EXPECT_EQ(split_branch("l" + std::to_string(i), "n", {0, -3, 5, std::nan("")}), 2u);
    }
    EXPECT_EQ(split_branch("x", "n", {}), 0u);
    EXPECT_EQ(split_branch("x", "n", {0, 0}), 0u);
}

TEST(Split, BranchFrequenciesMatchTheWeights) {
    const std::vector<double> weights = {20, 30, 50};
    const int n = 100000;
    std::vector<int> count(weights.size(), 0);
    for (int i = 0; i < n; ++i) {
        ++count[split_branch("lead_" + std::to_string(i), "node_ab", weights)];
    }
    for (std::size_t k = 0; k < weights.size(); ++k) {
        const double p = weights[k] / 100.0;
        const double sigma = std::sqrt(n * p * (1 - p));
        EXPECT_NEAR(count[k], n * p, 4 * sigma) << "branch " << k;
    }
    // Another node splits the same leads independently: about half of A's leads are A again.
    int both = 0, first = 0;
    for (int i = 0; i < n; ++i) {
        const std::string id = "lead_" + std::to_string(i);
        if (split_branch(id, "s1", {1, 1}) != 0) continue;
        ++first;
        both += split_branch(id, "s2", {1, 1}) == 0;
    }
    EXPECT_NEAR(both, first * 0.5, 4 * std::sqrt(first * 0.25));
}

// [SECTION] Engine

TEST(Split, EngineFollowsTheHashAndRecordsTheBranch) {
    const CompiledGraph g = ab_graph().compile();
    int to_call = 0;
    for (int i = 0; i < 50; ++i) {
        const std::string id = "lead_" + std::to_string(i);
        const std::size_t want = split_branch(id, "split", {30, 70});
        LeadState s;
        Context ctx;
        ctx.lead_id = id;
        Event ev;
        ev.type = EventType::kStart;
        auto step = advance(g, s, ev, ctx);
        ASSERT_TRUE(step.ok()) << step.status().message();
        ASSERT_GE(step->records.size(), 1u);
        const StepRecord& r = step->records[0];
        EXPECT_EQ(r.node, g.node_index("split"));
        EXPECT_EQ(outcome_text(r), want == 0 ? "A" : "B");
        EXPECT_EQ(to_history_entry(g, r).edge_label.value_or(""), want == 0 ? "A" : "B");
        if (want == 0) {
            ++to_call;
            EXPECT_EQ(step->effect.type, EffectType::kPlaceCall);
            EXPECT_EQ(s.node, g.node_index("call"));
        } else {
            EXPECT_EQ(step->effect.type, EffectType::kFinish);
            EXPECT_EQ(s.end, LeadEnd::kDropped);
        }
        // A rerun of the same lead takes the same branch.
        LeadState again;
        auto rerun = advance(g, again, ev, ctx);
        ASSERT_TRUE(rerun.ok());
        EXPECT_EQ(again.node, s.node);
    }
    EXPECT_GT(to_call, 0);
    EXPECT_LT(to_call, 50);
}

TEST(Split, ABranchWithoutAnEdgeIsStuckUntilTheGraphChanges) {
    // Branch C has no edge: its leads are stuck; adding the edge releases them.
    GraphBuilder b = ab_graph(branches({{"A", 1}, {"B", 1}, {"C", 1e6}}));
    const CompiledGraph g = b.compile();
    std::string id;
    for (int i = 0; id.empty(); ++i) {
        const std::string candidate = "lead_" + std::to_string(i);
        if (split_branch(candidate, "split", {1, 1, 1e6}) == 2) id = candidate;
    }
    LeadState s;
    Context ctx;
    ctx.lead_id = id;
    Event ev;
    ev.type = EventType::kStart;
    auto step = advance(g, s, ev, ctx);
    ASSERT_TRUE(step.ok());
    EXPECT_EQ(step->effect.type, EffectType::kStuck);
    EXPECT_EQ(s.phase, Phase::kStuck);
    EXPECT_EQ(s.reason, Reason::kNoMatchingEdge);
    const CompiledGraph fixed = b.edge("split", "conv", "C").compile();
    ev.type = EventType::kGraphChanged;
    step = advance(fixed, s, ev, ctx);
    ASSERT_TRUE(step.ok()) << step.status().message();
    EXPECT_EQ(s.end, LeadEnd::kCompleted);
}

// [SECTION] Exact and Monte-Carlo

TEST(Split, ExactPassesMassInProportionToTheWeights) {
    const GraphBuilder b = ab_graph();
    const CompiledGraph g = b.compile();
    const ExactResult r = solve_exact(g, bind_scenario(g, default_scenario()));
    ASSERT_TRUE(r.available) << r.reason;
    // Default model: COMPLETED 0.25.
    EXPECT_NEAR(r.completed, 0.3 * 0.25, 1e-12);
    EXPECT_NEAR(r.dropped, 0.7 + 0.3 * 0.75, 1e-12);
    EXPECT_NEAR(r.expected_calls, 0.3, 1e-12);
    EXPECT_NEAR(r.expected_visits[static_cast<std::size_t>(g.node_index("split"))], 1.0, 1e-12);
}

TEST(Split, ExactKeepsALeadsBranchOnEveryPass) {
    // A lead that comes back to a SPLIT takes the branch it took before: branch r loops back
    // to the call, and such a lead keeps calling until a call does not complete.
    const GraphBuilder b = GraphBuilder()
                               .node("call", "VOICE_CALL")
                               .node("s1", "SPLIT", branches({{"x", 1}, {"y", 3}}))
                               .node("s2", "SPLIT", branches({{"p", 2}, {"q", 2}, {"r", 4}}))
                               .node("conv", "CONVERTED")
                               .node("drop", "DROPPED")
                               .edge("call", "s1", "COMPLETED")
                               .edge("call", "drop")
                               .edge("s1", "conv", "x")
                               .edge("s1", "s2", "y")
                               .edge("s2", "conv", "p")
                               .edge("s2", "drop", "q")
                               .edge("s2", "call", "r")
                               .entry("call");
    const CompiledGraph g = b.compile();
    const ExactResult r = solve_exact(g, bind_scenario(g, default_scenario()));
    ASSERT_TRUE(r.available) << r.reason;
    // Default model: COMPLETED 0.25. x (1/4) and y-p (3/16) convert on a completed call; y-q
    // (3/16) never converts; y-r (3/8) calls until a call fails to complete, then drops.
    EXPECT_NEAR(r.completed, 0.25 * 0.25 + 3.0 / 16 * 0.25, 1e-12);
    EXPECT_NEAR(r.dropped, 1 - r.completed, 1e-12);
    EXPECT_NEAR(r.expected_calls, 0.25 + 3.0 / 16 + 3.0 / 16 + 3.0 / 8 / 0.75, 1e-12);
}

TEST(Split, MonteCarloAgreesWithExact) {
    // Entry SPLIT (A 1 : B 3), then a call on each branch with different outcome models.
    const GraphBuilder b = GraphBuilder()
                               .node("split", "SPLIT", branches({{"A", 1}, {"B", 3}}))
                               .node("ca", "VOICE_CALL")
                               .node("cb", "VOICE_CALL")
                               .node("wait", "TIME", {{"delay_hours", 6}})
                               .node("conv", "CONVERTED")
                               .node("drop", "DROPPED")
                               .edge("split", "ca", "A")
                               .edge("split", "cb", "B")
                               .edge("ca", "conv", "COMPLETED")
                               .edge("ca", "drop")
                               .edge("cb", "conv", "COMPLETED")
                               .edge("cb", "wait", "DNP")
                               .edge("cb", "drop")
                               .edge("wait", "split")
                               .entry("split");
    const Scenario s = testing::scenario_text(R"({"seed": 7, "leads": 20000, "horizon_days": 365,
        "nodes": {"ca": {"outcomes": {"COMPLETED": 0.6, "NO_ANSWER": 0.2, "BUSY": 0.1,
                                      "VOICEMAIL": 0.05, "FAILED": 0.05}},
                  "cb": {"outcomes": {"COMPLETED": 0.2, "NO_ANSWER": 0.4, "BUSY": 0.1,
                                      "VOICEMAIL": 0.1, "FAILED": 0.2}}}})");
    auto res = simulate_graph(b.graph(), s);
    ASSERT_TRUE(res.ok()) << res.status().message();
    const Json& j = *res;
    ASSERT_TRUE(j["exact"]["available"].get<bool>()) << j["exact"].dump();
    EXPECT_EQ(j["terminal"]["unfinished"]["count"], 0);
    const double n = static_cast<double>(s.leads);
    for (const char* k : {"completed", "dropped", "stuck"}) {
        const double p = j["exact"]["terminal"][k].get<double>();
        const double mc = j["terminal"][k]["share"].get<double>();
        EXPECT_NEAR(mc, p, 4 * std::sqrt(p * (1 - p) / n) + 1e-12) << k;
    }
    for (auto it = j["nodes"].begin(); it != j["nodes"].end(); ++it) {
        const double mc = it.value()["entries"].get<double>() / n;
        const double ex = j["exact"]["expected_visits"][it.key()].get<double>();
        EXPECT_NEAR(mc, ex, 4 * std::sqrt(ex / n) + 1e-12) << it.key();
    }
    // Per-branch results: every lead entered the split, so branch leads add up to all leads,
    // and the shares follow the weights.
    const Json& sp = j["splits"]["split"];
    ASSERT_TRUE(sp.is_object()) << j.dump();
    EXPECT_EQ(sp["A"]["leads"].get<double>() + sp["B"]["leads"].get<double>(), n);
    EXPECT_NEAR(sp["A"]["share"].get<double>(), 0.25, 4 * std::sqrt(0.25 * 0.75 / n));
    // Branch A converts at 0.6 per visit of its call; B less often.
    EXPECT_GT(sp["A"]["completed"]["share"].get<double>(),
              sp["B"]["completed"]["share"].get<double>());
    // The same seed reproduces the same bytes; another seed splits differently.
    auto again = simulate_graph(b.graph(), s);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->dump(), j.dump());
    Scenario other = s;
    other.seed = 8;
    auto moved = simulate_graph(b.graph(), other);
    ASSERT_TRUE(moved.ok());
    EXPECT_NE((*moved)["splits"]["split"]["A"]["leads"], sp["A"]["leads"]);
}

TEST(Split, PerBranchResultsRecomputeEachLeadsBranch) {
    const GraphBuilder b = ab_graph();
    const Scenario s = testing::scenario_text(R"({"seed": 3, "leads": 500})");
    auto res = simulate_graph(b.graph(), s);
    ASSERT_TRUE(res.ok()) << res.status().message();
    std::int64_t a = 0;
    for (std::uint64_t i = 0; i < 500; ++i) {
        a += split_branch(simulated_lead_id(3, i), "split", {30, 70}) == 0;
    }
    const Json& sp = (*res)["splits"]["split"];
    EXPECT_EQ(sp["A"]["leads"].get<std::int64_t>(), a);
    EXPECT_EQ(sp["B"]["leads"].get<std::int64_t>(), 500 - a);
    // Branch edges are traversed once per lead of the branch (no loops here).
    EXPECT_EQ((*res)["edges"]["e1"]["traversals"].get<std::int64_t>(), a);
    EXPECT_EQ(sp["B"]["completed"]["count"], 0);
    // Graphs without a SPLIT have no "splits" key (their results are as before).
    auto plain = simulate_graph(testing::load_graph_fixture("lead_nurture.json"), s);
    ASSERT_TRUE(plain.ok());
    EXPECT_FALSE(plain->contains("splits"));
}

}  // namespace
}  // namespace leadflow
