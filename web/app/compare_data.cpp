// web/app/compare_data.cpp — two graphs simulated under one scenario, read for the Compare tab.
#include "compare_data.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <utility>

#include "leadflow/compare.hpp"
#include "leadflow/compiled_graph.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/simulate.hpp"

namespace leadflow::web {

namespace {

bool number_at(const Json& j, const char* key, double* out) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return false;
    *out = j[key].get<double>();
    return true;
}

Status read_metric(const Json& diff, const char* key, CompareMetric* m) {
    const std::string what = std::string("comparison: difference.") + key;
    if (!diff.contains(key) || !diff[key].is_object()) return Status::invalid(what + " missing");
    const Json& j = diff[key];
    if (!number_at(j, "before", &m->before) || !number_at(j, "after", &m->after) ||
        !number_at(j, "delta", &m->delta)) {
        return Status::invalid(what + ": no before, after or delta");
    }
    m->has_ci = j.contains("ci95") && j["ci95"].is_array() && j["ci95"].size() == 2 &&
                j["ci95"][0].is_number() && j["ci95"][1].is_number();
    if (m->has_ci) {
        m->ci_lo = j["ci95"][0].get<double>();
        m->ci_hi = j["ci95"][1].get<double>();
    }
    return Status::ok();
}

std::int64_t completed(const Json& results) {
    const Json* c = &results;
    for (const char* k : {"terminal", "completed", "count"}) {
        if (!c->is_object() || !c->contains(k)) return 0;
        c = &(*c)[k];
    }
    return c->is_number_integer() ? c->get<std::int64_t>() : 0;
}

// Scales a value to its unit's display (shares in percent points) and picks the digits.
double scaled(double v, MetricUnit unit) {
    return unit == MetricUnit::kShare ? v * 100.0 : v;
}
int digits(MetricUnit unit) {
    return unit == MetricUnit::kCalls ? 3 : 1;
}
const char* suffix(MetricUnit unit, bool delta) {
    switch (unit) {
        case MetricUnit::kShare:
            return delta ? " pp" : "%";
        case MetricUnit::kHours:
            return " h";
        case MetricUnit::kCalls:
            break;
    }
    return "";
}

// "+1.2" / "-1.2" / "0.0": the sign is dropped when the value rounds to zero.
std::string signed_text(double v, int d) {
    const double unit = std::pow(10.0, -d);
    if (std::fabs(v) < unit / 2) v = 0;
    char buf[48];
    std::snprintf(buf, sizeof buf, v > 0 ? "+%.*f" : "%.*f", d, v);
    return buf;
}

}  // namespace

Result<Json> compare_graphs(const Graph& before, const Graph& after, const Json& scenario) {
    Result<Scenario> s = parse_scenario(scenario.is_object() ? scenario : Json::object());
    if (!s.ok()) return s.status();
    return compare_simulations(before, after, *s);
}

// One side of a comparison. Its compiled graph and bound scenario live at fixed addresses for
// the run that refers to them.
struct CompareSide {
    CompiledGraph graph;
    BoundScenario bound;
    std::optional<SimulationRun> run;
    Json results;
    SimulationStats stats;
    bool done = false;
};

struct CompareSession::Runs {
    CompareSide before, after;
    std::int64_t leads = 0;
};

CompareSession::CompareSession() = default;
CompareSession::~CompareSession() = default;
CompareSession::CompareSession(CompareSession&&) noexcept = default;
CompareSession& CompareSession::operator=(CompareSession&&) noexcept = default;

Status CompareSession::start(const Graph& before, const Graph& after, const Json& scenario) {
    runs_.reset();
    Result<Scenario> s = parse_scenario(scenario.is_object() ? scenario : Json::object());
    if (!s.ok()) return s.status();
    auto r = std::make_unique<Runs>();
    r->leads = s->leads;
    // In compare_simulations' order: both graphs compile, then each run is prepared.
    const std::pair<const Graph*, CompareSide*> sides[] = {{&before, &r->before},
                                                           {&after, &r->after}};
    const char* names[] = {"before: ", "after: "};
    for (int i = 0; i < 2; ++i) {
        Result<CompiledGraph> g = compile_graph(*sides[i].first);
        if (!g.ok()) return Status(g.status().code(), names[i] + g.status().message());
        sides[i].second->graph = std::move(*g);
    }
    SimulateOptions options;
    options.lead_calls = true;  // calls_per_lead_sd, as compare_simulations
    for (int i = 0; i < 2; ++i) {
        CompareSide& side = *sides[i].second;
        side.bound = bind_scenario(side.graph, *s);
        Result<SimulationRun> run = SimulationRun::create(side.graph, side.bound, options);
        if (!run.ok()) return Status(run.status().code(), names[i] + run.status().message());
        side.run.emplace(std::move(*run));
    }
    runs_ = std::move(r);
    return Status::ok();
}

bool CompareSession::step(std::int64_t max_events) {
    if (!runs_) return true;
    for (CompareSide* side : {&runs_->before, &runs_->after}) {
        if (side->done) continue;
        if (!side->run->step(max_events)) return false;
        side->results = side->run->results(&side->stats);
        side->done = true;
        return runs_->after.done;
    }
    return true;
}

bool CompareSession::running() const {
    return runs_ && !(runs_->before.done && runs_->after.done);
}

double CompareSession::progress() const {
    if (!runs_) return 1.0;
    const auto one = [](const CompareSide& s) { return s.done ? 1.0 : s.run->progress(); };
    return (one(runs_->before) + one(runs_->after)) / 2;
}

Result<Json> CompareSession::finish() {
    if (!runs_ || !runs_->before.done || !runs_->after.done) {
        return Status::precondition("the comparison has not finished");
    }
    Json out = compare_runs(runs_->before.results, runs_->before.stats, runs_->after.results,
                            runs_->after.stats, runs_->leads);
    runs_.reset();
    return out;
}

Result<ComparisonView> read_comparison(const Json& j) {
    if (!j.is_object() || !j.contains("before") || !j.contains("after") ||
        !j["before"].is_object() || !j["after"].is_object()) {
        return Status::invalid("comparison: no before or after results");
    }
    if (!j.contains("difference") || !j["difference"].is_object()) {
        return Status::invalid("comparison: no difference");
    }
    ComparisonView v;
    const Json& b = j["before"];
    if (!b.contains("leads") || !b["leads"].is_number_integer()) {
        return Status::invalid("comparison: before.leads missing");
    }
    v.leads = b["leads"].get<std::int64_t>();
    if (b.contains("seed") && b["seed"].is_number_unsigned())
        v.seed = b["seed"].get<std::uint64_t>();
    const Json& d = j["difference"];
    for (auto [key, m] : {std::pair<const char*, CompareMetric*>{"conversion", &v.conversion},
                          {"calls_per_lead", &v.calls_per_lead},
                          {"time_to_terminal_hours", &v.time_to_terminal}}) {
        Status s = read_metric(d, key, m);
        if (!s.is_ok()) return s;
    }
    const Json& ttt = d["time_to_terminal_hours"];
    if (ttt.contains("leads") && ttt["leads"].is_array() && ttt["leads"].size() == 2) {
        v.terminal_before = ttt["leads"][0].get<std::int64_t>();
        v.terminal_after = ttt["leads"][1].get<std::int64_t>();
    }
    v.converted_before = completed(b);
    v.converted_after = completed(j["after"]);
    v.before_text = b.dump();
    v.after_text = j["after"].dump();
    return v;
}

std::string format_value(double v, MetricUnit unit) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f%s", digits(unit), scaled(v, unit), suffix(unit, false));
    return buf;
}

std::string format_delta(double d, MetricUnit unit) {
    return signed_text(scaled(d, unit), digits(unit)) + suffix(unit, true);
}

std::string format_interval(const CompareMetric& m, MetricUnit unit) {
    if (!m.has_ci) return "n/a";
    return signed_text(scaled(m.ci_lo, unit), digits(unit)) + " to " +
           signed_text(scaled(m.ci_hi, unit), digits(unit)) + suffix(unit, true);
}

std::string comparison_csv(const ComparisonView& v) {
    const auto number = [](double x) { return Json(x).dump(); };
    std::string out = "metric,unit,before,after,difference,ci95_low,ci95_high\r\n";
    const auto row = [&](const char* metric, const char* unit, const CompareMetric& m) {
        out += std::string(metric) + "," + unit + "," + number(m.before) + "," + number(m.after) +
               "," + number(m.delta) + ",";
        if (m.has_ci)
            out += number(m.ci_lo) + "," + number(m.ci_hi);
        else
            out += ",";
        out += "\r\n";
    };
    row("conversion", "share", v.conversion);
    row("calls_per_lead", "calls", v.calls_per_lead);
    row("time_to_terminal", "hours", v.time_to_terminal);
    return out;
}

}  // namespace leadflow::web
