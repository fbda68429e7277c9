// web/app/node_kinds.hpp — what the editor knows about each node type
// (docs/workflows.md#node-types): palette entries, card colours, the output pins a node shows (one
// per outcome it emits), default configs and the one-line summary of a node's key config.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"

namespace leadflow::web {

struct NodeKind {
    NodeType type;
    const char* wire;      // "VOICE_CALL", …
    const char* title;     // "Voice call", …
    std::uint32_t color;   // card header colour, 0xAABBGGRR (ImGui's ImU32 layout)
    const char* shortcut;  // palette shortcut shown in menus ("1" … "7")
};

// The seven creatable node types, in palette order (SPLIT, the Leadflow extension, last).
const std::vector<NodeKind>& node_kinds();
// The kind of a node type; a grey "Unknown" kind for kUnknown.
const NodeKind& kind_of(NodeType t);

// One output pin. Dragging from it creates an edge labelled `label`, or an unlabelled (default)
// edge when `is_default`.
struct Pin {
    std::string label;  // shown next to the pin; "next"/"default" for unlabelled pins
    bool is_default = false;
};

// The output pins of a node: VOICE_CALL: COMPLETED, DNP, NO_ANSWER, BUSY, VOICEMAIL, FAILED,
// default; TIME: next (unlabelled); CONDITIONAL: true, false, default — or in switch mode (a
// non-empty `condition_field`) one pin per `branches` value, then default; APPLICATION: success,
// failure, default; CONVERTED/DROPPED: none; unknown types: default.
std::vector<Pin> output_pins(const Node& n);

// The edge label a pin creates (nullopt for a default pin).
std::optional<std::string> pin_edge_label(const Pin& p);

// Index of the pin an edge leaves from: the pin whose label matches the edge's label
// (normalize_label) or the default pin for an unlabelled edge; -1 when none matches (the edge is
// drawn from the card's "other" anchor and validation reports UNKNOWN_EDGE_LABEL).
int pin_for_edge(const std::vector<Pin>& pins, const Edge& e);

// The config a new node of this type starts with (canonical keys of node_config.hpp, empty required
// values so that validation tells the user what to fill in).
Json default_config(NodeType t);

// A short human summary of the key config ("agent_42 · +14155550100", "2 days", "AND · 2
// conditions", "webhook · notify"); empty when there is nothing to show.
std::string config_summary(const Node& n);

}  // namespace leadflow::web
