// server/runtime/history_text.hpp — the stored text of a history entry, written directly.
//
// The scheduler appends one to three history rows per engine step; building a Json object and
// dumping it (plus formatting each timestamp with snprintf) was a fifth of a step's cost. This
// writer produces exactly the text of `to_json(h).dump()` (same keys, order and escaping), so
// rows written either way read back alike; it uses the value writers of util/json_text.hpp.
#pragma once

#include <string>

#include "leadflow/engine.hpp"
#include "leadflow/model.hpp"

namespace leadflow::server {

// The text of to_json(h).dump().
std::string history_text(const HistoryEntry& h);

}  // namespace leadflow::server
