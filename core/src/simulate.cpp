// The Monte-Carlo simulator. Index:
//   [SECTION] Event queue (a radix heap ordered by (time, lead): a total order, so the run
//             does not depend on any library's heap or sort)
//   [SECTION] Sampled data seen by conditions (FieldSource over compact tables)
//   [SECTION] The run (SimulationRun: state, one event at a time, slices; simulate() on top)
//   [SECTION] Results JSON
#include "leadflow/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>

#include "leadflow/civil_time.hpp"
#include "leadflow/engine.hpp"
#include "leadflow/exact.hpp"
#include "leadflow/sampling.hpp"
#include "leadflow/time_zone.hpp"

namespace leadflow {

namespace {

// [SECTION] Event queue

enum : std::uint32_t { kEvTimer = 0, kEvCallEnd = 1, kEvAction = 2, kEvArrival = 3 };

// Keys order events by (time, lead): time since the start in ms in the high 39 bits (the
// horizon is at most 3650 days < 2^39 ms), the lead in the low 25 bits. A lead has at most one
// pending event, so keys are unique and the order is total: the run never depends on how a
// library breaks ties. The queue holds keys only (8 bytes); the event's payload waits in a
// per-lead array.
constexpr int kLeadBits = 25;
constexpr std::uint64_t kLeadMask = (std::uint64_t{1} << kLeadBits) - 1;
constexpr std::uint64_t kNoKey = ~std::uint64_t{0};
static_assert(kMaxScenarioLeads <= (std::int64_t{1} << kLeadBits), "leads must fit the key");

// Payloads pack the kind (2 bits), a call outcome (3 bits) or the action result, and the call
// duration in ms (27 bits, capped at ~37 h).
constexpr std::uint32_t kMaxPackedDurationMs = (1u << 27) - 1;

// A radix heap (Ahuja, Mehlhorn, Orlin, Tarjan): a monotone priority queue for integer keys.
// Every key pushed is >= the last key popped (virtual time never goes back, and every event is
// scheduled at least 1 ms after the one being processed), which lets it keep 65 buckets by the
// highest bit in which a key differs from the last minimum. Pushes append; a pop redistributes
// one bucket when the smallest is empty. The current minimum is kept up to date (min()) without
// redistributing, so the queue can compare it with its lanes before choosing where to pop.
// Bucket capacity is kept between pops, so the steady state allocates nothing.
class RadixHeap {
  public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    // The smallest key; kNoKey when empty.
    std::uint64_t min() const { return min_; }
    void push(std::uint64_t key) {
        buckets_[bucket(key)].push_back(key);
        ++size_;
        if (key < min_) min_ = key;
    }
    // Removes min(); the heap must not be empty.
    void pop() {
        if (buckets_[0].empty()) {
            // The minimum lies in the lowest non-empty bucket: spread that bucket around it.
            std::size_t i = 1;
            while (buckets_[i].empty()) ++i;
            std::vector<std::uint64_t>& from = buckets_[i];
            last_ = min_;
            for (const std::uint64_t k : from) buckets_[bucket(k)].push_back(k);
            from.clear();
        }
        buckets_[0].pop_back();
        --size_;
        if (!buckets_[0].empty()) return;  // min_ == last_ again
        min_ = kNoKey;
        if (size_ == 0) return;
        std::size_t i = 1;
        while (buckets_[i].empty()) ++i;
        std::uint64_t m = kNoKey;
        for (const std::uint64_t k : buckets_[i]) m = k < m ? k : m;
        min_ = m;
    }

  private:
    std::size_t bucket(std::uint64_t key) const {
        const std::uint64_t diff = key ^ last_;
        return diff == 0 ? 0 : static_cast<std::size_t>(64 - __builtin_clzll(diff));
    }
    std::vector<std::uint64_t> buckets_[65];
    std::uint64_t last_ = 0;
    std::uint64_t min_ = kNoKey;
    std::size_t size_ = 0;
};

// A FIFO of keys pushed in increasing order (a ring buffer that doubles when full).
class Lane {
  public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    std::uint64_t front() const { return buf_[head_]; }
    std::uint64_t back() const { return back_; }
    void push(std::uint64_t key) {
        if (size_ == buf_.size()) grow();
        buf_[(head_ + size_) & (buf_.size() - 1)] = key;
        ++size_;
        back_ = key;
    }
    void pop() {
        head_ = (head_ + 1) & (buf_.size() - 1);
        --size_;
    }

  private:
    void grow() {
        std::vector<std::uint64_t> bigger(buf_.empty() ? 1024 : buf_.size() * 2);
        for (std::size_t i = 0; i < size_; ++i) bigger[i] = buf_[(head_ + i) & (buf_.size() - 1)];
        buf_.swap(bigger);
        head_ = 0;
    }
    std::vector<std::uint64_t> buf_;
    std::size_t head_ = 0, size_ = 0;
    std::uint64_t back_ = 0;
};

// The pending events, popped in increasing key order. Most events come a fixed delay after the
// event that caused them (a TIME node's wait, a ring that is never answered, a busy line, an
// action's latency); since events are processed in key order, keys pushed with one such delay
// arrive already sorted, so they wait in a FIFO lane per delay (an append and a read each,
// cache-friendly for a million leads). Every other key (sampled call durations, window
// openings), and any key that would break a lane's order (a lead granted a freed call slot),
// goes to the radix heap. A pop takes the smallest of the lanes' fronts and the heap's minimum:
// the same total order as one priority queue. The leads' arrivals, already sorted, use a lane
// too (kArrivalLane), one arrival at a time.
class EventQueue {
  public:
    static constexpr std::int64_t kNoLane = -1;
    static constexpr std::int64_t kArrivalLane = -2;

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    // Adds `key`. `lane`: the delay in ms that produced it when that delay is fixed (a lane
    // keeps it), kArrivalLane for arrivals, kNoLane for sampled delays (the heap keeps it).
    void push(std::uint64_t key, std::int64_t lane) {
        ++size_;
        if (lane != kNoLane) {
            for (int i = 0; i < kMaxLanes; ++i) {
                if (lane_delay_[i] == lane) {
                    if (lanes_[i].empty() || lanes_[i].back() < key) {
                        lanes_[i].push(key);
                        return;
                    }
                    break;
                }
                if (i == n_lanes_) {
                    ++n_lanes_;
                    lane_delay_[i] = lane;
                    lanes_[i].push(key);
                    return;
                }
            }
        }
        heap_.push(key);
    }
    // Removes and returns the smallest key; the queue must not be empty.
    std::uint64_t pop() {
        std::uint64_t best = heap_.min();
        int from = -1;
        for (int i = 0; i < n_lanes_; ++i) {
            if (!lanes_[i].empty() && lanes_[i].front() < best) {
                best = lanes_[i].front();
                from = i;
            }
        }
        if (from < 0) {
            heap_.pop();
        } else {
            lanes_[from].pop();
        }
        --size_;
        return best;
    }

  private:
    static constexpr int kMaxLanes = 8;
    Lane lanes_[kMaxLanes];
    std::int64_t lane_delay_[kMaxLanes] = {kNoLane, kNoLane, kNoLane, kNoLane,
                                           kNoLane, kNoLane, kNoLane, kNoLane};
    int n_lanes_ = 0;
    RadixHeap heap_;
    std::size_t size_ = 0;
};

// [SECTION] Sampled data seen by conditions

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
    static const LeadState kInitial;
};
const LeadState SimLead::kInitial{};
static_assert(sizeof(SimLead) == 32, "one lead, one half cache line");

TimeMs round_ms(double seconds) {
    return static_cast<TimeMs>(std::floor(seconds * 1000 + 0.5));
}

// A "nice" step (hours) so that span / step <= max_steps.
double nice_step_hours(double span_hours, double max_steps) {
    static const double kSteps[] = {0.25, 0.5, 1, 2, 3, 4, 6, 12, 24, 48, 72, 168, 336, 720};
    for (double s : kSteps) {
        if (span_hours / s <= max_steps) return s;
    }
    return std::ceil(span_hours / max_steps / 720) * 720;
}

// Sorts ascending: std::sort for small inputs, else an LSD radix sort on 16-bit digits (two
// linear passes instead of n log n comparisons for a million leads; same result, integers).
void sort_seconds(std::vector<std::uint32_t>& v) {
    if (v.size() < (std::size_t{1} << 16)) {
        std::sort(v.begin(), v.end());
        return;
    }
    std::uint32_t max = 0;
    for (const std::uint32_t x : v) max = x > max ? x : max;
    std::vector<std::uint32_t> tmp(v.size());
    std::vector<std::size_t> count(std::size_t{1} << 16);
    for (int shift = 0; shift < 32 && (max >> shift) != 0; shift += 16) {
        std::fill(count.begin(), count.end(), std::size_t{0});
        for (const std::uint32_t x : v) ++count[(x >> shift) & 0xFFFFu];
        std::size_t sum = 0;
        for (std::size_t& c : count) {
            const std::size_t here = c;
            c = sum;
            sum += here;
        }
        for (const std::uint32_t x : v) tmp[count[(x >> shift) & 0xFFFFu]++] = x;
        v.swap(tmp);
    }
}

Json terminal_json(std::int64_t count, std::int64_t n) {
    Json j = Json::object();
    j["count"] = count;
    j["share"] = n > 0 ? static_cast<double>(count) / static_cast<double>(n) : 0.0;
    const auto ci = wilson_interval(count, n);
    j["ci95"] = Json::array({ci.first, ci.second});
    return j;
}

}  // namespace

std::pair<double, double> wilson_interval(std::int64_t k, std::int64_t n) {
    if (n <= 0) return {0.0, 0.0};
    const double z = 1.959963984540054;
    const double nn = static_cast<double>(n);
    const double p = static_cast<double>(k) / nn;
    const double z2 = z * z;
    const double denom = 1 + z2 / nn;
    const double center = (p + z2 / (2 * nn)) / denom;
    const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
    double lo = center - half, hi = center + half;
    if (lo < 0 || k == 0) lo = 0;
    if (hi > 1 || k == n) hi = 1;
    return {lo, hi};
}

// [SECTION] The run

// Everything one run holds. The bodies of schedule/enter_node/run/process are the simulator's
// hot loop: they touch only the arrays allocated by create().
struct SimulationRun::State {
    const CompiledGraph& g;
    const BoundScenario& b;
    SimulateOptions opt;
    std::size_t n_leads = 0, n_nodes = 0, n_edges = 0;
    static constexpr std::uint32_t kNotEnded = 0xFFFFFFFFu;

    std::vector<TimeZone> zones;
    int tz_var = -1;
    SimFields fields;
    std::vector<std::vector<std::pair<int, const ValueDistribution*>>> node_attrs;
    std::size_t n_vars = 0, n_attrs = 0;

    // Per-lead state (compact arrays, allocated once).
    std::vector<SimLead> state;
    std::size_t mask_words = 0;
    std::vector<std::uint64_t> visited_more;  // visited bits of nodes >= 64, mask_words - 1 a lead
    std::vector<std::uint32_t> arrival_s;
    std::vector<std::uint32_t> end_s;
    std::vector<std::uint8_t> var_values;
    std::vector<std::uint8_t> analysis_values;
    std::vector<std::int32_t> analysis_node;
    std::vector<std::uint32_t> calls_of;  // calls placed per lead (SimulateOptions::lead_calls)
    std::vector<std::uint32_t> fifo;
    std::size_t fifo_head = 0, fifo_size = 0;
    EventQueue queue;

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

    State(const CompiledGraph& graph, const BoundScenario& bound, const SimulateOptions& o)
        : g(graph), b(bound), opt(o), rng(bound.scenario.seed) {}

    // Queues an event; events after the horizon are never processed, so they are dropped.
    // `lane`: see EventQueue::push.
    void schedule(TimeMs t, std::uint32_t lead, std::uint32_t payload, std::int64_t lane) {
        if (t > horizon_end) return;
        state[lead].pending = payload;
        queue.push((static_cast<std::uint64_t>(t - start) << kLeadBits) | lead, lane);
        if (queue.size() > peak_queue) peak_queue = queue.size();
    }
    // Queues the arrival of lead `i` (leads arrive in index order).
    void schedule_arrival(std::size_t i) {
        if (i >= n_leads) return;
        schedule(start + static_cast<TimeMs>(arrival_s[i]) * 1000, static_cast<std::uint32_t>(i),
                 kEvArrival, EventQueue::kArrivalLane);
    }

    void enter_node(std::size_t lead, std::int32_t node) {
        ++entries[static_cast<std::size_t>(node)];
        const std::size_t word = static_cast<std::size_t>(node) / 64;
        std::uint64_t& w =
            word == 0 ? state[lead].visited : visited_more[lead * (mask_words - 1) + word - 1];
        const std::uint64_t bit = std::uint64_t{1} << (static_cast<std::size_t>(node) % 64);
        if ((w & bit) == 0) {
            w |= bit;
            ++unique[static_cast<std::size_t>(node)];
        }
    }

    void ended(std::uint32_t lead, TimeMs now) {
        end_s[lead] = static_cast<std::uint32_t>((now - start) / 1000);
        ended_arrival_s_sum += arrival_s[lead];
        ended_life_s_sum += static_cast<double>(end_s[lead]) - arrival_s[lead];
    }

    // Runs one engine step for `lead` and carries out its effect.
    void run(std::uint32_t lead, TimeMs now, bool slot_granted) {
        ++events;
        LeadState st = state[lead].expand();
        ctx.now = now;
        ctx.zone =
            &zones[tz_var >= 0 ? var_values[lead * n_vars + static_cast<std::size_t>(tz_var)] : 0];
        ctx.call_slot_available =
            limit < 0 || slot_granted || (in_flight < limit && fifo_size == 0);
        fields.vars = n_vars ? &var_values[lead * n_vars] : nullptr;
        fields.analysis = n_attrs ? &analysis_values[lead * n_attrs] : nullptr;
        fields.analysis_node = n_attrs ? analysis_node[lead] : -1;
        if (!advance(g, st, ev, ctx, step)) return;  // cannot happen: events follow effects
        state[lead].keep(st);
        if (ev.type == EventType::kStart) enter_node(lead, g.entry());
        for (const StepRecord& r : step.records) {
            if (r.edge >= 0) {
                ++traversals[static_cast<std::size_t>(r.edge)];
                enter_node(lead, r.to_node);
            }
        }
        const Effect& e = step.effect;
        switch (e.type) {
            case EffectType::kPlaceCall: {
                ++calls_placed;
                if (!calls_of.empty()) ++calls_of[lead];
                ++in_flight;
                const BoundNodeModel& m = b.nodes[static_cast<std::size_t>(e.node)];
                const std::size_t o = sample_categorical(rng, m.outcome_cumulative.data(), 5);
                TimeMs dur;
                std::int64_t lane = EventQueue::kNoLane;
                if (o == static_cast<std::size_t>(CallOutcome::kCompleted) ||
                    o == static_cast<std::size_t>(CallOutcome::kVoicemail)) {
                    dur = round_ms(
                        sample_truncated_normal(rng, m.duration_mean_s, m.duration_sd_s, 5.0));
                    if (dur < 1) dur = 1;
                    if (dur > kMaxPackedDurationMs) dur = kMaxPackedDurationMs;
                    billed_ms += dur;
                } else if (o == static_cast<std::size_t>(CallOutcome::kNoAnswer)) {
                    // At least 1 ms: every event lies strictly after the one that caused it.
                    dur = std::clamp<TimeMs>(round_ms(m.ring_s), 1, kMaxPackedDurationMs);
                    lane = dur;
                } else {
                    dur = 5000;
                    lane = dur;
                }
                schedule(now + dur, lead,
                         kEvCallEnd | (static_cast<std::uint32_t>(o) << 2) |
                             (static_cast<std::uint32_t>(dur) << 5),
                         lane);
                break;
            }
            case EffectType::kHoldUntil:
                // A plain wait is a fixed delay; a release time read from the call's analysis
                // is not.
                schedule(e.until, lead, kEvTimer,
                         g.nodes()[static_cast<std::size_t>(e.node)].pca_key >= 0
                             ? EventQueue::kNoLane
                             : e.until - now);
                break;
            case EffectType::kRunAction: {
                const BoundNodeModel& m = b.nodes[static_cast<std::size_t>(e.node)];
                const bool ok = sample_bernoulli(rng, m.success_rate);
                const TimeMs latency = std::max<TimeMs>(round_ms(m.latency_s), 1);
                schedule(now + latency, lead, kEvAction | (ok ? 4u : 0u), latency);
                break;
            }
            case EffectType::kQueued:
                if (e.until != kNoTime) {
                    schedule(e.until, lead, kEvTimer, EventQueue::kNoLane);
                } else {
                    fifo[(fifo_head + fifo_size) % n_leads] = lead;
                    ++fifo_size;
                }
                break;
            case EffectType::kFinish:
                counts[e.end == LeadEnd::kCompleted ? 0 : e.end == LeadEnd::kDropped ? 1 : 2]++;
                ended(lead, now);
                break;
            case EffectType::kStuck:
                ++counts[3];
                if (st.node >= 0) ++stuck_at[static_cast<std::size_t>(st.node)];
                ended(lead, now);
                break;
            case EffectType::kNone:
                break;
        }
    }

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
    double progress_estimate() const {
        const double n = static_cast<double>(n_leads);
        const double done = static_cast<double>(counts[0] + counts[1] + counts[2] + counts[3]);
        const double arrived = static_cast<double>(started);
        const double span = static_cast<double>(horizon_end - start);
        const double time = span > 0 ? static_cast<double>(last_time - start) / span : 0.0;
        double p = std::max(std::max(done / n, time), 0.25 * arrived / n);
        const double arrival_span_s = arrival_s.empty() ? 0.0 : arrival_s.back();
        if (arrival_span_s > 0) {
            const double now_s = static_cast<double>(last_time - start) / 1000.0;
            const double active = arrived - done;
            const double mean_life = done > 0 ? ended_life_s_sum / done : 0.0;
            const double mean_age =
                active > 0 ? now_s - (arrived_s_sum - ended_arrival_s_sum) / active : 0.0;
            const double life = std::max(mean_life, mean_age);
            const double w = arrival_span_s / (arrival_span_s + life);
            p = std::max(p, (w * arrived + (2.0 - w) * done) / (2.0 * n));
        }
        return p;
    }

    // Pops and processes one event; the queue must not be empty.
    void process() {
        const std::uint64_t key = queue.pop();
        const auto lead = static_cast<std::uint32_t>(key & kLeadMask);
        const TimeMs now = start + static_cast<TimeMs>(key >> kLeadBits);
        const std::uint32_t payload = state[lead].pending;
        last_time = now;
        switch (payload & 3u) {
            case kEvArrival:
                ++started;
                arrived_s_sum += arrival_s[lead];
                schedule_arrival(lead + std::size_t{1});
                ev.type = EventType::kStart;
                run(lead, now, false);
                break;
            case kEvCallEnd: {
                --in_flight;
                ev.type = EventType::kCallEnded;
                ev.outcome = static_cast<CallOutcome>((payload >> 2) & 7u);
                ev.call_duration_ms = static_cast<std::int32_t>(payload >> 5);
                if (n_attrs > 0) {
                    // Analysis of this call: drawn per COMPLETED call, absent otherwise.
                    std::uint8_t* a = &analysis_values[lead * n_attrs];
                    std::fill(a, a + n_attrs, std::uint8_t{0});
                    const std::int32_t node = state[lead].node();
                    analysis_node[lead] = node;
                    if (ev.outcome == CallOutcome::kCompleted) {
                        for (const auto& [idx, dist] : node_attrs[static_cast<std::size_t>(node)]) {
                            a[idx] = static_cast<std::uint8_t>(
                                1 + sample_categorical(rng, dist->cumulative.data(),
                                                       dist->cumulative.size()));
                        }
                    }
                }
                run(lead, now, false);
                // Freed slots go to the longest-waiting leads first.
                while (limit > 0 && fifo_size > 0 && in_flight < limit) {
                    const std::uint32_t waiting = fifo[fifo_head];
                    fifo_head = (fifo_head + 1) % n_leads;
                    --fifo_size;
                    ev.type = EventType::kTimerFired;
                    run(waiting, now, true);
                }
                break;
            }
            case kEvAction:
                ev.type = EventType::kActionDone;
                ev.action_ok = (payload & 4u) != 0;
                run(lead, now, false);
                break;
            default:
                ev.type = EventType::kTimerFired;
                run(lead, now, false);
                break;
        }
    }

    Json results_json(SimulationStats* stats) const;
};

Result<SimulationRun> SimulationRun::create(const CompiledGraph& g, const BoundScenario& b,
                                            const SimulateOptions& opt) {
    auto st = std::make_unique<State>(g, b, opt);
    State& s = *st;
    const Scenario& sc = b.scenario;
    s.n_leads = static_cast<std::size_t>(sc.leads);
    s.n_nodes = g.nodes().size();
    s.n_edges = g.edges().size();
    const std::size_t n_leads = s.n_leads, n_nodes = s.n_nodes;

    // Time zones: the workflow's, or one per value of the scenario variable `timezone`.
    auto wf_zone = TimeZone::find(g.graph().workflow.settings.timezone);
    if (!wf_zone.ok()) return Status::invalid("settings.timezone: " + wf_zone.status().message());
    s.zones = {*wf_zone};
    for (std::size_t v = 0; v < sc.variables.size(); ++v) {
        if (sc.variables[v].name != "timezone") continue;
        s.tz_var = static_cast<int>(v);
        s.zones.clear();
        for (const std::string& name : sc.variables[v].dist.values) {
            auto z = TimeZone::find(name);
            if (!z.ok()) {
                return Status::invalid("scenario.variables.timezone.values: " +
                                       z.status().message());
            }
            s.zones.push_back(*z);
        }
    }

    // Field tables: which scenario variable / analysis attribute each graph field key means.
    SimFields& fields = s.fields;
    const std::vector<std::string>& names = g.field_names();
    fields.var_of_key.assign(names.size(), -1);
    fields.analysis_of_key.assign(names.size(), -1);
    for (const VariableModel& v : sc.variables) fields.var_dists.push_back(&v.dist);
    std::vector<std::string> attrs;  // global analysis attribute names
    for (std::size_t n = 0; n < n_nodes; ++n) {
        for (const AnalysisModel& a : b.nodes[n].analysis) {
            if (std::find(attrs.begin(), attrs.end(), a.name) == attrs.end())
                attrs.push_back(a.name);
        }
    }
    fields.analysis_dists.assign(attrs.size(), std::vector<const ValueDistribution*>(n_nodes));
    // Per node: (global attribute index, distribution) pairs drawn after a COMPLETED call.
    s.node_attrs.assign(n_nodes, {});
    for (std::size_t n = 0; n < n_nodes; ++n) {
        for (const AnalysisModel& a : b.nodes[n].analysis) {
            const int idx =
                static_cast<int>(std::find(attrs.begin(), attrs.end(), a.name) - attrs.begin());
            fields.analysis_dists[static_cast<std::size_t>(idx)][n] = &a.dist;
            s.node_attrs[n].emplace_back(idx, &a.dist);
        }
    }
    for (std::size_t k = 0; k < names.size(); ++k) {
        for (std::size_t v = 0; v < sc.variables.size(); ++v) {
            if (sc.variables[v].name == names[k]) fields.var_of_key[k] = static_cast<int>(v);
        }
        for (std::size_t a = 0; a < attrs.size(); ++a) {
            if (attrs[a] == names[k]) fields.analysis_of_key[k] = static_cast<int>(a);
        }
    }
    s.n_vars = sc.variables.size();
    s.n_attrs = attrs.size();
    const std::size_t n_vars = s.n_vars;

    s.state.resize(n_leads);
    s.mask_words = n_nodes > 64 ? (n_nodes + 63) / 64 : 1;
    s.visited_more.assign(s.mask_words > 1 ? n_leads * (s.mask_words - 1) : 0, 0);
    s.arrival_s.assign(n_leads, 0);
    s.end_s.assign(n_leads, State::kNotEnded);
    s.var_values.assign(n_leads * n_vars, 0);
    s.analysis_values.assign(n_leads * s.n_attrs, 0);
    s.analysis_node.assign(s.n_attrs > 0 ? n_leads : 0, -1);
    s.fifo.assign(g.max_concurrent_calls() > 0 ? n_leads : 0, 0);
    s.calls_of.assign(opt.lead_calls ? n_leads : 0, 0);

    s.start = sc.start_time;
    s.horizon_end = s.start + round_ms(sc.horizon_days * 86400.0);
    s.last_time = s.start;

    // Arrivals (sorted; lead i arrives i-th), then lead variables, in lead order.
    if (sc.arrivals == ArrivalMode::kUniform) {
        const double over_s = sc.arrivals_over_days * 86400.0;
        for (std::size_t i = 0; i < n_leads; ++i) {
            s.arrival_s[i] = static_cast<std::uint32_t>(std::floor(s.rng.uniform() * over_s));
        }
        std::sort(s.arrival_s.begin(), s.arrival_s.end());
    }
    for (std::size_t i = 0; i < n_leads; ++i) {
        for (std::size_t v = 0; v < n_vars; ++v) {
            const ValueDistribution& d = sc.variables[v].dist;
            s.var_values[i * n_vars + v] = static_cast<std::uint8_t>(
                sample_categorical(s.rng, d.cumulative.data(), d.cumulative.size()));
        }
    }

    s.entries.assign(n_nodes, 0);
    s.unique.assign(n_nodes, 0);
    s.stuck_at.assign(n_nodes, 0);
    s.traversals.assign(s.n_edges, 0);
    s.limit = g.max_concurrent_calls();
    s.step.records.reserve(64);
    s.ctx.fields = &s.fields;

    s.schedule_arrival(0);
    return SimulationRun(std::move(st));
}

SimulationRun::SimulationRun(std::unique_ptr<State> state) : state_(std::move(state)) {}
SimulationRun::SimulationRun(SimulationRun&&) noexcept = default;
SimulationRun& SimulationRun::operator=(SimulationRun&&) noexcept = default;
SimulationRun::~SimulationRun() = default;

bool SimulationRun::step(std::int64_t max_events) {
    State& s = *state_;
    for (std::int64_t i = max_events < 1 ? 1 : max_events; i > 0 && !s.queue.empty(); --i) {
        s.process();
    }
    s.progress_floor = std::max(s.progress_floor, s.progress_estimate());
    return s.queue.empty();
}

bool SimulationRun::done() const {
    return state_->queue.empty();
}

double SimulationRun::progress() const {
    const State& s = *state_;
    if (s.queue.empty()) return 1.0;
    // Events are still pending: never report a finished run.
    return std::min(s.progress_floor, 0.999999);
}

std::int64_t SimulationRun::events() const {
    return state_->events;
}

const std::vector<std::int64_t>& SimulationRun::stuck_by_node() const {
    return state_->stuck_at;
}

Json SimulationRun::results(SimulationStats* stats) {
    step(std::numeric_limits<std::int64_t>::max());
    return state_->results_json(stats);
}

// [SECTION] Results JSON

Json SimulationRun::State::results_json(SimulationStats* stats) const {
    const Scenario& sc = b.scenario;
    const std::int64_t n = sc.leads;
    const std::int64_t unfinished = n - counts[0] - counts[1] - counts[2] - counts[3];
    Json out = Json::object();
    out["leads"] = n;
    out["seed"] = sc.seed;
    Json term = Json::object();
    term["completed"] = terminal_json(counts[0], n);
    term["dropped"] = terminal_json(counts[1], n);
    term["failed"] = terminal_json(counts[2], n);
    term["stuck"] = terminal_json(counts[3], n);
    term["unfinished"] = terminal_json(unfinished, n);
    out["terminal"] = term;
    Json nodes = Json::object();
    for (std::size_t i = 0; i < n_nodes; ++i) {
        Json nj = Json::object();
        nj["entries"] = entries[i];
        nj["leads"] = unique[i];
        nj["share"] = static_cast<double>(unique[i]) / static_cast<double>(n);
        nodes[g.node_id(static_cast<std::int32_t>(i))] = nj;
    }
    out["nodes"] = nodes;
    Json edges = Json::object();
    for (std::size_t i = 0; i < n_edges; ++i) {
        edges[g.edge_id(static_cast<std::int32_t>(i))] = Json{{"traversals", traversals[i]}};
    }
    out["edges"] = edges;
    Json calls = Json::object();
    const double minutes = static_cast<double>(billed_ms) / 60000.0;
    calls["placed"] = calls_placed;
    calls["per_lead"] = static_cast<double>(calls_placed) / static_cast<double>(n);
    calls["minutes"] = minutes;
    calls["cost"] = minutes * sc.cost_per_minute;
    out["calls"] = calls;

    // Time to terminal (completed, dropped, failed), exact percentiles by nearest rank.
    std::vector<std::uint32_t> ttt;
    ttt.reserve(static_cast<std::size_t>(counts[0] + counts[1] + counts[2]));
    for (std::size_t i = 0; i < n_leads; ++i) {
        if (state[i].end() != LeadEnd::kNone) ttt.push_back(end_s[i] - arrival_s[i]);
    }
    sort_seconds(ttt);
    auto pct = [&](double p) {
        if (ttt.empty()) return 0.0;
        std::size_t rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(ttt.size())));
        if (rank < 1) rank = 1;
        return static_cast<double>(ttt[rank - 1]) / 3600.0;
    };
    Json tj = Json::object();
    tj["p50"] = pct(0.50);
    tj["p90"] = pct(0.90);
    tj["p99"] = pct(0.99);
    Json hist = Json::array();
    if (!ttt.empty()) {
        const double max_h = static_cast<double>(ttt.back()) / 3600.0;
        const double w = nice_step_hours(max_h > 0 ? max_h : 1, 30);
        const std::size_t bins = static_cast<std::size_t>(std::floor(max_h / w)) + 1;
        std::vector<std::int64_t> hc(bins, 0);
        const double w_s = w * 3600.0;
        for (std::uint32_t s : ttt) {
            std::size_t k = static_cast<std::size_t>(std::floor(static_cast<double>(s) / w_s));
            if (k >= bins) k = bins - 1;
            ++hc[k];
        }
        for (std::size_t k = 0; k < bins; ++k) {
            hist.push_back(Json{{"from", static_cast<double>(k) * w},
                                {"to", static_cast<double>(k + 1) * w},
                                {"count", hc[k]}});
        }
    }
    tj["histogram"] = hist;
    out["time_to_terminal_hours"] = tj;

    // Leads in progress (arrived, not yet ended or stuck) at regular instants up to the horizon.
    const double horizon_h = sc.horizon_days * 24.0;
    const double step_h = nice_step_hours(horizon_h, 60);
    const std::size_t samples = static_cast<std::size_t>(std::floor(horizon_h / step_h)) + 1;
    const double step_s = step_h * 3600.0;
    std::vector<std::int64_t> arrived_by(samples + 1, 0), ended_by(samples + 1, 0);
    auto sample_index = [&](std::uint32_t s) {
        const double k = std::ceil(static_cast<double>(s) / step_s);
        return k >= static_cast<double>(samples) ? samples : static_cast<std::size_t>(k);
    };
    for (std::size_t i = 0; i < n_leads; ++i) {
        if (start + static_cast<TimeMs>(arrival_s[i]) * 1000 > horizon_end) continue;
        ++arrived_by[sample_index(arrival_s[i])];
        if (end_s[i] != kNotEnded) ++ended_by[sample_index(end_s[i])];
    }
    Json prog = Json::array();
    std::int64_t a_sum = 0, e_sum = 0;
    for (std::size_t k = 0; k < samples; ++k) {
        a_sum += arrived_by[k];
        e_sum += ended_by[k];
        prog.push_back(
            Json{{"t_hours", static_cast<double>(k) * step_h}, {"count", a_sum - e_sum}});
    }
    out["in_progress"] = prog;

    if (opt.exact) {
        out["exact"] = to_json(solve_exact(g, b), g);
    } else {
        out["exact"] = Json{{"available", false}, {"reason", "not requested"}};
    }
    out["start_time"] = format_timestamp(start);
    out["horizon_days"] = sc.horizon_days;
    out["events"] = events;
    out["warnings"] = b.warnings;

    if (stats != nullptr) {
        stats->events = events;
        stats->peak_queue = static_cast<std::int64_t>(peak_queue);
        const std::size_t bytes =
            n_leads * (sizeof(SimLead) + (mask_words - 1) * 8 + 8 + n_vars + n_attrs +
                       (n_attrs ? 4 : 0) + (fifo.empty() ? 0 : 4) + (calls_of.empty() ? 0 : 4)) +
            peak_queue * sizeof(std::uint64_t);
        stats->bytes_per_lead = n_leads ? bytes / n_leads : 0;
        // Two passes (mean, then squared deviations) in a fixed order: the same bytes natively
        // and in WebAssembly, and no cancellation from sums of squares.
        stats->terminal_leads = static_cast<std::int64_t>(ttt.size());
        stats->time_to_terminal_mean_hours = 0;
        stats->time_to_terminal_sd_hours = 0;
        if (!ttt.empty()) {
            std::int64_t sum_s = 0;
            for (const std::uint32_t t : ttt) sum_s += t;
            const double mean_s = static_cast<double>(sum_s) / static_cast<double>(ttt.size());
            double ss = 0;
            for (const std::uint32_t t : ttt) {
                const double d = static_cast<double>(t) - mean_s;
                ss += d * d;
            }
            stats->time_to_terminal_mean_hours = mean_s / 3600.0;
            if (ttt.size() > 1) {
                stats->time_to_terminal_sd_hours =
                    std::sqrt(ss / static_cast<double>(ttt.size() - 1)) / 3600.0;
            }
        }
        stats->calls_per_lead_sd = -1;
        if (!calls_of.empty()) {
            const double mean = static_cast<double>(calls_placed) / static_cast<double>(n_leads);
            double ss = 0;
            for (const std::uint32_t c : calls_of) {
                const double d = static_cast<double>(c) - mean;
                ss += d * d;
            }
            stats->calls_per_lead_sd =
                n_leads > 1 ? std::sqrt(ss / static_cast<double>(n_leads - 1)) : 0.0;
        }
    }
    return out;
}

namespace {

Status over_budget(std::int64_t max_events) {
    return Status::exhausted("the simulation needs more than " + std::to_string(max_events) +
                             " events (leads x steps); simulate fewer leads, a shorter horizon "
                             "or a graph with fewer steps");
}

}  // namespace

Result<Json> simulate(const CompiledGraph& g, const BoundScenario& b, const SimulateOptions& opt,
                      SimulationStats* stats) {
    auto run = SimulationRun::create(g, b, opt);
    if (!run.ok()) return run.status();
    if (opt.max_events > 0 || opt.should_stop) {
        while (!run->done()) {
            if (opt.should_stop && opt.should_stop()) {
                return Status::cancelled("the simulation was cancelled after " +
                                         std::to_string(run->events()) + " events");
            }
            std::int64_t slice = kSimulationCheckEvents;
            if (opt.max_events > 0) {
                const std::int64_t left = opt.max_events - run->events();
                if (left <= 0) return over_budget(opt.max_events);
                slice = std::min(slice, left);
            }
            run->step(slice);  // pops `slice` events; a pop that frees call slots runs more
        }
    }
    if (opt.max_events > 0 && run->events() > opt.max_events) return over_budget(opt.max_events);
    return run->results(stats);
}

Result<Json> simulate_graph(const Graph& g, const Scenario& s, const SimulateOptions& options,
                            SimulationStats* stats) {
    auto cg = compile_graph(g);
    if (!cg.ok()) return cg.status();
    return simulate(*cg, bind_scenario(*cg, s), options, stats);
}

}  // namespace leadflow
