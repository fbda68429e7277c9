// server/cli_db.cpp — the database commands of leadflow-server: backup and migrate.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <ostream>

#include "cli_internal.hpp"
#include "store/open_store.hpp"
#include "store/pg_store.hpp"
#include "store/sqlite_backup.hpp"
#include "store/sqlite_store.hpp"

namespace leadflow::server {
namespace {

// Parses the options; on success (*o)["db"] is the SQLite file (a "sqlite:" prefix removed) or,
// when `postgres` allows it and *kind says so, the PostgreSQL URI.
bool parse_db_args(const std::vector<std::string>& args, const std::vector<std::string>& allowed,
                   CliOptions* o, std::ostream& err, bool postgres = false,
                   StoreLocation::Kind* kind = nullptr) {
    if (!parse_options(args, 1, allowed, o, err)) return false;
    if (!o->count("db") || (*o)["db"].empty()) {
        err << "leadflow-server: " << args[0] << " needs --db PATH\n";
        return false;
    }
    auto loc = parse_store_location((*o)["db"]);
    if (!loc.ok()) {
        err << "leadflow-server: " << loc.status().message() << "\n";
        return false;
    }
    if (loc->kind != StoreLocation::Kind::kSqlite && !postgres) {
        err << "leadflow-server: " << args[0]
            << " works on a SQLite file (--db PATH); back up PostgreSQL with pg_dump\n";
        return false;
    }
    (*o)["db"] = loc->target;
    if (kind) *kind = loc->kind;
    return true;
}

std::string megabytes(std::int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return buf;
}

}  // namespace

int db_backup(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CliOptions o;
    if (!parse_db_args(args, {"db", "to"}, &o, err)) return 2;
    if (!o.count("to") || o["to"].empty()) {
        err << "leadflow-server: backup needs --to FILE (a new file)\n";
        return 2;
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto r = backup_sqlite_database(o["db"], o["to"]);
    if (!r.ok()) return store_error(r.status(), err);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f s", s);
    out << "backed up " << o["db"] << " to " << o["to"] << ": " << r->pages << " pages, "
        << megabytes(r->bytes) << ", schema version " << r->schema_version << ", in " << secs
        << "\n";
    return 0;
}

int db_migrate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CliOptions o;
    StoreLocation::Kind kind = StoreLocation::Kind::kSqlite;
    if (!parse_db_args(args, {"db"}, &o, err, true, &kind)) return 2;
    const bool pg = kind == StoreLocation::Kind::kPostgres;
    struct stat st {};
    if (!pg && ::stat(o["db"].c_str(), &st) != 0) {
        err << "leadflow-server: no database at " << o["db"]
            << " (serve creates one; migrate only upgrades an existing file)\n";
        return 2;
    }
    auto before = pg ? pg_schema_version_of(o["db"]) : sqlite_schema_version_of(o["db"]);
    if (!before.ok()) return store_error(before.status(), err);
    auto store = pg ? open_pg_store(o["db"]) : open_sqlite_store(o["db"]);
    if (!store.ok()) return store_error(store.status(), err);
    const int after = store.value()->schema_version();
    if (before.value() == after) {
        out << printable_store_location(o["db"]) << ": schema version " << after
            << ", the latest; nothing to do\n";
    } else if (before.value() == 0) {
        out << printable_store_location(o["db"]) << ": created at schema version " << after << "\n";
    } else {
        out << printable_store_location(o["db"]) << ": migrated from schema version "
            << before.value() << " to " << after << "\n";
    }
    return 0;
}

}  // namespace leadflow::server
