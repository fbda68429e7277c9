// The versions UI's data: the version list, a publish dry run and a publish read from the
// server's answers, a diff (as the server writes it: graph_diff.hpp's to_json) read for display,
// the draft's state line, and the diff laid out on the canvas (marks by id, ghosts of removed
// nodes and edges where they were in the version).
#include "versions_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "graph_index.hpp"
#include "leadflow/graph_diff.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::fixture_graph;
using testing::make_edge;
using testing::make_node;

// The server's diff answer for a → b.
Json served_diff(const Graph& a, const Graph& b, const std::string& from, const std::string& to) {
    Json j = to_json(diff_graphs(a, b));
    j["from"] = from;
    j["to"] = to;
    return j;
}

// lead_nurture with a shorter tail: the third call and its wait removed, the second call's
// no-answer edge sent to a new one-day wait that drops the lead, the first call relabelled and
// reconfigured, and the unresponsive node moved.
Graph edited_nurture() {
    Graph g = fixture_graph("lead_nurture.json");
    auto drop_node = [&](const std::string& id) {
        g.nodes.erase(std::remove_if(g.nodes.begin(), g.nodes.end(),
                                     [&](const Node& n) { return n.id == id; }),
                      g.nodes.end());
        g.edges.erase(std::remove_if(g.edges.begin(), g.edges.end(),
                                     [&](const Edge& e) {
                                         return e.from_node_id == id || e.to_node_id == id;
                                     }),
                      g.edges.end());
    };
    drop_node("node_call3");
    drop_node("node_wait2");
    for (Node& n : g.nodes) {
        if (n.id == "node_call1") {
            n.label = "First call (v2)";
            n.config["max_call_seconds"] = 240;
        }
        if (n.id == "node_unresponsive") n.position_y = 400;
    }
    Node wait = make_node("node_wait_short", NodeType::kTime, 840, 240);
    wait.config = Json{{"duration_value", 1}, {"duration_unit", "days"}};
    g.nodes.push_back(wait);
    Edge e = make_edge("edge_5", "node_call2", "node_wait_short", std::string("DNP"), 4);
    g.edges.push_back(e);
    g.edges.push_back(
        make_edge("edge_12", "node_wait_short", "node_unresponsive", std::nullopt, 11));
    return g;
}

// [SECTION] Version list

TEST(VersionPage, ReadsRowsAndPaging) {
    const Json body = Json::parse(R"({
      "data": [
        {"number": 3, "workflow_id": "wf_1", "created_at": "2026-03-02T09:00:00.000Z",
         "note": "retry twice", "published_by": "key_1", "migrate": "move", "node_map": {},
         "node_count": 7, "edge_count": 9, "current": true},
        {"number": 2, "workflow_id": "wf_1", "created_at": "2026-03-01T09:00:00.000Z",
         "note": "", "published_by": null, "migrate": "keep", "node_map": {},
         "node_count": 6, "edge_count": 8, "current": false}],
      "meta": {"page": 1, "limit": 2, "total": 3, "totalPages": 2}})");
    auto p = read_version_page(body);
    ASSERT_TRUE(p.ok()) << p.status().message();
    ASSERT_EQ(p->rows.size(), 2u);
    EXPECT_EQ(p->rows[0].number, 3);
    EXPECT_EQ(p->rows[0].note, "retry twice");
    EXPECT_EQ(p->rows[0].migrate, "move");
    EXPECT_EQ(p->rows[0].published_by, "key_1");
    EXPECT_EQ(p->rows[0].node_count, 7);
    EXPECT_TRUE(p->rows[0].current);
    EXPECT_FALSE(p->rows[1].current);
    EXPECT_EQ(p->rows[1].published_by, "");
    EXPECT_EQ(p->total, 3);
    EXPECT_EQ(p->total_pages, 2);
    EXPECT_EQ(p->limit, 2);
}

TEST(VersionPage, AnEmptyListIsOnePageAndABadShapeIsAnError) {
    auto empty =
        read_version_page(Json::parse(R"({"data": [], "meta": {"page": 1, "limit": 10, "total": 0,
                        "totalPages": 0}})"));
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->rows.empty());
    EXPECT_EQ(empty->total_pages, 1);
    for (const char* bad : {R"({"meta": {"total": 0}})", R"({"data": []})",
                            R"({"data": [{"note": "x"}], "meta": {"total": 1}})", "[]"}) {
        auto p = read_version_page(Json::parse(bad));
        ASSERT_FALSE(p.ok()) << bad;
        EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(p.status().message().rfind("versions answer: ", 0), 0u) << p.status().message();
    }
}

// [SECTION] Publishing

TEST(PublishPreview, ReadsTheDryRunWithItsLeadCountsAndDiagnostics) {
    const Json body = Json::parse(R"({
      "dry_run": true, "valid": false, "version": 4, "migrate": "move",
      "leads": {"move": 1830, "stay": 12, "not_started": 40,
                "stay_by_version": [{"version": 2, "leads": 12}],
                "stay_by_node": [{"version": 2, "node_id": "node_old_call", "leads": 12},
                                 {"version": 3, "node_id": "node_x", "leads": 1}]},
      "errors": [{"severity": "error", "code": "NO_ENTRY_NODE", "message": "No entry node"}],
      "warnings": [{"severity": "warning", "code": "UNREACHABLE_NODE",
                    "message": "Node n is unreachable", "node_id": "n"}]})");
    auto p = read_publish_preview(body);
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_FALSE(p->valid);
    EXPECT_EQ(p->version, 4);
    EXPECT_EQ(p->migrate, "move");
    EXPECT_EQ(p->move, 1830);
    EXPECT_EQ(p->stay, 12);
    EXPECT_EQ(p->not_started, 40);
    EXPECT_EQ(p->stay_lines,
              (std::vector<std::string>{"12 leads stay on version 2 at node_old_call",
                                        "1 lead stays on version 3 at node_x"}));
    EXPECT_EQ(p->errors, std::vector<std::string>{"NO_ENTRY_NODE: No entry node"});
    EXPECT_EQ(p->warnings, std::vector<std::string>{"UNREACHABLE_NODE: Node n is unreachable"});
}

TEST(PublishPreview, WithoutLeadCountsOrValidityItIsAnError) {
    for (const char* bad : {R"({"version": 1, "leads": {"move": 0, "stay": 0, "not_started": 0}})",
                            R"({"valid": true, "leads": {"move": 0, "stay": 0, "not_started": 0}})",
                            R"({"valid": true, "version": 1, "leads": {"move": 0}})"}) {
        auto p = read_publish_preview(Json::parse(bad));
        ASSERT_FALSE(p.ok()) << bad;
        EXPECT_EQ(p.status().message().rfind("dry run answer: ", 0), 0u);
    }
}

TEST(PublishResult, ReadsTheNewVersionAndTheCountsTakenBeforeIt) {
    const Json body = Json::parse(R"({
      "version": {"number": 3, "created_at": "…", "note": "retry twice", "published_by": "key_1",
                  "migrate": "move", "node_map": {}, "node_count": 7, "edge_count": 9,
                  "current": true},
      "leads": {"move": 5, "stay": 1, "not_started": 2, "stay_by_version": [],
                "stay_by_node": []},
      "warnings": []})");
    auto p = read_publish_result(body);
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_TRUE(p->valid);
    EXPECT_EQ(p->version, 3);
    EXPECT_EQ(p->migrate, "move");
    EXPECT_EQ(p->move, 5);
    EXPECT_EQ(p->stay, 1);
    EXPECT_EQ(p->not_started, 2);
    EXPECT_FALSE(read_publish_result(Json::parse(R"({"version": 3})")).ok());
}

// [SECTION] Diff

TEST(Diff, ReadsTheServersDiffOfAVersionAndTheDraft) {
    const Graph v1 = fixture_graph("lead_nurture.json");
    const Graph draft = edited_nurture();
    auto d = read_diff(served_diff(v1, draft, "1", "draft"));
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(d->from, "1");
    EXPECT_EQ(d->to, "draft");
    ASSERT_EQ(d->nodes_added.size(), 1u);
    EXPECT_EQ(d->nodes_added[0].id, "node_wait_short");
    EXPECT_EQ(d->nodes_added[0].node_type, "TIME");
    ASSERT_EQ(d->nodes_removed.size(), 2u);
    EXPECT_EQ(d->nodes_removed[0].id, "node_call3");
    EXPECT_EQ(d->nodes_removed[0].label, "Third call");
    EXPECT_EQ(d->nodes_removed[1].id, "node_wait2");
    ASSERT_EQ(d->removed_nodes.size(), 2u);
    EXPECT_EQ(d->removed_nodes[0].position_x, 1120);
    ASSERT_EQ(d->nodes_changed.size(), 2u);
    const DiffElement& call1 = d->nodes_changed[0];
    EXPECT_EQ(call1.id, "node_call1");
    EXPECT_EQ(call1.label, "First call (v2)");
    ASSERT_EQ(call1.changes.size(), 2u);
    EXPECT_EQ(call1.changes[0].field, "label");
    EXPECT_EQ(call1.changes[0].before, std::optional<std::string>("\"First call\""));
    EXPECT_EQ(call1.changes[0].after, std::optional<std::string>("\"First call (v2)\""));
    EXPECT_EQ(call1.changes[1].field, "config.max_call_seconds");
    EXPECT_EQ(call1.changes[1].before, std::optional<std::string>("300"));
    EXPECT_EQ(call1.changes[1].after, std::optional<std::string>("240"));
    EXPECT_FALSE(only_moved(call1));
    EXPECT_EQ(d->nodes_changed[1].id, "node_unresponsive");
    EXPECT_TRUE(only_moved(d->nodes_changed[1]));
    ASSERT_EQ(d->edges_added.size(), 1u);
    EXPECT_EQ(d->edges_added[0].id, "edge_12");
    EXPECT_EQ(d->edges_removed.size(), 4u);  // 7, 8, 9 out of the third call; 11 into it
    ASSERT_EQ(d->edges_changed.size(), 1u);
    EXPECT_EQ(d->edges_changed[0].id, "edge_5");
    EXPECT_EQ(d->edges_changed[0].changes[0].field, "to_node_id");
    EXPECT_TRUE(d->workflow_changes.empty());
    EXPECT_FALSE(d->empty());
    EXPECT_TRUE(d->runs_differently());
}

TEST(Diff, AnAbsentSideIsNulloptAndWorkflowChangesAreRead) {
    Graph a = fixture_graph("lead_nurture.json");
    Graph b = a;
    b.nodes[0].config["record"] = true;  // a config key added
    b.workflow.settings.timezone = "Asia/Kolkata";
    auto d = read_diff(served_diff(a, b, "2", "draft"));
    ASSERT_TRUE(d.ok());
    ASSERT_EQ(d->nodes_changed.size(), 1u);
    EXPECT_EQ(d->nodes_changed[0].changes[0].field, "config.record");
    EXPECT_EQ(d->nodes_changed[0].changes[0].before, std::nullopt);
    EXPECT_EQ(d->nodes_changed[0].changes[0].after, std::optional<std::string>("true"));
    ASSERT_EQ(d->workflow_changes.size(), 1u);
    EXPECT_EQ(d->workflow_changes[0].field, "settings.timezone");
    EXPECT_TRUE(d->runs_differently());
}

TEST(Diff, ABadShapeIsAnError) {
    for (const char* bad :
         {R"({"edges": {"added": [], "removed": [], "changed": []}, "workflow": {"changes": []}})",
          R"({"nodes": {"added": [], "removed": []}, "edges": {"added": [], "removed": [],
              "changed": []}, "workflow": {"changes": []}})",
          R"({"nodes": {"added": [], "removed": [], "changed": [{"id": "n", "changes": [{}]}]},
              "edges": {"added": [], "removed": [], "changed": []}, "workflow": {"changes": []}})",
          R"({"nodes": {"added": [], "removed": [], "changed": []},
              "edges": {"added": [], "removed": [], "changed": []}})"}) {
        auto d = read_diff(Json::parse(bad));
        ASSERT_FALSE(d.ok()) << bad;
        EXPECT_EQ(d.status().message().rfind("diff answer: ", 0), 0u) << d.status().message();
    }
}

TEST(DraftStatusLine, SaysHowTheDraftStandsAgainstTheNewestVersion) {
    const Graph v = fixture_graph("lead_nurture.json");
    EXPECT_EQ(draft_status_line(std::nullopt, nullptr), "Not published yet");
    EXPECT_EQ(draft_status_line(3, nullptr), "Draft vs version 3: checking...");
    auto same = read_diff(served_diff(v, v, "3", "draft"));
    ASSERT_TRUE(same.ok());
    EXPECT_TRUE(same->empty());
    EXPECT_EQ(draft_status_line(3, &*same), "Draft matches version 3");
    Graph moved = v;
    moved.nodes[2].position_x += 40;
    auto layout = read_diff(served_diff(v, moved, "3", "draft"));
    ASSERT_TRUE(layout.ok());
    EXPECT_FALSE(layout->runs_differently());
    EXPECT_EQ(draft_status_line(3, &*layout),
              "Draft differs from version 3 in node positions only");
    auto edited = read_diff(served_diff(v, edited_nurture(), "3", "draft"));
    ASSERT_TRUE(edited.ok());
    EXPECT_EQ(draft_status_line(3, &*edited), "Draft differs from version 3");
}

// [SECTION] Diff on the canvas

TEST(DiffOverlay, MarksTheDraftsElementsAndPutsGhostsWhereTheVersionHadThem) {
    const Graph v1 = fixture_graph("lead_nurture.json");
    auto d = read_diff(served_diff(v1, edited_nurture(), "1", "draft"));
    ASSERT_TRUE(d.ok());
    const DiffOverlay o = diff_overlay(*d, v1);
    EXPECT_EQ(o.nodes.at("node_wait_short"), DiffMark::kAdded);
    EXPECT_EQ(o.nodes.at("node_call1"), DiffMark::kChanged);
    EXPECT_EQ(o.node_changes.at("node_call1"), 2);
    EXPECT_EQ(o.nodes.at("node_unresponsive"), DiffMark::kMoved);
    EXPECT_EQ(o.nodes.count("node_call2"), 0u);  // unchanged
    EXPECT_EQ(o.edges.at("edge_12"), DiffMark::kAdded);
    EXPECT_EQ(o.edges.at("edge_5"), DiffMark::kChanged);
    EXPECT_EQ(o.edges.size(), 2u);

    GraphIndex idx;
    idx.build(v1);
    ASSERT_EQ(o.ghost_nodes.size(), 2u);
    const GhostNode& call3 = o.ghost_nodes[0];
    EXPECT_EQ(call3.id, "node_call3");
    EXPECT_EQ(call3.label, "Third call");
    EXPECT_EQ(call3.type, NodeType::kVoiceCall);
    const Rect want = idx.node_rect(v1, idx.node_index("node_call3"));
    EXPECT_EQ(call3.world.min.x, want.min.x);
    EXPECT_EQ(call3.world.min.y, want.min.y);
    EXPECT_EQ(call3.world.max.x, want.max.x);
    EXPECT_EQ(call3.world.max.y, want.max.y);
    EXPECT_EQ(call3.world.min.x, 1120.0f);  // the version's position
    // Every removed edge has both ends in the version: one ghost each, with the version's edge
    // and its pins there (ghost_routes.hpp routes it on the canvas).
    ASSERT_EQ(o.ghost_edges.size(), 4u);
    for (const GhostEdge& g : o.ghost_edges) {
        const int e = idx.edge_index(g.id);
        ASSERT_GE(e, 0) << g.id;
        EXPECT_EQ(g.edge.from_node_id, v1.edges[static_cast<std::size_t>(e)].from_node_id);
        EXPECT_EQ(g.edge.to_node_id, v1.edges[static_cast<std::size_t>(e)].to_node_id);
        Curve c;
        ASSERT_TRUE(idx.edge_curve_world(v1, e, &c)) << g.id;
        EXPECT_EQ(g.start.x, c.p0.x) << g.id;
        EXPECT_EQ(g.start.y, c.p0.y) << g.id;
        EXPECT_EQ(g.end.x, c.p3.x) << g.id;
        EXPECT_EQ(g.end.y, c.p3.y) << g.id;
    }
}

TEST(DiffOverlay, WithoutTheVersionGraphGhostsComeFromTheDiffsCopies) {
    const Graph v1 = fixture_graph("lead_nurture.json");
    auto d = read_diff(served_diff(v1, edited_nurture(), "1", "draft"));
    ASSERT_TRUE(d.ok());
    const DiffOverlay o = diff_overlay(*d, Graph{});
    ASSERT_EQ(o.ghost_nodes.size(), 2u);
    EXPECT_EQ(o.ghost_nodes[1].id, "node_wait2");
    EXPECT_EQ(o.ghost_nodes[1].world.min.x, 840.0f);
    EXPECT_EQ(o.ghost_nodes[1].world.min.y, 120.0f);
    EXPECT_GT(o.ghost_nodes[1].world.width(), 0.0f);
    // No ghost edges without the version's nodes.
    EXPECT_TRUE(o.ghost_edges.empty());
}

}  // namespace
}  // namespace leadflow::web
