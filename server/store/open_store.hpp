// server/store/open_store.hpp — the store named by a --db value.
#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace leadflow::server {

// What a --db value names.
struct StoreLocation {
    enum class Kind { kSqlite, kPostgres };
    Kind kind = Kind::kSqlite;
    std::string target;  // the SQLite file path, or the PostgreSQL connection URI
};

// "sqlite:PATH" or a plain PATH: an embedded SQLite file; "postgres://…" or "postgresql://…":
// a PostgreSQL server. Fails with kInvalidArgument on an empty value or an empty path.
Result<StoreLocation> parse_store_location(const std::string& db);

// The --db value as it may be printed (logs, hints): a password in a PostgreSQL URI (user:PASS@
// or password=PASS) replaced by "***"; any other value unchanged.
std::string printable_store_location(const std::string& db);

// Opens (creating and migrating as needed) the store a --db value names: open_sqlite_store
// (sqlite_store.hpp) or open_pg_store (pg_store.hpp).
Result<std::unique_ptr<Store>> open_store(const std::string& db);

}  // namespace leadflow::server
