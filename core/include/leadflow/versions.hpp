// leadflow/versions.hpp — where a running lead stands after a workflow's later versions were
// published (the rule of docs/versions.md, shared by the live scheduler, the API's lead view
// and publish's dry run, so the three can never disagree).
//
// A workflow runs on numbered, immutable published versions. A lead records the version it runs
// on and the newest version it has been checked against (`seen`). Each publish after `seen`
// either keeps running leads where they are (`keep`) or moves them (`move`): a lead whose node
// id — or the node `node_map` names for it — exists in the new version with the same node type
// moves to that node of the new version; any other lead stays on its version and finishes
// there. A lead is never moved onto a node of another type: its phase (in a call, waiting,
// queued for a slot) only makes sense on a node like the one it entered.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "leadflow/model.hpp"

namespace leadflow {

// What one published version means for leads that were running when it was published.
struct VersionStep {
    std::int64_t number = 0;                      // ≥ 1
    bool move = false;                            // migrate "move" (else "keep")
    std::map<std::string, std::string> node_map;  // old node id → node id in this version
    std::map<std::string, NodeType> nodes;        // this version's nodes by id
};

// Builds the step of a version from its graph.
VersionStep version_step(std::int64_t number, bool move,
                         std::map<std::string, std::string> node_map, const Graph& g);

// A running lead's place: the version it runs on and its node there.
struct LeadPlacement {
    std::int64_t version = 0;
    std::string node_id;
};

// Applies, in order of their numbers, every step of `later` whose number is greater than
// `seen` to a lead at `at` whose node has type `type`. Steps at or below `seen` (already
// applied when the lead was last written) are skipped; so are steps at or below the lead's
// own version. `later` may be in any order and may hold steps the lead has seen.
LeadPlacement resolve_placement(LeadPlacement at, NodeType type, std::int64_t seen,
                                const std::vector<VersionStep>& later);

}  // namespace leadflow
