// server/store/sqlite_connection.cpp — opening and closing SQLite connections.
#include <chrono>
#include <thread>

#include "store/sqlite_internal.hpp"

namespace leadflow::server::sqlite_internal {

Connection::~Connection() {
    for (auto& [sql, stmt] : cache) sqlite3_finalize(stmt);
    sqlite3_close(db);
}

Status Connection::exec(const std::string& sql) {
    char* err = nullptr;
    if (int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        return sqlite_failure(rc, "sqlite: " + msg);
    }
    return Status::ok();
}

namespace {

// A lock another connection (or process) holds: retried every millisecond for up to ~5 s.
// SQLite's own busy timeout sleeps 1, 2, 5, 10 ... 100 ms between tries, so a writer that met
// a lock held for a quarter of a second went on up to 100 ms after it was free (while API
// writes waited for it).
int wait_for_lock(void*, int tries) {
    if (tries >= 5000) return 0;  // SQLITE_BUSY to the caller
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
}

}  // namespace

Result<std::unique_ptr<Connection>> open_connection(const std::string& path, bool create,
                                                    const std::string& vfs) {
    auto c = std::make_unique<Connection>();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path.c_str(), &c->db, flags, vfs.empty() ? nullptr : vfs.c_str());
    if (rc != SQLITE_OK) {
        std::string msg = c->db ? sqlite3_errmsg(c->db) : "out of memory";
        return sqlite_failure(rc, "cannot open database " + path + ": " + msg);
    }
    // Every connection waits for locks instead of failing at once: a reader can meet a short
    // lock while the WAL index is rebuilt or a checkpoint resets the log.
    sqlite3_busy_handler(c->db, &wait_for_lock, nullptr);
    return c;
}

}  // namespace leadflow::server::sqlite_internal
