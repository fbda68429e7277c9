// leadflow-sim — simulate leads through a workflow graph from the command line
// (docs/simulation.md#leadflow-sim).
//
//   leadflow-sim GRAPH.json [--scenario SCENARIO.json] [--leads N] [--seed S] [--json]
//                [--no-exact] [--bench]
//
// Exit codes: 0 success, 2 bad input (message on stderr).
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/simulate.hpp"
#include "leadflow/wire.hpp"

namespace {

using leadflow::Json;

constexpr const char* kUsage =
    "usage: leadflow-sim GRAPH.json [--scenario SCENARIO.json] [--leads N] [--seed S] [--json]\n"
    "\n"
    "Simulates leads through a workflow graph ({workflow, nodes, edges}) and prints a summary,\n"
    "or with --json the results JSON (same input and seed => identical bytes everywhere).\n"
    "\n"
    "  --scenario FILE  simulation assumptions (scenario JSON); defaults apply without it\n"
    "  --leads N        number of leads (overrides the scenario)\n"
    "  --seed S         random seed (overrides the scenario)\n"
    "  --json           print the results JSON instead of the summary\n"
    "  --no-exact       skip the exact Markov-chain analysis\n"
    "  --bench          print timing (leads/s, events/s) to stderr\n"
    "  --help           this text\n";

int fail(const std::string& message) {
    std::cerr << "leadflow-sim: " << message << "\n";
    return 2;
}

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

bool parse_int(const std::string& s, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi) return false;
    out = v;
    return true;
}

std::string pct(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%6.2f%%", share * 100);
    return buf;
}

void print_summary(const Json& r, const leadflow::Graph& g) {
    std::printf("Workflow: %s\n",
                g.workflow.title.empty() ? g.workflow.id.c_str() : g.workflow.title.c_str());
    std::printf("Leads: %" PRId64 "   seed: %" PRIu64 "   start: %s   horizon: %g days\n",
                r["leads"].get<std::int64_t>(), r["seed"].get<std::uint64_t>(),
                r["start_time"].get<std::string>().c_str(), r["horizon_days"].get<double>());
    const Json& ex = r["exact"];
    const bool exact = ex["available"].get<bool>();
    std::printf("\nOutcome       count    share    95%% interval        exact\n");
    for (const char* k : {"completed", "dropped", "failed", "stuck", "unfinished"}) {
        const Json& t = r["terminal"][k];
        std::string exact_text = "";
        if (exact && ex["terminal"].contains(k)) exact_text = pct(ex["terminal"][k].get<double>());
        std::printf("%-11s %8" PRId64 "  %s  [%s, %s]  %s\n", k, t["count"].get<std::int64_t>(),
                    pct(t["share"].get<double>()).c_str(), pct(t["ci95"][0].get<double>()).c_str(),
                    pct(t["ci95"][1].get<double>()).c_str(), exact_text.c_str());
    }
    if (!exact) std::printf("(exact analysis unavailable: %s)\n", ex["reason"].dump().c_str());
    std::printf("\nNode                          entries    leads    share%s\n",
                exact ? "   exact visits/lead" : "");
    for (const auto& n : g.nodes) {
        const Json& nj = r["nodes"][n.id];
        std::string name = n.label.empty() ? n.id : n.label;
        if (name.size() > 28) name = name.substr(0, 27) + "~";
        std::printf("%-28s %9" PRId64 " %8" PRId64 "  %s", name.c_str(),
                    nj["entries"].get<std::int64_t>(), nj["leads"].get<std::int64_t>(),
                    pct(nj["share"].get<double>()).c_str());
        if (exact) std::printf("   %8.4f", ex["expected_visits"][n.id].get<double>());
        std::printf("\n");
    }
    const Json& c = r["calls"];
    std::printf("\nCalls placed: %" PRId64 " (%.3f per lead", c["placed"].get<std::int64_t>(),
                c["per_lead"].get<double>());
    if (exact) std::printf(", exact %.3f", ex["expected_calls"].get<double>());
    std::printf(")   minutes: %.1f   cost: %.2f\n", c["minutes"].get<double>(),
                c["cost"].get<double>());
    const Json& t = r["time_to_terminal_hours"];
    std::printf("Time to terminal (hours): p50 %.1f   p90 %.1f   p99 %.1f\n",
                t["p50"].get<double>(), t["p90"].get<double>(), t["p99"].get<double>());
    if (r.contains("splits")) {
        // Per-branch results of each SPLIT node
        // (docs/simulation.md#per-branch-results-of-split-nodes).
        for (auto node = r["splits"].begin(); node != r["splits"].end(); ++node) {
            const Json* exact_node = nullptr;
            if (exact && ex.contains("splits") && ex["splits"].is_object() &&
                ex["splits"].contains(node.key())) {
                exact_node = &ex["splits"][node.key()];
            }
            std::printf(
                "\nA/B split %s\nBranch          leads   converted  95%% interval        "
                "exact     cost/lead  hours  P(best)\n",
                node.key().c_str());
            for (auto b = node->begin(); b != node->end(); ++b) {
                const Json& bj = *b;
                const Json& c = bj["completed"];
                std::string exact_text;
                if (exact_node != nullptr && exact_node->contains(b.key()) &&
                    (*exact_node)[b.key()]["completed"].is_number()) {
                    exact_text = pct((*exact_node)[b.key()]["completed"].get<double>());
                }
                std::string label = b.key();
                if (label.size() > 12) label = label.substr(0, 11) + "~";
                std::printf(
                    "%-12s %8" PRId64 "  %s  [%s, %s]  %-8s  %9.4f  %5.1f  %s\n", label.c_str(),
                    bj["leads"].get<std::int64_t>(), pct(c["share"].get<double>()).c_str(),
                    pct(c["ci95"][0].get<double>()).c_str(),
                    pct(c["ci95"][1].get<double>()).c_str(), exact_text.c_str(),
                    bj["cost"]["mean"].get<double>(), bj["hours_to_terminal"]["mean"].get<double>(),
                    pct(bj["p_best"].get<double>()).c_str());
            }
        }
    }
    for (const auto& w : r["warnings"]) std::printf("warning: %s\n", w.get<std::string>().c_str());
}

}  // namespace

int main(int argc, char** argv) {
    std::string graph_path, scenario_path;
    std::int64_t leads = -1, seed = -1;
    bool json = false, exact = true, bench = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string v;
        if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (a == "--json") {
            json = true;
        } else if (a == "--no-exact") {
            exact = false;
        } else if (a == "--bench") {
            bench = true;
        } else if (a == "--scenario") {
            if (!value(scenario_path)) return fail("--scenario needs a file");
        } else if (a == "--leads") {
            if (!value(v) || !parse_int(v, 1, leadflow::kMaxScenarioLeads, leads)) {
                return fail("--leads needs an integer between 1 and " +
                            std::to_string(leadflow::kMaxScenarioLeads));
            }
        } else if (a == "--seed") {
            if (!value(v) || !parse_int(v, 0, INT64_MAX, seed)) {
                return fail("--seed needs a non-negative integer");
            }
        } else if (!a.empty() && a[0] == '-') {
            return fail("unknown option '" + a + "' (see --help)");
        } else if (graph_path.empty()) {
            graph_path = a;
        } else {
            return fail("more than one graph file given ('" + graph_path + "', '" + a + "')");
        }
    }
    if (graph_path.empty()) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    std::string text;
    if (!read_file(graph_path, text)) return fail("cannot read graph file '" + graph_path + "'");
    auto graph = leadflow::parse_graph(text);
    if (!graph.ok()) return fail(graph_path + ": " + graph.status().message());
    leadflow::Scenario scenario = leadflow::default_scenario();
    if (!scenario_path.empty()) {
        if (!read_file(scenario_path, text)) {
            return fail("cannot read scenario file '" + scenario_path + "'");
        }
        auto s = leadflow::parse_scenario_text(text);
        if (!s.ok()) return fail(scenario_path + ": " + s.status().message());
        scenario = *s;
    }
    if (leads > 0) scenario.leads = leads;
    if (seed >= 0) scenario.seed = static_cast<std::uint64_t>(seed);

    auto compiled = leadflow::compile_graph(*graph);
    if (!compiled.ok()) return fail(graph_path + ": " + compiled.status().message());
    const leadflow::BoundScenario bound = leadflow::bind_scenario(*compiled, scenario);
    for (const std::string& w : bound.warnings) std::cerr << "leadflow-sim: warning: " << w << "\n";

    leadflow::SimulateOptions options;
    options.exact = exact;
    leadflow::SimulationStats stats;
    const auto t0 = std::chrono::steady_clock::now();
    auto result = leadflow::simulate(*compiled, bound, options, &stats);
    const auto t1 = std::chrono::steady_clock::now();
    if (!result.ok()) return fail(result.status().message());
    if (bench) {
        const double s = std::chrono::duration<double>(t1 - t0).count();
        std::fprintf(stderr,
                     "bench: leads=%" PRId64 " events=%" PRId64
                     " seconds=%.4f leads_per_s=%.0f "
                     "events_per_s=%.0f state_bytes_per_lead=%zu\n",
                     scenario.leads, stats.events, s, static_cast<double>(scenario.leads) / s,
                     static_cast<double>(stats.events) / s, stats.bytes_per_lead);
    }
    if (json) {
        std::fputs(result->dump().c_str(), stdout);
        std::fputs("\n", stdout);
    } else {
        print_summary(*result, *graph);
    }
    return 0;
}
