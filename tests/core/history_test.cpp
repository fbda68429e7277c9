// History as node visits (history.hpp): the engine's event rows of real steps fold into one
// entry per visit, each ended in place.
#include "leadflow/history.hpp"

#include <gtest/gtest.h>

#include "leadflow/civil_time.hpp"
#include "leadflow/engine.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

const TimeMs kT0 = ms_from_civil(CivilDateTime{CivilDate{2026, 3, 2}, 10, 0, 0, 0});

// Drives one lead and keeps every history row the engine recorded, as the server stores them.
struct Lead {
    CompiledGraph g;
    LeadState s;
    Context ctx;
    Step step;
    std::vector<HistoryEntry> rows;
    int calls = 0;
    explicit Lead(CompiledGraph graph) : g(std::move(graph)) { ctx.now = kT0; }
    const Effect& send(const Event& e) {
        Status st = advance(g, s, e, ctx, step);
        EXPECT_TRUE(st.is_ok()) << st.message();
        // A call's rows carry its id as the server's do: the in_call row the new call's, the
        // rows of the step its result ended the call it placed before.
        for (const StepRecord& r : step.records) {
            const int call = r.status == RecordStatus::kInCall ? calls : calls - 1;
            rows.push_back(to_history_entry(g, r, "call_" + std::to_string(call)));
        }
        if (step.effect.type == EffectType::kPlaceCall) ++calls;
        return step.effect;
    }
    void call_ended(CallOutcome o) {
        ctx.now += 90'000;
        Event e{EventType::kCallEnded};
        e.outcome = o;
        e.call_duration_ms = 90'000;
        send(e);
    }
};

GraphBuilder retry_graph() {
    return GraphBuilder()
        .node("call", "VOICE_CALL", {{"agent_id", "a"}, {"from_phone_number", "+14155550100"}})
        .node("wait", "TIME", {{"duration_value", 2}, {"duration_unit", "days"}})
        .node("won", "CONVERTED")
        .edge("call", "wait", "DNP")
        .edge("call", "won", "COMPLETED")
        .edge("wait", "call")
        .entry("call");
}

TEST(HistoryVisits, EachVisitIsOneEntryEndedInPlace) {
    Lead l(retry_graph().compile());
    l.send(Event{EventType::kStart});
    l.call_ended(CallOutcome::kNoAnswer);
    const TimeMs release = l.s.release_at;
    l.ctx.now = release;
    l.send(Event{EventType::kTimerFired});
    l.call_ended(CallOutcome::kCompleted);

    // The events: in_call, completed, waiting, completed, in_call, completed, converted.
    ASSERT_EQ(l.rows.size(), 7u);
    const std::vector<HistoryEntry> v = history_visits(l.rows);
    ASSERT_EQ(v.size(), 4u);
    const char* nodes[] = {"call", "wait", "call", "won"};
    const char* statuses[] = {"completed", "completed", "completed", "converted"};
    for (std::size_t i = 0; i < v.size(); ++i) {
        EXPECT_EQ(v[i].node_id, nodes[i]) << i;
        EXPECT_EQ(v[i].status, statuses[i]) << i;
        ASSERT_TRUE(v[i].started_at && v[i].ended_at) << i;
        EXPECT_LE(*v[i].started_at, *v[i].ended_at) << i;
    }
    EXPECT_EQ(*v[0].started_at, kT0);
    EXPECT_EQ(*v[0].ended_at, kT0 + 90'000);
    EXPECT_EQ(v[0].outcome, "NO_ANSWER");
    EXPECT_EQ(v[0].to_node_id, "wait");
    EXPECT_EQ(v[0].call_id, "call_0");
    EXPECT_EQ(v[1].ends_at, release);  // the planned release stays on the visit
    EXPECT_EQ(*v[1].ended_at, release);
    EXPECT_EQ(v[2].call_id, "call_1");
    EXPECT_EQ(v[2].outcome, "COMPLETED");
    EXPECT_EQ(v[3].node_type, "CONVERTED");
}

TEST(HistoryVisits, AVisitInProgressStaysOpen) {
    Lead l(retry_graph().compile());
    l.send(Event{EventType::kStart});
    const std::vector<HistoryEntry> v = history_visits(l.rows);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].status, "in_call");
    EXPECT_FALSE(v[0].ended_at);
    EXPECT_EQ(v[0].call_id, "call_0");
}

TEST(HistoryVisits, AStepWithNoEdgeEndsTheVisitStuckWithItsOutcome) {
    Lead l(
        GraphBuilder()
            .node("call", "VOICE_CALL", {{"agent_id", "a"}, {"from_phone_number", "+14155550100"}})
            .node("won", "CONVERTED")
            .edge("call", "won", "COMPLETED")
            .compile());
    l.send(Event{EventType::kStart});
    l.call_ended(CallOutcome::kBusy);
    ASSERT_EQ(l.rows.size(), 3u);  // in_call, completed (BUSY), stuck
    const std::vector<HistoryEntry> v = history_visits(l.rows);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].status, "stuck");
    EXPECT_EQ(v[0].outcome, "BUSY");
    EXPECT_EQ(v[0].reason, "no_matching_edge");
    EXPECT_EQ(*v[0].ended_at, kT0 + 90'000);
}

TEST(HistoryVisits, QueuedThenCalledIsOneVisitWhoseReasonIsItsLastRows) {
    Lead l(retry_graph().compile());
    l.ctx.call_slot_available = false;
    l.send(Event{EventType::kStart});
    ASSERT_EQ(l.s.phase, Phase::kQueued);
    l.ctx.call_slot_available = true;
    l.send(Event{EventType::kTimerFired});
    l.call_ended(CallOutcome::kCompleted);
    const std::vector<HistoryEntry> v = history_visits(l.rows);
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0].status, "completed");
    EXPECT_FALSE(v[0].reason);  // "concurrency_limit" described the queued row only
    EXPECT_EQ(v[1].node_id, "won");
}

TEST(HistoryVisits, RowsOfOtherNodesOrClosedVisitsStartNewEntries) {
    HistoryEntry a;
    a.node_id = "n";
    a.status = "completed";
    a.started_at = 1;
    a.ended_at = 2;
    HistoryEntry b = a;  // a later visit of the same node (a loop)
    b.started_at = 5;
    b.ended_at = 6;
    HistoryEntry removed;  // written by the API before the lead ever started: no node
    removed.status = "removed";
    removed.started_at = removed.ended_at = 7;
    HistoryEntry removed2 = removed;
    EXPECT_EQ(history_visits({a, b, removed, removed2}).size(), 4u);
    EXPECT_TRUE(history_visits({}).empty());
}

}  // namespace
}  // namespace leadflow
