// core/src/calibration.cpp — see leadflow/calibration.hpp.
#include "leadflow/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "leadflow/civil_time.hpp"

namespace leadflow {

std::int64_t ObservedNode::calls() const {
    std::int64_t n = 0;
    for (std::int64_t k : outcomes) n += k;
    return n;
}

// [SECTION] Beta distribution

namespace {

// The continued fraction of I_x(a, b) (modified Lentz), valid for x < (a + 1) / (a + b + 2).
double beta_fraction(double a, double b, double x) {
    constexpr double kTiny = 1e-300;
    constexpr double kEps = 1e-15;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (std::fabs(d) < kTiny) d = kTiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 1000; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + aa * d;
        if (std::fabs(d) < kTiny) d = kTiny;
        c = 1 + aa / c;
        if (std::fabs(c) < kTiny) c = kTiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + aa * d;
        if (std::fabs(d) < kTiny) d = kTiny;
        c = 1 + aa / c;
        if (std::fabs(c) < kTiny) c = kTiny;
        d = 1 / d;
        const double del = d * c;
        h *= del;
        if (std::fabs(del - 1) < kEps) break;
    }
    return h;
}

}  // namespace

double incomplete_beta(double a, double b, double x) {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const double log_front =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(log_front);
    if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
    return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double beta_quantile(double a, double b, double q) {
    if (q <= 0) return 0;
    if (q >= 1) return 1;
    double lo = 0, hi = 1;
    for (int i = 0; i < 100 && hi - lo > 1e-13; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (incomplete_beta(a, b, mid) < q) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

// [SECTION] Fitting

namespace {

// One share's posterior: Beta(w·p + k, w·(1 − p) + n − k).
Json share_json(double prior, double w, std::int64_t k, std::int64_t n) {
    const double a = w * prior + static_cast<double>(k);
    const double b = w * (1 - prior) + static_cast<double>(n - k);
    Json j = Json::object();
    j["count"] = k;
    j["prior"] = prior;
    if (a + b <= 0) {
        j["share"] = prior;
        j["ci95"] = Json::array({prior, prior});
        return j;
    }
    j["share"] = a / (a + b);
    const double lo = a <= 0 ? 0.0 : b <= 0 ? 1.0 : beta_quantile(a, b, 0.025);
    const double hi = a <= 0 ? 0.0 : b <= 0 ? 1.0 : beta_quantile(a, b, 0.975);
    j["ci95"] = Json::array({lo, hi});
    return j;
}

double posterior_mean(double prior, double w, std::int64_t k, std::int64_t n) {
    const double total = w + static_cast<double>(n);
    return total > 0 ? (w * prior + static_cast<double>(k)) / total : prior;
}

// Mean and sample standard deviation from a count, sum and sum of squares.
Json moments_json(const char* count_key, std::int64_t n, double sum, double sum2) {
    Json j = Json::object();
    j[count_key] = n;
    if (n == 0) {
        j["mean"] = nullptr;
        j["sd"] = nullptr;
        return j;
    }
    const double mean = sum / static_cast<double>(n);
    double sd = 0;
    if (n > 1) {
        const double var =
            (sum2 - static_cast<double>(n) * mean * mean) / static_cast<double>(n - 1);
        sd = var > 0 ? std::sqrt(var) : 0.0;
    }
    j["mean"] = mean;
    j["sd"] = sd;
    return j;
}

NodeModel& model_for(Scenario& s, const std::string& id) {
    for (NodeModel& m : s.nodes) {
        if (m.node_id == id) return m;
    }
    NodeModel m;
    m.node_id = id;
    s.nodes.push_back(std::move(m));
    return s.nodes.back();
}

const AnalysisModel* find_analysis(const std::vector<AnalysisModel>& models,
                                   const std::string& name) {
    for (const AnalysisModel& m : models) {
        if (m.name == name) return &m;
    }
    return nullptr;
}

std::string too_few(std::int64_t n, std::int64_t min, const char* what) {
    return std::to_string(n) + " " + what + ", fewer than " + std::to_string(min) +
           ": the scenario keeps its model";
}

// Fits one attribute: every value of the prior model and every value observed.
Json fit_attribute(const AnalysisModel* prior, const std::map<std::string, std::int64_t>& counts,
                   double w, AnalysisModel* fitted) {
    std::vector<std::string> values;
    std::vector<double> priors;
    if (prior) {
        values = prior->dist.values;
        priors = prior->dist.probabilities;
    }
    for (const auto& [v, k] : counts) {
        if (std::find(values.begin(), values.end(), v) == values.end()) {
            values.push_back(v);
            priors.push_back(0);
        }
    }
    std::int64_t total = 0;
    for (const auto& [v, k] : counts) total += k;
    // Without a prior model, the attribute's values share the prior weight equally.
    if (!prior && !values.empty()) {
        for (double& p : priors) p = 1.0 / static_cast<double>(values.size());
    }
    Json out = Json::object();
    out["calls"] = total;
    Json vj = Json::object();
    fitted->dist.values.clear();
    fitted->dist.probabilities.clear();
    for (std::size_t i = 0; i < values.size(); ++i) {
        auto it = counts.find(values[i]);
        const std::int64_t k = it == counts.end() ? 0 : it->second;
        vj[values[i]] = share_json(priors[i], w, k, total);
        fitted->dist.values.push_back(values[i]);
        fitted->dist.probabilities.push_back(posterior_mean(priors[i], w, k, total));
    }
    out["values"] = vj;
    return out;
}

// The head of a node's report: its type, its observations under `count_key` ("calls" or
// "actions"), whether there were enough to fit, and the note when not.
Json node_report(const char* type, const char* count_key, std::int64_t n,
                 const CalibrationOptions& opt) {
    Json j = Json::object();
    j["type"] = type;
    j[count_key] = n;
    const bool fit = n >= opt.min_calls && n > 0;
    j["fitted"] = fit;
    j["note"] = fit ? Json(nullptr) : Json(too_few(n, opt.min_calls, count_key));
    return j;
}

// `fitted` starts as the node's current model; only what was fitted is replaced.
Json fit_call_node(const ObservedNode* o, const BoundNodeModel& prior,
                   const CalibrationOptions& opt, NodeModel& fitted) {
    const ObservedNode none;
    const ObservedNode& obs = o ? *o : none;
    const double w = opt.prior_weight;
    const std::int64_t n = obs.calls();
    Json j = node_report("VOICE_CALL", "calls", n, opt);
    const bool fit = j["fitted"].get<bool>();
    Json outcomes = Json::object();
    std::array<double, kCallOutcomeCount> shares{};
    for (int i = 0; i < kCallOutcomeCount; ++i) {
        const auto u = static_cast<std::size_t>(i);
        outcomes[to_string(static_cast<CallOutcome>(i))] =
            share_json(prior.outcomes[u], w, obs.outcomes[u], n);
        shares[u] = posterior_mean(prior.outcomes[u], w, obs.outcomes[u], n);
    }
    j["outcomes"] = outcomes;
    j["call_duration_s"] = moments_json("calls", obs.billed_calls, obs.billed_s, obs.billed_s2);
    Json analysis = Json::object();
    std::vector<AnalysisModel> fitted_analysis;
    std::vector<std::string> names;
    for (const AnalysisModel& m : prior.analysis) names.push_back(m.name);
    for (const auto& [name, counts] : obs.analysis) {
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    for (const std::string& name : names) {
        static const std::map<std::string, std::int64_t> kNone;
        auto it = obs.analysis.find(name);
        AnalysisModel am;
        am.name = name;
        analysis[name] = fit_attribute(find_analysis(prior.analysis, name),
                                       it == obs.analysis.end() ? kNone : it->second, w, &am);
        if (!am.dist.values.empty()) fitted_analysis.push_back(std::move(am));
    }
    j["analysis"] = analysis;
    if (!fit) return j;
    fitted.outcomes = shares;
    if (obs.billed_calls >= 2) {
        fitted.duration_mean_s = j["call_duration_s"]["mean"].get<double>();
        fitted.duration_sd_s = j["call_duration_s"]["sd"].get<double>();
    }
    fitted.analysis = std::move(fitted_analysis);
    return j;
}

Json fit_action_node(const ObservedNode* o, const BoundNodeModel& prior,
                     const CalibrationOptions& opt, NodeModel& fitted) {
    const ObservedNode none;
    const ObservedNode& obs = o ? *o : none;
    const std::int64_t n = obs.actions_ok + obs.actions_failed;
    Json j = node_report("APPLICATION", "actions", n, opt);
    const bool fit = j["fitted"].get<bool>();
    j["success_rate"] = share_json(prior.success_rate, opt.prior_weight, obs.actions_ok, n);
    j["latency_s"] = moments_json("actions", n, obs.latency_s, obs.latency_s2);
    if (fit) {
        fitted.success_rate =
            posterior_mean(prior.success_rate, opt.prior_weight, obs.actions_ok, n);
        fitted.latency_s = j["latency_s"]["mean"].get<double>();
    }
    return j;
}

const ObservedNode* observed(const Observations& obs, const std::string& id) {
    for (const ObservedNode& o : obs.nodes) {
        if (o.node_id == id) return &o;
    }
    return nullptr;
}

}  // namespace

Json calibrate(const CompiledGraph& g, const Scenario& prior, const Observations& obs,
               const CalibrationOptions& options) {
    const BoundScenario bound = bind_scenario(g, prior);
    Scenario fitted = prior;
    Json nodes = Json::object();
    for (std::size_t i = 0; i < g.nodes().size(); ++i) {
        const NodeType type = g.nodes()[i].type;
        if (type != NodeType::kVoiceCall && type != NodeType::kApplication) continue;
        const std::string& id = g.node_id(static_cast<std::int32_t>(i));
        const NodeModel* given = nullptr;
        for (const NodeModel& m : prior.nodes) {
            if (m.node_id == id) given = &m;
        }
        NodeModel candidate = given ? *given : NodeModel{};
        candidate.node_id = id;
        Json report = type == NodeType::kVoiceCall
                          ? fit_call_node(observed(obs, id), bound.nodes[i], options, candidate)
                          : fit_action_node(observed(obs, id), bound.nodes[i], options, candidate);
        if (report["fitted"].get<bool>()) model_for(fitted, id) = std::move(candidate);
        nodes[id] = std::move(report);
    }
    Json arrivals = Json::object();
    arrivals["leads"] = obs.arrivals;
    if (obs.arrivals > 0) {
        constexpr TimeMs kHour = 3'600'000;
        const TimeMs span = obs.last_arrival_hour - obs.first_arrival_hour + kHour;
        const double days = static_cast<double>(span) / (24.0 * kHour);
        arrivals["per_day"] = static_cast<double>(obs.arrivals) / days;
        arrivals["from"] = format_timestamp(obs.first_arrival_hour);
        arrivals["to"] = format_timestamp(obs.first_arrival_hour + span);
        fitted.leads = std::min(obs.arrivals, kMaxScenarioLeads);
        fitted.arrivals = ArrivalMode::kUniform;
        fitted.arrivals_over_days = days;
    } else {
        arrivals["per_day"] = 0.0;
        arrivals["from"] = nullptr;
        arrivals["to"] = nullptr;
    }
    Json out = Json::object();
    out["scenario"] = to_json(fitted);
    out["prior_weight"] = options.prior_weight;
    out["min_calls"] = options.min_calls;
    out["arrivals"] = std::move(arrivals);
    out["nodes"] = std::move(nodes);
    return out;
}

// [SECTION] Drift

namespace {

const char* rate_name(CallOutcome o) {
    switch (o) {
        case CallOutcome::kCompleted:
            return "answer rate";
        case CallOutcome::kNoAnswer:
            return "no-answer rate";
        case CallOutcome::kBusy:
            return "busy rate";
        case CallOutcome::kVoicemail:
            return "voicemail rate";
        case CallOutcome::kFailed:
            return "failure rate";
    }
    return "rate";
}

std::string percent(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", share * 100);
    return buf;
}

}  // namespace

Json drift(const CompiledGraph& g, const Scenario& plan, const Observations& obs,
           const DriftOptions& options) {
    const BoundScenario bound = bind_scenario(g, plan);
    Json nodes = Json::object();
    Json flagged = Json::array();
    for (std::size_t i = 0; i < g.nodes().size(); ++i) {
        if (g.nodes()[i].type != NodeType::kVoiceCall) continue;
        const std::string& id = g.node_id(static_cast<std::int32_t>(i));
        const Node& node = g.graph().nodes[i];
        const ObservedNode* o = observed(obs, id);
        const std::int64_t n = o ? o->calls() : 0;
        Json outcomes = Json::object();
        bool any = false;
        double worst = 0;
        std::string message;
        for (int k = 0; k < kCallOutcomeCount; ++k) {
            const auto u = static_cast<std::size_t>(k);
            const double p = bound.nodes[i].outcomes[u];
            const double half =
                n > 0 ? options.z * std::sqrt(p * (1 - p) / static_cast<double>(n)) : 1.0;
            const double seen = n > 0 ? static_cast<double>(o->outcomes[u]) / n : 0.0;
            const bool drifted = n >= options.min_calls && n > 0 && std::fabs(seen - p) > half;
            Json oj = Json::object();
            oj["observed"] = n > 0 ? Json(seen) : Json(nullptr);
            oj["plan"] = p;
            oj["low"] = std::max(0.0, p - half);
            oj["high"] = std::min(1.0, p + half);
            oj["drifted"] = drifted;
            outcomes[to_string(static_cast<CallOutcome>(k))] = std::move(oj);
            if (!drifted) continue;
            any = true;
            // The outcome furthest outside its interval, in interval widths, names the drift.
            const double distance = half > 0 ? std::fabs(seen - p) / half : 1e300;
            if (distance > worst) {
                worst = distance;
                const std::string name = node.label.empty() ? id : node.label;
                message = name + ": " + rate_name(static_cast<CallOutcome>(k)) + " " +
                          percent(seen) + " (plan " + percent(p) + " ± " + percent(half) + ")";
            }
        }
        Json nj = Json::object();
        nj["name"] = node.label.empty() ? id : node.label;
        nj["calls"] = n;
        nj["flagged"] = any;
        nj["message"] = any ? Json(message) : Json(nullptr);
        nj["outcomes"] = std::move(outcomes);
        nodes[id] = std::move(nj);
        if (any) flagged.push_back(id);
    }
    Json out = Json::object();
    out["flagged"] = std::move(flagged);
    out["nodes"] = std::move(nodes);
    return out;
}

}  // namespace leadflow
