// web/app/compare_data.hpp — simulating a change in the browser: two graphs ("before" and
// "after") run under one scenario with the core's compare_simulations (leadflow/compare.hpp),
// and its answer read into the rows the Compare tab shows (conversion, calls per lead, time to
// terminal: before, after, the difference and its 95% interval). Pure, so it is unit-tested
// natively; compare_panel.cpp runs it and draws it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

// compare_simulations(before, after, parse_scenario(scenario)): `scenario` is the scenario JSON
// ({} = every default). Fails with the scenario parser's message, or with compare.hpp's failures
// ("before: …" / "after: …": a graph that does not compile, an unknown time zone).
Result<Json> compare_graphs(const Graph& before, const Graph& after, const Json& scenario);

// compare_graphs in slices: the two simulations (SimulationRun) advance a slice of events at a
// time, so the editor draws frames (and a progress bar) between slices, and end compared with
// compare_runs. However it is sliced, the answer is compare_graphs' bytes.
class CompareSession {
  public:
    CompareSession();
    ~CompareSession();
    CompareSession(CompareSession&&) noexcept;
    CompareSession& operator=(CompareSession&&) noexcept;

    // Compiles both graphs and prepares both runs (drops a session in progress). Fails as
    // compare_graphs does, with nothing running.
    Status start(const Graph& before, const Graph& after, const Json& scenario);
    // Processes up to `max_events` events of the first unfinished run; true once both finished
    // (and when nothing runs).
    bool step(std::int64_t max_events);
    bool running() const;
    // How far the pair is, in [0, 1] (the mean of the two runs' progress()).
    double progress() const;
    // Once step() returned true: the comparison (compare_graphs' JSON); kFailedPrecondition
    // before, or when nothing was started. The session is then empty.
    Result<Json> finish();

  private:
    struct Runs;
    std::unique_ptr<Runs> runs_;
};

// One compared quantity.
struct CompareMetric {
    double before = 0;
    double after = 0;
    double delta = 0;  // after − before
    bool has_ci = false;
    double ci_lo = 0;  // the 95% interval of delta (has_ci only)
    double ci_hi = 0;
};

struct ComparisonView {
    std::int64_t leads = 0;  // scenario leads (each run)
    std::uint64_t seed = 0;
    CompareMetric conversion;           // share of leads converted, in [0, 1]
    CompareMetric calls_per_lead;       // mean calls placed per lead
    CompareMetric time_to_terminal;     // mean hours from arrival to a terminal node
    std::int64_t converted_before = 0;  // leads that reached a CONVERTED node
    std::int64_t converted_after = 0;
    std::int64_t terminal_before = 0;  // leads behind the time-to-terminal means
    std::int64_t terminal_after = 0;
    // Each run's results JSON text: the bytes `leadflow-sim GRAPH --scenario S --json` prints
    // for that graph (without its final newline).
    std::string before_text;
    std::string after_text;
};

// Reads compare_simulations' JSON. kInvalidArgument "comparison: …" when a documented field is
// missing.
Result<ComparisonView> read_comparison(const Json& j);

// How a metric is written in the table.
enum class MetricUnit { kShare, kCalls, kHours };
// A value: "31.4%" (share), "1.823" (calls), "52.1 h" (hours).
std::string format_value(double v, MetricUnit unit);
// A difference with its sign: "+2.5 pp", "-0.120", "+4.0 h" ("0.0 pp" when it rounds to zero).
std::string format_delta(double d, MetricUnit unit);
// The interval: "-0.3 to +5.3 pp"; "n/a" without one.
std::string format_interval(const CompareMetric& m, MetricUnit unit);

// The Compare tab's table as CSV (RFC 4180: comma separated, CRLF line ends), for a spreadsheet:
// the header `metric,unit,before,after,difference,ci95_low,ci95_high` and one row each for
// conversion (unit `share`, in [0, 1]), calls_per_lead (`calls`) and time_to_terminal (`hours`).
// Numbers are written as the results JSON writes them (the shortest text that reads back to the
// same double), not rounded as the table shows them; a missing interval leaves its cells empty.
std::string comparison_csv(const ComparisonView& v);

}  // namespace leadflow::web
