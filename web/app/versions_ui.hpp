// web/app/versions_ui.hpp — server mode's workflow versions (docs/versions.md) in the editor:
// their state (held by AppState::versions) and the functions the Server tab, the canvas and
// the automation API call. One file per feature:
//   versions_client.cpp  requests: the version list, publish (dry run, then confirm), restore,
//                        the diff against the draft, the draft's state, simulate the change
//   versions_panel.cpp   the Versions section of the Server tab and the Version diff tab
//   diff_overlay.cpp     the diff drawn on the canvas (marks, ghosts of removed nodes/edges)
// Parsing and the diff's layout live in versions_data (tested natively).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ghost_routes.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "versions_data.hpp"

namespace leadflow::web {

struct AppState;

// Where a publish stands: Publish asks for the dry run (saving unsaved edits first), its
// summary is reviewed, Confirm publishes.
enum class PublishStep { kIdle, kSaving, kChecking, kReview, kPublishing };

struct VersionsUi {
    std::string workflow_id;  // whose versions these are ("" = none loaded)
    // The list, one page at a time (newest first).
    VersionPage page;
    std::int64_t page_no = 1;
    bool loaded = false;
    std::optional<std::int64_t> selected;  // the version chosen for Restore / Diff
    // The draft against the newest version: the diff from it to the draft (nullopt while
    // unknown or when nothing is published).
    std::optional<std::int64_t> published;  // the workflow's published_version
    std::optional<DiffView> draft_diff;
    std::string draft_line;  // draft_status_line()
    // Editor::version() when the editor last matched the server's draft (open, save, restore).
    std::uint64_t synced_version = 0;
    // Publish.
    std::string note;
    bool move = false;  // migrate "move" (else "keep")
    PublishStep step = PublishStep::kIdle;
    std::optional<PublishPreview> preview;           // the dry run's summary (kReview)
    std::optional<PublishPreview> published_result;  // the last real publish's answer
    std::string error;                               // the last failure of this section
    // Diff against the draft, shown on the canvas and in the Version diff tab.
    bool diff_on = false;
    std::int64_t diff_version = 0;
    std::optional<DiffView> diff;
    std::optional<Graph> diff_graph;  // the version's graph (ghost positions)
    DiffOverlay overlay;
    GhostRoutes ghost_routes;  // the overlay's ghost edges routed around the cards (cached)
    int ghost_reroutes = 0;    // ghost edges routed in the last frame that drew them (tests)
    int diff_requests = 0;     // answers still awaited for the diff
    // What the canvas drew last frame (tests): nodes and edges marked, ghosts.
    int marks_drawn = 0, ghost_nodes_drawn = 0, ghost_edges_drawn = 0;
    std::uint64_t restores = 0;
};

// [SECTION] Actions (versions_client.cpp)
// A workflow was opened or created in the editor (or signed out: id ""): forget the previous
// one's versions, load the list and the draft's state.
void versions_reset(AppState& app, const std::string& workflow_id);
// The editor now matches the server's draft (after open / save / restore).
void versions_mark_synced(AppState& app);
// True when the editor has changes the server's draft does not have.
bool versions_unsaved(const AppState& app);
// Reloads page `page` of the list (>= 1) and the draft's state.
void versions_refresh(AppState& app, std::int64_t page = 0);
// Publish: saves unsaved edits as the draft (never publishing them), then asks for the dry run
// with the note and the keep/move choice; the summary lands in VersionsUi::preview.
void versions_publish_preview(AppState& app);
// Publishes for real what the dry run described (kReview only).
void versions_publish_confirm(AppState& app);
void versions_publish_cancel(AppState& app);
// draft := version n, then the editor loads the draft (one undo step).
void versions_restore(AppState& app, std::int64_t n);
// Shows what changed from version n to the server's draft (canvas + Version diff tab).
void versions_show_diff(AppState& app, std::int64_t n);
void versions_hide_diff(AppState& app);
// Simulate the change: the workflow's stored scenario on the newest version's graph (before)
// and on the editor's graph (after), side by side in the Compare tab.
void versions_simulate_change(AppState& app);
// Sets the publish note and the keep/move choice from {"note", "migrate": "move"|"keep"} JSON
// (the automation API's "publish" argument); "" or anything else leaves them as they are.
void versions_set_publish_options(AppState& app, const std::string& options);
// The automation API's view: {loaded, page, total, rows, selected, published, draft_line,
// draft_runs_differently, unsaved, step, preview, published_result, error, diff, marks_drawn,
// ghost_nodes_drawn, ghost_edges_drawn, ghost_reroutes, restores}.
Json versions_status_json(const AppState& app);

// [SECTION] Drawing
void draw_versions_section(AppState& app);  // versions_panel.cpp (inside the Server tab)
void draw_diff_list(AppState& app);         // versions_panel.cpp (the Version diff tab)
// diff_overlay.cpp: ghosts go under the graph, marks over it.
void draw_diff_ghosts(AppState& app);
void draw_diff_marks(AppState& app);

}  // namespace leadflow::web
