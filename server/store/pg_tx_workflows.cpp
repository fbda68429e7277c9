// server/store/pg_tx_workflows.cpp — PgTx (pg_internal.hpp): workflows, their published
// versions, and the nodes and edges of their draft graphs.
//
// Inserts skip a duplicate (ON CONFLICT DO NOTHING) and report it as kConflict, so that the
// transaction goes on as the contract allows (Query::exec_inserting). Nodes and edges carry a
// `seq` per workflow (the largest one + 1 at insertion): nodes are listed in that order, edges
// by position and then `seq`, their creation order.
#include "leadflow/wire.hpp"
#include "store/pg_internal.hpp"
#include "store/row_readers.hpp"

namespace leadflow::server::pg_internal {

// ---- workflows

Status PgTx::insert_workflow(const Workflow& w) {
    return q("INSERT INTO workflows(id, organization_id, title, description, status,"
             " entry_node_id, settings, extra, created_at, updated_at, activated_at, completed_at)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING")
        .bind(w.id)
        .bind(w.organization_id)
        .bind(w.title)
        .bind(w.description)
        .bind(to_string(w.status))
        .bind(w.entry_node_id)
        .bind(to_json(w.settings).dump())
        .bind(w.extra.dump())
        .bind(w.created_at.value_or(0))
        .bind(w.updated_at.value_or(0))
        .bind(w.activated_at)
        .bind(w.completed_at)
        .exec_inserting(1, "postgres: workflow " + w.id + " already exists");
}

const char* const kWorkflowColumns = rows::kWorkflowColumns;

Result<Workflow> read_workflow(const Row& r) {
    return rows::read_workflow(r);
}

Result<Workflow> PgTx::get_workflow(const std::string& org_id, const std::string& id) {
    return q(std::string("SELECT ") + kWorkflowColumns +
             " FROM workflows WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org_id)
        .one(read_workflow, "Workflow not found");
}

Result<bool> PgTx::has_workflow(const std::string& org_id, const std::string& id) {
    auto found = q("SELECT 1 FROM workflows WHERE id = $1 AND organization_id = $2")
                     .bind(id)
                     .bind(org_id)
                     .one([](const Row&) -> Result<bool> { return true; }, "");
    if (found.ok() || found.status().code() != StatusCode::kNotFound) return found;
    return false;
}

Result<std::pair<std::optional<LeadStatus>, std::int64_t>> read_status_count(const Row& r) {
    return rows::read_status_count(r);
}

Result<WorkflowCounts> PgTx::workflow_counts(const std::string& workflow_id) {
    WorkflowCounts c;
    for (LeadStatus st : all_lead_statuses()) c.lead_counts[st] = 0;
    auto graph = q("SELECT (SELECT count(*) FROM nodes WHERE workflow_id = $1),"
                   " (SELECT count(*) FROM edges WHERE workflow_id = $1)")
                     .bind(workflow_id)
                     .one(
                         [](const Row& r) -> Result<std::pair<std::int64_t, std::int64_t>> {
                             return std::make_pair(r.i64(0), r.i64(1));
                         },
                         "");
    if (!graph.ok()) return graph.status();
    c.node_count = graph->first;
    c.edge_count = graph->second;
    auto counts = q("SELECT status, n FROM lead_counts WHERE workflow_id = $1")
                      .bind(workflow_id)
                      .rows(read_status_count);
    if (!counts.ok()) return counts.status();
    for (const auto& [status, n] : counts.value()) {
        if (!status) continue;
        c.lead_counts[*status] = n;
        c.enrolled_leads += n;
    }
    return c;
}

Result<PageOf<Workflow>> PgTx::list_workflows(const std::string& org_id, const WorkflowQuery& wq) {
    const char* where =
        " FROM workflows WHERE organization_id = $1"
        " AND ($2::text IS NULL OR status = $2)"
        " AND ($3 = '' OR title ILIKE '%' || $3 || '%' ESCAPE '\\')";
    std::optional<std::string> status;
    if (wq.status) status = to_string(*wq.status);
    const std::string search = escape_like(wq.search);
    PageOf<Workflow> page;
    auto total = q(std::string("SELECT count(*)") + where)
                     .bind(org_id)
                     .bind(status)
                     .bind(search)
                     .single_i64();
    if (!total.ok()) return total.status();
    page.total = total.value();
    // Titles compare case-insensitively, byte by byte otherwise (whatever the database's
    // collation), as the SQLite store orders them.
    const char* order = wq.sort == WorkflowSort::kTitle       ? "lower(title) COLLATE \"C\""
                        : wq.sort == WorkflowSort::kUpdatedAt ? "updated_at"
                                                              : "created_at";
    const char* dir = wq.descending ? " DESC" : " ASC";
    auto items = q(std::string("SELECT ") + kWorkflowColumns + where + " ORDER BY " + order + dir +
                   ", seq" + dir + " LIMIT $4 OFFSET $5")
                     .bind(org_id)
                     .bind(status)
                     .bind(search)
                     .bind(wq.limit)
                     .bind(static_cast<std::int64_t>(wq.page - 1) * wq.limit)
                     .rows(read_workflow);
    if (!items.ok()) return items.status();
    page.items = std::move(items.value());
    return page;
}

Status PgTx::update_workflow(const Workflow& w) {
    return q("UPDATE workflows SET title = $1, description = $2, status = $3, entry_node_id = $4,"
             " settings = $5, extra = $6, updated_at = $7, activated_at = $8, completed_at = $9,"
             " problems = $10 WHERE id = $11")
        .bind(w.title)
        .bind(w.description)
        .bind(to_string(w.status))
        .bind(w.entry_node_id)
        .bind(to_json(w.settings).dump())
        .bind(w.extra.dump())
        .bind(w.updated_at.value_or(0))
        .bind(w.activated_at)
        .bind(w.completed_at)
        .bind(w.problems.is_array() ? w.problems.dump() : std::string("[]"))
        .bind(w.id)
        .exec_changing("Workflow not found");
}

Status PgTx::delete_workflow(const std::string& workflow_id) {
    // Nodes, edges, versions, leads, lead counts and variable keys cascade from the workflow
    // row; the leads' history and the calls have no foreign key (schema migration 4) and go
    // first.
    if (Status st = q("WITH calls_gone AS (DELETE FROM calls WHERE workflow_id = $1)"
                      " DELETE FROM history WHERE lead_id IN"
                      " (SELECT id FROM leads WHERE workflow_id = $1)")
                        .bind(workflow_id)
                        .exec();
        !st) {
        return st;
    }
    return q("DELETE FROM workflows WHERE id = $1")
        .bind(workflow_id)
        .exec_changing("Workflow not found");
}

Result<Json> PgTx::get_scenario(const std::string& workflow_id) {
    return q("SELECT scenario FROM workflows WHERE id = $1")
        .bind(workflow_id)
        .one(
            [](const Row& r) -> Result<Json> {
                if (r.is_null(0)) return Json();
                return parse_stored_json(r.text(0), "scenario");
            },
            "Workflow not found");
}

Status PgTx::put_scenario(const std::string& workflow_id, const Json& scenario) {
    return q("UPDATE workflows SET scenario = $1 WHERE id = $2")
        .bind(json_or_null(scenario))
        .bind(workflow_id)
        .exec();
}

Status PgTx::set_workflow_problems(const std::string& workflow_id, const Json& problems) {
    return q("UPDATE workflows SET problems = $1 WHERE id = $2")
        .bind(problems.is_array() ? problems.dump() : std::string("[]"))
        .bind(workflow_id)
        .exec_changing("Workflow not found");
}

Result<std::vector<std::pair<std::string, Json>>> PgTx::workflows_with_problems(
    const std::string& org_id) {
    return q("SELECT id, problems FROM workflows WHERE problems <> '[]'"
             " AND ($1 = '' OR organization_id = $1) ORDER BY seq")
        .bind(org_id)
        .rows([](const Row& r) -> Result<std::pair<std::string, Json>> {
            auto p = parse_stored_json(r.text(1), "workflow problems");
            if (!p.ok()) return p.status();
            return std::make_pair(r.text(0), std::move(p.value()));
        });
}

// ---- versions

Status PgTx::insert_version(const WorkflowVersion& v) {
    Json node_map = Json::object();
    for (const auto& [from, to] : v.node_map) node_map[from] = to;
    Status st =
        q("INSERT INTO workflow_versions(workflow_id, number, graph, scenario, migrate, node_map,"
          " note, published_by, node_count, edge_count, created_at)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING")
            .bind(v.workflow_id)
            .bind(v.number)
            .bind(to_json(v.graph).dump())
            .bind(json_or_null(v.scenario))
            .bind(to_string(v.migrate))
            .bind(node_map.dump())
            .bind(v.note)
            .bind(v.published_by)
            .bind(static_cast<std::int64_t>(v.graph.nodes.size()))
            .bind(static_cast<std::int64_t>(v.graph.edges.size()))
            .bind(v.created_at)
            .exec_inserting(1, "postgres: version " + std::to_string(v.number) + " of workflow " +
                                   v.workflow_id + " already exists");
    if (!st) return st;
    return q("UPDATE workflows SET published_version = $1 WHERE id = $2")
        .bind(v.number)
        .bind(v.workflow_id)
        .exec_changing("Workflow not found");
}

Result<WorkflowVersion> PgTx::get_version(const std::string& workflow_id, std::int64_t number) {
    return q(std::string("SELECT ") + rows::kVersionColumns +
             ", graph, scenario FROM workflow_versions WHERE workflow_id = $1 AND number = $2")
        .bind(workflow_id)
        .bind(number)
        .one(rows::read_version_graph<Row>, "Version not found");
}

Result<PageOf<WorkflowVersion>> PgTx::list_versions(const std::string& workflow_id, int page,
                                                    int limit) {
    PageOf<WorkflowVersion> out;
    auto n = q("SELECT count(*) FROM workflow_versions WHERE workflow_id = $1")
                 .bind(workflow_id)
                 .single_i64();
    if (!n.ok()) return n.status();
    out.total = n.value();
    auto items = q(std::string("SELECT ") + rows::kVersionColumns +
                   " FROM workflow_versions WHERE workflow_id = $1 ORDER BY number DESC"
                   " LIMIT $2 OFFSET $3")
                     .bind(workflow_id)
                     .bind(limit)
                     .bind(static_cast<std::int64_t>(page - 1) * limit)
                     .rows(rows::read_version<Row>);
    if (!items.ok()) return items.status();
    out.items = std::move(items.value());
    return out;
}

Result<std::vector<LeadVersionGroup>> PgTx::lead_version_groups(const std::string& workflow_id) {
    return q("SELECT version, version_seen, current_node_id, count(*) FROM leads"
             " WHERE workflow_id = $1 AND status IN ('pending', 'active')"
             " GROUP BY version, version_seen, current_node_id")
        .bind(workflow_id)
        .rows([](const Row& r) -> Result<LeadVersionGroup> {
            LeadVersionGroup g;
            g.version = r.opt_i64(0);
            g.seen = r.opt_i64(1);
            g.node_id = r.opt_text(2);
            g.count = r.i64(3);
            return g;
        });
}

Result<std::map<std::string, std::pair<std::int64_t, std::int64_t>>> PgTx::lead_versions(
    const std::string& workflow_id, const std::vector<std::string>& lead_ids) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> out;
    if (lead_ids.empty()) return out;
    auto found =
        q("SELECT id, version, coalesce(version_seen, version) FROM leads"
          " WHERE id = ANY($1::text[]) AND workflow_id = $2 AND version IS NOT NULL")
            .bind(text_array(lead_ids))
            .bind(workflow_id)
            .rows([](const Row& r)
                      -> Result<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> {
                return std::make_pair(r.text(0), std::make_pair(r.i64(1), r.i64(2)));
            });
    if (!found.ok()) return found.status();
    for (auto& [id, v] : found.value()) out[id] = v;
    return out;
}

// ---- nodes and edges

Result<std::vector<Node>> PgTx::list_nodes(const std::string& workflow_id) {
    return q(std::string("SELECT ") + rows::kNodeColumns +
             " FROM nodes WHERE workflow_id = $1 ORDER BY seq")
        .bind(workflow_id)
        .rows(rows::read_node<Row>);
}

Result<Node> PgTx::get_node(const std::string& workflow_id, const std::string& id) {
    return q(std::string("SELECT ") + rows::kNodeColumns +
             " FROM nodes WHERE workflow_id = $1 AND id = $2")
        .bind(workflow_id)
        .bind(id)
        .one(rows::read_node<Row>, "Node not found");
}

Status PgTx::insert_node(const std::string& workflow_id, const Node& n) {
    return q("INSERT INTO nodes(workflow_id, id, seq, node_type, label, position_x, position_y,"
             " config, extra) VALUES ($1, $2,"
             " (SELECT coalesce(max(seq), 0) + 1 FROM nodes WHERE workflow_id = $1),"
             " $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING")
        .bind(workflow_id)
        .bind(n.id)
        .bind(n.node_type_raw)
        .bind(n.label)
        .bind(n.position_x)
        .bind(n.position_y)
        .bind(n.config.dump())
        .bind(n.extra.dump())
        .exec_inserting(1, "postgres: node " + n.id + " already exists");
}

Status PgTx::update_node(const std::string& workflow_id, const Node& n) {
    return q("UPDATE nodes SET label = $1, position_x = $2, position_y = $3, config = $4,"
             " extra = $5 WHERE workflow_id = $6 AND id = $7")
        .bind(n.label)
        .bind(n.position_x)
        .bind(n.position_y)
        .bind(n.config.dump())
        .bind(n.extra.dump())
        .bind(workflow_id)
        .bind(n.id)
        .exec_changing("Node not found");
}

Status PgTx::delete_node(const std::string& workflow_id, const std::string& id) {
    return q("WITH gone AS (DELETE FROM edges WHERE workflow_id = $1"
             " AND (from_node_id = $2 OR to_node_id = $2))"
             " DELETE FROM nodes WHERE workflow_id = $1 AND id = $2")
        .bind(workflow_id)
        .bind(id)
        .exec_changing("Node not found");
}

Result<std::vector<Edge>> PgTx::list_edges(const std::string& workflow_id) {
    return q(std::string("SELECT ") + rows::kEdgeColumns +
             " FROM edges WHERE workflow_id = $1 ORDER BY position, seq")
        .bind(workflow_id)
        .rows(rows::read_edge<Row>);
}

Result<Edge> PgTx::get_edge(const std::string& workflow_id, const std::string& id) {
    return q(std::string("SELECT ") + rows::kEdgeColumns +
             " FROM edges WHERE workflow_id = $1 AND id = $2")
        .bind(workflow_id)
        .bind(id)
        .one(rows::read_edge<Row>, "Edge not found");
}

Status PgTx::insert_edge(const std::string& workflow_id, const Edge& e) {
    return q("INSERT INTO edges(workflow_id, id, seq, from_node_id, to_node_id, label, position,"
             " extra) VALUES ($1, $2,"
             " (SELECT coalesce(max(seq), 0) + 1 FROM edges WHERE workflow_id = $1),"
             " $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING")
        .bind(workflow_id)
        .bind(e.id)
        .bind(e.from_node_id)
        .bind(e.to_node_id)
        .bind(e.label)
        .bind(e.position)
        .bind(e.extra.dump())
        .exec_inserting(1, "postgres: edge " + e.id + " already exists");
}

Status PgTx::update_edge(const std::string& workflow_id, const Edge& e) {
    return q("UPDATE edges SET label = $1, position = $2, extra = $3"
             " WHERE workflow_id = $4 AND id = $5")
        .bind(e.label)
        .bind(e.position)
        .bind(e.extra.dump())
        .bind(workflow_id)
        .bind(e.id)
        .exec_changing("Edge not found");
}

Status PgTx::delete_edge(const std::string& workflow_id, const std::string& id) {
    return q("DELETE FROM edges WHERE workflow_id = $1 AND id = $2")
        .bind(workflow_id)
        .bind(id)
        .exec_changing("Edge not found");
}

Status PgTx::replace_graph(const std::string& workflow_id, const std::vector<Node>& nodes,
                           const std::vector<Edge>& edges) {
    Status st = q("WITH gone AS (DELETE FROM edges WHERE workflow_id = $1)"
                  " DELETE FROM nodes WHERE workflow_id = $1")
                    .bind(workflow_id)
                    .exec();
    if (!st) return st;
    // One statement per table, each row's seq its place in the list (the workflow has none
    // left), as insert_node / insert_edge one by one would number them.
    if (!nodes.empty()) {
        std::vector<std::string> ids, types, labels, xs, ys, configs, extras;
        for (const Node& n : nodes) {
            ids.push_back(n.id);
            types.push_back(n.node_type_raw);
            labels.push_back(n.label);
            xs.push_back(double_text(n.position_x));
            ys.push_back(double_text(n.position_y));
            configs.push_back(n.config.dump());
            extras.push_back(n.extra.dump());
        }
        st = q("INSERT INTO nodes(workflow_id, id, seq, node_type, label, position_x, position_y,"
               " config, extra) SELECT $1, u.id, u.seq, u.node_type, u.label, u.x, u.y, u.config,"
               " u.extra FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[],"
               " $6::float8[], $7::text[], $8::text[]) WITH ORDINALITY"
               " AS u(id, node_type, label, x, y, config, extra, seq) ON CONFLICT DO NOTHING")
                 .bind(workflow_id)
                 .bind(text_array(ids))
                 .bind(text_array(types))
                 .bind(text_array(labels))
                 .bind(text_array(xs))
                 .bind(text_array(ys))
                 .bind(text_array(configs))
                 .bind(text_array(extras))
                 .exec_inserting(static_cast<std::int64_t>(nodes.size()),
                                 "postgres: the graph has a node id twice");
        if (!st) return st;
    }
    if (!edges.empty()) {
        std::vector<std::string> ids, from, to, positions, extras;
        std::vector<std::optional<std::string>> labels;
        for (const Edge& e : edges) {
            ids.push_back(e.id);
            from.push_back(e.from_node_id);
            to.push_back(e.to_node_id);
            labels.push_back(e.label);
            positions.push_back(std::to_string(e.position));
            extras.push_back(e.extra.dump());
        }
        st = q("INSERT INTO edges(workflow_id, id, seq, from_node_id, to_node_id, label, position,"
               " extra) SELECT $1, u.id, u.seq, u.from_node_id, u.to_node_id, u.label, u.position,"
               " u.extra FROM unnest($2::text[], $3::text[], $4::text[], $5::text[],"
               " $6::bigint[], $7::text[]) WITH ORDINALITY"
               " AS u(id, from_node_id, to_node_id, label, position, extra, seq)"
               " ON CONFLICT DO NOTHING")
                 .bind(workflow_id)
                 .bind(text_array(ids))
                 .bind(text_array(from))
                 .bind(text_array(to))
                 .bind(nullable_text_array(labels))
                 .bind(text_array(positions))
                 .bind(text_array(extras))
                 .exec_inserting(static_cast<std::int64_t>(edges.size()),
                                 "postgres: the graph has an edge id twice");
        if (!st) return st;
    }
    return Status::ok();
}

}  // namespace leadflow::server::pg_internal
