// server/cli.hpp — the leadflow-server command line: `serve`, `keys create`, `--help`.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace leadflow::server {

// Runs the command line `args` (without the program name). Output goes to `out`, errors to
// `err`. Returns the process exit code: 0 on success, 2 on a usage error, 1 on a runtime failure.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The --help text.
std::string usage_text();

}  // namespace leadflow::server
