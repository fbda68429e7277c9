// web/app/sim_session.cpp — a sliced simulation of the editor's graph over core::SimulationRun.
#include "sim_session.hpp"

#include <limits>
#include <optional>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/scenario.hpp"

namespace leadflow::web {

// The compiled graph and bound scenario live at fixed addresses for the run that refers to them.
struct SimSession::Run {
    CompiledGraph graph;
    BoundScenario bound;
    std::optional<SimulationRun> run;
};

SimSession::SimSession() = default;
SimSession::~SimSession() = default;
SimSession::SimSession(SimSession&&) noexcept = default;
SimSession& SimSession::operator=(SimSession&&) noexcept = default;

Status SimSession::start(const Graph& graph, const Json& scenario) {
    run_.reset();
    Result<Scenario> sc = parse_scenario(scenario);
    if (!sc.ok()) return sc.status();
    Result<CompiledGraph> cg = compile_graph(graph);
    if (!cg.ok()) return cg.status();
    auto r = std::make_unique<Run>();
    r->graph = std::move(*cg);
    r->bound = bind_scenario(r->graph, *sc);
    Result<SimulationRun> run = SimulationRun::create(r->graph, r->bound);
    if (!run.ok()) return run.status();
    r->run.emplace(std::move(*run));
    leads_ = sc->leads;
    run_ = std::move(r);
    return Status::ok();
}

bool SimSession::step(std::int64_t max_events) {
    if (!run_) return true;
    if (!run_->run->step(max_events)) return false;
    const Json results = run_->run->results();
    results_text_ = results.dump();
    results_ = results;
    stuck_nodes_.clear();
    const std::vector<std::int64_t>& stuck = run_->run->stuck_by_node();
    for (std::size_t i = 0; i < stuck.size(); ++i) {
        if (stuck[i] > 0) {
            stuck_nodes_.emplace_back(run_->graph.node_id(static_cast<std::int32_t>(i)), stuck[i]);
        }
    }
    ++results_version_;
    run_.reset();
    return true;
}

void SimSession::cancel() {
    run_.reset();
}

bool SimSession::running() const {
    return run_ != nullptr;
}

double SimSession::progress() const {
    return run_ ? run_->run->progress() : 1.0;
}

std::int64_t SimSession::events() const {
    return run_ ? run_->run->events() : 0;
}

Result<std::string> simulate_text(const Graph& graph, const Json& scenario) {
    SimSession s;
    Status st = s.start(graph, scenario);
    if (!st.is_ok()) return st;
    s.step(std::numeric_limits<std::int64_t>::max());
    return s.results_text();
}

}  // namespace leadflow::web
