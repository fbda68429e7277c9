// web/app/calibration_data.hpp — the Server tab's calibration and drift (docs/calibration.md):
// the replies of GET …/calibration and GET …/drift read into what the panel and the canvas draw.
// Pure: tested natively (tests/web/calibration_data_test.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

// One call outcome (or an APPLICATION's success) of a calibrated node.
struct CalibratedShare {
    std::string label;         // "COMPLETED", …, or "success"
    double current = 0;        // the stored scenario's share (the prior)
    double fitted = 0;         // the posterior mean
    double low = 0, high = 0;  // its 95% interval
    std::int64_t count = 0;
};

struct CalibratedNode {
    std::string node_id;
    std::string type;           // "VOICE_CALL" or "APPLICATION"
    std::int64_t observed = 0;  // calls or actions
    bool fitted = false;
    std::string note;  // why the node keeps its model ("" when fitted)
    std::vector<CalibratedShare> shares;
};

struct CalibrationView {
    std::vector<CalibratedNode> nodes;  // in the reply's (graph) order
    Json scenario;                      // the fitted scenario
    std::int64_t arrivals = 0;
    double per_day = 0;
};

// Reads a calibration reply; kInvalidArgument naming what is missing when it is not one.
Result<CalibrationView> read_calibration(const Json& body);

// A flagged call node of the drift reply.
struct DriftBadge {
    std::string node_id;
    std::string message;  // "Second call: answer rate 12% (plan 25% ± 4%)"
};
// The flagged nodes of a drift reply, in the reply's order.
Result<std::vector<DriftBadge>> read_drift(const Json& body);

// "40.1% (37.2–43.0)": a share with its interval, one decimal.
std::string share_with_interval(const CalibratedShare& s);

}  // namespace leadflow::web
