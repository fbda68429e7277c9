// server/store/sqlite_store.hpp — the Store on one embedded SQLite file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace leadflow::server {

// Opens (creating if needed) the SQLite database at `path` (":memory:" works for tests), sets
// WAL journaling, foreign keys and a busy timeout, and applies every schema migration the file
// has not seen yet, each in its own transaction (PRAGMA user_version records the version).
// Fails with kInternal naming the file when it cannot be opened or migrated, and with
// kFailedPrecondition when the file's schema is newer than this build knows.
//
// Writes (Store::transact) go through one connection, one transaction at a time. Reads
// (Store::read) run on a pool of further connections (query_only, same busy timeout), each read
// in one read transaction: it sees one consistent snapshot and neither waits for writers nor
// blocks them (WAL). The pool grows to the number of concurrent readers. A ":memory:" database
// has a single connection shared by reads and writes. The file is for one server process;
// several share a PostgreSQL database (pg_store.hpp).
//
// `migrate_to` (tests of migrations): stop at that schema version instead of the latest; the
// store's own statements expect the latest schema, so such a store serves only to write data
// as an earlier version did.
//
// `vfs`: the name of a registered SQLite VFS every connection opens the file through (tests
// inject storage faults this way, tests/hostile/fault_vfs.hpp); empty = SQLite's default.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, int migrate_to = 0,
                                                 const std::string& vfs = "");

// Length of the WAL, in pages (~4 KB), at which the scheduler's connection copies the log back
// into the database file after a commit so that the log restarts (~80 MB: a long log copies a
// page that many transactions touched once). API writes never checkpoint inside their commit:
// from 1.5 times this length they ask a background thread to, and only from twice this length
// (the background thread could not keep up) does an API writer catch up after its commit.
// sqlite_checkpoint_counts says who ran them.
constexpr int kSqliteCheckpointPages = 20000;

// Checkpoints run so far (the WAL's pages copied back into the database file), by who ran
// them: the background thread, the scheduler right after a commit, or an API writer right
// after a commit (only when the log grew far past the background's length); the length of the
// log after the last commit, in pages; whether the background thread is asked for or running a
// checkpoint. Store::metrics shows the counts and the length on /metrics.
struct SqliteCheckpointCounts {
    std::int64_t background = 0, scheduler = 0, writer = 0;
    std::int64_t log_pages = 0;
    bool background_running = false;
    // Whole-log checkpoints that truncated the WAL at the first commit after a storage failure
    // (disk full, I/O error), so the log gives its space back.
    std::int64_t truncated_after_failure = 0;
};

// The counts of a store open_sqlite_store opened; zeros for any other store (and for an
// in-memory database, which has no WAL).
SqliteCheckpointCounts sqlite_checkpoint_counts(const Store& store);

// The schema version this build migrates to.
int sqlite_schema_latest_version();

}  // namespace leadflow::server
