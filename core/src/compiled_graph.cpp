// Graph compilation: dense indices, parsed configs and the edge choice routes per node.
#include "leadflow/compiled_graph.hpp"

#include <cmath>
#include <map>

namespace leadflow {

namespace {

const char* const kRouteLabelNames[kRouteLabelCount] = {
    "COMPLETED", "NO_ANSWER", "BUSY",    "VOICEMAIL", "FAILED",
    "TRUE",      "FALSE",     "SUCCESS", "FAILURE",   ""};

// The edge choice rule (docs/workflows.md#edges-and-the-edge-choice-rule): first edge with the
// specific label, else the family label, else the first unlabelled edge, else -1.
std::int32_t choose(const std::vector<CompiledEdge>& edges, const std::vector<std::int32_t>& out,
                    const std::string& specific, const char* family) {
    if (!specific.empty()) {
        for (std::int32_t e : out) {
            if (edges[static_cast<std::size_t>(e)].label_norm == specific) return e;
        }
    }
    if (family != nullptr) {
        for (std::int32_t e : out) {
            if (edges[static_cast<std::size_t>(e)].label_norm == family) return e;
        }
    }
    for (std::int32_t e : out) {
        if (edges[static_cast<std::size_t>(e)].label_norm.empty()) return e;
    }
    return -1;
}

std::string node_path(const Node& n) {
    return "node '" + n.id + "'";
}

}  // namespace

std::vector<ConfigFieldRef> config_field_refs(const Node& n) {
    std::vector<ConfigFieldRef> refs;
    if (n.type == NodeType::kTime) {
        auto t = parse_time_config(n.config);
        if (t.ok() && t->source == TimeSource::kPostcallAnalysis) {
            refs.push_back({"config.pca_field", t->pca_field, "call.analysis." + t->pca_field});
        }
    } else if (n.type == NodeType::kConditional) {
        auto cfg = parse_conditional_config(n.config);
        if (!cfg.ok()) return refs;
        if (cfg->switch_mode) {
            refs.push_back({"config.condition_field", cfg->condition_field, cfg->condition_field});
        } else {
            for (std::size_t k = 0; k < cfg->conditions.size(); ++k) {
                const std::string& field = cfg->conditions[k].field;
                refs.push_back(
                    {"config.conditions[" + std::to_string(k) + "].field", field, field});
            }
        }
    }
    return refs;
}

std::int32_t CompiledGraph::node_index(const std::string& id) const {
    for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
        if (graph_.nodes[i].id == id) return static_cast<std::int32_t>(i);
    }
    return -1;
}

const std::string& CompiledGraph::node_id(std::int32_t index) const {
    return graph_.nodes[static_cast<std::size_t>(index)].id;
}

const std::string& CompiledGraph::edge_id(std::int32_t index) const {
    return graph_.edges[static_cast<std::size_t>(index)].id;
}

std::int32_t CompiledGraph::route_dynamic(std::int32_t n, std::string_view label) const {
    const CompiledNode& node = nodes_[static_cast<std::size_t>(n)];
    const std::string_view want = trim_view(label);
    if (!want.empty()) {
        for (std::int32_t e : node.out) {
            const std::string& l = edges_[static_cast<std::size_t>(e)].label_norm;
            if (!l.empty() && iequals(l, want)) return e;
        }
    }
    return node.default_edge;
}

Result<CompiledGraph> compile_graph(const Graph& g) {
    CompiledGraph c;
    c.graph_ = g;
    std::map<std::string, std::int32_t> index;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        index.emplace(g.nodes[i].id, static_cast<std::int32_t>(i));
    }
    const std::optional<std::string> entry = resolve_entry_node(g);
    if (!entry) {
        return Status::precondition(
            g.nodes.empty() ? "the workflow has no nodes"
                            : "no entry node: set entry_node_id, or leave exactly one node "
                              "without incoming edges");
    }
    auto entry_it = index.find(*entry);
    if (entry_it == index.end()) {
        return Status::precondition("entry_node_id '" + *entry + "' names no node");
    }
    c.entry_ = entry_it->second;

    c.edges_.resize(g.edges.size());
    for (std::size_t i = 0; i < g.edges.size(); ++i) {
        const Edge& e = g.edges[i];
        CompiledEdge& ce = c.edges_[i];
        auto from = index.find(e.from_node_id);
        auto to = index.find(e.to_node_id);
        ce.from = from == index.end() ? -1 : from->second;
        ce.to = to == index.end() ? -1 : to->second;
        ce.label_norm = e.label ? normalize_label(*e.label) : std::string();
    }

    c.nodes_.resize(g.nodes.size());
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        CompiledNode& cn = c.nodes_[i];
        cn.type = n.type;
        for (std::size_t e : outgoing_edges(g, n.id)) {
            if (c.edges_[e].to >= 0) cn.out.push_back(static_cast<std::int32_t>(e));
        }
        for (int l = 0; l < kRouteLabelCount; ++l) {
            const char* family = nullptr;
            if (l < kCallOutcomeCount) family = family_label(static_cast<CallOutcome>(l));
            cn.route[static_cast<std::size_t>(l)] =
                choose(c.edges_, cn.out, kRouteLabelNames[l], family);
        }
        cn.default_edge = choose(c.edges_, cn.out, "", nullptr);
        switch (n.type) {
            case NodeType::kTime: {
                auto t = parse_time_config(n.config);
                if (!t.ok()) return Status::invalid(node_path(n) + " " + t.status().message());
                cn.time = *t;
                if (cn.time.source == TimeSource::kPostcallAnalysis) {
                    if (cn.time.pca_field.empty()) {
                        return Status::invalid(node_path(n) +
                                               " config.pca_field: required for "
                                               "time_source postcall_analysis");
                    }
                } else if (cn.time.duration_ms <= 0) {
                    return Status::invalid(node_path(n) +
                                           " config.duration_value: the duration must be > 0");
                }
                break;
            }
            case NodeType::kConditional: {
                auto cfg = parse_conditional_config(n.config);
                if (!cfg.ok()) {
                    return Status::invalid(node_path(n) + " " + cfg.status().message());
                }
                cn.switch_mode = cfg->switch_mode;
                cn.logic_or = cfg->logic_or;
                if (!cn.switch_mode) {
                    for (const Condition& cond : cfg->conditions) {
                        CompiledCondition cc;
                        cc.op = cond.op;
                        cc.value = std::string(trim_view(cond.value));
                        cc.value_number = parse_number(cc.value);
                        cn.conditions.push_back(std::move(cc));
                    }
                }
                break;
            }
            case NodeType::kSplit: {
                auto cfg = parse_split_config(n.config);
                if (!cfg.ok()) {
                    return Status::invalid(node_path(n) + " " + cfg.status().message());
                }
                if (cfg->branches.empty()) {
                    return Status::invalid(node_path(n) +
                                           " config.branches: a SPLIT needs at "
                                           "least one branch");
                }
                for (std::size_t b = 0; b < cfg->branches.size(); ++b) {
                    const SplitBranch& branch = cfg->branches[b];
                    if (!(branch.weight > 0) || !std::isfinite(branch.weight)) {
                        return Status::invalid(node_path(n) + " config.branches[" +
                                               std::to_string(b) +
                                               "].weight: must be a positive number");
                    }
                    cn.split_weights.push_back(branch.weight);
                    cn.split_labels.push_back(branch.label);
                    cn.split_edges.push_back(
                        c.route_dynamic(static_cast<std::int32_t>(i), branch.label));
                }
                break;
            }
            case NodeType::kVoiceCall:
                if (auto v = parse_voice_call_config(n.config); v.ok()) cn.call = std::move(*v);
                break;
            case NodeType::kApplication:
                if (auto a = parse_application_config(n.config); a.ok()) cn.action = std::move(*a);
                break;
            default:
                break;
        }
        // Field references, read the one way validate reads them too (config_field_refs).
        const std::vector<ConfigFieldRef> refs = config_field_refs(n);
        for (std::size_t k = 0; k < refs.size(); ++k) {
            auto ref = parse_field_ref(refs[k].path, c.field_names_);
            if (!ref.ok()) {
                return Status::invalid(node_path(n) + " " + refs[k].where + ": " +
                                       ref.status().message());
            }
            if (n.type == NodeType::kTime) {
                cn.pca_key = ref->key;
            } else if (cn.switch_mode) {
                cn.switch_field = *ref;
            } else {
                cn.conditions[k].field = *ref;
            }
        }
    }

    const Settings& s = g.workflow.settings;
    if (s.calling_window) {
        auto w = compile_window(s.calling_window);
        if (!w.ok()) {
            return Status::invalid("settings.calling_window: " + w.status().message());
        }
        c.window_ = *w;
    }
    auto hours = compile_call_hours(s);
    if (!hours.ok()) return hours.status();
    c.local_hours_ = *hours;
    if (s.max_concurrent_calls) {
        if (*s.max_concurrent_calls < 1) {
            return Status::invalid("settings.max_concurrent_calls: must be >= 1 or null");
        }
        c.max_concurrent_ = *s.max_concurrent_calls;
    }
    if (s.max_steps_per_lead < 1) {
        return Status::invalid("settings.max_steps_per_lead: must be >= 1");
    }
    c.max_steps_ = s.max_steps_per_lead;
    return c;
}

}  // namespace leadflow
