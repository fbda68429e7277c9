// leadflow/scenario.hpp — simulation assumptions (docs/simulation.md#the-scenario): parsing with
// every default, and binding to a compiled graph (per-node models with the documented defaults
// filled in).
//
// Defaults: seed 1, leads 1000, start_time 2026-01-05T09:00:00.000Z, horizon_days 90,
// arrivals all_at_start (uniform: over_days, default 1), cost_per_minute 0. A VOICE_CALL
// without a model: outcomes {COMPLETED .25, NO_ANSWER .45, BUSY .10, VOICEMAIL .15,
// FAILED .05}, call_duration_s {mean 60, sd 30}; an APPLICATION: success_rate 0.98, latency_s 2.
//
// Call durations (docs/simulation.md#node-models): COMPLETED and VOICEMAIL calls last a draw of
// call_duration_s truncated at 5 s and are billed (calls.minutes, cost); a NO_ANSWER rings for
// ring_s (default 30 s), BUSY and FAILED end after 5 s; those are not billed.
//
// Analysis attributes are drawn independently for each COMPLETED call: {"type": "bool",
// "p_true": p} gives "true"/"false"; {"values": {"a": p, …}} (type "values" or "category",
// probabilities summing to 1) gives one of the values. Lead variables {"values": {…}} are
// drawn once per lead.
//
// Unknown node ids in `nodes` are warnings (a scenario can outlive a node deleted in the
// editor), as are models given for a node of another type; everything else that is wrong is
// a kInvalidArgument error naming the field, e.g. "scenario.nodes.node_call1.outcomes: the
// probabilities sum to 0.9, not 1".
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

// A discrete distribution over text values (in the order given).
struct ValueDistribution {
    std::vector<std::string> values;
    std::vector<double> probabilities;
    std::vector<double> cumulative;  // for sample_categorical
};

struct AnalysisModel {
    std::string name;
    ValueDistribution dist;  // bool: values {"true", "false"}
};

struct NodeModel {
    std::string node_id;
    // VOICE_CALL
    std::optional<std::array<double, 5>> outcomes;  // indexed by CallOutcome
    std::optional<double> duration_mean_s, duration_sd_s;
    std::optional<double> ring_s;
    std::vector<AnalysisModel> analysis;
    // APPLICATION
    std::optional<double> success_rate;
    std::optional<double> latency_s;
};

struct VariableModel {
    std::string name;
    ValueDistribution dist;
};

// One phone number of the scenario's mix (docs/calling-hours.md): a simulated lead gets
// `number` with probability `share`.
struct PhoneNumberShare {
    std::string number;  // E.164
    double share = 0;
};

enum class ArrivalMode { kAllAtStart, kUniform };

struct Scenario {
    int version = 1;
    std::uint64_t seed = 1;
    std::int64_t leads = 1000;
    TimeMs start_time = 0;  // default 2026-01-05T09:00:00.000Z (set by the parser)
    double horizon_days = 90;
    ArrivalMode arrivals = ArrivalMode::kAllAtStart;
    double arrivals_over_days = 1;
    double cost_per_minute = 0;
    std::vector<NodeModel> nodes;          // in the order given
    std::vector<VariableModel> variables;  // in the order given
    // The leads' phone numbers (in the order given); empty: leads have no number, so their
    // zone is the workflow's (or their `timezone` variable's).
    std::vector<PhoneNumberShare> phone_numbers;
};

// The most numbers a scenario's phone_numbers mix may list.
constexpr std::size_t kMaxScenarioPhoneNumbers = 256;

// The simulator's event keys hold a lead index in 25 bits.
constexpr std::int64_t kMaxScenarioLeads = std::int64_t{1} << 25;  // 33,554,432

// The default start time, 2026-01-05T09:00:00.000Z (a Monday).
TimeMs default_start_time();

// A scenario with every default.
Scenario default_scenario();

// Parses scenario JSON. Absent keys take the defaults above; wrong types, negative or
// out-of-range numbers, unknown outcome labels and probabilities that do not sum to 1 ± 1e-6
// fail with kInvalidArgument naming the field ("scenario.leads: must be an integer between 1
// and 33554432"). Unknown top-level keys are ignored.
//
// `phone_numbers` (optional): [{"number": "+12125550100", "share": 0.4}, …], 1 to 256 entries,
// each number E.164 ("+", 8–15 digits, the first not 0) and listed once, each share in
// [0, 1], the shares summing to 1 ± 1e-9 ("scenario.phone_numbers[2].number: expected an E.164
// number such as +14155550100, got '12125550100'").
Result<Scenario> parse_scenario(const Json& j);
// parse_json + parse_scenario.
Result<Scenario> parse_scenario_text(std::string_view text);

// A stored scenario as a run uses it: the parsed scenario, or default_scenario() when `stored`
// is null, empty or not a valid scenario (a workflow saved without one runs on the defaults).
Scenario scenario_or_default(const Json& stored);

// The scenario as JSON (canonical keys, every value explicit).
Json to_json(const Scenario& s);

// A scenario bound to a graph: one model per node index, defaults filled in.
struct BoundNodeModel {
    std::array<double, 5> outcomes{0.25, 0.45, 0.10, 0.15, 0.05};
    std::array<double, 5> outcome_cumulative{};
    double duration_mean_s = 60, duration_sd_s = 30;
    double ring_s = 30;
    std::vector<AnalysisModel> analysis;
    double success_rate = 0.98;
    double latency_s = 2;
};

struct BoundScenario {
    Scenario scenario;
    std::vector<BoundNodeModel> nodes;  // by node index
    std::vector<std::string> warnings;  // unknown node ids, models on other node types
};

// Binds a scenario to a compiled graph (never fails: problems the parser let through are
// warnings here).
BoundScenario bind_scenario(const CompiledGraph& g, const Scenario& s);

}  // namespace leadflow
