// Graph validation (docs/workflows.md#validation-codes). Index:
//   [SECTION] Codes and helpers
//   [SECTION] Graph-level checks (nodes, entry, edges)
//   [SECTION] Node checks (configs, outgoing edges, outcomes)
//   [SECTION] Reachability and cycles
#include "leadflow/validate.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/conditions.hpp"
#include "leadflow/node_config.hpp"

namespace leadflow {

// [SECTION] Codes and helpers

const std::vector<std::string>& all_error_codes() {
    static const std::vector<std::string> codes = {"NO_NODES",
                                                   "NO_ENTRY_NODE",
                                                   "AMBIGUOUS_ENTRY_NODE",
                                                   "ENTRY_NODE_NOT_FOUND",
                                                   "EDGE_DANGLING",
                                                   "DUPLICATE_EDGE",
                                                   "MISSING_OUTGOING_EDGE",
                                                   "TERMINAL_HAS_OUTGOING_EDGE",
                                                   "VOICE_CALL_MISSING_AGENT",
                                                   "VOICE_CALL_MISSING_PHONE",
                                                   "INVALID_PHONE_NUMBER",
                                                   "TIME_INVALID_DURATION",
                                                   "CONDITION_INVALID",
                                                   "APPLICATION_MISSING_ACTION",
                                                   "ZERO_TIME_CYCLE",
                                                   "UNKNOWN_NODE_TYPE",
                                                   "INVALID_CONDITION_FIELD",
                                                   "SPLIT_NO_BRANCHES",
                                                   "SPLIT_INVALID_BRANCH",
                                                   "SPLIT_INVALID_WEIGHT",
                                                   "SPLIT_BRANCH_WITHOUT_EDGE",
                                                   "SPLIT_EDGE_UNKNOWN_BRANCH"};
    return codes;
}

const std::vector<std::string>& all_warning_codes() {
    static const std::vector<std::string> codes = {
        "UNREACHABLE_NODE", "NO_TERMINAL_REACHABLE", "UNHANDLED_OUTCOME",
        "DEFAULT_EDGE_SHADOWS_LABELS", "UNKNOWN_EDGE_LABEL"};
    return codes;
}

bool is_e164_syntax(std::string_view phone) {
    if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+') return false;
    if (phone[1] == '0') return false;
    for (std::size_t i = 1; i < phone.size(); ++i) {
        if (phone[i] < '0' || phone[i] > '9') return false;
    }
    return true;
}

bool is_valid(const std::vector<Diagnostic>& diags) {
    return std::none_of(diags.begin(), diags.end(),
                        [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

Json to_json(const Diagnostic& d) {
    Json j = Json::object();
    j["severity"] = to_string(d.severity);
    j["code"] = d.code;
    j["message"] = d.message;
    if (d.node_id) j["node_id"] = *d.node_id;
    if (d.edge_id) j["edge_id"] = *d.edge_id;
    return j;
}

Json validation_report_json(const std::vector<Diagnostic>& diags) {
    Json errors = Json::array(), warnings = Json::array();
    for (const Diagnostic& d : diags) {
        (d.severity == Severity::kError ? errors : warnings).push_back(to_json(d));
    }
    Json j = Json::object();
    j["valid"] = errors.empty();
    j["errors"] = std::move(errors);
    j["warnings"] = std::move(warnings);
    return j;
}

namespace {

// "Call lead (node_1)": how messages name a node.
std::string describe(const Node& n) {
    const std::string type = n.node_type_raw.empty() ? to_string(n.type) : n.node_type_raw;
    if (n.label.empty()) return type + " node '" + n.id + "'";
    return type + " node '" + n.label + "' (" + n.id + ")";
}

std::string describe(const Edge& e) {
    std::string s = "edge '" + e.id + "' (" + e.from_node_id + " → " + e.to_node_id;
    if (!is_unlabelled(e)) s += ", label '" + *e.label + "'";
    return s + ")";
}

class Validator {
  public:
    explicit Validator(const Graph& g) : g_(g) {
        for (std::size_t i = 0; i < g.nodes.size(); ++i) index_[g.nodes[i].id] = i;
        out_.resize(g.nodes.size());
        for (std::size_t i = 0; i < g.edges.size(); ++i) {
            const Edge& e = g.edges[i];
            auto f = index_.find(e.from_node_id), t = index_.find(e.to_node_id);
            if (f != index_.end() && t != index_.end()) out_[f->second].push_back(i);
        }
        for (auto& list : out_) {
            std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
                return g.edges[a].position < g.edges[b].position;
            });
        }
    }

    std::vector<Diagnostic> run() {
        if (g_.nodes.empty()) {
            error("NO_NODES", "The workflow has no nodes; add at least a start node.");
            return std::move(diags_);
        }
        check_entry();
        check_edges();
        for (std::size_t i = 0; i < g_.nodes.size(); ++i) check_node(i);
        check_zero_time_cycles();
        check_reachability();
        return std::move(diags_);
    }

  private:
    void add(Severity s, const char* code, std::string message,
             std::optional<std::string> node = std::nullopt,
             std::optional<std::string> edge = std::nullopt) {
        diags_.push_back(Diagnostic{s, code, std::move(message), std::move(node), std::move(edge)});
    }
    void error(const char* code, std::string m, std::optional<std::string> node = std::nullopt,
               std::optional<std::string> edge = std::nullopt) {
        add(Severity::kError, code, std::move(m), std::move(node), std::move(edge));
    }
    void warning(const char* code, std::string m, std::optional<std::string> node = std::nullopt,
                 std::optional<std::string> edge = std::nullopt) {
        add(Severity::kWarning, code, std::move(m), std::move(node), std::move(edge));
    }

    // [SECTION] Graph-level checks (nodes, entry, edges)

    void check_entry() {
        const auto& entry = g_.workflow.entry_node_id;
        if (entry && !entry->empty()) {
            if (!index_.count(*entry)) {
                error("ENTRY_NODE_NOT_FOUND",
                      "entry_node_id '" + *entry + "' names no node of this workflow.", *entry);
            } else {
                entry_ = index_[*entry];
            }
            return;
        }
        std::vector<bool> incoming(g_.nodes.size(), false);
        for (const auto& list : out_) {
            for (std::size_t e : list) incoming[index_.at(g_.edges[e].to_node_id)] = true;
        }
        std::vector<std::size_t> candidates;
        for (std::size_t i = 0; i < g_.nodes.size(); ++i) {
            if (!incoming[i]) candidates.push_back(i);
        }
        if (candidates.empty()) {
            error("NO_ENTRY_NODE",
                  "No node is without incoming edges, so the start is unclear; set "
                  "entry_node_id.");
        } else if (candidates.size() > 1) {
            std::string names;
            for (std::size_t c : candidates) {
                names += (names.empty() ? "" : ", ") + g_.nodes[c].id;
            }
            error("AMBIGUOUS_ENTRY_NODE", std::to_string(candidates.size()) +
                                              " nodes have no incoming edges (" + names +
                                              "); set entry_node_id to choose where leads start.");
        } else {
            entry_ = candidates[0];
        }
    }

    void check_edges() {
        std::set<std::tuple<std::string, std::string, std::string>> seen;
        for (const Edge& e : g_.edges) {
            const bool from_ok = index_.count(e.from_node_id) > 0;
            const bool to_ok = index_.count(e.to_node_id) > 0;
            if (!from_ok || !to_ok) {
                error("EDGE_DANGLING",
                      describe(e) + " points to a missing node '" +
                          (from_ok ? e.to_node_id : e.from_node_id) + "'.",
                      std::nullopt, e.id);
                continue;
            }
            const std::string label = is_unlabelled(e) ? "" : normalize_label(*e.label);
            if (!seen.insert({e.from_node_id, e.to_node_id, label}).second) {
                error("DUPLICATE_EDGE",
                      describe(e) +
                          " duplicates another edge with the same "
                          "source, target and label.",
                      e.from_node_id, e.id);
            }
        }
    }

    // [SECTION] Node checks (configs, outgoing edges, outcomes)

    // The labels a node emits (normalized), or empty when it emits only the default.
    static std::vector<std::string> emitted_labels(const Node& n, const ConditionalConfig* cc) {
        switch (n.type) {
            case NodeType::kVoiceCall:
                return {"COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED", "DNP"};
            case NodeType::kConditional:
                if (cc && cc->switch_mode) {
                    std::vector<std::string> out;
                    for (const auto& b : cc->branches) out.push_back(normalize_label(b));
                    return out;
                }
                return {"TRUE", "FALSE"};
            case NodeType::kApplication:
                return {"SUCCESS", "FAILURE"};
            default:
                return {};
        }
    }

    // True when an outcome with specific label S (and family F) finds an edge: one labelled S, else
    // F, else an unlabelled default.
    bool handled(std::size_t node, const std::string& specific, const char* family) const {
        for (std::size_t e : out_[node]) {
            const Edge& edge = g_.edges[e];
            if (is_unlabelled(edge)) return true;
            const std::string l = normalize_label(*edge.label);
            if (l == specific || (family && l == family)) return true;
        }
        return false;
    }

    void check_node(std::size_t i) {
        const Node& n = g_.nodes[i];
        const std::string name = describe(n);
        const auto& out = out_[i];
        if (n.type == NodeType::kUnknown) {
            error("UNKNOWN_NODE_TYPE",
                  name + " has a node type this version cannot run ('" + n.node_type_raw + "').",
                  n.id);
            return;
        }
        if (is_terminal(n.type)) {
            for (std::size_t e : out) {
                error("TERMINAL_HAS_OUTGOING_EDGE",
                      name + " is terminal but has outgoing " + describe(g_.edges[e]) + ".", n.id,
                      g_.edges[e].id);
            }
            return;
        }
        if (out.empty()) {
            error("MISSING_OUTGOING_EDGE",
                  name + " has no outgoing edge; leads reaching it would be stuck.", n.id);
        }
        if (n.type == NodeType::kSplit) {
            check_split(i, name);
            return;
        }
        std::optional<ConditionalConfig> cond;
        switch (n.type) {
            case NodeType::kVoiceCall:
                check_voice_call(n, name);
                break;
            case NodeType::kTime:
                check_time(n, name);
                break;
            case NodeType::kConditional:
                cond = check_conditional(n, name);
                break;
            case NodeType::kApplication:
                check_application(n, name);
                break;
            default:
                break;
        }
        check_field_refs(n, name);
        if (out.empty()) return;
        check_outcomes(i, name, cond ? &*cond : nullptr);
    }

    // Every field reference the graph compiler parses, parsed the same way (config_field_refs
    // + parse_field_ref), so a node validate accepts never fails compile_graph on a field.
    // Empty references are reported by the node's own checks (CONDITION_INVALID,
    // TIME_INVALID_DURATION), once.
    void check_field_refs(const Node& n, const std::string& name) {
        std::vector<std::string> names;
        for (const ConfigFieldRef& ref : config_field_refs(n)) {
            if (ref.field.empty()) continue;
            auto parsed = parse_field_ref(ref.path, names);
            if (!parsed.ok()) {
                error("INVALID_CONDITION_FIELD",
                      name + ": " + ref.where + ": " + parsed.status().message(), n.id);
            }
        }
    }

    void check_voice_call(const Node& n, const std::string& name) {
        auto cfg = parse_voice_call_config(n.config);
        if (!cfg.ok()) {
            error("VOICE_CALL_MISSING_AGENT", name + ": " + cfg.status().message(), n.id);
            return;
        }
        if (cfg->agent_id.empty()) {
            error("VOICE_CALL_MISSING_AGENT", name + " has no agent_id.", n.id);
        }
        if (cfg->from_phone_number.empty()) {
            error("VOICE_CALL_MISSING_PHONE", name + " has no from_phone_number.", n.id);
        } else if (!is_e164_syntax(cfg->from_phone_number)) {
            error("INVALID_PHONE_NUMBER",
                  name + ": from_phone_number '" + cfg->from_phone_number +
                      "' is not E.164 (+ and 8–15 digits, e.g. +14155550100).",
                  n.id);
        }
    }

    void check_time(const Node& n, const std::string& name) {
        auto cfg = parse_time_config(n.config);
        if (!cfg.ok()) {
            error("TIME_INVALID_DURATION", name + ": " + cfg.status().message(), n.id);
        } else if (cfg->source == TimeSource::kPostcallAnalysis) {
            if (cfg->pca_field.empty()) {
                error("TIME_INVALID_DURATION",
                      name + " releases at a post-call-analysis time but names no pca_field.",
                      n.id);
            }
        } else if (cfg->duration_ms <= 0) {
            error("TIME_INVALID_DURATION",
                  name + " needs duration_value > 0 with duration_unit minutes, hours or days.",
                  n.id);
        }
    }

    std::optional<ConditionalConfig> check_conditional(const Node& n, const std::string& name) {
        auto cfg = parse_conditional_config(n.config);
        if (!cfg.ok()) {
            error("CONDITION_INVALID", name + ": " + cfg.status().message(), n.id);
            return std::nullopt;
        }
        if (cfg->switch_mode) {
            if (cfg->condition_field.empty()) {
                error("CONDITION_INVALID", name + ": switch mode needs a condition_field.", n.id);
            }
        } else if (cfg->conditions.empty()) {
            error("CONDITION_INVALID", name + " has no conditions.", n.id);
        } else {
            for (std::size_t c = 0; c < cfg->conditions.size(); ++c) {
                if (cfg->conditions[c].field.empty()) {
                    error("CONDITION_INVALID",
                          name + ": condition " + std::to_string(c + 1) + " has an empty field.",
                          n.id);
                }
            }
        }
        return std::move(cfg).value();
    }

    // SPLIT (a Leadflow extension): at least one branch, each with a unique non-empty label, a
    // positive weight and an edge carrying its label; every outgoing edge names a branch (an
    // unlabelled edge would never be taken by design, so it is refused too).
    void check_split(std::size_t i, const std::string& name) {
        const Node& n = g_.nodes[i];
        auto cfg = parse_split_config(n.config);
        if (!cfg.ok()) {
            error("SPLIT_INVALID_BRANCH", name + ": " + cfg.status().message(), n.id);
            return;
        }
        if (cfg->branches.empty()) {
            error("SPLIT_NO_BRANCHES",
                  name +
                      " has no branches; list them in config.branches as "
                      "{\"label\", \"weight\"}.",
                  n.id);
            return;
        }
        std::set<std::string> labels;
        for (std::size_t b = 0; b < cfg->branches.size(); ++b) {
            const SplitBranch& branch = cfg->branches[b];
            const std::string where = name + ": branch " + std::to_string(b + 1);
            const std::string label = normalize_label(branch.label);
            if (label.empty()) {
                error("SPLIT_INVALID_BRANCH", where + " has no label.", n.id);
            } else if (!labels.insert(label).second) {
                error("SPLIT_INVALID_BRANCH",
                      where + " repeats the label '" + branch.label +
                          "' (labels are compared trimmed and case-insensitively).",
                      n.id);
            }
            if (std::isnan(branch.weight)) {
                error("SPLIT_INVALID_WEIGHT", where + " needs a weight that is a number.", n.id);
            } else if (!(branch.weight > 0) || !std::isfinite(branch.weight)) {
                error("SPLIT_INVALID_WEIGHT", where + " needs a weight greater than 0.", n.id);
            }
        }
        const auto& out = out_[i];
        if (out.empty()) return;  // MISSING_OUTGOING_EDGE says it
        std::set<std::string> with_edge;
        for (std::size_t e : out) {
            const Edge& edge = g_.edges[e];
            const std::string l = is_unlabelled(edge) ? "" : normalize_label(*edge.label);
            if (l.empty() || !labels.count(l)) {
                error("SPLIT_EDGE_UNKNOWN_BRANCH",
                      describe(edge) + ": " + name +
                          (l.empty() ? " has no default edge: label the edge with a branch."
                                     : " has no branch '" + *edge.label + "'."),
                      n.id, edge.id);
            } else {
                with_edge.insert(l);
            }
        }
        for (const SplitBranch& branch : cfg->branches) {
            const std::string l = normalize_label(branch.label);
            if (!l.empty() && !with_edge.count(l)) {
                error("SPLIT_BRANCH_WITHOUT_EDGE",
                      name + ": branch '" + branch.label +
                          "' has no edge labelled with it; its leads would be stuck.",
                      n.id);
                with_edge.insert(l);  // once per label
            }
        }
    }

    void check_application(const Node& n, const std::string& name) {
        auto cfg = parse_application_config(n.config);
        if (!cfg.ok()) {
            error("APPLICATION_MISSING_ACTION", name + ": " + cfg.status().message(), n.id);
            return;
        }
        if (cfg->provider_key.empty()) {
            error("APPLICATION_MISSING_ACTION", name + " has no provider_key (e.g. webhook).",
                  n.id);
        } else if (cfg->provider_key == "webhook") {
            const Json& ac = cfg->action_config;
            if (!ac.contains("url") || !ac["url"].is_string() ||
                ac["url"].get<std::string>().empty()) {
                error("APPLICATION_MISSING_ACTION",
                      name + ": the webhook action needs action_config.url.", n.id);
            }
            if (Status s = check_webhook_request(ac); !s) {
                error("APPLICATION_MISSING_ACTION", name + ": " + s.message(), n.id);
            }
        } else if (cfg->action_key.empty()) {
            error("APPLICATION_MISSING_ACTION", name + " has no action_key.", n.id);
        }
    }

    void check_outcomes(std::size_t i, const std::string& name, const ConditionalConfig* cc) {
        const Node& n = g_.nodes[i];
        const auto& out = out_[i];
        const std::vector<std::string> emitted = emitted_labels(n, cc);
        const bool switch_mode = cc && cc->switch_mode;
        // Labels the source never emits (a switch without listed branches accepts any value).
        for (std::size_t e : out) {
            const Edge& edge = g_.edges[e];
            if (is_unlabelled(edge)) continue;
            const std::string l = normalize_label(*edge.label);
            const bool known = std::find(emitted.begin(), emitted.end(), l) != emitted.end();
            if (!known && !(switch_mode && cc->branches.empty())) {
                std::string expected;
                for (const auto& x : emitted) expected += (expected.empty() ? "" : ", ") + x;
                warning("UNKNOWN_EDGE_LABEL",
                        describe(edge) + ": " + name + " never emits '" + *edge.label + "'" +
                            (expected.empty() ? " (it has one unlabelled output)."
                                              : " (it emits " + expected + ")."),
                        n.id, edge.id);
            }
        }
        // A default edge placed before labelled ones on a branching node.
        if (!emitted.empty()) {
            bool seen_default = false;
            for (std::size_t e : out) {
                const Edge& edge = g_.edges[e];
                if (is_unlabelled(edge)) {
                    seen_default = true;
                } else if (seen_default) {
                    warning("DEFAULT_EDGE_SHADOWS_LABELS",
                            name + ": an unlabelled (default) edge comes before labelled " +
                                describe(edge) +
                                " in edge order; labels are still matched "
                                "first, but the order reads misleadingly.",
                            n.id, edge.id);
                    break;
                }
            }
        }
        // Outcomes with nowhere to go.
        std::vector<std::string> missing;
        if (n.type == NodeType::kVoiceCall) {
            for (CallOutcome o :
                 {CallOutcome::kCompleted, CallOutcome::kNoAnswer, CallOutcome::kBusy,
                  CallOutcome::kVoicemail, CallOutcome::kFailed}) {
                if (!handled(i, to_string(o), family_label(o))) missing.push_back(to_string(o));
            }
        } else if (n.type == NodeType::kConditional) {
            if (switch_mode) {
                for (const auto& b : cc->branches) {
                    if (!handled(i, normalize_label(b), nullptr)) missing.push_back(b);
                }
            } else {
                for (const char* o : {"TRUE", "FALSE"}) {
                    if (!handled(i, o, nullptr)) missing.push_back(o);
                }
            }
        } else if (n.type == NodeType::kApplication) {
            if (!handled(i, "FAILURE", nullptr)) missing.push_back("FAILURE");
        }
        if (!missing.empty()) {
            std::string list;
            for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
            warning("UNHANDLED_OUTCOME",
                    name + " has no edge for outcome " + list +
                        " and no default edge; such leads would be stuck.",
                    n.id);
        }
    }

    // [SECTION] Reachability and cycles

    // Cycles made only of instantaneous nodes (CONDITIONAL, APPLICATION, unknown): a lead
    // would loop forever at one instant. Tarjan's strongly connected components.
    void check_zero_time_cycles() {
        const std::size_t n = g_.nodes.size();
        auto instantaneous = [&](std::size_t i) {
            const NodeType t = g_.nodes[i].type;
            return t != NodeType::kTime && t != NodeType::kVoiceCall && !is_terminal(t);
        };
        std::vector<int> idx(n, -1), low(n, 0);
        std::vector<bool> on(n, false);
        std::vector<std::size_t> stack;
        int counter = 0;
        std::function<void(std::size_t)> strong = [&](std::size_t v) {
            idx[v] = low[v] = counter++;
            stack.push_back(v);
            on[v] = true;
            for (std::size_t e : out_[v]) {
                const std::size_t w = index_.at(g_.edges[e].to_node_id);
                if (!instantaneous(w)) continue;
                if (idx[w] < 0) {
                    strong(w);
                    low[v] = std::min(low[v], low[w]);
                } else if (on[w]) {
                    low[v] = std::min(low[v], idx[w]);
                }
            }
            if (low[v] != idx[v]) return;
            std::vector<std::size_t> comp;
            std::size_t w;
            do {
                w = stack.back();
                stack.pop_back();
                on[w] = false;
                comp.push_back(w);
            } while (w != v);
            bool cyclic = comp.size() > 1;
            if (!cyclic) {
                for (std::size_t e : out_[v]) cyclic |= g_.edges[e].to_node_id == g_.nodes[v].id;
            }
            if (!cyclic) return;
            std::sort(comp.begin(), comp.end());
            std::string names;
            for (std::size_t c : comp) names += (names.empty() ? "" : " → ") + g_.nodes[c].id;
            error("ZERO_TIME_CYCLE",
                  "A cycle without a TIME or VOICE_CALL node (" + names +
                      ") would loop forever at one instant.",
                  g_.nodes[comp.front()].id);
        };
        for (std::size_t i = 0; i < n; ++i) {
            if (instantaneous(i) && idx[i] < 0) strong(i);
        }
    }

    void check_reachability() {
        const std::size_t n = g_.nodes.size();
        if (entry_) {
            std::vector<bool> seen(n, false);
            std::vector<std::size_t> todo = {*entry_};
            seen[*entry_] = true;
            while (!todo.empty()) {
                const std::size_t v = todo.back();
                todo.pop_back();
                for (std::size_t e : out_[v]) {
                    const std::size_t w = index_.at(g_.edges[e].to_node_id);
                    if (!seen[w]) seen[w] = true, todo.push_back(w);
                }
            }
            for (std::size_t i = 0; i < n; ++i) {
                if (!seen[i]) {
                    warning("UNREACHABLE_NODE",
                            describe(g_.nodes[i]) + " cannot be reached from the entry node.",
                            g_.nodes[i].id);
                }
            }
        }
        // Reverse search from every terminal.
        std::vector<std::vector<std::size_t>> in(n);
        for (std::size_t v = 0; v < n; ++v) {
            for (std::size_t e : out_[v]) in[index_.at(g_.edges[e].to_node_id)].push_back(v);
        }
        std::vector<bool> reaches(n, false);
        std::vector<std::size_t> todo;
        for (std::size_t i = 0; i < n; ++i) {
            if (is_terminal(g_.nodes[i].type)) reaches[i] = true, todo.push_back(i);
        }
        while (!todo.empty()) {
            const std::size_t v = todo.back();
            todo.pop_back();
            for (std::size_t u : in[v]) {
                if (!reaches[u]) reaches[u] = true, todo.push_back(u);
            }
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (!reaches[i]) {
                warning("NO_TERMINAL_REACHABLE",
                        "From " + describe(g_.nodes[i]) +
                            " no CONVERTED or DROPPED node can be reached.",
                        g_.nodes[i].id);
            }
        }
    }

    const Graph& g_;
    std::map<std::string, std::size_t> index_;
    std::vector<std::vector<std::size_t>> out_;  // valid outgoing edges per node, in edge order
    std::optional<std::size_t> entry_;
    std::vector<Diagnostic> diags_;
};

}  // namespace

std::vector<Diagnostic> validate(const Graph& g) {
    return Validator(g).run();
}

}  // namespace leadflow
