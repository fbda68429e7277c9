// server/store/pg_store.hpp — the Store on a PostgreSQL server, shared by any number of
// leadflow-server processes.
#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace leadflow::server {

// Connects to the PostgreSQL database `uri` names (postgres://USER@HOST:PORT/DB, or any libpq
// connection string) and applies every schema migration it has not seen yet, each in its own
// transaction (servers starting together migrate once: the migrations run under an advisory
// lock). Fails with kUnavailable when the server cannot be reached, kFailedPrecondition when
// the database's schema is newer than this build knows, kInternal when a migration fails.
//
// Transactions. Every write transaction (Store::transact, Store::live_transact) first takes
// one transaction-scoped advisory lock, the same in every process: write transactions are
// serialized across every server on the database, as the Store contract asks, and a
// check-then-change sequence needs no row locks. Reads (Store::read) run on a pool of further
// connections, each read in one REPEATABLE READ, READ ONLY transaction (one snapshot; never
// waits for writers). A connection the server lost is opened again at its next use; the
// transaction that was running on it fails with kUnavailable.
Result<std::unique_ptr<Store>> open_pg_store(const std::string& uri);

// The schema version this build migrates a PostgreSQL database to.
int pg_schema_latest_version();

// The schema version the database `uri` names is at, without migrating it: 0 when it holds no
// Leadflow schema yet. kUnavailable when the server cannot be reached.
Result<int> pg_schema_version_of(const std::string& uri);

}  // namespace leadflow::server
