// server/store/pg_store.cpp — PgStore: connections, transactions and the write lock
// (pg_store.hpp), and open_pg_store.
#include "store/pg_store.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <vector>

#include "store/pg_internal.hpp"
#include "store/pg_listen.hpp"

namespace leadflow::server {
namespace {

using pg_internal::Connection;
using pg_internal::PgTx;

// The advisory lock every write transaction takes first (any fixed number: it only has to be
// the same in every leadflow-server on the database). API writes take it alone (they may touch
// any workflow); scheduler transactions take it shared, so that the servers' schedulers run
// side by side, each on the workflows it leases (StoreTx::live_hold_workflows), and every API
// write still sees no scheduler transaction half done.
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(7204319012)";
constexpr const char* kSharedWriteLock = "SELECT pg_advisory_xact_lock_shared(7204319012)";

// This process's name in the workflow leases: host, process id and a random part (a process
// id is reused after a restart, and a restarted server must not take its predecessor's
// leases for its own before they lapse).
std::string lease_owner_name() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = 0;
    std::random_device rd;
    char tail[32];
    std::snprintf(tail, sizeof tail, ":%ld:%08x", static_cast<long>(::getpid()), rd());
    return std::string(host) + tail;
}

// One transaction on a connection: begun by begin(), committed by commit(), and rolled back
// when the guard goes away uncommitted — a body that returned a failure, a failed commit, or an
// exception thrown by the body (which then goes on to the caller). So no path leaves the
// connection inside a transaction.
class TxGuard {
  public:
    explicit TxGuard(Connection& c) : c_(c) {}
    TxGuard(const TxGuard&) = delete;
    TxGuard& operator=(const TxGuard&) = delete;
    ~TxGuard() {
        if (!open_ || !c_.healthy()) return;
        if (Status st = c_.exec("ROLLBACK"); !st) {
            std::fprintf(stderr, "leadflow-server: cannot roll back a transaction: %s\n",
                         st.message().c_str());
        }
    }
    Status begin(const char* sql) {
        Status st = c_.exec(sql);
        open_ = st.is_ok();
        return st;
    }
    Status commit() {
        Status st = c_.exec("COMMIT");
        open_ = false;  // a failed COMMIT has ended the transaction too
        return st;
    }

  private:
    Connection& c_;
    bool open_ = false;
};

class PgStore final : public Store {
  public:
    PgStore(std::string uri, std::unique_ptr<Connection> writer, int version)
        : uri_(std::move(uri)), writer_(std::move(writer)), version_(version), listener_(uri_) {}

    // A server that closes its store hands its workflows over at once: its leases and its
    // presence are removed, so the others need not wait for them to lapse.
    ~PgStore() override {
        listener_.set_callback(nullptr);
        std::lock_guard<std::mutex> lock(live_mu_);
        if (!live_ || !live_->healthy()) return;
        Status st =
            pg_internal::Query(*live_,
                               "WITH gone AS (DELETE FROM scheduler_servers WHERE owner = $1)"
                               " UPDATE scheduler_leases SET owner = NULL, lease_until = 0"
                               " WHERE owner = $1")
                .bind(owner_)
                .exec();
        if (!st) {
            std::fprintf(stderr, "leadflow-server: cannot give back the workflow leases: %s\n",
                         st.message().c_str());
        }
    }

    // An API write announces itself to the other servers when it commits (kWorkChannel).
    Status transact(const std::function<Status(StoreTx&)>& fn) override {
        api_waiting_.fetch_add(1);
        std::unique_lock<std::mutex> lock(write_mu_);
        return run_write(writer_, fn, Writer::kApi, &api_waiting_);
    }

    Status live_transact(const std::function<Status(StoreTx&)>& fn) override {
        std::lock_guard<std::mutex> lock(live_mu_);
        return run_write(live_, fn, Writer::kScheduler);
    }

    // On the scheduler's connection, in a transaction of its own that takes no write lock: it
    // touches the lease tables only.
    Result<std::optional<std::vector<std::string>>> lease_workflows(
        const std::vector<std::string>& workflow_ids, std::int64_t lease_ms) override {
        std::lock_guard<std::mutex> lock(live_mu_);
        if (Status st = ensure(live_); !st) return st;
        std::vector<std::string> held;
        {
            TxGuard guard(*live_);
            if (Status st = guard.begin("BEGIN"); !st) return st;
            PgTx tx(*live_, nullptr, owner_);
            auto leased = tx.lease_workflows(workflow_ids, lease_ms);
            if (!leased.ok()) return leased.status();
            held = std::move(leased.value());
            if (Status st = guard.commit(); !st) return st;
        }
        return std::optional<std::vector<std::string>>(std::move(held));
    }

    bool api_write_waiting() const override { return api_waiting_.load() > 0; }

    Status read(const std::function<Status(StoreTx&)>& fn) override {
        auto conn = take_reader();
        if (!conn.ok()) return conn.status();
        std::unique_ptr<Connection> c = std::move(conn.value());
        Status result;
        {
            TxGuard guard(*c);
            if (Status st = guard.begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !st) {
                return st;
            }
            PgTx tx(*c);
            result = fn(tx);
            if (Status st = guard.commit(); !st && result) result = st;
        }
        return_reader(std::move(c));
        return result;
    }

    int schema_version() const override { return version_; }

    bool shared() const override { return true; }

    void on_remote_work(std::function<void()> fn) override {
        listener_.set_callback(std::move(fn));
    }

    // Other servers commit without this process seeing it: nothing read may be kept.
    std::optional<std::int64_t> commit_counter() override { return std::nullopt; }

  private:
    // Opens `c` when it is not open or was lost.
    Status ensure(std::unique_ptr<Connection>& c) {
        if (c && c->healthy()) return Status::ok();
        auto fresh = pg_internal::connect(uri_);
        if (!fresh.ok()) return fresh.status();
        c = std::move(fresh.value());
        return Status::ok();
    }

    // kApi: the write notifies the other servers' listeners at commit. kScheduler: the
    // transaction's lead, history, call and outbox writes are held back and sent together
    // (pg_live_batch.hpp). `waiting` (an API write's count, api_waiting_) goes down once the
    // write lock is held or could not be taken: the write is waiting until then, also while
    // the scheduler's transaction holds the lock.
    enum class Writer { kApi, kScheduler };
    Status run_write(std::unique_ptr<Connection>& c, const std::function<Status(StoreTx&)>& fn,
                     Writer writer, std::atomic<int>* waiting = nullptr) {
        struct Arrival {
            std::atomic<int>* waiting;
            void done() {
                if (waiting) waiting->fetch_sub(1);
                waiting = nullptr;
            }
            ~Arrival() { done(); }
        } arrival{waiting};
        if (Status st = ensure(c); !st) return st;
        TxGuard guard(*c);
        if (Status st = guard.begin("BEGIN"); !st) return st;
        if (Status st = c->exec(writer == Writer::kScheduler ? kSharedWriteLock : kWriteLock);
            !st) {
            return st;
        }
        arrival.done();
        pg_internal::LiveBatch batch;
        PgTx tx(*c, writer == Writer::kScheduler ? &batch : nullptr, owner_);
        Status result = fn(tx);
        if (!result) return result;  // the guard rolls back
        if (Status st = tx.finish(); !st) return st;
        // After a failed statement PostgreSQL answers COMMIT with a rollback and no error: the
        // body went on past a failure it did not return, and none of its writes can be kept.
        if (PQtransactionStatus(c->conn) == PQTRANS_INERROR) {
            return Status::internal(
                "postgres: a statement of the transaction failed, so it was rolled back");
        }
        if (writer == Writer::kApi) {
            if (Status st = c->exec(std::string("NOTIFY ") + pg_internal::kWorkChannel); !st) {
                return st;
            }
        }
        return guard.commit();
    }

    Result<std::unique_ptr<Connection>> take_reader() {
        {
            std::lock_guard<std::mutex> lock(readers_mu_);
            while (!readers_.empty()) {
                std::unique_ptr<Connection> c = std::move(readers_.back());
                readers_.pop_back();
                if (c->healthy()) return c;
            }
        }
        std::unique_ptr<Connection> c;
        if (Status st = ensure(c); !st) return st;
        return c;
    }

    void return_reader(std::unique_ptr<Connection> c) {
        if (!c->healthy() || PQtransactionStatus(c->conn) != PQTRANS_IDLE) return;
        std::lock_guard<std::mutex> lock(readers_mu_);
        readers_.push_back(std::move(c));
    }

    const std::string uri_;
    std::mutex write_mu_;  // the API writers' connection, one transaction at a time
    std::unique_ptr<Connection> writer_;
    std::mutex live_mu_;  // the scheduler's connection
    std::unique_ptr<Connection> live_;
    std::atomic<int> api_waiting_{0};
    std::mutex readers_mu_;
    std::vector<std::unique_ptr<Connection>> readers_;
    const int version_;
    const std::string owner_ = lease_owner_name();
    pg_internal::WorkListener listener_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_pg_store(const std::string& uri) {
    auto c = pg_internal::connect(uri);
    if (!c.ok()) return c.status();
    int version = 0;
    if (Status st = pg_internal::migrate_schema(*c.value(), version); !st) return st;
    return std::unique_ptr<Store>(new PgStore(uri, std::move(c.value()), version));
}

int pg_schema_latest_version() {
    return pg_internal::latest_schema_version();
}

Result<int> pg_schema_version_of(const std::string& uri) {
    auto c = pg_internal::connect(uri);
    if (!c.ok()) return c.status();
    auto exists =
        pg_internal::Query(*c.value(), "SELECT to_regclass('leadflow_schema') IS NOT NULL")
            .single_i64();
    if (!exists.ok()) return exists.status();
    if (exists.value() == 0) return 0;
    auto v = pg_internal::Query(*c.value(), "SELECT coalesce(max(version), 0) FROM leadflow_schema")
                 .single_i64();
    if (!v.ok()) return v.status();
    return static_cast<int>(v.value());
}

}  // namespace leadflow::server
