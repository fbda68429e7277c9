// web/app/layout.cpp — see layout.hpp.
#include "layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <unordered_map>
#include <vector>

#include "node_kinds.hpp"

namespace leadflow::web {

void auto_layout(Graph& g, const std::function<Vec2(std::size_t)>& node_size,
                 const LayoutOptions& options) {
    const std::size_t n = g.nodes.size();
    if (n == 0) return;
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i) index.emplace(g.nodes[i].id, i);

    // Each node's outgoing edges in port order: by the output pin they leave from (top to
    // bottom on the card; edges matching no pin after the pins), then by edge position, then by
    // their place in the list. The DFS below follows this order and the ordering inside layers
    // keys on it, so children stack in the order of the pins they hang from.
    struct Out {
        std::size_t to;
        int pin;
        std::int64_t position;
        std::size_t order;
    };
    std::vector<std::vector<Out>> out_edges(n);
    std::vector<int> indegree(n, 0);
    std::vector<int> pin_count(n, 0);
    std::vector<std::vector<Pin>> pins(n);
    for (std::size_t i = 0; i < n; ++i) {
        pins[i] = output_pins(g.nodes[i]);
        pin_count[i] = static_cast<int>(pins[i].size());
    }
    for (std::size_t k = 0; k < g.edges.size(); ++k) {
        const Edge& e = g.edges[k];
        auto a = index.find(e.from_node_id), b = index.find(e.to_node_id);
        if (a == index.end() || b == index.end()) continue;
        int pin = pin_for_edge(pins[a->second], e);
        if (pin < 0) pin = pin_count[a->second];
        out_edges[a->second].push_back({b->second, pin, e.position, k});
        ++indegree[b->second];
    }
    std::vector<std::vector<std::size_t>> out(n);
    for (std::size_t v = 0; v < n; ++v) {
        std::stable_sort(out_edges[v].begin(), out_edges[v].end(), [](const Out& x, const Out& y) {
            if (x.pin != y.pin) return x.pin < y.pin;
            if (x.position != y.position) return x.position < y.position;
            return x.order < y.order;
        });
        for (const Out& o : out_edges[v]) out[v].push_back(o.to);
    }

    // DFS roots: the entry node, then nodes without incoming edges, then everything else. Edges
    // to a node on the DFS stack are back edges (they close a cycle) and are ignored.
    std::vector<std::size_t> roots;
    if (g.workflow.entry_node_id) {
        auto it = index.find(*g.workflow.entry_node_id);
        if (it != index.end()) roots.push_back(it->second);
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (indegree[i] == 0) roots.push_back(i);
    }
    for (std::size_t i = 0; i < n; ++i) roots.push_back(i);

    enum : char { kNew, kOnStack, kDone };
    std::vector<char> state(n, kNew);
    std::vector<std::size_t> discovery;  // DFS pre-order, the initial order inside layers
    std::vector<std::vector<std::size_t>> forward(n);  // DAG edges
    for (std::size_t root : roots) {
        if (state[root] != kNew) continue;
        // Iterative DFS: (node, next child index).
        std::vector<std::pair<std::size_t, std::size_t>> stack{{root, 0}};
        state[root] = kOnStack;
        discovery.push_back(root);
        while (!stack.empty()) {
            auto& [v, next] = stack.back();
            if (next < out[v].size()) {
                const std::size_t w = out[v][next++];
                if (state[w] == kOnStack) continue;  // back edge
                forward[v].push_back(w);
                if (state[w] == kNew) {
                    state[w] = kOnStack;
                    discovery.push_back(w);
                    stack.push_back({w, 0});
                }
            } else {
                state[v] = kDone;
                stack.pop_back();
            }
        }
    }

    // Longest-path layering over the DAG in topological order (Kahn).
    std::vector<int> dag_in(n, 0);
    for (std::size_t v = 0; v < n; ++v)
        for (std::size_t w : forward[v]) ++dag_in[w];
    std::vector<int> layer(n, 0);
    std::vector<std::size_t> queue;
    for (std::size_t v : discovery)
        if (dag_in[v] == 0) queue.push_back(v);
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::size_t v = queue[head];
        for (std::size_t w : forward[v]) {
            layer[w] = std::max(layer[w], layer[v] + 1);
            if (--dag_in[w] == 0) queue.push_back(w);
        }
    }
    const int layer_count = *std::max_element(layer.begin(), layer.end()) + 1;
    std::vector<std::vector<std::size_t>> layers(static_cast<std::size_t>(layer_count));
    for (std::size_t v : discovery) layers[static_cast<std::size_t>(layer[v])].push_back(v);

    // Barycentre sweeps, alternately down (left to right, keyed on predecessors) and up (keyed
    // on successors). An edge's place on its source is the source's rank plus the edge's port
    // slot (k + 1) / (out-degree + 1), so children of one node keep the order of its ports. The
    // ordering with the fewest crossings between neighbouring layers wins.
    struct Link {
        std::size_t node;
        double slot;  // fraction of a rank: where on the source card the edge leaves
    };
    std::vector<std::vector<Link>> preds(n), succs(n);
    for (std::size_t v = 0; v < n; ++v) {
        const double degree = static_cast<double>(forward[v].size());
        for (std::size_t k = 0; k < forward[v].size(); ++k) {
            const std::size_t w = forward[v][k];
            const double slot = static_cast<double>(k + 1) / (degree + 1.0);
            preds[w].push_back({v, slot});
            succs[v].push_back({w, slot});
        }
    }
    std::vector<double> rank(n, 0.0);
    auto assign_ranks = [&](const std::vector<std::size_t>& l) {
        for (std::size_t k = 0; k < l.size(); ++k) rank[l[k]] = static_cast<double>(k);
    };
    for (auto& l : layers) assign_ranks(l);
    // Crossings between edges joining neighbouring layers, with edges ordered by their port.
    auto crossings = [&]() {
        std::int64_t total = 0;
        std::vector<std::pair<double, double>> spans;
        for (std::size_t li = 0; li + 1 < layers.size(); ++li) {
            spans.clear();
            for (std::size_t v : layers[li]) {
                for (const Link& s : succs[v]) {
                    if (layer[s.node] == static_cast<int>(li) + 1) {
                        spans.push_back({rank[v] + s.slot, rank[s.node]});
                    }
                }
            }
            std::sort(spans.begin(), spans.end());
            for (std::size_t i = 0; i < spans.size(); ++i) {
                for (std::size_t j = i + 1; j < spans.size(); ++j) {
                    if (spans[j].second < spans[i].second) ++total;
                }
            }
        }
        return total;
    };
    auto reorder = [&](std::vector<std::size_t>& l, bool down) {
        std::vector<std::pair<double, std::size_t>> keyed;
        keyed.reserve(l.size());
        for (std::size_t v : l) {
            const std::vector<Link>& links = down ? preds[v] : succs[v];
            double key = rank[v];
            if (!links.empty()) {
                double sum = 0;
                for (const Link& x : links) sum += rank[x.node] + (down ? x.slot : -x.slot);
                key = sum / static_cast<double>(links.size());
            }
            keyed.push_back({key, v});
        }
        std::stable_sort(keyed.begin(), keyed.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t k = 0; k < l.size(); ++k) l[k] = keyed[k].second;
        assign_ranks(l);
    };
    // Counting crossings is quadratic in a layer's edges: only graphs of modest layers keep the
    // best ordering; larger ones take the last sweep's.
    std::size_t widest = 0;
    for (const auto& l : layers) widest = std::max(widest, l.size());
    const bool count = widest <= 200;
    std::vector<std::vector<std::size_t>> best_layers = layers;
    std::int64_t best = count ? crossings() : 0;
    for (int sweep = 0; sweep < 8; ++sweep) {
        const bool down = sweep % 2 == 0;
        if (down) {
            for (std::size_t li = 1; li < layers.size(); ++li) reorder(layers[li], true);
        } else {
            for (std::size_t li = layers.size(); li-- > 1;) reorder(layers[li - 1], false);
        }
        if (!count) continue;
        const std::int64_t c = crossings();
        if (c < best) {
            best = c;
            best_layers = layers;
        }
    }
    if (count) layers = best_layers;

    // Coordinates: layers side by side, cards stacked and centred vertically on the origin row.
    std::vector<Vec2> sizes(n);
    for (std::size_t v = 0; v < n; ++v) sizes[v] = node_size(v);
    float x = options.origin.x;
    float tallest = 0;
    std::vector<float> heights(layers.size(), 0.0f);
    for (std::size_t li = 0; li < layers.size(); ++li) {
        for (std::size_t v : layers[li]) heights[li] += sizes[v].y + options.node_gap;
        tallest = std::max(tallest, heights[li]);
    }
    for (std::size_t li = 0; li < layers.size(); ++li) {
        float width = 0;
        float y = options.origin.y + (tallest - heights[li]) * 0.5f;
        for (std::size_t v : layers[li]) {
            g.nodes[v].position_x = std::round(x);
            g.nodes[v].position_y = std::round(y);
            y += sizes[v].y + options.node_gap;
            width = std::max(width, sizes[v].x);
        }
        x += width + options.layer_gap;
    }
}

bool cards_overlap(const Graph& g, const std::function<Vec2(std::size_t)>& node_size) {
    const std::size_t n = g.nodes.size();
    if (n < 2) return false;
    std::vector<Rect> rects(n);
    Vec2 cell{1.0f, 1.0f};
    for (std::size_t i = 0; i < n; ++i) {
        const Vec2 size = node_size(i);
        const Vec2 at{static_cast<float>(g.nodes[i].position_x),
                      static_cast<float>(g.nodes[i].position_y)};
        rects[i] = {at, at + size};
        cell.x = std::max(cell.x, size.x);
        cell.y = std::max(cell.y, size.y);
    }
    // Grid cells as large as the largest card: a card covers at most 2 × 2 cells, and two cards
    // that overlap share a cell. Far-out coordinates are clamped to the outermost cells, where
    // they are still compared exactly.
    auto cell_of = [](float v, float size) {
        const double c = std::floor(static_cast<double>(v) / size);
        return static_cast<std::int64_t>(std::clamp(c, -1e9, 1e9));
    };
    auto key = [](std::int64_t cx, std::int64_t cy) {
        return static_cast<std::uint64_t>(cx) * 0x9E3779B97F4A7C15ull ^
               static_cast<std::uint64_t>(cy);
    };
    auto interiors_meet = [](const Rect& a, const Rect& b) {
        return a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
    };
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> grid;
    grid.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        const Rect& r = rects[i];
        const std::int64_t x0 = cell_of(r.min.x, cell.x), x1 = cell_of(r.max.x, cell.x);
        const std::int64_t y0 = cell_of(r.min.y, cell.y), y1 = cell_of(r.max.y, cell.y);
        for (std::int64_t cx = x0; cx <= x1; ++cx) {
            for (std::int64_t cy = y0; cy <= y1; ++cy) {
                std::vector<std::size_t>& bucket = grid[key(cx, cy)];
                for (std::size_t j : bucket) {
                    if (interiors_meet(r, rects[j])) return true;
                }
                bucket.push_back(i);
            }
        }
    }
    return false;
}

}  // namespace leadflow::web
