// server/store/pg_tx_workflows.cpp — PgTx (pg_internal.hpp).
#include "store/pg_internal.hpp"

namespace leadflow::server::pg_internal {

Status PgTx::insert_workflow(const Workflow& w) {
    return Status::internal("postgres: insert_workflow is not written yet");
}

Result<Workflow> PgTx::get_workflow(const std::string& org_id, const std::string& id) {
    return Status::internal("postgres: get_workflow is not written yet");
}

Result<bool> PgTx::has_workflow(const std::string& org_id, const std::string& id) {
    return Status::internal("postgres: has_workflow is not written yet");
}

Result<WorkflowCounts> PgTx::workflow_counts(const std::string& workflow_id) {
    return Status::internal("postgres: workflow_counts is not written yet");
}

Result<PageOf<Workflow>> PgTx::list_workflows(const std::string& org_id, const WorkflowQuery& q) {
    return Status::internal("postgres: list_workflows is not written yet");
}

Status PgTx::update_workflow(const Workflow& w) {
    return Status::internal("postgres: update_workflow is not written yet");
}

Status PgTx::delete_workflow(const std::string& workflow_id) {
    return Status::internal("postgres: delete_workflow is not written yet");
}

Result<Json> PgTx::get_scenario(const std::string& workflow_id) {
    return Status::internal("postgres: get_scenario is not written yet");
}

Status PgTx::put_scenario(const std::string& workflow_id, const Json& scenario) {
    return Status::internal("postgres: put_scenario is not written yet");
}

Status PgTx::set_workflow_problems(const std::string& workflow_id, const Json& problems) {
    return Status::internal("postgres: set_workflow_problems is not written yet");
}

Result<std::vector<std::pair<std::string, Json>>> PgTx::workflows_with_problems(
    const std::string& org_id) {
    return Status::internal("postgres: workflows_with_problems is not written yet");
}

Status PgTx::insert_version(const WorkflowVersion& v) {
    return Status::internal("postgres: insert_version is not written yet");
}

Result<WorkflowVersion> PgTx::get_version(const std::string& workflow_id, std::int64_t number) {
    return Status::internal("postgres: get_version is not written yet");
}

Result<PageOf<WorkflowVersion>> PgTx::list_versions(const std::string& workflow_id, int page,
                                                    int limit) {
    return Status::internal("postgres: list_versions is not written yet");
}

Result<std::vector<LeadVersionGroup>> PgTx::lead_version_groups(const std::string& workflow_id) {
    return Status::internal("postgres: lead_version_groups is not written yet");
}

Result<std::map<std::string, std::pair<std::int64_t, std::int64_t>>> PgTx::lead_versions(
    const std::string& workflow_id, const std::vector<std::string>& lead_ids) {
    return Status::internal("postgres: lead_versions is not written yet");
}

Result<std::vector<Node>> PgTx::list_nodes(const std::string& workflow_id) {
    return Status::internal("postgres: list_nodes is not written yet");
}

Result<Node> PgTx::get_node(const std::string& workflow_id, const std::string& id) {
    return Status::internal("postgres: get_node is not written yet");
}

Status PgTx::insert_node(const std::string& workflow_id, const Node& n) {
    return Status::internal("postgres: insert_node is not written yet");
}

Status PgTx::update_node(const std::string& workflow_id, const Node& n) {
    return Status::internal("postgres: update_node is not written yet");
}

Status PgTx::delete_node(const std::string& workflow_id, const std::string& id) {
    return Status::internal("postgres: delete_node is not written yet");
}

Result<std::vector<Edge>> PgTx::list_edges(const std::string& workflow_id) {
    return Status::internal("postgres: list_edges is not written yet");
}

Result<Edge> PgTx::get_edge(const std::string& workflow_id, const std::string& id) {
    return Status::internal("postgres: get_edge is not written yet");
}

Status PgTx::insert_edge(const std::string& workflow_id, const Edge& e) {
    return Status::internal("postgres: insert_edge is not written yet");
}

Status PgTx::update_edge(const std::string& workflow_id, const Edge& e) {
    return Status::internal("postgres: update_edge is not written yet");
}

Status PgTx::delete_edge(const std::string& workflow_id, const std::string& id) {
    return Status::internal("postgres: delete_edge is not written yet");
}

Status PgTx::replace_graph(const std::string& workflow_id, const std::vector<Node>& nodes,
                           const std::vector<Edge>& edges) {
    return Status::internal("postgres: replace_graph is not written yet");
}

}  // namespace leadflow::server::pg_internal
