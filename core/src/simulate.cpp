// The Monte-Carlo simulator: the run. Index:
//   [SECTION] The run (SimulationRun::State: one event at a time)
//   [SECTION] SimulationRun (create, slices) and simulate() on top
// The event queue is in sim_event_queue.hpp, the run's state in sim_run.hpp, and the results JSON
// with its statistics in sim_results.cpp.
#include "leadflow/simulate.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

#include "leadflow/forecast.hpp"
#include "leadflow/sampling.hpp"
#include "leadflow/split.hpp"
#include "leadflow/time_zone.hpp"
#include "sim_run.hpp"

namespace leadflow {

namespace {

using sim::EventQueue;
using sim::kLeadBits;
using sim::kLeadMask;
using sim::SimFields;

using sim::kEvAction;
using sim::kEvArrival;
using sim::kEvCallEnd;
using sim::kEvTimer;
using sim::kMaxPackedDurationMs;
using sim::round_ms;

// A call's outcome (CallOutcome) and duration drawn from the node's model, and the queue lane
// its end goes to (fixed delays: a ring, a busy or failed line; kNoLane for talk times).
inline std::uint32_t draw_call(Rng& rng, const BoundNodeModel& m, TimeMs& dur, std::int64_t& lane) {
    const std::size_t o = sample_categorical(rng, m.outcome_cumulative.data(), 5);
    lane = EventQueue::kNoLane;
    if (o == static_cast<std::size_t>(CallOutcome::kCompleted) ||
        o == static_cast<std::size_t>(CallOutcome::kVoicemail)) {
        dur = round_ms(sample_truncated_normal(rng, m.duration_mean_s, m.duration_sd_s, 5.0));
        if (dur < 1) dur = 1;
        if (dur > kMaxPackedDurationMs) dur = kMaxPackedDurationMs;
    } else if (o == static_cast<std::size_t>(CallOutcome::kNoAnswer)) {
        // At least 1 ms: every event lies strictly after the one that caused it.
        dur = std::clamp<TimeMs>(round_ms(m.ring_s), 1, kMaxPackedDurationMs);
        lane = dur;
    } else {
        dur = 5000;
        lane = dur;
    }
    return static_cast<std::uint32_t>(o);
}

}  // namespace

// [SECTION] The run

inline void SimulationRun::State::schedule(TimeMs t, std::uint32_t lead, std::uint32_t payload,
                                           std::int64_t lane) {
    if (t > horizon_end) return;
    state[lead].pending = payload;
    queue.push((static_cast<std::uint64_t>(t - start) << kLeadBits) | lead, lane);
    if (queue.size() > peak_queue) peak_queue = queue.size();
}
inline void SimulationRun::State::schedule_arrival(std::size_t i) {
    if (i >= n_leads) return;
    schedule(start + static_cast<TimeMs>(arrival_s[i]) * 1000, static_cast<std::uint32_t>(i),
             kEvArrival, EventQueue::kArrivalLane);
}

inline void SimulationRun::State::enter_node(std::size_t lead, std::int32_t node) {
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

inline void SimulationRun::State::ended(std::uint32_t lead, TimeMs now) {
    end_s[lead] = static_cast<std::uint32_t>((now - start) / 1000);
    ended_arrival_s_sum += arrival_s[lead];
    ended_life_s_sum += static_cast<double>(end_s[lead]) - arrival_s[lead];
}

inline void SimulationRun::State::run(std::uint32_t lead, TimeMs now, bool slot_granted) {
    ++events;
    LeadState st = state[lead].expand();
    ctx.now = now;
    if (tz_var >= 0) {
        ctx.zone = &zones[var_values[lead * n_vars + static_cast<std::size_t>(tz_var)]];
    } else if (!phone_of.empty()) {
        const LeadZones& z = phone_zones[phone_of[lead]];
        ctx.zone = z.zone;
        ctx.zones = z.possible.zones();
        ctx.zone_count = z.possible.size();
    } else {
        ctx.zone = &zones[0];
    }
    ctx.call_slot_available = limit < 0 || slot_granted || (in_flight < limit && fifo_size == 0);
    if (has_split) {
        if (lead < n_running) {
            ctx.lead_id = (*opt.running)[lead].id;
        } else {
            char* const end = lead_id_buf + sizeof lead_id_buf;
            const auto written = std::to_chars(lead_id_buf + lead_id_prefix, end, lead);
            ctx.lead_id =
                std::string_view(lead_id_buf, static_cast<std::size_t>(written.ptr - lead_id_buf));
        }
        // The SPLIT's per-branch cost: billed milliseconds per lead, added as each billed call
        // ends. Inside this block, whose test every event makes anyway, so that a graph without
        // a SPLIT runs exactly the instructions it ran before.
        if (ev.type == EventType::kCallEnded &&
            (ev.outcome == CallOutcome::kCompleted || ev.outcome == CallOutcome::kVoicemail)) {
            billed_of[lead] += static_cast<std::uint64_t>(ev.call_duration_ms);
        }
    }
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
            TimeMs dur;
            std::int64_t lane;
            const std::uint32_t o =
                draw_call(rng, b.nodes[static_cast<std::size_t>(e.node)], dur, lane);
            if (o == static_cast<std::uint32_t>(CallOutcome::kCompleted) ||
                o == static_cast<std::uint32_t>(CallOutcome::kVoicemail)) {
                billed_ms += dur;
            }
            schedule(now + dur, lead,
                     kEvCallEnd | (o << 2) | (static_cast<std::uint32_t>(dur) << 5), lane);
            break;
        }
        case EffectType::kHoldUntil:
            // A plain wait is a fixed delay; a release time read from the call's analysis
            // is not.
            schedule(e.until, lead, kEvTimer,
                     g.nodes()[static_cast<std::size_t>(e.node)].pca_key >= 0 ? EventQueue::kNoLane
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

inline void SimulationRun::State::grant_slots(TimeMs now) {
    while (limit > 0 && fifo_size > 0 && in_flight < limit) {
        const std::uint32_t waiting = fifo[fifo_head];
        fifo_head = (fifo_head + 1) % n_leads;
        --fifo_size;
        ev.type = EventType::kTimerFired;
        run(waiting, now, true);
    }
}

inline double SimulationRun::State::progress_estimate() const {
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

inline void SimulationRun::State::process() {
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
            grant_slots(now);
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

Status SimulationRun::State::place_running() {
    const std::vector<RunningLead>& running = *opt.running;
    const Scenario& sc = b.scenario;
    started = static_cast<std::int64_t>(n_running);
    for (std::size_t i = 0; i < n_running; ++i) {
        const RunningLead& r = running[i];
        const LeadState& st = r.state;
        const std::string who = "running lead " + (r.id.empty() ? std::to_string(i) : r.id);
        if (st.phase == Phase::kDone || st.end != LeadEnd::kNone) {
            return Status::invalid(who + ": it has ended");
        }
        if (st.node >= static_cast<std::int32_t>(n_nodes) ||
            (st.node < 0 && st.phase != Phase::kEntering && st.phase != Phase::kStuck)) {
            return Status::invalid(who + ": node index " + std::to_string(st.node) +
                                   " is not in the graph");
        }
        if (st.node >= 0 && st.phase == Phase::kEntering) {
            return Status::invalid(who + ": a lead entering a node cannot be resumed");
        }
        state[i].keep(st);
        // Its own variable values where the scenario lists them; a draw otherwise.
        for (std::size_t v = 0; v < n_vars; ++v) {
            const ValueDistribution& d = sc.variables[v].dist;
            int value = -1;
            for (const auto& [name, text] : r.variables) {
                if (name != sc.variables[v].name) continue;
                const auto it = std::find(d.values.begin(), d.values.end(), text);
                if (it != d.values.end()) value = static_cast<int>(it - d.values.begin());
            }
            if (value < 0) {
                value = static_cast<int>(
                    sample_categorical(rng, d.cumulative.data(), d.cumulative.size()));
            }
            var_values[i * n_vars + v] = static_cast<std::uint8_t>(value);
        }
        if (!phone_cumulative.empty()) {
            phone_of[i] = static_cast<std::uint8_t>(
                sample_categorical(rng, phone_cumulative.data(), phone_cumulative.size()));
        }
    }

    // First events, in lead order; leads queued for a call slot keep their order behind the
    // calls in progress, and leads not yet at their first node start last.
    std::vector<std::uint32_t> slot_queue, entering;
    // The first events are queued together, sorted, in a lane of their own: a million timers
    // would otherwise all pass through the radix heap's buckets.
    std::vector<std::uint64_t> placed;
    placed.reserve(n_running);
    auto place = [&](TimeMs t, std::uint32_t lead, std::uint32_t payload) {
        if (t > horizon_end) return;
        state[lead].pending = payload;
        placed.push_back((static_cast<std::uint64_t>(t - start) << kLeadBits) | lead);
    };
    for (std::size_t i = 0; i < n_running; ++i) {
        const LeadState& st = running[i].state;
        const auto lead = static_cast<std::uint32_t>(i);
        const TimeMs elapsed =
            st.entered_at != kNoTime ? std::max<TimeMs>(start - st.entered_at, 0) : 0;
        switch (st.phase) {
            case Phase::kWaiting:  // a wait without a stored release is due now
                place(std::max(st.release_at, start), lead, kEvTimer);
                break;
            case Phase::kQueued:
                if (st.release_at != kNoTime) {
                    place(std::max(st.release_at, start), lead, kEvTimer);
                } else {
                    slot_queue.push_back(lead);
                }
                break;
            case Phase::kInCall: {
                // The call has lasted `elapsed`: its outcome and length are drawn given that
                // (a draw that would have ended already is drawn again).
                const BoundNodeModel& m = b.nodes[static_cast<std::size_t>(st.node)];
                TimeMs dur = 1;
                std::int64_t lane;
                std::uint32_t o = 0;
                for (int attempt = 0; attempt < 64; ++attempt) {
                    o = draw_call(rng, m, dur, lane);
                    if (dur > elapsed) break;
                }
                if (o == static_cast<std::uint32_t>(CallOutcome::kCompleted) ||
                    o == static_cast<std::uint32_t>(CallOutcome::kVoicemail)) {
                    billed_ms += dur;
                }
                ++in_flight;
                place(start + std::max<TimeMs>(dur - elapsed, 1), lead,
                      kEvCallEnd | (o << 2) | (static_cast<std::uint32_t>(dur) << 5));
                break;
            }
            case Phase::kInAction: {
                const BoundNodeModel& m = b.nodes[static_cast<std::size_t>(st.node)];
                const bool ok = sample_bernoulli(rng, m.success_rate);
                const TimeMs latency = std::max<TimeMs>(round_ms(m.latency_s), 1);
                place(start + std::max<TimeMs>(latency - elapsed, 1), lead,
                      kEvAction | (ok ? 4u : 0u));
                break;
            }
            case Phase::kStuck:
                ++counts[3];
                if (st.node >= 0) ++stuck_at[static_cast<std::size_t>(st.node)];
                ended(lead, start);
                break;
            case Phase::kEntering:
                entering.push_back(lead);
                break;
            case Phase::kDone:
                break;
        }
    }
    std::sort(placed.begin(), placed.end());
    for (const std::uint64_t key : placed) queue.push(key, EventQueue::kPlacedLane);
    if (queue.size() > peak_queue) peak_queue = queue.size();
    for (const std::uint32_t lead : slot_queue) {
        if (limit > 0) {
            fifo[(fifo_head + fifo_size) % n_leads] = lead;
            ++fifo_size;
        } else {
            ev.type = EventType::kTimerFired;
            run(lead, start, true);
        }
    }
    grant_slots(start);
    for (const std::uint32_t lead : entering) {
        ev.type = EventType::kStart;
        run(lead, start, false);
    }
    return Status::ok();
}

// [SECTION] SimulationRun and simulate()

Result<SimulationRun> SimulationRun::create(const CompiledGraph& g, const BoundScenario& b,
                                            const SimulateOptions& opt) {
    auto st = std::make_unique<State>(g, b, opt);
    State& s = *st;
    const Scenario& sc = b.scenario;
    s.n_running = opt.running != nullptr ? opt.running->size() : 0;
    const std::size_t n_running = s.n_running;
    s.n_leads = n_running + static_cast<std::size_t>(sc.leads);
    if (s.n_leads > static_cast<std::size_t>(kMaxScenarioLeads)) {
        return Status::invalid("a run holds at most " + std::to_string(kMaxScenarioLeads) +
                               " leads, running and arriving");
    }
    s.n_nodes = g.nodes().size();
    s.n_edges = g.edges().size();
    const std::size_t n_leads = s.n_leads, n_nodes = s.n_nodes;

    // Time zones: the workflow's, or one per value of the scenario variable `timezone`.
    auto wf_zone = TimeZone::find(g.graph().workflow.settings.timezone);
    if (!wf_zone.ok()) return Status::invalid("settings.timezone: " + wf_zone.status().message());
    s.zones = {*wf_zone};
    s.workflow_zone = *wf_zone;
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

    // Phone numbers: the zones of each number of the mix, as the server finds a lead's
    // (lead_zones); a `timezone` variable decides instead when the scenario draws one.
    double cumulative = 0;
    for (const PhoneNumberShare& p : sc.phone_numbers) {
        s.phone_zones.push_back(lead_zones(nullptr, p.number, s.workflow_zone));
        cumulative += p.share;
        s.phone_cumulative.push_back(cumulative);
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
    for (const CompiledNode& node : g.nodes()) s.has_split |= node.type == NodeType::kSplit;
    s.calls_of.assign(opt.lead_calls || s.has_split ? n_leads : 0, 0);
    s.billed_of.assign(s.has_split ? n_leads : 0, 0);

    s.start = sc.start_time;
    s.horizon_end = s.start + round_ms(sc.horizon_days * 86400.0);
    s.last_time = s.start;

    // Arrivals (sorted; lead i arrives i-th), then lead variables, in lead order. Running
    // leads are there from the start; their variables are set by place_running().
    if (sc.arrivals == ArrivalMode::kUniform) {
        const double over_s = sc.arrivals_over_days * 86400.0;
        for (std::size_t i = n_running; i < n_leads; ++i) {
            s.arrival_s[i] = static_cast<std::uint32_t>(std::floor(s.rng.uniform() * over_s));
        }
        std::sort(s.arrival_s.begin() + static_cast<std::ptrdiff_t>(n_running), s.arrival_s.end());
    }
    for (std::size_t i = n_running; i < n_leads; ++i) {
        for (std::size_t v = 0; v < n_vars; ++v) {
            const ValueDistribution& d = sc.variables[v].dist;
            s.var_values[i * n_vars + v] = static_cast<std::uint8_t>(
                sample_categorical(s.rng, d.cumulative.data(), d.cumulative.size()));
        }
    }

    // Each lead's number, in lead order, after everything above (a scenario without a mix
    // draws nothing here, so its results do not change).
    if (!s.phone_cumulative.empty()) {
        s.phone_of.resize(n_leads);
        for (std::size_t i = n_running; i < n_leads; ++i) {
            s.phone_of[i] = static_cast<std::uint8_t>(
                sample_categorical(s.rng, s.phone_cumulative.data(), s.phone_cumulative.size()));
        }
    }

    s.entries.assign(n_nodes, 0);
    s.unique.assign(n_nodes, 0);
    s.stuck_at.assign(n_nodes, 0);
    s.traversals.assign(s.n_edges, 0);
    s.limit = g.max_concurrent_calls();
    s.step.records.reserve(64);
    s.ctx.fields = &s.fields;
    if (s.has_split) {
        const std::string prefix = simulated_lead_id(sc.seed, 0);  // "sim:<seed>:0"
        s.lead_id_prefix = prefix.size() - 1;
        std::memcpy(s.lead_id_buf, prefix.data(), s.lead_id_prefix);
    }

    s.schedule_arrival(n_running);
    if (n_running > 0) {
        Status placed = s.place_running();
        if (!placed.is_ok()) return placed;
    }
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

bool SimulationRun::step_until(TimeMs t) {
    State& s = *state_;
    while (!s.queue.empty() && s.start + static_cast<TimeMs>(s.queue.peek() >> kLeadBits) <= t) {
        s.process();
    }
    s.progress_floor = std::max(s.progress_floor, s.progress_estimate());
    return s.queue.empty();
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

namespace {

Status over_budget(std::int64_t max_events) {
    return Status::exhausted("the simulation needs more than " + std::to_string(max_events) +
                             " events (leads x steps); simulate fewer leads, a shorter horizon "
                             "or a graph with fewer steps");
}

}  // namespace

Status finish_run(SimulationRun& run, const SimulateOptions& opt) {
    if (opt.max_events > 0 || opt.should_stop) {
        while (!run.done()) {
            if (opt.should_stop && opt.should_stop()) {
                return Status::cancelled("the simulation was cancelled after " +
                                         std::to_string(run.events()) + " events");
            }
            std::int64_t slice = kSimulationCheckEvents;
            if (opt.max_events > 0) {
                const std::int64_t left = opt.max_events - run.events();
                if (left <= 0) return over_budget(opt.max_events);
                slice = std::min(slice, left);
            }
            run.step(slice);  // pops `slice` events; a pop that frees call slots runs more
        }
    }
    if (opt.max_events > 0 && run.events() > opt.max_events) return over_budget(opt.max_events);
    run.step(std::numeric_limits<std::int64_t>::max());
    return Status::ok();
}

Result<Json> simulate(const CompiledGraph& g, const BoundScenario& b, const SimulateOptions& opt,
                      SimulationStats* stats) {
    auto run = SimulationRun::create(g, b, opt);
    if (!run.ok()) return run.status();
    Status finished = finish_run(*run, opt);
    if (!finished.is_ok()) return finished;
    return run->results(stats);
}

Result<Json> simulate_graph(const Graph& g, const Scenario& s, const SimulateOptions& options,
                            SimulationStats* stats) {
    auto cg = compile_graph(g);
    if (!cg.ok()) return cg.status();
    return simulate(*cg, bind_scenario(*cg, s), options, stats);
}

}  // namespace leadflow
