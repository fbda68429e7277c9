// The lead-movement engine. Index:
//   [SECTION] Names
//   [SECTION] Moving a lead (enter → wait / finish / stuck)
//   [SECTION] advance
//   [SECTION] History and serialization
#include "leadflow/engine.hpp"

#include "leadflow/civil_time.hpp"
#include "leadflow/release_time.hpp"
#include "leadflow/split.hpp"

namespace leadflow {

// [SECTION] Names

const char* to_string(LeadEnd e) {
    switch (e) {
        case LeadEnd::kNone:
            return "none";
        case LeadEnd::kCompleted:
            return "completed";
        case LeadEnd::kDropped:
            return "dropped";
        case LeadEnd::kFailed:
            return "failed";
    }
    return "none";
}

const char* to_string(Reason r) {
    switch (r) {
        case Reason::kNone:
            return "";
        case Reason::kNoMatchingEdge:
            return "no_matching_edge";
        case Reason::kMaxStepsExceeded:
            return "max_steps_exceeded";
        case Reason::kPcaTimeUnparseable:
            return "pca_time_unparseable";
        case Reason::kOutsideCallingWindow:
            return "outside_calling_window";
        case Reason::kConcurrencyLimit:
            return "concurrency_limit";
        case Reason::kUnknownNodeType:
            return "unknown_node_type";
        case Reason::kNodeRemoved:
            return "node_removed";
        case Reason::kOutsideLocalHours:
            return "outside_local_calling_hours";
    }
    return "";
}

std::optional<LeadEnd> parse_lead_end(std::string_view s) {
    for (LeadEnd e : {LeadEnd::kCompleted, LeadEnd::kDropped, LeadEnd::kFailed}) {
        if (s == to_string(e)) return e;
    }
    return std::nullopt;
}

std::optional<Reason> parse_reason(std::string_view s) {
    for (int r = 1; r <= static_cast<int>(Reason::kOutsideLocalHours); ++r) {
        if (s == to_string(static_cast<Reason>(r))) return static_cast<Reason>(r);
    }
    return std::nullopt;
}

const char* to_string(RecordStatus s) {
    switch (s) {
        case RecordStatus::kInCall:
            return "in_call";
        case RecordStatus::kWaiting:
            return "waiting";
        case RecordStatus::kInAction:
            return "in_action";
        case RecordStatus::kQueued:
            return "queued";
        case RecordStatus::kCompleted:
            return "completed";
        case RecordStatus::kConverted:
            return "converted";
        case RecordStatus::kDropped:
            return "dropped";
        case RecordStatus::kFailed:
            return "failed";
        case RecordStatus::kStuck:
            return "stuck";
    }
    return "";
}

namespace {

const TimeZone& utc_zone() {
    static const TimeZone kUtc = TimeZone::utc();
    return kUtc;
}

// [SECTION] Moving a lead

class Mover {
  public:
    Mover(const CompiledGraph& g, LeadState& s, const Context& ctx, Step& out)
        : g_(g), s_(s), ctx_(ctx), out_(out), zone_(ctx.zone != nullptr ? *ctx.zone : utc_zone()) {}

    StepRecord& record(RecordStatus status) {
        out_.records.emplace_back();
        StepRecord& r = out_.records.back();
        r.node = s_.node;
        r.status = status;
        r.started_at = s_.entered_at;
        return r;
    }

    // The current node's step finished with a fixed outcome: record it and take `edge`.
    void finish_step(RouteLabel outcome, std::int32_t edge, Reason reason = Reason::kNone) {
        StepRecord& r = record(RecordStatus::kCompleted);
        r.outcome = outcome;
        r.reason = reason;
        r.ended_at = ctx_.now;
        follow(r, edge);
    }

    void follow(StepRecord& r, std::int32_t edge) {
        if (take(r, edge)) enter(r.to_node);
    }

    // Records `edge` as the way out of the step of `r`; false (the lead stuck) without one.
    bool take(StepRecord& r, std::int32_t edge) {
        if (edge < 0) {
            stuck(Reason::kNoMatchingEdge);
            return false;
        }
        r.edge = edge;
        r.to_node = g_.edges()[static_cast<std::size_t>(edge)].to;
        return true;
    }

    void stuck(Reason reason) {
        s_.phase = Phase::kStuck;
        s_.reason = reason;
        StepRecord& r = record(RecordStatus::kStuck);
        r.reason = reason;
        r.ended_at = ctx_.now;
        out_.effect = {EffectType::kStuck, s_.node, kNoTime, LeadEnd::kNone, reason};
    }

    void finish(LeadEnd end, RecordStatus status, Reason reason) {
        s_.phase = Phase::kDone;
        s_.end = end;
        s_.reason = reason;
        StepRecord& r = record(status);
        r.reason = reason;
        r.ended_at = ctx_.now;
        out_.effect = {EffectType::kFinish, s_.node, kNoTime, end, reason};
    }

    // Enters node `n` and runs instantaneous nodes until the lead must wait or ends.
    // Iterative: a CONDITIONAL chain never grows the stack.
    void enter(std::int32_t n) {
        for (;;) {
            s_.node = n;
            s_.entered_at = ctx_.now;
            s_.release_at = kNoTime;
            s_.reason = Reason::kNone;
            if (++s_.steps > g_.max_steps()) {
                finish(LeadEnd::kFailed, RecordStatus::kFailed, Reason::kMaxStepsExceeded);
                return;
            }
            const CompiledNode& node = g_.nodes()[static_cast<std::size_t>(n)];
            switch (node.type) {
                case NodeType::kVoiceCall:
                    start_call();
                    return;
                case NodeType::kApplication:
                    s_.phase = Phase::kInAction;
                    record(RecordStatus::kInAction);
                    out_.effect = {EffectType::kRunAction, n, kNoTime, LeadEnd::kNone,
                                   Reason::kNone};
                    return;
                case NodeType::kConverted:
                    finish(LeadEnd::kCompleted, RecordStatus::kConverted, Reason::kNone);
                    return;
                case NodeType::kDropped:
                    finish(LeadEnd::kDropped, RecordStatus::kDropped, Reason::kNone);
                    return;
                case NodeType::kUnknown:
                    stuck(Reason::kUnknownNodeType);
                    return;
                case NodeType::kTime: {
                    TimeMs release = ctx_.now + node.time.duration_ms;
                    Reason reason = Reason::kNone;
                    if (node.pca_key >= 0) {
                        release = pca_release(node, reason);
                    }
                    if (release > ctx_.now) {
                        s_.phase = Phase::kWaiting;
                        s_.release_at = release;
                        StepRecord& r = record(RecordStatus::kWaiting);
                        r.ends_at = release;
                        out_.effect = {EffectType::kHoldUntil, n, release, LeadEnd::kNone,
                                       Reason::kNone};
                        return;
                    }
                    // Released at once: finish the step here and keep moving.
                    StepRecord& r = record(RecordStatus::kCompleted);
                    r.reason = reason;
                    r.ended_at = ctx_.now;
                    const std::int32_t edge =
                        node.route[static_cast<std::size_t>(RouteLabel::kNone)];
                    if (!take(r, edge)) return;
                    n = r.to_node;
                    continue;
                }
                case NodeType::kSplit: {
                    StepRecord& r = record(RecordStatus::kCompleted);
                    r.ended_at = ctx_.now;
                    std::size_t b =
                        ctx_.split_chooser != nullptr
                            ? ctx_.split_chooser->choose(n)
                            : split_branch(ctx_.lead_id, g_.node_id(n), node.split_weights);
                    std::int32_t edge = -1;
                    if (b < node.split_edges.size()) {
                        r.dynamic_outcome = true;
                        r.outcome_text.assign(node.split_labels[b]);
                        edge = node.split_edges[b];
                    }
                    if (!take(r, edge)) return;
                    n = r.to_node;
                    continue;
                }
                case NodeType::kConditional: {
                    StepRecord& r = record(RecordStatus::kCompleted);
                    r.ended_at = ctx_.now;
                    std::int32_t edge;
                    if (node.switch_mode) {
                        const FieldValue v = resolve(node.switch_field);
                        if (v.present) {
                            r.dynamic_outcome = true;
                            r.outcome_text.assign(trim_view(v.text));
                            edge = g_.route_dynamic(n, v.text);
                        } else {
                            edge = node.default_edge;
                        }
                    } else {
                        const bool value = evaluate(node);
                        r.outcome = value ? RouteLabel::kTrue : RouteLabel::kFalse;
                        edge = node.route[static_cast<std::size_t>(r.outcome)];
                    }
                    if (!take(r, edge)) return;
                    n = r.to_node;
                    continue;
                }
            }
            return;
        }
    }

    // VOICE_CALL: the calling window and the local calling hours first, then a call slot
    // (docs/workflows.md#settings, docs/calling-hours.md).
    void start_call() {
        if ((g_.has_window() || g_.has_local_hours()) && !ctx_.ignore_calling_window) {
            const NextCall next =
                next_call_instant(g_.has_window() ? &g_.window() : nullptr,
                                  g_.has_local_hours() ? &g_.local_hours() : nullptr, zone_,
                                  ctx_.zones, ctx_.zone_count, ctx_.now);
            if (next.hold != CallHold::kNone) {
                TimeMs open = next.at;
                if (open <= ctx_.now) open = ctx_.now + kMsPerMinute;  // never spin at one instant
                queue(next.hold == CallHold::kWindow ? Reason::kOutsideCallingWindow
                                                     : Reason::kOutsideLocalHours,
                      open);
                return;
            }
        }
        if (!ctx_.call_slot_available) {
            queue(Reason::kConcurrencyLimit, kNoTime);
            return;
        }
        s_.phase = Phase::kInCall;
        s_.release_at = kNoTime;
        s_.reason = Reason::kNone;
        record(RecordStatus::kInCall);
        out_.effect = {EffectType::kPlaceCall, s_.node, kNoTime, LeadEnd::kNone, Reason::kNone};
    }

    void queue(Reason reason, TimeMs until) {
        s_.phase = Phase::kQueued;
        s_.reason = reason;
        s_.release_at = until;
        StepRecord& r = record(RecordStatus::kQueued);
        r.reason = reason;
        r.ends_at = until;
        out_.effect = {EffectType::kQueued, s_.node, until, LeadEnd::kNone, reason};
    }

    TimeMs pca_release(const CompiledNode& node, Reason& reason) {
        const FieldValue v =
            ctx_.fields != nullptr
                ? ctx_.fields->call_analysis(
                      node.pca_key, g_.field_names()[static_cast<std::size_t>(node.pca_key)])
                : FieldValue{};
        if (v.present) {
            const std::optional<TimeMs> t = parse_release_time(v.text, ctx_.now, zone_);
            if (t) return *t;
        }
        reason = Reason::kPcaTimeUnparseable;
        return ctx_.now;
    }

    FieldValue resolve(const FieldRef& ref) {
        LastStep last;
        last.call_outcome = s_.last_call;
        last.call_duration_ms = s_.last_call_duration_ms;
        last.application_result = s_.last_app;
        return resolve_field(ref, g_.field_names(), ctx_.fields, last, scratch_);
    }

    bool evaluate(const CompiledNode& node) {
        // AND of nothing is true, OR of nothing is false.
        for (const CompiledCondition& c : node.conditions) {
            const bool v = evaluate_condition(c, resolve(c.field));
            if (node.logic_or && v) return true;
            if (!node.logic_or && !v) return false;
        }
        return !node.logic_or;
    }

    // The node's step re-run after a graph change (the lead was stuck on it).
    void reevaluate() {
        const std::int32_t n = s_.node;
        const CompiledNode& node = g_.nodes()[static_cast<std::size_t>(n)];
        switch (node.type) {
            case NodeType::kVoiceCall:
                if (s_.last_call < 0) {
                    start_call();
                } else {
                    finish_step(static_cast<RouteLabel>(s_.last_call),
                                node.route[static_cast<std::size_t>(s_.last_call)]);
                }
                return;
            case NodeType::kApplication: {
                const RouteLabel l = s_.last_app == 1 ? RouteLabel::kSuccess : RouteLabel::kFailure;
                finish_step(l, node.route[static_cast<std::size_t>(l)]);
                return;
            }
            case NodeType::kTime:
                finish_step(RouteLabel::kNone,
                            node.route[static_cast<std::size_t>(RouteLabel::kNone)]);
                return;
            default:
                // CONDITIONAL and the others: run the node again (not a new step).
                --s_.steps;
                enter(n);
                return;
        }
    }

  private:
    const CompiledGraph& g_;
    LeadState& s_;
    const Context& ctx_;
    Step& out_;
    const TimeZone& zone_;
    std::string scratch_;
};

Status conflict(const char* what, const LeadState& s) {
    return Status::conflict(std::string(what) + " does not fit a lead in phase '" +
                            to_string(s.phase) + "'");
}

}  // namespace

// [SECTION] advance

Status advance(const CompiledGraph& g, LeadState& state, const Event& event, const Context& ctx,
               Step& out) {
    out.records.clear();
    out.effect = Effect{};
    const auto node_count = static_cast<std::int32_t>(g.nodes().size());
    if (state.phase == Phase::kDone) return conflict("an event", state);
    if (state.node < 0 && state.phase == Phase::kEntering && event.type != EventType::kStart) {
        return conflict("an event before Start", state);
    }
    if (state.node >= node_count ||
        (state.node < 0 && event.type != EventType::kStart && state.phase != Phase::kStuck)) {
        return Status::invalid("lead state: node index " + std::to_string(state.node) +
                               " is not in the graph");
    }
    LeadState s = state;
    Mover m(g, s, ctx, out);
    switch (event.type) {
        case EventType::kStart:
            if (s.node >= 0 || s.phase != Phase::kEntering) return conflict("Start", state);
            s.steps = 0;
            m.enter(g.entry());
            break;
        case EventType::kCallEnded: {
            if (s.phase != Phase::kInCall) return conflict("CallEnded", state);
            const int o = static_cast<int>(event.outcome);
            if (o < 0 || o >= kCallOutcomeCount) return Status::invalid("CallEnded: bad outcome");
            s.last_call = static_cast<std::int8_t>(o);
            s.last_call_duration_ms = event.call_duration_ms < 0 ? 0 : event.call_duration_ms;
            const CompiledNode& node = g.nodes()[static_cast<std::size_t>(s.node)];
            m.finish_step(static_cast<RouteLabel>(o), node.route[static_cast<std::size_t>(o)]);
            break;
        }
        case EventType::kTimerFired:
            if (s.phase == Phase::kWaiting) {
                const CompiledNode& node = g.nodes()[static_cast<std::size_t>(s.node)];
                m.finish_step(RouteLabel::kNone,
                              node.route[static_cast<std::size_t>(RouteLabel::kNone)]);
            } else if (s.phase == Phase::kQueued) {
                m.start_call();
            } else {
                return conflict("TimerFired", state);
            }
            break;
        case EventType::kActionDone: {
            if (s.phase != Phase::kInAction) return conflict("ActionDone", state);
            s.last_app = event.action_ok ? 1 : 0;
            const RouteLabel l = event.action_ok ? RouteLabel::kSuccess : RouteLabel::kFailure;
            const CompiledNode& node = g.nodes()[static_cast<std::size_t>(s.node)];
            m.finish_step(l, node.route[static_cast<std::size_t>(l)]);
            break;
        }
        case EventType::kGraphChanged:
            if (s.phase != Phase::kStuck || s.node < 0) break;  // nothing to re-evaluate
            m.reevaluate();
            break;
    }
    state = s;
    return Status::ok();
}

Result<Step> advance(const CompiledGraph& g, LeadState& state, const Event& event,
                     const Context& ctx) {
    Step step;
    Status st = advance(g, state, event, ctx, step);
    if (!st) return st;
    return step;
}

// [SECTION] History and serialization

std::string outcome_text(const StepRecord& r) {
    if (r.dynamic_outcome) return r.outcome_text;
    switch (r.outcome) {
        case RouteLabel::kCompleted:
        case RouteLabel::kNoAnswer:
        case RouteLabel::kBusy:
        case RouteLabel::kVoicemail:
        case RouteLabel::kFailed:
            return to_string(static_cast<CallOutcome>(r.outcome));
        case RouteLabel::kTrue:
            return "true";
        case RouteLabel::kFalse:
            return "false";
        case RouteLabel::kSuccess:
            return "success";
        case RouteLabel::kFailure:
            return "failure";
        case RouteLabel::kNone:
            return "";
    }
    return "";
}

HistoryEntry to_history_entry(const CompiledGraph& g, const StepRecord& r,
                              const std::optional<std::string>& call_id) {
    HistoryEntry h;
    auto opt_time = [](TimeMs t) { return t == kNoTime ? std::nullopt : std::optional<TimeMs>(t); };
    if (r.node >= 0) {
        const Node& n = g.graph().nodes[static_cast<std::size_t>(r.node)];
        h.node_id = n.id;
        h.node_type = n.node_type_raw.empty() ? to_string(n.type) : n.node_type_raw;
        h.label = n.label;
        if (n.type == NodeType::kVoiceCall) h.call_id = call_id;
    }
    h.status = to_string(r.status);
    std::string o = outcome_text(r);
    if (!o.empty() || r.dynamic_outcome) h.outcome = o;
    if (r.edge >= 0) {
        const Edge& e = g.graph().edges[static_cast<std::size_t>(r.edge)];
        h.edge_id = e.id;
        if (e.label) h.edge_label = *e.label;
    }
    if (r.to_node >= 0) h.to_node_id = g.node_id(r.to_node);
    if (r.reason != Reason::kNone) h.reason = to_string(r.reason);
    h.started_at = opt_time(r.started_at);
    h.ended_at = opt_time(r.ended_at);
    h.ends_at = opt_time(r.ends_at);
    return h;
}

namespace {
Json time_json(TimeMs t) {
    return t == kNoTime ? Json(nullptr) : Json(format_timestamp(t));
}
}  // namespace

Json to_json(const LeadState& s, const CompiledGraph& g) {
    Json j = Json::object();
    j["node_id"] = s.node >= 0 ? Json(g.node_id(s.node)) : Json(nullptr);
    j["phase"] = to_string(s.phase);
    j["steps"] = s.steps;
    j["end"] = s.end == LeadEnd::kNone ? Json(nullptr) : Json(to_string(s.end));
    j["reason"] = s.reason == Reason::kNone ? Json(nullptr) : Json(to_string(s.reason));
    j["last_call_outcome"] =
        s.last_call < 0 ? Json(nullptr) : Json(to_string(static_cast<CallOutcome>(s.last_call)));
    j["last_call_duration_ms"] =
        s.last_call_duration_ms < 0 ? Json(nullptr) : Json(s.last_call_duration_ms);
    j["last_application_result"] =
        s.last_app < 0 ? Json(nullptr) : Json(s.last_app ? "success" : "failure");
    j["entered_at"] = time_json(s.entered_at);
    j["release_at"] = time_json(s.release_at);
    return j;
}

Result<LeadState> lead_state_from_json(const Json& j, const CompiledGraph& g) {
    if (!j.is_object()) return Status::invalid("lead state: expected an object");
    LeadState s;
    auto str = [&](const char* key, std::string& out) -> Status {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) return Status::ok();
        if (!it->is_string())
            return Status::invalid(std::string("lead state.") + key + ": expected a string");
        out = it->get<std::string>();
        return Status::ok();
    };
    auto integer = [&](const char* key, std::int64_t& out) -> Status {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) return Status::ok();
        if (!it->is_number_integer()) {
            return Status::invalid(std::string("lead state.") + key + ": expected an integer");
        }
        out = it->get<std::int64_t>();
        return Status::ok();
    };
    auto time = [&](const char* key, TimeMs& out) -> Status {
        std::string text;
        if (Status st = str(key, text); !st) return st;
        if (text.empty()) return Status::ok();
        auto t = parse_timestamp(text);
        if (!t.ok()) {
            return Status::invalid(std::string("lead state.") + key + ": " + t.status().message());
        }
        out = *t;
        return Status::ok();
    };
    std::string node_id, phase, end, reason, outcome, app;
    std::int64_t steps = 0, duration = -1;
    for (Status st :
         {str("node_id", node_id), str("phase", phase), str("end", end), str("reason", reason),
          str("last_call_outcome", outcome), str("last_application_result", app),
          integer("steps", steps), integer("last_call_duration_ms", duration),
          time("entered_at", s.entered_at), time("release_at", s.release_at)}) {
        if (!st) return st;
    }
    if (!phase.empty()) {
        auto p = parse_phase(phase);
        if (!p) return Status::invalid("lead state.phase: unknown phase '" + phase + "'");
        s.phase = *p;
    }
    s.steps = static_cast<std::int32_t>(steps);
    s.last_call_duration_ms = static_cast<std::int32_t>(duration);
    if (!end.empty()) {
        auto e = parse_lead_end(end);
        if (!e) return Status::invalid("lead state.end: unknown value '" + end + "'");
        s.end = *e;
    }
    if (!reason.empty()) {
        auto r = parse_reason(reason);
        if (!r) return Status::invalid("lead state.reason: unknown reason '" + reason + "'");
        s.reason = *r;
    }
    if (!outcome.empty()) {
        auto o = parse_call_outcome(outcome);
        if (!o) return Status::invalid("lead state.last_call_outcome: unknown '" + outcome + "'");
        s.last_call = static_cast<std::int8_t>(*o);
    }
    if (!app.empty()) {
        if (app != "success" && app != "failure") {
            return Status::invalid("lead state.last_application_result: unknown '" + app + "'");
        }
        s.last_app = app == "success" ? 1 : 0;
    }
    if (!node_id.empty()) place_on_stored_node(s, g, node_id);
    return s;
}

void place_on_stored_node(LeadState& s, const CompiledGraph& g, const std::string& node_id) {
    s.node = g.node_index(node_id);
    if (s.node < 0 && s.phase != Phase::kDone) {
        s.phase = Phase::kStuck;
        s.reason = Reason::kNodeRemoved;
    }
}

Execution to_execution(const LeadState& s, const CompiledGraph& g) {
    Execution e;
    if (s.node >= 0) e.current_node_id = g.node_id(s.node);
    e.phase = s.phase;
    if (s.entered_at != kNoTime) e.entered_at = s.entered_at;
    if (s.release_at != kNoTime) e.release_at = s.release_at;
    e.steps = s.steps;
    return e;
}

}  // namespace leadflow
