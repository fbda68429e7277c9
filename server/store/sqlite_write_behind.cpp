// server/store/sqlite_write_behind.cpp — the write-behind of the scheduler's connection: its
// worker thread (WriteBehind) and what the worker runs (SqliteTx::run_pending). See the
// section in sqlite_internal.hpp.
#include "store/sqlite_internal.hpp"

namespace leadflow::server::sqlite_internal {

WriteBehind::WriteBehind(Runner run) : run_(std::move(run)) {
    worker_ = std::thread([this] { work(); });
}

WriteBehind::~WriteBehind() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
    }
    work_cv_.notify_one();
    worker_.join();
}

Status WriteBehind::drain() {
    if (filling_.n > 0) flush();
    std::unique_lock<std::mutex> lock(mu_);
    idle_cv_.wait(lock, [this] { return queue_.empty() && !working_; });
    Status st = error_;
    error_ = Status::ok();
    return st;
}

void WriteBehind::flush() {
    std::unique_lock<std::mutex> lock(mu_);
    idle_cv_.wait(lock, [this] { return queue_.size() < kMaxQueued; });
    queue_.push_back(std::move(filling_));
    if (!spare_.empty()) {
        filling_ = std::move(spare_.back());
        spare_.pop_back();
    } else {
        filling_ = Chunk();
    }
    filling_.n = 0;
    lock.unlock();
    work_cv_.notify_one();
}

void WriteBehind::work() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
        work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping
        Chunk c = std::move(queue_.front());
        queue_.erase(queue_.begin());
        working_ = true;
        const bool failed = !error_;
        lock.unlock();
        Status st;
        if (!failed) st = run_(c.writes.data(), c.n);
        lock.lock();
        if (!st && error_) error_ = st;
        working_ = false;
        c.n = 0;
        spare_.push_back(std::move(c));
        idle_cv_.notify_all();
    }
}

Status SqliteTx::run_pending(sqlite3* db, StmtCache* cache, PendingStmts* stmts,
                             const PendingWrite* writes, std::size_t n) {
    for (std::size_t i = 0; i < n;) {
        std::size_t rows = 1;
        if (writes[i].sql == &kHistoryInsert[1]) {
            while (rows < kHistoryRowsMax && i + rows < n &&
                   writes[i + rows].sql == &kHistoryInsert[1]) {
                ++rows;
            }
        }
        const std::string* sql = rows > 1 ? &kHistoryInsert[rows] : writes[i].sql;
        sqlite3_stmt*& raw_stmt = (*stmts)[sql];
        if (!raw_stmt) raw_stmt = raw(db, cache, *sql);
        Stmt s(db, raw_stmt);
        for (std::size_t r = i; r < i + rows; ++r) bind_pending(s, writes[r]);
        const PendingWrite& w = writes[i];
        Status st = w.missing ? s.exec_changing(w.missing) : s.exec();
        if (!st) return st;
        i += rows;
    }
    return Status::ok();
}

void SqliteTx::bind_pending(Stmt& s, const PendingWrite& w) {
    for (std::size_t i = 0; i < w.count; ++i) {
        const PendingValue& v = w.values[i];
        switch (v.kind) {
            case PendingValue::kNull:
                s.bind_null();
                break;
            case PendingValue::kInt:
                s.bind(v.i);
                break;
            case PendingValue::kReal:
                s.bind(v.d);
                break;
            case PendingValue::kText:
                s.bind_static(v.s);
                break;
        }
    }
}

const std::array<std::string, SqliteTx::kHistoryRowsMax + 1> SqliteTx::kHistoryInsert = [] {
    std::array<std::string, kHistoryRowsMax + 1> a;
    for (std::size_t k = 1; k <= kHistoryRowsMax; ++k) {
        std::string sql = "INSERT INTO history(id, lead_id, prev_id, entry) VALUES (?, ?, ?, ?)";
        for (std::size_t i = 1; i < k; ++i) sql += ", (?, ?, ?, ?)";
        a[k] = std::move(sql);
    }
    return a;
}();

}  // namespace leadflow::server::sqlite_internal
