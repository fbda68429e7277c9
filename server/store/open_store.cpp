// server/store/open_store.cpp — see open_store.hpp.
#include "store/open_store.hpp"

#include <algorithm>

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

std::string printable_store_location(const std::string& db) {
    auto loc = parse_store_location(db);
    if (!loc.ok() || loc->kind != StoreLocation::Kind::kPostgres) return db;
    std::string out = db;
    // user:PASS@ in the authority (between "://" and the first '/' or '?').
    const std::size_t start = out.find("://") + 3;
    const std::size_t end = std::min(out.find('/', start), out.find('?', start));
    const std::size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
        const std::size_t colon = out.find(':', start);
        if (colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    // password=PASS among the query parameters.
    for (std::size_t p = out.find("password="); p != std::string::npos;
         p = out.find("password=", p + 1)) {
        const std::size_t from = p + 9;
        const std::size_t to = std::min(out.find('&', from), out.size());
        out.replace(from, to - from, "***");
    }
    return out;
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
