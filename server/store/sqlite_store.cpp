// server/store/sqlite_store.cpp — SQLite implementation of store.hpp: the Store, which hands
// out the connections (one write turn at a time, a pool of readers) and decides when the WAL is
// checkpointed. The rest is in the files sqlite_internal.hpp lists.
//
// Index
//   [SECTION] SqliteStore
//   [SECTION] Opening
#include "store/sqlite_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "store/sqlite_internal.hpp"
#include "util/log_text.hpp"

namespace leadflow::server {
namespace {

using sqlite_internal::Checkpointer;
using sqlite_internal::Connection;
using sqlite_internal::migrate_schema;
using sqlite_internal::open_connection;
using sqlite_internal::PendingWrite;
using sqlite_internal::sqlite_failure;
using sqlite_internal::SqliteTx;
using sqlite_internal::WriteBehind;

// [SECTION] SqliteStore

class SqliteStore final : public Store {
  public:
    SqliteStore(std::unique_ptr<Connection> writer, std::string path, std::string vfs, bool readers)
        : writer_(std::move(writer)),
          path_(std::move(path)),
          vfs_(std::move(vfs)),
          readers_enabled_(readers) {
        if (readers_enabled_) {
            checkpointer_ = std::make_unique<Checkpointer>(path_, vfs_);
            // Replaces the writer's automatic checkpoint: its commits only ask for one.
            sqlite3_wal_hook(writer_->db, &SqliteStore::on_writer_wal, this);
        }
    }

    Connection& writer() { return *writer_; }

    // Up to `target` (0: the latest version).
    Status migrate(int target) { return migrate_schema(*writer_, target, version_); }

    Status transact(const std::function<Status(StoreTx&)>& fn) override {
        WriteTurn turn(*this, true);
        std::lock_guard<std::mutex> lock(write_mu_);
        Status st = run_transaction(*writer_, fn);
        after_transaction(*writer_, st);
        // Only when the background thread could not keep up (API writes back to back, or its
        // connection could not be opened): within the write turn, so that no write transaction
        // begins before the log is wholly copied and the next commit restarts it.
        if (checkpointer_ && wal_pages_.load() >= kWriterCatchUpPages) {
            catch_up(*writer_, writer_checkpoints_);
        }
        return st;
    }

    // The scheduler's connection: its own (opened on first use) with foreign key checks off —
    // it only inserts history and call rows for leads it has just read in the same
    // transaction, and never deletes — and no automatic checkpoint inside its commits: it
    // checkpoints after its write turn instead (see Checkpointer).
    Status live_transact(const std::function<Status(StoreTx&)>& fn) override {
        std::lock_guard<std::mutex> lock(live_mu_);
        if (!readers_enabled_) {  // an in-memory database has one connection
            WriteTurn turn(*this, false);
            std::lock_guard<std::mutex> writer_lock(write_mu_);
            Status st = run_transaction(*writer_, fn);
            after_transaction(*writer_, st);
            return st;
        }
        if (!live_) {
            if (Status st = open_live_connection(); !st) return st;
        }
        Status st;
        {
            WriteTurn turn(*this, false);
            st = run_transaction(*live_, fn, live_behind_.get());
            after_transaction(*live_, st);
        }
        // Once the log is long; the scheduler's next transaction then writes into a restarted
        // log.
        if (wal_pages_.load() >= kCatchUpPages) catch_up(*live_, scheduler_checkpoints_);
        return st;
    }

    bool api_write_waiting() const override { return api_waiting_.load() > 0; }

    Status read(const std::function<Status(StoreTx&)>& fn) override {
        if (!readers_enabled_) {
            // An in-memory database has one connection: reads share it with the writer.
            std::lock_guard<std::mutex> lock(write_mu_);
            SqliteTx tx(writer_->db, &writer_->cache);
            return fn(tx);
        }
        auto lease = lease_reader();
        if (!lease.ok()) return lease.status();
        Connection& c = *lease->conn;
        // One read transaction: every statement of `fn` sees the same snapshot, and writers
        // (WAL) go on meanwhile.
        if (Status st = run_cached(c, "BEGIN"); !st) return st;
        lease->in_tx = true;
        SqliteTx tx(c.db, &c.cache);
        return fn(tx);
    }

    int schema_version() const override { return version_; }

    // PRAGMA data_version of a connection of its own changes whenever another connection
    // (every writer of this process, and other processes) commits.
    std::optional<std::int64_t> commit_counter() override {
        if (!readers_enabled_) return std::nullopt;
        std::lock_guard<std::mutex> lock(version_mu_);
        if (!version_conn_) {
            auto c = open_connection(path_, false, vfs_);
            if (!c.ok()) return std::nullopt;
            version_conn_ = std::move(c).value();
        }
        sqlite3_stmt* st = nullptr;
        auto it = version_conn_->cache.find("PRAGMA data_version");
        if (it != version_conn_->cache.end()) {
            st = it->second;
        } else if (sqlite3_prepare_v2(version_conn_->db, "PRAGMA data_version", -1, &st, nullptr) ==
                   SQLITE_OK) {
            version_conn_->cache.emplace("PRAGMA data_version", st);
        } else {
            return std::nullopt;
        }
        std::optional<std::int64_t> v;
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return v;
    }

    std::vector<StoreMetric> metrics() const override {
        const SqliteCheckpointCounts c = checkpoint_counts();
        StoreMetric checkpoints{"leadflow_wal_checkpoints_total",
                                "SQLite WAL checkpoints by who ran them.",
                                true,
                                {{{{"by", "background"}}, c.background},
                                 {{{"by", "scheduler"}}, c.scheduler},
                                 {{{"by", "api"}}, c.writer}}};
        StoreMetric pages{"leadflow_wal_pages",
                          "Length of the SQLite WAL after the last commit, in pages.",
                          false,
                          {{{}, c.log_pages}}};
        return {std::move(checkpoints), std::move(pages)};
    }

    SqliteCheckpointCounts checkpoint_counts() const {
        SqliteCheckpointCounts c;
        if (checkpointer_) {
            c.background = checkpointer_->runs();
            c.background_running = checkpointer_->busy();
        }
        c.scheduler = scheduler_checkpoints_.load();
        c.writer = writer_checkpoints_.load();
        c.log_pages = wal_pages_.load();
        c.truncated_after_failure = truncations_.load();
        return c;
    }

  private:
    // WAL lengths in pages (~4 KB) from which the scheduler checkpoints after its commit, an
    // API commit asks for a background checkpoint, and an API writer checkpoints after its
    // commit (see kSqliteCheckpointPages, Checkpointer).
    static constexpr int kCatchUpPages = kSqliteCheckpointPages;
    static constexpr int kBackgroundPages = kCatchUpPages + kCatchUpPages / 2;
    static constexpr int kWriterCatchUpPages = 2 * kCatchUpPages;

    // One writer at a time over the writer and scheduler connections (so they never meet
    // SQLITE_BUSY), and API writers that are waiting go before the scheduler's next
    // transaction.
    class WriteTurn {
      public:
        WriteTurn(SqliteStore& s, bool api) : s_(s) {
            std::unique_lock<std::mutex> lock(s_.turn_mu_);
            if (api) {
                ++s_.api_waiting_;
                s_.turn_cv_.wait(lock, [this] { return !s_.writing_; });
                --s_.api_waiting_;
            } else {
                s_.turn_cv_.wait(lock, [this] { return !s_.writing_ && s_.api_waiting_ == 0; });
            }
            s_.writing_ = true;
        }
        ~WriteTurn() {
            {
                std::lock_guard<std::mutex> lock(s_.turn_mu_);
                s_.writing_ = false;
            }
            s_.turn_cv_.notify_all();
        }
        WriteTurn(const WriteTurn&) = delete;
        WriteTurn& operator=(const WriteTurn&) = delete;

      private:
        SqliteStore& s_;
    };

    // One write transaction on a connection: begun by begin(), committed by commit(), and
    // rolled back when the guard goes away uncommitted — a body that returned a failure, a
    // failed commit, or an exception thrown by the body (which then goes on to the caller). So
    // no path leaves the connection inside a transaction, where every later BEGIN would fail.
    // `behind`: the connection's write-behind; what it still holds runs (or is dropped)
    // before the rollback, so the worker never uses the connection after the guard.
    class TxGuard {
      public:
        TxGuard(Connection& c, WriteBehind* behind) : c_(c), behind_(behind) {}
        TxGuard(const TxGuard&) = delete;
        TxGuard& operator=(const TxGuard&) = delete;
        ~TxGuard() {
            if (!open_) return;
            if (behind_) behind_->abandon();
            // SQLite may already have rolled back by itself (after SQLITE_FULL or an I/O
            // error inside a statement): then there is nothing to end.
            if (sqlite3_get_autocommit(c_.db)) return;
            if (Status st = c_.exec("ROLLBACK"); !st) {
                std::fprintf(stderr, "leadflow-server: cannot roll back a transaction: %s\n",
                             st.message().c_str());
            }
        }
        Status begin() {
            Status st = c_.exec("BEGIN IMMEDIATE");
            open_ = st.is_ok();
            return st;
        }
        Status commit() {
            Status st = c_.exec("COMMIT");
            if (st) open_ = false;
            return st;
        }

      private:
        Connection& c_;
        WriteBehind* behind_;
        bool open_ = false;
    };

    // `behind`: the connection's write-behind, drained before the commit or rollback.
    static Status run_transaction(Connection& c, const std::function<Status(StoreTx&)>& fn,
                                  WriteBehind* behind = nullptr) {
        TxGuard guard(c, behind);
        if (Status st = guard.begin(); !st) return st;
        SqliteTx tx(c.db, &c.cache, behind);
        Status result = fn(tx);
        if (result) result = tx.flush_history_heads();
        if (Status writes = tx.finish_writes(); !writes && result) result = writes;
        if (!result) return result;  // the guard rolls back
        return guard.commit();
    }

    // After a transaction of the writer or the scheduler's connection, inside its write turn:
    // remembers a storage failure, and at the first commit after one checkpoints the whole
    // WAL and truncates it, so that the log (grown while checkpoints failed) gives its space
    // back instead of filling the disk again.
    void after_transaction(Connection& c, const Status& st) {
        if (st.code() == StatusCode::kUnavailable) {
            if (!storage_failed_.exchange(true)) {
                std::fprintf(stderr, "leadflow-server: storage failure, writes are not saved: %s\n",
                             st.message().c_str());
            }
            return;
        }
        if (!st || !storage_failed_.exchange(false) || !readers_enabled_) return;
        int log = 0, copied = 0;
        int rc =
            sqlite3_wal_checkpoint_v2(c.db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &copied);
        std::fprintf(stderr, "leadflow-server: storage writes succeed again; WAL checkpoint: %s\n",
                     rc == SQLITE_OK ? "copied and truncated" : sqlite3_errstr(rc));
        if (rc == SQLITE_OK) {
            wal_pages_ = 0;
            truncations_.fetch_add(1);
        }
    }

    // A passive checkpoint on `c`: the next write transaction then begins with every frame
    // copied, and its commit restarts the log. While another checkpoint runs (the background
    // one), SQLite answers SQLITE_BUSY at once and the next commit tries again.
    void catch_up(Connection& c, std::atomic<std::int64_t>& count) {
        if (sqlite3_wal_checkpoint_v2(c.db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) ==
            SQLITE_OK) {
            count.fetch_add(1);
        }
    }

    // After every commit of the scheduler's connection: `pages` is the length of the log.
    static int on_live_wal(void* self, sqlite3*, const char*, int pages) {
        static_cast<SqliteStore*>(self)->wal_pages_ = pages;
        return SQLITE_OK;
    }
    // After every commit of the writer connection: asks for a background checkpoint while the
    // log is long (a request while one runs is dropped).
    static int on_writer_wal(void* self, sqlite3*, const char*, int pages) {
        auto* store = static_cast<SqliteStore*>(self);
        store->wal_pages_ = pages;
        if (pages >= kBackgroundPages) store->checkpointer_->request();
        return SQLITE_OK;
    }

    Status open_live_connection() {
        auto c = open_connection(path_, false, vfs_);
        if (!c.ok()) return c.status();
        for (const char* pragma : {"PRAGMA foreign_keys = OFF", "PRAGMA synchronous = NORMAL",
                                   "PRAGMA cache_size = -65536", "PRAGMA mmap_size = 268435456"}) {
            if (Status st = c.value()->exec(pragma); !st) {
                return Status::internal("cannot configure the scheduler's connection to " + path_ +
                                        ": " + st.message());
            }
        }
        sqlite3_wal_hook(c.value()->db, &SqliteStore::on_live_wal, this);  // no autocheckpoint
        live_ = std::move(c.value());
        Connection* conn = live_.get();
        live_behind_ =
            std::make_unique<WriteBehind>([conn, stmts = SqliteTx::PendingStmts()](
                                              const PendingWrite* writes, std::size_t n) mutable {
                return SqliteTx::run_pending(conn->db, &conn->cache, &stmts, writes, n);
            });
        return Status::ok();
    }

    // A reader connection taken from the pool for one read(); back into the pool (with its
    // read transaction ended) when the lease goes away, also when `fn` throws.
    struct ReaderLease {
        SqliteStore* store = nullptr;
        std::unique_ptr<Connection> conn;
        bool in_tx = false;
        ReaderLease(SqliteStore* s, std::unique_ptr<Connection> c) : store(s), conn(std::move(c)) {}
        ReaderLease(ReaderLease&& o) noexcept
            : store(o.store), conn(std::move(o.conn)), in_tx(o.in_tx) {}
        ReaderLease& operator=(ReaderLease&&) = delete;
        ~ReaderLease() {
            if (!conn) return;
            if (in_tx && run_cached(*conn, "COMMIT")) in_tx = false;
            // A connection whose transaction could not be ended is not reused.
            if (in_tx || !sqlite3_get_autocommit(conn->db)) return;
            store->return_reader(std::move(conn));
        }
    };

    // Runs a short statement through the connection's statement cache.
    static Status run_cached(Connection& c, const char* sql) {
        sqlite3_stmt* s = nullptr;
        auto it = c.cache.find(sql);
        if (it != c.cache.end()) {
            s = it->second;
        } else {
            if (sqlite3_prepare_v3(c.db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) !=
                SQLITE_OK) {
                return Status::internal(std::string("sqlite: ") + sqlite3_errmsg(c.db));
            }
            c.cache.emplace(sql, s);
        }
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return sqlite_failure(rc, std::string("sqlite: ") + sqlite3_errstr(rc));
        return Status::ok();
    }

    Result<ReaderLease> lease_reader() {
        {
            std::lock_guard<std::mutex> lock(pool_mu_);
            if (!idle_readers_.empty()) {
                auto c = std::move(idle_readers_.back());
                idle_readers_.pop_back();
                return ReaderLease(this, std::move(c));
            }
        }
        // None idle: open one more. The pool grows to the number of concurrent readers.
        auto c = open_connection(path_, false, vfs_);
        if (!c.ok()) return c.status();
        Connection& conn = *c.value();
        for (const char* pragma : {"PRAGMA query_only = ON", "PRAGMA cache_size = -16384",
                                   "PRAGMA mmap_size = 268435456"}) {
            if (Status st = conn.exec(pragma); !st) return st;
        }
        return ReaderLease(this, std::move(c.value()));
    }

    void return_reader(std::unique_ptr<Connection> c) {
        std::lock_guard<std::mutex> lock(pool_mu_);
        idle_readers_.push_back(std::move(c));
    }

    std::unique_ptr<Connection> writer_;
    const std::string path_, vfs_;
    const bool readers_enabled_;
    std::mutex version_mu_;                     // commit_counter()
    std::unique_ptr<Connection> version_conn_;  // opened by the first commit_counter()
    std::mutex write_mu_;
    std::mutex pool_mu_;
    std::vector<std::unique_ptr<Connection>> idle_readers_;
    int version_ = 0;
    // The scheduler's connection (live_transact).
    std::unique_ptr<Connection> live_;
    std::unique_ptr<WriteBehind> live_behind_;  // declared after live_: stops before it closes
    std::mutex live_mu_;
    // Checkpoints (see Checkpointer). checkpointer_ is null for an in-memory database.
    std::unique_ptr<Checkpointer> checkpointer_;
    std::atomic<int> wal_pages_{0};
    std::atomic<std::int64_t> scheduler_checkpoints_{0}, writer_checkpoints_{0};
    // A write failed for want of storage and no write has succeeded since (after_transaction).
    std::atomic<bool> storage_failed_{false};
    std::atomic<std::int64_t> truncations_{0};
    // Write turns (WriteTurn).
    std::mutex turn_mu_;
    std::condition_variable turn_cv_;
    bool writing_ = false;
    std::atomic<int> api_waiting_{0};
};

// [SECTION] Opening

// The database holds webhook secrets and every tenant's data: the file and its -wal and -shm
// companions are for the server's user only. A new file is created 0600 before SQLite opens it
// (SQLite creates -wal and -shm with the mode of the database file); an existing file that
// group or others may read or write is changed to 0600, with a warning.
void protect_database_files(const std::string& path) {
    if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
        return;  // failures are reported by sqlite3_open_v2 next
    }
    for (const std::string& f : {path, path + "-wal", path + "-shm"}) {
        if (::stat(f.c_str(), &st) != 0 || (st.st_mode & 077) == 0) continue;
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        if (::chmod(f.c_str(), st.st_mode & 0700) == 0) {
            log_line("warning: " + log_escape(f) + " was open to other users (mode " + mode +
                     "); changed to owner-only");
        } else {
            log_line("warning: " + log_escape(f) + " is open to other users (mode " + mode +
                     ") and cannot be changed: " + std::strerror(errno));
        }
    }
}

}  // namespace

SqliteCheckpointCounts sqlite_checkpoint_counts(const Store& store) {
    const auto* sqlite = dynamic_cast<const SqliteStore*>(&store);
    return sqlite ? sqlite->checkpoint_counts() : SqliteCheckpointCounts{};
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, int migrate_to,
                                                 const std::string& vfs) {
    protect_database_files(path);
    auto writer = open_connection(path, true, vfs);
    if (!writer.ok()) return Status::internal(writer.status().message());
    // Reads get connections of their own, except for a private in-memory database (a second
    // connection would open a different, empty database).
    const bool readers = !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
    auto store = std::make_unique<SqliteStore>(std::move(writer.value()), path, vfs, readers);
    for (const char* pragma :
         {"PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
          // A 64 MB page cache and memory-mapped reads: the scheduler's batches touch many
          // lead pages; without them most time goes to read() system calls.
          "PRAGMA cache_size = -65536", "PRAGMA mmap_size = 268435456"}) {
        if (Status st = store->writer().exec(pragma); !st) {
            return Status::internal("cannot configure database " + path + ": " + st.message());
        }
    }
    if (Status st = store->migrate(migrate_to); !st) {
        if (st.code() == StatusCode::kFailedPrecondition) return st;
        return Status::internal("cannot migrate database " + path + ": " + st.message());
    }
    return std::unique_ptr<Store>(std::move(store));
}

}  // namespace leadflow::server
