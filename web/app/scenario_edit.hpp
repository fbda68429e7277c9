// web/app/scenario_edit.hpp — editing a simulation scenario (docs/simulation.md#the-scenario) held
// as JSON: reading per-node models with the documented defaults, writing them back, keeping a call
// node's outcome probabilities summing to 1 while one of them is dragged, normalizing the shares of
// the phone-number mix, and the "a=0.6, b=0.4" text form of value distributions. Pure (no ImGui),
// so it is unit-tested natively.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "leadflow/json.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

// The five call outcomes in scenario order (CallOutcome order).
constexpr const char* kScenarioOutcomes[5] = {"COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL",
                                              "FAILED"};
// The scenario's default outcomes for a VOICE_CALL without a model (the order above).
constexpr std::array<double, 5> kDefaultOutcomes{0.25, 0.45, 0.10, 0.15, 0.05};

// Sets p[changed] to `value` (clamped to [0, 1]) and rescales the other four so that the five
// sum to 1: proportionally to their current values, or equally when they are all 0. Every
// value is rounded to 1e-4 (short JSON, short share links) and the rounding remainder goes to
// the largest of the others, so the sum is 1 within 1e-9. `changed` outside 0..4 does nothing.
void rebalance_outcomes(std::array<double, 5>& p, int changed, double value);

// The outcome probabilities of call node `node_id` in `scenario`: its "outcomes" (missing
// labels count as 0) or, without a model, kDefaultOutcomes.
std::array<double, 5> scenario_outcomes(const Json& scenario, const std::string& node_id);
// Writes all five probabilities of `node_id` (creating scenario.nodes.<id> as needed).
void set_scenario_outcomes(Json& scenario, const std::string& node_id,
                           const std::array<double, 5>& p);

// scenario.nodes.<node_id>, created (as {}) when missing; `scenario` becomes an object if it
// is not one.
Json& scenario_node(Json& scenario, const std::string& node_id);
// A number at `key` of object `j`, or `fallback` when absent or not a number.
double number_at(const Json& j, const char* key, double fallback);
// Sets `j[key]` to `v`, written as an integer when it is one (keeps JSON and links short).
void set_number(Json& j, const char* key, double v);

// Rescales the shares of a phone-number mix (scenario.phone_numbers: [{"number", "share"}, …])
// to sum to 1, keeping their ratios (a share that is missing, not a number or negative counts
// as 0; shares may be typed as weights such as 3 and 1). When every share is 0 the rows share
// equally. Each share lands on the 1e-4 grid (short JSON, short share links) and the grid steps
// left over by rounding go to the rows that lost the most to it, so the sum is 1 within 1e-9.
// Rows other than objects become {"share": …} objects; `mix` that is not an array or is empty
// is left as it is. Numbers are not looked at: the core's parser judges them.
void normalize_phone_shares(Json& mix);

// Parses "Mumbai=0.6, Delhi=0.4" (also ':' instead of '='; spaces around names are trimmed)
// into {"Mumbai": 0.6, "Delhi": 0.4} in the order given. Fails with kInvalidArgument naming the
// problem: an empty list, a part without '=', an empty or repeated name, a probability that is
// not a number in [0, 1], or probabilities that do not sum to 1 (± 1e-6).
Result<Json> parse_value_list(std::string_view text);
// The inverse: {"a": 0.6, "b": 0.4} → "a=0.6, b=0.4" (numbers shortest round-trip).
std::string format_value_list(const Json& values);

}  // namespace leadflow::web
