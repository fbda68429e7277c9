// Align and distribute geometry (align.hpp) and the editor's align/distribute edits.
#include "align.hpp"

#include <gtest/gtest.h>

#include "editor.hpp"
#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::make_node;

const std::vector<Box> kThree = {
    {100, 40, 200, 80},   // a
    {10, 300, 100, 60},   // b: leftmost, lowest top
    {250, 120, 150, 100}  // c: rightmost right edge (400), lowest bottom (220)
};

TEST(AlignBoxes, EdgesMoveOneAxisToTheExtremeEdge) {
    auto left = align_boxes(kThree, AlignEdge::kLeft);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(left[i].x, 10);
        EXPECT_EQ(left[i].y, kThree[i].y);  // the other axis is untouched
    }
    auto right = align_boxes(kThree, AlignEdge::kRight);
    EXPECT_EQ(right[0].x, 200);  // 400 - 200
    EXPECT_EQ(right[1].x, 300);
    EXPECT_EQ(right[2].x, 250);
    auto top = align_boxes(kThree, AlignEdge::kTop);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(top[i].y, 40);
    auto bottom = align_boxes(kThree, AlignEdge::kBottom);
    // The lowest bottom edge: b at 300 + 60 = 360.
    EXPECT_EQ(bottom[0].y, 280);
    EXPECT_EQ(bottom[1].y, 300);
    EXPECT_EQ(bottom[2].y, 260);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(bottom[i].x, kThree[i].x);
    }
}

TEST(AlignBoxes, CentresMeetOnTheBoundingBoxMiddle) {
    // Bounding box: x 10..400 (middle 205), y 40..360 (middle 200).
    auto cx = align_boxes(kThree, AlignEdge::kCenterX);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_DOUBLE_EQ(cx[i].x + kThree[i].w / 2, 205);
        EXPECT_EQ(cx[i].y, kThree[i].y);
    }
    auto cy = align_boxes(kThree, AlignEdge::kCenterY);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_DOUBLE_EQ(cy[i].y + kThree[i].h / 2, 200);
        EXPECT_EQ(cy[i].x, kThree[i].x);
    }
}

TEST(AlignBoxes, FewerThanTwoBoxesStayPut) {
    EXPECT_TRUE(align_boxes({}, AlignEdge::kLeft).empty());
    auto one = align_boxes({{5, 6, 7, 8}}, AlignEdge::kRight);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].x, 5);
    EXPECT_EQ(one[0].y, 6);
}

TEST(DistributeBoxes, EqualGapsBetweenTheOuterBoxes) {
    // Given out of order: the outer ones (x 0 and x 1000) stay; widths 100, 50, 200, 100.
    const std::vector<Box> boxes = {
        {1000, 5, 100, 10}, {30, 6, 50, 10}, {0, 7, 100, 10}, {600, 8, 200, 10}};
    auto out = distribute_boxes(boxes, true);
    // Span 0..1100, widths 450: 3 gaps of 650 / 3.
    const double gap = 650.0 / 3;
    EXPECT_EQ(out[2].x, 0);
    EXPECT_DOUBLE_EQ(out[1].x, 100 + gap);
    EXPECT_DOUBLE_EQ(out[3].x, 100 + gap + 50 + gap);
    EXPECT_EQ(out[0].x, 1000);
    for (std::size_t i = 0; i < boxes.size(); ++i) EXPECT_EQ(out[i].y, boxes[i].y);
}

TEST(DistributeBoxes, VerticalTiesKeepGivenOrderAndOverlapEqually) {
    // Too tall for the space: the gaps are equal and negative. Ties (two at y 0) keep order.
    const std::vector<Box> boxes = {{0, 0, 10, 100}, {1, 0, 10, 100}, {2, 150, 10, 100}};
    auto out = distribute_boxes(boxes, false);
    EXPECT_EQ(out[0].y, 0);
    EXPECT_DOUBLE_EQ(out[1].y, 100 + (250.0 - 300) / 2);
    EXPECT_EQ(out[2].y, 150);
    EXPECT_EQ(out[1].x, 1);
}

TEST(DistributeBoxes, FewerThanThreeBoxesStayPut) {
    auto two = distribute_boxes({{0, 0, 10, 10}, {50, 0, 10, 10}}, true);
    EXPECT_EQ(two[0].x, 0);
    EXPECT_EQ(two[1].x, 50);
}

// [SECTION] Editor

Editor editor_with_three() {
    Editor ed;
    Graph g;
    g.nodes.push_back(make_node("a", NodeType::kTime, 0, 0));
    g.nodes.push_back(make_node("b", NodeType::kTime, 500, 90));
    g.nodes.push_back(make_node("c", NodeType::kTime, 130, 400));
    ed.load(std::move(g), false);
    return ed;
}

TEST(EditorAlign, AlignIsOneUndoStepAndNeedsTwoNodes) {
    Editor ed = editor_with_three();
    ed.select_node("a", false);
    EXPECT_FALSE(ed.align_selection(AlignEdge::kTop));
    EXPECT_FALSE(ed.history().can_undo());
    ed.select_node("b", true);
    ed.select_node("c", true);
    const std::uint64_t structure = ed.structure_version();
    ASSERT_TRUE(ed.align_selection(AlignEdge::kTop));
    EXPECT_EQ(ed.structure_version(), structure);  // positions only: no re-validation
    for (const Node& n : ed.graph().nodes) EXPECT_EQ(n.position_y, 0) << n.id;
    EXPECT_EQ(ed.history().undo_label(), "Align");
    ASSERT_TRUE(ed.undo());
    EXPECT_EQ(ed.graph().nodes[1].position_y, 90);
    EXPECT_EQ(ed.graph().nodes[2].position_y, 400);
    EXPECT_FALSE(ed.history().can_undo());
}

TEST(EditorAlign, OnlySelectedNodesMove) {
    Editor ed = editor_with_three();
    ed.select_node("b", false);
    ed.select_node("c", true);
    ASSERT_TRUE(ed.align_selection(AlignEdge::kLeft));
    EXPECT_EQ(ed.graph().nodes[0].position_x, 0);
    EXPECT_EQ(ed.graph().nodes[1].position_x, 130);
    EXPECT_EQ(ed.graph().nodes[2].position_x, 130);
}

TEST(EditorAlign, DistributeUsesCardSizesAndNeedsThreeNodes) {
    Editor ed = editor_with_three();
    ed.select_node("a", false);
    ed.select_node("c", true);
    EXPECT_FALSE(ed.distribute_selection(true));
    ed.select_node("b", true);
    ASSERT_TRUE(ed.distribute_selection(true));
    // Same card type, same width: with equal gaps the middle card sits halfway.
    EXPECT_EQ(ed.graph().nodes[0].position_x, 0);
    EXPECT_EQ(ed.graph().nodes[1].position_x, 500);
    EXPECT_DOUBLE_EQ(ed.graph().nodes[2].position_x, 250);
    EXPECT_EQ(ed.graph().nodes[2].position_y, 400);
    EXPECT_EQ(ed.history().undo_label(), "Distribute");
    ASSERT_TRUE(ed.undo());
    EXPECT_EQ(ed.graph().nodes[2].position_x, 130);
}

}  // namespace
}  // namespace leadflow::web
