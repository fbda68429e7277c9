// tests/store/conformance_leads_test.cpp — the Store contract for leads (enrolment, listing,
// paging, updates, removal, counts), history order, transactions (rollback leaves nothing
// half-written) and deleting a workflow (see store_conformance.hpp).
#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "leadflow/wire.hpp"
#include "store_conformance.hpp"

namespace leadflow::server::conformance {
namespace {

TEST_P(StoreConformance, LeadsListInEnrolmentOrderWithFiltersAndPages) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1");
    add_workflow("org_1", "wf_2");
    // Ids that sort differently from their enrolment order.
    add_leads("wf_1", {"lead_z", "lead_a", "lead_m"});
    add_leads("wf_1", {"lead_b"}, LeadStatus::kActive);
    add_leads("wf_2", {"lead_other"});
    read([](StoreTx& tx) {
        LeadQuery q;
        auto all = tx.list_leads("wf_1", q);
        EXPECT_EQ(all->total, 4);
        EXPECT_EQ(ids_of(all->items),
                  (std::vector<std::string>{"lead_z", "lead_a", "lead_m", "lead_b"}));
        q.limit = 3;
        q.page = 2;
        auto p2 = tx.list_leads("wf_1", q);
        EXPECT_EQ(p2->total, 4);
        EXPECT_EQ(ids_of(p2->items), std::vector<std::string>{"lead_b"});
        LeadQuery active;
        active.statuses = {LeadStatus::kActive};
        EXPECT_EQ(ids_of(tx.list_leads("wf_1", active)->items), std::vector<std::string>{"lead_b"});
        LeadQuery by_id;
        by_id.ids = {"lead_m", "lead_z", "lead_other"};
        auto some = tx.list_leads("wf_1", by_id);
        EXPECT_EQ(some->total, 2);  // lead_other is another workflow's
        EXPECT_EQ(ids_of(some->items), (std::vector<std::string>{"lead_z", "lead_m"}));
        auto where = tx.leads_where("wf_1", {LeadStatus::kPending, LeadStatus::kActive}, {});
        EXPECT_EQ(ids_of(where.value()),
                  (std::vector<std::string>{"lead_z", "lead_a", "lead_m", "lead_b"}));
        return Status::ok();
    });
}

TEST_P(StoreConformance, AnUploadOfThousandsOfLeadsKeepsItsOrderAndVariables) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "W", 1000, WorkflowStatus::kActive);
    // One upload larger than a backend's batch, with ids that sort unlike their enrolment
    // order and variable names whose byte order differs from a dictionary's.
    constexpr int kLeads = 4500;
    auto id_of = [](int i) { return "lead_" + std::to_string((i * 7919) % kLeads); };
    std::vector<LeadRecord> leads;
    std::vector<std::string> enrolled, active;
    for (int i = 0; i < kLeads; ++i) {
        LeadRecord r =
            make_lead("wf_1", id_of(i), i % 2 ? LeadStatus::kPending : LeadStatus::kActive);
        r.lead.variables = {{"k" + std::to_string(i % 5), "v" + std::to_string(i)}};
        if (i == 0) r.lead.variables["Zeta"] = "z";
        if (i == kLeads - 1) r.lead.variables["alpha"] = "a";
        if (i == 4321) r.lead.metadata = Json{{"row", i}};
        enrolled.push_back(r.lead.id);
        if (i % 2 == 0) active.push_back(r.lead.id);
        leads.push_back(std::move(r));
    }
    write([&](StoreTx& tx) { return tx.insert_leads(leads); });
    read([&](StoreTx& tx) {
        EXPECT_EQ(
            ids_of(tx.leads_where("wf_1", {LeadStatus::kPending, LeadStatus::kActive}, {}).value()),
            enrolled);
        EXPECT_EQ(ids_of(tx.leads_where("wf_1", {LeadStatus::kActive}, {}).value()), active);
        LeadQuery page;
        page.limit = 100;
        page.page = 21;  // leads 2000–2099
        auto p21 = tx.list_leads("wf_1", page);
        EXPECT_EQ(p21->total, kLeads);
        EXPECT_EQ(ids_of(p21->items),
                  std::vector<std::string>(enrolled.begin() + 2000, enrolled.begin() + 2100));
        LeadQuery both;  // ids and statuses together, in enrolment order whatever the ids' order
        both.statuses = {LeadStatus::kActive};
        both.ids = {id_of(4000), id_of(1), id_of(2)};
        auto some = tx.list_leads("wf_1", both);
        EXPECT_EQ(some->total, 2);
        EXPECT_EQ(ids_of(some->items), (std::vector<std::string>{id_of(2), id_of(4000)}));
        EXPECT_EQ(tx.variable_keys("wf_1").value(),
                  (std::vector<std::string>{"Zeta", "alpha", "k0", "k1", "k2", "k3", "k4"}));
        auto one = tx.get_lead("wf_1", id_of(4321));
        EXPECT_EQ(one->lead.metadata, (Json{{"row", 4321}}));
        EXPECT_EQ(one->lead.variables, (std::map<std::string, std::string>{{"k1", "v4321"}}));
        // Leads enrolled at the same time start in enrolment order.
        EXPECT_EQ(ids_of(tx.live_leads_to_start("wf_1", 3).value()),
                  (std::vector<std::string>{id_of(0), id_of(2), id_of(4)}));
        EXPECT_EQ(tx.lead_status_totals()->at(LeadStatus::kActive), kLeads / 2);
        EXPECT_EQ(tx.lead_status_totals()->at(LeadStatus::kPending), kLeads / 2);
        return Status::ok();
    });
    // Moving and cancelling them all keeps the counts.
    write([&](StoreTx& tx) {
        EXPECT_EQ(tx.transition_leads("wf_1", {LeadStatus::kPending}, LeadStatus::kActive,
                                      std::nullopt, 2000)
                      .value(),
                  kLeads / 2);
        EXPECT_EQ(tx.lead_status_totals()->at(LeadStatus::kActive), kLeads);
        EXPECT_EQ(tx.live_cancel("wf_1", 3000).value(), kLeads);
        return Status::ok();
    });
    read([&](StoreTx& tx) {
        auto totals = tx.lead_status_totals();
        EXPECT_EQ(totals->at(LeadStatus::kCancelled), kLeads);
        EXPECT_EQ(totals->at(LeadStatus::kActive), 0);
        EXPECT_EQ(totals->at(LeadStatus::kPending), 0);
        return Status::ok();
    });
}

TEST_P(StoreConformance, ALeadRoundTripsAndIsUpdatedAndRemoved) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1");
    add_workflow("org_1", "wf_2");
    LeadRecord r = make_lead("wf_1", "lead_1", LeadStatus::kPending);
    r.lead.variables = {{"city", "Pune"}, {"name", "Asha"}};
    r.lead.metadata = Json{{"crm", 7}};
    LeadRecord r2 = make_lead("wf_1", "lead_2", LeadStatus::kPending);
    r2.lead.variables = {{"age", "30"}};
    write([&](StoreTx& tx) {
        if (Status s = tx.insert_leads({r, r2}); !s) return s;
        EXPECT_EQ(tx.insert_leads({make_lead("wf_2", "lead_1", LeadStatus::kPending)}).code(),
                  StatusCode::kConflict);
        return Status::ok();
    });
    read([](StoreTx& tx) {
        auto got = tx.get_lead("wf_1", "lead_1");
        EXPECT_TRUE(got.ok());
        EXPECT_EQ(got->lead.phone_number, "+14155552671");
        EXPECT_EQ(got->lead.variables.at("city"), "Pune");
        EXPECT_EQ(got->lead.metadata, (Json{{"crm", 7}}));
        EXPECT_EQ(got->lead.status, LeadStatus::kPending);
        EXPECT_EQ(got->execution.phase, Phase::kEntering);
        EXPECT_TRUE(tx.get_lead("wf_1", "lead_2")->lead.metadata.is_null());
        // A lead is found in its own workflow only.
        EXPECT_EQ(tx.get_lead("wf_2", "lead_1").status().code(), StatusCode::kNotFound);
        EXPECT_EQ(tx.variable_keys("wf_1").value(),
                  (std::vector<std::string>{"age", "city", "name"}));
        EXPECT_TRUE(tx.variable_keys("wf_2")->empty());
        return Status::ok();
    });
    write([&](StoreTx& tx) {
        LeadRecord u = r;
        u.lead.status = LeadStatus::kRemoved;
        u.lead.variables = {{"city", "Delhi"}};
        u.lead.updated_at = u.lead.completed_at = 5000;
        u.execution.current_node_id = "n2";
        u.execution.phase = Phase::kDone;
        u.execution.steps = 4;
        if (Status s = tx.update_lead(u); !s) return s;
        LeadRecord elsewhere = u;
        elsewhere.lead.workflow_id = "wf_2";  // not a lead of wf_2
        EXPECT_EQ(tx.update_lead(elsewhere).code(), StatusCode::kNotFound);
        return Status::ok();
    });
    read([](StoreTx& tx) {
        auto got = tx.get_lead("wf_1", "lead_1");
        EXPECT_EQ(got->lead.status, LeadStatus::kRemoved);
        EXPECT_EQ(got->lead.variables.at("city"), "Delhi");
        EXPECT_EQ(got->lead.current_node_id, std::optional<std::string>("n2"));
        EXPECT_EQ(got->lead.completed_at, std::optional<TimeMs>(5000));
        EXPECT_EQ(got->execution.phase, Phase::kDone);
        EXPECT_EQ(got->execution.steps, 4);
        // A removed lead stays enrolled and counted.
        auto counts = tx.workflow_counts("wf_1");
        EXPECT_EQ(counts->enrolled_leads, 2);
        EXPECT_EQ(counts->lead_counts.at(LeadStatus::kRemoved), 1);
        EXPECT_EQ(counts->lead_counts.at(LeadStatus::kPending), 1);
        EXPECT_EQ(counts->lead_counts.at(LeadStatus::kCompleted), 0);
        return Status::ok();
    });
}

TEST_P(StoreConformance, LeadTransitionsAndCountsFollowEveryChange) {
    add_org("org_1", "acme");
    add_org("org_2", "globex");
    add_workflow("org_1", "wf_1");
    add_workflow("org_2", "wf_2");
    add_leads("wf_1", {"l1", "l2", "l3"});
    add_leads("wf_1", {"l4"}, LeadStatus::kCompleted);
    add_leads("wf_2", {"l5"});
    write([](StoreTx& tx) {
        auto moved = tx.transition_leads("wf_1", {LeadStatus::kPending}, LeadStatus::kActive,
                                         std::nullopt, 2000);
        EXPECT_EQ(moved.value(), 3);
        auto ended = tx.transition_leads("wf_1", {LeadStatus::kActive}, LeadStatus::kCancelled,
                                         Phase::kDone, 3000);
        EXPECT_EQ(ended.value(), 3);
        EXPECT_EQ(tx.transition_leads("wf_1", {LeadStatus::kPending}, LeadStatus::kActive,
                                      std::nullopt, 4000)
                      .value(),
                  0);
        return Status::ok();
    });
    read([](StoreTx& tx) {
        auto l1 = tx.get_lead("wf_1", "l1");
        EXPECT_EQ(l1->lead.status, LeadStatus::kCancelled);
        EXPECT_EQ(l1->execution.phase, Phase::kDone);
        EXPECT_EQ(l1->lead.updated_at, std::optional<TimeMs>(3000));
        EXPECT_EQ(l1->lead.completed_at, std::optional<TimeMs>(3000));  // terminal
        EXPECT_EQ(tx.get_lead("wf_2", "l5")->lead.status, LeadStatus::kPending);
        EXPECT_EQ(tx.count_leads_in_phases("wf_1", {Phase::kDone}).value(), 3);
        EXPECT_EQ(tx.count_leads_in_phases("wf_1", {Phase::kDone, Phase::kEntering}).value(), 4);
        EXPECT_EQ(tx.count_leads_in_phases("wf_1", {Phase::kInCall}).value(), 0);
        auto totals = tx.lead_status_totals();
        EXPECT_EQ(totals->at(LeadStatus::kCancelled), 3);
        EXPECT_EQ(totals->at(LeadStatus::kCompleted), 1);
        EXPECT_EQ(totals->at(LeadStatus::kPending), 1);
        auto mine = tx.lead_status_totals_of("org_1");
        EXPECT_EQ(mine->at(LeadStatus::kPending), 0);  // l5 is another organization's
        EXPECT_EQ(mine->at(LeadStatus::kCancelled), 3);
        EXPECT_EQ(mine->size(), all_lead_statuses().size());
        auto by_node = tx.lead_counts_by_node("wf_1");
        std::int64_t cancelled = 0, completed = 0;
        for (const NodeStatusCount& c : by_node.value()) {
            EXPECT_GT(c.count, 0);
            EXPECT_FALSE(c.node_id);
            if (c.status == LeadStatus::kCancelled) cancelled += c.count;
            if (c.status == LeadStatus::kCompleted) completed += c.count;
        }
        EXPECT_EQ(cancelled, 3);
        EXPECT_EQ(completed, 1);
        return Status::ok();
    });
}

TEST_P(StoreConformance, LeadVersionsAreGroupedForPublishing) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "W", 1000, WorkflowStatus::kActive);
    add_leads("wf_1", {"l1", "l2", "l3", "l4"}, LeadStatus::kActive);
    add_leads("wf_1", {"l5"}, LeadStatus::kCompleted);
    write([](StoreTx& tx) {
        for (const char* id : {"l1", "l2", "l3", "l5"}) {
            auto l = tx.live_get_lead(id);
            if (!l.ok()) return l.status();
            LiveLead lead = l.value();
            lead.state = "{}";
            lead.version = std::string(id) == "l3" ? 2 : 1;
            lead.version_seen = lead.version;
            if (Status s = tx.live_place(lead, std::string(id) == "l2" ? "n2" : "n1"); !s) return s;
        }
        return Status::ok();
    });
    read([](StoreTx& tx) {
        auto groups = tx.lead_version_groups("wf_1");
        std::map<std::string, std::int64_t> seen;
        for (const LeadVersionGroup& g : groups.value()) {
            const std::string key = (g.version ? std::to_string(*g.version) : "-") + "/" +
                                    (g.seen ? std::to_string(*g.seen) : "-") + "/" +
                                    g.node_id.value_or("-");
            seen[key] += g.count;
        }
        // l5 is completed: not grouped; l4 has not started.
        EXPECT_EQ(seen, (std::map<std::string, std::int64_t>{
                            {"1/1/n1", 1}, {"1/1/n2", 1}, {"2/2/n1", 1}, {"-/-/-", 1}}));
        auto versions = tx.lead_versions("wf_1", {"l1", "l3", "l4", "l_none"});
        EXPECT_EQ(versions.value(), (std::map<std::string, std::pair<std::int64_t, std::int64_t>>{
                                        {"l1", {1, 1}}, {"l3", {2, 2}}}));
        auto behind = tx.live_leads_behind("wf_1", 2);
        std::vector<std::string> ids;
        for (const LiveLead& l : behind.value()) ids.push_back(l.id);
        std::sort(ids.begin(), ids.end());
        EXPECT_EQ(ids, (std::vector<std::string>{"l1", "l2"}));
        return Status::ok();
    });
}

TEST_P(StoreConformance, HistoryKeepsAppendOrderAcrossBothAppendsAndTransactions) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "W", 1000, WorkflowStatus::kActive);
    add_leads("wf_1", {"l1", "l2"}, LeadStatus::kActive);
    std::vector<std::string> expected1, expected2;
    write([&](StoreTx& tx) {
        for (int i = 0; i < 3; ++i) {
            const std::string a = "api " + std::to_string(i), b = "other " + std::to_string(i);
            if (Status s = tx.append_history("l1", entry(a)); !s) return s;
            if (Status s = tx.append_history("l2", entry(b)); !s) return s;
            expected1.push_back(a);
            expected2.push_back(b);
        }
        // Appends of this transaction are read back in order.
        EXPECT_EQ(labels_of(tx.history("l1").value()), expected1);
        EXPECT_EQ(tx.append_history("l_none", entry("x")).code(), StatusCode::kNotFound);
        return Status::ok();
    });
    Status st = store_->live_transact([&](StoreTx& tx) {
        // The scheduler's form, on a lead it read, without saving the lead afterwards.
        auto l = tx.live_get_lead("l1");
        if (!l.ok()) return l.status();
        for (int i = 0; i < 3; ++i) {
            const std::string a = "live " + std::to_string(i);
            if (Status s = tx.live_append_history("l1", to_json(entry(a)).dump()); !s) return s;
            expected1.push_back(a);
        }
        return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.message();
    st = store_->live_transact([&](StoreTx& tx) {
        if (Status s = tx.live_append_history("l1", to_json(entry("lost")).dump()); !s) return s;
        return tx.live_append_history("l_none", to_json(entry("x")).dump());
    });
    EXPECT_EQ(st.code(), StatusCode::kNotFound) << st.message();
    st = store_->live_transact([&](StoreTx& tx) {
        // ... and saving it after appending.
        auto l = tx.live_get_lead("l2");
        if (!l.ok()) return l.status();
        if (Status s = tx.live_append_history("l2", to_json(entry("step")).dump()); !s) return s;
        expected2.push_back("step");
        LiveLeadUpdate u;
        u.lead = l.value();
        u.lead.due_at = 7000;
        if (Status s = tx.live_save(u); !s) return s;
        if (Status s = tx.live_append_history("l2", to_json(entry("after")).dump()); !s) return s;
        expected2.push_back("after");
        return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.message();
    write([&](StoreTx& tx) {
        expected1.push_back("api again");
        return tx.append_history("l1", entry("api again"));
    });
    // Many at once, interleaved, in an API transaction and in the scheduler's; a row for an
    // unknown lead fails the call.
    write([&](StoreTx& tx) {
        std::vector<std::pair<std::string, HistoryEntry>> rows = {
            {"l1", entry("many 1")}, {"l2", entry("many 2")}, {"l1", entry("many 3")}};
        expected1.push_back("many 1");
        expected2.push_back("many 2");
        expected1.push_back("many 3");
        if (Status s = tx.append_histories(rows); !s) return s;
        EXPECT_EQ(labels_of(tx.history("l1").value()), expected1);
        return Status::ok();
    });
    st = store_->live_transact([&](StoreTx& tx) {
        expected2.push_back("live many");
        return tx.append_histories({{"l2", entry("live many")}});
    });
    ASSERT_TRUE(st.is_ok()) << st.message();
    st = store_->transact([&](StoreTx& tx) {
        return tx.append_histories({{"l1", entry("lost")}, {"l_none", entry("x")}});
    });
    EXPECT_EQ(st.code(), StatusCode::kNotFound) << st.message();
    reopen();
    read([&](StoreTx& tx) {
        EXPECT_EQ(labels_of(tx.history("l1").value()), expected1);
        EXPECT_EQ(labels_of(tx.history("l2").value()), expected2);
        auto full = tx.history("l1");
        EXPECT_EQ(full->at(0).node_id, "n1");
        EXPECT_EQ(full->at(0).status, "completed");
        EXPECT_EQ(full->at(0).started_at, std::optional<TimeMs>(1000));
        EXPECT_TRUE(tx.history("l_none")->empty());
        return Status::ok();
    });
}

TEST_P(StoreConformance, AFailedTransactionLeavesNothingHalfWritten) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1", "W", 1000, WorkflowStatus::kActive);
    add_leads("wf_1", {"l1"}, LeadStatus::kActive);
    write([](StoreTx& tx) { return tx.append_history("l1", entry("kept")); });
    auto everything = [](StoreTx& tx) -> Status {
        if (Status s = tx.insert_workflow(
                make_workflow("org_1", "wf_2", "New", 2000, WorkflowStatus::kDraft));
            !s) {
            return s;
        }
        Node n;
        n.id = "n1";
        n.node_type_raw = "WAIT";
        if (Status s = tx.insert_node("wf_2", n); !s) return s;
        if (Status s = tx.insert_leads({make_lead("wf_2", "l2", LeadStatus::kPending)}); !s) {
            return s;
        }
        if (Status s = tx.append_history("l1", entry("lost")); !s) return s;
        OutboxRow o;
        o.idempotency_key = "k1";
        o.kind = "action";
        o.workflow_id = "wf_1";
        o.lead_id = "l1";
        if (Status s = tx.live_outbox_insert(o); !s) return s;
        return tx.live_meta_put("clock", "1");
    };
    // A body that fails, one that throws, and a write that fails inside the body.
    Status st = store_->transact([&](StoreTx& tx) {
        if (Status s = everything(tx); !s) return s;
        return Status::invalid("refused");
    });
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_THROW(store_->transact([&](StoreTx& tx) -> Status {
        if (Status s = everything(tx); !s) return s;
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    st = store_->live_transact([&](StoreTx& tx) {
        if (Status s = everything(tx); !s) return s;
        return tx.insert_workflow(make_workflow("org_1", "wf_1", "Dup", 1, WorkflowStatus::kDraft));
    });
    EXPECT_EQ(st.code(), StatusCode::kConflict);
    read([](StoreTx& tx) {
        EXPECT_FALSE(tx.has_workflow("org_1", "wf_2").value());
        EXPECT_EQ(tx.get_lead("wf_2", "l2").status().code(), StatusCode::kNotFound);
        EXPECT_EQ(labels_of(tx.history("l1").value()), std::vector<std::string>{"kept"});
        EXPECT_TRUE(tx.live_outbox_due(1LL << 60, 10)->empty());
        EXPECT_FALSE(tx.live_meta_get("clock").value());
        return Status::ok();
    });
    // The store is usable afterwards, and a committed transaction is kept whole.
    write(everything);
    read([](StoreTx& tx) {
        EXPECT_TRUE(tx.has_workflow("org_1", "wf_2").value());
        EXPECT_EQ(tx.list_nodes("wf_2")->size(), 1u);
        EXPECT_TRUE(tx.get_lead("wf_2", "l2").ok());
        EXPECT_EQ(labels_of(tx.history("l1").value()), (std::vector<std::string>{"kept", "lost"}));
        EXPECT_EQ(tx.live_outbox_due(1LL << 60, 10)->size(), 1u);
        EXPECT_EQ(tx.live_meta_get("clock").value(), std::optional<std::string>("1"));
        return Status::ok();
    });
}

TEST_P(StoreConformance, DeletingAWorkflowDeletesItsGraphLeadsHistoryAndCallsOnly) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1");
    add_workflow("org_1", "wf_2");
    write([](StoreTx& tx) {
        Node n;
        n.id = "n1";
        n.node_type_raw = "WAIT";
        for (const char* wf : {"wf_1", "wf_2"}) {
            if (Status s = tx.insert_node(wf, n); !s) return s;
        }
        if (Status s = tx.insert_leads({make_lead("wf_1", "l1", LeadStatus::kPending),
                                        make_lead("wf_2", "l2", LeadStatus::kPending)});
            !s) {
            return s;
        }
        if (Status s = tx.append_history("l1", entry("one")); !s) return s;
        if (Status s = tx.append_history("l2", entry("two")); !s) return s;
        for (const char* wf : {"wf_1", "wf_2"}) {
            CallRecord c;
            c.id = std::string("call_") + wf;
            c.organization_id = "org_1";
            c.workflow_id = wf;
            c.lead_id = wf == std::string("wf_1") ? "l1" : "l2";
            c.node_id = "n1";
            c.status = "in_progress";
            c.created_at = 10;
            if (Status s = tx.insert_call(c); !s) return s;
        }
        // Deleting in the transaction that appended.
        if (Status s = tx.delete_workflow("wf_1"); !s) return s;
        EXPECT_EQ(tx.delete_workflow("wf_1").code(), StatusCode::kNotFound);
        return tx.append_history("l2", entry("three"));
    });
    read([](StoreTx& tx) {
        EXPECT_FALSE(tx.has_workflow("org_1", "wf_1").value());
        EXPECT_TRUE(tx.list_nodes("wf_1")->empty());
        EXPECT_EQ(tx.get_lead("wf_1", "l1").status().code(), StatusCode::kNotFound);
        EXPECT_TRUE(tx.history("l1")->empty());
        EXPECT_EQ(tx.lead_status_totals()->at(LeadStatus::kPending), 1);
        EXPECT_EQ(tx.list_nodes("wf_2")->size(), 1u);
        EXPECT_EQ(labels_of(tx.history("l2").value()), (std::vector<std::string>{"two", "three"}));
        // The deleted workflow's calls are gone; the other's stays.
        auto calls = tx.list_calls("org_1", CallQuery{});
        EXPECT_EQ(calls->total, 1);
        EXPECT_EQ(calls->items.at(0).id, "call_wf_2");
        EXPECT_EQ(tx.live_get_call("call_wf_1").status().code(), StatusCode::kNotFound);
        return Status::ok();
    });
    // A lead enrolled again under a deleted lead's id starts with no history.
    add_leads("wf_2", {"l1"});
    read([](StoreTx& tx) {
        EXPECT_TRUE(tx.history("l1")->empty());
        return Status::ok();
    });
}

// A forecast reads every pending and active lead of its workflow once, whatever their number
// (more than one page of the PostgreSQL read), with its variables and, while paused, the time
// its timer had left; ended leads and other workflows' leads are not read; a failed callback
// stops the read with its status. The leads a cancel would end are read the same way.
TEST_P(StoreConformance, AForecastReadsEveryRunningLeadOfItsWorkflowOnce) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1");
    add_workflow("org_1", "wf_2");
    constexpr int kLeads = 10050;
    std::set<std::string> running;
    std::vector<LeadRecord> leads;
    for (int i = 0; i < kLeads; ++i) {
        const LeadStatus st = i % 7 == 3   ? LeadStatus::kCompleted
                              : i % 2 == 0 ? LeadStatus::kActive
                                           : LeadStatus::kPending;
        LeadRecord r = make_lead("wf_1", "lead_" + std::to_string(i), st);
        if (i == 8) r.lead.variables["city"] = "Pune";
        if (!is_terminal(st)) running.insert(r.lead.id);
        leads.push_back(std::move(r));
    }
    leads.push_back(make_lead("wf_2", "other_1", LeadStatus::kPending));
    write([&](StoreTx& tx) {
        if (Status st = tx.insert_leads(leads); !st) return st;
        // lead_2 waits for a timer due at 5000 when its workflow is paused at 3000.
        if (Status st = tx.live_set_event("lead_2", Json::object(), 5000); !st) return st;
        return tx.live_freeze("wf_1", 3000);
    });
    read([&](StoreTx& tx) {
        std::multiset<std::string> seen;
        EXPECT_TRUE(tx.forecast_leads("wf_1", [&](ForecastLeadRow& row) {
                          seen.insert(row.id);
                          if (row.id == "lead_8") {
                              EXPECT_EQ(row.variables.at("city"), "Pune");
                          } else {
                              EXPECT_TRUE(row.variables.empty());
                          }
                          EXPECT_EQ(row.slot_wait_at, std::nullopt);
                          EXPECT_EQ(row.frozen_ms, row.id == "lead_2" ? std::optional<TimeMs>(2000)
                                                                      : std::nullopt);
                          return Status::ok();
                      }).ok());
        EXPECT_EQ(seen.size(), running.size());
        EXPECT_TRUE(std::equal(seen.begin(), seen.end(), running.begin(), running.end()));
        // What a cancel would end is read the same way: each running lead once.
        std::multiset<std::string> ending;
        EXPECT_TRUE(tx.live_each_cancellable("wf_1", [&](const CancellableLead& l) {
                          ending.insert(l.id);
                          return Status::ok();
                      }).ok());
        EXPECT_EQ(ending.size(), running.size());
        EXPECT_TRUE(std::equal(ending.begin(), ending.end(), running.begin(), running.end()));
        int calls = 0;
        Status stopped = tx.forecast_leads("wf_1", [&](ForecastLeadRow&) {
            return ++calls == 5 ? Status::invalid("enough") : Status::ok();
        });
        EXPECT_EQ(stopped.code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(calls, 5);
        return Status::ok();
    });
}

}  // namespace
}  // namespace leadflow::server::conformance
