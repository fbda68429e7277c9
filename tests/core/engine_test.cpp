// The engine (docs/workflows.md): edge choice, node configs, conditions, calling window,
// concurrency, loop guard, history records, state serialization.
#include "leadflow/engine.hpp"

#include <gtest/gtest.h>

#include "leadflow/civil_time.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

const TimeMs kT0 = ms_from_civil(CivilDateTime{CivilDate{2026, 3, 2}, 10, 0, 0, 0});  // Monday

struct Runner {
    CompiledGraph g;
    LeadState s;
    Context ctx;
    Step step;
    explicit Runner(CompiledGraph graph) : g(std::move(graph)) { ctx.now = kT0; }
    const Effect& send(const Event& e) {
        Status st = advance(g, s, e, ctx, step);
        EXPECT_TRUE(st.is_ok()) << st.message();
        return step.effect;
    }
    const Effect& start() { return send(Event{EventType::kStart}); }
    const Effect& call_ended(CallOutcome o, int ms = 60000) {
        Event e{EventType::kCallEnded};
        e.outcome = o;
        e.call_duration_ms = ms;
        return send(e);
    }
    const Effect& timer() { return send(Event{EventType::kTimerFired}); }
    const Effect& action(bool ok) {
        Event e{EventType::kActionDone};
        e.action_ok = ok;
        return send(e);
    }
    std::string node() const { return s.node >= 0 ? g.node_id(s.node) : ""; }
};

// A VOICE_CALL with edges for BUSY, DNP and a default, in that order.
GraphBuilder routing_graph() {
    return GraphBuilder()
        .node("call", "VOICE_CALL")
        .node("busy", "DROPPED")
        .node("dnp", "DROPPED")
        .node("other", "CONVERTED")
        .edge("call", "busy", "BUSY")
        .edge("call", "dnp", "DNP")
        .edge("call", "other");
}

TEST(Engine, SpecificLabelBeatsFamilyBeatsDefault) {
    for (auto [outcome, want] :
         {std::pair{CallOutcome::kBusy, "busy"}, std::pair{CallOutcome::kNoAnswer, "dnp"},
          std::pair{CallOutcome::kVoicemail, "dnp"}, std::pair{CallOutcome::kCompleted, "other"},
          std::pair{CallOutcome::kFailed, "other"}}) {
        Runner r(routing_graph().compile());
        EXPECT_EQ(r.start().type, EffectType::kPlaceCall);
        r.call_ended(outcome);
        EXPECT_EQ(r.node(), want) << to_string(outcome);
        EXPECT_EQ(r.step.effect.type, EffectType::kFinish);
    }
}

TEST(Engine, NoMatchingEdgeLeavesTheLeadStuck) {
    Runner r(GraphBuilder()
                 .node("call", "VOICE_CALL")
                 .node("conv", "CONVERTED")
                 .edge("call", "conv", "COMPLETED")
                 .compile());
    r.start();
    const Effect& e = r.call_ended(CallOutcome::kBusy);
    EXPECT_EQ(e.type, EffectType::kStuck);
    EXPECT_EQ(e.reason, Reason::kNoMatchingEdge);
    EXPECT_EQ(r.s.phase, Phase::kStuck);
    EXPECT_EQ(r.node(), "call");
    ASSERT_FALSE(r.step.records.empty());
    EXPECT_EQ(r.step.records.back().status, RecordStatus::kStuck);
}

TEST(Engine, EdgeOrderIsPositionThenListOrderAndLabelsAreTrimmedCaseInsensitive) {
    Runner r(GraphBuilder()
                 .node("call", "VOICE_CALL")
                 .node("a", "DROPPED")
                 .node("b", "CONVERTED")
                 .edge("call", "a", " dnp ", 5)
                 .edge("call", "b", "Dnp", 1)
                 .compile());
    r.start();
    r.call_ended(CallOutcome::kNoAnswer);
    EXPECT_EQ(r.node(), "b");
}

TEST(Engine, StuckLeadIsReevaluatedWhenTheGraphChanges) {
    GraphBuilder b = GraphBuilder()
                         .node("call", "VOICE_CALL")
                         .node("conv", "CONVERTED")
                         .node("drop", "DROPPED")
                         .edge("call", "conv", "COMPLETED")
                         .entry("call");
    Runner r(b.compile());
    r.start();
    r.call_ended(CallOutcome::kBusy);
    ASSERT_EQ(r.s.phase, Phase::kStuck);
    // The server persists the state by node id and reloads it against the edited graph.
    const Json saved = to_json(r.s, r.g);
    const CompiledGraph edited = b.edge("call", "drop", "DNP").compile();
    auto reloaded = lead_state_from_json(saved, edited);
    ASSERT_TRUE(reloaded.ok()) << reloaded.status().message();
    Runner r2(edited);
    r2.s = *reloaded;
    const Effect& e = r2.send(Event{EventType::kGraphChanged});
    EXPECT_EQ(e.type, EffectType::kFinish);
    EXPECT_EQ(r2.node(), "drop");
    EXPECT_EQ(r2.s.end, LeadEnd::kDropped);
}

TEST(Engine, GraphChangedDoesNothingForAMovingLead) {
    Runner r(routing_graph().compile());
    r.start();
    EXPECT_EQ(r.send(Event{EventType::kGraphChanged}).type, EffectType::kNone);
    EXPECT_EQ(r.s.phase, Phase::kInCall);
}

TEST(Engine, EventsThatDoNotFitThePhaseAreConflicts) {
    Runner r(routing_graph().compile());
    Step step;
    EXPECT_EQ(advance(r.g, r.s, Event{EventType::kCallEnded}, r.ctx, step).code(),
              StatusCode::kConflict);
    r.start();
    EXPECT_EQ(advance(r.g, r.s, Event{EventType::kStart}, r.ctx, step).code(),
              StatusCode::kConflict);
    EXPECT_EQ(advance(r.g, r.s, Event{EventType::kTimerFired}, r.ctx, step).code(),
              StatusCode::kConflict);
    r.call_ended(CallOutcome::kCompleted);
    EXPECT_EQ(advance(r.g, r.s, Event{EventType::kCallEnded}, r.ctx, step).code(),
              StatusCode::kConflict);
}

TEST(Engine, TimeUnitsAndAliases) {
    struct Case {
        Json config;
        TimeMs want;
    };
    for (const Case& c :
         {Case{{{"duration_value", 2}, {"duration_unit", "days"}}, 2 * kMsPerDay},
          Case{{{"duration_value", 90}, {"duration_unit", "minutes"}}, 90 * kMsPerMinute},
          Case{{{"duration_value", "1.5"}, {"duration_unit", "hours"}}, 90 * kMsPerMinute},
          Case{{{"delay_minutes", 15}}, 15 * kMsPerMinute},
          Case{{{"delay_hours", 3}}, 3 * kMsPerHour}, Case{{{"delay_days", 1}}, kMsPerDay}}) {
        Runner r(GraphBuilder()
                     .node("wait", "TIME", c.config)
                     .node("conv", "CONVERTED")
                     .edge("wait", "conv")
                     .compile());
        const Effect& e = r.start();
        ASSERT_EQ(e.type, EffectType::kHoldUntil) << c.config.dump();
        EXPECT_EQ(e.until, kT0 + c.want) << c.config.dump();
        EXPECT_EQ(r.s.phase, Phase::kWaiting);
        ASSERT_EQ(r.step.records.size(), 1u);
        EXPECT_EQ(r.step.records[0].status, RecordStatus::kWaiting);
        EXPECT_EQ(r.step.records[0].ends_at, kT0 + c.want);
        r.ctx.now = e.until;
        EXPECT_EQ(r.timer().type, EffectType::kFinish);
        EXPECT_EQ(r.node(), "conv");
    }
}

TEST(Engine, TimeWithoutAPositiveDurationDoesNotCompile) {
    auto c =
        compile_graph(GraphBuilder()
                          .node("wait", "TIME", {{"duration_value", 0}, {"duration_unit", "days"}})
                          .node("conv", "CONVERTED")
                          .edge("wait", "conv")
                          .graph());
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.status().message().find("node 'wait'"), std::string::npos) << c.status().message();
}

// A call whose analysis names a release time, then a pca TIME node.
GraphBuilder pca_graph() {
    return GraphBuilder()
        .node("call", "VOICE_CALL")
        .node("wait", "TIME", {{"time_source", "postcall_analysis"}, {"pca_field", "callback_at"}})
        .node("call2", "VOICE_CALL")
        .node("conv", "CONVERTED")
        .edge("call", "wait")
        .edge("wait", "call2")
        .edge("call2", "conv");
}

TEST(Engine, PostCallAnalysisReleaseTime) {
    std::map<std::string, std::string> analysis{{"callback_at", "2026-03-05T16:30:00Z"}};
    MapFieldSource fields(nullptr, &analysis, nullptr);
    Runner r(pca_graph().compile());
    r.ctx.fields = &fields;
    r.start();
    const Effect& e = r.call_ended(CallOutcome::kCompleted);
    ASSERT_EQ(e.type, EffectType::kHoldUntil);
    EXPECT_EQ(e.until, ms_from_civil(CivilDateTime{CivilDate{2026, 3, 5}, 16, 30, 0, 0}));
}

TEST(Engine, PostCallAnalysisFieldMayCarryDialNexasPrefix) {
    for (const char* field : {"postcall_analysis.callback_at", " call.analysis.callback_at "}) {
        std::map<std::string, std::string> analysis{{"callback_at", "2026-03-05T16:30:00Z"}};
        MapFieldSource fields(nullptr, &analysis, nullptr);
        Runner r(
            GraphBuilder()
                .node("call", "VOICE_CALL")
                .node("wait", "TIME",
                      {{"time_source", "postcall_analysis"}, {"postcall_analysis_field", field}})
                .node("conv", "CONVERTED")
                .edge("call", "wait")
                .edge("wait", "conv")
                .compile());
        r.ctx.fields = &fields;
        r.start();
        const Effect& e = r.call_ended(CallOutcome::kCompleted);
        ASSERT_EQ(e.type, EffectType::kHoldUntil) << field;
        EXPECT_EQ(e.until, ms_from_civil(CivilDateTime{CivilDate{2026, 3, 5}, 16, 30, 0, 0}));
    }
}

TEST(Engine, PostCallAnalysisReadsTheLeadsTimeZone) {
    std::map<std::string, std::string> analysis{{"callback_at", "tomorrow 4 PM"}};
    MapFieldSource fields(nullptr, &analysis, nullptr);
    auto kolkata = TimeZone::find("Asia/Kolkata");
    ASSERT_TRUE(kolkata.ok());
    Runner r(pca_graph().compile());
    r.ctx.fields = &fields;
    r.ctx.zone = &*kolkata;
    r.start();
    const Effect& e = r.call_ended(CallOutcome::kCompleted);
    ASSERT_EQ(e.type, EffectType::kHoldUntil);
    // 2026-03-02 10:00 UTC is 15:30 in Kolkata; tomorrow 16:00 IST = 2026-03-03 10:30 UTC.
    EXPECT_EQ(e.until, ms_from_civil(CivilDateTime{CivilDate{2026, 3, 3}, 10, 30, 0, 0}));
}

TEST(Engine, UnparseablePostCallAnalysisReleasesNow) {
    for (const char* value : {"whenever you like", ""}) {
        std::map<std::string, std::string> analysis{{"callback_at", value}};
        MapFieldSource fields(nullptr, &analysis, nullptr);
        Runner r(pca_graph().compile());
        r.ctx.fields = &fields;
        r.start();
        const Effect& e = r.call_ended(CallOutcome::kCompleted);
        EXPECT_EQ(e.type, EffectType::kPlaceCall) << value;  // went straight on to call2
        EXPECT_EQ(r.node(), "call2");
        bool saw_reason = false;
        for (const StepRecord& rec : r.step.records) {
            if (rec.node == r.g.node_index("wait")) {
                EXPECT_EQ(rec.reason, Reason::kPcaTimeUnparseable);
                saw_reason = true;
            }
        }
        EXPECT_TRUE(saw_reason);
    }
    // Missing field: same.
    Runner r(pca_graph().compile());
    r.start();
    EXPECT_EQ(r.call_ended(CallOutcome::kCompleted).type, EffectType::kPlaceCall);
}

// [SECTION] Conditions

struct CondCase {
    Json conditions;
    std::string logic;
    bool want;
};

bool run_conditional(const Json& config, const std::map<std::string, std::string>& vars,
                     const std::map<std::string, std::string>& analysis,
                     CallOutcome last = CallOutcome::kCompleted, bool with_call = true) {
    GraphBuilder b;
    if (with_call) b.node("call", "VOICE_CALL").edge("call", "cond");
    b.node("cond", "CONDITIONAL", config)
        .node("yes", "CONVERTED")
        .node("no", "DROPPED")
        .edge("cond", "yes", "true")
        .edge("cond", "no", "false");
    Runner r(b.compile());
    MapFieldSource fields(&vars, &analysis, nullptr);
    r.ctx.fields = &fields;
    r.start();
    if (with_call) r.call_ended(last, 42500);
    EXPECT_EQ(r.s.phase, Phase::kDone);
    return r.node() == "yes";
}

Json cond(const std::string& field, const std::string& op, Json value = nullptr) {
    Json c{{"field", field}, {"operator", op}};
    if (!value.is_null()) c["value"] = value;
    return c;
}

TEST(Conditions, SixOperators) {
    const std::map<std::string, std::string> vars{
        {"city", " Mumbai "}, {"score", "10"}, {"empty", ""}, {"vip", "TRUE"}};
    const std::map<std::string, std::string> none;
    auto check = [&](Json c, bool want) {
        EXPECT_EQ(run_conditional(Json{{"conditions", Json::array({c})}}, vars, none), want)
            << c.dump();
    };
    check(cond("lead.city", "equals", "mumbai"), true);
    check(cond("lead.city", "equals", "Delhi"), false);
    check(cond("lead.city", "not_equals", "Delhi"), true);
    check(cond("lead.score", "equals", "10.0"), true);  // numbers compare numerically
    check(cond("lead.score", "equals", 10), true);
    check(cond("lead.vip", "equals", true), true);  // booleans compare as "true"/"false"
    check(cond("lead.city", "contains", "UMB"), true);
    check(cond("lead.city", "contains", "pune"), false);
    check(cond("lead.score", "greater_than", 9), true);  // 10 > 9 numerically, not as text
    check(cond("lead.score", "less_than", "9"), false);
    check(cond("lead.city", "greater_than", 1), false);  // not a number: false
    check(cond("lead.city", "less_than", 1), false);
    check(cond("lead.city", "exists"), true);
    check(cond("lead.empty", "exists"), false);
}

// Found by fuzz_conditions: "1e999" read as infinity made every huge value equal every other
// and greater than any number.
TEST(Conditions, NumbersBeyondADoubleAreText) {
    const std::map<std::string, std::string> vars{{"big", "1e999"}, {"score", "10"}};
    const std::map<std::string, std::string> none;
    auto check = [&](Json c, bool want) {
        EXPECT_EQ(run_conditional(Json{{"conditions", Json::array({c})}}, vars, none), want)
            << c.dump();
    };
    check(cond("lead.big", "equals", "2e999"), false);
    check(cond("lead.big", "equals", "1E999"), true);  // as text, case-insensitively
    check(cond("lead.big", "greater_than", 5), false);
    check(cond("lead.score", "less_than", "1e400"), false);
    EXPECT_FALSE(parse_number("1e999").has_value());
    EXPECT_FALSE(parse_number("-1e999").has_value());
    EXPECT_EQ(parse_number("1e-999"), 0.0);  // underflow is still a number
}

TEST(Conditions, MissingFieldIsFalseExceptNotEquals) {
    const std::map<std::string, std::string> none;
    for (const char* op : {"equals", "exists", "contains", "greater_than", "less_than"}) {
        EXPECT_FALSE(run_conditional(
            Json{{"conditions", Json::array({cond("lead.missing", op, "1")})}}, none, none))
            << op;
    }
    EXPECT_TRUE(run_conditional(
        Json{{"conditions", Json::array({cond("lead.missing", "not_equals", "1")})}}, none, none));
}

TEST(Conditions, AndOrLogic) {
    const std::map<std::string, std::string> vars{{"a", "1"}, {"b", "2"}};
    const std::map<std::string, std::string> none;
    const Json one_true = Json::array({cond("lead.a", "equals", 1), cond("lead.b", "equals", 3)});
    const Json both_true = Json::array({cond("lead.a", "equals", 1), cond("lead.b", "equals", 2)});
    EXPECT_FALSE(run_conditional(Json{{"conditions", one_true}}, vars, none));  // AND default
    EXPECT_FALSE(run_conditional(Json{{"logic", "AND"}, {"conditions", one_true}}, vars, none));
    EXPECT_TRUE(run_conditional(Json{{"logic", "AND"}, {"conditions", both_true}}, vars, none));
    EXPECT_TRUE(run_conditional(Json{{"logic", "OR"}, {"conditions", one_true}}, vars, none));
}

TEST(Conditions, CallAndBareFields) {
    const std::map<std::string, std::string> vars{{"interested", "no"}};
    const std::map<std::string, std::string> analysis{{"interested", "yes"}, {"budget", "5000"}};
    const std::map<std::string, std::string> none;
    auto one = [](Json c) { return Json{{"conditions", Json::array({c})}}; };
    EXPECT_TRUE(run_conditional(one(cond("call.status", "equals", "completed")), none, none));
    EXPECT_TRUE(run_conditional(one(cond("call.status", "equals", "no_answer")), none, none,
                                CallOutcome::kNoAnswer));
    EXPECT_TRUE(run_conditional(one(cond("call.outcome", "equals", "VOICEMAIL")), none, none,
                                CallOutcome::kVoicemail));
    EXPECT_TRUE(run_conditional(one(cond("call.duration_s", "greater_than", 42)), none, none));
    EXPECT_TRUE(run_conditional(one(cond("call.duration_s", "equals", "42.5")), none, none));
    EXPECT_TRUE(
        run_conditional(one(cond("call.analysis.interested", "equals", "yes")), vars, analysis));
    // A bare name is the lead variable first, then the analysis.
    EXPECT_TRUE(run_conditional(one(cond("interested", "equals", "no")), vars, analysis));
    EXPECT_TRUE(run_conditional(one(cond("budget", "greater_than", 1000)), vars, analysis));
    // No call yet: call fields are missing.
    EXPECT_FALSE(run_conditional(one(cond("call.status", "exists")), none, none,
                                 CallOutcome::kCompleted, false));
    EXPECT_TRUE(run_conditional(one(cond("call.status", "not_equals", "completed")), none, none,
                                CallOutcome::kCompleted, false));
}

TEST(Conditions, InvalidFieldsAndOperatorsDoNotCompile) {
    for (Json c : {cond("", "equals", "x"), cond("lead.", "equals", "x"),
                   cond("call.colour", "equals", "x"), cond("lead.a", "bigger", "x")}) {
        auto g = compile_graph(GraphBuilder()
                                   .node("cond", "CONDITIONAL", {{"conditions", Json::array({c})}})
                                   .node("yes", "CONVERTED")
                                   .edge("cond", "yes", "true")
                                   .graph());
        ASSERT_FALSE(g.ok()) << c.dump();
        EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
        EXPECT_NE(g.status().message().find("node 'cond'"), std::string::npos)
            << g.status().message();
    }
}

TEST(Conditions, SwitchModeRoutesByValueThenDefault) {
    GraphBuilder b =
        GraphBuilder()
            .node("sw", "CONDITIONAL",
                  {{"condition_field", "lead.tier"}, {"branches", Json::array({"gold", "silver"})}})
            .node("gold", "CONVERTED")
            .node("silver", "CONVERTED")
            .node("other", "DROPPED")
            .edge("sw", "gold", "GOLD")
            .edge("sw", "silver", "silver")
            .edge("sw", "other");
    for (auto [tier, want] : {std::pair{"gold", "gold"}, std::pair{" Silver ", "silver"},
                              std::pair{"bronze", "other"}, std::pair{"", "other"}}) {
        Runner r(b.compile());
        std::map<std::string, std::string> vars;
        if (std::string(tier).size()) vars["tier"] = tier;
        MapFieldSource fields(&vars, nullptr, nullptr);
        r.ctx.fields = &fields;
        r.start();
        EXPECT_EQ(r.node(), want) << tier;
        if (std::string(tier) == " Silver ") {
            EXPECT_EQ(outcome_text(r.step.records[0]), "Silver");
        }
    }
    // Missing field and no default edge: stuck.
    Runner r(GraphBuilder()
                 .node("sw", "CONDITIONAL", {{"condition_field", "lead.tier"}})
                 .node("gold", "CONVERTED")
                 .edge("sw", "gold", "gold")
                 .compile());
    EXPECT_EQ(r.start().type, EffectType::kStuck);
}

TEST(Conditions, CallStatusIsASwitchFieldAsDialNexaSpellsIt) {
    // `call_status` is `call.status`: the last call's provider status in lower case.
    GraphBuilder b = GraphBuilder()
                         .node("call", "VOICE_CALL")
                         .node("sw", "CONDITIONAL", {{"condition_field", "call_status"}})
                         .node("answered", "CONVERTED")
                         .node("busy", "DROPPED")
                         .node("other", "DROPPED")
                         .edge("call", "sw")
                         .edge("sw", "answered", "completed")
                         .edge("sw", "busy", "BUSY")
                         .edge("sw", "other");
    for (auto [outcome, want] :
         {std::pair{CallOutcome::kCompleted, "answered"}, std::pair{CallOutcome::kBusy, "busy"},
          std::pair{CallOutcome::kNoAnswer, "other"}}) {
        Runner r(b.compile());
        r.start();
        r.call_ended(outcome);
        EXPECT_EQ(r.node(), want) << to_string(outcome);
    }
    // In a boolean condition too, and a lead variable of that name does not shadow it.
    std::map<std::string, std::string> vars{{"call_status", "busy"}};
    MapFieldSource fields(&vars, nullptr, nullptr);
    Runner r(GraphBuilder()
                 .node("call", "VOICE_CALL")
                 .node("if", "CONDITIONAL",
                       {{"conditions", Json::array({Json{{"field", "call_status"},
                                                         {"operator", "equals"},
                                                         {"value", "completed"}}})}})
                 .node("yes", "CONVERTED")
                 .node("no", "DROPPED")
                 .edge("call", "if")
                 .edge("if", "yes", "true")
                 .edge("if", "no", "false")
                 .compile());
    r.ctx.fields = &fields;
    r.start();
    r.call_ended(CallOutcome::kCompleted);
    EXPECT_EQ(r.node(), "yes");
}

TEST(Conditions, PostcallAnalysisPrefixNamesTheCallsAnalysis) {
    std::map<std::string, std::string> analysis{{"interested", "true"}};
    MapFieldSource fields(nullptr, &analysis, nullptr);
    Runner r(GraphBuilder()
                 .node("call", "VOICE_CALL")
                 .node("if", "CONDITIONAL",
                       {{"conditions", Json::array({Json{{"field", "postcall_analysis.interested"},
                                                         {"operator", "equals"},
                                                         {"value", "true"}}})}})
                 .node("yes", "CONVERTED")
                 .node("no", "DROPPED")
                 .edge("call", "if")
                 .edge("if", "yes", "true")
                 .edge("if", "no", "false")
                 .compile());
    r.ctx.fields = &fields;
    r.start();
    r.call_ended(CallOutcome::kCompleted);
    EXPECT_EQ(r.node(), "yes");
}

TEST(Engine, ApplicationSuccessAndFailure) {
    GraphBuilder b =
        GraphBuilder()
            .node("app", "APPLICATION", {{"provider_key", "webhook"}, {"action_key", "crm"}})
            .node("ok", "CONVERTED")
            .node("bad", "DROPPED")
            .node("check", "CONDITIONAL",
                  {{"conditions", Json::array({cond("application.result", "equals", "failure")})}})
            .edge("app", "ok", "success")
            .edge("app", "check", "failure")
            .edge("check", "bad", "true");
    Runner r(b.compile());
    EXPECT_EQ(r.start().type, EffectType::kRunAction);
    EXPECT_EQ(r.s.phase, Phase::kInAction);
    r.action(true);
    EXPECT_EQ(r.node(), "ok");
    Runner r2(b.compile());
    r2.start();
    r2.action(false);
    EXPECT_EQ(r2.node(), "bad");
    EXPECT_EQ(r2.s.end, LeadEnd::kDropped);
}

// [SECTION] Entry, window, concurrency, loop guard

TEST(Engine, EntryNodeRule) {
    GraphBuilder b = GraphBuilder().node("a", "CONVERTED").node("b", "DROPPED");
    auto ambiguous = compile_graph(b.graph());
    ASSERT_FALSE(ambiguous.ok());
    EXPECT_EQ(ambiguous.status().code(), StatusCode::kFailedPrecondition);
    Runner r(b.entry("b").compile());
    r.start();
    EXPECT_EQ(r.node(), "b");
    auto missing = compile_graph(GraphBuilder().node("a", "CONVERTED").entry("zzz").graph());
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.status().message().find("zzz"), std::string::npos);
    auto empty = compile_graph(GraphBuilder().graph());
    EXPECT_FALSE(empty.ok());
}

GraphBuilder windowed_call(const std::string& zone) {
    return GraphBuilder()
        .node("call", "VOICE_CALL")
        .node("conv", "CONVERTED")
        .edge("call", "conv")
        .setting("timezone", zone)
        .setting(
            "calling_window",
            {{"days", {"mon", "tue", "wed", "thu", "fri"}}, {"start", "09:00"}, {"end", "18:00"}});
}

TEST(Engine, CallOutsideTheWindowIsQueuedUntilItOpens) {
    Runner r(windowed_call("UTC").compile());
    // Saturday 2026-03-07 10:00 UTC → opens Monday 2026-03-09 09:00.
    r.ctx.now = ms_from_civil(CivilDateTime{CivilDate{2026, 3, 7}, 10, 0, 0, 0});
    const Effect& e = r.start();
    ASSERT_EQ(e.type, EffectType::kQueued);
    EXPECT_EQ(e.reason, Reason::kOutsideCallingWindow);
    EXPECT_EQ(e.until, ms_from_civil(CivilDateTime{CivilDate{2026, 3, 9}, 9, 0, 0, 0}));
    EXPECT_EQ(r.s.phase, Phase::kQueued);
    r.ctx.now = e.until;
    EXPECT_EQ(r.timer().type, EffectType::kPlaceCall);
    EXPECT_EQ(r.s.steps, 1);  // waiting for the window is not a new step
}

TEST(Engine, CallingWindowFollowsTheLeadsZoneAcrossDaylightSaving) {
    auto ny = TimeZone::find("America/New_York");
    ASSERT_TRUE(ny.ok());
    Runner r(windowed_call("UTC").compile());
    r.ctx.zone = &*ny;
    // Friday 2026-03-06 23:30 UTC = 18:30 EST (closed). Clocks go forward Sunday 03-08, so
    // Monday 09:00 EDT = 13:00 UTC.
    r.ctx.now = ms_from_civil(CivilDateTime{CivilDate{2026, 3, 6}, 23, 30, 0, 0});
    const Effect& e = r.start();
    ASSERT_EQ(e.type, EffectType::kQueued);
    EXPECT_EQ(e.until, ms_from_civil(CivilDateTime{CivilDate{2026, 3, 9}, 13, 0, 0, 0}));
    // The calling window can be ignored (the exact analysis does).
    Runner r2(windowed_call("UTC").compile());
    r2.ctx.zone = &*ny;
    r2.ctx.now = r.ctx.now;
    r2.ctx.ignore_calling_window = true;
    EXPECT_EQ(r2.start().type, EffectType::kPlaceCall);
}

TEST(Engine, CallOverTheConcurrencyLimitWaitsForASlot) {
    Runner r(routing_graph().setting("max_concurrent_calls", 2).compile());
    EXPECT_EQ(r.g.max_concurrent_calls(), 2);
    r.ctx.call_slot_available = false;
    const Effect& e = r.start();
    ASSERT_EQ(e.type, EffectType::kQueued);
    EXPECT_EQ(e.reason, Reason::kConcurrencyLimit);
    EXPECT_EQ(e.until, kNoTime);
    r.ctx.call_slot_available = true;
    EXPECT_EQ(r.timer().type, EffectType::kPlaceCall);
}

TEST(Engine, LoopGuardFailsTheLead) {
    // A call that is retried on every outcome except COMPLETED: 3 steps allowed.
    Runner r(GraphBuilder()
                 .node("call", "VOICE_CALL")
                 .node("conv", "CONVERTED")
                 .edge("call", "conv", "COMPLETED")
                 .edge("call", "call")
                 .entry("call")
                 .setting("max_steps_per_lead", 3)
                 .compile());
    r.start();
    r.call_ended(CallOutcome::kBusy);
    EXPECT_EQ(r.step.effect.type, EffectType::kPlaceCall);
    r.call_ended(CallOutcome::kBusy);
    EXPECT_EQ(r.step.effect.type, EffectType::kPlaceCall);
    const Effect& e = r.call_ended(CallOutcome::kBusy);
    EXPECT_EQ(e.type, EffectType::kFinish);
    EXPECT_EQ(e.end, LeadEnd::kFailed);
    EXPECT_EQ(e.reason, Reason::kMaxStepsExceeded);
    EXPECT_EQ(r.s.phase, Phase::kDone);
}

TEST(Engine, ZeroTimeCycleStopsAtTheLoopGuard) {
    Runner r(GraphBuilder()
                 .node("a", "CONDITIONAL", {{"conditions", Json::array()}})
                 .node("b", "CONDITIONAL", {{"conditions", Json::array()}})
                 .node("start", "CONDITIONAL", {{"conditions", Json::array()}})
                 .edge("start", "a")
                 .edge("a", "b")
                 .edge("b", "a")
                 .compile());
    const Effect& e = r.start();
    EXPECT_EQ(e.type, EffectType::kFinish);
    EXPECT_EQ(e.reason, Reason::kMaxStepsExceeded);
    EXPECT_EQ(r.s.steps, 1001);
}

// [SECTION] History and serialization

TEST(Engine, HistoryRecordsEveryStep) {
    Runner r(testing::load_graph_fixture("lead_nurture.json").nodes.empty()
                 ? CompiledGraph{}
                 : *compile_graph(testing::load_graph_fixture("lead_nurture.json")));
    r.start();
    ASSERT_EQ(r.step.records.size(), 1u);
    EXPECT_EQ(r.step.records[0].status, RecordStatus::kInCall);
    r.ctx.now += 60000;
    r.call_ended(CallOutcome::kBusy, 5000);
    ASSERT_EQ(r.step.records.size(), 2u);
    const HistoryEntry done = to_history_entry(r.g, r.step.records[0], std::string("call_1"));
    EXPECT_EQ(done.node_id, "node_call1");
    EXPECT_EQ(done.node_type, "VOICE_CALL");
    EXPECT_EQ(done.label, "First call");
    EXPECT_EQ(done.status, "completed");
    EXPECT_EQ(done.outcome, "BUSY");
    EXPECT_EQ(done.edge_id, "edge_2");
    EXPECT_EQ(done.edge_label, "DNP");
    EXPECT_EQ(done.to_node_id, "node_wait1");
    EXPECT_EQ(done.call_id, "call_1");
    EXPECT_EQ(done.started_at, kT0);
    EXPECT_EQ(done.ended_at, kT0 + 60000);
    const HistoryEntry wait = to_history_entry(r.g, r.step.records[1]);
    EXPECT_EQ(wait.status, "waiting");
    EXPECT_EQ(wait.ends_at, kT0 + 60000 + 2 * kMsPerDay);
    EXPECT_FALSE(wait.ended_at.has_value());
}

TEST(Engine, LeadStateRoundTripsThroughJson) {
    Runner r(routing_graph().compile());
    r.start();
    r.s.last_call = static_cast<std::int8_t>(CallOutcome::kVoicemail);
    r.s.last_call_duration_ms = 1234;
    r.s.last_app = 1;
    const Json j = to_json(r.s, r.g);
    EXPECT_EQ(j["node_id"], "call");
    EXPECT_EQ(j["phase"], "in_call");
    auto back = lead_state_from_json(j, r.g);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(to_json(*back, r.g), j);
    EXPECT_EQ(back->node, r.s.node);
    EXPECT_EQ(back->last_call, r.s.last_call);
    EXPECT_EQ(back->entered_at, kT0);

    Json bad = j;
    bad["phase"] = "flying";
    auto e = lead_state_from_json(bad, r.g);
    ASSERT_FALSE(e.ok());
    EXPECT_NE(e.status().message().find("phase"), std::string::npos);
    bad = j;
    bad["steps"] = "many";
    EXPECT_FALSE(lead_state_from_json(bad, r.g).ok());

    // The node left the graph: stuck with node_removed.
    Json gone = j;
    gone["node_id"] = "node_deleted";
    auto stuck = lead_state_from_json(gone, r.g);
    ASSERT_TRUE(stuck.ok());
    EXPECT_EQ(stuck->phase, Phase::kStuck);
    EXPECT_EQ(stuck->reason, Reason::kNodeRemoved);
    EXPECT_EQ(to_execution(*back, r.g).current_node_id, "call");
}

TEST(Engine, LeadStateIsCompact) {
    EXPECT_LE(sizeof(LeadState), 40u);
}

}  // namespace
}  // namespace leadflow
