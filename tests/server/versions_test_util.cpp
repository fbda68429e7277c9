// tests/server/versions_test_util.cpp — see versions_test_util.hpp.
#include "versions_test_util.hpp"

#include <cmath>
#include <cstdio>

#include "http/handler_util.hpp"
#include "leadflow/compiled_graph.hpp"
#include "leadflow/exact.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::server::testing {

// [SECTION] Graphs

Json call_node(const std::string& id, const std::string& label) {
    return Json{{"id", id},
                {"node_type", "VOICE_CALL"},
                {"label", label},
                {"config", Json{{"agent_id", "agent_1"}, {"from_phone_number", "+14155552671"}}}};
}
Json time_node(const std::string& id, double hours) {
    return Json{{"id", id},
                {"node_type", "TIME"},
                {"label", "Wait"},
                {"config", Json{{"duration_value", hours}, {"duration_unit", "hours"}}}};
}
Json end_node(const std::string& id, const std::string& type) {
    return Json{{"id", id}, {"node_type", type}, {"label", id}};
}
Json edge(const std::string& id, const std::string& from, const std::string& to,
          const std::string& label) {
    Json e{{"id", id}, {"from_node_id", from}, {"to_node_id", to}};
    if (!label.empty()) e["label"] = label;
    return e;
}

Json versions_scenario(double call1_s) {
    auto model = [](double completed, double no_answer, double seconds) {
        return Json{{"outcomes", Json{{"COMPLETED", completed},
                                      {"NO_ANSWER", no_answer},
                                      {"BUSY", 0.10},
                                      {"VOICEMAIL", 0.10},
                                      {"FAILED", 0.05}}},
                    {"call_duration_s", Json{{"mean", seconds}, {"sd", 0}}}};
    };
    return Json{{"version", 1},
                {"seed", 20260105},
                {"nodes", Json{{"n_call1", model(0.30, 0.45, call1_s)},
                               {"n_call2", model(0.40, 0.35, 60)}}}};
}

Json one_call(double wait_hours) {
    Json nodes = Json::array({call_node("n_call1", "Call"), end_node("n_won", "CONVERTED"),
                              end_node("n_lost", "DROPPED")});
    Json edges = Json::array(
        {edge("e_won1", "n_call1", "n_won", "COMPLETED"), edge("e_lost1", "n_call1", "n_lost")});
    if (wait_hours > 0) {
        nodes.push_back(time_node("n_wait", wait_hours));
        edges.push_back(edge("e_wait", "n_wait", "n_call1"));
    }
    return Json{{"nodes", nodes}, {"edges", edges}};
}

Json with_retry(double wait_hours) {
    Json g = one_call(wait_hours);
    g["nodes"].push_back(call_node("n_call2", "Retry"));
    g["edges"].push_back(edge("e_retry", "n_call1", "n_call2", "NO_ANSWER"));
    g["edges"].push_back(edge("e_won2", "n_call2", "n_won", "COMPLETED"));
    g["edges"].push_back(edge("e_lost2", "n_call2", "n_lost"));
    return g;
}

Json second_chance() {
    Json g = one_call(1);
    g["nodes"].push_back(time_node("n_wait2", 24));
    g["nodes"].push_back(call_node("n_call2", "Second chance"));
    g["edges"].push_back(edge("e_dnp", "n_call1", "n_wait2", "DNP"));
    g["edges"].push_back(edge("e_wait2", "n_wait2", "n_call2"));
    g["edges"].push_back(edge("e_won2", "n_call2", "n_won", "COMPLETED"));
    g["edges"].push_back(edge("e_lost2", "n_call2", "n_lost"));
    return g;
}

// [SECTION] Fixture

void VersionsTest::SetUp() {
    LiveTest::SetUp();
    live_config_.time_scale = 100000;
    restart_live();
}

std::string VersionsTest::make_graph_workflow(const Json& graph, const Json& scen) {
    std::string wf = make_workflow("Versions");
    Response r = put("/v1/workflows/" + wf + "/graph", graph);
    EXPECT_EQ(r.status, 200) << r.body;
    r = put("/v1/workflows/" + wf + "/scenario", scen);
    EXPECT_EQ(r.status, 200) << r.body;
    return wf;
}

Json VersionsTest::publish(const std::string& wf, const Json& graph, const std::string& migrate) {
    Response r = put("/v1/workflows/" + wf + "/graph?publish=false", graph);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(header_of(r, "X-Leadflow-Published"), "false");
    r = post("/v1/workflows/" + wf + "/publish", Json{{"migrate", migrate}});
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r);
}

std::vector<std::string> VersionsTest::enrol_fixed(const std::string& wf, const std::string& prefix,
                                                   int n) {
    std::vector<std::string> ids;
    Status st = store_->transact([&](StoreTx& tx) {
        auto w = tx.live_get_workflow(wf);
        if (!w.ok()) return w.status();
        std::vector<LeadRecord> records;
        for (int i = 0; i < n; ++i) {
            char id[64], phone[32];
            std::snprintf(id, sizeof id, "%s%06d", prefix.c_str(), i);
            std::snprintf(phone, sizeof phone, "+1415%07d", 2000000 + next_phone_++);
            LeadRecord r;
            r.lead.id = id;
            r.lead.workflow_id = wf;
            r.lead.phone_number = phone;
            r.lead.status =
                is_active_workflow(w->status) ? LeadStatus::kActive : LeadStatus::kPending;
            r.lead.created_at = r.lead.updated_at = now_;
            r.execution.phase = Phase::kEntering;
            r.execution.entered_at = now_;
            records.push_back(std::move(r));
            ids.push_back(id);
        }
        return tx.insert_leads(records);
    });
    EXPECT_TRUE(st.is_ok()) << st.message();
    return ids;
}

std::vector<Json> VersionsTest::all_pages(const std::string& path) {
    std::vector<Json> out;
    const char sep = path.find('?') == std::string::npos ? '?' : '&';
    for (int page = 1;; ++page) {
        Response r = get(path + sep + "page=" + std::to_string(page) + "&limit=100");
        EXPECT_EQ(r.status, 200) << r.body;
        Json b = body_of(r);
        for (const Json& item : b["data"]) out.push_back(item);
        if (r.status != 200 || page >= b["meta"]["totalPages"].get<int>()) break;
    }
    return out;
}

std::map<std::string, Json> VersionsTest::leads_now(const std::string& wf) {
    std::map<std::string, Json> out;
    for (Json& l : all_pages("/v1/workflows/" + wf + "/leads")) {
        out[l["id"].get<std::string>()] = l;
    }
    return out;
}

double VersionsTest::exact_converted(const std::string& wf, int n, const std::string& entry) {
    Json v = body_of(get("/v1/workflows/" + wf + "/versions/" + std::to_string(n)));
    v["workflow"]["title"] = "Version " + std::to_string(n);
    return exact_converted_share(v, entry);
}

double exact_converted_share(const Json& version, const std::string& entry) {
    Json w = version["workflow"];
    if (!w.contains("title") || !w["title"].is_string() || w["title"] == "") w["title"] = "Version";
    if (!entry.empty()) w["entry_node_id"] = entry;
    auto g = graph_from_json(
        Json{{"workflow", w}, {"nodes", version["nodes"]}, {"edges", version["edges"]}});
    EXPECT_TRUE(g.ok()) << g.status().message();
    if (!g.ok()) return -1;
    auto cg = compile_graph(g.value());
    EXPECT_TRUE(cg.ok()) << cg.status().message();
    if (!cg.ok()) return -1;
    auto sc = parse_scenario(version["scenario"]);
    EXPECT_TRUE(sc.ok()) << sc.status().message();
    if (!sc.ok()) return -1;
    ExactResult ex = solve_exact(cg.value(), bind_scenario(cg.value(), sc.value()));
    EXPECT_TRUE(ex.available) << ex.reason;
    return ex.completed;
}

std::set<std::string> VersionsTest::version_nodes(const std::string& wf, int n) {
    std::set<std::string> out;
    Json v = body_of(get("/v1/workflows/" + wf + "/versions/" + std::to_string(n)));
    for (const Json& node : v["nodes"]) out.insert(node["id"].get<std::string>());
    return out;
}

std::map<std::string, LeadRun> VersionsTest::finish_and_audit(const std::string& wf) {
    EXPECT_TRUE(run_until_status(wf, "completed", 50, 2000));
    std::map<std::string, std::map<std::string, std::string>> calls;  // lead → call → outcome
    std::set<std::string> call_ids;
    for (const Json& c : all_pages("/v1/calls?workflow_id=" + wf)) {
        const std::string id = c["id"].get<std::string>();
        EXPECT_TRUE(call_ids.insert(id).second) << "call listed twice: " << id;
        EXPECT_NE(c["status"], "in_progress") << c.dump();
        EXPECT_TRUE(c["outcome"].is_string()) << c.dump();
        calls[c["lead_id"].get<std::string>()][id] =
            c["outcome"].is_string() ? c["outcome"].get<std::string>() : "";
    }
    static const std::map<std::string, std::string> kTerminalRow{
        {"completed", "converted"}, {"dropped", "dropped"}, {"failed", "failed"}};
    std::map<std::string, LeadRun> out;
    int audited = 0;
    for (const auto& [id, l] : leads_now(wf)) {
        LeadRun run;
        run.status = l["status"].get<std::string>();
        run.version = l.value("version", std::int64_t{0});
        auto terminal = kTerminalRow.find(run.status);
        EXPECT_NE(terminal, kTerminalRow.end()) << l.dump();
        EXPECT_TRUE(l["completed_at"].is_string()) << l.dump();
        Json h = history(wf, id);
        int terminal_rows = 0;
        std::map<std::string, std::string> results;  // call id → outcome
        for (const Json& e : h) {
            run.nodes.insert(e["node_id"].get<std::string>());
            const std::string s = e["status"].get<std::string>();
            if (s == "converted" || s == "dropped" || s == "failed") {
                ++terminal_rows;
                EXPECT_EQ(e["started_at"], l["completed_at"]) << id << ": " << h.dump();
            }
            if (e["outcome"].is_string() && e["call_id"].is_string()) {
                const std::string call = e["call_id"].get<std::string>();
                EXPECT_TRUE(results.emplace(call, e["outcome"].get<std::string>()).second)
                    << id << ": two results for " << call << ": " << h.dump();
            }
        }
        EXPECT_EQ(terminal_rows, 1) << id << ": " << h.dump();
        if (terminal != kTerminalRow.end() && !h.empty()) {
            EXPECT_EQ(h.back()["status"], terminal->second) << id << ": " << h.dump();
        }
        EXPECT_EQ(results, calls[id]) << id << ": history " << h.dump();
        run.converted = run.status == "completed";
        out[id] = std::move(run);
        ++audited;
    }
    EXPECT_EQ(audited, workflow(wf)["enrolled_leads"].get<int>());
    return out;
}

void VersionsTest::expect_share(const std::map<std::string, LeadRun>& runs,
                                const std::vector<std::string>& ids, double p,
                                const std::string& what) {
    int converted = 0;
    for (const std::string& id : ids) converted += runs.at(id).converted;
    const double n = static_cast<double>(ids.size());
    const double share = converted / n, se = std::sqrt(p * (1 - p) / n);
    std::printf("%s: %d leads, converted %.4f, exact %.4f (%.2f standard errors)\n", what.c_str(),
                static_cast<int>(ids.size()), share, p, se > 0 ? std::fabs(share - p) / se : 0.0);
    EXPECT_LE(std::fabs(share - p), 4 * se + 1e-9)
        << what << ": converted " << share << ", exact " << p;
}

void VersionsTest::expect_phase(const std::string& wf, const std::vector<std::string>& ids,
                                const std::string& node, const std::string& phase) {
    for (const std::string& id : ids) {
        Json l = lead(wf, id);
        ASSERT_EQ(l["current_node_id"], node) << l.dump();
        ASSERT_EQ(l["execution"]["phase"], phase) << l.dump();
    }
}

}  // namespace leadflow::server::testing
