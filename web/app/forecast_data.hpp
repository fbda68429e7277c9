// web/app/forecast_data.hpp — the Server tab's forecast (POST /v1/workflows/{id}/forecast): the
// reply read into what the panel's chart and the canvas draw, and the workflow's actual
// completed leads placed against the forecast's band. Pure: tested natively
// (tests/web/forecast_data_test.cpp).
//
// Every byte of the reply is the server's and is checked here: a missing key, a value of the
// wrong type, a number that is not finite, a band out of order (see ForecastBand), or a list
// longer than the limits below fails with kInvalidArgument naming the field; nothing of such a
// reply is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

// The longest by_day a reply may have (the scenario's horizon is at most 3650 days) and the
// most nodes its simulation may count.
constexpr std::size_t kMaxForecastDays = 3650;
constexpr std::size_t kMaxForecastNodes = 10000;

// A count with its 95% band: 0 <= low <= expected <= high <= the forecast's leads.
struct ForecastBand {
    double expected = 0;
    double low = 0;
    double high = 0;
};

// The leads ended by the end of day `day` after the forecast's "now" (cumulative, counting
// only leads that end after "now").
struct ForecastDay {
    std::int64_t day = 0;  // 1, 2, … (by_day[i].day == i + 1)
    std::string at;        // the day's end, ISO
    ForecastBand completed, dropped, failed;
};

struct ForecastView {
    std::string workflow_id;
    std::int64_t version = 0;
    std::string scenario_source;  // "calibrated" or "stored"
    Json scenario;                // the scenario the forecast ran
    // Leads that had already ended when the forecast was made.
    std::int64_t ended_completed = 0, ended_dropped = 0, ended_failed = 0;
    std::int64_t pending = 0;  // enrolled, not started (they arrive at "now")
    std::string now;           // the server's (virtual) time of the forecast, ISO
    TimeMs now_ms = 0;
    std::int64_t running = 0, arrivals = 0, leads = 0;
    // How the forecast's leads end (final: by the horizon).
    ForecastBand completed, dropped, failed, unfinished;
    std::vector<ForecastDay> by_day;
    // When the last lead finishes: ISO and days after "now"; "" and nullopt when some lead is
    // still running at the horizon.
    std::string last_finish;
    std::optional<double> last_finish_days;
    // Expected future entries per node id (simulation.nodes[id].entries: entries after "now",
    // loops counted).
    std::map<std::string, std::int64_t> node_entries;
};

// Reads a forecast reply; kInvalidArgument naming the first field that is not as documented.
Result<ForecastView> read_forecast(const Json& body);

// The request body: {"scenario": source} when source is "calibrated" or "stored" (another
// value is left out: the server's default), and "arrival_days" when arrival_days > 0 and
// finite.
Json forecast_request(const std::string& source, double arrival_days);

// The completed band `days` after "now": 0 at day 0 and before it, the by_day entries at the
// day ends, linear between them, the last entry's band after the last day (every lead has
// ended then, or the horizon is reached). A forecast without days is 0 everywhere.
ForecastBand completed_band_at(const ForecastView& f, double days);

// Whether `completed_since` leads completed after "now" lies inside the band at `days`
// (low <= value <= high). False for a value or time that is not finite.
bool inside_band(const ForecastView& f, double days, double completed_since);

// One poll of the workflow: its lead_counts.completed, its number since the forecast (1, 2, …),
// and when the server's clock is known, the time of the poll on it.
struct ForecastObservation {
    std::int64_t completed = 0;
    std::int64_t poll = 0;
    std::optional<TimeMs> server_time;
};

// A point of the chart: y = leads completed since "now" (completed − the forecast's
// ended_completed); when the observation has a server time, x = days since "now" and `inside`
// says whether y lies inside the band at x; otherwise x = the observation's poll number and
// `inside` is false.
struct ForecastPoint {
    double x = 0;
    double y = 0;
    bool timed = false;
    bool inside = false;
};
std::vector<ForecastPoint> forecast_points(const ForecastView& f,
                                           const std::vector<ForecastObservation>& observations);

// lead_counts.completed of a reply that carries the workflow's lead counts (the live view's
// GET /v1/workflows/{id}/node-counts, or GET /v1/workflows/{id}); nullopt when it has none or
// it is not a non-negative integer.
std::optional<std::int64_t> completed_count(const Json& reply);

// The observation of one live poll numbered `poll`: the node-counts reply's
// lead_counts.completed, and its "now" (the server's clock when it counted, the clock of the
// forecast's "now") as the server time when it is an ISO-8601 time (else none: the point is
// numbered by poll). nullopt when the reply has no completed count.
std::optional<ForecastObservation> read_observation(const Json& node_counts, std::int64_t poll);

// "300 (280–320)": a band's expected value and its range, rounded to whole leads.
std::string band_text(const ForecastBand& b);

// A node's badge on the canvas while a forecast is shown: "now 12 · +340 forecast" with the
// live view's count of leads on the node, "+340 forecast" without one (live view off).
// Thousands are separated by commas.
std::string node_forecast_text(std::optional<std::int64_t> now, std::int64_t entries);

// Keeps at most `max` observations (max >= 2): when there are more, every second one is dropped
// (the first and the newest stay), so a long live view keeps its whole span at a coarser step.
void thin_observations(std::vector<ForecastObservation>& observations, std::size_t max);

}  // namespace leadflow::web
