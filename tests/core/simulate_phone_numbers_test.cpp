// The scenario's phone-number mix (docs/calling-hours.md): parsing and its errors, and the
// simulator holding each lead's calls for the local calling hours of its number's zones.
#include <gtest/gtest.h>

#include <string>

#include "leadflow/scenario.hpp"
#include "leadflow/simulate.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

Json run(const Graph& g, const Scenario& s) {
    auto r = simulate_graph(g, s, SimulateOptions{});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : Json::object();
}

Scenario scenario(const std::string& text) {
    return testing::scenario_text(text);
}

// One call that always completes after exactly 60 s; hours on or off.
Graph one_call(bool local_time) {
    return GraphBuilder()
        .node("call", "VOICE_CALL")
        .node("conv", "CONVERTED")
        .edge("call", "conv")
        .setting("respect_lead_local_time", local_time)
        .graph();
}

// Monday 2026-03-02 09:00 UTC: 04:00 in New York, 01:00 in San Francisco, 14:30 in India.
const std::string kMix = R"({"leads": 2000, "seed": 5, "start_time": "2026-03-02T09:00:00Z",
    "nodes": {"call": {"outcomes": {"COMPLETED": 1}, "call_duration_s": {"mean": 60, "sd": 0}}},
    "phone_numbers": [{"number": "+12125550100", "share": 0.4},
                      {"number": "+14155550100", "share": 0.3},
                      {"number": "+919876543210", "share": 0.3}]})";

TEST(PhoneNumberMix, ParsesAndRoundTrips) {
    const Scenario s = scenario(kMix);
    ASSERT_EQ(s.phone_numbers.size(), 3u);
    EXPECT_EQ(s.phone_numbers[1].number, "+14155550100");
    EXPECT_DOUBLE_EQ(s.phone_numbers[1].share, 0.3);
    auto again = parse_scenario(to_json(s));
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(to_json(*again), to_json(s));
    EXPECT_FALSE(to_json(default_scenario()).contains("phone_numbers"))
        << "scenarios without a mix keep their JSON";
}

TEST(PhoneNumberMix, ErrorsNameTheEntry) {
    struct Case {
        const char* text;
        const char* message;
    };
    for (const Case& c : {
             Case{R"({"phone_numbers": {"+12125550100": 1}})",
                  "scenario.phone_numbers: expected an array of {\"number\", \"share\"}, got "
                  "object"},
             Case{R"({"phone_numbers": []})",
                  "scenario.phone_numbers: must list between 1 and 256 numbers, got 0"},
             Case{R"({"phone_numbers": [{"share": 1}]})",
                  "scenario.phone_numbers[0].number: required, an E.164 string such as "
                  "+14155550100"},
             Case{R"({"phone_numbers": [{"number": "12125550100", "share": 1}]})",
                  "scenario.phone_numbers[0].number: expected an E.164 number such as "
                  "+14155550100, got '12125550100'"},
             Case{R"({"phone_numbers": [{"number": "+12125550100", "share": 0.5},
                                         {"number": "+12125550100", "share": 0.5}]})",
                  "scenario.phone_numbers[1].number: +12125550100 is listed twice"},
             Case{R"({"phone_numbers": [{"number": "+12125550100"}]})",
                  "scenario.phone_numbers[0].share: required"},
             Case{R"({"phone_numbers": [{"number": "+12125550100", "share": 1.5}]})",
                  "scenario.phone_numbers[0].share: must be >= 0.0 and <= 1.0, got 1.5"},
             Case{R"({"phone_numbers": [{"number": "+12125550100", "share": 0.5},
                                         {"number": "+14155550100", "share": 0.4}]})",
                  "scenario.phone_numbers: the shares sum to 0.9, not 1 (they are not "
                  "normalized for you)"},
         }) {
        auto s = parse_scenario_text(c.text);
        ASSERT_FALSE(s.ok()) << c.text;
        EXPECT_EQ(s.status().message(), c.message) << c.text;
    }
    auto over = parse_scenario_text(R"({"phone_numbers": [{"number": "+12125550100",
        "share": 0.5}, {"number": "+14155550100", "share": 0.500000002}]})");
    ASSERT_FALSE(over.ok());
    EXPECT_NE(over.status().message().find("the shares sum to 1.00000000"), std::string::npos)
        << over.status().message();
    // Within 1e-9 of 1 is accepted.
    EXPECT_TRUE(parse_scenario_text(R"({"phone_numbers": [{"number": "+12125550100", "share": 0.3},
        {"number": "+14155550100", "share": 0.7000000001}]})")
                    .ok());
}

TEST(PhoneNumberMix, LeadsWaitForTheLocalHoursOfTheirNumber) {
    const Json r = run(one_call(true), scenario(kMix));
    EXPECT_EQ(r["terminal"]["completed"]["count"], 2000);
    // India: called at once (1 min); New York: at 08:00 EST = 13:00 UTC (4 h 1 min); San
    // Francisco: at 08:00 PST = 16:00 UTC (7 h 1 min).
    const double india = 1.0 / 60, ny = 4 + 1.0 / 60, sf = 7 + 1.0 / 60;
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p50"].get<double>(), ny);
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p99"].get<double>(), sf);
    std::int64_t at_india = 0, at_ny = 0, at_sf = 0;
    for (const Json& b : r["time_to_terminal_hours"]["histogram"]) {
        const double from = b["from"].get<double>(), to = b["to"].get<double>();
        const std::int64_t n = b["count"].get<std::int64_t>();
        if (from <= india && india < to) at_india += n;
        if (from <= ny && ny < to) at_ny += n;
        if (from <= sf && sf < to) at_sf += n;
    }
    EXPECT_NEAR(at_india / 2000.0, 0.3, 0.035);
    EXPECT_NEAR(at_ny / 2000.0, 0.4, 0.035);
    EXPECT_NEAR(at_sf / 2000.0, 0.3, 0.035);
    EXPECT_EQ(at_india + at_ny + at_sf, 2000);
    // Local hours change when leads finish, not where: the exact solution stays available.
    EXPECT_EQ(r["exact"]["available"], true);
    EXPECT_DOUBLE_EQ(r["exact"]["terminal"]["completed"].get<double>(), 1.0);
}

TEST(PhoneNumberMix, WithTheSettingOffEveryoneIsCalledAtOnce) {
    const Json r = run(one_call(false), scenario(kMix));
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p99"].get<double>(), 1.0 / 60);
}

TEST(PhoneNumberMix, ATimezoneVariableOverridesTheNumber) {
    std::string text = kMix;
    text.insert(text.rfind('}'), R"(, "variables": {"timezone": {"values": {"Asia/Kolkata": 1}}})");
    const Json r = run(one_call(true), scenario(text));
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p99"].get<double>(), 1.0 / 60);
}

TEST(PhoneNumberMix, TheRunIsDeterministicAndTheMixChangesOnlyItsOwnRuns) {
    const Scenario with = scenario(kMix);
    EXPECT_EQ(run(one_call(true), with).dump(), run(one_call(true), with).dump());
    // Without hours the mix only decides zones: a run with it equals a run without it.
    Scenario without = with;
    without.phone_numbers.clear();
    Json a = run(one_call(false), with), b = run(one_call(false), without);
    EXPECT_EQ(a["time_to_terminal_hours"], b["time_to_terminal_hours"]);
    EXPECT_EQ(a["terminal"], b["terminal"]);
}

TEST(PhoneNumberMix, PcaReleaseTimesUseTheNumbersZone) {
    // "3 PM" read in the lead's zone, with no calling window: a New York number waits until
    // 15:00 EST = 20:00 UTC, whatever the hours setting.
    const Graph g =
        GraphBuilder()
            .node("call", "VOICE_CALL")
            .node("wait", "TIME",
                  {{"time_source", "postcall_analysis"}, {"pca_field", "callback_time"}})
            .node("conv", "CONVERTED")
            .edge("call", "wait")
            .edge("wait", "conv")
            .graph();
    const Json r = run(g, scenario(R"({"leads": 20, "start_time": "2026-03-02T09:00:00Z",
        "nodes": {"call": {"outcomes": {"COMPLETED": 1}, "call_duration_s": {"mean": 60, "sd": 0},
                           "analysis": {"callback_time": {"values": {"3 PM": 1}}}}},
        "phone_numbers": [{"number": "+12125550100", "share": 1}]})"));
    EXPECT_DOUBLE_EQ(r["time_to_terminal_hours"]["p50"].get<double>(), 11.0);
}

}  // namespace
}  // namespace leadflow
