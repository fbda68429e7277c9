// server/store/sqlite_backup.hpp — operations on a SQLite database file besides serving it:
// online backups and schema migrations (leadflow-server backup / migrate).
#pragma once

#include <cstdint>
#include <string>

#include "leadflow/status.hpp"

namespace leadflow::server {

struct SqliteBackupReport {
    std::int64_t pages = 0;
    std::int64_t bytes = 0;
    int schema_version = 0;
};

// Copies the database at `db_path` into a new file `to_path` with SQLite's online backup API,
// from one read transaction: the copy is the database as of one instant, and a server using the
// database meanwhile goes on reading and writing (in WAL mode readers and writers do not block
// each other). The copy is written to a temporary file beside `to_path`, checked with
// PRAGMA quick_check, synced and only then renamed to `to_path`, so a failure (disk full, a
// damaged source) leaves no partial backup. The new file is readable by its owner only.
//
// Fails with kInvalidArgument when `to_path` exists (a backup never overwrites a file) or is
// the database itself, kNotFound when `db_path` does not exist or is not a Leadflow database,
// and kInternal (naming the file and SQLite's reason) otherwise.
Result<SqliteBackupReport> backup_sqlite_database(const std::string& db_path,
                                                  const std::string& to_path);

// The schema version recorded in the SQLite file at `path` (PRAGMA user_version), without
// migrating it; 0 for a file that does not exist yet or holds no Leadflow schema.
Result<int> sqlite_schema_version_of(const std::string& path);

}  // namespace leadflow::server
