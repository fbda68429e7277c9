// Edge routing (edge_routing.hpp): routes go around every card that is not one of their ends,
// start and end at the right pins, are orthogonal and deterministic, and the cache reroutes only
// what a move touches.
#include "edge_routing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <string>

#include "editor.hpp"
#include "graph_index.hpp"
#include "layout.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::fixture_graph;
using testing::make_edge;
using testing::make_node;

using testing::kReferenceFixtures;

// Every routed segment of `g` (as the index routes it) that passes through a card other than
// the edge's own two, as "edge/node" strings.
std::vector<std::string> crossings(const Graph& g, const GraphIndex& idx,
                                   const EdgeRoutes& routes) {
    std::vector<std::string> out;
    for (int e = 0; e < static_cast<int>(routes.size()); ++e) {
        const std::vector<Vec2>& pts = routes.points(e);
        const GraphIndex::EdgeEnds& ends = idx.edge_ends(e);
        for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) {
            if (i == ends.from || i == ends.to) continue;
            const Rect r = idx.node_rect(g, i);
            for (std::size_t k = 1; k < pts.size(); ++k) {
                if (segment_enters_rect(pts[k - 1], pts[k], r)) {
                    out.push_back(g.edges[static_cast<std::size_t>(e)].id + "/" +
                                  g.nodes[static_cast<std::size_t>(i)].id);
                    break;
                }
            }
        }
    }
    return out;
}
std::vector<std::string> crossings(const Graph& g, const GraphIndex& idx) {
    return crossings(g, idx, idx.routes(g));
}

// Checks that every routed edge starts at its output pin, ends at its target's input pin, and
// is made of horizontal and vertical segments only.
void expect_attached_and_orthogonal(const Graph& g, const GraphIndex& idx,
                                    const std::string& what) {
    const EdgeRoutes& routes = idx.routes(g);
    ASSERT_EQ(routes.size(), g.edges.size()) << what;
    for (int e = 0; e < static_cast<int>(routes.size()); ++e) {
        const GraphIndex::EdgeEnds& ends = idx.edge_ends(e);
        const std::vector<Vec2>& pts = routes.points(e);
        if (ends.from < 0 || ends.to < 0) {
            EXPECT_TRUE(pts.empty()) << what;
            continue;
        }
        ASSERT_GE(pts.size(), 2u) << what;
        const Vec2 from = idx.output_pin_world(g, ends.from, ends.pin);
        const Vec2 to = idx.input_pin_world(g, ends.to);
        EXPECT_EQ(pts.front().x, from.x) << what << " edge " << e;
        EXPECT_EQ(pts.front().y, from.y) << what << " edge " << e;
        EXPECT_EQ(pts.back().x, to.x) << what << " edge " << e;
        EXPECT_EQ(pts.back().y, to.y) << what << " edge " << e;
        // The last segment enters the input pin from the left.
        EXPECT_LT(pts[pts.size() - 2].x, to.x) << what << " edge " << e;
        for (std::size_t k = 1; k < pts.size(); ++k) {
            EXPECT_TRUE(pts[k].x == pts[k - 1].x || pts[k].y == pts[k - 1].y)
                << what << " edge " << e << " segment " << k;
        }
    }
}

// A seeded random workflow: `n` nodes of mixed types on a jittered grid (no overlaps), each
// non-terminal node with edges to random others, forwards and backwards.
Graph random_graph(int n, unsigned seed) {
    std::mt19937 rng(seed);
    Graph g;
    const NodeType types[] = {NodeType::kVoiceCall, NodeType::kTime, NodeType::kVoiceCall,
                              NodeType::kConverted, NodeType::kDropped};
    const int cols = std::max(1, static_cast<int>(std::sqrt(n)));
    for (int i = 0; i < n; ++i) {
        const NodeType t = types[rng() % 5];
        const double x = (i % cols) * 320.0 + static_cast<double>(rng() % 60);
        const double y = (i / cols) * 240.0 + static_cast<double>(rng() % 60);
        g.nodes.push_back(make_node("n" + std::to_string(i), t, x, y));
    }
    int id = 0;
    for (int i = 0; i < n; ++i) {
        const NodeType t = g.nodes[static_cast<std::size_t>(i)].type;
        if (t == NodeType::kConverted || t == NodeType::kDropped) continue;
        const char* const labels[] = {"COMPLETED", "DNP", "FAILED"};
        const int count = t == NodeType::kVoiceCall ? 3 : 1;
        for (int k = 0; k < count; ++k) {
            const int to = static_cast<int>(rng() % static_cast<unsigned>(n));
            g.edges.push_back(make_edge(
                "e" + std::to_string(id), "n" + std::to_string(i), "n" + std::to_string(to),
                t == NodeType::kVoiceCall ? std::optional<std::string>(labels[k]) : std::nullopt,
                id));
            ++id;
        }
    }
    return g;
}

TEST(EdgeRouting, SegmentEntersRect) {
    const Rect r{{0, 0}, {100, 50}};
    EXPECT_TRUE(segment_enters_rect({-10, 25}, {110, 25}, r));
    EXPECT_TRUE(segment_enters_rect({50, 25}, {50, 26}, r)) << "wholly inside";
    EXPECT_FALSE(segment_enters_rect({-10, 0}, {110, 0}, r)) << "along the border";
    EXPECT_FALSE(segment_enters_rect({-10, -1}, {110, -1}, r));
    EXPECT_FALSE(segment_enters_rect({100, 25}, {150, 25}, r)) << "leaving from the border";
    EXPECT_TRUE(segment_enters_rect({-10, -10}, {110, 60}, r)) << "diagonal";
}

TEST(EdgeRouting, TemplatesAvoidEveryOtherCard) {
    for (const char* name : kReferenceFixtures) {
        const Graph g = fixture_graph(name);
        GraphIndex idx;
        idx.build(g);
        EXPECT_EQ(crossings(g, idx), std::vector<std::string>{}) << name;
        expect_attached_and_orthogonal(g, idx, name);
    }
}

TEST(EdgeRouting, LeadNurtureFailedEdgesGoAroundTheCardsBetween) {
    // As placed in the template, the straight way from call 1 to "failed" runs through wait 1
    // and the cards after it.
    const Graph g = fixture_graph("lead_nurture.json");
    GraphIndex idx;
    idx.build(g);
    const int e = idx.edge_index("edge_3");
    ASSERT_GE(e, 0);
    const Curve c = edge_curve(idx.output_pin_world(g, idx.edge_ends(e).from, idx.edge_ends(e).pin),
                               idx.input_pin_world(g, idx.edge_ends(e).to));
    const Rect wait1 = idx.node_rect(g, idx.node_index("node_wait1"));
    bool curve_crosses = false;
    for (int k = 1; k <= 32; ++k) {
        curve_crosses |= segment_enters_rect(c.at((k - 1) / 32.0f), c.at(k / 32.0f), wait1);
    }
    EXPECT_TRUE(curve_crosses) << "the unrouted curve crosses wait 1";
    const std::vector<Vec2>& pts = idx.routes(g).points(e);
    for (std::size_t k = 1; k < pts.size(); ++k) {
        EXPECT_FALSE(segment_enters_rect(pts[k - 1], pts[k], wait1)) << k;
    }
}

TEST(EdgeRouting, LaidOutTemplatesAvoidEveryOtherCard) {
    for (const char* name : kReferenceFixtures) {
        Editor ed;
        Graph g = fixture_graph(name);
        for (Node& n : g.nodes) n.position_x = n.position_y = 0;
        ed.load(g, false);
        ed.auto_layout();
        EXPECT_EQ(crossings(ed.graph(), ed.index()), std::vector<std::string>{}) << name;
        expect_attached_and_orthogonal(ed.graph(), ed.index(), name);
    }
}

TEST(EdgeRouting, RandomGraphsAvoidEveryOtherCard) {
    for (unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
        const Graph g = random_graph(60, seed);
        GraphIndex idx;
        idx.build(g);
        const std::string what = "seed " + std::to_string(seed);
        EXPECT_EQ(crossings(g, idx), std::vector<std::string>{}) << what;
        expect_attached_and_orthogonal(g, idx, what);
    }
}

TEST(EdgeRouting, SelfLoopAndBackEdgeGoAroundTheirOwnCards) {
    Graph g;
    g.nodes.push_back(make_node("a", NodeType::kTime, 0, 0));
    g.nodes.push_back(make_node("b", NodeType::kTime, 400, 0));
    g.edges.push_back(make_edge("loop", "a", "a"));
    g.edges.push_back(make_edge("back", "b", "a"));
    GraphIndex idx;
    idx.build(g);
    const EdgeRoutes& routes = idx.routes(g);
    for (int e = 0; e < 2; ++e) {
        const std::vector<Vec2>& pts = routes.points(e);
        ASSERT_GE(pts.size(), 4u);
        // Apart from the segments that attach to the pins, nothing enters either card.
        for (std::size_t k = 2; k + 1 < pts.size(); ++k) {
            for (int i = 0; i < 2; ++i) {
                EXPECT_FALSE(segment_enters_rect(pts[k - 1], pts[k], idx.node_rect(g, i)))
                    << g.edges[static_cast<std::size_t>(e)].id << " segment " << k;
            }
        }
    }
    expect_attached_and_orthogonal(g, idx, "loops");
}

TEST(EdgeRouting, IsDeterministic) {
    const Graph g = random_graph(80, 7);
    GraphIndex a, b;
    a.build(g);
    b.build(g);
    const EdgeRoutes& ra = a.routes(g);
    const EdgeRoutes& rb = b.routes(g);
    ASSERT_EQ(ra.size(), rb.size());
    for (int e = 0; e < static_cast<int>(ra.size()); ++e) {
        ASSERT_EQ(ra.points(e).size(), rb.points(e).size()) << e;
        for (std::size_t k = 0; k < ra.points(e).size(); ++k) {
            EXPECT_EQ(ra.points(e)[k].x, rb.points(e)[k].x);
            EXPECT_EQ(ra.points(e)[k].y, rb.points(e)[k].y);
        }
    }
}

TEST(EdgeRouting, AVersionedCallReusesTheRoutesUntilTheVersionChanges) {
    Graph g = random_graph(40, 5);
    GraphIndex idx;
    idx.build(g);
    const std::vector<Vec2> before = idx.routes(g, 7).points(0);
    ASSERT_GE(before.size(), 2u);
    const int from = idx.edge_ends(0).from;
    g.nodes[static_cast<std::size_t>(from)].position_y += 500;
    // Same version: the routes as they were, g not looked at.
    EXPECT_EQ(idx.routes(g, 7).points(0).front().y, before.front().y);
    // A new version, or none, compares with the cards again.
    EXPECT_EQ(idx.routes(g, 8).points(0).front().y, before.front().y + 500);
    g.nodes[static_cast<std::size_t>(from)].position_y -= 500;
    EXPECT_EQ(idx.routes(g, 0).points(0).front().y, before.front().y);
    // Rebuilding the index forgets the version.
    idx.build(g);
    g.nodes[static_cast<std::size_t>(from)].position_y += 100;
    EXPECT_EQ(idx.routes(g, 8).points(0).front().y, before.front().y + 100);
}

TEST(EdgeRouting, TheEditorsRoutesFollowEveryEditIncludingMoves) {
    Editor ed;
    ed.load(random_graph(40, 5), false);
    const std::vector<Vec2> before = ed.routes().points(0);
    ASSERT_GE(before.size(), 2u);
    ed.select_node(ed.graph().nodes[static_cast<std::size_t>(ed.index().edge_ends(0).from)].id,
                   false);
    ed.move_selection({0.0f, 300.0f});
    EXPECT_EQ(ed.routes().points(0).front().y, before.front().y + 300);
    ed.undo();
    EXPECT_EQ(ed.routes().points(0).front().y, before.front().y);
    const Vec2 mid = polyline_midpoint(ed.routes().points(0));
    EXPECT_EQ(ed.hit_test(mid, 2.0f).kind, Hit::kEdge);
}

TEST(EdgeRouting, MovingACardReroutesOnlyWhatItTouches) {
    Graph g = random_graph(200, 11);
    GraphIndex idx;
    idx.build(g);
    std::vector<Rect> cards;
    std::vector<RouteRequest> requests;
    // Through the router directly, to see how many edges each update routes.
    idx.routes(g);
    EdgeRoutes routes;
    auto inputs = [&](const Graph& graph) {
        idx.build(graph);
        cards.clear();
        requests.clear();
        for (int i = 0; i < static_cast<int>(graph.nodes.size()); ++i)
            cards.push_back(idx.node_rect(graph, i));
        for (int e = 0; e < static_cast<int>(graph.edges.size()); ++e) {
            const GraphIndex::EdgeEnds& ends = idx.edge_ends(e);
            RouteRequest r;
            r.from = ends.from;
            r.to = ends.to;
            r.start = idx.output_pin_world(graph, ends.from, ends.pin);
            if (ends.pin < 0) r.start_dir = {0, 1};
            r.end = idx.input_pin_world(graph, ends.to);
            requests.push_back(r);
        }
    };
    inputs(g);
    EXPECT_EQ(routes.update(cards, requests), static_cast<int>(g.edges.size()));
    EXPECT_EQ(routes.update(cards, requests), 0) << "nothing moved";
    g.nodes[5].position_x += 37;
    inputs(g);
    const int rerouted = routes.update(cards, requests);
    EXPECT_GT(rerouted, 0);
    EXPECT_LT(rerouted, static_cast<int>(g.edges.size()) / 4);
    EXPECT_EQ(crossings(g, idx, routes), std::vector<std::string>{});
    // A new edge is the only one routed.
    g.edges.push_back(make_edge("new", "n3", "n150", std::nullopt, 999));
    inputs(g);
    EXPECT_EQ(routes.update(cards, requests), 1);
    EXPECT_EQ(crossings(g, idx, routes), std::vector<std::string>{});
    // Deleting a node (its card and edges go, indices shift) reroutes only what went near it.
    const std::string gone = g.nodes[40].id;
    g.nodes.erase(g.nodes.begin() + 40);
    g.edges.erase(std::remove_if(g.edges.begin(), g.edges.end(),
                                 [&](const Edge& e) {
                                     return e.from_node_id == gone || e.to_node_id == gone;
                                 }),
                  g.edges.end());
    inputs(g);
    const int after_delete = routes.update(cards, requests);
    EXPECT_LT(after_delete, static_cast<int>(g.edges.size()) / 4);
    EXPECT_EQ(crossings(g, idx, routes), std::vector<std::string>{});
    // And the index, which caches the same way, avoids the moved card too.
    idx.routes(g);
    EXPECT_EQ(crossings(g, idx), std::vector<std::string>{});
}

TEST(EdgeRouting, PolylineHelpers) {
    const std::vector<Vec2> pts{{0, 0}, {100, 0}, {100, 100}};
    Vec2 dir;
    const Vec2 mid = polyline_midpoint(pts, &dir);
    EXPECT_FLOAT_EQ(mid.x, 100);
    EXPECT_FLOAT_EQ(mid.y, 0);
    const Vec2 q = polyline_midpoint({{0, 0}, {10, 0}, {10, 30}}, &dir);
    EXPECT_FLOAT_EQ(q.x, 10);
    EXPECT_FLOAT_EQ(q.y, 10);
    EXPECT_FLOAT_EQ(dir.y, 1);
    EXPECT_FLOAT_EQ(distance_to_polyline(pts, {50, 10}), 10);
    EXPECT_FLOAT_EQ(distance_to_polyline(pts, {110, 50}), 10);
}

// 2,000 cards laid out by auto_layout with chains and cross links: routing everything stays well
// within what the editor can afford when a graph opens.
TEST(EdgeRouting, TwoThousandNodesRouteQuicklyAndCleanly) {
    std::mt19937 rng(3);
    Graph g;
    for (int i = 0; i < 2000; ++i) {
        const bool call = i % 2 == 0;
        g.nodes.push_back(
            make_node("n" + std::to_string(i), call ? NodeType::kVoiceCall : NodeType::kTime));
    }
    int id = 0;
    for (int i = 0; i + 1 < 2000; ++i) {
        const bool call = i % 2 == 0;
        g.edges.push_back(make_edge("e" + std::to_string(id), "n" + std::to_string(i),
                                    "n" + std::to_string(i + 1),
                                    call ? std::optional<std::string>("DNP") : std::nullopt, id));
        ++id;
        if (call) {
            const int to = std::min(1999, i + 1 + static_cast<int>(rng() % 40));
            g.edges.push_back(make_edge("e" + std::to_string(id), "n" + std::to_string(i),
                                        "n" + std::to_string(to), std::string("FAILED"), id));
            ++id;
        }
    }
    Editor ed;
    ed.load(g, false);
    ed.auto_layout();
    const auto t0 = std::chrono::steady_clock::now();
    const EdgeRoutes& routes = ed.index().routes(ed.graph());
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("routed %zu edges of 2,000 nodes in %.1f ms\n", routes.size(), ms);
    EXPECT_EQ(crossings(ed.graph(), ed.index()), std::vector<std::string>{});
}

// [SECTION] Layout order

// Crossings between edges of `g` whose ends lie in neighbouring columns (x positions), each edge
// placed at its source pin and its target's input pin.
int adjacent_crossings(const Graph& g, const GraphIndex& idx) {
    std::vector<std::pair<Vec2, Vec2>> spans;
    for (int e = 0; e < static_cast<int>(g.edges.size()); ++e) {
        const GraphIndex::EdgeEnds& ends = idx.edge_ends(e);
        if (ends.from < 0 || ends.to < 0) continue;
        spans.push_back(
            {idx.output_pin_world(g, ends.from, ends.pin), idx.input_pin_world(g, ends.to)});
    }
    int count = 0;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        for (std::size_t j = i + 1; j < spans.size(); ++j) {
            const auto& [a0, a1] = spans[i];
            const auto& [b0, b1] = spans[j];
            if (a0.x != b0.x || a1.x != b1.x) continue;  // not the same pair of columns
            if ((a0.y < b0.y && a1.y > b1.y) || (a0.y > b0.y && a1.y < b1.y)) ++count;
        }
    }
    return count;
}

Graph laid_out(Graph g) {
    Editor ed;
    for (Node& n : g.nodes) n.position_x = n.position_y = 0;
    ed.load(g, false);
    ed.auto_layout();
    return ed.graph();
}

TEST(LayoutOrder, ChildrenStackInTheOrderOfTheirPins) {
    // A call whose edges are listed (and positioned) in reverse pin order: the layout still puts
    // the COMPLETED child above the DNP child above the FAILED child.
    Graph g;
    g.nodes.push_back(make_node("call", NodeType::kVoiceCall));
    g.nodes.push_back(make_node("failed", NodeType::kDropped));
    g.nodes.push_back(make_node("dnp", NodeType::kTime));
    g.nodes.push_back(make_node("done", NodeType::kConverted));
    g.edges.push_back(make_edge("e0", "call", "failed", "FAILED", 0));
    g.edges.push_back(make_edge("e1", "call", "dnp", "DNP", 1));
    g.edges.push_back(make_edge("e2", "call", "done", "COMPLETED", 2));
    const Graph out = laid_out(g);
    const double y_done = out.find_node("done")->position_y;
    const double y_dnp = out.find_node("dnp")->position_y;
    const double y_failed = out.find_node("failed")->position_y;
    EXPECT_LT(y_done, y_dnp);
    EXPECT_LT(y_dnp, y_failed);
    GraphIndex idx;
    idx.build(out);
    EXPECT_EQ(adjacent_crossings(out, idx), 0);
}

TEST(LayoutOrder, SamePinFollowsEdgePosition) {
    // Two edges from the default pin of a condition: the one with the lower position on top.
    Graph g;
    g.nodes.push_back(make_node("wait", NodeType::kTime));
    g.nodes.push_back(make_node("b", NodeType::kConverted));
    g.nodes.push_back(make_node("a", NodeType::kDropped));
    g.edges.push_back(make_edge("e0", "wait", "b", std::nullopt, 5));
    g.edges.push_back(make_edge("e1", "wait", "a", std::nullopt, 1));
    const Graph out = laid_out(g);
    EXPECT_LT(out.find_node("a")->position_y, out.find_node("b")->position_y);
}

TEST(LayoutOrder, DoesNotDependOnTheOrderEdgesAreListedIn) {
    for (const char* name : kReferenceFixtures) {
        Graph g = fixture_graph(name);
        Graph reversed = g;
        std::reverse(reversed.edges.begin(), reversed.edges.end());
        const Graph a = laid_out(g), b = laid_out(reversed);
        for (std::size_t i = 0; i < a.nodes.size(); ++i) {
            EXPECT_EQ(a.nodes[i].position_x, b.nodes[i].position_x) << name << " " << a.nodes[i].id;
            EXPECT_EQ(a.nodes[i].position_y, b.nodes[i].position_y) << name << " " << a.nodes[i].id;
        }
    }
}

TEST(LayoutOrder, ReferenceWorkflowsAndTreesLayOutWithoutCrossings) {
    for (const char* name : kReferenceFixtures) {
        const Graph out = laid_out(fixture_graph(name));
        GraphIndex idx;
        idx.build(out);
        EXPECT_EQ(adjacent_crossings(out, idx), 0) << name;
    }
    // A seeded random tree of calls (each pin to a new node), edges listed shuffled.
    std::mt19937 rng(9);
    Graph tree;
    tree.nodes.push_back(make_node("n0", NodeType::kVoiceCall));
    const char* const labels[] = {"COMPLETED", "DNP", "FAILED"};
    for (int i = 1; i < 40; ++i) {
        const int parent = static_cast<int>(rng() % static_cast<unsigned>(i));
        tree.nodes.push_back(make_node("n" + std::to_string(i), NodeType::kVoiceCall));
        tree.edges.push_back(make_edge("e" + std::to_string(i), "n" + std::to_string(parent),
                                       "n" + std::to_string(i), std::string(labels[rng() % 3]), i));
    }
    std::shuffle(tree.edges.begin(), tree.edges.end(), rng);
    const Graph out = laid_out(tree);
    GraphIndex idx;
    idx.build(out);
    EXPECT_EQ(adjacent_crossings(out, idx), 0);
}

}  // namespace
}  // namespace leadflow::web
