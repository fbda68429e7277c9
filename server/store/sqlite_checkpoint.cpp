// server/store/sqlite_checkpoint.cpp — the thread of background WAL checkpoints (Checkpointer,
// see its section in sqlite_internal.hpp).
#include <cstdio>

#include "store/sqlite_internal.hpp"

namespace leadflow::server::sqlite_internal {

Checkpointer::Checkpointer(std::string path, std::string vfs)
    : path_(std::move(path)), vfs_(std::move(vfs)) {
    thread_ = std::thread([this] { work(); });
}

Checkpointer::~Checkpointer() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
}

void Checkpointer::request() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (requested_ || busy_) return;
        requested_ = true;
    }
    cv_.notify_one();
}

bool Checkpointer::busy() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requested_ || busy_;
}

void Checkpointer::work() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
        cv_.wait(lock, [this] { return stopping_ || requested_; });
        if (stopping_) return;
        requested_ = false;
        busy_ = true;
        lock.unlock();
        checkpoint();
        lock.lock();
        busy_ = false;
    }
}

void Checkpointer::checkpoint() {
    if (!conn_) {
        auto c = open_connection(path_, false, vfs_);
        Status st = c.ok() ? c.value()->exec("PRAGMA synchronous = NORMAL") : c.status();
        if (!st) {
            // The writers' own checkpoints (the scheduler's catch-up, the writer's
            // fallback) still bound the log; say once why this thread does not help.
            if (!failed_) {
                std::fprintf(stderr, "leadflow-server: background checkpoints are off: %s\n",
                             st.message().c_str());
            }
            failed_ = true;
            return;
        }
        conn_ = std::move(c.value());
    }
    // Frames committed while it ran are copied by a second (shorter) pass, and so on a few
    // times, so that the log is wholly copied when the writes pause. SQLITE_BUSY (another
    // checkpoint is running) is fine: that one does the work.
    for (int pass = 0; pass < 4; ++pass) {
        int log = 0, copied = 0;
        int rc =
            sqlite3_wal_checkpoint_v2(conn_->db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
        if (rc != SQLITE_OK) break;
        runs_.fetch_add(1);
        if (copied >= log) break;
    }
}

}  // namespace leadflow::server::sqlite_internal
