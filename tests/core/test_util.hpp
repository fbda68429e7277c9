// Helpers for the core tests (tests may do IO; the core may not).
#pragma once

#include <string>

namespace leadflow::testing {

// The whole file, or "" when it cannot be read.
std::string read_file(const std::string& path);
// Absolute path of tests/fixtures/<name>.
std::string fixture_path(const std::string& name);
// Contents of tests/fixtures/<name>.
std::string read_fixture(const std::string& name);

}  // namespace leadflow::testing

#include "leadflow/model.hpp"
#include "leadflow/time_zone.hpp"

namespace leadflow::testing {

// Milliseconds of a UTC wall time, counted day by day — independent of the calendar code under
// test, so expected instants in tests are computed a second way.
TimeMs utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int ms = 0);

// The zone named `name`; fails the current test (and returns UTC) when it is unknown.
TimeZone zone(const char* name);

}  // namespace leadflow::testing
