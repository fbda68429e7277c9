// Validation (docs/workflows.md#validation-codes): every diagnostic code is triggered by its broken
// fixture with the right node/edge ids; the reference workflows validate clean; behaviour details
// by hand.
#include "leadflow/validate.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "leadflow/text.hpp"
#include "leadflow/wire.hpp"
#include "test_util.hpp"

namespace leadflow {
namespace {

Graph load(const std::string& name) {
    auto g = parse_graph(testing::read_fixture(name));
    EXPECT_TRUE(g.ok()) << name << ": " << g.status().message();
    return g.ok() ? *g : Graph{};
}

std::vector<std::string> codes(const std::vector<Diagnostic>& diags) {
    std::vector<std::string> out;
    for (const auto& d : diags) out.push_back(d.code);
    return out;
}

bool has(const std::vector<Diagnostic>& diags, const std::string& code) {
    const auto c = codes(diags);
    return std::find(c.begin(), c.end(), code) != c.end();
}

TEST(Validate, ReferenceWorkflowsAreClean) {
    for (const char* name :
         {"lead_nurture.json", "reengagement_drip.json", "conditional_followup.json"}) {
        const auto diags = validate(load(name));
        EXPECT_TRUE(diags.empty()) << name << ": " << validation_report_json(diags).dump(2);
    }
}

// Each tests/fixtures/invalid/<code>.json names the diagnostic it must produce.
TEST(Validate, EveryCodeHasABrokenFixture) {
    std::vector<std::string> all = all_error_codes();
    const auto& warnings = all_warning_codes();
    all.insert(all.end(), warnings.begin(), warnings.end());
    for (const std::string& code : all) {
        SCOPED_TRACE(code);
        const std::string text = testing::read_fixture("invalid/" + lower(code) + ".json");
        ASSERT_FALSE(text.empty()) << "missing fixture for " << code;
        auto g = parse_graph(text);
        ASSERT_TRUE(g.ok()) << g.status().message();
        const Json expect = Json::parse(text)["expect"];
        ASSERT_EQ(expect["code"], code);
        const auto diags = validate(*g);
        auto it = std::find_if(diags.begin(), diags.end(),
                               [&](const Diagnostic& d) { return d.code == code; });
        ASSERT_NE(it, diags.end()) << validation_report_json(diags).dump(2);
        EXPECT_EQ(to_string(it->severity), expect["severity"].get<std::string>());
        EXPECT_FALSE(it->message.empty());
        if (!expect["node_id"].is_null()) {
            EXPECT_EQ(it->node_id.value_or("<none>"), expect["node_id"].get<std::string>());
        }
        if (!expect["edge_id"].is_null()) {
            EXPECT_EQ(it->edge_id.value_or("<none>"), expect["edge_id"].get<std::string>());
        }
        // Errors block activation; warnings alone never do.
        if (expect["severity"] == "error") {
            EXPECT_FALSE(is_valid(diags));
        }
    }
}

TEST(Validate, WarningsDoNotBlock) {
    Graph g = load("invalid/unreachable_node.json");
    const auto diags = validate(g);
    EXPECT_TRUE(has(diags, "UNREACHABLE_NODE"));
    EXPECT_TRUE(is_valid(diags));
    const Json report = validation_report_json(diags);
    EXPECT_TRUE(report["valid"].get<bool>());
    EXPECT_EQ(report["errors"].size(), 0u);
    EXPECT_EQ(report["warnings"][0]["code"], "UNREACHABLE_NODE");
    EXPECT_EQ(report["warnings"][0]["severity"], "warning");
}

Graph tiny(const char* call_edges) {
    std::string text = R"({"nodes": [
      {"id": "c", "node_type": "VOICE_CALL", "config": {"agent_id": "a", "from_phone_number": "+14155550100"}},
      {"id": "y", "node_type": "CONVERTED"}, {"id": "n", "node_type": "DROPPED"}],
      "edges": )" + std::string(call_edges) +
                       "}";
    auto g = parse_graph(text);
    EXPECT_TRUE(g.ok()) << g.status().message();
    return *g;
}

TEST(Validate, DnpFamilyCoversItsThreeOutcomes) {
    auto diags = validate(tiny(R"([
      {"id": "e1", "from_node_id": "c", "to_node_id": "y", "label": "COMPLETED"},
      {"id": "e2", "from_node_id": "c", "to_node_id": "n", "label": " dnp "},
      {"id": "e3", "from_node_id": "c", "to_node_id": "n", "label": "failed"}])"));
    EXPECT_TRUE(diags.empty()) << validation_report_json(diags).dump(2);
    // Without DNP, three specific outcomes are unhandled, named in one warning.
    diags = validate(tiny(R"([
      {"id": "e1", "from_node_id": "c", "to_node_id": "y", "label": "COMPLETED"},
      {"id": "e3", "from_node_id": "c", "to_node_id": "n", "label": "FAILED"}])"));
    ASSERT_TRUE(has(diags, "UNHANDLED_OUTCOME"));
    EXPECT_NE(diags[0].message.find("NO_ANSWER, BUSY, VOICEMAIL"), std::string::npos);
    // A default edge handles everything.
    diags = validate(tiny(R"([
      {"id": "e1", "from_node_id": "c", "to_node_id": "y", "label": "COMPLETED"},
      {"id": "e3", "from_node_id": "c", "to_node_id": "n"}])"));
    EXPECT_TRUE(diags.empty()) << validation_report_json(diags).dump(2);
}

TEST(Validate, DefaultBeforeLabelsWarnsByPositionNotListOrder) {
    // Listed first, but position puts the default last: no warning.
    auto diags = validate(tiny(R"([
      {"id": "e3", "from_node_id": "c", "to_node_id": "n", "position": 9},
      {"id": "e1", "from_node_id": "c", "to_node_id": "y", "label": "COMPLETED", "position": 1}])"));
    EXPECT_FALSE(has(diags, "DEFAULT_EDGE_SHADOWS_LABELS"));
    diags = validate(tiny(R"([
      {"id": "e3", "from_node_id": "c", "to_node_id": "n", "position": 0},
      {"id": "e1", "from_node_id": "c", "to_node_id": "y", "label": "COMPLETED", "position": 1}])"));
    ASSERT_TRUE(has(diags, "DEFAULT_EDGE_SHADOWS_LABELS"));
}

TEST(Validate, EntryNodeRules) {
    Graph g = load("lead_nurture.json");
    g.workflow.entry_node_id = "node_call2";  // explicit entry wins over structure
    auto diags = validate(g);
    EXPECT_FALSE(has(diags, "AMBIGUOUS_ENTRY_NODE"));
    EXPECT_TRUE(has(diags, "UNREACHABLE_NODE"));  // call1 and wait1 are now unreachable
    EXPECT_EQ(resolve_entry_node(load("lead_nurture.json")).value_or(""), "node_call1");
    EXPECT_FALSE(resolve_entry_node(load("invalid/ambiguous_entry_node.json")).has_value());
    EXPECT_FALSE(resolve_entry_node(load("invalid/no_entry_node.json")).has_value());
}

TEST(Validate, NoNodesStopsFurtherChecks) {
    const auto diags = validate(Graph{});
    ASSERT_EQ(diags.size(), 1u);
    EXPECT_EQ(diags[0].code, "NO_NODES");
}

TEST(Validate, ConfigAliasesAndSwitchMode) {
    auto g = parse_graph(R"({"nodes": [
      {"id": "w", "node_type": "TIME", "config": {"delay_hours": "6"}},
      {"id": "p", "node_type": "TIME", "config": {"time_source": "postcall_analysis",
                                                  "postcall_analysis_field": "callback_at"}},
      {"id": "s", "node_type": "CONDITIONAL", "config": {"condition_field": "lead.city",
                                                         "branches": ["Mumbai", "Delhi"]}},
      {"id": "y", "node_type": "CONVERTED"}, {"id": "n", "node_type": "DROPPED"}],
      "edges": [{"id": "e1", "from_node_id": "w", "to_node_id": "p"},
                {"id": "e2", "from_node_id": "p", "to_node_id": "s"},
                {"id": "e3", "from_node_id": "s", "to_node_id": "y", "label": "mumbai"},
                {"id": "e4", "from_node_id": "s", "to_node_id": "n", "label": "Chennai"}]})");
    ASSERT_TRUE(g.ok()) << g.status().message();
    const auto diags = validate(*g);
    EXPECT_TRUE(is_valid(diags)) << validation_report_json(diags).dump(2);
    // Delhi has no edge and there is no default; Chennai is not a listed branch.
    EXPECT_TRUE(has(diags, "UNHANDLED_OUTCOME"));
    EXPECT_TRUE(has(diags, "UNKNOWN_EDGE_LABEL"));
}

TEST(Validate, E164Syntax) {
    EXPECT_TRUE(is_e164_syntax("+14155550100"));
    EXPECT_TRUE(is_e164_syntax("+919876543210"));
    EXPECT_TRUE(is_e164_syntax("+12345678"));           // 8 digits
    EXPECT_TRUE(is_e164_syntax("+123456789012345"));    // 15 digits
    EXPECT_FALSE(is_e164_syntax("+1234567"));           // 7 digits
    EXPECT_FALSE(is_e164_syntax("+1234567890123456"));  // 16 digits
    EXPECT_FALSE(is_e164_syntax("14155550100"));
    EXPECT_FALSE(is_e164_syntax("+1 415 555 0100"));
    EXPECT_FALSE(is_e164_syntax("+04155550100"));
    EXPECT_FALSE(is_e164_syntax(""));
}

TEST(Validate, ConditionTypeErrorsAreConditionInvalid) {
    auto g = parse_graph(R"({"nodes": [
      {"id": "c", "node_type": "CONDITIONAL", "config": {"logic": "XOR",
          "conditions": [{"field": "lead.a", "operator": "equals", "value": "1"}]}},
      {"id": "y", "node_type": "CONVERTED"}],
      "edges": [{"id": "e1", "from_node_id": "c", "to_node_id": "y"}]})");
    ASSERT_TRUE(g.ok());
    const auto diags = validate(*g);
    ASSERT_TRUE(has(diags, "CONDITION_INVALID"));
    EXPECT_NE(diags[0].message.find("config.logic"), std::string::npos);
}

}  // namespace
}  // namespace leadflow
