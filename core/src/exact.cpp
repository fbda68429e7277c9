// The exact absorbing-Markov-chain analysis. Transitions come from the engine itself; the
// chain's state adds only what conditions can read (see exact.hpp).
#include "leadflow/exact.hpp"

#include <cmath>
#include <map>

#include "leadflow/engine.hpp"

namespace leadflow {

namespace {

enum Absorbing { kAbsCompleted, kAbsDropped, kAbsFailed, kAbsStuck, kAbsCount };

// What the chain tracks about the last call's analysis: for each tracked attribute (by global
// index), the value index + 1 (0 = missing), plus the node whose model drew them.
struct ChainState {
    LeadState lead;
    std::int32_t analysis_node = -1;
    std::vector<std::uint8_t> analysis;
    // Bit j: the lead has entered the j-th SPLIT node (per-branch results condition on it).
    std::uint64_t splits_seen = 0;
};

struct Tables {
    std::vector<int> var_of_key;   // field key → mixture variable index, or -1
    std::vector<int> attr_of_key;  // field key → tracked attribute index, or -1
    std::vector<std::string> attr_names;
    // [attr][node] distribution of a tracked attribute at a node (nullptr when not modelled)
    std::vector<std::vector<const ValueDistribution*>> attr_dist;
};

class ChainFields : public FieldSource {
  public:
    ChainFields(const Tables& t, const std::vector<const std::string*>& vars)
        : t_(t), vars_(vars) {}
    const ChainState* state = nullptr;

    FieldValue lead_variable(int key, std::string_view) const override {
        const int v = key >= 0 ? t_.var_of_key[static_cast<std::size_t>(key)] : -1;
        if (v < 0) return {};
        return {true, *vars_[static_cast<std::size_t>(v)]};
    }
    FieldValue call_analysis(int key, std::string_view) const override {
        const int a = key >= 0 ? t_.attr_of_key[static_cast<std::size_t>(key)] : -1;
        if (a < 0 || state == nullptr || state->analysis_node < 0) return {};
        const std::uint8_t v = state->analysis[static_cast<std::size_t>(a)];
        if (v == 0) return {};
        const ValueDistribution* d = t_.attr_dist[static_cast<std::size_t>(a)]
                                                 [static_cast<std::size_t>(state->analysis_node)];
        return {true, d->values[v - 1u]};
    }
    FieldValue application_response(int, std::string_view) const override { return {}; }

  private:
    const Tables& t_;
    const std::vector<const std::string*>& vars_;
};

// A lead's SPLIT branches: fixed per lead and node (split.hpp), so they are part of the
// mixture component, like lead variables.
class FixedSplits : public SplitChooser {
  public:
    std::vector<std::size_t> branch_of_node;  // by node index
    std::size_t choose(std::int32_t node) override {
        return branch_of_node[static_cast<std::size_t>(node)];
    }
};

// The key of a transient state: the engine state fields that matter plus the tracked info.
std::vector<int> state_key(const ChainState& s, bool track_call, bool track_app,
                           bool track_splits) {
    std::vector<int> k{s.lead.node, static_cast<int>(s.lead.phase),
                       track_call ? s.lead.last_call : -1, track_app ? s.lead.last_app : -1,
                       s.analysis.empty() ? -1 : s.analysis_node};
    for (std::uint8_t v : s.analysis) k.push_back(v);
    if (track_splits) {
        k.push_back(static_cast<int>(s.splits_seen & 0xFFFFFFFFu));
        k.push_back(static_cast<int>(s.splits_seen >> 32));
    }
    return k;
}

// Solves A x = b in place (Gaussian elimination, partial pivoting). False when singular.
bool solve_dense(std::vector<double>& a, std::vector<double>& b, std::size_t n) {
    for (std::size_t col = 0; col < n; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < n; ++r) {
            if (std::fabs(a[r * n + col]) > std::fabs(a[pivot * n + col])) pivot = r;
        }
        if (std::fabs(a[pivot * n + col]) < 1e-300) return false;
        if (pivot != col) {
            for (std::size_t c = 0; c < n; ++c) std::swap(a[col * n + c], a[pivot * n + c]);
            std::swap(b[col], b[pivot]);
        }
        const double d = a[col * n + col];
        for (std::size_t r = col + 1; r < n; ++r) {
            const double f = a[r * n + col] / d;
            if (f == 0) continue;
            for (std::size_t c = col; c < n; ++c) a[r * n + c] -= f * a[col * n + c];
            b[r] -= f * b[col];
        }
    }
    for (std::size_t i = n; i-- > 0;) {
        double s = b[i];
        for (std::size_t c = i + 1; c < n; ++c) s -= a[i * n + c] * b[c];
        b[i] = s / a[i * n + i];
    }
    return true;
}

ExactResult unavailable(std::string reason) {
    ExactResult r;
    r.available = false;
    r.reason = std::move(reason);
    return r;
}

}  // namespace

ExactResult solve_exact(const CompiledGraph& g, const BoundScenario& b) {
    const std::size_t n_nodes = g.nodes().size();
    const std::vector<std::string>& names = g.field_names();
    const Scenario& sc = b.scenario;

    // What do conditions read?
    bool track_call = false, track_app = false;
    std::vector<bool> key_read(names.size(), false);
    std::vector<bool> key_bare(names.size(), false), key_var(names.size(), false),
        key_analysis(names.size(), false);
    for (const CompiledNode& n : g.nodes()) {
        if (n.type != NodeType::kConditional) continue;
        std::vector<FieldRef> refs;
        if (n.switch_mode) refs.push_back(n.switch_field);
        for (const CompiledCondition& c : n.conditions) refs.push_back(c.field);
        for (const FieldRef& r : refs) {
            switch (r.kind) {
                case FieldKind::kCallDuration:
                    return unavailable("a condition reads call.duration_s (a sampled number)");
                case FieldKind::kApplicationResponse:
                    return unavailable(
                        "a condition reads application.response (the scenario does not model "
                        "responses)");
                case FieldKind::kCallStatus:
                case FieldKind::kCallOutcome:
                    track_call = true;
                    break;
                case FieldKind::kApplicationResult:
                    track_app = true;
                    break;
                case FieldKind::kLeadVariable:
                    key_var[static_cast<std::size_t>(r.key)] = true;
                    break;
                case FieldKind::kCallAnalysis:
                    key_analysis[static_cast<std::size_t>(r.key)] = true;
                    break;
                case FieldKind::kBare:
                    key_bare[static_cast<std::size_t>(r.key)] = true;
                    break;
            }
        }
    }

    Tables t;
    t.var_of_key.assign(names.size(), -1);
    t.attr_of_key.assign(names.size(), -1);
    std::vector<const VariableModel*> mix_vars;
    for (std::size_t k = 0; k < names.size(); ++k) {
        const VariableModel* var = nullptr;
        for (const VariableModel& v : sc.variables) {
            if (v.name == names[k]) var = &v;
        }
        // A bare name is the lead variable when the scenario defines it, else analysis.
        if ((key_var[k] || key_bare[k]) && var != nullptr) {
            t.var_of_key[k] = static_cast<int>(mix_vars.size());
            mix_vars.push_back(var);
        } else if (key_analysis[k] || key_bare[k]) {
            bool modelled = false;
            for (const BoundNodeModel& m : b.nodes) {
                for (const AnalysisModel& a : m.analysis) modelled |= a.name == names[k];
            }
            if (!modelled) continue;  // always missing
            t.attr_of_key[k] = static_cast<int>(t.attr_names.size());
            t.attr_names.push_back(names[k]);
            t.attr_dist.emplace_back(n_nodes, nullptr);
            for (std::size_t n = 0; n < n_nodes; ++n) {
                for (const AnalysisModel& a : b.nodes[n].analysis) {
                    if (a.name == names[k]) t.attr_dist.back()[n] = &a.dist;
                }
            }
        }
    }
    const std::size_t n_attrs = t.attr_names.size();

    std::size_t combos = 1;
    for (const VariableModel* v : mix_vars) {
        combos *= v->dist.values.size();
        if (combos > static_cast<std::size_t>(kMaxExactMixture)) {
            return unavailable("too many combinations of lead-variable values (more than " +
                               std::to_string(kMaxExactMixture) + ")");
        }
    }
    // A lead takes the same branch each time it passes a SPLIT (the branch is a function of
    // its id and the node's id), so the branches of every SPLIT extend the mixture: a lead
    // that loops back to a SPLIT does not draw again.
    std::vector<std::size_t> split_nodes;
    for (std::size_t i = 0; i < n_nodes; ++i) {
        if (g.nodes()[i].type != NodeType::kSplit) continue;
        split_nodes.push_back(i);
        combos *= g.nodes()[i].split_weights.size();
        if (combos > static_cast<std::size_t>(kMaxExactMixture)) {
            return unavailable(
                "too many combinations of lead-variable values and SPLIT branches (more than " +
                std::to_string(kMaxExactMixture) + ")");
        }
    }

    // Per-branch results: which SPLIT nodes a lead has entered is part of its state, so the
    // chain can tell the mass that ends after entering each one. Up to 64 SPLIT nodes (one bit
    // each); more leave the per-branch results out (to_json writes null).
    const bool track_splits = !split_nodes.empty() && split_nodes.size() <= 64;
    const std::size_t n_splits = track_splits ? split_nodes.size() : 0;
    std::vector<int> split_bit(n_nodes, -1);
    for (std::size_t j = 0; j < n_splits; ++j) split_bit[split_nodes[j]] = static_cast<int>(j);
    // [j][branch]: P(entered on the branch), P(… and completed), P(… and dropped).
    std::vector<std::vector<double>> split_enter(n_splits), split_completed(n_splits),
        split_dropped(n_splits);
    for (std::size_t j = 0; j < n_splits; ++j) {
        const std::size_t k = g.nodes()[split_nodes[j]].split_weights.size();
        split_enter[j].assign(k, 0.0);
        split_completed[j].assign(k, 0.0);
        split_dropped[j].assign(k, 0.0);
    }

    ExactResult result;
    result.available = true;
    result.expected_visits.assign(n_nodes, 0.0);
    double absorbed[kAbsCount] = {0, 0, 0, 0};
    Tables& tables = t;

    for (std::size_t combo = 0; combo < combos; ++combo) {
        // The variable values of this mixture component and its weight.
        std::vector<const std::string*> values(mix_vars.size());
        double weight = 1;
        std::size_t rest = combo;
        for (std::size_t v = 0; v < mix_vars.size(); ++v) {
            const ValueDistribution& d = mix_vars[v]->dist;
            const std::size_t i = rest % d.values.size();
            rest /= d.values.size();
            values[v] = &d.values[i];
            weight *= d.probabilities[i];
        }
        FixedSplits splits;
        splits.branch_of_node.assign(n_nodes, 0);
        for (std::size_t node : split_nodes) {
            const std::vector<double>& w = g.nodes()[node].split_weights;
            const std::size_t i = rest % w.size();
            rest /= w.size();
            double total = 0;
            for (double x : w) total += x;
            splits.branch_of_node[node] = i;
            weight *= w[i] / total;
        }
        if (weight == 0) continue;
        ChainFields fields(tables, values);
        Context ctx;
        ctx.fields = &fields;
        ctx.split_chooser = &splits;
        ctx.ignore_calling_window = true;
        ctx.call_slot_available = true;
        Step step;

        std::map<std::vector<int>, int> index;
        std::vector<ChainState> states;
        // Sparse rows: (to, p) among transients, absorbing probabilities, visits produced.
        std::vector<std::vector<std::pair<int, double>>> q;
        std::vector<std::array<double, kAbsCount>> r;
        std::vector<std::vector<double>> visits;
        // Per row, [j * kAbsCount + k]: absorbed in k having entered the j-th SPLIT.
        std::vector<std::vector<double>> split_r;

        // Applies one event to a copy of `from`; returns the transient index, or -1 after
        // adding `p` to `abs_out` (and to `split_out` for each SPLIT entered), and adds the
        // visits to `vis` scaled by p.
        auto transition = [&](ChainState next, const Event& ev, double p,
                              std::array<double, kAbsCount>& abs_out, std::vector<double>& vis,
                              std::vector<double>& split_out) -> int {
            next.lead.steps = 0;
            fields.state = &next;
            if (!advance(g, next.lead, ev, ctx, step)) return -2;
            auto entered = [&](std::int32_t node) {
                vis[static_cast<std::size_t>(node)] += p;
                const int bit = split_bit[static_cast<std::size_t>(node)];
                if (bit >= 0) next.splits_seen |= std::uint64_t{1} << bit;
            };
            if (ev.type == EventType::kStart) entered(g.entry());
            for (const StepRecord& rec : step.records) {
                if (rec.edge >= 0) entered(rec.to_node);
            }
            const Effect& e = step.effect;
            int absorbed_in = -1;
            if (e.type == EffectType::kFinish) {
                absorbed_in = e.end == LeadEnd::kCompleted ? kAbsCompleted
                              : e.end == LeadEnd::kDropped ? kAbsDropped
                                                           : kAbsFailed;
            } else if (e.type == EffectType::kStuck) {
                absorbed_in = kAbsStuck;
            }
            if (absorbed_in >= 0) {
                abs_out[static_cast<std::size_t>(absorbed_in)] += p;
                for (std::size_t j = 0; j < n_splits; ++j) {
                    if ((next.splits_seen >> j) & 1u) {
                        split_out[j * kAbsCount + static_cast<std::size_t>(absorbed_in)] += p;
                    }
                }
                return -1;
            }
            const std::vector<int> key = state_key(next, track_call, track_app, track_splits);
            auto it = index.find(key);
            if (it != index.end()) return it->second;
            const int id = static_cast<int>(states.size());
            index.emplace(key, id);
            states.push_back(next);
            return id;
        };

        ChainState init;
        init.analysis.assign(n_attrs, 0);
        std::array<double, kAbsCount> start_abs{0, 0, 0, 0};
        std::vector<double> start_visits(n_nodes, 0.0);
        std::vector<double> start_split(n_splits * kAbsCount, 0.0);
        Event start_ev;
        start_ev.type = EventType::kStart;
        const int first = transition(init, start_ev, 1.0, start_abs, start_visits, start_split);
        if (first == -2) return unavailable("the engine rejected the start event");

        // Breadth-first expansion of the reachable transient states.
        for (std::size_t i = 0; i < states.size(); ++i) {
            if (states.size() > static_cast<std::size_t>(kMaxExactStates)) {
                return unavailable("more than " + std::to_string(kMaxExactStates) +
                                   " chain states");
            }
            const ChainState s = states[i];
            std::vector<std::pair<int, double>> row;
            std::array<double, kAbsCount> abs{0, 0, 0, 0};
            std::vector<double> vis(n_nodes, 0.0);
            std::vector<double> split_abs(n_splits * kAbsCount, 0.0);
            const std::size_t node = static_cast<std::size_t>(s.lead.node);
            const BoundNodeModel& m = b.nodes[node];
            auto add = [&](const ChainState& next, const Event& ev, double p) {
                if (p <= 0) return true;
                const int to = transition(next, ev, p, abs, vis, split_abs);
                if (to == -2) return false;
                if (to >= 0) row.emplace_back(to, p);
                return true;
            };
            bool ok = true;
            switch (s.lead.phase) {
                case Phase::kInCall:
                    for (int o = 0; o < kCallOutcomeCount && ok; ++o) {
                        const double po = m.outcomes[static_cast<std::size_t>(o)];
                        if (po <= 0) continue;
                        Event ev;
                        ev.type = EventType::kCallEnded;
                        ev.outcome = static_cast<CallOutcome>(o);
                        ChainState next = s;
                        next.analysis_node = s.lead.node;
                        std::fill(next.analysis.begin(), next.analysis.end(), std::uint8_t{0});
                        // Tracked attributes this node draws on COMPLETED: enumerate combos.
                        std::vector<std::size_t> drawn;
                        if (o == static_cast<int>(CallOutcome::kCompleted)) {
                            for (std::size_t a = 0; a < n_attrs; ++a) {
                                if (t.attr_dist[a][node] != nullptr) drawn.push_back(a);
                            }
                        }
                        std::size_t n_combo = 1;
                        for (std::size_t a : drawn) n_combo *= t.attr_dist[a][node]->values.size();
                        if (n_combo > static_cast<std::size_t>(kMaxExactStates)) {
                            return unavailable("too many analysis value combinations");
                        }
                        for (std::size_t c = 0; c < n_combo && ok; ++c) {
                            double pc = po;
                            std::size_t left = c;
                            for (std::size_t a : drawn) {
                                const ValueDistribution& d = *t.attr_dist[a][node];
                                const std::size_t vi = left % d.values.size();
                                left /= d.values.size();
                                next.analysis[a] = static_cast<std::uint8_t>(vi + 1);
                                pc *= d.probabilities[vi];
                            }
                            ok = add(next, ev, pc);
                        }
                    }
                    break;
                case Phase::kWaiting: {
                    Event ev;
                    ev.type = EventType::kTimerFired;
                    ok = add(s, ev, 1.0);
                    break;
                }
                case Phase::kInAction: {
                    Event ev;
                    ev.type = EventType::kActionDone;
                    ev.action_ok = true;
                    ok = add(s, ev, m.success_rate);
                    ev.action_ok = false;
                    if (ok) ok = add(s, ev, 1 - m.success_rate);
                    break;
                }
                default:
                    return unavailable(std::string("unexpected chain state in phase ") +
                                       to_string(s.lead.phase));
            }
            if (!ok) return unavailable("the engine rejected a transition");
            q.push_back(std::move(row));
            r.push_back(abs);
            visits.push_back(std::move(vis));
            split_r.push_back(std::move(split_abs));
        }

        const std::size_t n = states.size();
        result.states += static_cast<int>(n);
        // Every transient state must be able to reach absorption.
        std::vector<bool> exits(n, false);
        for (std::size_t i = 0; i < n; ++i) {
            for (double a : r[i]) exits[i] = exits[i] || a > 0;
        }
        for (bool changed = true; changed;) {
            changed = false;
            for (std::size_t i = 0; i < n; ++i) {
                if (exits[i]) continue;
                for (const auto& [to, p] : q[i]) {
                    if (exits[static_cast<std::size_t>(to)]) {
                        exits[i] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (!exits[i]) {
                return unavailable("some leads loop forever at node '" +
                                   g.node_id(states[i].lead.node) +
                                   "' (only the loop guard ends them)");
            }
        }

        // x = expected number of times in each transient state: (I − Q)ᵀ x = π₀.
        std::vector<double> x(n, 0.0);
        if (first >= 0) {
            std::vector<double> a(n * n, 0.0);
            for (std::size_t i = 0; i < n; ++i) a[i * n + i] = 1.0;
            for (std::size_t i = 0; i < n; ++i) {
                for (const auto& [to, p] : q[i]) a[static_cast<std::size_t>(to) * n + i] -= p;
            }
            x[static_cast<std::size_t>(first)] = 1.0;
            if (!solve_dense(a, x, n)) return unavailable("the chain's linear system is singular");
        }
        for (int k = 0; k < kAbsCount; ++k) {
            double p = start_abs[static_cast<std::size_t>(k)];
            for (std::size_t i = 0; i < n; ++i) p += x[i] * r[i][static_cast<std::size_t>(k)];
            absorbed[k] += weight * p;
        }
        for (std::size_t node = 0; node < n_nodes; ++node) {
            double v = start_visits[node];
            for (std::size_t i = 0; i < n; ++i) v += x[i] * visits[i][node];
            result.expected_visits[node] += weight * v;
        }
        for (std::size_t j = 0; j < n_splits; ++j) {
            double ended[kAbsCount];
            for (std::size_t k = 0; k < kAbsCount; ++k) {
                double p = start_split[j * kAbsCount + k];
                for (std::size_t i = 0; i < n; ++i) p += x[i] * split_r[i][j * kAbsCount + k];
                ended[k] = p;
            }
            const std::size_t branch = splits.branch_of_node[split_nodes[j]];
            split_enter[j][branch] += weight * (ended[kAbsCompleted] + ended[kAbsDropped] +
                                                ended[kAbsFailed] + ended[kAbsStuck]);
            split_completed[j][branch] += weight * ended[kAbsCompleted];
            split_dropped[j][branch] += weight * ended[kAbsDropped];
        }
    }
    result.completed = absorbed[kAbsCompleted];
    result.dropped = absorbed[kAbsDropped];
    result.failed = absorbed[kAbsFailed];
    result.stuck = absorbed[kAbsStuck];
    for (std::size_t j = 0; j < n_splits; ++j) {
        ExactSplit sp;
        sp.node = static_cast<std::int32_t>(split_nodes[j]);
        for (std::size_t k = 0; k < split_enter[j].size(); ++k) {
            ExactSplitBranch br;
            br.leads = split_enter[j][k];
            if (br.leads > 0) {
                br.completed = split_completed[j][k] / br.leads;
                br.dropped = split_dropped[j][k] / br.leads;
            }
            sp.branches.push_back(br);
        }
        result.splits.push_back(std::move(sp));
    }
    for (std::size_t node = 0; node < n_nodes; ++node) {
        if (g.nodes()[node].type == NodeType::kVoiceCall) {
            result.expected_calls += result.expected_visits[node];
        }
    }
    return result;
}

Json to_json(const ExactResult& r, const CompiledGraph& g) {
    Json j = Json::object();
    j["available"] = r.available;
    j["reason"] = r.available ? Json(nullptr) : Json(r.reason);
    bool has_split = false;
    for (const CompiledNode& n : g.nodes()) has_split |= n.type == NodeType::kSplit;
    if (!r.available) {
        j["terminal"] = nullptr;
        j["expected_visits"] = nullptr;
        j["expected_calls"] = nullptr;
        if (has_split) j["splits"] = nullptr;
        return j;
    }
    j["terminal"] = Json{{"completed", r.completed},
                         {"dropped", r.dropped},
                         {"failed", r.failed},
                         {"stuck", r.stuck}};
    Json v = Json::object();
    for (std::size_t i = 0; i < r.expected_visits.size(); ++i) {
        v[g.node_id(static_cast<std::int32_t>(i))] = r.expected_visits[i];
    }
    j["expected_visits"] = v;
    j["expected_calls"] = r.expected_calls;
    j["states"] = r.states;
    if (has_split) {
        if (r.splits.empty()) {
            j["splits"] = nullptr;
        } else {
            Json splits = Json::object();
            for (const ExactSplit& sp : r.splits) {
                const CompiledNode& node = g.nodes()[static_cast<std::size_t>(sp.node)];
                Json branches = Json::object();
                for (std::size_t k = 0; k < sp.branches.size(); ++k) {
                    const ExactSplitBranch& br = sp.branches[k];
                    Json bj = Json::object();
                    bj["leads"] = br.leads;
                    bj["completed"] = br.leads > 0 ? Json(br.completed) : Json(nullptr);
                    bj["dropped"] = br.leads > 0 ? Json(br.dropped) : Json(nullptr);
                    branches[node.split_labels[k]] = bj;
                }
                splits[g.node_id(sp.node)] = branches;
            }
            j["splits"] = splits;
        }
    }
    return j;
}

}  // namespace leadflow
