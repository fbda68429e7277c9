// web/app/forecast_data.cpp — see forecast_data.hpp.
#include "forecast_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "leadflow/civil_time.hpp"

namespace leadflow::web {

namespace {

constexpr double kDayMs = 86400000.0;

Status bad(const std::string& field, const char* what) {
    return Status::invalid("the server's forecast: " + field + " is missing or not " + what);
}

// j[key] when j is an object holding it; nullptr otherwise.
const Json* member(const Json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

Status count(const Json& j, const char* key, const std::string& path, std::int64_t* out) {
    const Json* v = member(j, key);
    if (!v || !v->is_number_integer() || v->get<std::int64_t>() < 0) {
        return bad(path, "a non-negative integer");
    }
    *out = v->get<std::int64_t>();
    return Status::ok();
}

Status text(const Json& j, const char* key, const std::string& path, std::string* out) {
    const Json* v = member(j, key);
    if (!v || !v->is_string()) return bad(path, "a string");
    *out = v->get<std::string>();
    return Status::ok();
}

Status finite(const Json& j, const char* key, const std::string& path, double* out) {
    const Json* v = member(j, key);
    if (!v || !v->is_number() || !std::isfinite(v->get<double>())) {
        return bad(path, "a finite number");
    }
    *out = v->get<double>();
    return Status::ok();
}

// {"expected", "low", "high"} with 0 <= low <= expected <= high <= leads (the forecast's
// bands are clamped to its leads).
Status band(const Json& j, const char* key, const std::string& path, std::int64_t leads,
            ForecastBand* out) {
    const Json* b = member(j, key);
    if (!b || !b->is_object()) return bad(path, "a band {expected, low, high}");
    Status s = finite(*b, "expected", path + ".expected", &out->expected);
    if (s.is_ok()) s = finite(*b, "low", path + ".low", &out->low);
    if (s.is_ok()) s = finite(*b, "high", path + ".high", &out->high);
    if (!s.is_ok()) return s;
    if (!(0 <= out->low && out->low <= out->expected && out->expected <= out->high &&
          out->high <= static_cast<double>(leads))) {
        return Status::invalid("the server's forecast: " + path +
                               " is not a band (0 <= low <= expected <= high <= leads)");
    }
    return Status::ok();
}

Status read_days(const Json& body, ForecastView* v) {
    const Json* days = member(body, "by_day");
    if (!days || !days->is_array()) return bad("by_day", "a list");
    if (days->size() > kMaxForecastDays) {
        return Status::invalid("the server's forecast: by_day has more than " +
                               std::to_string(kMaxForecastDays) + " days");
    }
    v->by_day.reserve(days->size());
    for (std::size_t i = 0; i < days->size(); ++i) {
        const Json& d = (*days)[i];
        const std::string path = "by_day[" + std::to_string(i) + "]";
        if (!d.is_object()) return bad(path, "an object");
        ForecastDay day;
        Status s = count(d, "day", path + ".day", &day.day);
        if (s.is_ok() && day.day != static_cast<std::int64_t>(i) + 1) {
            s = Status::invalid("the server's forecast: " + path + ".day is not " +
                                std::to_string(i + 1));
        }
        if (s.is_ok()) s = text(d, "at", path + ".at", &day.at);
        if (s.is_ok()) s = band(d, "completed", path + ".completed", v->leads, &day.completed);
        if (s.is_ok()) s = band(d, "dropped", path + ".dropped", v->leads, &day.dropped);
        if (s.is_ok()) s = band(d, "failed", path + ".failed", v->leads, &day.failed);
        if (!s.is_ok()) return s;
        v->by_day.push_back(std::move(day));
    }
    return Status::ok();
}

Status read_nodes(const Json& body, ForecastView* v) {
    const Json* sim = member(body, "simulation");
    if (!sim || !sim->is_object()) return bad("simulation", "an object");
    const Json* nodes = member(*sim, "nodes");
    if (!nodes || !nodes->is_object()) return bad("simulation.nodes", "an object");
    if (nodes->size() > kMaxForecastNodes) {
        return Status::invalid("the server's forecast: simulation.nodes has more than " +
                               std::to_string(kMaxForecastNodes) + " nodes");
    }
    for (auto it = nodes->begin(); it != nodes->end(); ++it) {
        std::int64_t entries = 0;
        Status s =
            count(it.value(), "entries", "simulation.nodes." + it.key() + ".entries", &entries);
        if (!s.is_ok()) return s;
        v->node_entries[it.key()] = entries;
    }
    return Status::ok();
}

}  // namespace

Result<ForecastView> read_forecast(const Json& body) {
    if (!body.is_object()) return Status::invalid("the server's forecast is not a JSON object");
    ForecastView v;
    Status s = text(body, "workflow_id", "workflow_id", &v.workflow_id);
    if (s.is_ok()) s = count(body, "version", "version", &v.version);
    if (s.is_ok()) s = text(body, "scenario_source", "scenario_source", &v.scenario_source);
    if (s.is_ok() && v.scenario_source != "calibrated" && v.scenario_source != "stored") {
        s = bad("scenario_source", "\"calibrated\" or \"stored\"");
    }
    if (!s.is_ok()) return s;
    const Json* scenario = member(body, "scenario");
    if (!scenario || !scenario->is_object()) return bad("scenario", "an object");
    v.scenario = *scenario;
    const Json* ended = member(body, "ended_before");
    if (!ended || !ended->is_object()) return bad("ended_before", "an object");
    s = count(*ended, "completed", "ended_before.completed", &v.ended_completed);
    if (s.is_ok()) s = count(*ended, "dropped", "ended_before.dropped", &v.ended_dropped);
    if (s.is_ok()) s = count(*ended, "failed", "ended_before.failed", &v.ended_failed);
    if (s.is_ok()) s = count(body, "pending", "pending", &v.pending);
    if (s.is_ok()) s = text(body, "now", "now", &v.now);
    if (!s.is_ok()) return s;
    Result<TimeMs> now = parse_timestamp(v.now);
    if (!now.ok()) return bad("now", "an ISO-8601 time");
    v.now_ms = *now;
    s = count(body, "running", "running", &v.running);
    if (s.is_ok()) s = count(body, "arrivals", "arrivals", &v.arrivals);
    if (s.is_ok()) s = count(body, "leads", "leads", &v.leads);
    if (!s.is_ok()) return s;
    const Json* fin = member(body, "final");
    if (!fin || !fin->is_object()) return bad("final", "an object");
    s = band(*fin, "completed", "final.completed", v.leads, &v.completed);
    if (s.is_ok()) s = band(*fin, "dropped", "final.dropped", v.leads, &v.dropped);
    if (s.is_ok()) s = band(*fin, "failed", "final.failed", v.leads, &v.failed);
    if (s.is_ok()) s = band(*fin, "unfinished", "final.unfinished", v.leads, &v.unfinished);
    if (s.is_ok()) s = read_days(body, &v);
    if (!s.is_ok()) return s;
    // last_finish and last_finish_days: both set or both null.
    const Json* last = member(body, "last_finish");
    const Json* last_days = member(body, "last_finish_days");
    if (!last) return bad("last_finish", "an ISO time or null");
    if (!last_days) return bad("last_finish_days", "a number or null");
    if (last->is_null() != last_days->is_null()) {
        return Status::invalid(
            "the server's forecast: last_finish and last_finish_days are not both set or both "
            "null");
    }
    if (!last->is_null()) {
        s = text(body, "last_finish", "last_finish", &v.last_finish);
        if (s.is_ok() && !parse_timestamp(v.last_finish).ok()) {
            s = bad("last_finish", "an ISO-8601 time");
        }
        double d = 0;
        if (s.is_ok()) s = finite(body, "last_finish_days", "last_finish_days", &d);
        if (s.is_ok() && d < 0) s = bad("last_finish_days", "a number of days >= 0");
        if (!s.is_ok()) return s;
        v.last_finish_days = d;
    }
    s = read_nodes(body, &v);
    if (!s.is_ok()) return s;
    return v;
}

Json forecast_request(const std::string& source, double arrival_days) {
    Json body = Json::object();
    if (source == "calibrated" || source == "stored") body["scenario"] = source;
    if (std::isfinite(arrival_days) && arrival_days > 0) body["arrival_days"] = arrival_days;
    return body;
}

ForecastBand completed_band_at(const ForecastView& f, double days) {
    if (f.by_day.empty() || !(days > 0)) return {};
    const double last = static_cast<double>(f.by_day.size());
    if (days >= last) return f.by_day.back().completed;
    // Between the end of day k (0 = "now", all zero) and the end of day k + 1.
    const auto k = static_cast<std::size_t>(std::floor(days));
    const double t = days - static_cast<double>(k);
    const ForecastBand a = k == 0 ? ForecastBand{} : f.by_day[k - 1].completed;
    const ForecastBand& b = f.by_day[k].completed;
    auto mix = [t](double x, double y) { return x + (y - x) * t; };
    return {mix(a.expected, b.expected), mix(a.low, b.low), mix(a.high, b.high)};
}

bool inside_band(const ForecastView& f, double days, double completed_since) {
    if (!std::isfinite(days) || !std::isfinite(completed_since)) return false;
    const ForecastBand b = completed_band_at(f, days);
    return b.low <= completed_since && completed_since <= b.high;
}

std::vector<ForecastPoint> forecast_points(const ForecastView& f,
                                           const std::vector<ForecastObservation>& observations) {
    std::vector<ForecastPoint> out;
    out.reserve(observations.size());
    for (const ForecastObservation& o : observations) {
        ForecastPoint p;
        p.y = static_cast<double>(o.completed) - static_cast<double>(f.ended_completed);
        if (o.server_time) {
            p.timed = true;
            p.x = static_cast<double>(*o.server_time - f.now_ms) / kDayMs;
            p.inside = inside_band(f, p.x, p.y);
        } else {
            p.x = static_cast<double>(o.poll);
        }
        out.push_back(p);
    }
    return out;
}

std::optional<std::int64_t> completed_count(const Json& reply) {
    const Json* counts = member(reply, "lead_counts");
    if (!counts) return std::nullopt;
    const Json* c = member(*counts, "completed");
    if (!c || !c->is_number_integer() || c->get<std::int64_t>() < 0) return std::nullopt;
    return c->get<std::int64_t>();
}

std::optional<ForecastObservation> read_observation(const Json& node_counts, std::int64_t poll) {
    const std::optional<std::int64_t> completed = completed_count(node_counts);
    if (!completed) return std::nullopt;
    ForecastObservation o;
    o.completed = *completed;
    o.poll = poll;
    const Json* now = member(node_counts, "now");
    if (now && now->is_string()) {
        Result<TimeMs> t = parse_timestamp(now->get<std::string>());
        if (t.ok()) o.server_time = *t;
    }
    return o;
}

std::string band_text(const ForecastBand& b) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.0f (%.0f\xE2\x80\x93%.0f)", b.expected, b.low, b.high);
    return buf;
}

namespace {

std::string with_commas(std::int64_t v) {
    std::string s = std::to_string(v < 0 ? -v : v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
        s.insert(static_cast<std::size_t>(i), ",");
    }
    return v < 0 ? "-" + s : s;
}

}  // namespace

std::string node_forecast_text(std::optional<std::int64_t> now, std::int64_t entries) {
    const std::string forecast = "+" + with_commas(entries) + " forecast";
    if (!now) return forecast;
    return "now " + with_commas(*now) + " \xC2\xB7 " + forecast;
}

void thin_observations(std::vector<ForecastObservation>& observations, std::size_t max) {
    max = std::max<std::size_t>(max, 2);
    while (observations.size() > max) {
        const ForecastObservation newest = observations.back();
        std::size_t kept = 0;
        for (std::size_t i = 0; i < observations.size(); i += 2) {
            observations[kept++] = observations[i];
        }
        observations.resize(kept);
        if (observations.back().poll != newest.poll) observations.push_back(newest);
    }
}

}  // namespace leadflow::web
