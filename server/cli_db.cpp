// server/cli_db.cpp — the database commands of leadflow-server: backup and migrate.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <ostream>

#include "cli_internal.hpp"
#include "store/open_store.hpp"
#include "store/sqlite_backup.hpp"
#include "store/sqlite_store.hpp"

namespace leadflow::server {
namespace {

// Parses the options; on success (*o)["db"] is the SQLite file (a "sqlite:" prefix removed).
bool parse_db_args(const std::vector<std::string>& args, const std::vector<std::string>& allowed,
                   CliOptions* o, std::ostream& err) {
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
    if (loc->kind != StoreLocation::Kind::kSqlite) {
        err << "leadflow-server: " << args[0] << " works on a SQLite file (--db PATH)\n";
        return false;
    }
    (*o)["db"] = loc->target;
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
    if (!parse_db_args(args, {"db"}, &o, err)) return 2;
    struct stat st {};
    if (::stat(o["db"].c_str(), &st) != 0) {
        err << "leadflow-server: no database at " << o["db"]
            << " (serve creates one; migrate only upgrades an existing file)\n";
        return 2;
    }
    auto before = sqlite_schema_version_of(o["db"]);
    if (!before.ok()) return store_error(before.status(), err);
    auto store = open_sqlite_store(o["db"]);
    if (!store.ok()) return store_error(store.status(), err);
    const int after = store.value()->schema_version();
    if (before.value() == after) {
        out << o["db"] << ": schema version " << after << ", the latest; nothing to do\n";
    } else if (before.value() == 0) {
        out << o["db"] << ": created at schema version " << after << "\n";
    } else {
        out << o["db"] << ": migrated from schema version " << before.value() << " to " << after
            << "\n";
    }
    return 0;
}

}  // namespace leadflow::server
