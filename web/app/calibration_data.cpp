// web/app/calibration_data.cpp — see calibration_data.hpp.
#include "calibration_data.hpp"

#include <cstdio>
#include <tuple>

#include "json_fields.hpp"

namespace leadflow::web {

namespace {

std::int64_t integer(const Json& j, const char* key) {
    std::int64_t v = 0;
    json_int(j, key, &v);
    return v;
}

CalibratedShare share_of(const std::string& label, const Json& j) {
    CalibratedShare s;
    s.label = label;
    s.current = json_num(j, "prior");
    s.fitted = json_num(j, "share");
    s.count = integer(j, "count");
    std::tie(s.low, s.high) = json_interval(j, "ci95");
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
        v.per_day = json_num(body["arrivals"], "per_day");
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
