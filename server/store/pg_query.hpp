// server/store/pg_query.hpp — private to server/store/pg_*.cpp: one PostgreSQL connection with
// its prepared statements, the query helper every PostgreSQL statement goes through, and the
// conversions between stored text and values.
//
// Index
//   [SECTION] Connections
//   [SECTION] Query helper
//   [SECTION] Stored values
//
// Values travel as text both ways (libpq's text format): parameters are bound as their decimal
// or JSON text and cast by the statement where the column's type needs it ($1::bigint is never
// needed: PostgreSQL infers a parameter's type from its use). Statements use $1, $2, … and are
// prepared once per connection, at their first use.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/store.hpp"
#include "store/stored_values.hpp"

namespace leadflow::server::pg_internal {

// [SECTION] Connections

// The failure a libpq result or connection reports, as a Status: kConflict on an integrity
// constraint violation (SQLSTATE class 23), kUnavailable when the server could not do the work
// now but may later (class 08 connection, 53 insufficient resources such as a full disk, 57
// operator intervention, 40001 serialization failure, 40P01 deadlock; also a lost connection),
// else kInternal. The message starts with "postgres: ".
Status pg_failure(const PGresult* r, PGconn* c);

// One connection with its prepared statements (by SQL text). Used by one thread at a time.
struct Connection {
    PGconn* conn = nullptr;
    std::unordered_map<std::string, std::string> prepared;  // SQL → statement name

    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // Runs `sql` (one or more statements, no parameters, results ignored).
    Status exec(const std::string& sql);
    // True when the connection is usable (not lost).
    bool healthy() const;
};

// Connects to `uri` (postgres://…, postgresql://… or any libpq connection string). The
// connection's time zone is UTC, and a session idle inside a transaction for a minute is ended
// by the database (idle_in_transaction_session_timeout, unless the URI sets it). kUnavailable
// naming the server's complaint when it cannot connect.
Result<std::unique_ptr<Connection>> connect(const std::string& uri);

// Runs `fn` (statements on `c`, inside a transaction) under a savepoint, so that when it fails
// what it wrote is undone and the transaction goes on: PostgreSQL refuses every statement after
// a failed one until the transaction ends, whereas the Store contract lets a caller carry on
// after, e.g., a kConflict. Returns what `fn` returns (or the savepoint's own failure).
Status under_savepoint(Connection& c, const std::function<Status()>& fn);

// [SECTION] Query helper

// ResultValue<Result<T>>::type is T (the row type of Query::rows).
template <typename R>
struct ResultValue;
template <typename T>
struct ResultValue<Result<T>> {
    using type = T;
};

// One row of a query's result. Columns are read by index, in the order of the SELECT.
class Row {
  public:
    Row(const PGresult* r, int row) : r_(r), row_(row) {}
    bool is_null(int col) const { return PQgetisnull(r_, row_, col) != 0; }
    std::string text(int col) const {
        return std::string(PQgetvalue(r_, row_, col),
                           static_cast<std::size_t>(PQgetlength(r_, row_, col)));
    }
    std::optional<std::string> opt_text(int col) const {
        if (is_null(col)) return std::nullopt;
        return text(col);
    }
    // A NULL integer reads as 0, a NULL real as 0.0, a NULL boolean as false.
    std::int64_t i64(int col) const;
    std::optional<std::int64_t> opt_i64(int col) const {
        if (is_null(col)) return std::nullopt;
        return i64(col);
    }
    double dbl(int col) const;
    std::optional<double> opt_dbl(int col) const {
        if (is_null(col)) return std::nullopt;
        return dbl(col);
    }
    bool boolean(int col) const;  // a boolean column ('t'/'f')

  private:
    const PGresult* r_;
    int row_;
};

// One statement with its parameters, run once: bind the values in the order of $1, $2, …,
// then call one of the running methods (exec, exec_changing, rows, one, single_i64).
class Query {
  public:
    Query(Connection& c, std::string sql) : c_(c), sql_(std::move(sql)) {}
    // A statement that, when `failure` is not ok, fails with it instead of reaching the server
    // (PgTx: a failure of the transaction's held-back writes fails every later statement).
    Query(Connection& c, std::string sql, Status failure)
        : c_(c), sql_(std::move(sql)), failure_(std::move(failure)) {}
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    Query& bind(const std::string& v) {
        values_.emplace_back(v);
        return *this;
    }
    Query& bind(const char* v) { return bind(std::string(v)); }
    Query& bind(std::int64_t v) { return bind(std::to_string(v)); }
    Query& bind(int v) { return bind(std::to_string(v)); }
    Query& bind(bool v) { return bind(v ? "true" : "false"); }
    Query& bind(double v);  // as double_text(v)
    Query& bind_null() {
        values_.emplace_back(std::nullopt);
        return *this;
    }
    template <typename T>
    Query& bind(const std::optional<T>& v) {
        return v ? bind(*v) : bind_null();
    }

    // Runs the statement; ok or the failure (pg_failure).
    Status exec() { return run().status(); }
    // exec(), then kNotFound with `missing` when the statement changed no row.
    Status exec_changing(const char* missing);
    // How many rows the statement changed.
    Result<std::int64_t> exec_count();
    // exec() of an INSERT … ON CONFLICT DO NOTHING, then kConflict with `duplicate` when it
    // inserted fewer than `rows` rows. A unique violation raised as an error would abort the
    // whole transaction, where the Store contract lets it go on after a kConflict.
    Status exec_inserting(std::int64_t rows, const std::string& duplicate);

    // Every row, each converted by `read` (const Row& → Result<T>), in order.
    template <typename Read>
    Result<std::vector<typename ResultValue<std::invoke_result_t<Read, const Row&>>::type>> rows(
        Read read) {
        auto r = run();
        if (!r.ok()) return r.status();
        const PGresult* res = r.value().get();
        std::vector<typename ResultValue<std::invoke_result_t<Read, const Row&>>::type> out;
        const int n = PQntuples(res);
        out.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            auto v = read(Row(res, i));
            if (!v.ok()) return v.status();
            out.push_back(std::move(v.value()));
        }
        return out;
    }
    // The first row converted by `read`, or kNotFound with `missing` when there is none.
    template <typename Read>
    std::invoke_result_t<Read, const Row&> one(Read read, const std::string& missing) {
        auto r = run();
        if (!r.ok()) return r.status();
        if (PQntuples(r.value().get()) == 0) return Status::not_found(missing);
        return read(Row(r.value().get(), 0));
    }
    // The first column of the row a query always returns (count(*), …); NULL reads as 0.
    Result<std::int64_t> single_i64();

    struct ResultDeleter {
        void operator()(PGresult* r) const { PQclear(r); }
    };
    using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

  private:
    // Prepares the statement on the connection at its first use, runs it with the bound
    // values; the result when it succeeded.
    Result<ResultPtr> run();

    Connection& c_;
    std::string sql_;
    std::vector<std::optional<std::string>> values_;
    Status failure_;
};

// [SECTION] Stored values (and store/stored_values.hpp, shared with every backend)

// A PostgreSQL array literal of `v` ('{"a","b"}'), for parameters used as $1::text[].
std::string text_array(const std::vector<std::string>& v);
// text_array where a nullopt element is NULL ('{"a",NULL}').
std::string nullable_text_array(const std::vector<std::optional<std::string>>& v);
// A text that reads back as the same double (Query::bind, float8[] elements).
std::string double_text(double v);
// Elements of a nullable_text_array column: the number as text, or nullopt (NULL).
inline std::optional<std::string> opt_number(const std::optional<std::int64_t>& v) {
    if (!v) return std::nullopt;
    return std::to_string(*v);
}
inline std::optional<std::string> opt_double(const std::optional<double>& v) {
    if (!v) return std::nullopt;
    return double_text(*v);
}
// The statuses' names as a text array literal.
std::string status_array(const std::vector<LeadStatus>& v);

using stored::escape_like;
using stored::json_or_null;
using stored::parse_stored_json;
using stored::read_string_map;
using stored::string_map_text;

}  // namespace leadflow::server::pg_internal
