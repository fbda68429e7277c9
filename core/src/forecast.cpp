// The forecast of a running workflow (forecast.hpp): the simulator run from the running leads'
// states, and the counts by day with their bands. Placing the running leads in the run is the
// simulator's (simulate.cpp, State::place_running); taking them out of a run is here
// (SimulationRun::snapshot).
#include "leadflow/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "leadflow/civil_time.hpp"
#include "leadflow/split.hpp"
#include "sim_run.hpp"

namespace leadflow {

std::pair<LeadEnd, std::int64_t> SimulationRun::lead_end(std::size_t i) const {
    const State& s = *state_;
    const std::int64_t end = s.end_s[i] == State::kNotEnded ? -1 : std::int64_t{s.end_s[i]};
    return {s.state[i].end(), end};
}

std::vector<RunningLead> SimulationRun::snapshot() const {
    const State& s = *state_;
    // Each lead's pending event time.
    std::vector<TimeMs> due(s.n_leads, kNoTime);
    s.queue.for_each([&](std::uint64_t key) {
        due[key & sim::kLeadMask] = s.start + static_cast<TimeMs>(key >> sim::kLeadBits);
    });
    std::vector<bool> in_slot_queue(s.n_leads, false);
    std::vector<std::uint32_t> slot_order;
    for (std::size_t k = 0; k < s.fifo_size; ++k) {
        const std::uint32_t lead = s.fifo[(s.fifo_head + k) % s.n_leads];
        in_slot_queue[lead] = true;
        slot_order.push_back(lead);
    }
    auto take = [&](std::size_t i) {
        RunningLead r;
        LeadState st = s.state[i].expand();
        const std::uint32_t payload = s.state[i].pending;
        switch (st.phase) {
            case Phase::kWaiting:
            case Phase::kQueued:
                // A timer past the horizon was never queued: it is still past the horizon.
                st.release_at = in_slot_queue[i]    ? kNoTime
                                : due[i] != kNoTime ? due[i]
                                                    : s.horizon_end + 1;
                break;
            case Phase::kInCall:  // one that ends past the horizon was never queued: now
                st.entered_at =
                    due[i] == kNoTime ? s.last_time : due[i] - static_cast<TimeMs>(payload >> 5);
                break;
            case Phase::kInAction: {
                const double latency_s = s.b.nodes[static_cast<std::size_t>(st.node)].latency_s;
                const TimeMs latency = std::max<TimeMs>(sim::round_ms(latency_s), 1);
                st.entered_at = due[i] == kNoTime ? s.last_time : due[i] - latency;
                break;
            }
            default:
                break;
        }
        r.state = st;
        r.id = i < s.n_running ? (*s.opt.running)[i].id : simulated_lead_id(s.b.scenario.seed, i);
        for (std::size_t v = 0; v < s.n_vars; ++v) {
            const VariableModel& m = s.b.scenario.variables[v];
            r.variables.emplace_back(m.name, m.dist.values[s.var_values[i * s.n_vars + v]]);
        }
        return r;
    };
    std::vector<RunningLead> out;
    for (std::size_t i = 0; i < s.n_leads; ++i) {
        const LeadState st = s.state[i].expand();
        const bool arrived = st.node >= 0 || st.phase != Phase::kEntering;
        if (!arrived || st.phase == Phase::kDone || in_slot_queue[i]) continue;
        out.push_back(take(i));
    }
    for (const std::uint32_t lead : slot_order) out.push_back(take(lead));
    return out;
}

namespace {

constexpr double kZ95 = 1.959963984540054;
constexpr int kEnds = 3;  // completed, dropped, failed
const char* const kEndNames[kEnds] = {"completed", "dropped", "failed"};

// Leads of one starting group: how many, and how many ended each way by the end of each day.
struct Group {
    std::int64_t n = 0;
    std::vector<std::int64_t> by_day[kEnds];  // [end][day]: ended that day, then by that day
};

Json band(double expected, double variance, double leads) {
    const double half = kZ95 * std::sqrt(2.0 * variance);
    return Json{{"expected", expected},
                {"low", std::max(0.0, expected - half)},
                {"high", std::min(leads, expected + half)}};
}

}  // namespace

Result<Json> forecast(const CompiledGraph& g, const BoundScenario& b,
                      const std::vector<RunningLead>& running, const SimulateOptions& options) {
    SimulateOptions opt = options;
    opt.running = &running;
    auto run = SimulationRun::create(g, b, opt);
    if (!run.ok()) return run.status();
    Status finished = finish_run(*run, opt);
    if (!finished.is_ok()) return finished;
    Json sim = run->results();

    const Scenario& sc = b.scenario;
    const std::size_t n_running = running.size();
    const std::size_t n_leads = n_running + static_cast<std::size_t>(sc.leads);
    const auto days = static_cast<std::size_t>(std::max(1.0, std::ceil(sc.horizon_days)));

    // Groups: the running leads' starting (node, phase), then the arrivals.
    std::map<std::pair<std::int32_t, int>, std::size_t> group_of;
    std::vector<Group> groups;
    auto group = [&](std::int32_t node, int phase) -> Group& {
        auto [it, fresh] = group_of.emplace(std::make_pair(node, phase), groups.size());
        if (fresh) {
            groups.emplace_back();
            for (auto& d : groups.back().by_day) d.assign(days, 0);
        }
        return groups[it->second];
    };
    std::int64_t ended[kEnds] = {0, 0, 0};
    std::int64_t last_end_s = 0;
    bool all_ended = true;
    for (std::size_t i = 0; i < n_leads; ++i) {
        Group& gr = i < n_running
                        ? group(running[i].state.node, static_cast<int>(running[i].state.phase))
                        : group(-1, -1);
        ++gr.n;
        const auto [end, at_s] = run->lead_end(i);
        if (end == LeadEnd::kNone) {
            all_ended = all_ended && at_s >= 0;  // stuck leads have ended for good
            if (at_s >= 0) last_end_s = std::max(last_end_s, at_s);
            continue;
        }
        const int e = end == LeadEnd::kCompleted ? 0 : end == LeadEnd::kDropped ? 1 : 2;
        ++ended[e];
        last_end_s = std::max(last_end_s, at_s);
        const auto day = std::min(static_cast<std::size_t>(at_s / 86400), days - 1);
        ++gr.by_day[e][day];
    }

    // Per group, ended by the end of each day (cumulative from here on), and Σ n·p̂·(1 − p̂)
    // over the groups of the share that ended each way by the end of `day`.
    for (Group& gr : groups) {
        for (auto& d : gr.by_day) {
            for (std::size_t k = 1; k < days; ++k) d[k] += d[k - 1];
        }
    }
    const double leads = static_cast<double>(n_leads);
    auto variance = [&](int e, std::size_t day) {
        double v = 0;
        for (const Group& gr : groups) {
            const double p = static_cast<double>(gr.by_day[e][day]) / static_cast<double>(gr.n);
            v += static_cast<double>(gr.n) * p * (1 - p);
        }
        return v;
    };

    Json out = Json::object();
    out["now"] = format_timestamp(sc.start_time);
    out["running"] = static_cast<std::int64_t>(n_running);
    out["arrivals"] = sc.leads;
    out["leads"] = static_cast<std::int64_t>(n_leads);
    Json fin = Json::object();
    std::int64_t unfinished = static_cast<std::int64_t>(n_leads);
    for (int e = 0; e < kEnds; ++e) {
        fin[kEndNames[e]] = band(static_cast<double>(ended[e]), variance(e, days - 1), leads);
        unfinished -= ended[e];
    }
    // The rest (still running at the horizon, or stuck): Σ n·p̂·(1 − p̂) of not having ended.
    double v_unfinished = 0;
    for (const Group& gr : groups) {
        std::int64_t k = 0;
        for (const auto& d : gr.by_day) k += d[days - 1];
        const double p = 1 - static_cast<double>(k) / static_cast<double>(gr.n);
        v_unfinished += static_cast<double>(gr.n) * p * (1 - p);
    }
    fin["unfinished"] = band(static_cast<double>(unfinished), v_unfinished, leads);
    out["final"] = fin;

    // By day, cumulative, until the day the last lead ended (every day of the horizon when
    // some lead is still running).
    const std::size_t shown =
        all_ended ? std::min(days, static_cast<std::size_t>(last_end_s / 86400) + 1) : days;
    Json by_day = Json::array();
    for (std::size_t d = 0; d < shown; ++d) {
        Json day = Json::object();
        day["day"] = static_cast<std::int64_t>(d + 1);
        day["at"] = format_timestamp(sc.start_time + static_cast<TimeMs>(d + 1) * 86400000);
        for (int e = 0; e < kEnds; ++e) {
            std::int64_t count = 0;
            for (const Group& gr : groups) count += gr.by_day[e][d];
            day[kEndNames[e]] = band(static_cast<double>(count), variance(e, d), leads);
        }
        by_day.push_back(day);
    }
    out["by_day"] = by_day;
    if (all_ended) {
        out["last_finish"] = format_timestamp(sc.start_time + last_end_s * 1000);
        out["last_finish_days"] = static_cast<double>(last_end_s) / 86400.0;
    } else {
        out["last_finish"] = nullptr;
        out["last_finish_days"] = nullptr;
    }
    out["simulation"] = std::move(sim);
    return out;
}

}  // namespace leadflow
