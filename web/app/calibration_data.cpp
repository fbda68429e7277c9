// web/app/calibration_data.cpp — see calibration_data.hpp.
#include "calibration_data.hpp"

#include <cstdio>

namespace leadflow::web {

namespace {

double number(const Json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0;
}

std::int64_t integer(const Json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_number_integer()
               ? j[key].get<std::int64_t>()
               : 0;
}

CalibratedShare share_of(const std::string& label, const Json& j) {
    CalibratedShare s;
    s.label = label;
    s.current = number(j, "prior");
    s.fitted = number(j, "share");
    s.count = integer(j, "count");
    if (j.is_object() && j.contains("ci95") && j["ci95"].is_array() && j["ci95"].size() == 2 &&
        j["ci95"][0].is_number() && j["ci95"][1].is_number()) {
        s.low = j["ci95"][0].get<double>();
        s.high = j["ci95"][1].get<double>();
    }
    return s;
}

}  // namespace

Result<CalibrationView> read_calibration(const Json& body) {
    if (!body.is_object() || !body.contains("nodes") || !body["nodes"].is_object() ||
        !body.contains("scenario") || !body["scenario"].is_object()) {
        return Status::invalid("the server's calibration has no nodes or scenario");
    }
    CalibrationView v;
    v.scenario = body["scenario"];
    if (body.contains("arrivals")) {
        v.arrivals = integer(body["arrivals"], "leads");
        v.per_day = number(body["arrivals"], "per_day");
    }
    for (auto it = body["nodes"].begin(); it != body["nodes"].end(); ++it) {
        const Json& n = it.value();
        if (!n.is_object()) continue;
        CalibratedNode c;
        c.node_id = it.key();
        c.type = n.value("type", std::string());
        c.fitted = n.value("fitted", false);
        if (n.contains("note") && n["note"].is_string()) c.note = n["note"].get<std::string>();
        if (c.type == "APPLICATION") {
            c.observed = integer(n, "actions");
            if (n.contains("success_rate"))
                c.shares.push_back(share_of("success", n["success_rate"]));
        } else {
            c.observed = integer(n, "calls");
            if (n.contains("outcomes") && n["outcomes"].is_object()) {
                for (auto o = n["outcomes"].begin(); o != n["outcomes"].end(); ++o) {
                    c.shares.push_back(share_of(o.key(), o.value()));
                }
            }
        }
        v.nodes.push_back(std::move(c));
    }
    return v;
}

Result<std::vector<DriftBadge>> read_drift(const Json& body) {
    if (!body.is_object() || !body.contains("nodes") || !body["nodes"].is_object()) {
        return Status::invalid("the server's drift reply has no nodes");
    }
    std::vector<DriftBadge> out;
    for (auto it = body["nodes"].begin(); it != body["nodes"].end(); ++it) {
        const Json& n = it.value();
        if (!n.is_object() || !n.value("flagged", false)) continue;
        DriftBadge b;
        b.node_id = it.key();
        if (n.contains("message") && n["message"].is_string()) {
            b.message = n["message"].get<std::string>();
        }
        out.push_back(std::move(b));
    }
    return out;
}

std::string share_with_interval(const CalibratedShare& s) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f%% (%.1f\xE2\x80\x93%.1f)", s.fitted * 100, s.low * 100,
                  s.high * 100);
    return buf;
}

}  // namespace leadflow::web
