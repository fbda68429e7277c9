// server/store/open_store.cpp — see open_store.hpp.
#include "store/open_store.hpp"

#include "store/pg_store.hpp"
#include "store/sqlite_store.hpp"

namespace leadflow::server {

Result<StoreLocation> parse_store_location(const std::string& db) {
    StoreLocation loc;
    if (db.rfind("postgres://", 0) == 0 || db.rfind("postgresql://", 0) == 0) {
        loc.kind = StoreLocation::Kind::kPostgres;
        loc.target = db;
        return loc;
    }
    loc.target = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
    if (loc.target.empty()) {
        return Status::invalid("--db needs a database: a file path, or sqlite:PATH");
    }
    return loc;
}

Result<std::unique_ptr<Store>> open_store(const std::string& db) {
    auto loc = parse_store_location(db);
    if (!loc.ok()) return loc.status();
    if (loc->kind == StoreLocation::Kind::kPostgres) {
        return open_pg_store(loc->target);
    }
    return open_sqlite_store(loc->target);
}

}  // namespace leadflow::server
