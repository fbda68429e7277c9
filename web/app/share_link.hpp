// web/app/share_link.hpp — what a share link (docs/simulation.md#share-links) carries for the
// editor: the graph, the scenario and the view (camera centre and zoom, the open panel), built on
// the core's encode_share_fragment / decode_share_fragment. Pure: tested natively.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "geometry.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

// Editor view state carried by a link.
struct LinkView {
    Vec2 center;        // world point at the centre of the canvas
    float zoom = 1.0f;  // 1 = 100%
    std::string panel;  // "simulation", "results" or "" (the editor as usual)
};

// {"center": [x, y], "zoom": z, "panel": "…"} (numbers rounded to 0.1 world units / 1e-3 zoom).
Json link_view_json(const LinkView& v);
// Reads a view written by link_view_json; nullopt when `j` is not such an object (a link made
// without a view, or one this version does not understand: the link still opens).
std::optional<LinkView> link_view_from_json(const Json& j);

// The fragment (without '#') for a graph, a scenario (scenario JSON, or null) and a view.
std::string make_share_fragment(const Graph& graph, const Json& scenario, const LinkView& view);

// What an opened link restores.
struct OpenedLink {
    Graph graph;
    Json scenario = nullptr;  // null when the link has none
    std::optional<LinkView> view;
};
// Decodes a fragment ("#s=1.…", "s=1.…" or "1.…") and checks its graph and scenario. Fails with
// kInvalidArgument and a message for the user: the core's ("This link is incomplete or damaged
// (…)", "… made by a newer version …"), or "This link's workflow cannot be read: …" / "This
// link's scenario is invalid: …". Nothing is applied here; the caller replaces its state only
// on success, so a bad link leaves the current work untouched.
Result<OpenedLink> open_share_fragment(std::string_view fragment);

}  // namespace leadflow::web
