// Output pins per node type (docs/workflows.md#node-types), pin matching of edges, config
// summaries.
#include "node_kinds.hpp"

#include <gtest/gtest.h>

#include "leadflow/node_config.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::make_edge;
using testing::make_node;

std::vector<std::string> labels(const std::vector<Pin>& pins) {
    std::vector<std::string> out;
    for (const Pin& p : pins) out.push_back(p.label);
    return out;
}

TEST(OutputPins, OnePinPerOutcomeOfEachType) {
    EXPECT_EQ(labels(output_pins(make_node("a", NodeType::kVoiceCall))),
              (std::vector<std::string>{"COMPLETED", "DNP", "NO_ANSWER", "BUSY", "VOICEMAIL",
                                        "FAILED", "default"}));
    EXPECT_EQ(labels(output_pins(make_node("a", NodeType::kTime))),
              (std::vector<std::string>{"next"}));
    EXPECT_EQ(labels(output_pins(make_node("a", NodeType::kConditional))),
              (std::vector<std::string>{"true", "false", "default"}));
    EXPECT_EQ(labels(output_pins(make_node("a", NodeType::kApplication))),
              (std::vector<std::string>{"success", "failure", "default"}));
    EXPECT_TRUE(output_pins(make_node("a", NodeType::kConverted)).empty());
    EXPECT_TRUE(output_pins(make_node("a", NodeType::kDropped)).empty());
}

TEST(OutputPins, SwitchModeHasOnePinPerBranch) {
    Node n = make_node("c", NodeType::kConditional);
    n.config =
        Json{{"condition_field", "lead.city"}, {"branches", Json::array({"Mumbai", "Delhi"})}};
    EXPECT_EQ(labels(output_pins(n)), (std::vector<std::string>{"Mumbai", "Delhi", "default"}));
}

TEST(OutputPins, ASplitHasOnePinPerBranchAndNoDefault) {
    Node n = make_node("s", NodeType::kSplit);
    n.config = Json{{"branches", Json::array({Json{{"label", "A"}, {"weight", 30}},
                                              Json{{"label", "B"}, {"weight", "70"}}})}};
    EXPECT_EQ(labels(output_pins(n)), (std::vector<std::string>{"A", "B"}));
    EXPECT_EQ(pin_for_edge(output_pins(n), make_edge("e", "s", "t", "b")), 1);
    EXPECT_EQ(pin_for_edge(output_pins(n), make_edge("e", "s", "t", std::nullopt)), -1);
    EXPECT_EQ(std::string(kind_of(NodeType::kSplit).wire), "SPLIT");
    EXPECT_EQ(config_summary(n), "A 30 · B 70");
}

TEST(DefaultConfig, ANewSplitIsValidWithTwoEvenBranches) {
    Node n = make_node("s", NodeType::kSplit);
    n.config = default_config(NodeType::kSplit);
    const auto cfg = parse_split_config(n.config);
    ASSERT_TRUE(cfg.ok()) << cfg.status().message();
    ASSERT_EQ(cfg->branches.size(), 2u);
    EXPECT_EQ(cfg->branches[0].label, "A");
    EXPECT_EQ(cfg->branches[1].label, "B");
    EXPECT_EQ(cfg->branches[0].weight, 50);
    EXPECT_EQ(cfg->branches[1].weight, 50);
    EXPECT_EQ(labels(output_pins(n)), (std::vector<std::string>{"A", "B"}));
    EXPECT_EQ(config_summary(n), "A 50 · B 50");
    EXPECT_EQ(kind_of(NodeType::kSplit).type, NodeType::kSplit);
    EXPECT_STREQ(kind_of(NodeType::kSplit).title, "A/B split");
}

TEST(PinForEdge, MatchesLabelsCaseInsensitivelyAndDefaultsUnlabelled) {
    const auto pins = output_pins(make_node("a", NodeType::kVoiceCall));
    EXPECT_EQ(pin_for_edge(pins, make_edge("e", "a", "b", " dnp ")), 1);
    EXPECT_EQ(pin_for_edge(pins, make_edge("e", "a", "b", std::nullopt)), 6);
    EXPECT_EQ(pin_for_edge(pins, make_edge("e", "a", "b", "")), 6);
    EXPECT_EQ(pin_for_edge(pins, make_edge("e", "a", "b", "MAYBE")), -1);
    EXPECT_FALSE(pin_edge_label(pins[6]).has_value());
    EXPECT_EQ(*pin_edge_label(pins[0]), "COMPLETED");
}

TEST(ConfigSummary, ShowsKeyConfig) {
    Node call = make_node("a", NodeType::kVoiceCall);
    call.config = Json{{"agent_id", "agent_x"}, {"from_phone_number", "+14155550100"}};
    EXPECT_EQ(config_summary(call), "agent_x · +14155550100");
    Node wait = make_node("w", NodeType::kTime);
    wait.config = Json{{"duration_value", 2}, {"duration_unit", "days"}};
    EXPECT_EQ(config_summary(wait), "2 days");
    wait.config = Json{{"delay_hours", 5}};
    EXPECT_EQ(config_summary(wait), "5 hours");
    // Read by core's TIME parser: aliases, units in the singular, numeric strings.
    wait.config = Json{{"duration_value", "1.5"}, {"duration_unit", "hour"}};
    EXPECT_EQ(config_summary(wait), "90 minutes");
    wait.config = Json{{"delay_days", 1}};
    EXPECT_EQ(config_summary(wait), "1 day");
    wait.config = Json{{"time_source", "postcall_analysis"},
                       {"pca_field", "postcall_analysis.callback_time"}};
    EXPECT_EQ(config_summary(wait), "at call.analysis.callback_time");
    wait.config = Json{{"duration_unit", "fortnights"}, {"duration_value", 1}};
    EXPECT_EQ(config_summary(wait), "invalid time");
    Node cond = make_node("c", NodeType::kConditional);
    cond.config = Json{{"logic", "OR"},
                       {"conditions", Json::array({Json{{"field", "a"}, {"operator", "exists"}},
                                                   Json{{"field", "b"}, {"operator", "exists"}}})}};
    EXPECT_EQ(config_summary(cond), "OR · 2 conditions");
}

TEST(DefaultConfig, UsesCanonicalKeys) {
    EXPECT_TRUE(default_config(NodeType::kVoiceCall).contains("agent_id"));
    EXPECT_TRUE(default_config(NodeType::kVoiceCall).contains("from_phone_number"));
    EXPECT_EQ(default_config(NodeType::kTime)["duration_unit"], "days");
    EXPECT_EQ(default_config(NodeType::kApplication)["provider_key"], "webhook");
    EXPECT_TRUE(default_config(NodeType::kConverted).empty());
}

}  // namespace
}  // namespace leadflow::web
