// tests/server/pending_result_test.cpp — the stored form of a result waiting on its lead: every
// field round-trips, rows written by earlier servers read back, damaged rows still end their
// call, and the event a due lead applies.
#include "runtime/pending_result.hpp"

#include <gtest/gtest.h>

#include "leadflow/compiled_graph.hpp"
#include "runtime/lead_state_text.hpp"
#include "runtime/lead_step.hpp"

namespace leadflow::server {
namespace {

TEST(PendingResult, CallRoundTripsEveryField) {
    PendingResult p = PendingResult::call(CallOutcome::kVoicemail, 4200, Json{{"mood", "ok"}});
    p.end_reason = "carrier_hangup";
    p.logged = true;
    auto back = PendingResult::from_json(Json::parse(p.to_json().dump()));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->kind, PendingResult::Kind::kCall);
    EXPECT_EQ(back->outcome, CallOutcome::kVoicemail);
    EXPECT_EQ(back->duration_ms, 4200);
    EXPECT_EQ(back->analysis, (Json{{"mood", "ok"}}));
    EXPECT_EQ(back->end_reason, "carrier_hangup");
    EXPECT_TRUE(back->logged);
    Event ev = back->event();
    EXPECT_EQ(ev.type, EventType::kCallEnded);
    EXPECT_EQ(ev.outcome, CallOutcome::kVoicemail);
    EXPECT_EQ(ev.call_duration_ms, 4200);
}

TEST(PendingResult, ActionRoundTrips) {
    auto back = PendingResult::from_json(PendingResult::action(true, Json{{"order", 7}}).to_json());
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->kind, PendingResult::Kind::kAction);
    EXPECT_TRUE(back->ok);
    EXPECT_EQ(back->response, (Json{{"order", 7}}));
    Event ev = back->event();
    EXPECT_EQ(ev.type, EventType::kActionDone);
    EXPECT_TRUE(ev.action_ok);
}

TEST(PendingResult, ReadsRowsWrittenByEarlierServers) {
    auto call = PendingResult::from_json(
        Json::parse(R"({"type":"call","status":"no_answer","duration_ms":30000,"analysis":{}})"));
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(call->outcome, CallOutcome::kNoAnswer);
    EXPECT_EQ(call->duration_ms, 30000);
    EXPECT_FALSE(call->is_call_timeout());
    auto timeout = PendingResult::from_json(Json::parse(
        R"({"type":"call","status":"failed","end_reason":"call_timeout","duration_ms":0})"));
    ASSERT_TRUE(timeout.has_value());
    EXPECT_TRUE(timeout->is_call_timeout());
    EXPECT_EQ(timeout->outcome, CallOutcome::kFailed);
    auto action = PendingResult::from_json(Json::parse(R"({"type":"action","ok":false})"));
    ASSERT_TRUE(action.has_value());
    EXPECT_FALSE(action->ok);
    EXPECT_EQ(action->response, Json::object());
}

TEST(PendingResult, DamagedFieldsReadAsDefaultsAndEndTheCall) {
    auto p = PendingResult::from_json(Json::parse(
        R"({"type":"call","status":"exploded","duration_ms":"long","analysis":[1],
            "end_reason":5,"logged":"yes"})"));
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->outcome, CallOutcome::kFailed);
    EXPECT_EQ(p->duration_ms, 0);
    EXPECT_EQ(p->analysis, Json::object());
    EXPECT_EQ(p->end_reason, "");
    EXPECT_FALSE(p->logged);
    auto negative = PendingResult::from_json(Json::parse(R"({"type":"call","duration_ms":-5})"));
    ASSERT_TRUE(negative.has_value());
    EXPECT_EQ(negative->duration_ms, 0);
}

TEST(PendingResult, AnythingElseIsNoResult) {
    for (const char* text :
         {"null", "[1]", "\"call\"", "{}", R"({"type":"timer"})", R"({"type":7})"}) {
        EXPECT_FALSE(PendingResult::from_json(Json::parse(text)).has_value()) << text;
    }
}

TEST(DueEvent, APendingResultIsTheEvent) {
    LiveLead l;
    l.pending_event = PendingResult::call(CallOutcome::kBusy, 5000, Json::object()).to_json();
    Event ev = due_event(l);
    EXPECT_EQ(ev.type, EventType::kCallEnded);
    EXPECT_EQ(ev.outcome, CallOutcome::kBusy);
    l.pending_event = PendingResult::action(true, Json::object()).to_json();
    EXPECT_EQ(due_event(l).type, EventType::kActionDone);
}

TEST(DueEvent, WithoutAResultALeadNotInACallGetsItsTimer) {
    LiveLead l;
    EXPECT_EQ(due_event(l).type, EventType::kTimerFired);
    EXPECT_TRUE(l.pending_event.is_null());
}

// The stored state text of a lead on the single VOICE_CALL node of a graph, in `phase`.
std::string state_in(Phase phase) {
    Graph g;
    Node n;
    n.id = "call";
    n.type = NodeType::kVoiceCall;
    n.node_type_raw = to_string(n.type);
    g.nodes.push_back(n);
    auto c = compile_graph(g);
    EXPECT_TRUE(c.ok()) << c.status().message();
    LeadState s;
    s.node = 0;
    s.steps = 1;
    s.phase = phase;
    std::string text;
    write_lead_state_text(s, c.value(), text);
    return text;
}

TEST(DueEvent, ACallWithoutAResultTimesOutAndTheLeadSaysSo) {
    LiveLead l;
    l.state = state_in(Phase::kInCall);
    Event ev = due_event(l);
    EXPECT_EQ(ev.type, EventType::kCallEnded);
    EXPECT_EQ(ev.outcome, CallOutcome::kFailed);
    auto stored = PendingResult::from_json(l.pending_event);
    ASSERT_TRUE(stored.has_value());
    EXPECT_TRUE(stored->is_call_timeout());
}

TEST(DueEvent, AnActionWithoutAResultFailsAndAStuckLeadIsReEvaluated) {
    LiveLead l;
    l.state = state_in(Phase::kInAction);
    Event ev = due_event(l);
    EXPECT_EQ(ev.type, EventType::kActionDone);
    EXPECT_FALSE(ev.action_ok);
    l.state = state_in(Phase::kStuck);
    EXPECT_EQ(due_event(l).type, EventType::kGraphChanged);
}

}  // namespace
}  // namespace leadflow::server
