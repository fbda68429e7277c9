// Simulation logic of the web app: outcome sliders that keep the sum at 1, scenario JSON
// helpers, normalizing the phone-number mix, value lists, the sliced simulation session (same bytes
// as the one-shot simulator), and share links (round trip, bad links, the v1 fixture).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "leadflow/scenario.hpp"
#include "leadflow/share.hpp"
#include "leadflow/simulate.hpp"
#include "scenario_edit.hpp"
#include "share_link.hpp"
#include "sim_session.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::fixture_graph;
using testing::read_fixture;

double sum(const std::array<double, 5>& p) {
    return std::accumulate(p.begin(), p.end(), 0.0);
}

Json fixture_json(const std::string& name) {
    return Json::parse(read_fixture(name));
}

// [SECTION] Outcome sliders

TEST(RebalanceOutcomes, DraggingOneScalesTheOthersProportionally) {
    std::array<double, 5> p{0.25, 0.45, 0.10, 0.15, 0.05};
    rebalance_outcomes(p, 0, 0.5);
    EXPECT_DOUBLE_EQ(p[0], 0.5);
    EXPECT_NEAR(sum(p), 1.0, 1e-9);
    // The others keep their ratios (0.45 : 0.10 : 0.15 : 0.05), scaled to 0.5 in total.
    EXPECT_NEAR(p[1], 0.3, 1e-4);
    EXPECT_NEAR(p[2], 0.0667, 1e-4);
    EXPECT_NEAR(p[3], 0.1, 1e-4);
    EXPECT_NEAR(p[4], 0.0333, 1e-4);
    // Every value is on the 1e-4 grid (short JSON).
    for (double v : p) EXPECT_NEAR(v * 10000, std::round(v * 10000), 1e-6);
}

TEST(RebalanceOutcomes, ZeroOthersShareTheRestEqually) {
    std::array<double, 5> p{1, 0, 0, 0, 0};
    rebalance_outcomes(p, 0, 0.2);
    EXPECT_DOUBLE_EQ(p[0], 0.2);
    for (int i = 1; i < 5; ++i) EXPECT_DOUBLE_EQ(p[static_cast<std::size_t>(i)], 0.2);
}

TEST(RebalanceOutcomes, ClampsAndKeepsTheSumForManyDrags) {
    std::array<double, 5> p{0.25, 0.45, 0.10, 0.15, 0.05};
    rebalance_outcomes(p, 3, 1.7);
    EXPECT_DOUBLE_EQ(p[3], 1.0);
    for (int i : {0, 1, 2, 4}) EXPECT_DOUBLE_EQ(p[static_cast<std::size_t>(i)], 0.0);
    rebalance_outcomes(p, 3, -0.5);
    EXPECT_DOUBLE_EQ(p[3], 0.0);
    EXPECT_NEAR(sum(p), 1.0, 1e-9);
    // A long sequence of awkward values never drifts from 1 and always parses.
    for (int k = 0; k < 200; ++k) {
        rebalance_outcomes(p, k % 5, std::fmod(k * 0.1234567, 1.0));
        ASSERT_NEAR(sum(p), 1.0, 1e-9) << k;
        for (double v : p) ASSERT_GE(v, 0.0);
    }
    Json sc = Json::object();
    set_scenario_outcomes(sc, "node_call1", p);
    EXPECT_TRUE(parse_scenario(sc).ok()) << parse_scenario(sc).status().message();
}

TEST(RebalanceOutcomes, OutOfRangeIndexChangesNothing) {
    std::array<double, 5> p{0.25, 0.45, 0.10, 0.15, 0.05};
    const auto before = p;
    rebalance_outcomes(p, 5, 0.3);
    rebalance_outcomes(p, -1, 0.3);
    EXPECT_EQ(p, before);
}

// [SECTION] Scenario JSON helpers

TEST(ScenarioEdit, OutcomesReadDefaultsAndWriteBack) {
    Json sc = fixture_json("lead_nurture.scenario.json");
    EXPECT_EQ(scenario_outcomes(sc, "node_call1"),
              (std::array<double, 5>{0.30, 0.45, 0.10, 0.10, 0.05}));
    EXPECT_EQ(scenario_outcomes(sc, "node_unknown"), kDefaultOutcomes);
    EXPECT_EQ(scenario_outcomes(Json(nullptr), "node_call1"), kDefaultOutcomes);
    set_scenario_outcomes(sc, "node_new", {0.5, 0.5, 0, 0, 0});
    EXPECT_EQ(sc["nodes"]["node_new"]["outcomes"].dump(),
              R"({"COMPLETED":0.5,"NO_ANSWER":0.5,"BUSY":0,"VOICEMAIL":0,"FAILED":0})");
    // The other models are untouched.
    EXPECT_EQ(sc["nodes"]["node_call1"]["call_duration_s"]["mean"], 95);
}

TEST(ScenarioEdit, SetNumberWritesIntegersWithoutAFraction) {
    Json j = Json::object();
    set_number(j, "leads", 1000.0);
    set_number(j, "cost", 0.1);
    EXPECT_EQ(j.dump(), R"({"leads":1000,"cost":0.1})");
    EXPECT_EQ(number_at(j, "cost", 7), 0.1);
    EXPECT_EQ(number_at(j, "missing", 7), 7);
}

// [SECTION] Phone-number mix

double share_sum(const Json& mix) {
    double total = 0;
    for (const Json& row : mix) total += row["share"].get<double>();
    return total;
}

TEST(PhoneShares, NormalizeKeepsTheRatiosOnTheGridAndTheCoreAcceptsIt) {
    Json mix = Json::parse(R"([{"number": "+12125550100", "share": 3},
                               {"number": "+919876543210", "share": 1}])");
    normalize_phone_shares(mix);
    EXPECT_EQ(
        mix.dump(),
        R"([{"number":"+12125550100","share":0.75},{"number":"+919876543210","share":0.25}])");
    EXPECT_TRUE(parse_scenario(Json{{"phone_numbers", mix}}).ok());

    // Thirds: the step left over by rounding goes to one row; the sum is exactly on the grid.
    mix = Json::parse(R"([{"number": "+12125550100", "share": 0.2},
                          {"number": "+14155550100", "share": 0.2},
                          {"number": "+919876543210", "share": 0.2}])");
    normalize_phone_shares(mix);
    EXPECT_EQ(mix[0]["share"], 0.3334);
    EXPECT_EQ(mix[1]["share"], 0.3333);
    EXPECT_EQ(mix[2]["share"], 0.3333);
    Result<Scenario> s = parse_scenario(Json{{"phone_numbers", mix}});
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->phone_numbers[2].number, "+919876543210");
}

TEST(PhoneShares, ZeroMissingOrNegativeSharesShareEquallyOrCountAsZero) {
    Json mix = Json::parse(R"([{"number": "+12125550100", "share": 0}, {"number": ""}])");
    normalize_phone_shares(mix);
    EXPECT_EQ(mix[0]["share"], 0.5);
    EXPECT_EQ(mix[1]["share"], 0.5);
    EXPECT_EQ(mix[1]["number"], "");  // numbers are the parser's business, not changed here

    mix = Json::parse(R"([{"share": -2}, {"share": "x"}, {"share": 4}, 7])");
    normalize_phone_shares(mix);
    EXPECT_EQ(mix.dump(), R"([{"share":0},{"share":0},{"share":1},{"share":0}])");

    Json empty = Json::array(), not_list = Json::object();
    normalize_phone_shares(empty);
    normalize_phone_shares(not_list);
    EXPECT_EQ(empty, Json::array());
    EXPECT_EQ(not_list, Json::object());
}

TEST(PhoneShares, TheLargestMixSumsToOneForAnyWeights) {
    std::uint64_t state = 12345;  // seeded: the same weights every run
    for (int round = 0; round < 20; ++round) {
        Json mix = Json::array();
        for (std::size_t i = 0; i < kMaxScenarioPhoneNumbers; ++i) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            const double w = static_cast<double>(state >> 40) / 1e3;
            mix.push_back(Json{{"number", "+1212555" + std::to_string(1000 + i)}, {"share", w}});
        }
        normalize_phone_shares(mix);
        ASSERT_NEAR(share_sum(mix), 1.0, 1e-9) << round;
        for (const Json& row : mix) {
            const double v = row["share"].get<double>();
            ASSERT_GE(v, 0.0);
            ASSERT_NEAR(v * 10000, std::round(v * 10000), 1e-6);
        }
        Result<Scenario> s = parse_scenario(Json{{"phone_numbers", mix}});
        ASSERT_TRUE(s.ok()) << s.status().message();
    }
}

TEST(ValueList, ParsesAndFormats) {
    Result<Json> v = parse_value_list(" Mumbai = 0.6, Delhi:0.4 ");
    ASSERT_TRUE(v.ok()) << v.status().message();
    EXPECT_EQ(v->dump(), R"({"Mumbai":0.6,"Delhi":0.4})");
    EXPECT_EQ(format_value_list(*v), "Mumbai=0.6, Delhi=0.4");
    Result<Json> back = parse_value_list(format_value_list(*v));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, *v);
}

TEST(ValueList, RejectsBadInputWithAClearMessage) {
    auto message = [](std::string_view text) {
        Result<Json> r = parse_value_list(text);
        EXPECT_FALSE(r.ok()) << text;
        return r.ok() ? std::string() : r.status().message();
    };
    EXPECT_NE(message("").find("no values"), std::string::npos);
    EXPECT_NE(message("a=0.5, b=0.4").find("sum to 0.9"), std::string::npos);
    EXPECT_NE(message("a=0.5, a=0.5").find("twice"), std::string::npos);
    EXPECT_NE(message("a=x, b=1").find("number from 0 to 1"), std::string::npos);
    EXPECT_NE(message("a=1.5").find("number from 0 to 1"), std::string::npos);
    EXPECT_NE(message("a").find("value=probability"), std::string::npos);
    EXPECT_NE(message("=1").find("no name"), std::string::npos);
}

// [SECTION] Simulation session

TEST(SimSession, SlicedRunGivesTheOneShotBytes) {
    const Graph g = fixture_graph("reengagement_drip.json");
    Json sc = fixture_json("reengagement_drip.scenario.json");
    sc["leads"] = 4000;
    // The reference: the core's simulate_graph, as leadflow-sim calls it.
    auto scenario = parse_scenario(sc);
    ASSERT_TRUE(scenario.ok());
    auto want = simulate_graph(g, *scenario);
    ASSERT_TRUE(want.ok());

    SimSession s;
    ASSERT_TRUE(s.start(g, sc).is_ok());
    EXPECT_TRUE(s.running());
    EXPECT_EQ(s.leads(), 4000);
    int slices = 0;
    double last = 0;
    while (!s.step(250)) {
        ++slices;
        EXPECT_GE(s.progress(), last);
        last = s.progress();
    }
    EXPECT_GT(slices, 20);
    EXPECT_FALSE(s.running());
    EXPECT_EQ(s.progress(), 1.0);
    EXPECT_EQ(s.results_text(), want->dump());
    EXPECT_EQ(s.results(), *want);
    EXPECT_EQ(s.results_version(), 1u);

    Result<std::string> once = simulate_text(g, sc);
    ASSERT_TRUE(once.ok());
    EXPECT_EQ(*once, want->dump());
}

TEST(SimSession, ReportsStuckNodesById) {
    Graph g;
    g.nodes = {testing::make_node("node_call", NodeType::kVoiceCall),
               testing::make_node("node_won", NodeType::kConverted)};
    g.edges = {testing::make_edge("edge_1", "node_call", "node_won", std::string("COMPLETED"))};
    SimSession s;
    ASSERT_TRUE(s.start(g, Json{{"leads", 500}, {"seed", 9}}).is_ok());
    s.step(1 << 30);
    ASSERT_EQ(s.stuck_nodes().size(), 1u);
    EXPECT_EQ(s.stuck_nodes()[0].first, "node_call");
    EXPECT_EQ(s.stuck_nodes()[0].second, s.results()["terminal"]["stuck"]["count"]);
}

TEST(SimSession, BadScenarioOrGraphFailsAndKeepsEarlierResults) {
    const Graph g = fixture_graph("lead_nurture.json");
    SimSession s;
    ASSERT_TRUE(s.start(g, Json{{"leads", 200}}).is_ok());
    s.step(1 << 30);
    const std::string first = s.results_text();
    ASSERT_FALSE(first.empty());

    Status bad = s.start(g, Json{{"leads", -3}});
    EXPECT_FALSE(bad.is_ok());
    EXPECT_NE(bad.message().find("scenario.leads"), std::string::npos) << bad.message();
    EXPECT_FALSE(s.running());
    EXPECT_EQ(s.results_text(), first);

    Json sums = Json::parse(R"({"nodes": {"node_call1": {"outcomes": {"COMPLETED": 0.5}}}})");
    EXPECT_NE(s.start(g, sums).message().find("sum"), std::string::npos);

    Status empty = s.start(Graph{}, Json::object());
    EXPECT_FALSE(empty.is_ok());
    EXPECT_FALSE(simulate_text(Graph{}, Json::object()).ok());
}

// [SECTION] Share links

TEST(ShareLink, RoundTripsGraphScenarioAndView) {
    const Graph g = fixture_graph("conditional_followup.json");
    const Json sc = fixture_json("conditional_followup.scenario.json");
    LinkView v;
    v.center = {123.456f, -78.9f};
    v.zoom = 0.75f;
    v.panel = "results";
    const std::string fragment = make_share_fragment(g, sc, v);
    EXPECT_EQ(fragment.rfind("s=1.", 0), 0u);
    Result<OpenedLink> back = open_share_fragment("#" + fragment);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(to_json(back->graph), to_json(g));
    EXPECT_EQ(back->scenario, sc);
    ASSERT_TRUE(back->view.has_value());
    EXPECT_NEAR(back->view->center.x, 123.5f, 1e-3);
    EXPECT_NEAR(back->view->center.y, -78.9f, 1e-3);
    EXPECT_NEAR(back->view->zoom, 0.75f, 1e-6);
    EXPECT_EQ(back->view->panel, "results");
    // The restored graph and scenario simulate to the same bytes as the originals.
    EXPECT_EQ(*simulate_text(back->graph, back->scenario), *simulate_text(g, sc));
}

TEST(ShareLink, CarriesThePhoneNumberMix) {
    const Graph g = fixture_graph("lead_nurture.json");
    Json sc = fixture_json("lead_nurture.scenario.json");
    sc["phone_numbers"] = Json::parse(R"([{"number": "+12125550100", "share": 0.4},
                                          {"number": "+919876543210", "share": 0.6}])");
    Result<OpenedLink> back = open_share_fragment(make_share_fragment(g, sc, LinkView{}));
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->scenario["phone_numbers"], sc["phone_numbers"]);
    EXPECT_EQ(*simulate_text(back->graph, back->scenario), *simulate_text(g, sc));
}

TEST(ShareLink, ReferenceWorkflowLinksStayShort) {
    for (const char* name : {"lead_nurture", "reengagement_drip", "conditional_followup"}) {
        const std::string f =
            make_share_fragment(fixture_graph(std::string(name) + ".json"),
                                fixture_json(std::string(name) + ".scenario.json"), LinkView{});
        // Goal: under 1,500 characters for the whole URL; leave 60 characters for the origin.
        EXPECT_LT(f.size(), 1440u) << name;
    }
}

TEST(ShareLink, BadLinksFailWithAMessageForTheUser) {
    Result<OpenedLink> garbage = open_share_fragment("#s=1.this-is-not-a-link");
    ASSERT_FALSE(garbage.ok());
    EXPECT_NE(garbage.status().message().find("incomplete or damaged"), std::string::npos)
        << garbage.status().message();
    Result<OpenedLink> newer = open_share_fragment("#s=9.abc");
    ASSERT_FALSE(newer.ok());
    EXPECT_NE(newer.status().message().find("newer version"), std::string::npos)
        << newer.status().message();

    // Well-formed link whose scenario is invalid: rejected as a whole.
    SharePayload p;
    p.graph = Json::parse(read_fixture("lead_nurture.json"));
    p.scenario = Json{{"leads", "many"}};
    Result<OpenedLink> bad_scenario = open_share_fragment(encode_share_fragment(p));
    ASSERT_FALSE(bad_scenario.ok());
    EXPECT_NE(bad_scenario.status().message().find("scenario is invalid"), std::string::npos);
    // Bad graph.
    p.scenario = nullptr;
    p.graph = Json{{"nodes", Json::array({Json{{"id", 5}}})}, {"edges", Json::array()}};
    Result<OpenedLink> bad_graph = open_share_fragment(encode_share_fragment(p));
    ASSERT_FALSE(bad_graph.ok());
    EXPECT_NE(bad_graph.status().message().find("workflow cannot be read"), std::string::npos);
}

TEST(ShareLink, VersionOneFixtureStillOpens) {
    std::string text = read_fixture("share/v1_lead_nurture.txt");
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    Result<OpenedLink> link = open_share_fragment(text);
    ASSERT_TRUE(link.ok()) << link.status().message();
    EXPECT_EQ(link->graph.workflow.id, "wf_lead_nurture");
    EXPECT_EQ(link->graph.nodes.size(), fixture_graph("lead_nurture.json").nodes.size());
    ASSERT_FALSE(link->scenario.is_null());
    EXPECT_EQ(link->scenario["seed"], 42);
    // It simulates like any other graph.
    EXPECT_TRUE(simulate_text(link->graph, link->scenario).ok());
}

TEST(ShareLink, ViewIsOptionalAndValidated) {
    EXPECT_FALSE(link_view_from_json(nullptr).has_value());
    EXPECT_FALSE(link_view_from_json(Json{{"center", Json::array({1})}, {"zoom", 1}}));
    EXPECT_FALSE(link_view_from_json(Json{{"center", Json::array({1, 2})}, {"zoom", -1}}));
    EXPECT_TRUE(link_view_from_json(Json{{"center", Json::array({1, 2})}, {"zoom", 2}}));
}

TEST(ShareLink, FarOutZoomSurvivesTheRoundTrip) {
    // Fit view of a 10,000-node graph is well below 0.1%; the link keeps three digits of it.
    for (float zoom : {0.00012345f, 0.0024f, 0.05f, 1.0f, 3.5f}) {
        LinkView v;
        v.center = {1234.5f, -678.9f};
        v.zoom = zoom;
        const std::optional<LinkView> back = link_view_from_json(link_view_json(v));
        ASSERT_TRUE(back.has_value()) << zoom;
        EXPECT_NEAR(back->zoom / zoom, 1.0f, 0.005f) << zoom;
    }
}

}  // namespace
}  // namespace leadflow::web
