// web/app/server_data.hpp — server mode's data handling without a browser: the CSV body of a
// lead enrolment from pasted text, and reading the server's answers (an enrolment's result or
// its grouped row errors, the live view's lead counts per node). Pure, so it is unit-tested
// natively; server_client.cpp sends the requests.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/status.hpp"

namespace leadflow::web {

// The CSV to upload (POST /v1/workflows/{id}/leads, multipart field "file") for text pasted
// into the Server tab. Text whose first non-empty line is a CSV header naming a phone_number
// column (any case, quotes and a byte-order mark allowed) is sent as it is, so its other
// columns become lead variables. Otherwise every non-empty line is one phone number (trimmed;
// blank lines skipped), sent as a one-column CSV with each number quoted. Fails with
// kInvalidArgument "Paste phone numbers (one per line) or CSV text with a phone_number column"
// when there is nothing but whitespace.
Result<std::string> enrolment_csv(const std::string& pasted);

// What an enrolment answer means for the user.
struct EnrolOutcome {
    bool ok = false;
    std::int64_t enrolled = 0;       // leads enrolled (ok only)
    std::string summary;             // "Enrolled 3 leads" or the server's message
    std::vector<std::string> lines;  // one per error reason: "Invalid phone number: 2 rows
                                     // (row 2: 12345, row 4: not a phone)"; at most 5 rows named
};
// Reads the answer to an enrolment: 201 {count, leads_enrolled} or an error (docs/api.md#errors,
// with "errors": [{reason, rows: [{position, phone_number}]}] for rejected rows). `status` 0 means
// the server could not be reached.
EnrolOutcome read_enrol_answer(int status, const Json& body);

// The live view's counts (GET /v1/workflows/{id}/node-counts).
struct LiveCounts {
    std::map<std::string, std::int64_t> total;   // leads whose current node is the key
    std::map<std::string, std::int64_t> active;  // of those, status "active"
    std::int64_t not_started = 0;                // leads with no current node
    std::int64_t enrolled = 0;
};
// When the live view polls next, for counts requested at `sent_ms` and answered at
// `answered_ms`: once a second (kLivePollMs), but never sooner than three times the answer's
// duration after it arrived, so a slow count (millions of leads) keeps the server's load from
// polling under a quarter.
constexpr double kLivePollMs = 1000.0;
double next_live_poll_ms(double sent_ms, double answered_ms);

// Reads a node-counts answer. kInvalidArgument when it does not have the documented shape.
Result<LiveCounts> read_node_counts(const Json& body);

}  // namespace leadflow::web
