// server/cli_internal.hpp — what the files of the leadflow-server command line share.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "leadflow/status.hpp"

namespace leadflow::server {

// Option name (without "--") → value.
using CliOptions = std::map<std::string, std::string>;

// Parses "--name value" (or "--name=value") pairs of args[start..]; every option takes a value.
// Fails, with a line on `err`, on an unknown name, a missing value or a stray argument.
bool parse_options(const std::vector<std::string>& args, std::size_t start,
                   const std::vector<std::string>& allowed, CliOptions* out, std::ostream& err);

// Writes the failure on `err`; returns the exit code: 2 for what the user must change (bad
// input, nothing found, a database newer than this build), 1 otherwise.
int store_error(const Status& s, std::ostream& err);

// `backup --db PATH --to FILE` and `migrate --db PATH` (cli_db.cpp).
int db_backup(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int db_migrate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace leadflow::server
