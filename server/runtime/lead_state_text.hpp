// server/runtime/lead_state_text.hpp — the scheduler's stored lead state (the leads.state
// column): one compact line instead of the engine's JSON object (to_json(LeadState)), because
// the scheduler reads and writes it at every step.
//
//   s1|<phase>|<steps>|<end>|<reason>|<last call outcome>|<last call ms>|<last application
//   result>|<entered_at>|<release_at>|<node id>
//
// Enums are written by their wire names (to_string: "waiting", "completed", "no_matching_edge",
// "NO_ANSWER", "success"), an absent value as an empty field, times as epoch milliseconds, and
// the node id last, so it may contain any character. States stored before this format (JSON
// objects, lead_state_from_json) are still read; the next step writes them in the new format.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/engine.hpp"
#include "leadflow/status.hpp"

namespace leadflow::server {

// Replaces `out` with the state's text (reusing its capacity).
void write_lead_state_text(const LeadState& s, const CompiledGraph& g, std::string& out);

// A stored state, in either format. As lead_state_from_json: a node id that is no longer in
// `g` makes the lead stuck (node_removed) unless it is done. kInvalidArgument names the field
// that is malformed.
Result<LeadState> parse_lead_state_text(std::string_view text, const CompiledGraph& g);

// The phase of a stored state without the graph (either format); nullopt when unreadable.
std::optional<Phase> lead_state_phase(std::string_view text);

// The node id of a stored state without the graph (either format); nullopt when unreadable or
// when the lead has no node yet.
std::optional<std::string> lead_state_node_id(std::string_view text);

// The stored state with its node id replaced by `node_id` (the lead moved to that node of
// another version; everything else about it is unchanged), in the compact format. nullopt when
// the text is unreadable.
std::optional<std::string> with_lead_state_node_id(std::string_view text,
                                                   const std::string& node_id);

}  // namespace leadflow::server
