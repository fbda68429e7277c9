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
