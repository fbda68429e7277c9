// Shared helpers for the core tests: reading fixtures (real files: natively, and under node
// through NODERAWFS in the WebAssembly build).
#include "test_util.hpp"

#include <fstream>
#include <sstream>

namespace leadflow::testing {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string fixture_path(const std::string& name) {
    return std::string(LEADFLOW_FIXTURES_DIR) + "/" + name;
}

std::string read_fixture(const std::string& name) {
    return read_file(fixture_path(name));
}

}  // namespace leadflow::testing
