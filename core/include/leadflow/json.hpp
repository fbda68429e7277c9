// leadflow/json.hpp — the JSON type used across the core: nlohmann::ordered_json, so that
// objects keep their insertion order and outputs follow the field order SPEC lists.
#pragma once

#include <nlohmann/json.hpp>

namespace leadflow {
using Json = nlohmann::ordered_json;
}  // namespace leadflow
