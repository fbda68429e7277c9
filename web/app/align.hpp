// web/app/align.hpp — aligning and distributing cards (Edit → Align, docs/editor.md): where
// each box's top-left corner goes. Pure geometry, free of the graph and of ImGui (tests/web).
#pragma once

#include <vector>

namespace leadflow::web {

// A card: top-left corner and size, world units.
struct Box {
    double x = 0;
    double y = 0;
    double w = 0;
    double h = 0;
};

enum class AlignEdge {
    kLeft,     // left edges on the leftmost left edge
    kRight,    // right edges on the rightmost right edge
    kTop,      // top edges on the topmost top edge
    kBottom,   // bottom edges on the lowest bottom edge
    kCenterX,  // centres on one vertical line: the middle of the boxes' bounding box
    kCenterY,  // centres on one horizontal line: the middle of the boxes' bounding box
};

struct Point {
    double x = 0;
    double y = 0;
};

// The new top-left corners, one per box in the given order. Each box moves along one axis
// only. Fewer than 2 boxes: the boxes as they are.
std::vector<Point> align_boxes(const std::vector<Box>& boxes, AlignEdge edge);

// The new top-left corners for equal gaps along one axis (horizontal: x, else y), one per box in
// the given order. The boxes are ordered by their left (top) edge, ties by their order in
// `boxes`; the first and the last stay where they are, the others move so that the gaps between
// consecutive boxes are equal (negative when the boxes are wider than the space: they then
// overlap equally). The other axis is unchanged. Fewer than 3 boxes: the boxes as they are.
std::vector<Point> distribute_boxes(const std::vector<Box>& boxes, bool horizontal);

}  // namespace leadflow::web
