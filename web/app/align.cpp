// web/app/align.cpp — see align.hpp.
#include "align.hpp"

#include <algorithm>
#include <numeric>

namespace leadflow::web {
namespace {

std::vector<Point> corners(const std::vector<Box>& boxes) {
    std::vector<Point> out;
    out.reserve(boxes.size());
    for (const Box& b : boxes) out.push_back({b.x, b.y});
    return out;
}

}  // namespace

std::vector<Point> align_boxes(const std::vector<Box>& boxes, AlignEdge edge) {
    std::vector<Point> out = corners(boxes);
    if (boxes.size() < 2) return out;
    double min_x = boxes[0].x, max_x = boxes[0].x + boxes[0].w;
    double min_y = boxes[0].y, max_y = boxes[0].y + boxes[0].h;
    for (const Box& b : boxes) {
        min_x = std::min(min_x, b.x);
        max_x = std::max(max_x, b.x + b.w);
        min_y = std::min(min_y, b.y);
        max_y = std::max(max_y, b.y + b.h);
    }
    const double mid_x = (min_x + max_x) / 2, mid_y = (min_y + max_y) / 2;
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const Box& b = boxes[i];
        switch (edge) {
            case AlignEdge::kLeft:
                out[i].x = min_x;
                break;
            case AlignEdge::kRight:
                out[i].x = max_x - b.w;
                break;
            case AlignEdge::kTop:
                out[i].y = min_y;
                break;
            case AlignEdge::kBottom:
                out[i].y = max_y - b.h;
                break;
            case AlignEdge::kCenterX:
                out[i].x = mid_x - b.w / 2;
                break;
            case AlignEdge::kCenterY:
                out[i].y = mid_y - b.h / 2;
                break;
        }
    }
    return out;
}

std::vector<Point> distribute_boxes(const std::vector<Box>& boxes, bool horizontal) {
    std::vector<Point> out = corners(boxes);
    if (boxes.size() < 3) return out;
    auto start = [&](std::size_t i) { return horizontal ? boxes[i].x : boxes[i].y; };
    auto size = [&](std::size_t i) { return horizontal ? boxes[i].w : boxes[i].h; };
    std::vector<std::size_t> order(boxes.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return start(a) < start(b); });
    const std::size_t first = order.front(), last = order.back();
    double total = 0;
    for (std::size_t i : order) total += size(i);
    const double span = start(last) + size(last) - start(first);
    const double gap = (span - total) / static_cast<double>(boxes.size() - 1);
    double at = start(first);
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::size_t i = order[k];
        // The first and the last keep their exact positions (no rounding drift).
        const double pos = k == 0 ? start(first) : k + 1 == order.size() ? start(last) : at;
        (horizontal ? out[i].x : out[i].y) = pos;
        at = pos + size(i) + gap;
    }
    return out;
}

}  // namespace leadflow::web
