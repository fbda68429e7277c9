// web/app/io.cpp — graph JSON in and out: load (automation, templates, import), export as a file
// download, and autosave to localStorage (restored on reload).
#include <imgui.h>

#include <cctype>

#include "app.hpp"
#include "leadflow/wire.hpp"
#include "platform.hpp"

namespace leadflow::web {

Status load_graph_text(AppState& app, const std::string& text, bool undoable,
                       const std::string& label) {
    Result<Graph> g = parse_graph(text);
    if (!g.ok()) return g.status();
    const std::string notes_warning = app.editor.load(std::move(*g), undoable, label);
    if (!notes_warning.empty()) app.notify(notes_warning, 12.0, true);
    return Status::ok();
}

bool arrange_opened_graph(AppState& app) {
    if (!app.editor.arrange_if_overlapping()) return false;
    app.request_fit = true;
    app.notify(
        "Laid out the workflow: its cards had no positions or overlapped (Ctrl+Z restores "
        "them)",
        8.0);
    return true;
}

std::string graph_text(const AppState& app, bool pretty) {
    const Json j = to_json(app.editor.graph());
    return pretty ? j.dump(2) : j.dump();
}

void export_file(AppState& app) {
    std::string name = app.editor.graph().workflow.title;
    for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    }
    if (name.empty()) name = "workflow";
    platform::download_text(name + ".json", graph_text(app, true));
    app.notify("Exported " + name + ".json");
}

void import_file(AppState& app) {
    platform::request_file_upload();
}

void autosave_tick(AppState& app) {
    const double now = platform::now_ms();
    if (app.seen_version != app.editor.version()) {
        app.seen_version = app.editor.version();
        app.last_change_ms = now;
    }
    if (app.saved_version != app.editor.version() && !app.editor.in_change() &&
        now - app.last_change_ms > 1000.0) {
        platform::storage_set(kAutosaveKey, graph_text(app, false));
        app.saved_version = app.editor.version();
    }
}

bool restore_autosave(AppState& app) {
    std::optional<std::string> text = platform::storage_get(kAutosaveKey);
    if (!text) return false;
    return load_graph_text(app, *text, false, "Restore").is_ok();
}

}  // namespace leadflow::web
