// leadflow/share.hpp — share links (docs/simulation.md#share-links): {graph, scenario, view} in a
// URL fragment "#s=<version>.<base64url(deflate(json))>". Version 1 is the only format so far;
// every later version must keep decoding version-1 links (tests/fixtures/share/ keeps samples of
// each).
#pragma once

#include <string>
#include <string_view>

#include "leadflow/json.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

constexpr int kShareFormatVersion = 1;

// What a link carries. `graph` is {workflow, nodes, edges}; `scenario` is the scenario JSON (or
// null); `view` is editor state (pan, zoom, selection, open panels; or null).
struct SharePayload {
    Json graph = Json::object();
    Json scenario = nullptr;
    Json view = nullptr;
};

// The fragment for a payload, without the leading '#': "s=1.<data>". Deterministic: the same
// payload gives the same text on every platform.
std::string encode_share_fragment(const SharePayload& payload);

// Reads a fragment as found in a URL: "#s=1.…", "s=1.…" or "1.…"; other "&"-separated
// parameters in the fragment are ignored. Fails with kInvalidArgument and a message fit for
// the user: "This link is incomplete or damaged (…)", "This link was made by a newer version
// of Leadflow (format 7)", "This link holds no workflow".
Result<SharePayload> decode_share_fragment(std::string_view fragment);

}  // namespace leadflow
