// The version diff's ghost edges (edges the draft removed) routed like live edges: orthogonal,
// around every card on the canvas (the editor's and the ghosts), attached to the cards drawn,
// and cached so that a frame in which nothing moved routes nothing (docs/editor.md, Versions).
#include "ghost_routes.hpp"

#include <gtest/gtest.h>

#include <string>

#include "graph_index.hpp"
#include "versions_data.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::make_edge;
using testing::make_node;

// Version: A → B → C in a row. Draft: B and both edges removed, C moved down, and a new card X
// right where the A → B edge ran.
struct Scene {
    Graph version, draft;
    DiffOverlay overlay;
    GraphIndex idx;
};

Scene make_scene() {
    Scene s;
    s.version.nodes = {make_node("A", NodeType::kVoiceCall, 0, 0),
                       make_node("B", NodeType::kVoiceCall, 500, 0),
                       make_node("C", NodeType::kVoiceCall, 1000, 0)};
    s.version.edges = {make_edge("e_ab", "A", "B", "COMPLETED"),
                       make_edge("e_bc", "B", "C", "NO_ANSWER")};
    s.draft.nodes = {make_node("A", NodeType::kVoiceCall, 0, 0),
                     make_node("C", NodeType::kVoiceCall, 1000, 400),
                     make_node("X", NodeType::kVoiceCall, 260, -20)};
    DiffView d;
    d.nodes_removed = {{"B", "B", "VOICE_CALL", {}}};
    d.nodes_added = {{"X", "X", "VOICE_CALL", {}}};
    d.edges_removed = {{"e_ab", "COMPLETED", "", {}}, {"e_bc", "NO_ANSWER", "", {}}};
    s.overlay = diff_overlay(d, s.version);
    s.idx.build(s.draft);
    return s;
}

bool axis_aligned(Vec2 a, Vec2 b) {
    return a.x == b.x || a.y == b.y;
}

TEST(GhostRoutes, RemovedEdgesGoAroundEveryCardAndAttachToTheCardsDrawn) {
    Scene s = make_scene();
    ASSERT_EQ(s.overlay.ghost_nodes.size(), 1u);
    ASSERT_EQ(s.overlay.ghost_edges.size(), 2u);
    const Rect ghost_b = s.overlay.ghost_nodes[0].world;
    GhostRoutes routes;
    EXPECT_EQ(routes.update(s.draft, s.idx, s.overlay), 2);
    ASSERT_EQ(routes.size(), 2u);

    const int a = s.idx.node_index("A"), c = s.idx.node_index("C"), x = s.idx.node_index("X");
    // A → ghost B: out of A's COMPLETED pin in the draft, into B's input pin in the version.
    const std::vector<Vec2>& ab = routes.points(0);
    ASSERT_GE(ab.size(), 2u);
    const Vec2 a_pin = s.idx.output_pin_world(s.draft, a, 0);
    EXPECT_EQ(ab.front().x, a_pin.x);
    EXPECT_EQ(ab.front().y, a_pin.y);
    EXPECT_EQ(ab.back().x, s.overlay.ghost_edges[0].end.x);
    EXPECT_EQ(ab.back().y, s.overlay.ghost_edges[0].end.y);
    EXPECT_EQ(ab.back().x, ghost_b.min.x);
    // Ghost B → C: from B's pin in the version, into C where the draft has moved it.
    const std::vector<Vec2>& bc = routes.points(1);
    ASSERT_GE(bc.size(), 2u);
    EXPECT_EQ(bc.front().x, s.overlay.ghost_edges[1].start.x);
    EXPECT_EQ(bc.front().y, s.overlay.ghost_edges[1].start.y);
    const Vec2 c_in = s.idx.input_pin_world(s.draft, c);
    EXPECT_EQ(bc.back().x, c_in.x);
    EXPECT_EQ(bc.back().y, c_in.y);

    // Orthogonal, and through no card but their own ends: X sits on the straight line A → B
    // (the old curve crossed it), and C is no obstacle of A → B.
    const Rect x_card = s.idx.node_rect(s.draft, x);
    ASSERT_TRUE(segment_enters_rect(a_pin, s.overlay.ghost_edges[0].end, x_card));
    for (std::size_t e = 0; e < 2; ++e) {
        const std::vector<Vec2>& pts = routes.points(e);
        for (std::size_t i = 1; i < pts.size(); ++i) {
            EXPECT_TRUE(axis_aligned(pts[i - 1], pts[i])) << e << "/" << i;
            EXPECT_FALSE(segment_enters_rect(pts[i - 1], pts[i], x_card)) << e << "/" << i;
        }
    }
    for (std::size_t i = 1; i < ab.size(); ++i) {
        EXPECT_FALSE(segment_enters_rect(ab[i - 1], ab[i], s.idx.node_rect(s.draft, c)));
    }
    for (std::size_t i = 1; i < bc.size(); ++i) {
        EXPECT_FALSE(segment_enters_rect(bc[i - 1], bc[i], s.idx.node_rect(s.draft, a)));
    }
}

TEST(GhostRoutes, AFrameInWhichNothingMovedRoutesNothing) {
    Scene s = make_scene();
    GhostRoutes routes;
    EXPECT_EQ(routes.update(s.draft, s.idx, s.overlay), 2);
    EXPECT_EQ(routes.update(s.draft, s.idx, s.overlay), 0);
    EXPECT_EQ(routes.update(s.draft, s.idx, s.overlay), 0);

    // Moving C (an end of B → C) reroutes that edge, and its end follows the card.
    s.draft.nodes[static_cast<std::size_t>(s.idx.node_index("C"))].position_y = 600;
    EXPECT_GE(routes.update(s.draft, s.idx, s.overlay), 1);
    const Vec2 c_in = s.idx.input_pin_world(s.draft, s.idx.node_index("C"));
    EXPECT_EQ(routes.points(1).back().y, c_in.y);
    EXPECT_EQ(routes.update(s.draft, s.idx, s.overlay), 0);

    // clear() forgets the routes: the next update routes every ghost edge.
    routes.clear();
    EXPECT_EQ(routes.update(s.draft, s.idx, s.overlay), 2);
}

TEST(GhostRoutes, AnEndWithNoCardGetsNoRoute) {
    Scene s = make_scene();
    // The ghost card of B missing (no version position for it): the edges touching B have
    // nothing to attach to.
    s.overlay.ghost_nodes.clear();
    GhostRoutes routes;
    routes.update(s.draft, s.idx, s.overlay);
    ASSERT_EQ(routes.size(), 2u);
    EXPECT_TRUE(routes.points(0).empty());
    EXPECT_TRUE(routes.points(1).empty());
}

}  // namespace
}  // namespace leadflow::web
