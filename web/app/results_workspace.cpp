// web/app/results_workspace.cpp — the panels around the canvas as a workspace: their layout,
// the splitters dragged between them (sizes kept per browser, panel_layout.hpp), maximizing the
// results panel, what the results tables measured (for the automation API), and exporting the
// canvas with its overlay as a PNG (png_encode.hpp).
//
// Index:
//   [SECTION] Sizes kept per browser
//   [SECTION] Layout and splitters
//   [SECTION] Table fit
//   [SECTION] Canvas PNG
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app.hpp"
#include "platform.hpp"
#include "png_encode.hpp"

namespace leadflow::web {

// [SECTION] Sizes kept per browser

void load_panel_sizes(AppState& app) {
    const std::optional<std::string> text = platform::storage_get(kPanelLayoutKey);
    app.panels.sizes = parse_panel_sizes(text ? *text : "");
}

void set_panel_sizes(AppState& app, const PanelSizes& s) {
    PanelSizes clean = s;
    clean.left = std::max(clean.left, kMinLeftPanel);
    clean.right = std::max(clean.right, kMinRightPanel);
    clean.bottom = std::max(clean.bottom, kMinBottomPanel);
    if (clean == app.panels.sizes) return;
    app.panels.sizes = clean;
    platform::storage_set(kPanelLayoutKey, panel_sizes_text(clean));
}

void toggle_results_maximized(AppState& app) {
    PanelSizes s = app.panels.sizes;
    s.results_maximized = !s.results_maximized;
    set_panel_sizes(app, s);
    if (s.results_maximized && app.sim.open_tab.empty()) app.sim.open_tab = "results";
}

// [SECTION] Layout and splitters

namespace {

enum Splitter { kNone = 0, kLeft = 1, kRight = 2, kBottom = 3 };

// Draws a splitter's grip (a line along the gap) in the theme's separator colours.
void draw_grip(const Rect& r, bool vertical, bool hot, bool active) {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const ImU32 col = ImGui::GetColorU32(active ? ImGuiCol_SeparatorActive
                                         : hot  ? ImGuiCol_SeparatorHovered
                                                : ImGuiCol_Separator);
    const float t = hot || active ? 3.0f : 1.0f;
    if (vertical) {
        const float x = (r.min.x + r.max.x) / 2;
        dl->AddLine({x, r.min.y}, {x, r.max.y}, col, t);
    } else {
        const float y = (r.min.y + r.max.y) / 2;
        dl->AddLine({r.min.x, y}, {r.max.x, y}, col, t);
    }
}

// Handles the three splitters: press in a gap (where no window is) starts a drag, moving the
// mouse resizes, releasing keeps the sizes; a double-click on the results splitter maximizes or
// restores the results. ImGui gives no window the mouse while a press that began outside every
// window is held, so the panels and the canvas ignore the drag.
void handle_splitters(AppState& app, const Rect (&gaps)[4], const PanelRects& r, float k) {
    PanelUi& p = app.panels;
    const ImGuiIO& io = ImGui::GetIO();
    const Vec2 mouse{io.MousePos.x, io.MousePos.y};
    int hot = kNone;
    if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_AnyWindow) && !ImGui::IsAnyItemActive()) {
        for (int i = kLeft; i <= kBottom; ++i) {
            if (gaps[i].width() > 0 && gaps[i].height() > 0 && gaps[i].contains(mouse)) hot = i;
        }
    }
    if (p.dragging == kNone && hot != kNone && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) &&
        hot == kBottom) {
        toggle_results_maximized(app);
    } else if (p.dragging == kNone && hot != kNone &&
               ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        p.dragging = hot;
        p.press_at = hot == kBottom ? mouse.y : mouse.x;
        p.drag_from = hot == kLeft ? r.left / k : hot == kRight ? r.right / k : r.bottom / k;
        if (hot == kBottom) p.sizes.results_maximized = false;
    }
    if (p.dragging != kNone) {
        const float d = ((p.dragging == kBottom ? mouse.y : mouse.x) - p.press_at) / k;
        if (p.dragging == kLeft) p.sizes.left = std::max(kMinLeftPanel, p.drag_from + d);
        if (p.dragging == kRight) p.sizes.right = std::max(kMinRightPanel, p.drag_from - d);
        if (p.dragging == kBottom) p.sizes.bottom = std::max(kMinBottomPanel, p.drag_from - d);
        if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
            // Keep what is on screen (the fitted sizes), so a drag past a minimum is not
            // remembered beyond it.
            PanelSizes kept = p.sizes;
            const PanelRects now = fit_panels(kept, ImGui::GetMainViewport()->WorkSize.x,
                                              ImGui::GetMainViewport()->WorkSize.y, k);
            if (p.dragging == kLeft) kept.left = now.left / k;
            if (p.dragging == kRight) kept.right = now.right / k;
            if (p.dragging == kBottom) kept.bottom = now.bottom / k;
            p.dragging = kNone;
            p.sizes = PanelSizes{};  // forces set_panel_sizes to store
            set_panel_sizes(app, kept);
        }
    }
    const int shown = p.dragging != kNone ? p.dragging : hot;
    if (shown != kNone) {
        ImGui::SetMouseCursor(shown == kBottom ? ImGuiMouseCursor_ResizeNS
                                               : ImGuiMouseCursor_ResizeEW);
    }
    for (int i = kLeft; i <= kBottom; ++i) {
        draw_grip(gaps[i], i != kBottom, hot == i, p.dragging == i);
    }
}

}  // namespace

void layout_panels(AppState& app) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float k = app.ui_ratio();
    const float top = vp->WorkPos.y;
    const float height = vp->WorkSize.y;
    const float width = vp->WorkSize.x;
    const PanelRects r = fit_panels(app.panels.sizes, width, height, k);
    const float bottom_top = top + height - r.bottom;
    const float side_bottom = r.bottom_full_width ? bottom_top - r.gap : top + height;
    const float canvas_l = r.left + r.gap, canvas_r = width - r.right - r.gap;
    Rect gaps[4];
    gaps[kLeft] = {{r.left, top}, {canvas_l, side_bottom}};
    gaps[kRight] = {{canvas_r, top}, {width - r.right, side_bottom}};
    gaps[kBottom] = {{r.bottom_full_width ? 0 : canvas_l, bottom_top - r.gap},
                     {r.bottom_full_width ? width : canvas_r, bottom_top}};
    handle_splitters(app, gaps, r, k);
    for (int i = kLeft; i <= kBottom; ++i) {
        static const char* const kNames[] = {"", "splitter/left", "splitter/right",
                                             "splitter/bottom"};
        app.probes[kNames[i]] = gaps[i];
    }

    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;
    ImGui::SetNextWindowPos({0, top});
    ImGui::SetNextWindowSize({r.left, side_bottom - top});
    if (ImGui::Begin("Palette", nullptr, fixed)) draw_palette(app);
    ImGui::End();

    ImGui::SetNextWindowPos({width - r.right, top});
    ImGui::SetNextWindowSize({r.right, side_bottom - top});
    if (ImGui::Begin("Inspector", nullptr, fixed)) draw_right_panel(app);
    ImGui::End();

    const float bottom_l = r.bottom_full_width ? 0 : canvas_l;
    const float bottom_r = r.bottom_full_width ? width : canvas_r;
    ImGui::SetNextWindowPos({bottom_l, bottom_top});
    ImGui::SetNextWindowSize({bottom_r - bottom_l, r.bottom});
    if (ImGui::Begin("Validation", nullptr, fixed)) draw_bottom_panel(app);
    ImGui::End();
    app.probes["panel/results"] = {{bottom_l, bottom_top}, {bottom_r, bottom_top + r.bottom}};

    app.canvas_screen = {{canvas_l, top}, {canvas_r, bottom_top - r.gap}};
}

// [SECTION] Table fit

void fit_column(std::vector<float>& text_widths, int col) {
    float& w = text_widths[static_cast<std::size_t>(col)];
    w = std::max(w, ImGui::GetItemRectSize().x);
}

void record_table_fit(AppState& app, const char* table, const std::vector<float>& text_widths,
                      const std::vector<const char*>& headers) {
    // Called on the table's last row: each column's content width is what a cell has from its
    // start to the column's right edge.
    const float to_css = 1.0f / app.pixel_ratio;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        ImGui::TableSetColumnIndex(static_cast<int>(i));
        const float text = std::max(i < text_widths.size() ? text_widths[i] : 0.0f,
                                    ImGui::CalcTextSize(headers[i]).x);
        app.table_fits.push_back(
            {table, headers[i], ImGui::GetContentRegionAvail().x * to_css, text * to_css});
    }
}

// [SECTION] Canvas PNG

void request_canvas_png(AppState& app) {
    app.png_export_frame = app.stats.frames + 2;
    app.notify("Exporting the canvas as PNG…", 2.0);
}

void export_canvas_png(AppState& app, int framebuffer_height,
                       void (*read)(int x, int y, int w, int h, unsigned char* rgba)) {
    app.png_export_frame = 0;
    const Rect& c = app.canvas_screen;
    const int x = std::max(0, static_cast<int>(c.min.x));
    const int y_top = std::max(0, static_cast<int>(c.min.y));
    const int w = static_cast<int>(c.max.x) - x;
    const int h = std::min(static_cast<int>(c.max.y), framebuffer_height) - y_top;
    if (w <= 0 || h <= 0) return;
    std::string pixels(static_cast<std::size_t>(w) * h * 4, '\0');
    // The framebuffer's rows run bottom to top; the PNG's top to bottom.
    read(x, framebuffer_height - y_top - h, w, h, reinterpret_cast<unsigned char*>(&pixels[0]));
    std::string flipped(pixels.size(), '\0');
    const std::size_t stride = static_cast<std::size_t>(w) * 4;
    for (int row = 0; row < h; ++row) {
        flipped.replace(stride * row, stride, pixels, stride * (h - 1 - row), stride);
    }
    // The canvas is opaque; WebGL may leave alpha below 255 where ImGui blended translucent
    // shapes, which would make the image see-through.
    for (std::size_t i = 3; i < flipped.size(); i += 4) flipped[i] = static_cast<char>(255);
    const std::string png = encode_png_rgba(flipped, w, h);
    if (png.empty()) return;
    platform::download_bytes("leadflow-canvas.png", png, "image/png");
    ++app.png_exports;
    app.notify("Exported leadflow-canvas.png");
}

}  // namespace leadflow::web
