// web/app/editor_canvas.cpp — the workflow canvas: pan and zoom, node cards with pins, edge
// curves with labels, selection, moving, connecting, clipboard, validation markers, minimap.
//
// Index:
//   [SECTION] State and helpers
//   [SECTION] Clipboard and adding nodes
//   [SECTION] Input
//   [SECTION] Drawing
//   [SECTION] Minimap
//   [SECTION] Entry point
//
// Edges follow their routes around the cards (edge_routing.hpp, cached in GraphIndex): lines,
// arrowheads, labels and clicks all use the routed polyline.
//
// Legible text: canvas text scales with the zoom but never below kMinReadableCanvasText CSS
// pixels; a line of text that would not fit its row of the card at that size (the title its
// header, the summary its row, a pin label its pin row) is not drawn, and edge labels go with
// the titles. Cards keep their shapes, colours and pins without text.
//
// Large graphs: nodes and edges outside the view are culled; further out, cards are drawn as
// plain coloured boxes and edges as hairlines (level of detail).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "app.hpp"
#include "platform.hpp"

namespace leadflow::web {
namespace {

// [SECTION] State and helpers

enum class Drag { kNone, kPan, kMove, kConnect, kBox, kMinimap };

struct CanvasState {
    Drag drag = Drag::kNone;
    Vec2 press_screen;
    bool moved = false;
    int connect_node = -1;
    int connect_pin = -1;
    std::vector<std::pair<std::string, Vec2>> move_origins;
    std::vector<std::pair<std::string, Vec2>> note_origins;
    std::uint64_t entry_version = 0;
    std::optional<std::string> entry_node;
};
CanvasState g_canvas;

// Below this text size (device pixels, at the zoom's scale) cards become plain boxes and edges
// hairlines.
constexpr float kSimpleShapesText = 5.0f;
constexpr ImU32 kBodyColor = IM_COL32(40, 42, 48, 245);
constexpr ImU32 kTextColor = IM_COL32(235, 236, 240, 255);
constexpr ImU32 kDimTextColor = IM_COL32(165, 170, 182, 255);
constexpr ImU32 kSelectColor = IM_COL32(90, 190, 255, 255);
constexpr ImU32 kErrorColor = IM_COL32(240, 80, 80, 255);
constexpr ImU32 kWarningColor = IM_COL32(240, 170, 60, 255);
constexpr ImU32 kEdgeColor = IM_COL32(150, 156, 170, 220);
constexpr ImU32 kPinColor = IM_COL32(200, 204, 214, 255);

ImVec2 im(Vec2 v) {
    return {v.x, v.y};
}
Vec2 vec(ImVec2 v) {
    return {v.x, v.y};
}

Vec2 canvas_center(const AppState& app) {
    return {(app.canvas_screen.min.x + app.canvas_screen.max.x) / 2,
            (app.canvas_screen.min.y + app.canvas_screen.max.y) / 2};
}

ImU32 mark_color(const std::unordered_map<std::string, Severity>& marks, const std::string& id,
                 ImU32 fallback) {
    auto it = marks.find(id);
    if (it == marks.end()) return fallback;
    return it->second == Severity::kError ? kErrorColor : kWarningColor;
}

}  // namespace

// [SECTION] Clipboard and adding nodes

void copy_selection(AppState& app) {
    const std::size_t nodes = app.editor.selected_nodes().size();
    const std::size_t notes = app.editor.selected_notes().size();
    if (nodes == 0 && notes == 0) return;
    app.internal_clipboard = app.editor.copy_selection();
    platform::set_clipboard_text(app.internal_clipboard);
    std::string what = "Copied " + std::to_string(nodes) + " node(s)";
    if (notes > 0) what += " and " + std::to_string(notes) + " note(s)";
    app.notify(what);
}

void paste_clipboard(AppState& app) {
    std::string text = app.pasted_text ? *app.pasted_text : app.internal_clipboard;
    app.pasted_text.reset();
    if (text.empty()) return;
    // Paste under the mouse when it is over the canvas, else at the view centre.
    Vec2 at_screen = vec(ImGui::GetIO().MousePos);
    if (!app.canvas_screen.contains(at_screen)) at_screen = canvas_center(app);
    const Vec2 at = app.editor.camera.screen_to_world(at_screen);
    Result<std::size_t> r = app.editor.paste(text, at);
    if (!r.ok()) {
        app.notify("Paste failed: " + r.status().message(), 8.0);
    } else {
        const std::size_t notes = app.editor.selected_notes().size();
        std::string what = "Pasted " + std::to_string(*r - notes) + " node(s)";
        if (notes > 0) what += " and " + std::to_string(notes) + " note(s)";
        app.notify(what);
    }
}

void add_node_at_view_center(AppState& app, NodeType t) {
    Vec2 at = app.editor.camera.screen_to_world(canvas_center(app));
    at = at - Vec2{kNodeWidth / 2, 30};
    // Nudge down-right while the spot is taken, so repeated adds don't stack exactly.
    for (int i = 0; i < 50; ++i) {
        bool taken = false;
        for (const Node& n : app.editor.graph().nodes) {
            if (std::abs(n.position_x - std::round(at.x)) < 8 &&
                std::abs(n.position_y - std::round(at.y)) < 8) {
                taken = true;
                break;
            }
        }
        if (!taken) break;
        at = at + Vec2{30, 30};
    }
    app.editor.add_node(t, at);
}

namespace {

// [SECTION] Input

void handle_wheel(AppState& app, Vec2 mouse) {
    ImGuiIO& io = ImGui::GetIO();
    Camera& cam = app.editor.camera;
    const float step = 60.0f * app.pixel_ratio;
    if (io.MouseWheelH != 0.0f && !io.KeyCtrl) {
        cam.pan = cam.pan + Vec2{io.MouseWheelH * step, io.MouseWheel * step};
    } else if (io.MouseWheel != 0.0f && io.KeyShift && !io.KeyCtrl) {
        cam.pan = cam.pan + Vec2{io.MouseWheel * step, 0};
    } else if (io.MouseWheel != 0.0f) {
        cam.zoom_at(mouse, std::pow(1.15f, io.MouseWheel));
    }
}

void begin_press(AppState& app, Vec2 mouse) {
    Editor& ed = app.editor;
    const ImGuiIO& io = ImGui::GetIO();
    const Vec2 world = ed.camera.screen_to_world(mouse);
    const Hit hit = ed.hit_test(world, 4.0f * app.pixel_ratio / ed.camera.scale());
    g_canvas.press_screen = mouse;
    g_canvas.moved = false;
    switch (hit.kind) {
        case Hit::kOutputPin:
            g_canvas.drag = Drag::kConnect;
            g_canvas.connect_node = hit.node;
            g_canvas.connect_pin = hit.pin;
            break;
        case Hit::kNode:
        case Hit::kInputPin: {
            const std::string& id = ed.graph().nodes[static_cast<std::size_t>(hit.node)].id;
            if (io.KeyShift) {
                ed.select_node(id, true);
            } else if (!ed.is_selected_node(id)) {
                ed.select_node(id, false);
            }
            g_canvas.drag = ed.is_selected_node(id) ? Drag::kMove : Drag::kNone;
            break;
        }
        case Hit::kEdge:
            ed.select_edge(ed.graph().edges[static_cast<std::size_t>(hit.edge)].id, io.KeyShift);
            g_canvas.drag = Drag::kNone;
            break;
        case Hit::kNone: {
            // Notes lie under cards and edges: they take the press only where nothing else is.
            const int note = ed.note_at(world);
            if (note >= 0) {
                const std::string id = ed.notes()[static_cast<std::size_t>(note)].id;
                g_canvas.drag = Drag::kNone;
                if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
                    open_note_editor(app, id);
                    break;
                }
                if (io.KeyShift) {
                    ed.select_note(id, true);
                } else if (!ed.is_selected_note(id)) {
                    ed.select_note(id, false);
                }
                if (ed.is_selected_note(id)) g_canvas.drag = Drag::kMove;
                break;
            }
            g_canvas.drag = io.KeyShift ? Drag::kBox : Drag::kPan;
            break;
        }
    }
}

void update_drag(AppState& app, Vec2 mouse) {
    Editor& ed = app.editor;
    const ImGuiIO& io = ImGui::GetIO();
    const Vec2 delta_screen = mouse - g_canvas.press_screen;
    const float threshold = 3.0f * app.pixel_ratio;
    if (!g_canvas.moved && std::hypot(delta_screen.x, delta_screen.y) >= threshold) {
        g_canvas.moved = true;
        if (g_canvas.drag == Drag::kMove) {
            ed.begin_change();
            g_canvas.move_origins.clear();
            for (const Node& n : ed.graph().nodes) {
                if (ed.is_selected_node(n.id)) {
                    g_canvas.move_origins.push_back(
                        {n.id,
                         {static_cast<float>(n.position_x), static_cast<float>(n.position_y)}});
                }
            }
            g_canvas.note_origins.clear();
            for (const Note& n : ed.notes()) {
                if (ed.is_selected_note(n.id)) {
                    g_canvas.note_origins.push_back(
                        {n.id, {static_cast<float>(n.x), static_cast<float>(n.y)}});
                }
            }
        }
    }
    if (!g_canvas.moved) return;
    switch (g_canvas.drag) {
        case Drag::kPan:
            ed.camera.pan = ed.camera.pan + vec(io.MouseDelta);
            break;
        case Drag::kMove: {
            const Vec2 d = delta_screen * (1.0f / ed.camera.scale());
            const GraphIndex& idx = ed.index();
            Graph& g = ed.live_graph();
            for (const auto& [id, origin] : g_canvas.move_origins) {
                const int i = idx.node_index(id);
                if (i < 0) continue;
                g.nodes[static_cast<std::size_t>(i)].position_x = std::round(origin.x + d.x);
                g.nodes[static_cast<std::size_t>(i)].position_y = std::round(origin.y + d.y);
            }
            std::vector<std::pair<std::string, Vec2>> corners;
            for (const auto& [id, origin] : g_canvas.note_origins) {
                corners.push_back({id, {std::round(origin.x + d.x), std::round(origin.y + d.y)}});
            }
            ed.move_notes_live(corners);
            ed.touch(false);
            break;
        }
        default:
            break;
    }
}

void end_press(AppState& app, Vec2 mouse) {
    Editor& ed = app.editor;
    switch (g_canvas.drag) {
        case Drag::kPan:
            if (!g_canvas.moved) ed.clear_selection();
            break;
        case Drag::kMove:
            if (g_canvas.moved) ed.end_change("Move");
            break;
        case Drag::kBox:
            if (g_canvas.moved) {
                ed.select_in_rect(
                    Rect::from_corners(ed.camera.screen_to_world(g_canvas.press_screen),
                                       ed.camera.screen_to_world(mouse)),
                    true);
            }
            break;
        case Drag::kConnect: {
            const Hit hit = ed.hit_test(ed.camera.screen_to_world(mouse),
                                        4.0f * app.pixel_ratio / ed.camera.scale());
            if (hit.node >= 0 && hit.node != g_canvas.connect_node &&
                (hit.kind == Hit::kNode || hit.kind == Hit::kInputPin)) {
                const std::string from =
                    ed.graph().nodes[static_cast<std::size_t>(g_canvas.connect_node)].id;
                const std::string to = ed.graph().nodes[static_cast<std::size_t>(hit.node)].id;
                Result<std::string> r = ed.connect(from, g_canvas.connect_pin, to);
                if (!r.ok()) app.notify("Cannot connect: " + r.status().message());
            } else if (hit.node >= 0 && hit.node == g_canvas.connect_node &&
                       hit.kind != Hit::kOutputPin) {
                // A self-loop is legal in the model (validation flags zero-time cycles).
                const std::string id = ed.graph().nodes[static_cast<std::size_t>(hit.node)].id;
                Result<std::string> r = ed.connect(id, g_canvas.connect_pin, id);
                if (!r.ok()) app.notify("Cannot connect: " + r.status().message());
            }
            break;
        }
        default:
            break;
    }
    g_canvas.drag = Drag::kNone;
}

// [SECTION] Drawing

struct DrawContext {
    ImDrawList* dl;
    const Camera& cam;
    float scale;
    float text_px;  // canvas text at the zoom's scale, device pixels
    float min_px;   // the smallest readable text, device pixels
    ImFont* font;
    float font_size;  // max(text_px, min_px)
    bool simple;      // plain boxes and hairlines
    bool text;        // titles and edge labels are drawn
};

// The size of canvas text drawn `factor` times the normal size, never below readable.
float text_size(const DrawContext& c, float factor) {
    return std::max(c.text_px * factor, c.min_px);
}

// Whether text of `size` pixels fits a card row `row_world` world units tall.
bool fits_row(const DrawContext& c, float row_world, float size) {
    return !c.simple && row_world * c.scale >= size;
}

// `text` at `pos` (top-left), cut at `max_width`; nothing when `size` does not fit a row of
// `row_world` world units.
void draw_text_clipped(const DrawContext& c, Vec2 pos, ImU32 col, const std::string& text,
                       float max_width, float size, float row_world) {
    if (text.empty() || !fits_row(c, row_world, size)) return;
    const ImVec4 clip{pos.x, pos.y - size, pos.x + max_width, pos.y + size * 2};
    c.dl->AddText(c.font, size, im(pos), col, text.data(), text.data() + text.size(), 0.0f, &clip);
}

// A hairline from a to b as one raw quad (no anti-aliased path: thousands of edges at fit
// view). Returns false when it is shorter than a pixel (the dots of its cards cover it).
// Routes smaller than this on screen (CSS pixels × pixel ratio) are drawn as one hairline.
constexpr float kOneLineRoutePx = 4.0f;

bool hairline(const DrawContext& c, Vec2 a, Vec2 b, ImU32 col) {
    const Vec2 d = b - a;
    const float len = std::hypot(d.x, d.y);
    if (len < 1.0f) return false;
    const Vec2 n = Vec2{-d.y, d.x} * (0.5f / len);
    const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
    c.dl->PrimReserve(6, 4);
    c.dl->PrimQuadUV(im(a + n), im(b + n), im(b - n), im(a - n), uv, uv, uv, uv, col);
    return true;
}

void draw_edges(AppState& app, const DrawContext& c, const Rect& visible) {
    Editor& ed = app.editor;
    const Graph& g = ed.graph();
    const EdgeRoutes& routes = ed.routes();
    static std::vector<ImVec2> screen;  // the route on screen, reused across frames
    int drawn = 0;
    for (int e = 0; e < static_cast<int>(routes.size()); ++e) {
        const std::vector<Vec2>& pts = routes.points(e);
        if (pts.size() < 2 || !routes.bounds(e).overlaps(visible)) continue;
        const Edge& edge = g.edges[static_cast<std::size_t>(e)];
        const bool selected = ed.is_selected_edge(edge.id);
        ImU32 col = mark_color(app.edge_marks, edge.id, kEdgeColor);
        if (selected) col = kSelectColor;
        if (c.simple) {
            // A route a few pixels across on screen shows as one line between its ends: its
            // bends would not be seen, and a big graph at fit view has thousands of them.
            const Rect& b = routes.bounds(e);
            const float span = std::max(b.max.x - b.min.x, b.max.y - b.min.y) * c.cam.scale();
            if (span < kOneLineRoutePx) {
                drawn += hairline(c, c.cam.world_to_screen(pts.front()),
                                  c.cam.world_to_screen(pts.back()), col)
                             ? 1
                             : 0;
                continue;
            }
            bool any = false;
            for (std::size_t k = 1; k < pts.size(); ++k) {
                any |= hairline(c, c.cam.world_to_screen(pts[k - 1]), c.cam.world_to_screen(pts[k]),
                                col);
            }
            drawn += any ? 1 : 0;
            continue;
        }
        ++drawn;
        screen.resize(pts.size());
        for (std::size_t k = 0; k < pts.size(); ++k) screen[k] = im(c.cam.world_to_screen(pts[k]));
        const float thickness = std::max(1.0f, (selected ? 3.0f : 1.8f) * std::min(c.scale, 2.0f));
        c.dl->AddPolyline(screen.data(), static_cast<int>(screen.size()), col, 0, thickness);
        // Arrow head at the target, along the last segment.
        const Vec2 tip = vec(screen.back()), before = vec(screen[screen.size() - 2]);
        const Vec2 d = tip - before;
        const float len = std::max(1e-3f, std::hypot(d.x, d.y));
        const Vec2 u = d * (1.0f / len), n{-u.y, u.x};
        const float a = 6.0f * c.scale;
        const Vec2 base = tip - u * a;
        c.dl->AddTriangleFilled(im(base + n * (a * 0.6f)), im(base - n * (a * 0.6f)), im(tip), col);
        if (c.text && !is_unlabelled(edge)) {
            const Vec2 mid = c.cam.world_to_screen(polyline_midpoint(pts));
            const std::string& label = *edge.label;
            const float size = text_size(c, 0.85f);
            const ImVec2 ts = c.font->CalcTextSizeA(size, 1e9f, 0.0f, label.c_str());
            const ImVec2 tl{mid.x - ts.x / 2 - 3, mid.y - ts.y / 2 - 1};
            c.dl->AddRectFilled(tl, {tl.x + ts.x + 6, tl.y + ts.y + 2}, IM_COL32(28, 29, 33, 230),
                                3.0f);
            c.dl->AddText(c.font, size, {tl.x + 3, tl.y + 1},
                          selected ? kSelectColor : kDimTextColor, label.c_str());
        }
    }
    app.stats.edges_drawn = drawn;
}

void draw_nodes(AppState& app, const DrawContext& c, const Rect& visible) {
    Editor& ed = app.editor;
    const Graph& g = ed.graph();
    const GraphIndex& idx = ed.index();
    int drawn = 0;
    for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) {
        const Rect wr = idx.node_rect(g, i);
        if (!wr.overlaps(visible)) continue;
        ++drawn;
        const Node& n = g.nodes[static_cast<std::size_t>(i)];
        const NodeKind& kind = kind_of(n.type);
        const Vec2 a = c.cam.world_to_screen(wr.min), b = c.cam.world_to_screen(wr.max);
        const bool selected = ed.is_selected_node(n.id);
        const ImU32 mark = mark_color(app.node_marks, n.id, 0);
        if (c.simple) {
            // Plain boxes as raw quads (thousands of them at fit view). Far out a card is smaller
            // than a pixel: it stays visible as a dot, coloured when selected or in error (an
            // outline would not show; warnings keep the type's colour, as big graphs have many).
            const float dot = 2.0f * app.pixel_ratio;
            const bool tiny = b.x - a.x < 4 * dot;
            ImU32 fill = kind.color;
            if (tiny && selected) {
                fill = kSelectColor;
            } else if (tiny && mark == kErrorColor) {
                fill = kErrorColor;
            }
            const Vec2 b_dot{std::max(b.x, a.x + dot), std::max(b.y, a.y + dot)};
            c.dl->PrimReserve(6, 4);
            c.dl->PrimRect(im(a), im(b_dot), fill);
            if (!tiny && (selected || mark)) {
                c.dl->AddRect(im(a), im(b), selected ? kSelectColor : mark, 0.0f, 0, 2.0f);
            }
            continue;
        }
        const float s = c.scale;
        const float rounding = 5.0f * s;
        c.dl->AddRectFilled(im(a), im(b), kBodyColor, rounding);
        c.dl->AddRectFilled(im(a), {b.x, a.y + kHeaderHeight * s}, kind.color, rounding,
                            ImDrawFlags_RoundCornersTop);
        if (g_canvas.entry_node && *g_canvas.entry_node == n.id) {
            c.dl->AddRectFilled({a.x - 4 * s, a.y}, {a.x - 1 * s, b.y},
                                IM_COL32(90, 220, 120, 255));
        }
        const float pad = 8.0f * s;
        const float title = text_size(c, 1.0f), summary = text_size(c, 0.9f);
        draw_text_clipped(c, {a.x + pad, a.y + (kHeaderHeight * s - title) / 2}, kTextColor,
                          n.label.empty() ? std::string(kind.title) : n.label,
                          (b.x - a.x) - 2 * pad, title, kHeaderHeight);
        const NodeShape& shape = idx.shape(i);
        draw_text_clipped(
            c, {a.x + pad, a.y + kHeaderHeight * s + (kSummaryHeight * s - summary) / 2},
            kDimTextColor, shape.summary, (b.x - a.x) - 2 * pad, summary, kSummaryHeight);
        // Output pins with their labels (right-aligned next to the pin).
        for (int p = 0; p < static_cast<int>(shape.pins.size()); ++p) {
            const Vec2 pc = c.cam.world_to_screen(idx.output_pin_world(g, i, p));
            c.dl->AddCircleFilled(im(pc), kPinRadius * s, kPinColor, 10);
            const float size = text_size(c, 0.85f);
            if (!fits_row(c, kPinRowHeight, size)) continue;
            const std::string& label = shape.pins[static_cast<std::size_t>(p)].label;
            const float w = c.font->CalcTextSizeA(size, 1e9f, 0.0f, label.c_str()).x;
            c.dl->AddText(c.font, size, {pc.x - kPinRadius * s - 4 * s - w, pc.y - size / 2},
                          kDimTextColor, label.c_str());
        }
        const Vec2 in = c.cam.world_to_screen(idx.input_pin_world(g, i));
        c.dl->AddCircleFilled(im(in), kPinRadius * s, kPinColor, 10);
        if (mark) {
            c.dl->AddRect(im(a), im(b), mark, rounding, 0, 2.0f * std::min(s, 1.5f));
            const Vec2 badge{b.x - 9 * s, a.y + kHeaderHeight * s / 2};
            c.dl->AddCircleFilled(im(badge), 7 * s, mark, 12);
            if (c.text)
                c.dl->AddText(c.font, c.font_size,
                              {badge.x - c.font_size * 0.14f, badge.y - c.font_size / 2},
                              IM_COL32(20, 20, 20, 255), "!");
        }
        if (selected) {
            c.dl->AddRect({a.x - 2, a.y - 2}, {b.x + 2, b.y + 2}, kSelectColor, rounding, 0,
                          2.5f * std::min(std::max(s, 0.8f), 1.5f));
        }
    }
    app.stats.nodes_drawn = drawn;
}

// [SECTION] Minimap

// Returns true when the minimap took the mouse this frame.
bool draw_minimap(AppState& app, ImDrawList* dl, Vec2 mouse, bool mouse_pressed) {
    Editor& ed = app.editor;
    const Graph& g = ed.graph();
    const std::vector<Note>& notes = ed.notes();
    if (!app.show_minimap || (g.nodes.empty() && notes.empty())) return false;
    const float r = app.pixel_ratio;
    const Rect& cs = app.canvas_screen;
    const Rect box{{cs.max.x - 210 * r, cs.max.y - 150 * r},
                   {cs.max.x - 10 * r, cs.max.y - 10 * r}};
    if (box.min.x < cs.min.x + 50 * r || box.min.y < cs.min.y + 50 * r) return false;
    const GraphIndex& idx = ed.index();
    Rect world = g.nodes.empty() ? note_rect(notes[0]) : idx.bounds(g);
    for (const Note& n : notes) {
        const Rect nr = note_rect(n);
        world.include(nr.min);
        world.include(nr.max);
    }
    const Rect view = ed.camera.visible_world(cs);
    world.include(view.min);
    world.include(view.max);
    const float k = std::min(box.width() / std::max(1.0f, world.width()),
                             box.height() / std::max(1.0f, world.height()));
    const Vec2 off{box.min.x + (box.width() - world.width() * k) / 2,
                   box.min.y + (box.height() - world.height() * k) / 2};
    auto to_map = [&](Vec2 w) { return off + (w - world.min) * k; };
    dl->AddRectFilled(im(box.min), im(box.max), theme_colors(app.ui_settings.theme).minimap_fill,
                      4.0f);
    // Notes in their colour, under the steps as on the canvas (at most kMaxNotes of them). The
    // first 50 are probed as minimap/note/<id> for the tests.
    for (std::size_t i = 0; i < notes.size(); ++i) {
        const Rect nr = note_rect(notes[i]);
        Vec2 a = to_map(nr.min), b = to_map(nr.max);
        b.x = std::max(b.x, a.x + 2.0f);
        b.y = std::max(b.y, a.y + 2.0f);
        dl->AddRectFilled(im(a), im(b), note_fill(notes[i].color) | IM_COL32_A_MASK);
        if (i < 50) app.probes["minimap/note/" + notes[i].id] = Rect{a, b};
    }
    // At most ~1,500 dots keep the minimap cheap on huge graphs; written as raw quads.
    const std::size_t stride = std::max<std::size_t>(1, g.nodes.size() / 1500);
    const int dots = static_cast<int>((g.nodes.size() + stride - 1) / stride);
    dl->PrimReserve(dots * 6, dots * 4);
    for (std::size_t i = 0; i < g.nodes.size(); i += stride) {
        const Rect nr = idx.node_rect(g, static_cast<int>(i));
        Vec2 a = to_map(nr.min), b = to_map(nr.max);
        b.x = std::max(b.x, a.x + 1.5f);
        b.y = std::max(b.y, a.y + 1.5f);
        dl->PrimRect(im(a), im(b), kind_of(g.nodes[i].type).color);
    }
    dl->AddRect(im(to_map(view.min)), im(to_map(view.max)), kSelectColor, 0.0f, 0, 1.5f);
    dl->AddRect(im(box.min), im(box.max), theme_colors(app.ui_settings.theme).minimap_border, 4.0f);
    app.probes["canvas/minimap"] = box;
    const bool over = box.contains(mouse);
    if ((over && mouse_pressed) || g_canvas.drag == Drag::kMinimap) {
        if (mouse_pressed) g_canvas.drag = Drag::kMinimap;
        if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
            ed.camera.center_on(world.min + (mouse - off) * (1.0f / k), cs);
        } else {
            g_canvas.drag = Drag::kNone;
        }
        return true;
    }
    return over;
}

// A palette entry dragged over the canvas: a ghost card shows where it lands, and dropping it
// adds the node there (its header under the mouse), as one undo step.
void accept_palette_drop(AppState& app, ImDrawList* dl, Vec2 mouse) {
    if (!ImGui::BeginDragDropTarget()) return;
    const ImGuiPayload* payload = ImGui::AcceptDragDropPayload(
        kNodeTypePayload,
        ImGuiDragDropFlags_AcceptBeforeDelivery | ImGuiDragDropFlags_AcceptNoDrawDefaultRect);
    if (payload && payload->DataSize == static_cast<int>(sizeof(NodeType))) {
        NodeType type;
        std::memcpy(&type, payload->Data, sizeof type);
        Editor& ed = app.editor;
        const Vec2 at = ed.camera.screen_to_world(mouse) - Vec2{kNodeWidth / 2, kHeaderHeight / 2};
        if (payload->IsDelivery()) {
            ed.add_node(type, at);
            app.notify(std::string("Added ") + kind_of(type).title);
        } else {
            const float s = ed.camera.scale();
            const Vec2 a = ed.camera.world_to_screen(at);
            const Vec2 b = a + Vec2{kNodeWidth * s, (kHeaderHeight + kSummaryHeight) * s};
            const ImU32 col = kind_of(type).color;
            dl->AddRectFilled(im(a), im(b), (col & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 90),
                              5.0f * s);
            dl->AddRect(im(a), im(b), kSelectColor, 5.0f * s, 0, 1.5f * app.pixel_ratio);
        }
    }
    ImGui::EndDragDropTarget();
}

void serve_focus_requests(AppState& app) {
    Editor& ed = app.editor;
    const GraphIndex& idx = ed.index();
    auto focus_point = [&](Vec2 w) {
        if (ed.camera.zoom < 0.75f) ed.camera.zoom = 1.0f;
        ed.camera.center_on(w, app.canvas_screen);
    };
    if (app.focus_node) {
        const int i = idx.node_index(*app.focus_node);
        if (i >= 0) {
            const Rect r = idx.node_rect(ed.graph(), i);
            focus_point({(r.min.x + r.max.x) / 2, (r.min.y + r.max.y) / 2});
            ed.select_node(*app.focus_node, false);
        }
        app.focus_node.reset();
    }
    if (app.focus_edge) {
        const int e = idx.edge_index(*app.focus_edge);
        if (e >= 0 && ed.routes().points(e).size() >= 2) {
            focus_point(polyline_midpoint(ed.routes().points(e)));
        }
        if (e >= 0) ed.select_edge(*app.focus_edge, false);
        app.focus_edge.reset();
    }
}

}  // namespace

// [SECTION] Entry point

void draw_canvas(AppState& app) {
    Editor& ed = app.editor;
    const Rect& cs = app.canvas_screen;
    ed.camera.origin = {0, 0};
    if (app.request_fit && cs.width() > 1 && cs.height() > 1) {
        ed.fit_view(cs);
        app.request_fit = false;
    }
    serve_focus_requests(app);
    if (g_canvas.entry_version != ed.structure_version()) {
        g_canvas.entry_node = resolve_entry_node(ed.graph());
        g_canvas.entry_version = ed.structure_version();
    }

    ImGui::SetNextWindowPos(im(cs.min));
    ImGui::SetNextWindowSize({cs.width(), cs.height()});
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground |
                                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus |
                                   ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoNav;
    ImGui::Begin("##canvas", nullptr, flags);
    ImGui::PopStyleVar(2);
    ImGui::InvisibleButton("canvas", {std::max(1.0f, cs.width()), std::max(1.0f, cs.height())},
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                               ImGuiButtonFlags_MouseButtonMiddle);
    app.probe("canvas");
    const bool hovered = ImGui::IsItemHovered();
    const bool active = ImGui::IsItemActive();
    const Vec2 mouse = vec(ImGui::GetIO().MousePos);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // The grid goes under everything else of the canvas, drawn by its own shader in the middle
    // of ImGui's GL pass (after the backend has read the GL state it restores: reading GL state
    // waits for the GPU process to finish the commands before, and it need not wait for the
    // grid).
    if (app.canvas_background) {
        dl->AddCallback(app.canvas_background, &app.canvas_screen);
        dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
    }
    accept_palette_drop(app, dl, mouse);

    const float text_px = kCanvasTextSize * ed.camera.scale();
    const float min_px = kMinReadableCanvasText * app.pixel_ratio;
    const float font_size = std::max(text_px, min_px);
    const bool simple = text_px < kSimpleShapesText * app.pixel_ratio;
    DrawContext c{dl,        ed.camera, ed.camera.scale(),
                  text_px,   min_px,    app.fonts.for_size(font_size),
                  font_size, simple,    !simple && kHeaderHeight * ed.camera.scale() >= font_size};
    app.stats.simple_lod = c.simple;
    app.stats.canvas_text = c.text;
    const Rect visible = ed.camera.visible_world(cs);
    draw_notes(app, dl, c.simple);
    draw_diff_ghosts(app);
    draw_edges(app, c, visible);
    draw_nodes(app, c, visible);
    draw_diff_marks(app);
    draw_sim_overlay(app);

    // Previews of the gesture in progress.
    if (g_canvas.drag == Drag::kConnect && g_canvas.connect_node >= 0 &&
        g_canvas.connect_node < static_cast<int>(ed.graph().nodes.size())) {
        const Vec2 from = ed.camera.world_to_screen(
            ed.index().output_pin_world(ed.graph(), g_canvas.connect_node, g_canvas.connect_pin));
        const Curve curve = edge_curve(from, mouse);
        dl->AddBezierCubic(im(curve.p0), im(curve.p1), im(curve.p2), im(curve.p3), kSelectColor,
                           2.0f * app.pixel_ratio, 20);
    }
    if (g_canvas.drag == Drag::kBox && g_canvas.moved) {
        dl->AddRectFilled(im(g_canvas.press_screen), im(mouse), IM_COL32(90, 190, 255, 40));
        dl->AddRect(im(g_canvas.press_screen), im(mouse), kSelectColor);
    }

    const bool pressed = hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    const bool minimap_took = draw_minimap(app, dl, mouse, pressed && g_canvas.drag == Drag::kNone);
    if (!minimap_took) {
        if (hovered) handle_wheel(app, mouse);
        if (pressed) begin_press(app, mouse);
        if (g_canvas.drag != Drag::kNone && g_canvas.drag != Drag::kMinimap) {
            if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
                update_drag(app, mouse);
            } else {
                end_press(app, mouse);
            }
        }
        if (active && (ImGui::IsMouseDown(ImGuiMouseButton_Middle) ||
                       ImGui::IsMouseDown(ImGuiMouseButton_Right))) {
            ed.camera.pan = ed.camera.pan + vec(ImGui::GetIO().MouseDelta);
        }
    }

    // A right click that did not pan opens the canvas menu (on a note: that note's items).
    const float click_slop = 4.0f * app.pixel_ratio;
    if (hovered && !minimap_took && ImGui::IsMouseReleased(ImGuiMouseButton_Right) &&
        ImGui::GetIO().MouseDragMaxDistanceSqr[ImGuiMouseButton_Right] < click_slop * click_slop) {
        const Vec2 world = ed.camera.screen_to_world(mouse);
        const int note = ed.note_at(world);
        app.canvas_menu.open_requested = true;
        app.canvas_menu.world = world;
        app.canvas_menu.note =
            note >= 0 ? ed.notes()[static_cast<std::size_t>(note)].id : std::string();
        if (note >= 0 && !ed.is_selected_note(app.canvas_menu.note)) {
            ed.select_note(app.canvas_menu.note, false);
        }
    }
    draw_canvas_menu(app);

    // Status line.
    char info[160];
    const double percent = ed.camera.zoom * 100.0;
    std::snprintf(info, sizeof info,
                  percent >= 1.0 ? "%.0f%%  ·  %zu nodes  ·  %zu edges"
                                 : "%.2g%%  ·  %zu nodes  ·  %zu edges",
                  percent, ed.graph().nodes.size(), ed.graph().edges.size());
    std::string line = info;
    if (!app.status.empty() && platform::now_ms() < app.status_until) line += "  ·  " + app.status;
    const float pad = 8.0f * app.pixel_ratio;
    // On the grid, so in the theme's text colour, dimmed (View > Theme).
    dl->AddText({cs.min.x + pad, cs.max.y - ImGui::GetFontSize() - pad},
                ImGui::GetColorU32(ImGuiCol_Text, 0.7f), line.c_str());
    ImGui::End();
}

}  // namespace leadflow::web
