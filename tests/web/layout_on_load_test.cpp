// Auto-layout on load: the "needs layout" decision (cards_overlap) and
// Editor::arrange_if_overlapping, which the app runs on every graph it opens.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "editor.hpp"
#include "layout.hpp"
#include "leadflow/wire.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::fixture_graph;
using testing::make_edge;
using testing::make_node;

using testing::kReferenceFixtures;

// Card sizes as the editor draws them.
std::function<Vec2(std::size_t)> card_sizes(const Graph& g, GraphIndex& idx) {
    idx.build(g);
    return [&idx](std::size_t i) {
        const NodeShape& s = idx.shape(static_cast<int>(i));
        return Vec2{s.width, s.height};
    };
}

bool needs_layout(const Graph& g) {
    GraphIndex idx;
    return cards_overlap(g, card_sizes(g, idx));
}

// Every pair compared: the reference the bucketed test is checked against.
bool any_pair_overlaps(const Graph& g, const std::function<Vec2(std::size_t)>& size) {
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        for (std::size_t j = i + 1; j < g.nodes.size(); ++j) {
            const Vec2 a{static_cast<float>(g.nodes[i].position_x),
                         static_cast<float>(g.nodes[i].position_y)};
            const Vec2 b{static_cast<float>(g.nodes[j].position_x),
                         static_cast<float>(g.nodes[j].position_y)};
            const Vec2 sa = size(i), sb = size(j);
            if (a.x < b.x + sb.x && b.x < a.x + sa.x && a.y < b.y + sb.y && b.y < a.y + sa.y) {
                return true;
            }
        }
    }
    return false;
}

Graph without_positions(Graph g) {
    for (Node& n : g.nodes) n.position_x = n.position_y = 0;
    return g;
}

// [SECTION] The decision

TEST(NeedsLayout, GraphsWithoutPositionsNeedIt) {
    for (const char* name : kReferenceFixtures) {
        EXPECT_TRUE(needs_layout(without_positions(fixture_graph(name)))) << name;
    }
    // As a DialNexa client builds them through the API: two steps, no positions.
    Graph g;
    g.nodes.push_back(make_node("call", NodeType::kVoiceCall));
    g.nodes.push_back(make_node("won", NodeType::kConverted));
    EXPECT_TRUE(needs_layout(g));
}

TEST(NeedsLayout, PartialOverlapNeedsIt) {
    Graph g = fixture_graph("lead_nurture.json");
    ASSERT_FALSE(needs_layout(g));
    // One card moved so that it covers a corner of another.
    g.nodes[1].position_x = g.nodes[0].position_x + 150;
    g.nodes[1].position_y = g.nodes[0].position_y + 30;
    EXPECT_TRUE(needs_layout(g));
}

TEST(NeedsLayout, WellLaidOutGraphsDoNot) {
    for (const char* name : kReferenceFixtures)
        EXPECT_FALSE(needs_layout(fixture_graph(name))) << name;
    Graph g;
    EXPECT_FALSE(needs_layout(g)) << "empty";
    g.nodes.push_back(make_node("only", NodeType::kTime));
    EXPECT_FALSE(needs_layout(g)) << "one card at 0, 0";
    // Cards that touch but do not overlap.
    g.nodes.push_back(make_node("right", NodeType::kTime, kNodeWidth, 0));
    EXPECT_FALSE(needs_layout(g));
    // A grid far from the origin, at negative coordinates, and a card very far away.
    Graph grid;
    for (int i = 0; i < 400; ++i) {
        grid.nodes.push_back(make_node("n" + std::to_string(i), NodeType::kTime,
                                       -50000.0 + (i % 20) * 260.0, -9000.0 + (i / 20) * 200.0));
    }
    grid.nodes.push_back(make_node("far", NodeType::kTime, 4e6, -4e6));
    EXPECT_FALSE(needs_layout(grid));
    grid.nodes.push_back(make_node("far_twin", NodeType::kTime, 4e6 + 10, -4e6 + 10));
    EXPECT_TRUE(needs_layout(grid));
}

TEST(NeedsLayout, AgreesWithComparingEveryPair) {
    std::mt19937 rng(18);
    for (int round = 0; round < 300; ++round) {
        Graph g;
        const int n = 2 + static_cast<int>(rng() % 40);
        const double spread = 200.0 + static_cast<double>(rng() % 4000);
        std::uniform_real_distribution<double> at(-spread, spread);
        for (int i = 0; i < n; ++i) {
            const NodeType t = i % 3 == 0 ? NodeType::kVoiceCall : NodeType::kTime;
            g.nodes.push_back(
                make_node("n" + std::to_string(i), t, std::round(at(rng)), std::round(at(rng))));
        }
        GraphIndex idx;
        const auto size = card_sizes(g, idx);
        EXPECT_EQ(cards_overlap(g, size), any_pair_overlaps(g, size)) << "round " << round;
    }
}

// [SECTION] Laying out on load

TEST(ArrangeOnLoad, PositionlessGraphIsLaidOutAsOneUndoStep) {
    for (const char* name : kReferenceFixtures) {
        const Graph loaded = without_positions(fixture_graph(name));
        Editor ed;
        ed.load(loaded, false, "Load graph");  // as loadGraph: no history before
        ASSERT_TRUE(ed.arrange_if_overlapping()) << name;
        GraphIndex idx;
        EXPECT_FALSE(any_pair_overlaps(ed.graph(), card_sizes(ed.graph(), idx))) << name;
        EXPECT_FALSE(ed.arrange_if_overlapping()) << name << ": laid out once";
        EXPECT_EQ(ed.history().undo_depth(), 1u) << name;
        EXPECT_EQ(ed.history().undo_label(), "Auto-layout");
        // Undo gives back the positions the graph came with; redo the layout.
        const std::string laid_out = to_json(ed.graph()).dump();
        ASSERT_TRUE(ed.undo());
        EXPECT_EQ(to_json(ed.graph()).dump(), to_json(loaded).dump()) << name;
        EXPECT_FALSE(ed.history().can_undo());
        ASSERT_TRUE(ed.redo());
        EXPECT_EQ(to_json(ed.graph()).dump(), laid_out) << name;
    }
}

TEST(ArrangeOnLoad, UndoableLoadKeepsItsOwnStep) {
    Editor ed;
    ed.load(fixture_graph("conditional_followup.json"), false);
    const std::string before = to_json(ed.graph()).dump();
    Graph partly = fixture_graph("lead_nurture.json");
    partly.nodes[2].position_x = partly.nodes[3].position_x + 20;
    partly.nodes[2].position_y = partly.nodes[3].position_y + 20;
    const std::string opened = to_json(partly).dump();
    ed.load(partly, true, "Open from server");
    ASSERT_TRUE(ed.arrange_if_overlapping());
    EXPECT_FALSE(needs_layout(ed.graph()));
    ASSERT_TRUE(ed.undo());
    EXPECT_EQ(to_json(ed.graph()).dump(), opened) << "the layout is its own step";
    ASSERT_TRUE(ed.undo());
    EXPECT_EQ(to_json(ed.graph()).dump(), before);
}

TEST(ArrangeOnLoad, WellLaidOutGraphIsUntouched) {
    for (const char* name : kReferenceFixtures) {
        const Graph g = fixture_graph(name);
        Editor ed;
        ed.load(g, false);
        const std::uint64_t version = ed.version();
        EXPECT_FALSE(ed.arrange_if_overlapping()) << name;
        EXPECT_EQ(to_json(ed.graph()).dump(), to_json(g).dump()) << name;
        EXPECT_EQ(ed.version(), version) << name;
        EXPECT_FALSE(ed.history().can_undo()) << name;
    }
}

TEST(ArrangeOnLoad, LargePositionlessGraphEndsWithoutOverlaps) {
    // 2,000 steps from the API: a branching tree of calls and waits, all at 0, 0.
    Graph g;
    for (int i = 0; i < 2000; ++i) {
        g.nodes.push_back(
            make_node("n" + std::to_string(i), i % 4 ? NodeType::kTime : NodeType::kVoiceCall));
        if (i > 0) {
            const int parent = (i - 1) / 3;
            g.edges.push_back(make_edge("e" + std::to_string(i), "n" + std::to_string(parent),
                                        "n" + std::to_string(i)));
        }
    }
    Editor ed;
    ed.load(std::move(g), false);
    ASSERT_TRUE(ed.arrange_if_overlapping());
    EXPECT_FALSE(needs_layout(ed.graph()));
    GraphIndex idx;
    EXPECT_FALSE(any_pair_overlaps(ed.graph(), card_sizes(ed.graph(), idx)));
}

}  // namespace
}  // namespace leadflow::web
