// web/app/app.hpp — the browser editor's UI state and the per-window draw functions (one file
// per window or feature: editor_canvas, inspector, palette, validation_panel, templates, io).
// Everything here runs inside the ImGui frame; model logic lives in editor.hpp and the core.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compare_ui.hpp"
#include "editor.hpp"
#include "fonts.hpp"
#include "grid_renderer.hpp"
#include "leadflow/validate.hpp"
#include "panel_layout.hpp"
#include "server_client.hpp"
#include "shortcuts.hpp"
#include "sim_ui.hpp"
#include "ui_settings.hpp"
#include "versions_ui.hpp"

struct ImDrawList;
struct ImVec4;
struct ImDrawCmd;

namespace leadflow::web {

// Frame build time (ImGui NewFrame → Render) statistics, for the automation API and bench.
struct FrameStats {
    double last_ms = 0;
    double samples[120] = {};
    int count = 0;
    std::uint64_t frames = 0;
    int nodes_drawn = 0;
    int edges_drawn = 0;
    bool simple_lod = false;
    bool canvas_text = false;  // the canvas drew its text (cards, pins, edge labels) this frame
    void add(double ms);
    double average_ms() const;
};

// Find node (Ctrl+F, find_panel.cpp): the search box over the canvas.
struct FindUi {
    bool open = false;
    bool focus_input = false;   // put the keyboard in the box on the next frame
    bool input_active = false;  // the box has the keyboard (last frame)
    std::string query;
    int highlighted = 0;  // the match Enter jumps to (Up/Down move it)
};
// How many matches the box lists at most (it counts them all).
constexpr std::size_t kFindListed = 50;

// A note's text being edited on the canvas (note_cards.cpp).
struct NoteEditUi {
    std::string id;  // "" when no note is being edited
    std::string text;
    bool focus_input = false;   // put the keyboard in the field on the next frame
    bool input_active = false;  // the field has the keyboard (last frame)
};

// The canvas's right-click menu (note_cards.cpp).
struct CanvasMenuUi {
    bool open_requested = false;
    Vec2 world;        // where it was opened, world units
    std::string note;  // the note under the mouse then, "" when none
};

// What the results charts and tables showed last frame, for the automation API (tests read the
// hovered value and check that no column cuts its header).
struct ChartHover {
    std::string chart;  // "" when the mouse is over no bar or point; else "terminal", "histogram",
                        // "progress"
    int index = -1;
    std::string text;  // the tooltip's text
};
struct TableColumnFit {
    std::string table, header;
    float width = 0;       // the column's content width (CSS pixels)
    float text_width = 0;  // the widest text drawn in it, header included (CSS pixels)
};

// Panel splitters (app.cpp): the sizes, kept in localStorage, and the one being dragged.
struct PanelUi {
    PanelSizes sizes;
    int dragging = 0;     // 0 none, 1 palette|canvas, 2 canvas|inspector, 3 canvas/results
    float drag_from = 0;  // the size at the press (units of PanelSizes)
    float press_at = 0;   // the mouse coordinate at the press (device pixels)
};

struct AppState {
    Editor editor{1};
    Fonts fonts;
    float pixel_ratio = 1.0f;  // devicePixelRatio: device pixels per CSS pixel
    // Theme and UI scale (View menu). The frame loop restyles when they change.
    UiSettings ui_settings;
    float ui_scale = 1.0f;  // the UI scale the current style and fonts were built for
    // Device pixels per CSS pixel of panels, menus and their text (the canvas uses pixel_ratio).
    float ui_ratio() const { return pixel_ratio * ui_scale; }
    Rect canvas_screen;  // the canvas area this frame, device pixels
    // Paints the canvas background (the grid shader) in the GL pass: an ImGui draw callback put
    // first in the canvas window, its data the Rect to cover. Set by main.cpp (none in tests).
    void (*canvas_background)(const ImDrawList*, const ImDrawCmd*) = nullptr;

    // Live validation (re-run when the graph's structure changes).
    std::vector<Diagnostic> diagnostics;
    std::uint64_t validated_version = 0;
    std::unordered_map<std::string, Severity> node_marks;  // worst severity per node
    std::unordered_map<std::string, Severity> edge_marks;

    // Clipboard: our own copy, and text the browser's paste event delivered this frame.
    std::string internal_clipboard;
    std::optional<std::string> pasted_text;
    std::string text_clipboard;  // ImGui text fields' clipboard (backing store)

    // Requests raised by menus, panels and the automation API, served by the canvas.
    bool request_fit = false;
    std::optional<std::string> focus_node;
    std::optional<std::string> focus_edge;
    bool show_minimap = true;
    bool show_help = false;
    bool show_shortcuts = false;  // Help → Keyboard shortcuts
    FindUi find;
    NoteEditUi note_edit;
    CanvasMenuUi canvas_menu;

    // Status line (bottom of the canvas): message and when it expires (ms). A message given
    // with `hold` (something the user must read: what an opened document lost) stays until it
    // expires; ordinary messages meanwhile are not shown.
    std::string status;
    double status_until = 0;
    double status_hold_until = 0;
    void notify(const std::string& message, double seconds = 4.0, bool hold = false);

    // Autosave bookkeeping.
    std::uint64_t saved_version = 0;
    double last_change_ms = 0;
    std::uint64_t seen_version = 0;

    // Screen rectangles of named widgets (CSS pixels), for end-to-end tests.
    std::map<std::string, Rect> probes;
    void probe(const std::string& name);  // records ImGui's last item

    FrameStats stats;

    // Simulation, results and share links (sim_ui.hpp).
    SimUi sim;
    // Server mode (server_client.hpp) and the open workflow's versions (versions_ui.hpp).
    ServerUi server;
    VersionsUi versions;
    // Comparing two graphs by simulation (compare_ui.hpp).
    CompareUi compare;

    // The results workspace: panel sizes, chart hover, table column fit (results_workspace.cpp).
    PanelUi panels;
    ChartHover chart_hover;
    std::vector<TableColumnFit> table_fits;
    // Canvas PNG export: the frame on which main.cpp reads the canvas back (0: none asked). Taken
    // two frames after the request so the menu that asked is gone from the picture.
    std::uint64_t png_export_frame = 0;
    int png_exports = 0;  // how many were written (automation API)
};

// [SECTION] Frame
// Draws the whole UI for one frame (menus, panels, canvas) and runs the per-frame services
// (validation, autosave).
void draw_app(AppState& app);

// [SECTION] Windows (one file each)
void draw_canvas(AppState& app);            // editor_canvas.cpp
void draw_palette(AppState& app);           // palette.cpp
void draw_inspector(AppState& app);         // inspector.cpp
void draw_validation_panel(AppState& app);  // validation_panel.cpp
void draw_find(AppState& app);              // find_panel.cpp
// Opens the Find node box with the keyboard in it (Ctrl+F).
void open_find(AppState& app);
// Runs validation if the graph's structure changed since the last run.
void update_validation(AppState& app);

// [SECTION] Notes on the canvas (note_cards.cpp; the data is leadflow/notes.hpp)
// Draws the visible notes (under edges and cards).
void draw_notes(AppState& app, ImDrawList* dl, bool simple);
// The fill of a note of colour `color` (a name of note_colors(); anything else: yellow), RGBA.
unsigned note_fill(const std::string& color);
// Adds a note under the mouse (the view centre when the mouse is off the canvas) and opens its
// text for editing.
void add_note_at_mouse(AppState& app);
void add_note_at(AppState& app, Vec2 world);
// Opens the text of the one selected note for editing (nothing when not exactly one note).
void edit_selected_note(AppState& app);
void open_note_editor(AppState& app, const std::string& id);
// The text field over the note being edited: Enter (or a click elsewhere) keeps the text as
// one undo step, Ctrl+Enter starts a new line, Escape drops the change.
void draw_note_editor(AppState& app);
// Align and distribute items for the selected steps (Edit menu and the canvas menu; app.cpp).
void draw_align_menu_items(AppState& app);
// The right-click menu of the canvas: add a note there; on a note, edit, colour, delete.
void draw_canvas_menu(AppState& app);

// [SECTION] Keyboard shortcuts (shortcuts_panel.cpp; the table is shortcuts.hpp)
// Does what `a` does (a shortcut, or the menu item showing it).
void run_action(AppState& app, Action a);
// Runs the action of a shortcut pressed this frame (none while a text field has the keyboard).
void handle_shortcuts(AppState& app);
// Help → Keyboard shortcuts: the table, as the key handling reads it.
void draw_shortcuts_window(AppState& app);

// [SECTION] Theme and UI scale (settings_menu.cpp; the stored form is ui_settings.hpp)
struct ThemeColors {
    float clear[4];           // behind everything (glClearColor)
    GridColors grid;          // the canvas background
    unsigned minimap_fill;    // the minimap's box (ImU32, RGBA)
    unsigned minimap_border;  // and its outline
};
// The colour of status text `tone` (ui_settings.hpp) in the current theme
// (app.ui_settings.theme), as ImGui RGBA floats.
ToneColor tone_color(const AppState& app, StatusTone tone);
// The same as ImGui's colour type (for TextColored).
ImVec4 tone(const AppState& app, StatusTone t);
// Status text in `tone`, wrapped at the window's edge; nothing when `text` is empty.
void tone_text_wrapped(const AppState& app, StatusTone tone, const std::string& text);
// A button that deletes or removes something: red, with text readable on it in either theme.
bool danger_button(const AppState& app, const char* label);
const ThemeColors& theme_colors(Theme t);
// Sets ImGui's style: the theme's colours, sizes scaled by `scale` (device pixels per CSS pixel).
void apply_editor_style(Theme theme, float scale);
// Reads the settings kept in localStorage (defaults when there are none).
void load_ui_settings(AppState& app);
// Changes the settings (the scale clamped to its range) and keeps them in localStorage.
void set_ui_settings(AppState& app, const UiSettings& s);
// The View menu's Theme and UI scale submenus.
void draw_settings_menu_items(AppState& app);

// [SECTION] Results workspace (results_workspace.cpp; sizes are panel_layout.hpp)
// Reads the panel sizes kept in localStorage (defaults when there are none).
void load_panel_sizes(AppState& app);
// Changes them (each at least its minimum) and keeps them in localStorage.
void set_panel_sizes(AppState& app, const PanelSizes& s);
// Lays out palette, inspector, results panel and canvas, handles the splitters between them
// (drag to resize, cursor feedback) and sets app.canvas_screen.
void layout_panels(AppState& app);
// Maximizes the results panel, or restores it (View menu, R, the panel's button).
void toggle_results_maximized(AppState& app);
// Records a table's column widths against its texts (after EndTable is not possible: call
// between the last row and EndTable) for the automation API.
void record_table_fit(AppState& app, const char* table, const std::vector<float>& text_widths,
                      const std::vector<const char*>& headers);
// Widens text_widths[col] to the item just drawn (a cell's text), for record_table_fit.
void fit_column(std::vector<float>& text_widths, int col);
// Asks for a PNG of the canvas (with its overlay) as a download, taken two frames later.
void request_canvas_png(AppState& app);
// Called by main.cpp after rendering when app.png_export_frame is due: reads the canvas's pixels
// from the framebuffer (`read` gives RGBA rows bottom to top of the rectangle x, y, w, h in
// framebuffer pixels), encodes and downloads leadflow-canvas.png.
void export_canvas_png(AppState& app, int framebuffer_height,
                       void (*read)(int x, int y, int w, int h, unsigned char* rgba));

// [SECTION] Templates (templates.cpp): the three reference workflows of tests/fixtures/.
struct Template {
    const char* name;
    const char* json;
};
const std::vector<Template>& templates();
void draw_templates_menu(AppState& app);

// [SECTION] Import / export / autosave (io.cpp)
constexpr const char* kAutosaveKey = "leadflow.editor.autosave.v1";
// Loads graph JSON text. On failure the editor is unchanged and the error is returned.
Status load_graph_text(AppState& app, const std::string& text, bool undoable,
                       const std::string& label);
// After a graph was opened from outside the editor (loadGraph, import, share link, server,
// template): when its cards overlap, as those of a graph without positions do, lays it out as
// one undo step (undo gives back the positions it came with), fits the view and says so in the
// status line. A graph whose cards do not overlap is left exactly as it came. Returns whether it
// laid the graph out.
bool arrange_opened_graph(AppState& app);
std::string graph_text(const AppState& app, bool pretty);
void export_file(AppState& app);
void import_file(AppState& app);
// Saves to localStorage one second after the last change.
void autosave_tick(AppState& app);
// Restores the autosaved graph; false when there is none (or it does not parse).
bool restore_autosave(AppState& app);

// [SECTION] Clipboard and shortcuts (editor_canvas.cpp)
void copy_selection(AppState& app);
void paste_clipboard(AppState& app);
// Adds a node of `t` at the centre of the view.
void add_node_at_view_center(AppState& app, NodeType t);
// ImGui drag-and-drop payload type of a palette entry dragged onto the canvas (the payload is
// the NodeType); the canvas adds the node where it is dropped.
constexpr const char* kNodeTypePayload = "leadflow/node-type";

}  // namespace leadflow::web
