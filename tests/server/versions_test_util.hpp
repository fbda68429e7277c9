// tests/server/versions_test_util.hpp — LiveTest for workflow versions: small graphs with fixed
// node ids whose versions differ in one routing, leads inserted with fixed ids, publishing a
// draft, the exact converted share of a published version, and an audit of every finished lead.
//
// Leads get fixed ids because a sandbox call's result is drawn from its call id, which is
// derived from the lead id: with the scenario's fixed seed a failing run replays exactly.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "live_test_util.hpp"

namespace leadflow::server::testing {

// [SECTION] Graphs ({nodes, edges} for PUT …/graph)

Json call_node(const std::string& id, const std::string& label);
Json time_node(const std::string& id, double hours);
Json end_node(const std::string& id, const std::string& type);  // CONVERTED, DROPPED
Json edge(const std::string& id, const std::string& from, const std::string& to,
          const std::string& label = "");

// Outcomes of n_call1 (COMPLETED 0.30, NO_ANSWER 0.45, BUSY 0.10, VOICEMAIL 0.10, FAILED
// 0.05; calls of `call1_s` seconds) and n_call2 (COMPLETED 0.40, NO_ANSWER 0.35, …; 60 s), seed
// 20260105.
Json versions_scenario(double call1_s = 60);

// [n_wait (`wait_hours`; none when 0) →] n_call1: COMPLETED → n_won, otherwise → n_lost.
// Exact converted share 0.30.
Json one_call(double wait_hours);

// one_call, and NO_ANSWER → n_call2 (COMPLETED → n_won, otherwise → n_lost): a retry that a
// lead of one_call never gets. Exact converted share 0.30 + 0.45 × 0.40 = 0.48.
Json with_retry(double wait_hours);

// n_wait (1 h) → n_call1: COMPLETED → n_won, DNP → n_wait2 (24 h) → n_call2 (COMPLETED →
// n_won, otherwise → n_lost), otherwise → n_lost.
Json second_chance();

// The exact converted share of a published version as GET /v1/workflows/{id}/versions/{n}
// answers it (graph and scenario), for a lead entering at `entry` (default: the version's entry
// node); -1 (and a test failure) when it cannot be solved.
double exact_converted_share(const Json& version, const std::string& entry = "");

// [SECTION] Fixture

// What one finished lead did, read back through the API.
struct LeadRun {
    std::string status;
    std::int64_t version = 0;
    std::set<std::string> nodes;  // every node id of its history
    bool converted = false;
};

// LiveTest at time scale 100,000 (a day of waiting passes in 0.86 wall seconds).
class VersionsTest : public LiveTest {
  protected:
    void SetUp() override;

    // A draft workflow with `graph` and `scenario`; returns its id.
    std::string make_graph_workflow(const Json& graph, const Json& scenario);
    // Saves `graph` as the draft only and publishes it with `migrate`; returns the reply.
    Json publish(const std::string& wf, const Json& graph, const std::string& migrate);
    // `n` leads with ids PREFIX000000…, inserted as the enrolment route stores them (pending,
    // or active when the workflow is).
    std::vector<std::string> enrol_fixed(const std::string& wf, const std::string& prefix, int n);
    // Every item of a paginated list (`path` may have a query).
    std::vector<Json> all_pages(const std::string& path);
    // The leads as the API's list shows them now, by id.
    std::map<std::string, Json> leads_now(const std::string& wf);
    // The exact converted share of published version `n`, from its stored graph and scenario,
    // for a lead entering at `entry` (default: the version's entry node); -1 on failure.
    double exact_converted(const std::string& wf, int n, const std::string& entry = "");
    // Node ids of published version `n`.
    std::set<std::string> version_nodes(const std::string& wf, int n);
    // Runs until the workflow completes, then audits every lead: a terminal status, exactly one
    // terminal history row (the last one, matching the status, at completed_at), and each call
    // its history reports exactly once in the call log, ended, with the same outcome; and no
    // call of the workflow left in progress. Returns what each lead did.
    std::map<std::string, LeadRun> finish_and_audit(const std::string& wf);
    // The converted share of `ids` is within 4 standard errors of `p` (and printed).
    void expect_share(const std::map<std::string, LeadRun>& runs,
                      const std::vector<std::string>& ids, double p, const std::string& what);
    // Each of `ids` is at `node` in `phase` (the lead route shows the execution).
    void expect_phase(const std::string& wf, const std::vector<std::string>& ids,
                      const std::string& node, const std::string& phase);
};

}  // namespace leadflow::server::testing
