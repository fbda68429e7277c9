// Scenario parsing and binding (docs/simulation.md#the-scenario).
#include "leadflow/scenario.hpp"

#include <cmath>

#include "leadflow/civil_time.hpp"
#include "leadflow/validate.hpp"
#include "leadflow/wire.hpp"

namespace leadflow {

namespace {

constexpr double kSumTolerance = 1e-6;
constexpr double kPhoneShareTolerance = 1e-9;

std::string fmt(double v) {
    return Json(v).dump();
}

const char* type_name(const Json& v) {
    if (v.is_null()) return "null";
    if (v.is_boolean()) return "boolean";
    if (v.is_number()) return "number";
    if (v.is_string()) return "string";
    if (v.is_array()) return "array";
    return "object";
}

Status expect_object(const Json& v, const std::string& path) {
    if (!v.is_object()) {
        return Status::invalid(path + ": expected an object, got " + type_name(v));
    }
    return Status::ok();
}

// A number at `path` in [lo, hi] (finite); open bounds exclude the end.
Result<double> number(const Json& v, const std::string& path, double lo, double hi,
                      bool lo_open = false) {
    if (!v.is_number()) return Status::invalid(path + ": expected a number, got " + type_name(v));
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi || (lo_open && d == lo)) {
        std::string range = lo_open ? "> " + fmt(lo) : ">= " + fmt(lo);
        if (hi < 1e300) range += " and <= " + fmt(hi);
        return Status::invalid(path + ": must be " + range + ", got " + fmt(d));
    }
    return d;
}

Status probability_sum(const std::vector<double>& p, const std::string& path) {
    double sum = 0;
    for (double x : p) sum += x;
    if (std::fabs(sum - 1) > kSumTolerance) {
        return Status::invalid(path + ": the probabilities sum to " + fmt(sum) +
                               ", not 1 (they are not normalized for you)");
    }
    return Status::ok();
}

void build_cumulative(ValueDistribution& d) {
    d.cumulative.clear();
    double c = 0;
    for (double p : d.probabilities) {
        c += p;
        d.cumulative.push_back(c);
    }
}

// {"values": {"a": p, …}} → a distribution. Probabilities must be >= 0 and sum to 1.
Result<ValueDistribution> parse_values(const Json& values, const std::string& path) {
    if (Status s = expect_object(values, path); !s) return s;
    if (values.empty()) return Status::invalid(path + ": must list at least one value");
    ValueDistribution d;
    for (auto it = values.begin(); it != values.end(); ++it) {
        auto p = number(it.value(), path + "." + it.key(), 0, 1);
        if (!p.ok()) return p.status();
        d.values.push_back(it.key());
        d.probabilities.push_back(*p);
    }
    if (Status s = probability_sum(d.probabilities, path); !s) return s;
    build_cumulative(d);
    return d;
}

Result<NodeModel> parse_node_model(const std::string& id, const Json& j, const std::string& path) {
    if (Status s = expect_object(j, path); !s) return s;
    NodeModel m;
    m.node_id = id;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        const Json& v = it.value();
        const std::string p = path + "." + key;
        if (key == "outcomes") {
            if (Status s = expect_object(v, p); !s) return s;
            std::array<double, 5> o{0, 0, 0, 0, 0};
            for (auto o_it = v.begin(); o_it != v.end(); ++o_it) {
                auto outcome = parse_call_outcome(o_it.key());
                if (!outcome) {
                    return Status::invalid(p + "." + o_it.key() +
                                           ": unknown outcome (COMPLETED, NO_ANSWER, BUSY, "
                                           "VOICEMAIL, FAILED)");
                }
                auto prob = number(o_it.value(), p + "." + o_it.key(), 0, 1);
                if (!prob.ok()) return prob.status();
                o[static_cast<std::size_t>(*outcome)] = *prob;
            }
            if (Status s = probability_sum({o.begin(), o.end()}, p); !s) return s;
            m.outcomes = o;
        } else if (key == "call_duration_s") {
            if (Status s = expect_object(v, p); !s) return s;
            if (v.contains("mean")) {
                auto mean = number(v["mean"], p + ".mean", 0, 1e7);
                if (!mean.ok()) return mean.status();
                m.duration_mean_s = *mean;
            }
            if (v.contains("sd")) {
                auto sd = number(v["sd"], p + ".sd", 0, 1e7);
                if (!sd.ok()) return sd.status();
                m.duration_sd_s = *sd;
            }
        } else if (key == "ring_s") {
            auto r = number(v, p, 0, 1e6);
            if (!r.ok()) return r.status();
            m.ring_s = *r;
        } else if (key == "analysis") {
            if (Status s = expect_object(v, p); !s) return s;
            for (auto a = v.begin(); a != v.end(); ++a) {
                const std::string ap = p + "." + a.key();
                if (Status s = expect_object(a.value(), ap); !s) return s;
                AnalysisModel am;
                am.name = a.key();
                std::string type = "bool";
                if (a.value().contains("type")) {
                    if (!a.value()["type"].is_string()) {
                        return Status::invalid(ap + ".type: expected a string");
                    }
                    type = a.value()["type"].get<std::string>();
                } else if (a.value().contains("values")) {
                    type = "values";
                }
                if (type == "bool" || type == "boolean") {
                    if (!a.value().contains("p_true")) {
                        return Status::invalid(ap + ".p_true: required for type bool");
                    }
                    auto pt = number(a.value()["p_true"], ap + ".p_true", 0, 1);
                    if (!pt.ok()) return pt.status();
                    am.dist.values = {"true", "false"};
                    am.dist.probabilities = {*pt, 1 - *pt};
                    build_cumulative(am.dist);
                } else if (type == "values" || type == "category" || type == "categorical") {
                    if (!a.value().contains("values")) {
                        return Status::invalid(ap + ".values: required for type " + type);
                    }
                    auto d = parse_values(a.value()["values"], ap + ".values");
                    if (!d.ok()) return d.status();
                    am.dist = *d;
                } else {
                    return Status::invalid(ap + ".type: unknown type '" + type +
                                           "' (bool or values)");
                }
                m.analysis.push_back(std::move(am));
            }
        } else if (key == "success_rate") {
            auto r = number(v, p, 0, 1);
            if (!r.ok()) return r.status();
            m.success_rate = *r;
        } else if (key == "latency_s") {
            auto r = number(v, p, 0, 1e7);
            if (!r.ok()) return r.status();
            m.latency_s = *r;
        }
        // Other keys are ignored (room for later model extensions).
    }
    return m;
}

// The phone-number mix: [{"number", "share"}, …] (scenario.hpp).
Result<std::vector<PhoneNumberShare>> parse_phone_numbers(const Json& v) {
    const std::string path = "scenario.phone_numbers";
    if (!v.is_array()) {
        return Status::invalid(path + ": expected an array of {\"number\", \"share\"}, got " +
                               type_name(v));
    }
    if (v.empty() || v.size() > kMaxScenarioPhoneNumbers) {
        return Status::invalid(path + ": must list between 1 and " +
                               std::to_string(kMaxScenarioPhoneNumbers) + " numbers, got " +
                               std::to_string(v.size()));
    }
    std::vector<PhoneNumberShare> out;
    double sum = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string p = path + "[" + std::to_string(i) + "]";
        if (Status st = expect_object(v[i], p); !st) return st;
        const Json& e = v[i];
        if (!e.contains("number") || !e["number"].is_string()) {
            return Status::invalid(p + ".number: required, an E.164 string such as +14155550100");
        }
        PhoneNumberShare n;
        n.number = e["number"].get<std::string>();
        if (!is_e164_syntax(n.number)) {
            return Status::invalid(p +
                                   ".number: expected an E.164 number such as +14155550100, got '" +
                                   n.number + "'");
        }
        for (const PhoneNumberShare& seen : out) {
            if (seen.number == n.number) {
                return Status::invalid(p + ".number: " + n.number + " is listed twice");
            }
        }
        if (!e.contains("share")) return Status::invalid(p + ".share: required");
        auto share = number(e["share"], p + ".share", 0, 1);
        if (!share.ok()) return share.status();
        n.share = *share;
        sum += n.share;
        out.push_back(std::move(n));
    }
    if (std::fabs(sum - 1) > kPhoneShareTolerance) {
        return Status::invalid(path + ": the shares sum to " + fmt(sum) +
                               ", not 1 (they are not normalized for you)");
    }
    return out;
}

}  // namespace

TimeMs default_start_time() {
    return ms_from_civil(CivilDateTime{CivilDate{2026, 1, 5}, 9, 0, 0, 0});
}

Scenario default_scenario() {
    Scenario s;
    s.start_time = default_start_time();
    return s;
}

Scenario scenario_or_default(const Json& stored) {
    if (stored.is_null() || stored.empty()) return default_scenario();
    auto parsed = parse_scenario(stored);
    return parsed.ok() ? std::move(parsed.value()) : default_scenario();
}

Result<Scenario> parse_scenario(const Json& j) {
    if (Status st = expect_object(j, "scenario"); !st) return st;
    Scenario s = default_scenario();
    if (j.contains("version") && !j["version"].is_null()) {
        if (!j["version"].is_number_integer() || j["version"].get<std::int64_t>() != 1) {
            return Status::invalid("scenario.version: only version 1 is supported");
        }
    }
    if (j.contains("seed") && !j["seed"].is_null()) {
        const Json& v = j["seed"];
        if (v.is_number_unsigned()) {
            s.seed = v.get<std::uint64_t>();
        } else if (v.is_number_integer() && v.get<std::int64_t>() >= 0) {
            s.seed = static_cast<std::uint64_t>(v.get<std::int64_t>());
        } else {
            return Status::invalid("scenario.seed: must be a non-negative integer");
        }
    }
    if (j.contains("leads") && !j["leads"].is_null()) {
        const Json& v = j["leads"];
        if (!v.is_number_integer() || v.get<std::int64_t>() < 1 ||
            v.get<std::int64_t>() > kMaxScenarioLeads) {
            return Status::invalid("scenario.leads: must be an integer between 1 and " +
                                   std::to_string(kMaxScenarioLeads));
        }
        s.leads = v.get<std::int64_t>();
    }
    if (j.contains("start_time") && !j["start_time"].is_null()) {
        if (!j["start_time"].is_string()) {
            return Status::invalid("scenario.start_time: expected an ISO-8601 string");
        }
        auto t = parse_timestamp(j["start_time"].get<std::string>());
        if (!t.ok()) return Status::invalid("scenario.start_time: " + t.status().message());
        s.start_time = *t;
    }
    if (j.contains("horizon_days") && !j["horizon_days"].is_null()) {
        auto h = number(j["horizon_days"], "scenario.horizon_days", 0, 3650, true);
        if (!h.ok()) return h.status();
        s.horizon_days = *h;
    }
    if (j.contains("arrivals") && !j["arrivals"].is_null()) {
        const Json& a = j["arrivals"];
        if (Status st = expect_object(a, "scenario.arrivals"); !st) return st;
        std::string mode = "all_at_start";
        if (a.contains("mode")) {
            if (!a["mode"].is_string()) {
                return Status::invalid("scenario.arrivals.mode: expected a string");
            }
            mode = a["mode"].get<std::string>();
        }
        if (mode == "all_at_start") {
            s.arrivals = ArrivalMode::kAllAtStart;
        } else if (mode == "uniform") {
            s.arrivals = ArrivalMode::kUniform;
            if (a.contains("over_days")) {
                auto d = number(a["over_days"], "scenario.arrivals.over_days", 0, 3650, true);
                if (!d.ok()) return d.status();
                s.arrivals_over_days = *d;
            }
        } else {
            return Status::invalid("scenario.arrivals.mode: unknown mode '" + mode +
                                   "' (all_at_start or uniform)");
        }
    }
    if (j.contains("cost_per_minute") && !j["cost_per_minute"].is_null()) {
        auto c = number(j["cost_per_minute"], "scenario.cost_per_minute", 0, 1e6);
        if (!c.ok()) return c.status();
        s.cost_per_minute = *c;
    }
    if (j.contains("nodes") && !j["nodes"].is_null()) {
        const Json& nodes = j["nodes"];
        if (Status st = expect_object(nodes, "scenario.nodes"); !st) return st;
        for (auto it = nodes.begin(); it != nodes.end(); ++it) {
            auto m = parse_node_model(it.key(), it.value(), "scenario.nodes." + it.key());
            if (!m.ok()) return m.status();
            s.nodes.push_back(std::move(*m));
        }
    }
    if (j.contains("variables") && !j["variables"].is_null()) {
        const Json& vars = j["variables"];
        if (Status st = expect_object(vars, "scenario.variables"); !st) return st;
        for (auto it = vars.begin(); it != vars.end(); ++it) {
            const std::string p = "scenario.variables." + it.key();
            if (Status st = expect_object(it.value(), p); !st) return st;
            if (!it.value().contains("values")) return Status::invalid(p + ".values: required");
            auto d = parse_values(it.value()["values"], p + ".values");
            if (!d.ok()) return d.status();
            s.variables.push_back(VariableModel{it.key(), std::move(*d)});
        }
    }
    if (j.contains("phone_numbers") && !j["phone_numbers"].is_null()) {
        auto mix = parse_phone_numbers(j["phone_numbers"]);
        if (!mix.ok()) return mix.status();
        s.phone_numbers = std::move(*mix);
    }
    return s;
}

Result<Scenario> parse_scenario_text(std::string_view text) {
    auto j = parse_json(text);
    if (!j.ok()) return Status::invalid("scenario: " + j.status().message());
    return parse_scenario(*j);
}

Json to_json(const Scenario& s) {
    Json j = Json::object();
    j["version"] = s.version;
    j["seed"] = s.seed;
    j["leads"] = s.leads;
    j["start_time"] = format_timestamp(s.start_time);
    j["horizon_days"] = s.horizon_days;
    Json a = Json::object();
    a["mode"] = s.arrivals == ArrivalMode::kUniform ? "uniform" : "all_at_start";
    if (s.arrivals == ArrivalMode::kUniform) a["over_days"] = s.arrivals_over_days;
    j["arrivals"] = a;
    j["cost_per_minute"] = s.cost_per_minute;
    Json nodes = Json::object();
    for (const NodeModel& m : s.nodes) {
        Json n = Json::object();
        if (m.outcomes) {
            Json o = Json::object();
            for (int i = 0; i < kCallOutcomeCount; ++i) {
                o[to_string(static_cast<CallOutcome>(i))] =
                    (*m.outcomes)[static_cast<std::size_t>(i)];
            }
            n["outcomes"] = o;
        }
        if (m.duration_mean_s || m.duration_sd_s) {
            Json d = Json::object();
            if (m.duration_mean_s) d["mean"] = *m.duration_mean_s;
            if (m.duration_sd_s) d["sd"] = *m.duration_sd_s;
            n["call_duration_s"] = d;
        }
        if (m.ring_s) n["ring_s"] = *m.ring_s;
        if (!m.analysis.empty()) {
            Json an = Json::object();
            for (const AnalysisModel& a : m.analysis) {
                Json values = Json::object();
                for (std::size_t i = 0; i < a.dist.values.size(); ++i) {
                    values[a.dist.values[i]] = a.dist.probabilities[i];
                }
                an[a.name] = Json{{"type", "values"}, {"values", values}};
            }
            n["analysis"] = an;
        }
        if (m.success_rate) n["success_rate"] = *m.success_rate;
        if (m.latency_s) n["latency_s"] = *m.latency_s;
        nodes[m.node_id] = n;
    }
    j["nodes"] = nodes;
    Json vars = Json::object();
    for (const VariableModel& v : s.variables) {
        Json values = Json::object();
        for (std::size_t i = 0; i < v.dist.values.size(); ++i) {
            values[v.dist.values[i]] = v.dist.probabilities[i];
        }
        vars[v.name] = Json{{"values", values}};
    }
    j["variables"] = vars;
    if (!s.phone_numbers.empty()) {
        Json mix = Json::array();
        for (const PhoneNumberShare& n : s.phone_numbers) {
            mix.push_back(Json{{"number", n.number}, {"share", n.share}});
        }
        j["phone_numbers"] = mix;
    }
    return j;
}

BoundScenario bind_scenario(const CompiledGraph& g, const Scenario& s) {
    BoundScenario b;
    b.scenario = s;
    b.nodes.resize(g.nodes().size());
    for (const NodeModel& m : s.nodes) {
        const std::int32_t n = g.node_index(m.node_id);
        if (n < 0) {
            b.warnings.push_back("scenario.nodes." + m.node_id +
                                 ": no such node in the graph "
                                 "(ignored)");
            continue;
        }
        const NodeType type = g.nodes()[static_cast<std::size_t>(n)].type;
        BoundNodeModel& bm = b.nodes[static_cast<std::size_t>(n)];
        const bool call_model =
            m.outcomes || m.duration_mean_s || m.duration_sd_s || m.ring_s || !m.analysis.empty();
        const bool app_model = m.success_rate || m.latency_s;
        if ((call_model && type != NodeType::kVoiceCall) ||
            (app_model && type != NodeType::kApplication)) {
            b.warnings.push_back(
                "scenario.nodes." + m.node_id + ": model keys that do not apply to a " +
                g.graph().nodes[static_cast<std::size_t>(n)].node_type_raw + " node (ignored)");
        }
        if (m.outcomes) bm.outcomes = *m.outcomes;
        if (m.duration_mean_s) bm.duration_mean_s = *m.duration_mean_s;
        if (m.duration_sd_s) bm.duration_sd_s = *m.duration_sd_s;
        if (m.ring_s) bm.ring_s = *m.ring_s;
        bm.analysis = m.analysis;
        if (m.success_rate) bm.success_rate = *m.success_rate;
        if (m.latency_s) bm.latency_s = *m.latency_s;
    }
    for (BoundNodeModel& bm : b.nodes) {
        double c = 0;
        for (std::size_t i = 0; i < 5; ++i) {
            c += bm.outcomes[i];
            bm.outcome_cumulative[i] = c;
        }
    }
    return b;
}

}  // namespace leadflow
