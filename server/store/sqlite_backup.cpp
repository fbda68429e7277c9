// server/store/sqlite_backup.cpp — see sqlite_backup.hpp.
#include "store/sqlite_backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

namespace leadflow::server {
namespace {

// A sqlite3 handle closed on every path out.
struct Db {
    sqlite3* db = nullptr;
    ~Db() { sqlite3_close(db); }
    std::string error() const { return db ? sqlite3_errmsg(db) : "out of memory"; }
};

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// The first column of the first row of `sql` as text ("" when there is none).
std::string query_text(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        const unsigned char* t = sqlite3_column_text(s, 0);
        if (t) out = reinterpret_cast<const char*>(t);
    }
    sqlite3_finalize(s);
    return out;
}

int user_version(sqlite3* db) {
    const std::string v = query_text(db, "PRAGMA user_version");
    return v.empty() ? 0 : std::stoi(v);
}

// Flushes `path` (a file or a folder) to stable storage.
bool sync_path(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

std::string folder_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

Status copy_into(sqlite3* src, sqlite3* dst, const std::string& db_path, std::int64_t* pages) {
    sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) return Status::internal("cannot start the backup: " + std::string(sqlite3_errmsg(dst)));
    int rc = SQLITE_OK;
    // One step copies every page inside one read transaction of the source; a lock held for a
    // moment (a checkpoint resetting the log) is waited out.
    for (int tries = 0; tries < 500; ++tries) {
        rc = sqlite3_backup_step(b, -1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    *pages = sqlite3_backup_pagecount(b);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        return Status::internal("cannot copy " + db_path + ": " + sqlite3_errstr(rc));
    }
    return Status::ok();
}

}  // namespace

Result<int> sqlite_schema_version_of(const std::string& path) {
    if (!exists(path)) return 0;
    Db db;
    if (sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        return Status::internal("cannot open database " + path + ": " + db.error());
    }
    sqlite3_stmt* probe = nullptr;
    if (sqlite3_prepare_v2(db.db, "SELECT count(*) FROM sqlite_master", -1, &probe, nullptr) !=
        SQLITE_OK) {
        const std::string why = db.error();
        sqlite3_finalize(probe);
        return Status::invalid(path + " is not a SQLite database: " + why);
    }
    sqlite3_finalize(probe);
    return user_version(db.db);
}

Result<SqliteBackupReport> backup_sqlite_database(const std::string& db_path,
                                                  const std::string& to_path) {
    if (to_path.empty()) return Status::invalid("the backup needs a file name (--to FILE)");
    if (exists(to_path)) {
        return Status::invalid(to_path + " already exists; a backup never overwrites a file");
    }
    if (!exists(db_path)) return Status::not_found("no database at " + db_path);
    Db src;
    if (sqlite3_open_v2(db_path.c_str(), &src.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        return Status::internal("cannot open database " + db_path + ": " + src.error());
    }
    sqlite3_busy_timeout(src.db, 5000);
    if (query_text(src.db, "SELECT name FROM sqlite_master WHERE name = 'workflows'").empty()) {
        return Status::not_found(db_path + " is not a Leadflow database (no workflows table)");
    }

    // The copy is written beside its final name and renamed only when complete and checked.
    const std::string tmp = to_path + ".partial-" + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return Status::internal("cannot create " + tmp + ": " + std::strerror(errno));
    ::close(fd);
    SqliteBackupReport report;
    Status st = Status::ok();
    {
        Db dst;
        if (sqlite3_open_v2(tmp.c_str(), &dst.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            st = Status::internal("cannot open " + tmp + ": " + dst.error());
        }
        if (st) st = copy_into(src.db, dst.db, db_path, &report.pages);
        // A backup is one self-contained file: no -wal beside it.
        if (st && query_text(dst.db, "PRAGMA journal_mode = DELETE") != "delete") {
            st = Status::internal("cannot finish " + tmp + ": " + dst.error());
        }
        if (st) {
            const std::string check = query_text(dst.db, "PRAGMA quick_check");
            if (check != "ok") {
                st = Status::internal("the copy of " + db_path + " does not check out: " +
                                      (check.empty() ? dst.error() : check));
            }
        }
        if (st) report.schema_version = user_version(dst.db);
    }
    if (st && !sync_path(tmp, O_RDONLY)) {
        st = Status::internal("cannot sync " + tmp + ": " + std::strerror(errno));
    }
    // link() fails when `to_path` appeared meanwhile: the backup still never overwrites.
    if (st && ::link(tmp.c_str(), to_path.c_str()) != 0) {
        st = Status::internal("cannot create " + to_path + ": " + std::strerror(errno));
    }
    ::unlink(tmp.c_str());
    ::unlink((tmp + "-journal").c_str());
    if (!st) return st;
    sync_path(folder_of(to_path), O_RDONLY | O_DIRECTORY);
    struct stat info {};
    if (::stat(to_path.c_str(), &info) == 0) report.bytes = info.st_size;
    return report;
}

}  // namespace leadflow::server
