// server/runtime/pending_result.cpp — see pending_result.hpp.
#include "runtime/pending_result.hpp"

#include <algorithm>
#include <utility>

namespace leadflow::server {

namespace {

Json object_or_empty(const Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : Json::object();
}

}  // namespace

PendingResult PendingResult::call(CallOutcome outcome, std::int64_t duration_ms, Json analysis) {
    PendingResult p;
    p.outcome = outcome;
    p.duration_ms = duration_ms;
    if (analysis.is_object()) p.analysis = std::move(analysis);
    return p;
}

PendingResult PendingResult::call_timeout() {
    PendingResult p;
    p.end_reason = "call_timeout";
    return p;
}

PendingResult PendingResult::action(bool ok, Json response) {
    PendingResult p;
    p.kind = Kind::kAction;
    p.ok = ok;
    if (response.is_object()) p.response = std::move(response);
    return p;
}

Event PendingResult::event() const {
    Event ev;
    if (kind == Kind::kAction) {
        ev.type = EventType::kActionDone;
        ev.action_ok = ok;
        return ev;
    }
    ev.type = EventType::kCallEnded;
    ev.outcome = outcome;
    ev.call_duration_ms = static_cast<std::int32_t>(duration_ms);
    return ev;
}

Json PendingResult::to_json() const {
    if (kind == Kind::kAction) return Json{{"type", "action"}, {"ok", ok}, {"response", response}};
    Json j{{"type", "call"},
           {"status", call_status_name(outcome)},
           {"duration_ms", duration_ms},
           {"analysis", analysis}};
    if (!end_reason.empty()) j["end_reason"] = end_reason;
    if (logged) j["logged"] = true;
    return j;
}

std::optional<PendingResult> PendingResult::from_json(const Json& j) {
    if (!j.is_object()) return std::nullopt;
    auto type = j.find("type");
    if (type == j.end() || !type->is_string()) return std::nullopt;
    PendingResult p;
    if (*type == "action") {
        p.kind = Kind::kAction;
        auto ok = j.find("ok");
        p.ok = ok != j.end() && ok->is_boolean() && ok->get<bool>();
        p.response = object_or_empty(j, "response");
        return p;
    }
    if (*type != "call") return std::nullopt;
    auto status = j.find("status");
    if (status != j.end() && status->is_string()) {
        if (auto o = parse_call_outcome(status->get<std::string>())) p.outcome = *o;
    }
    auto duration = j.find("duration_ms");
    if (duration != j.end() && duration->is_number_integer()) {
        p.duration_ms = std::max<std::int64_t>(0, duration->get<std::int64_t>());
    }
    p.analysis = object_or_empty(j, "analysis");
    auto reason = j.find("end_reason");
    if (reason != j.end() && reason->is_string()) p.end_reason = reason->get<std::string>();
    auto logged = j.find("logged");
    p.logged = logged != j.end() && logged->is_boolean() && logged->get<bool>();
    return p;
}

}  // namespace leadflow::server
