// Graph diff: every kind of change (nodes, edges, workflow), nested config keys one change
// each, positions, edge label forms, ordering and the JSON shape.
#include "leadflow/graph_diff.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "leadflow/wire.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

Graph nurture() {
    return testing::load_graph_fixture("lead_nurture.json");
}

Graph parse(const std::string& text) {
    auto g = parse_graph(text);
    EXPECT_TRUE(g.ok()) << g.status().message();
    return g.ok() ? *g : Graph{};
}

Node* node(Graph& g, const std::string& id) {
    for (Node& n : g.nodes) {
        if (n.id == id) return &n;
    }
    ADD_FAILURE() << "no node " << id;
    return &g.nodes.front();
}

Edge* edge(Graph& g, const std::string& id) {
    for (Edge& e : g.edges) {
        if (e.id == id) return &e;
    }
    ADD_FAILURE() << "no edge " << id;
    return &g.edges.front();
}

// The "field" of every change, in order.
std::vector<std::string> fields(const std::vector<FieldChange>& changes) {
    std::vector<std::string> out;
    for (const FieldChange& c : changes) out.push_back(c.field);
    return out;
}

TEST(GraphDiff, IdenticalGraphsAreEmpty) {
    for (const char* name :
         {"lead_nurture.json", "reengagement_drip.json", "conditional_followup.json"}) {
        SCOPED_TRACE(name);
        const Graph g = testing::load_graph_fixture(name);
        const GraphDiff d = diff_graphs(g, g);
        EXPECT_TRUE(d.empty());
        const Json j = to_json(d);
        EXPECT_TRUE(j["summary"]["empty"].get<bool>());
        EXPECT_EQ(j["nodes"]["added"].size() + j["nodes"]["removed"].size() +
                      j["nodes"]["changed"].size() + j["edges"]["changed"].size() +
                      j["workflow"]["changes"].size(),
                  0u);
    }
    EXPECT_TRUE(diff_graphs(Graph{}, Graph{}).empty());
}

TEST(GraphDiff, JsonShape) {
    const Json j = to_json(diff_graphs(nurture(), nurture()));
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"nodes", "edges", "workflow", "summary"}));
    for (const char* section : {"nodes", "edges"}) {
        keys.clear();
        for (auto it = j[section].begin(); it != j[section].end(); ++it) keys.push_back(it.key());
        EXPECT_EQ(keys, (std::vector<std::string>{"added", "removed", "changed"}));
    }
    keys.clear();
    for (auto it = j["summary"].begin(); it != j["summary"].end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"nodes_added", "nodes_removed", "nodes_changed",
                                              "edges_added", "edges_removed", "edges_changed",
                                              "workflow_changes", "empty"}));
}

TEST(GraphDiff, NodesAddedAndRemovedWhole) {
    Graph a = nurture(), b = nurture();
    Node extra = *node(b, "node_call1");
    extra.id = "node_call0";
    extra.label = "Warm-up call";
    b.nodes.push_back(extra);
    Node extra2 = extra;
    extra2.id = "node_a";
    b.nodes.push_back(extra2);
    b.nodes.erase(b.nodes.begin() + 1);  // node_wait1
    const GraphDiff d = diff_graphs(a, b);
    ASSERT_EQ(d.nodes_added.size(), 2u);
    EXPECT_EQ(d.nodes_added[0].id, "node_a");  // by id
    EXPECT_EQ(d.nodes_added[1].id, "node_call0");
    ASSERT_EQ(d.nodes_removed.size(), 1u);
    EXPECT_EQ(d.nodes_removed[0].id, "node_wait1");
    EXPECT_TRUE(d.nodes_changed.empty());
    const Json j = to_json(d);
    EXPECT_EQ(j["nodes"]["added"][1], to_json(extra));
    EXPECT_EQ(j["nodes"]["removed"][0]["config"]["duration_unit"], "days");
    EXPECT_EQ(j["summary"]["nodes_added"], 2);
    EXPECT_EQ(j["summary"]["nodes_removed"], 1);
    EXPECT_FALSE(j["summary"]["empty"].get<bool>());
    // The other way round, added and removed swap.
    const GraphDiff back = diff_graphs(b, a);
    ASSERT_EQ(back.nodes_removed.size(), 2u);
    ASSERT_EQ(back.nodes_added.size(), 1u);
}

TEST(GraphDiff, PositionOnlyChange) {
    Graph a = nurture(), b = nurture();
    node(b, "node_call2")->position_x = 600.5;
    const GraphDiff d = diff_graphs(a, b);
    ASSERT_EQ(d.nodes_changed.size(), 1u);
    EXPECT_EQ(d.nodes_changed[0].id, "node_call2");
    EXPECT_EQ(d.nodes_changed[0].label, "Second call");
    ASSERT_EQ(d.nodes_changed[0].changes.size(), 1u);
    const FieldChange& c = d.nodes_changed[0].changes[0];
    EXPECT_EQ(c.field, "position_x");
    EXPECT_EQ(*c.before, 560);
    EXPECT_EQ(*c.after, 600.5);
    // Both coordinates: two changes, x first.
    node(b, "node_call2")->position_y = -40;
    const GraphDiff d2 = diff_graphs(a, b);
    EXPECT_EQ(fields(d2.nodes_changed[0].changes),
              (std::vector<std::string>{"position_x", "position_y"}));
    EXPECT_EQ(to_json(d2)["nodes"]["changed"][0]["changes"][1],
              (Json{{"field", "position_y"}, {"before", 0}, {"after", -40}}));
}

TEST(GraphDiff, LabelAndTypeChanges) {
    Graph a = nurture(), b = nurture();
    Node* n = node(b, "node_wait1");
    n->label = "Wait 3 days";
    n->node_type_raw = "DELAY";
    n->type = NodeType::kUnknown;
    const GraphDiff d = diff_graphs(a, b);
    ASSERT_EQ(d.nodes_changed.size(), 1u);
    EXPECT_EQ(d.nodes_changed[0].label, "Wait 3 days");  // the newer label
    EXPECT_EQ(fields(d.nodes_changed[0].changes), (std::vector<std::string>{"node_type", "label"}));
    EXPECT_EQ(*d.nodes_changed[0].changes[0].before, "TIME");
    EXPECT_EQ(*d.nodes_changed[0].changes[0].after, "DELAY");
}

TEST(GraphDiff, NestedConfigChangesOneEntryEach) {
    const Graph a = parse(R"({"nodes": [
      {"id": "app", "node_type": "APPLICATION", "config": {"provider_key": "webhook",
        "action_config": {"url": "https://a.example/hook", "method": "POST",
                          "headers": {"X-Token": "t1", "X-Keep": "k"}}}},
      {"id": "cond", "node_type": "CONDITIONAL", "config": {"logic": "AND", "conditions": [
        {"field": "lead.city", "operator": "equals", "value": "Pune"},
        {"field": "lead.age", "operator": "gt", "value": 30}]}}]})");
    const Graph b = parse(R"({"nodes": [
      {"id": "app", "node_type": "APPLICATION", "config": {"provider_key": "webhook",
        "action_config": {"method": "POST", "url": "https://b.example/hook",
                          "headers": {"X-Keep": "k", "X-New": "n"}}, "action_key": "x"}},
      {"id": "cond", "node_type": "CONDITIONAL", "config": {"logic": "AND", "conditions": [
        {"field": "lead.city", "operator": "equals", "value": "Pune"},
        {"field": "lead.age", "operator": "gt", "value": 31.0}]}}]})");
    const GraphDiff d = diff_graphs(a, b);
    ASSERT_EQ(d.nodes_changed.size(), 2u);
    const ElementChange& app = d.nodes_changed[0];
    EXPECT_EQ(app.id, "app");
    // Keys in byte order; reordered keys ("method" before "url") are no change.
    EXPECT_EQ(fields(app.changes),
              (std::vector<std::string>{"config.action_config.headers.X-New",
                                        "config.action_config.headers.X-Token",
                                        "config.action_config.url", "config.action_key"}));
    EXPECT_FALSE(app.changes[0].before.has_value());  // added key
    EXPECT_EQ(*app.changes[0].after, "n");
    EXPECT_EQ(*app.changes[1].before, "t1");  // removed key
    EXPECT_FALSE(app.changes[1].after.has_value());
    const Json j = to_json(d);
    EXPECT_EQ(j["nodes"]["changed"][0]["changes"][0],
              (Json{{"field", "config.action_config.headers.X-New"}, {"after", "n"}}));
    EXPECT_EQ(j["nodes"]["changed"][0]["changes"][1],
              (Json{{"field", "config.action_config.headers.X-Token"}, {"before", "t1"}}));
    const ElementChange& cond = d.nodes_changed[1];
    ASSERT_EQ(cond.changes.size(), 1u);
    EXPECT_EQ(cond.changes[0].field, "config.conditions[1].value");
    EXPECT_EQ(*cond.changes[0].before, 30);
    EXPECT_EQ(*cond.changes[0].after, 31.0);
}

TEST(GraphDiff, ConfigValuesEqualByValue) {
    // 30 and 30.0 are one number; a null value is present, unlike an absent key.
    Graph a = parse(R"({"nodes": [{"id": "w", "node_type": "TIME",
                        "config": {"duration_value": 30, "note": null}}]})");
    Graph b = parse(R"({"nodes": [{"id": "w", "node_type": "TIME",
                        "config": {"duration_value": 30.0}}]})");
    const GraphDiff d = diff_graphs(a, b);
    ASSERT_EQ(d.nodes_changed.size(), 1u);
    ASSERT_EQ(d.nodes_changed[0].changes.size(), 1u);
    const FieldChange& c = d.nodes_changed[0].changes[0];
    EXPECT_EQ(c.field, "config.note");
    ASSERT_TRUE(c.before.has_value());
    EXPECT_TRUE(c.before->is_null());
    EXPECT_FALSE(c.after.has_value());
    EXPECT_EQ(to_json(d)["nodes"]["changed"][0]["changes"][0],
              (Json{{"field", "config.note"}, {"before", nullptr}}));
}

TEST(GraphDiff, ArraysOfOtherLengthsAndTypeChangesAreOneChange) {
    Graph a = parse(R"({"nodes": [{"id": "c", "node_type": "CONDITIONAL", "config": {
        "conditions": [{"field": "lead.a", "value": 1}],
        "branches": ["x", "y"], "extra": {"k": 1}}}]})");
    Graph b = parse(R"({"nodes": [{"id": "c", "node_type": "CONDITIONAL", "config": {
        "conditions": [{"field": "lead.a", "value": 1}, {"field": "lead.b", "value": 2}],
        "branches": ["x", "z"], "extra": "flat"}}]})");
    const GraphDiff d = diff_graphs(a, b);
    ASSERT_EQ(d.nodes_changed.size(), 1u);
    const auto& ch = d.nodes_changed[0].changes;
    EXPECT_EQ(fields(ch), (std::vector<std::string>{"config.branches[1]", "config.conditions",
                                                    "config.extra"}));
    EXPECT_EQ(ch[1].before->size(), 1u);
    EXPECT_EQ(ch[1].after->size(), 2u);
    EXPECT_EQ(*ch[2].before, (Json{{"k", 1}}));
    EXPECT_EQ(*ch[2].after, "flat");
}

TEST(GraphDiff, EdgesAddedRemovedChanged) {
    Graph a = nurture(), b = nurture();
    edge(b, "edge_5")->to_node_id = "node_unresponsive";  // re-routed
    edge(b, "edge_3")->position = 42;
    Edge e7 = *edge(b, "edge_7");
    b.edges.erase(b.edges.begin() + 6);  // edge_7
    e7.id = "edge_20";
    e7.from_node_id = "node_wait1";
    e7.label = std::nullopt;
    b.edges.push_back(e7);
    const GraphDiff d = diff_graphs(a, b);
    ASSERT_EQ(d.edges_added.size(), 1u);
    EXPECT_EQ(d.edges_added[0].id, "edge_20");
    ASSERT_EQ(d.edges_removed.size(), 1u);
    EXPECT_EQ(d.edges_removed[0].id, "edge_7");
    ASSERT_EQ(d.edges_changed.size(), 2u);
    EXPECT_EQ(d.edges_changed[0].id, "edge_3");  // by id
    EXPECT_EQ(fields(d.edges_changed[0].changes), (std::vector<std::string>{"position"}));
    EXPECT_EQ(*d.edges_changed[0].changes[0].after, 42);
    EXPECT_EQ(d.edges_changed[1].id, "edge_5");
    EXPECT_EQ(d.edges_changed[1].label, "DNP");
    EXPECT_EQ(fields(d.edges_changed[1].changes), (std::vector<std::string>{"to_node_id"}));
    EXPECT_EQ(*d.edges_changed[1].changes[0].before, "node_wait2");
    const Json j = to_json(d);
    EXPECT_EQ(j["edges"]["added"][0], to_json(e7));
    EXPECT_EQ(j["edges"]["changed"][1],
              (Json{{"id", "edge_5"},
                    {"label", "DNP"},
                    {"changes", Json::array({Json{{"field", "to_node_id"},
                                                  {"before", "node_wait2"},
                                                  {"after", "node_unresponsive"}}})}}));
    EXPECT_EQ(j["summary"]["edges_added"], 1);
    EXPECT_EQ(j["summary"]["edges_removed"], 1);
    EXPECT_EQ(j["summary"]["edges_changed"], 2);
}

TEST(GraphDiff, EdgeLabelNullAbsentAndEmptyAreNoLabel) {
    const char* base = R"({"nodes": [{"id": "a", "node_type": "TIME"}, {"id": "b",
        "node_type": "DROPPED"}], "edges": [{"id": "e1", "from_node_id": "a", "to_node_id": "b")";
    const Graph absent = parse(std::string(base) + "}]}");
    const Graph null = parse(std::string(base) + R"(, "label": null}]})");
    const Graph empty = parse(std::string(base) + R"(, "label": ""}]})");
    const Graph dnp = parse(std::string(base) + R"(, "label": "DNP"}]})");
    const Graph dnp_lower = parse(std::string(base) + R"(, "label": "dnp"}]})");
    EXPECT_TRUE(diff_graphs(absent, null).empty());
    EXPECT_TRUE(diff_graphs(null, absent).empty());
    EXPECT_TRUE(diff_graphs(null, empty).empty());
    // Setting a label is a change from null; labels compare as written.
    GraphDiff d = diff_graphs(absent, dnp);
    ASSERT_EQ(d.edges_changed.size(), 1u);
    EXPECT_EQ(d.edges_changed[0].label, "DNP");
    ASSERT_EQ(d.edges_changed[0].changes.size(), 1u);
    EXPECT_EQ(d.edges_changed[0].changes[0].field, "label");
    EXPECT_TRUE(d.edges_changed[0].changes[0].before->is_null());
    EXPECT_EQ(*d.edges_changed[0].changes[0].after, "DNP");
    d = diff_graphs(dnp, empty);
    ASSERT_EQ(d.edges_changed.size(), 1u);
    EXPECT_TRUE(d.edges_changed[0].label.is_null());
    EXPECT_TRUE(d.edges_changed[0].changes[0].after->is_null());
    EXPECT_EQ(to_json(d)["edges"]["changed"][0]["changes"][0],
              (Json{{"field", "label"}, {"before", "DNP"}, {"after", nullptr}}));
    EXPECT_FALSE(diff_graphs(dnp, dnp_lower).empty());
}

TEST(GraphDiff, WorkflowEntryAndSettings) {
    Graph a = nurture(), b = nurture();
    b.workflow.entry_node_id = "node_call1";
    b.workflow.settings.timezone = "Asia/Kolkata";
    b.workflow.settings.calling_window = CallingWindow{{"mon", "tue"}, "10:00", "17:00"};
    b.workflow.settings.max_steps_per_lead = 50;
    b.workflow.settings.extra["retry_policy"] = "none";
    // Not compared: metadata.
    b.workflow.title = "Renamed";
    b.workflow.description = "Other";
    b.workflow.updated_at = 1;
    const GraphDiff d = diff_graphs(a, b);
    EXPECT_TRUE(d.nodes_changed.empty());
    EXPECT_EQ(
        fields(d.workflow_changes),
        (std::vector<std::string>{"entry_node_id", "settings.timezone", "settings.calling_window",
                                  "settings.max_steps_per_lead", "settings.retry_policy"}));
    EXPECT_TRUE(d.workflow_changes[0].before->is_null());
    EXPECT_EQ(*d.workflow_changes[0].after, "node_call1");
    EXPECT_EQ(*d.workflow_changes[1].before, "UTC");
    EXPECT_TRUE(d.workflow_changes[2].before->is_null());
    EXPECT_EQ((*d.workflow_changes[2].after)["days"], (Json{"mon", "tue"}));
    EXPECT_EQ(*d.workflow_changes[3].before, 1000);
    EXPECT_EQ(*d.workflow_changes[3].after, 50);
    EXPECT_FALSE(d.workflow_changes[4].before.has_value());  // a key only in b
    const Json j = to_json(d);
    EXPECT_EQ(j["workflow"]["changes"][4],
              (Json{{"field", "settings.retry_policy"}, {"after", "none"}}));
    EXPECT_EQ(j["summary"]["workflow_changes"], 5);
    // An empty entry_node_id is no entry, like null.
    b = nurture();
    b.workflow.entry_node_id = "";
    EXPECT_TRUE(diff_graphs(a, b).empty());
    // Only metadata changed: empty.
    b.workflow.title = "x";
    EXPECT_TRUE(diff_graphs(a, b).empty());
}

TEST(GraphDiff, OrderDoesNotDependOnListOrder) {
    Graph a = nurture(), b = nurture();
    node(b, "node_call3")->label = "Last call";
    node(b, "node_call1")->label = "Opening call";
    Graph shuffled = b;
    std::reverse(shuffled.nodes.begin(), shuffled.nodes.end());
    std::reverse(shuffled.edges.begin(), shuffled.edges.end());
    const Json j1 = to_json(diff_graphs(a, b));
    const Json j2 = to_json(diff_graphs(a, shuffled));
    EXPECT_EQ(j1.dump(), j2.dump());
    ASSERT_EQ(j1["nodes"]["changed"].size(), 2u);
    EXPECT_EQ(j1["nodes"]["changed"][0]["id"], "node_call1");
    EXPECT_EQ(j1["nodes"]["changed"][1]["id"], "node_call3");
}

TEST(GraphDiff, UnknownFieldsAreNotCompared) {
    Graph a = nurture(), b = nurture();
    node(b, "node_call1")->extra["created_at"] = "2026-01-01T00:00:00.000Z";
    edge(b, "edge_1")->extra["color"] = "red";
    EXPECT_TRUE(diff_graphs(a, b).empty());
}

}  // namespace
}  // namespace leadflow
