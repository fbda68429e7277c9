// leadflow/json.hpp — the JSON type used across the core: nlohmann::ordered_json, so that
// objects keep their insertion order and outputs keep the documented field order
// (docs/api.md, docs/simulation.md#results).
#pragma once

#include <nlohmann/json.hpp>

namespace leadflow {
using Json = nlohmann::ordered_json;
}  // namespace leadflow
