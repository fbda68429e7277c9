// core/src/sim_run.hpp — the state of one Monte-Carlo run (SimulationRun::State), internal to
// the core: the run itself is in simulate.cpp, its results JSON in sim_results.cpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/conditions.hpp"
#include "leadflow/engine.hpp"
#include "leadflow/phone_zones.hpp"
#include "leadflow/rng.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/simulate.hpp"
#include "leadflow/time_zone.hpp"
#include "sim_event_queue.hpp"

namespace leadflow {

namespace sim {

// Lead variables and the last call's analysis of the current lead, as value indices into the
// scenario's tables (analysis: 0 = missing, else value index + 1).
class SimFields : public FieldSource {
  public:
    std::vector<int> var_of_key;       // graph field key → scenario variable index, or -1
    std::vector<int> analysis_of_key;  // graph field key → global analysis attribute, or -1
    std::vector<const ValueDistribution*> var_dists;
    std::vector<std::vector<const ValueDistribution*>> analysis_dists;  // [attr][node]
    const std::uint8_t* vars = nullptr;                                 // of the current lead
    const std::uint8_t* analysis = nullptr;                             // of the current lead
    std::int32_t analysis_node = -1;  // node of the current lead's last completed call

    FieldValue lead_variable(int key, std::string_view) const override {
        if (key < 0) return {};
        const int v = var_of_key[static_cast<std::size_t>(key)];
        if (v < 0) return {};
        return {true, var_dists[static_cast<std::size_t>(v)]->values[vars[v]]};
    }
    FieldValue call_analysis(int key, std::string_view) const override {
        if (key < 0) return {};
        const int a = analysis_of_key[static_cast<std::size_t>(key)];
        if (a < 0 || analysis[a] == 0 || analysis_node < 0) return {};
        const ValueDistribution* d =
            analysis_dists[static_cast<std::size_t>(a)][static_cast<std::size_t>(analysis_node)];
        if (d == nullptr) return {};
        return {true, d->values[analysis[a] - 1u]};
    }
    FieldValue application_response(int, std::string_view) const override { return {}; }
};

// What the simulation keeps of a lead's LeadState between events: its first 20 bytes (node,
// steps, last call, phase, last results, end, reason) instead of all 40. The engine only copies
// entered_at and release_at into history records, which the simulator does not keep, so a run
// rebuilds the LeadState around each event without them.
constexpr std::size_t kSimLeadBytes = 20;
static_assert(std::is_trivially_copyable_v<LeadState> && std::is_standard_layout_v<LeadState>);
static_assert(offsetof(LeadState, reason) + sizeof(Reason) <= kSimLeadBytes &&
                  offsetof(LeadState, entered_at) >= kSimLeadBytes,
              "SimLead keeps every LeadState field but the two times");
// Everything an event touches for its lead sits in one 32-byte record (one cache line or two
// halves of one), since consecutive events belong to leads spread over the whole run: the
// LeadState head, the pending event's payload, and the visited bits of nodes 0–63 (larger
// graphs keep the other words in SimulationRun::State::visited_more).
struct SimLead {
    alignas(8) unsigned char head[kSimLeadBytes];
    std::uint32_t pending = 0;  // payload of the lead's pending event
    std::uint64_t visited = 0;  // bit n: the lead entered node n (n < 64)

    SimLead() { std::memcpy(head, &kInitial, kSimLeadBytes); }
    LeadState expand() const {
        LeadState s;
        std::memcpy(static_cast<void*>(&s), head, kSimLeadBytes);
        return s;
    }
    void keep(const LeadState& s) { std::memcpy(head, &s, kSimLeadBytes); }
    std::int32_t node() const { return expand().node; }
    LeadEnd end() const { return expand().end; }

  private:
    static inline const LeadState kInitial{};
};
static_assert(sizeof(SimLead) == 32, "one lead, one half cache line");

// The kinds of pending events. Payloads (SimLead::pending) pack the kind (2 bits), a call
// outcome (3 bits) or the action result (bit 2), and the call duration in ms (27 bits, capped
// at ~37 h).
enum : std::uint32_t { kEvTimer = 0, kEvCallEnd = 1, kEvAction = 2, kEvArrival = 3 };
constexpr std::uint32_t kMaxPackedDurationMs = (1u << 27) - 1;

// Seconds of a scenario (a duration, a latency) as whole milliseconds, rounded half up.
inline TimeMs round_ms(double seconds) {
    return static_cast<TimeMs>(std::floor(seconds * 1000 + 0.5));
}

// {count, share, ci95} of `count` out of `n` (share 0 and a Wilson interval of {0, 0} when n is
// 0): the terminal breakdown's and the SPLIT branches' proportions.
Json proportion_json(std::int64_t count, std::int64_t n);

}  // namespace sim

// Everything one run holds. The bodies of schedule/enter_node/run/process are the simulator's
// hot loop (simulate.cpp): they touch only the arrays allocated by SimulationRun::create().
struct SimulationRun::State {
    const CompiledGraph& g;
    const BoundScenario& b;
    SimulateOptions opt;
    std::size_t n_leads = 0, n_nodes = 0, n_edges = 0;
    // A forecast's running leads (SimulateOptions::running) are leads 0 .. n_running − 1.
    std::size_t n_running = 0;
    static constexpr std::uint32_t kNotEnded = 0xFFFFFFFFu;

    std::vector<TimeZone> zones;
    int tz_var = -1;
    // The scenario's phone-number mix: each number's zones (lead_zones), the cumulative shares,
    // and the number each lead drew (empty without a mix: no draw is made then).
    TimeZone workflow_zone;
    std::vector<LeadZones> phone_zones;
    std::vector<double> phone_cumulative;
    std::vector<std::uint8_t> phone_of;
    sim::SimFields fields;
    std::vector<std::vector<std::pair<int, const ValueDistribution*>>> node_attrs;
    std::size_t n_vars = 0, n_attrs = 0;

    // Per-lead state (compact arrays, allocated once).
    std::vector<sim::SimLead> state;
    std::size_t mask_words = 0;
    std::vector<std::uint64_t> visited_more;  // visited bits of nodes >= 64, mask_words - 1 a lead
    std::vector<std::uint32_t> arrival_s;
    std::vector<std::uint32_t> end_s;
    std::vector<std::uint8_t> var_values;
    std::vector<std::uint8_t> analysis_values;
    std::vector<std::int32_t> analysis_node;
    // Calls placed per lead (SimulateOptions::lead_calls, and graphs with a SPLIT: per-branch
    // results need them).
    std::vector<std::uint32_t> calls_of;
    // Billed call milliseconds per lead (graphs with a SPLIT only; empty otherwise).
    std::vector<std::uint64_t> billed_of;
    std::vector<std::uint32_t> fifo;
    std::size_t fifo_head = 0, fifo_size = 0;
    sim::EventQueue queue;

    Rng rng;
    TimeMs start = 0, horizon_end = 0;

    // Counters.
    std::vector<std::int64_t> entries, unique, traversals, stuck_at;
    std::int64_t counts[4] = {0, 0, 0, 0};  // completed, dropped, failed, stuck
    std::int64_t calls_placed = 0, billed_ms = 0, events = 0, started = 0;
    // For progress(): arrival seconds of the leads that arrived and of those that ended, the
    // lifetimes (seconds) of the ended ones, and the largest progress reported so far.
    double arrived_s_sum = 0, ended_arrival_s_sum = 0, ended_life_s_sum = 0;
    double progress_floor = 0;
    std::size_t peak_queue = 0;
    int in_flight = 0;
    int limit = -1;
    TimeMs last_time = 0;  // virtual time of the last event processed

    Step step;
    Context ctx;
    Event ev;
    // SPLIT nodes choose by lead id: the current lead's simulated_lead_id is written here
    // (its "sim:<seed>:" prefix once, the index per event) when the graph has a SPLIT.
    bool has_split = false;
    std::size_t lead_id_prefix = 0;
    char lead_id_buf[64] = {};

    State(const CompiledGraph& graph, const BoundScenario& bound, const SimulateOptions& o)
        : g(graph), b(bound), opt(o), rng(bound.scenario.seed) {}

    // Queues an event; events after the horizon are never processed, so they are dropped.
    // `lane`: see EventQueue::push.
    inline void schedule(TimeMs t, std::uint32_t lead, std::uint32_t payload, std::int64_t lane);
    // Queues the arrival of lead `i` (leads arrive in index order).
    inline void schedule_arrival(std::size_t i);
    // Counts `lead` entering `node` (entries, and leads the first time).
    inline void enter_node(std::size_t lead, std::int32_t node);
    // Records that `lead` ended (terminal or stuck) at `now`.
    inline void ended(std::uint32_t lead, TimeMs now);
    // Runs one engine step for `lead` and carries out its effect.
    inline void run(std::uint32_t lead, TimeMs now, bool slot_granted);
    // The share of the run's work done, estimated from counters (SimulationRun::progress()
    // keeps the largest value seen, so it never decreases). A lead's events are spread over
    // its life, so a lead that arrived counts as half done and one that ended as done:
    // (arrived + ended) / 2 follows the events processed closely when arrivals are spread
    // over a span D that is long against a lead's life L. The closer D/(D + L) is to 0 (all
    // leads at the start: D = 0), the more the estimate leans on ended leads alone. L is the
    // larger of the ended leads' mean life and the active leads' mean age (ended leads alone
    // would underestimate it early on). The shares of the horizon passed and of a quarter of
    // the arrivals are lower bounds that keep the bar moving in long stretches with no lead
    // ending.
    inline double progress_estimate() const;
    // Gives free call slots to the leads waiting for one, longest-waiting first.
    inline void grant_slots(TimeMs now);
    // Pops and processes one event; the queue must not be empty.
    inline void process();
    // Puts the forecast's running leads where they are, after every draw a plain run makes
    // (simulate.cpp): their first events, the calls in progress, the slot queue.
    Status place_running();

    // The results JSON of SimulationRun::results() (sim_results.cpp); fills *stats when given.
    Json results_json(SimulationStats* stats) const;
    // The results' "splits" key (graphs with SPLIT nodes only; sim_splits.cpp): per SPLIT node
    // id, per branch label, the leads that entered the node on that branch, how they ended,
    // their cost and time to terminal, and the probability that the branch converts best.
    Json splits_json() const;
};

// Runs `run` to its end under the budget and stop hook of `opt` (simulate()'s loop):
// kResourceExhausted past opt.max_events, kCancelled when opt.should_stop says so.
Status finish_run(SimulationRun& run, const SimulateOptions& opt);

}  // namespace leadflow
