// tests/store/conformance_records_test.cpp — the Store contract for organizations, API keys,
// workflows, graphs, scenarios, problems, versions, webhooks, share links and calls, and tenant
// isolation (see store_conformance.hpp).
#include <algorithm>

#include "store_conformance.hpp"

namespace leadflow::server::conformance {
namespace {

ApiKeyRecord make_key(const std::string& id, const std::string& org, TimeMs t) {
    ApiKeyRecord k;
    k.id = id;
    k.organization_id = org;
    k.salt = "00ff";
    k.secret_hash = "abcd";
    k.created_at = t;
    return k;
}

Node make_node(const std::string& id, const std::string& label) {
    Node n;
    n.id = id;
    n.type = NodeType::kUnknown;
    n.node_type_raw = "FUTURE_TYPE";  // unknown types round-trip unchanged
    n.label = label;
    n.position_x = 1.5;
    n.position_y = -2;
    n.config = Json{{"k", label}};
    n.extra = Json{{"custom", true}};
    return n;
}

Edge make_edge(const std::string& id, const std::string& from, const std::string& to,
               std::int64_t position) {
    Edge e;
    e.id = id;
    e.from_node_id = from;
    e.to_node_id = to;
    e.position = position;
    return e;
}

TEST_P(StoreConformance, AnOrganizationIsCreatedOnceByName) {
    write([](StoreTx& tx) {
        auto a = tx.ensure_organization("acme", "org_1", 5);
        EXPECT_TRUE(a.ok());
        EXPECT_EQ(a->id, "org_1");
        EXPECT_EQ(a->created_at, 5);
        auto again = tx.ensure_organization("acme", "org_other", 9);
        EXPECT_TRUE(again.ok());
        EXPECT_EQ(again->id, "org_1");
        EXPECT_EQ(again->created_at, 5);
        return Status::ok();
    });
    reopen();
    write([](StoreTx& tx) {
        EXPECT_EQ(tx.ensure_organization("acme", "org_x", 9)->id, "org_1");
        return Status::ok();
    });
}

TEST_P(StoreConformance, ApiKeysAreFoundListedRevokedAndExpired) {
    add_org("org_1", "acme");
    add_org("org_2", "globex");
    write([](StoreTx& tx) {
        ApiKeyRecord ro = make_key("key_b", "org_2", 20);
        ro.read_only = true;
        if (Status s = tx.insert_api_key(make_key("key_a", "org_1", 10)); !s) return s;
        if (Status s = tx.insert_api_key(ro); !s) return s;
        if (Status s = tx.insert_api_key(make_key("key_c", "org_1", 30)); !s) return s;
        EXPECT_EQ(tx.insert_api_key(make_key("key_a", "org_2", 40)).code(), StatusCode::kConflict);
        return Status::ok();
    });
    read([](StoreTx& tx) {
        auto k = tx.find_api_key("key_b");
        EXPECT_TRUE(k.ok());
        EXPECT_EQ(k->organization_id, "org_2");
        EXPECT_EQ(k->salt, "00ff");
        EXPECT_EQ(k->secret_hash, "abcd");
        EXPECT_TRUE(k->read_only);
        EXPECT_FALSE(k->expires_at);
        EXPECT_FALSE(k->revoked_at);
        EXPECT_EQ(tx.find_api_key("key_none").status().code(), StatusCode::kNotFound);
        auto all = tx.list_api_keys("");
        EXPECT_TRUE(all.ok());
        std::vector<std::string> ids, orgs;
        for (const auto& i : all.value()) {
            ids.push_back(i.key.id);
            orgs.push_back(i.organization_name);
        }
        EXPECT_EQ(ids, (std::vector<std::string>{"key_a", "key_b", "key_c"}));  // oldest first
        EXPECT_EQ(orgs, (std::vector<std::string>{"acme", "globex", "acme"}));
        auto acme = tx.list_api_keys("acme");
        EXPECT_EQ(acme->size(), 2u);
        EXPECT_EQ(tx.list_api_keys("nobody").status().code(), StatusCode::kNotFound);
        return Status::ok();
    });
    write([](StoreTx& tx) {
        if (Status s = tx.revoke_api_key("key_a", 100); !s) return s;
        if (Status s = tx.revoke_api_key("key_a", 200); !s) return s;  // keeps the first time
        if (Status s = tx.set_api_key_expiry("key_c", 500); !s) return s;
        EXPECT_EQ(tx.revoke_api_key("key_none", 1).code(), StatusCode::kNotFound);
        EXPECT_EQ(tx.set_api_key_expiry("key_none", 1).code(), StatusCode::kNotFound);
        return Status::ok();
    });
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.find_api_key("key_a")->revoked_at, std::optional<TimeMs>(100));
        EXPECT_EQ(tx.find_api_key("key_c")->expires_at, std::optional<TimeMs>(500));
        EXPECT_FALSE(tx.find_api_key("key_c")->revoked_at);
        return Status::ok();
    });
}

TEST_P(StoreConformance, AWorkflowRoundTripsIsUpdatedAndScopedToItsOrganization) {
    add_org("org_1", "acme");
    add_org("org_2", "globex");
    Workflow w = make_workflow("org_1", "wf_1", "Nurture", 1000, WorkflowStatus::kDraft);
    w.description = "first";
    w.entry_node_id = "n1";
    w.settings.timezone = "Asia/Kolkata";
    w.settings.max_concurrent_calls = 3;
    w.extra["custom"] = "kept";
    write([&](StoreTx& tx) {
        if (Status s = tx.insert_workflow(w); !s) return s;
        EXPECT_EQ(tx.insert_workflow(w).code(), StatusCode::kConflict);
        return Status::ok();
    });
    reopen();
    read([](StoreTx& tx) {
        auto got = tx.get_workflow("org_1", "wf_1");
        EXPECT_TRUE(got.ok());
        EXPECT_EQ(got->title, "Nurture");
        EXPECT_EQ(got->description, "first");
        EXPECT_EQ(got->status, WorkflowStatus::kDraft);
        EXPECT_EQ(got->entry_node_id, std::optional<std::string>("n1"));
        EXPECT_EQ(got->settings.timezone, "Asia/Kolkata");
        EXPECT_EQ(got->settings.max_concurrent_calls, std::optional<int>(3));
        EXPECT_EQ(got->extra.value("custom", ""), "kept");
        EXPECT_EQ(got->created_at, std::optional<TimeMs>(1000));
        EXPECT_FALSE(got->published_version);
        // Another organization's view: indistinguishable from no workflow.
        EXPECT_EQ(tx.get_workflow("org_2", "wf_1").status().code(), StatusCode::kNotFound);
        EXPECT_EQ(tx.get_workflow("org_1", "wf_none").status().code(), StatusCode::kNotFound);
        EXPECT_TRUE(tx.has_workflow("org_1", "wf_1").value());
        EXPECT_FALSE(tx.has_workflow("org_2", "wf_1").value());
        EXPECT_FALSE(tx.has_workflow("org_1", "wf_none").value());
        EXPECT_EQ(tx.live_get_workflow("wf_1")->organization_id, "org_1");
        return Status::ok();
    });
    w.title = "Renamed";
    w.description = "second";
    w.status = WorkflowStatus::kActive;
    w.entry_node_id.reset();
    w.updated_at = 2000;
    w.activated_at = 2000;
    write([&](StoreTx& tx) {
        if (Status s = tx.update_workflow(w); !s) return s;
        Workflow missing = w;
        missing.id = "wf_none";
        EXPECT_EQ(tx.update_workflow(missing).code(), StatusCode::kNotFound);
        return Status::ok();
    });
    read([](StoreTx& tx) {
        auto got = tx.get_workflow("org_1", "wf_1");
        EXPECT_EQ(got->title, "Renamed");
        EXPECT_EQ(got->description, "second");
        EXPECT_EQ(got->status, WorkflowStatus::kActive);
        EXPECT_FALSE(got->entry_node_id);
        EXPECT_EQ(got->updated_at, std::optional<TimeMs>(2000));
        EXPECT_EQ(got->activated_at, std::optional<TimeMs>(2000));
        return Status::ok();
    });
}

TEST_P(StoreConformance, WorkflowListsFilterSortAndPage) {
    add_org("org_1", "acme");
    add_org("org_2", "globex");
    add_workflow("org_1", "wf_a", "Beta launch", 1000);
    add_workflow("org_1", "wf_b", "alpha 100%", 2000, WorkflowStatus::kActive);
    add_workflow("org_1", "wf_c", "Gamma", 3000);
    add_workflow("org_2", "wf_d", "Alpha elsewhere", 4000);
    read([](StoreTx& tx) {
        WorkflowQuery q;
        auto all = tx.list_workflows("org_1", q);
        EXPECT_EQ(all->total, 3);
        EXPECT_EQ(ids_of(all->items), (std::vector<std::string>{"wf_c", "wf_b", "wf_a"}));
        q.descending = false;
        EXPECT_EQ(ids_of(tx.list_workflows("org_1", q)->items),
                  (std::vector<std::string>{"wf_a", "wf_b", "wf_c"}));
        q.sort = WorkflowSort::kTitle;  // case-insensitive
        EXPECT_EQ(ids_of(tx.list_workflows("org_1", q)->items),
                  (std::vector<std::string>{"wf_b", "wf_a", "wf_c"}));
        q.limit = 2;
        q.page = 2;
        auto page2 = tx.list_workflows("org_1", q);
        EXPECT_EQ(page2->total, 3);
        EXPECT_EQ(ids_of(page2->items), std::vector<std::string>{"wf_c"});
        WorkflowQuery s;
        s.search = "ALPHA";
        EXPECT_EQ(ids_of(tx.list_workflows("org_1", s)->items), std::vector<std::string>{"wf_b"});
        s.search = "%";  // a literal character, not a pattern
        EXPECT_EQ(ids_of(tx.list_workflows("org_1", s)->items), std::vector<std::string>{"wf_b"});
        WorkflowQuery st;
        st.status = WorkflowStatus::kDraft;
        auto drafts = tx.list_workflows("org_1", st);
        EXPECT_EQ(drafts->total, 2);
        EXPECT_EQ(ids_of(drafts->items), (std::vector<std::string>{"wf_c", "wf_a"}));
        return Status::ok();
    });
}

TEST_P(StoreConformance, GraphWritesKeepEdgeOrderAndDeletingANodeDropsItsEdges) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1");
    write([](StoreTx& tx) {
        for (const char* id : {"n1", "n2", "n3"}) {
            if (Status s = tx.insert_node("wf_1", make_node(id, id)); !s) return s;
        }
        EXPECT_EQ(tx.insert_node("wf_1", make_node("n1", "again")).code(), StatusCode::kConflict);
        // Edge order: position, then creation order.
        if (Status s = tx.insert_edge("wf_1", make_edge("e1", "n1", "n2", 1)); !s) return s;
        if (Status s = tx.insert_edge("wf_1", make_edge("e2", "n1", "n3", 0)); !s) return s;
        if (Status s = tx.insert_edge("wf_1", make_edge("e3", "n2", "n3", 1)); !s) return s;
        return Status::ok();
    });
    read([](StoreTx& tx) {
        auto nodes = tx.list_nodes("wf_1");
        EXPECT_EQ(ids_of(nodes.value()), (std::vector<std::string>{"n1", "n2", "n3"}));
        auto n = tx.get_node("wf_1", "n2");
        EXPECT_EQ(n->node_type_raw, "FUTURE_TYPE");
        EXPECT_EQ(n->type, NodeType::kUnknown);
        EXPECT_EQ(n->label, "n2");
        EXPECT_EQ(n->position_x, 1.5);
        EXPECT_EQ(n->position_y, -2);
        EXPECT_EQ(n->config, (Json{{"k", "n2"}}));
        EXPECT_EQ(n->extra, (Json{{"custom", true}}));
        EXPECT_EQ(tx.get_node("wf_1", "n9").status().code(), StatusCode::kNotFound);
        EXPECT_EQ(ids_of(tx.list_edges("wf_1").value()),
                  (std::vector<std::string>{"e2", "e1", "e3"}));
        EXPECT_EQ(tx.get_edge("wf_1", "e3")->from_node_id, "n2");
        EXPECT_EQ(tx.get_edge("wf_1", "e9").status().code(), StatusCode::kNotFound);
        auto counts = tx.workflow_counts("wf_1");
        EXPECT_EQ(counts->node_count, 3);
        EXPECT_EQ(counts->edge_count, 3);
        return Status::ok();
    });
    write([](StoreTx& tx) {
        Node n = make_node("n2", "renamed");
        if (Status s = tx.update_node("wf_1", n); !s) return s;
        Edge e = make_edge("e1", "n1", "n2", 5);
        e.label = "yes";
        if (Status s = tx.update_edge("wf_1", e); !s) return s;
        EXPECT_EQ(tx.update_node("wf_1", make_node("n9", "x")).code(), StatusCode::kNotFound);
        EXPECT_EQ(tx.delete_edge("wf_1", "e9").code(), StatusCode::kNotFound);
        return tx.delete_node("wf_1", "n3");  // e2 and e3 go with it
    });
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.get_node("wf_1", "n2")->label, "renamed");
        auto edges = tx.list_edges("wf_1");
        EXPECT_EQ(ids_of(edges.value()), std::vector<std::string>{"e1"});
        EXPECT_EQ(edges->at(0).label, std::optional<std::string>("yes"));
        EXPECT_EQ(edges->at(0).position, 5);
        EXPECT_EQ(ids_of(tx.list_nodes("wf_1").value()), (std::vector<std::string>{"n1", "n2"}));
        return Status::ok();
    });
    write([](StoreTx& tx) {
        return tx.replace_graph("wf_1", {make_node("m1", "a"), make_node("m2", "b")},
                                {make_edge("f1", "m1", "m2", 0)});
    });
    read([](StoreTx& tx) {
        EXPECT_EQ(ids_of(tx.list_nodes("wf_1").value()), (std::vector<std::string>{"m1", "m2"}));
        EXPECT_EQ(ids_of(tx.list_edges("wf_1").value()), std::vector<std::string>{"f1"});
        return Status::ok();
    });
}

TEST_P(StoreConformance, AReplacedGraphKeepsItsListOrderAndEdgeOrder) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1");
    write([](StoreTx& tx) {
        if (Status s = tx.insert_node("wf_1", make_node("old", "x")); !s) return s;
        return tx.insert_edge("wf_1", make_edge("e_old", "old", "old", 0));
    });
    Node exact = make_node("m1", "exact");
    exact.position_x = 0.1;  // no short decimal form: must come back as the same double
    exact.position_y = -1e300;
    Edge labelled = make_edge("f2", "m1", "m2", 1);
    labelled.label = "yes";
    labelled.extra = Json{{"custom", "kept"}};
    write([&](StoreTx& tx) {
        // Positions beyond 32 bits and below zero; ties keep the list order.
        return tx.replace_graph("wf_1", {make_node("m2", "b"), exact, make_node("m3", "c")},
                                {make_edge("f1", "m1", "m2", 1LL << 40), labelled,
                                 make_edge("f3", "m2", "m3", 1), make_edge("f4", "m3", "m1", -5)});
    });
    write([](StoreTx& tx) {
        // Written one by one afterwards: after the replaced ones.
        if (Status s = tx.insert_node("wf_1", make_node("m4", "d")); !s) return s;
        return tx.insert_edge("wf_1", make_edge("f5", "m4", "m1", 1));
    });
    read([&](StoreTx& tx) {
        EXPECT_EQ(ids_of(tx.list_nodes("wf_1").value()),
                  (std::vector<std::string>{"m2", "m1", "m3", "m4"}));
        auto edges = tx.list_edges("wf_1");
        EXPECT_EQ(ids_of(edges.value()), (std::vector<std::string>{"f4", "f2", "f3", "f5", "f1"}));
        auto m1 = tx.get_node("wf_1", "m1");
        EXPECT_EQ(m1->position_x, 0.1);
        EXPECT_EQ(m1->position_y, -1e300);
        EXPECT_EQ(m1->label, "exact");
        EXPECT_EQ(m1->config, exact.config);
        auto f2 = tx.get_edge("wf_1", "f2");
        EXPECT_EQ(f2->label, std::optional<std::string>("yes"));
        EXPECT_EQ(f2->extra, labelled.extra);
        EXPECT_FALSE(tx.get_edge("wf_1", "f3")->label);
        EXPECT_EQ(tx.get_edge("wf_1", "f1")->position, 1LL << 40);
        EXPECT_EQ(tx.get_node("wf_1", "old").status().code(), StatusCode::kNotFound);
        return Status::ok();
    });
    // A graph naming a node twice is refused, and the transaction fails whole.
    Status st = store_->transact([](StoreTx& tx) {
        return tx.replace_graph("wf_1", {make_node("z", "a"), make_node("z", "b")}, {});
    });
    EXPECT_EQ(st.code(), StatusCode::kConflict) << st.message();
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.list_nodes("wf_1")->size(), 4u);
        return Status::ok();
    });
}

TEST_P(StoreConformance, ListsBreakTimeTiesByCreationOrder) {
    add_org("org_1", "acme");
    // Same creation time: workflows, keys, webhooks and calls keep their creation order
    // (newest first where the list is newest first).
    add_workflow("org_1", "wf_b", "same", 1000);
    add_workflow("org_1", "wf_a", "SAME", 1000);
    add_workflow("org_1", "wf_c", "same", 1000);
    write([](StoreTx& tx) {
        for (const char* id : {"key_b", "key_a", "key_c"}) {
            if (Status s = tx.insert_api_key(make_key(id, "org_1", 5)); !s) return s;
        }
        for (const char* id : {"whk_b", "whk_a", "whk_c"}) {
            UserWebhook w;
            w.id = id;
            w.organization_id = "org_1";
            w.url = "https://example.com/hook";
            w.created_at = 5;
            if (Status s = tx.insert_webhook(w); !s) return s;
        }
        for (const char* id : {"call_b", "call_a", "call_c"}) {
            CallRecord c;
            c.id = id;
            c.organization_id = "org_1";
            c.workflow_id = "wf_a";
            c.lead_id = "l1";
            c.node_id = "n1";
            c.status = "completed";
            c.created_at = 5;
            if (Status s = tx.insert_call(c); !s) return s;
        }
        return Status::ok();
    });
    read([](StoreTx& tx) {
        WorkflowQuery q;
        EXPECT_EQ(ids_of(tx.list_workflows("org_1", q)->items),
                  (std::vector<std::string>{"wf_c", "wf_a", "wf_b"}));
        q.descending = false;
        EXPECT_EQ(ids_of(tx.list_workflows("org_1", q)->items),
                  (std::vector<std::string>{"wf_b", "wf_a", "wf_c"}));
        q.sort = WorkflowSort::kTitle;  // equal titles but for case
        EXPECT_EQ(ids_of(tx.list_workflows("org_1", q)->items),
                  (std::vector<std::string>{"wf_b", "wf_a", "wf_c"}));
        q.limit = 1;
        q.page = 2;
        EXPECT_EQ(ids_of(tx.list_workflows("org_1", q)->items), std::vector<std::string>{"wf_a"});
        std::vector<std::string> keys;
        auto listed = tx.list_api_keys("acme");
        for (const ApiKeyInfo& k : listed.value()) keys.push_back(k.key.id);
        EXPECT_EQ(keys, (std::vector<std::string>{"key_b", "key_a", "key_c"}));
        EXPECT_EQ(ids_of(tx.list_webhooks("org_1").value()),
                  (std::vector<std::string>{"whk_b", "whk_a", "whk_c"}));
        EXPECT_EQ(ids_of(tx.list_calls("org_1", CallQuery{})->items),
                  (std::vector<std::string>{"call_c", "call_a", "call_b"}));
        return Status::ok();
    });
}

TEST_P(StoreConformance, ScenariosAndProblemsAreStoredPerWorkflow) {
    add_org("org_1", "acme");
    add_org("org_2", "globex");
    add_workflow("org_1", "wf_1");
    add_workflow("org_1", "wf_2");
    add_workflow("org_2", "wf_3");
    read([](StoreTx& tx) {
        EXPECT_TRUE(tx.get_scenario("wf_1")->is_null());
        EXPECT_TRUE(tx.workflows_with_problems("")->empty());
        return Status::ok();
    });
    const Json problems = Json::array({Json{{"code", "NO_ENTRY"}, {"message", "m"}}});
    write([&](StoreTx& tx) {
        if (Status s = tx.put_scenario("wf_1", Json{{"leads", 3}}); !s) return s;
        if (Status s = tx.set_workflow_problems("wf_2", problems); !s) return s;
        return tx.set_workflow_problems("wf_3", problems);
    });
    read([&](StoreTx& tx) {
        EXPECT_EQ(tx.get_scenario("wf_1").value(), (Json{{"leads", 3}}));
        EXPECT_TRUE(tx.get_scenario("wf_2")->is_null());
        auto all = tx.workflows_with_problems("");
        EXPECT_EQ(all->size(), 2u);
        auto mine = tx.workflows_with_problems("org_1");
        EXPECT_EQ(mine->size(), 1u);
        EXPECT_EQ(mine->at(0).first, "wf_2");
        EXPECT_EQ(mine->at(0).second, problems);
        EXPECT_EQ(tx.get_workflow("org_1", "wf_2")->problems, problems);
        return Status::ok();
    });
}

TEST_P(StoreConformance, VersionsAreImmutableNumberedAndListedNewestFirst) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1");
    auto version = [](std::int64_t number, int nodes) {
        WorkflowVersion v;
        v.workflow_id = "wf_1";
        v.number = number;
        v.graph.workflow = make_workflow("org_1", "wf_1", "At v" + std::to_string(number), 1000,
                                         WorkflowStatus::kActive);
        for (int i = 0; i < nodes; ++i) {
            v.graph.nodes.push_back(make_node("n" + std::to_string(i), "x"));
        }
        v.scenario = Json{{"v", number}};
        v.migrate = number > 1 ? MigrateMode::kMove : MigrateMode::kKeep;
        v.node_map = {{"old", "n0"}};
        v.note = "note " + std::to_string(number);
        v.published_by = "key_a";
        v.created_at = 1000 * number;
        v.node_count = nodes;
        return v;
    };
    write([&](StoreTx& tx) {
        if (Status s = tx.insert_version(version(1, 1)); !s) return s;
        if (Status s = tx.insert_version(version(2, 2)); !s) return s;
        EXPECT_EQ(tx.insert_version(version(2, 3)).code(), StatusCode::kConflict);
        return Status::ok();
    });
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.get_workflow("org_1", "wf_1")->published_version,
                  std::optional<std::int64_t>(2));
        auto v = tx.get_version("wf_1", 2);
        EXPECT_TRUE(v.ok());
        EXPECT_EQ(v->graph.nodes.size(), 2u);
        EXPECT_EQ(v->graph.workflow.title, "At v2");
        EXPECT_EQ(v->scenario, (Json{{"v", 2}}));
        EXPECT_EQ(v->migrate, MigrateMode::kMove);
        EXPECT_EQ(v->node_map.at("old"), "n0");
        EXPECT_EQ(v->note, "note 2");
        EXPECT_EQ(v->published_by, std::optional<std::string>("key_a"));
        EXPECT_EQ(v->created_at, 2000);
        EXPECT_EQ(tx.get_version("wf_1", 3).status().code(), StatusCode::kNotFound);
        auto list = tx.list_versions("wf_1", 1, 20);
        EXPECT_EQ(list->total, 2);
        if (list->items.size() != 2u)
            return Status::internal("list->items.size(): " + std::to_string(list->items.size()));
        EXPECT_EQ(list->items[0].number, 2);
        EXPECT_EQ(list->items[0].node_count, 2);
        EXPECT_EQ(list->items[1].number, 1);
        auto page2 = tx.list_versions("wf_1", 2, 1);
        EXPECT_EQ(page2->total, 2);
        if (page2->items.size() != 1u)
            return Status::internal("page2->items.size(): " + std::to_string(page2->items.size()));
        EXPECT_EQ(page2->items[0].number, 1);
        return Status::ok();
    });
}

TEST_P(StoreConformance, WebhooksAndShareLinksBelongToTheirOrganization) {
    add_org("org_1", "acme");
    add_org("org_2", "globex");
    write([](StoreTx& tx) {
        UserWebhook w;
        w.id = "whk_1";
        w.organization_id = "org_1";
        w.url = "https://example.com/hook";
        w.events = {"lead.completed", "call.ended"};
        w.secret = "s3cret";
        w.created_at = 10;
        if (Status s = tx.insert_webhook(w); !s) return s;
        if (Status s = tx.put_share_link("abc", "org_1", "#frag", 10); !s) return s;
        EXPECT_EQ(tx.put_share_link("abc", "org_2", "#other", 11).code(), StatusCode::kConflict);
        return Status::ok();
    });
    read([](StoreTx& tx) {
        auto mine = tx.list_webhooks("org_1");
        if (mine->size() != 1u)
            return Status::internal("mine->size(): " + std::to_string(mine->size()));
        EXPECT_EQ(mine->at(0).events, (std::vector<std::string>{"lead.completed", "call.ended"}));
        EXPECT_EQ(mine->at(0).secret, "s3cret");
        EXPECT_TRUE(tx.list_webhooks("org_2")->empty());
        EXPECT_EQ(tx.get_webhook("org_1", "whk_1")->url, "https://example.com/hook");
        EXPECT_EQ(tx.get_webhook("org_2", "whk_1").status().code(), StatusCode::kNotFound);
        EXPECT_EQ(tx.get_share_link("abc").value(), "#frag");
        EXPECT_EQ(tx.get_share_link("zzz").status().code(), StatusCode::kNotFound);
        return Status::ok();
    });
    write([](StoreTx& tx) {
        EXPECT_EQ(tx.delete_webhook("org_2", "whk_1").code(), StatusCode::kNotFound);
        EXPECT_EQ(tx.delete_share_link("org_2", "abc").code(), StatusCode::kNotFound);
        return Status::ok();
    });
    read([](StoreTx& tx) {
        EXPECT_TRUE(tx.get_webhook("org_1", "whk_1").ok());
        EXPECT_TRUE(tx.get_share_link("abc").ok());
        return Status::ok();
    });
    write([](StoreTx& tx) {
        if (Status s = tx.delete_webhook("org_1", "whk_1"); !s) return s;
        return tx.delete_share_link("org_1", "abc");
    });
    read([](StoreTx& tx) {
        EXPECT_EQ(tx.get_webhook("org_1", "whk_1").status().code(), StatusCode::kNotFound);
        EXPECT_EQ(tx.get_share_link("abc").status().code(), StatusCode::kNotFound);
        return Status::ok();
    });
}

TEST_P(StoreConformance, CallsAreLoggedListedPerOrganizationAndUpdated) {
    add_org("org_1", "acme");
    add_org("org_2", "globex");
    add_workflow("org_1", "wf_1");
    add_workflow("org_1", "wf_2");
    add_workflow("org_2", "wf_3");
    auto call = [](const std::string& id, const std::string& org, const std::string& wf,
                   const std::string& lead, TimeMs t) {
        CallRecord c;
        c.id = id;
        c.organization_id = org;
        c.workflow_id = wf;
        c.lead_id = lead;
        c.node_id = "n1";
        c.status = "in_progress";
        c.created_at = t;
        return c;
    };
    write([&](StoreTx& tx) {
        for (const CallRecord& c : {call("call_1", "org_1", "wf_1", "lead_1", 10),
                                    call("call_2", "org_1", "wf_1", "lead_2", 20),
                                    call("call_3", "org_1", "wf_2", "lead_3", 30),
                                    call("call_4", "org_2", "wf_3", "lead_4", 40)}) {
            if (Status s = tx.insert_call(c); !s) return s;
        }
        return Status::ok();
    });
    read([](StoreTx& tx) {
        CallQuery q;
        auto mine = tx.list_calls("org_1", q);
        EXPECT_EQ(mine->total, 3);
        for (const CallRecord& c : mine->items) EXPECT_EQ(c.organization_id, "org_1");
        q.workflow_id = "wf_1";
        EXPECT_EQ(tx.list_calls("org_1", q)->total, 2);
        q.lead_id = "lead_2";
        auto one = tx.list_calls("org_1", q);
        if (one->items.size() != 1u)
            return Status::internal("one->items.size(): " + std::to_string(one->items.size()));
        EXPECT_EQ(one->items[0].id, "call_2");
        CallQuery other;
        other.workflow_id = "wf_3";
        EXPECT_EQ(tx.list_calls("org_1", other)->total, 0);  // another organization's calls
        CallQuery paged;
        paged.limit = 2;
        paged.page = 2;
        auto p2 = tx.list_calls("org_1", paged);
        EXPECT_EQ(p2->total, 3);
        EXPECT_EQ(p2->items.size(), 1u);
        EXPECT_EQ(tx.live_calls_in_flight("wf_1").value(), 2);
        return Status::ok();
    });
    write([](StoreTx& tx) {
        auto c = tx.live_get_call("call_1");
        if (!c.ok()) return c.status();
        CallRecord done = c.value();
        done.status = "completed";
        done.outcome = "COMPLETED";
        done.end_reason = "hangup";
        done.duration_s = 12.5;
        done.analysis = Json{{"interested", true}};
        done.ended_at = 99;
        EXPECT_EQ(tx.live_get_call("call_none").status().code(), StatusCode::kNotFound);
        return tx.live_update_call(done);
    });
    read([](StoreTx& tx) {
        auto c = tx.live_get_call("call_1");
        EXPECT_EQ(c->status, "completed");
        EXPECT_EQ(c->outcome, std::optional<std::string>("COMPLETED"));
        EXPECT_EQ(c->end_reason, std::optional<std::string>("hangup"));
        EXPECT_EQ(c->duration_s, std::optional<double>(12.5));
        EXPECT_EQ(c->analysis, (Json{{"interested", true}}));
        EXPECT_EQ(c->ended_at, std::optional<TimeMs>(99));
        EXPECT_EQ(tx.live_calls_in_flight("wf_1").value(), 1);
        return Status::ok();
    });
}

TEST_P(StoreConformance, ABodyIgnoringAFailedWriteNeverLosesACommitSilently) {
    add_org("org_1", "acme");
    add_workflow("org_1", "wf_1");
    // A backend either keeps the body's other writes or fails the transaction whole; it never
    // reports a commit that kept nothing.
    Status st = store_->transact([](StoreTx& tx) {
        if (Status s = tx.insert_node("wf_1", make_node("n1", "a")); !s) return s;
        EXPECT_FALSE(tx.insert_node("wf_none", make_node("n2", "b")).is_ok());
        return Status::ok();
    });
    read([&](StoreTx& tx) {
        EXPECT_EQ(tx.list_nodes("wf_1")->size(), st.is_ok() ? 1u : 0u) << st.message();
        return Status::ok();
    });
    write([](StoreTx& tx) { return tx.insert_node("wf_1", make_node("n3", "c")); });
    read([](StoreTx& tx) {
        EXPECT_TRUE(tx.get_node("wf_1", "n3").ok());
        return Status::ok();
    });
}

TEST_P(StoreConformance, MetricsAreNamedAndDescribed) {
    for (const StoreMetric& m : store_->metrics()) {
        EXPECT_EQ(m.name.rfind("leadflow_", 0), 0u) << m.name;
        EXPECT_FALSE(m.help.empty()) << m.name;
        EXPECT_FALSE(m.samples.empty()) << m.name;
    }
}

}  // namespace
}  // namespace leadflow::server::conformance
