// web/app/sim_session.hpp — one simulation of the editor's graph, run in slices (the browser
// runs a slice per frame so the page stays responsive), plus the one-shot form used by the
// automation API. Both give the bytes `leadflow-sim --json` prints for the same graph and
// scenario (the core's SimulationRun is the only code path). Pure: tested natively.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/simulate.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

class SimSession {
  public:
    SimSession();
    ~SimSession();
    SimSession(SimSession&&) noexcept;
    SimSession& operator=(SimSession&&) noexcept;

    // Starts a run of `graph` under `scenario` (scenario JSON), replacing any previous run and its
    // results. Fails (nothing running afterwards) with the scenario parser's message
    // ("scenario.leads: …"), the graph compiler's (no entry node …) or an unknown time zone.
    Status start(const Graph& graph, const Json& scenario);
    // Runs up to `max_events` more events; when the last one is done, computes the results.
    // Returns true when the run has finished (or nothing runs).
    bool step(std::int64_t max_events);
    // Stops the run and forgets it (results of an earlier finished run stay).
    void cancel();

    bool running() const;
    // In [0, 1]; 1 once finished.
    double progress() const;
    std::int64_t events() const;
    std::int64_t leads() const { return leads_; }

    // The results of the last finished run: the JSON text exactly as leadflow-sim --json prints
    // it (without the final newline), and parsed. Empty / null before any run finished.
    const std::string& results_text() const { return results_text_; }
    const Json& results() const { return results_; }
    // Leads stuck per node id of the last finished run (nodes with none are absent).
    const std::vector<std::pair<std::string, std::int64_t>>& stuck_nodes() const {
        return stuck_nodes_;
    }
    // Increases with every finished run (lets views rebuild what they derived from results).
    std::uint64_t results_version() const { return results_version_; }

  private:
    struct Run;
    std::unique_ptr<Run> run_;
    std::int64_t leads_ = 0;
    std::string results_text_;
    Json results_ = nullptr;
    std::vector<std::pair<std::string, std::int64_t>> stuck_nodes_;
    std::uint64_t results_version_ = 0;
};

// Simulates `graph` under `scenario` in one go. Returns the results JSON text (as above) or
// the failure start() would report.
Result<std::string> simulate_text(const Graph& graph, const Json& scenario);

}  // namespace leadflow::web
