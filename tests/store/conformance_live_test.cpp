// tests/store/conformance_live_test.cpp — the Store contract for the live scheduler's queries
// and writes: runnable workflows, due work, leads to start, slot queues, pause and resume,
// cancelling, the outbox and runtime key/values (see store_conformance.hpp).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "leadflow/wire.hpp"
#include "store_conformance.hpp"

namespace leadflow::server::conformance {
namespace {

class LiveConformance : public StoreConformance {
  protected:
    // fn in one live_transact(); fails the test when it does not commit.
    void live(const std::function<Status(StoreTx&)>& fn) {
        Status st = store_->live_transact(fn);
        ASSERT_TRUE(st.is_ok()) << st.message();
    }

    // Writes lead `id` as a step would: started (engine state set) at node `node`, in
    // `phase`, due at `due` and queued for a call slot since `slot`.
    void step(const std::string& id, std::optional<TimeMs> due, Phase phase = Phase::kWaiting,
              std::optional<TimeMs> slot = std::nullopt, const std::string& node = "n1") {
        live([&](StoreTx& tx) {
            auto l = tx.live_get_lead(id);
            if (!l.ok()) return l.status();
            LiveLeadUpdate u;
            u.lead = l.value();
            u.lead.state = "{\"node\":\"" + node + "\"}";
            u.lead.due_at = due;
            u.lead.slot_wait_at = slot;
            u.lead.version = u.lead.version_seen = 1;
            u.current_node_id = node;
            u.phase = phase;
            u.steps = 1;
            u.updated_at = 1500;
            u.status_changed = false;
            return tx.live_save(u);
        });
    }
};

TEST_P(LiveConformance, RunnableWorkflowsAreActiveOnesAndCancelledOnesWithWorkDue) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_draft", "D", 1000);
    add_workflow("org_1", "wf_active", "A", 2000, WorkflowStatus::kActive);
    add_workflow("org_1", "wf_cancel_due", "C", 3000, WorkflowStatus::kActive);
    add_workflow("org_1", "wf_cancel_idle", "I", 4000, WorkflowStatus::kCancelled);
    add_workflow("org_1", "wf_paused", "P", 5000, WorkflowStatus::kPaused);
    add_leads("wf_cancel_due", {"l1"}, LeadStatus::kActive);
    step("l1", 9000, Phase::kInCall);
    write([](StoreTx& tx) {
        auto w = tx.get_workflow("org_1", "wf_cancel_due");
        if (!w.ok()) return w.status();
        w->status = WorkflowStatus::kCancelled;
        return tx.update_workflow(w.value());
    });
    read([](StoreTx& tx) {
        auto runnable = tx.live_runnable_workflows();
        std::vector<std::string> ids;
        for (const RunnableWorkflow& r : runnable.value()) {
            ids.push_back(r.id);
            EXPECT_EQ(r.cancelled, r.id == "wf_cancel_due") << r.id;
        }
        EXPECT_EQ(ids, (std::vector<std::string>{"wf_active", "wf_cancel_due"}));
        return Status::ok();
    });
}

TEST_P(LiveConformance, DueLeadsAreTheWorkflowsOwnEarliestFirstUpToTheLimit) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "A", 1000, WorkflowStatus::kActive);
    add_workflow("org_1", "wf_2", "B", 2000, WorkflowStatus::kActive);
    add_leads("wf_1", {"l1", "l2", "l3", "l4"}, LeadStatus::kActive);
    add_leads("wf_2", {"l5"}, LeadStatus::kActive);
    step("l1", 3000);
    step("l2", 1000);
    step("l3", 2000);
    step("l4", std::nullopt);  // not scheduled
    step("l5", 500);
    read([](StoreTx& tx) {
        EXPECT_EQ(ids_of(tx.live_due_leads("wf_1", 2500, 10).value()),
                  (std::vector<std::string>{"l2", "l3"}));
        EXPECT_EQ(ids_of(tx.live_due_leads("wf_1", 5000, 2).value()),
                  (std::vector<std::string>{"l2", "l3"}));
        EXPECT_EQ(ids_of(tx.live_due_leads("wf_1", 5000, 10).value()),
                  (std::vector<std::string>{"l2", "l3", "l1"}));
        EXPECT_TRUE(tx.live_due_leads("wf_1", 999, 10)->empty());
        auto l1 = tx.live_get_lead("l1");
        EXPECT_EQ(l1->workflow_id, "wf_1");
        EXPECT_EQ(l1->status, LeadStatus::kActive);
        EXPECT_EQ(l1->state, std::optional<std::string>("{\"node\":\"n1\"}"));
        EXPECT_EQ(l1->due_at, std::optional<TimeMs>(3000));
        EXPECT_EQ(l1->version, std::optional<std::int64_t>(1));
        EXPECT_EQ(tx.live_get_lead("l_none").status().code(), StatusCode::kNotFound);
        auto full = tx.get_lead("wf_1", "l1");
        EXPECT_EQ(full->execution.current_node_id, std::optional<std::string>("n1"));
        EXPECT_EQ(full->execution.phase, Phase::kWaiting);
        EXPECT_EQ(full->execution.steps, 1);
        return Status::ok();
    });
}

TEST_P(LiveConformance, LeadsToStartAreActiveOnesWithoutStateOldestFirst) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "A", 1000, WorkflowStatus::kActive);
    std::vector<LeadRecord> leads;
    for (auto [id, t] : {std::pair<const char*, TimeMs>{"l1", 300}, {"l2", 100}, {"l3", 200}}) {
        LeadRecord r = make_lead("wf_1", id, LeadStatus::kActive);
        r.lead.created_at = t;
        leads.push_back(r);
    }
    leads.push_back(make_lead("wf_1", "l4", LeadStatus::kPending));
    write([&](StoreTx& tx) { return tx.insert_leads(leads); });
    step("l3", 9000);
    read([](StoreTx& tx) {
        EXPECT_EQ(ids_of(tx.live_leads_to_start("wf_1", 10).value()),
                  (std::vector<std::string>{"l2", "l1"}));
        EXPECT_EQ(ids_of(tx.live_leads_to_start("wf_1", 1).value()),
                  std::vector<std::string>{"l2"});
        return Status::ok();
    });
}

TEST_P(LiveConformance, SlotWaitersAreServedFirstComeFirstServed) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "A", 1000, WorkflowStatus::kActive);
    add_leads("wf_1", {"l1", "l2", "l3", "l4", "l5"}, LeadStatus::kActive);
    step("l1", std::nullopt, Phase::kQueued, 300);
    step("l2", std::nullopt, Phase::kQueued, 100);
    step("l3", std::nullopt, Phase::kQueued, 300);  // same time as l1: enrolment order
    step("l4", std::nullopt, Phase::kWaiting);
    step("l5", std::nullopt, Phase::kQueued, 200);
    read([](StoreTx& tx) {
        EXPECT_EQ(ids_of(tx.live_slot_waiters("wf_1", 10).value()),
                  (std::vector<std::string>{"l2", "l5", "l1", "l3"}));
        EXPECT_EQ(ids_of(tx.live_slot_waiters("wf_1", 2).value()),
                  (std::vector<std::string>{"l2", "l5"}));
        return Status::ok();
    });
    // Leaving the queue (the slot is not written unless it changed).
    live([](StoreTx& tx) {
        auto l = tx.live_get_lead("l2");
        if (!l.ok()) return l.status();
        LiveLeadUpdate u;
        u.lead = l.value();
        u.lead.slot_wait_at.reset();
        u.phase = Phase::kInCall;
        u.status_changed = false;
        return tx.live_save(u);
    });
    read([](StoreTx& tx) {
        EXPECT_EQ(ids_of(tx.live_slot_waiters("wf_1", 10).value()),
                  (std::vector<std::string>{"l5", "l1", "l3"}));
        return Status::ok();
    });
}

TEST_P(LiveConformance, SavingAStepWritesStatusResultsAndSchedulingButNotUnchangedColumns) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "A", 1000, WorkflowStatus::kActive);
    add_leads("wf_1", {"l1"}, LeadStatus::kActive);
    live([](StoreTx& tx) {
        auto l = tx.live_get_lead("l1");
        if (!l.ok()) return l.status();
        LiveLeadUpdate u;
        u.lead = l.value();
        u.lead.status = LeadStatus::kCompleted;
        u.lead.state = "{}";
        u.lead.call_id = "call_1";
        u.lead.last_analysis = Json{{"a", 1}};
        u.lead.last_response = Json{{"r", 2}};
        u.lead.pending_event = Json{{"type", "x"}};
        u.current_node_id = "n9";
        u.phase = Phase::kDone;
        u.steps = 7;
        u.updated_at = 4000;
        u.completed_at = 4000;
        return tx.live_save(u);
    });
    // An unknown lead fails the transaction (live writes may report it only when it ends).
    Status st = store_->live_transact([](StoreTx& tx) {
        LiveLeadUpdate missing;
        missing.lead.id = "l_none";
        if (Status s = tx.live_save(missing); !s) return s;
        return tx.live_meta_put("after", "1");
    });
    EXPECT_EQ(st.code(), StatusCode::kNotFound) << st.message();
    read([](StoreTx& tx) {
        EXPECT_FALSE(tx.live_meta_get("after").value());
        auto l = tx.live_get_lead("l1");
        EXPECT_EQ(l->status, LeadStatus::kCompleted);
        EXPECT_EQ(l->call_id, std::optional<std::string>("call_1"));
        EXPECT_EQ(l->last_analysis, (Json{{"a", 1}}));
        EXPECT_EQ(l->last_response, (Json{{"r", 2}}));
        EXPECT_EQ(l->pending_event, (Json{{"type", "x"}}));
        auto full = tx.get_lead("wf_1", "l1");
        EXPECT_EQ(full->lead.completed_at, std::optional<TimeMs>(4000));
        EXPECT_EQ(full->execution.phase, Phase::kDone);
        EXPECT_EQ(full->execution.steps, 7);
        EXPECT_EQ(tx.workflow_counts("wf_1")->lead_counts.at(LeadStatus::kCompleted), 1);
        return Status::ok();
    });
    // status_changed = false: the stored status stays whatever the record says.
    live([](StoreTx& tx) {
        auto l = tx.live_get_lead("l1");
        if (!l.ok()) return l.status();
        LiveLeadUpdate u;
        u.lead = l.value();
        u.lead.status = LeadStatus::kActive;
        u.phase = Phase::kDone;
        u.status_changed = false;
        u.phase_changed = false;
        return tx.live_save(u);
    });
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.live_get_lead("l1")->status, LeadStatus::kCompleted);
        return Status::ok();
    });
}

TEST_P(LiveConformance, EventsPauseResumeCancelAndWakingStuckLeads) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "A", 1000, WorkflowStatus::kActive);
    add_leads("wf_1", {"l_wait", "l_call", "l_stuck", "l_new"}, LeadStatus::kActive);
    add_leads("wf_1", {"l_pending"});
    step("l_wait", 5000, Phase::kWaiting);
    step("l_call", 8000, Phase::kInCall);
    step("l_stuck", std::nullopt, Phase::kStuck);
    // Pause at 2000: due leads keep their remaining time and stop being due.
    write([](StoreTx& tx) { return tx.live_freeze("wf_1", 2000); });
    read([](StoreTx& tx) {
        EXPECT_TRUE(tx.live_due_leads("wf_1", 1LL << 60, 10)->empty());
        return Status::ok();
    });
    // A result arriving while paused is due as soon as the workflow resumes.
    write([](StoreTx& tx) {
        return tx.live_set_event("l_stuck", Json{{"type", "result"}}, std::nullopt);
    });
    write([](StoreTx& tx) { return tx.live_thaw("wf_1", 10000); });
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.live_get_lead("l_wait")->due_at, std::optional<TimeMs>(13000));
        EXPECT_EQ(tx.live_get_lead("l_call")->due_at, std::optional<TimeMs>(16000));
        auto stuck = tx.live_get_lead("l_stuck");
        EXPECT_EQ(stuck->due_at, std::optional<TimeMs>(10000));
        EXPECT_EQ(stuck->pending_event, (Json{{"type", "result"}}));
        return Status::ok();
    });
    write([](StoreTx& tx) { return tx.live_set_event("l_wait", Json{{"n", 1}}, 11000); });
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.live_get_lead("l_wait")->due_at, std::optional<TimeMs>(11000));
        return Status::ok();
    });
    step("l_stuck", std::nullopt, Phase::kStuck);
    write([](StoreTx& tx) { return tx.live_wake_stuck("wf_1", 12000); });
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.live_get_lead("l_stuck")->due_at, std::optional<TimeMs>(12000));
        EXPECT_EQ(tx.count_leads_in_phases("wf_1", {Phase::kStuck}).value(), 1);
        return Status::ok();
    });
    // The leads a cancel ends, read first (for their history rows): not the one with a call in
    // flight; each with where it stands.
    read([](StoreTx& tx) {
        std::map<std::string, CancellableLead> seen;
        Status st = tx.live_each_cancellable("wf_1", [&](const CancellableLead& l) {
            EXPECT_TRUE(seen.emplace(l.id, l).second) << l.id;
            return Status::ok();
        });
        EXPECT_TRUE(st.ok()) << st.message();
        std::vector<std::string> ids;
        for (const auto& [id, l] : seen) ids.push_back(id);
        EXPECT_EQ(ids, (std::vector<std::string>{"l_new", "l_pending", "l_stuck", "l_wait"}));
        EXPECT_EQ(seen["l_wait"].node_id, std::optional<std::string>("n1"));
        EXPECT_EQ(seen["l_wait"].version, std::optional<std::int64_t>(1));
        EXPECT_EQ(seen["l_pending"].node_id, std::nullopt);
        EXPECT_EQ(seen["l_pending"].version, std::nullopt);
        int calls = 0;
        Status stopped = tx.live_each_cancellable("wf_1", [&](const CancellableLead&) {
            return ++calls == 2 ? Status::invalid("enough") : Status::ok();
        });
        EXPECT_EQ(stopped.code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(calls, 2);
        return Status::ok();
    });
    // Cancel: every pending or active lead ends except the one with a call in flight, which
    // stays active and due so that the call's end is recorded.
    write([](StoreTx& tx) {
        EXPECT_EQ(tx.live_cancel("wf_1", 20000).value(), 4);
        return Status::ok();
    });
    read([](StoreTx& tx) {
        for (const char* id : {"l_wait", "l_stuck", "l_new", "l_pending"}) {
            auto l = tx.get_lead("wf_1", id);
            EXPECT_EQ(l->lead.status, LeadStatus::kCancelled) << id;
            EXPECT_EQ(l->execution.phase, Phase::kDone) << id;
            EXPECT_EQ(l->lead.completed_at, std::optional<TimeMs>(20000)) << id;
            EXPECT_FALSE(tx.live_get_lead(id)->due_at) << id;
        }
        auto call = tx.live_get_lead("l_call");
        EXPECT_EQ(call->status, LeadStatus::kActive);
        EXPECT_EQ(ids_of(tx.live_due_leads("wf_1", 1LL << 60, 10).value()),
                  std::vector<std::string>{"l_call"});
        return Status::ok();
    });
}

TEST_P(LiveConformance, AStepKeepsThePhaseSlotAndStatusItDidNotChange) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "A", 1000, WorkflowStatus::kActive);
    add_leads("wf_1", {"l1"}, LeadStatus::kActive);
    step("l1", std::nullopt, Phase::kQueued, 300);
    live([](StoreTx& tx) {
        auto l = tx.live_get_lead("l1");
        if (!l.ok()) return l.status();
        LiveLeadUpdate u;
        u.lead = l.value();
        u.lead.status = LeadStatus::kCompleted;
        u.lead.slot_wait_at.reset();
        u.lead.due_at = 7000;
        u.current_node_id = "n2";
        u.phase = Phase::kInCall;
        u.steps = 2;
        u.completed_at = 7000;
        u.status_changed = false;
        u.phase_changed = false;
        u.slot_changed = false;
        return tx.live_save(u);
    });
    read([](StoreTx& tx) {
        auto l = tx.live_get_lead("l1");
        EXPECT_EQ(l->status, LeadStatus::kActive);
        EXPECT_EQ(l->slot_wait_at, std::optional<TimeMs>(300));
        EXPECT_EQ(l->due_at, std::optional<TimeMs>(7000));  // always written
        auto full = tx.get_lead("wf_1", "l1");
        EXPECT_EQ(full->execution.phase, Phase::kQueued);
        EXPECT_EQ(full->execution.current_node_id, std::optional<std::string>("n2"));
        EXPECT_EQ(full->execution.steps, 2);
        EXPECT_FALSE(full->lead.completed_at);  // written with the status only
        EXPECT_EQ(ids_of(tx.live_slot_waiters("wf_1", 10).value()), std::vector<std::string>{"l1"});
        EXPECT_EQ(tx.workflow_counts("wf_1")->lead_counts.at(LeadStatus::kActive), 1);
        return Status::ok();
    });
}

// The scheduler's transaction may hold its writes back and send them together
// (pg_live_batch.hpp): whatever it reads sees every write made before, and what commits is what
// one write at a time would have committed — lead rows, lead counts, history order, calls and
// outbox rows.
TEST_P(LiveConformance, ABatchOfStepsReadsItsOwnWritesAndCommitsThemAll) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "A", 1000, WorkflowStatus::kActive);
    add_workflow("org_1", "wf_2", "B", 1001, WorkflowStatus::kActive);
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) ids.push_back("l" + std::to_string(i));
    add_leads("wf_1", ids, LeadStatus::kActive);
    add_leads("wf_2", {"m0", "m1"}, LeadStatus::kActive);
    auto ended = [](const LiveLead& l, LeadStatus status, TimeMs at) {
        LiveLeadUpdate u;
        u.lead = l;
        u.lead.status = status;
        u.lead.state = "{}";
        u.lead.due_at.reset();
        u.current_node_id = "n_end";
        u.phase = Phase::kDone;
        u.steps = 3;
        u.updated_at = u.completed_at.emplace(at);
        return u;
    };
    auto call = [](const std::string& id, const std::string& lead) {
        CallRecord c;
        c.id = id;
        c.organization_id = "org_1";
        c.workflow_id = "wf_1";
        c.lead_id = lead;
        c.node_id = "n_call";
        c.status = "in_progress";
        c.created_at = 100;
        return c;
    };
    auto history_entry = [](const std::string& label) { return to_json(entry(label)).dump(); };
    live([&](StoreTx& tx) {
        for (int i = 0; i < 6; ++i) {
            auto l = tx.live_get_lead(ids[i]);
            if (!l.ok()) return l.status();
            const LeadStatus to = i % 2 ? LeadStatus::kDropped : LeadStatus::kCompleted;
            if (Status s = tx.live_save(ended(l.value(), to, 2000 + i)); !s) return s;
            if (Status s = tx.live_append_history(ids[i], history_entry("end " + ids[i])); !s) {
                return s;
            }
        }
        for (int i = 0; i < 3; ++i) {
            if (Status s = tx.insert_call(call("call_" + std::to_string(i), ids[i])); !s) return s;
        }
        CallRecord done = call("call_0", ids[0]);
        done.status = "completed";
        done.outcome = "COMPLETED";
        done.duration_s = 42.5;
        done.ended_at = 2100;
        if (Status s = tx.live_update_call(done); !s) return s;
        // Reads in the same transaction see all of the above.
        auto counts = tx.workflow_counts("wf_1");
        if (!counts.ok()) return counts.status();
        EXPECT_EQ(counts->lead_counts.at(LeadStatus::kCompleted), 3);
        EXPECT_EQ(counts->lead_counts.at(LeadStatus::kDropped), 3);
        EXPECT_EQ(counts->lead_counts.at(LeadStatus::kActive), 6);
        EXPECT_EQ(tx.live_get_lead("l3")->status, LeadStatus::kDropped);
        EXPECT_EQ(tx.live_get_call("call_0")->status, "completed");
        EXPECT_EQ(tx.live_get_call("call_1")->status, "in_progress");
        // A lead saved twice between two reads keeps what the first save wrote and the
        // second left alone.
        auto l6 = tx.live_get_lead("l6");
        if (!l6.ok()) return l6.status();
        LiveLeadUpdate first = ended(l6.value(), LeadStatus::kCompleted, 3000);
        first.lead.slot_wait_at.reset();
        if (Status s = tx.live_save(first); !s) return s;
        if (Status s = tx.live_append_history("l6", history_entry("first")); !s) return s;
        LiveLeadUpdate second = first;
        second.lead.status = LeadStatus::kActive;  // not written: status_changed is false
        second.phase = Phase::kWaiting;            // nor this
        second.completed_at.reset();
        second.lead.due_at = 8000;
        second.steps = 5;
        second.status_changed = second.phase_changed = second.slot_changed = false;
        if (Status s = tx.live_save(second); !s) return s;
        if (Status s = tx.live_append_history("l6", history_entry("second")); !s) return s;
        auto m0 = tx.live_get_lead("m0");
        if (!m0.ok()) return m0.status();
        if (Status s = tx.live_save(ended(m0.value(), LeadStatus::kFailed, 3100)); !s) return s;
        OutboxRow o;
        o.idempotency_key = "k1";
        o.kind = "user_webhook";
        o.workflow_id = "wf_1";
        o.lead_id = "l6";
        o.payload = Json{{"n", 1}};
        o.next_attempt_at = 10;
        if (Status s = tx.live_outbox_insert(o); !s) return s;
        o.payload = Json{{"n", 2}};  // the same key: the first row stays
        return tx.live_outbox_insert(o);
    });
    read([&](StoreTx& tx) {
        auto c1 = tx.workflow_counts("wf_1");
        EXPECT_EQ(c1->lead_counts.at(LeadStatus::kCompleted), 4);
        EXPECT_EQ(c1->lead_counts.at(LeadStatus::kDropped), 3);
        EXPECT_EQ(c1->lead_counts.at(LeadStatus::kActive), 5);
        auto c2 = tx.workflow_counts("wf_2");
        EXPECT_EQ(c2->lead_counts.at(LeadStatus::kFailed), 1);
        EXPECT_EQ(c2->lead_counts.at(LeadStatus::kActive), 1);
        auto l6 = tx.get_lead("wf_1", "l6");
        EXPECT_EQ(l6->lead.status, LeadStatus::kCompleted);
        EXPECT_EQ(l6->lead.completed_at, std::optional<TimeMs>(3000));
        EXPECT_EQ(l6->execution.phase, Phase::kDone);
        EXPECT_EQ(l6->execution.steps, 5);
        EXPECT_EQ(tx.live_get_lead("l6")->due_at, std::optional<TimeMs>(8000));
        EXPECT_EQ(labels_of(tx.history("l6").value()),
                  (std::vector<std::string>{"first", "second"}));
        EXPECT_EQ(labels_of(tx.history("l1").value()), std::vector<std::string>{"end l1"});
        auto done = tx.live_get_call("call_0");
        EXPECT_EQ(done->status, "completed");
        EXPECT_EQ(done->duration_s, std::optional<double>(42.5));
        EXPECT_EQ(done->ended_at, std::optional<TimeMs>(2100));
        EXPECT_EQ(tx.live_get_call("call_2")->lead_id, "l2");
        auto due = tx.live_outbox_due(100, 10);
        EXPECT_EQ(due->size(), 1u);
        EXPECT_EQ(due->at(0).payload, (Json{{"n", 1}}));
        return Status::ok();
    });
    // A call id placed twice fails the transaction, and none of its writes stay.
    Status st = store_->live_transact([&](StoreTx& tx) {
        auto l7 = tx.live_get_lead("l7");
        if (!l7.ok()) return l7.status();
        if (Status s = tx.live_save(ended(l7.value(), LeadStatus::kCompleted, 4000)); !s) return s;
        if (Status s = tx.insert_call(call("call_1", "l7")); !s) return s;
        return tx.live_meta_put("after", "1");
    });
    EXPECT_EQ(st.code(), StatusCode::kConflict) << st.message();
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.live_get_lead("l7")->status, LeadStatus::kActive);
        EXPECT_EQ(tx.live_get_call("call_1")->lead_id, "l1");
        EXPECT_FALSE(tx.live_meta_get("after").value());
        EXPECT_EQ(tx.workflow_counts("wf_1")->lead_counts.at(LeadStatus::kActive), 5);
        return Status::ok();
    });
}

TEST_P(LiveConformance, CancellingAPausedWorkflowMakesItsCallInFlightDueAgain) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "A", 1000, WorkflowStatus::kActive);
    add_leads("wf_1", {"l_wait", "l_call"}, LeadStatus::kActive);
    step("l_wait", 5000, Phase::kWaiting);
    step("l_call", 8000, Phase::kInCall);
    write([](StoreTx& tx) { return tx.live_freeze("wf_1", 2000); });
    write([](StoreTx& tx) {
        EXPECT_EQ(tx.live_cancel("wf_1", 3000).value(), 1);
        return Status::ok();
    });
    std::optional<TimeMs> due;
    read([&](StoreTx& tx) {
        auto call = tx.live_get_lead("l_call");
        EXPECT_EQ(call->status, LeadStatus::kActive);
        due = call->due_at;
        EXPECT_TRUE(due && *due <= 3000 + 6000);  // at the latest when its time would be up
        EXPECT_EQ(ids_of(tx.live_due_leads("wf_1", 9000, 10).value()),
                  std::vector<std::string>{"l_call"});
        EXPECT_EQ(tx.get_lead("wf_1", "l_wait")->lead.status, LeadStatus::kCancelled);
        return Status::ok();
    });
    // No longer frozen: a later resume does not move it.
    write([](StoreTx& tx) { return tx.live_thaw("wf_1", 50000); });
    read([&](StoreTx& tx) {
        EXPECT_EQ(tx.live_get_lead("l_call")->due_at, due);
        EXPECT_FALSE(tx.live_get_lead("l_wait")->due_at);
        return Status::ok();
    });
}

TEST_P(LiveConformance, OutboxRowsAreDueOnceByKeyUntilDone) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "A", 1000, WorkflowStatus::kActive);
    auto row = [](const std::string& key, TimeMs at) {
        OutboxRow r;
        r.idempotency_key = key;
        r.kind = "user_webhook";
        r.workflow_id = "wf_1";
        r.lead_id = "l1";
        r.payload = Json{{"key", key}};
        r.next_attempt_at = at;
        r.created_at = 1;
        return r;
    };
    live([&](StoreTx& tx) {
        for (const OutboxRow& r : {row("b", 200), row("a", 100), row("c", 300)}) {
            if (Status s = tx.live_outbox_insert(r); !s) return s;
        }
        OutboxRow dup = row("a", 50);  // a duplicate key keeps the first row
        dup.payload = Json{{"dup", true}};
        return tx.live_outbox_insert(dup);
    });
    std::vector<OutboxRow> due;
    read([&](StoreTx& tx) {
        auto d = tx.live_outbox_due(250, 10);
        if (!d.ok()) return d.status();
        due = d.value();
        EXPECT_EQ(tx.live_outbox_due(250, 1)->size(), 1u);
        return Status::ok();
    });
    ASSERT_EQ(due.size(), 2u);
    EXPECT_EQ(due[0].idempotency_key, "a");
    EXPECT_EQ(due[0].payload, (Json{{"key", "a"}}));
    EXPECT_EQ(due[0].kind, "user_webhook");
    EXPECT_EQ(due[1].idempotency_key, "b");
    EXPECT_NE(due[0].id, due[1].id);
    live([&](StoreTx& tx) {
        OutboxRow done = due[0];
        done.attempts = 1;
        done.done_at = 260;
        if (Status s = tx.live_outbox_update(done); !s) return s;
        OutboxRow retry = due[1];
        retry.attempts = 1;
        retry.next_attempt_at = 1000;
        retry.payload = Json{{"retried", true}};
        return tx.live_outbox_update(retry);
    });
    read([](StoreTx& tx) {
        EXPECT_TRUE(tx.live_outbox_due(250, 10)->empty());
        auto later = tx.live_outbox_due(1000, 10);
        std::vector<std::string> keys;
        for (const OutboxRow& r : later.value()) keys.push_back(r.idempotency_key);
        EXPECT_EQ(keys, (std::vector<std::string>{"c", "b"}));
        EXPECT_EQ(later->at(1).attempts, 1);
        EXPECT_EQ(later->at(1).payload, (Json{{"retried", true}}));
        return Status::ok();
    });
}

TEST_P(LiveConformance, ClaimedOutboxRowsAreNotDueAgainUntilTheLeaseLapses) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "A", 1000, WorkflowStatus::kActive);
    live([&](StoreTx& tx) {
        for (const auto& [key, at] : std::vector<std::pair<std::string, TimeMs>>{
                 {"b", 200}, {"a", 100}, {"c", 300}, {"later", 5000}}) {
            OutboxRow r;
            r.idempotency_key = key;
            r.kind = "action";
            r.workflow_id = "wf_1";
            r.lead_id = "l1";
            r.payload = Json{{"key", key}};
            r.next_attempt_at = at;
            r.created_at = 1;
            if (Status s = tx.live_outbox_insert(r); !s) return s;
        }
        return Status::ok();
    });
    // The first claim takes the two earliest due rows, as they were due; the second the last one
    // due; a third finds nothing while the leases run.
    std::vector<std::string> first, second;
    std::vector<OutboxRow> claimed;
    live([&](StoreTx& tx) {
        auto a = tx.live_outbox_claim(400, 2000, 2);
        if (!a.ok()) return a.status();
        claimed = a.value();
        for (const OutboxRow& r : a.value()) first.push_back(r.idempotency_key);
        auto b = tx.live_outbox_claim(400, 2000, 10);
        if (!b.ok()) return b.status();
        for (const OutboxRow& r : b.value()) second.push_back(r.idempotency_key);
        EXPECT_TRUE(tx.live_outbox_claim(400, 2000, 10)->empty());
        return Status::ok();
    });
    EXPECT_EQ(first, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(second, (std::vector<std::string>{"c"}));
    ASSERT_EQ(claimed.size(), 2u);
    EXPECT_EQ(claimed[0].next_attempt_at, 100);
    EXPECT_EQ(claimed[0].payload, (Json{{"key", "a"}}));
    read([](StoreTx& tx) {
        EXPECT_TRUE(tx.live_outbox_due(1999, 10)->empty()) << "claimed rows wait for the lease";
        return Status::ok();
    });
    // "a" is done; the others' lease lapses (their server died) and they are due again.
    live([&](StoreTx& tx) {
        OutboxRow done = claimed[0];
        done.attempts = 1;
        done.done_at = 500;
        return tx.live_outbox_update(done);
    });
    live([](StoreTx& tx) {
        auto again = tx.live_outbox_claim(2000, 9000, 10);
        std::vector<std::string> keys;
        for (const OutboxRow& r : again.value()) keys.push_back(r.idempotency_key);
        EXPECT_EQ(keys, (std::vector<std::string>{"b", "c"}));
        return Status::ok();
    });
}

TEST_P(LiveConformance, AnotherServersApiWriteWakesTheListener) {
    if (!store_->shared()) GTEST_SKIP() << "used by one process only: nothing to hear";
    // A second store on the same database stands for another server.
    auto other = instance_->open();
    ASSERT_TRUE(other.ok()) << other.status().message();
    std::atomic<int> heard{0};
    store_->on_remote_work([&heard] { heard.fetch_add(1); });
    // The listener's connection is opened by its thread: announce until it hears one.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (heard.load() == 0 && std::chrono::steady_clock::now() < until) {
        ASSERT_TRUE(other.value()->transact(
            [](StoreTx& tx) { return tx.ensure_organization("acme", "org_1", 1).status(); }));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_GT(heard.load(), 0) << "no notification within 30 s";
    // Removed: when on_remote_work returns, the callback is never called again.
    store_->on_remote_work(nullptr);
    const int before = heard.load();
    ASSERT_TRUE(other.value()->transact(
        [](StoreTx& tx) { return tx.ensure_organization("acme", "org_1", 1).status(); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(heard.load(), before);
}

TEST_P(LiveConformance, RuntimeValuesAreKeptByKey) {
    read([](StoreTx& tx) {
        EXPECT_FALSE(tx.live_meta_get("clock").value());
        return Status::ok();
    });
    live([](StoreTx& tx) {
        if (Status s = tx.live_meta_put("clock", "1"); !s) return s;
        return tx.live_meta_put("clock", "2");
    });
    reopen();
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.live_meta_get("clock").value(), std::optional<std::string>("2"));
        EXPECT_FALSE(tx.live_meta_get("other").value());
        return Status::ok();
    });
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveConformance, ::testing::ValuesIn(backends()),
                         [](const ::testing::TestParamInfo<Backend>& p) { return p.param.name; });

}  // namespace
}  // namespace leadflow::server::conformance
