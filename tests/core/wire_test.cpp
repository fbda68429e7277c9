// The JSON wire codec: exact round trips, unknown fields and node types preserved, timestamps,
// and errors that name the offending field (never a crash).
#include "leadflow/wire.hpp"

#include <gtest/gtest.h>

#include "leadflow/civil_time.hpp"
#include "test_util.hpp"

namespace leadflow {
namespace {

TEST(Wire, ReferenceFixturesRoundTripExactly) {
    for (const char* name :
         {"lead_nurture.json", "reengagement_drip.json", "conditional_followup.json"}) {
        const std::string text = testing::read_fixture(name);
        ASSERT_FALSE(text.empty()) << name;
        auto graph = parse_graph(text);
        ASSERT_TRUE(graph.ok()) << name << ": " << graph.status().message();
        const Json original = Json::parse(text);
        // The fixtures spell out every field, so encoding reproduces the document exactly.
        EXPECT_EQ(to_json(*graph), original) << name;
    }
}

TEST(Wire, UnknownFieldsAndNodeTypesSurvive) {
    const char* text = R"({
      "workflow": {"id": "wf_1", "title": "T", "future_flag": {"a": [1, 2]},
                   "settings": {"timezone": "Europe/Berlin", "theme": "dark"}},
      "nodes": [{"id": "n1", "node_type": "SMS_MESSAGE", "label": "x", "config": {"k": 1},
                 "color": "#fff"}],
      "edges": [{"id": "e1", "from_node_id": "n1", "to_node_id": "n1", "weight": 3}]})";
    auto g = parse_graph(text);
    ASSERT_TRUE(g.ok()) << g.status().message();
    EXPECT_EQ(g->nodes[0].type, NodeType::kUnknown);
    EXPECT_EQ(g->nodes[0].node_type_raw, "SMS_MESSAGE");
    const Json out = to_json(*g);
    EXPECT_EQ(out["nodes"][0]["node_type"], "SMS_MESSAGE");
    EXPECT_EQ(out["nodes"][0]["color"], "#fff");
    EXPECT_EQ(out["nodes"][0]["config"]["k"], 1);
    EXPECT_EQ(out["edges"][0]["weight"], 3);
    EXPECT_EQ(out["workflow"]["future_flag"]["a"][1], 2);
    EXPECT_EQ(out["workflow"]["settings"]["theme"], "dark");
    EXPECT_EQ(out["workflow"]["settings"]["timezone"], "Europe/Berlin");
    // And the second trip changes nothing.
    auto again = graph_from_json(out);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(to_json(*again), out);
}

TEST(Wire, DefaultsApplyWhenFieldsAreAbsent) {
    auto g = parse_graph(R"({"nodes": [{"id": "a", "node_type": "DROPPED"}],
                             "edges": [{"id": "e1", "from_node_id": "a", "to_node_id": "a"},
                                       {"id": "e2", "from_node_id": "a", "to_node_id": "a"}]})");
    ASSERT_TRUE(g.ok()) << g.status().message();
    EXPECT_EQ(g->workflow.status, WorkflowStatus::kDraft);
    EXPECT_EQ(g->workflow.settings.timezone, "UTC");
    EXPECT_EQ(g->workflow.settings.max_steps_per_lead, 1000);
    EXPECT_TRUE(g->workflow.settings.auto_complete);
    EXPECT_FALSE(g->workflow.settings.calling_window.has_value());
    EXPECT_EQ(g->edges[0].position, 0);  // creation order
    EXPECT_EQ(g->edges[1].position, 1);
    EXPECT_FALSE(g->edges[0].label.has_value());
}

TEST(Wire, TitleAcceptsNameAlias) {
    auto w = workflow_from_json(Json::parse(R"({"name": "Old style"})"));
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(w->title, "Old style");
}

struct BadCase {
    const char* text;
    const char* expected;  // substring of the error message
};

TEST(Wire, BadInputNamesTheField) {
    const BadCase cases[] = {
        {R"({"nodes": [{"id": "a"}]})", "nodes[0].node_type: is required"},
        {R"({"nodes": [{"id": "a", "node_type": "TIME", "position_x": "left"}]})",
         "nodes[0].position_x: expected a number, got string"},
        {R"({"nodes": [{"id": "a", "node_type": 7}]})", "nodes[0].node_type: expected a string"},
        {R"({"nodes": [{"id": "a", "node_type": "TIME", "config": [1]}]})",
         "nodes[0].config: expected an object, got array"},
        {R"({"nodes": [{"id": "a", "node_type": "TIME"}, {"id": "a", "node_type": "TIME"}]})",
         "nodes[1].id: duplicate node id 'a'"},
        {R"({"edges": [{"id": "e", "from_node_id": "a"}]})", "edges[0].to_node_id: is required"},
        {R"({"edges": [{"id": "e", "from_node_id": "a", "to_node_id": "b", "position": 1.5}]})",
         "edges[0].position: expected an integer"},
        {R"({"edges": [{"id": "e", "from_node_id": "a", "to_node_id": "b", "label": 3}]})",
         "edges[0].label: expected a string or null"},
        {R"({"workflow": {"status": "sleeping"}})", "workflow.status: unknown status 'sleeping'"},
        {R"({"workflow": {"settings": {"max_steps_per_lead": "many"}}})",
         "workflow.settings.max_steps_per_lead: expected an integer"},
        {R"({"workflow": {"settings": {"max_concurrent_calls": 0}}})",
         "workflow.settings.max_concurrent_calls: must be at least 1"},
        {R"({"workflow": {"settings": {"calling_window": {"days": "mon"}}}})",
         "workflow.settings.calling_window.days: expected an array"},
        {R"({"workflow": {"created_at": "yesterday"}})", "workflow.created_at: invalid timestamp"},
        {R"({"nodes": {}})", "nodes: expected an array, got object"},
        {R"([1, 2])", "graph: expected an object"},
        {R"({"nodes": [)", "malformed JSON"},
        {"", "malformed JSON"},
        {"\xff\xfe", "malformed JSON"},
    };
    for (const BadCase& c : cases) {
        auto g = parse_graph(c.text);
        ASSERT_FALSE(g.ok()) << c.text;
        EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
        EXPECT_NE(g.status().message().find(c.expected), std::string::npos)
            << "input: " << c.text << "\nmessage: " << g.status().message();
    }
}

TEST(Wire, LeadsExecutionsAndHistoryRoundTrip) {
    Lead l;
    l.id = "wlead_1";
    l.workflow_id = "wf_1";
    l.phone_number = "+14155550123";
    l.variables = {{"city", "Mumbai"}, {"name", "Asha"}};
    l.status = LeadStatus::kActive;
    l.current_node_id = "node_call1";
    l.created_at = 1772355600000;  // 2026-03-01T09:00:00.000Z
    const Json j = to_json(l);
    EXPECT_EQ(j["created_at"], "2026-03-01T09:00:00.000Z");
    EXPECT_EQ(j["completed_at"], nullptr);
    auto back = lead_from_json(j);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(to_json(*back), j);

    // Variables may arrive as dynamic_variables with numbers and booleans.
    auto dyn = lead_from_json(
        Json::parse(R"({"phone_number": "+1", "dynamic_variables": {"age": 42, "vip": true}})"));
    ASSERT_TRUE(dyn.ok());
    EXPECT_EQ(dyn->variables.at("age"), "42");
    EXPECT_EQ(dyn->variables.at("vip"), "true");
    EXPECT_FALSE(lead_from_json(Json::parse(R"({"status": "asleep"})")).ok());
    EXPECT_EQ(parse_lead_status("in_progress"), LeadStatus::kActive);

    Execution e;
    e.current_node_id = "node_wait1";
    e.phase = Phase::kWaiting;
    e.release_at = 1772528400000;
    e.steps = 3;
    auto eb = execution_from_json(to_json(e));
    ASSERT_TRUE(eb.ok());
    EXPECT_EQ(to_json(*eb), to_json(e));
    EXPECT_EQ(to_json(e)["phase"], "waiting");

    HistoryEntry h;
    h.node_id = "node_call1";
    h.node_type = "VOICE_CALL";
    h.status = "completed";
    h.outcome = "NO_ANSWER";
    h.edge_id = "edge_2";
    h.edge_label = "DNP";
    h.started_at = 1772355600000;
    h.ended_at = 1772355660500;
    auto hb = history_entry_from_json(to_json(h));
    ASSERT_TRUE(hb.ok());
    EXPECT_EQ(to_json(*hb), to_json(h));
    EXPECT_EQ(to_json(h)["ended_at"], "2026-03-01T09:01:00.500Z");
}

TEST(Wire, EnumWireNames) {
    EXPECT_STREQ(to_string(NodeType::kVoiceCall), "VOICE_CALL");
    EXPECT_EQ(parse_node_type("CONDITIONAL"), NodeType::kConditional);
    EXPECT_EQ(parse_node_type("voice_call"), NodeType::kUnknown);  // wire names are exact
    EXPECT_EQ(parse_workflow_status("running"), WorkflowStatus::kActive);  // legacy spelling
    EXPECT_STREQ(to_string(WorkflowStatus::kActive), "active");
    EXPECT_FALSE(parse_workflow_status("Active").has_value());
    EXPECT_STREQ(to_string(Phase::kInCall), "in_call");
    EXPECT_EQ(parse_call_outcome("no_answer"), CallOutcome::kNoAnswer);
    EXPECT_EQ(parse_call_outcome("VOICEMAIL"), CallOutcome::kVoicemail);
    EXPECT_STREQ(family_label(CallOutcome::kBusy), "DNP");
    EXPECT_EQ(family_label(CallOutcome::kFailed), nullptr);
    EXPECT_EQ(all_lead_statuses().size(), 7u);
}

TEST(WireLimits, DepthAndArraySizeAreCheckedBeforeParsing) {
    auto nest = [](int levels) {
        return std::string(static_cast<std::size_t>(levels), '[') + "1" +
               std::string(static_cast<std::size_t>(levels), ']');
    };
    EXPECT_TRUE(parse_json(nest(kMaxJsonDepth)).ok());
    auto deep = parse_json(nest(kMaxJsonDepth + 1));
    ASSERT_FALSE(deep.ok());
    EXPECT_EQ(deep.status().message(), "JSON nesting deeper than 64 levels at byte 64");
    // 70,000 levels: refused without building (or recursing into) anything.
    EXPECT_FALSE(parse_json(nest(70'000)).ok());
    // Brackets, commas and escaped quotes inside strings do not count.
    const std::string tricky = R"({"a": "[[[[,,,\"[[", "b": ["x,y", "]]]", {"c": [1, 2]}]})";
    EXPECT_TRUE(parse_json(tricky).ok());
    EXPECT_TRUE(check_json_limits(tricky, {4, 3}).is_ok());
    EXPECT_FALSE(check_json_limits(tricky, {3, 3}).is_ok());
    EXPECT_FALSE(check_json_limits(tricky, {4, 2}).is_ok());
    EXPECT_EQ(check_json_limits("[1,2,3,4]", {64, 3}).message(),
              "JSON array with more than 3 elements at byte 7");
    EXPECT_TRUE(check_json_limits("[[1,2],[3,4],[5,6]]", {64, 3}).is_ok());
    EXPECT_TRUE(check_json_limits("[]", {64, 1}).is_ok());
    EXPECT_TRUE(check_json_limits("[ ]", {64, 0}).is_ok());
}

}  // namespace
}  // namespace leadflow
