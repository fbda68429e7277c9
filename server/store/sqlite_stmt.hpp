// server/store/sqlite_stmt.hpp — private to server/store/sqlite_*.cpp: the prepared-statement
// helper every SQLite query goes through, and the conversions between stored text and values.
//
// Index
//   [SECTION] Statement helper
//   [SECTION] Stored values
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/store.hpp"
#include "store/stored_values.hpp"

namespace leadflow::server::sqlite_internal {

// [SECTION] Statement helper

// ResultValue<Result<T>>::type is T (the row type of Stmt::rows).
template <typename R>
struct ResultValue;
template <typename T>
struct ResultValue<Result<T>> {
    using type = T;
};

// A failed SQLite call as a Status: kUnavailable when the storage failed (disk full, I/O
// error: nothing of the transaction is saved, and the same write may succeed later),
// kConflict on a constraint violation, else kInternal. `rc` may be an extended code.
Status sqlite_failure(int rc, std::string msg);

// A cached prepared statement, reset and unbound when the helper goes out of scope.
class Stmt {
  public:
    Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt() {
        if (s_) {
            sqlite3_reset(s_);
            sqlite3_clear_bindings(s_);
        }
    }

    Stmt& bind(const std::string& v) {
        sqlite3_bind_text(s_, ++idx_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(const char* v) { return bind(std::string(v)); }
    // `v` must stay unchanged until the statement is reset.
    Stmt& bind_static(const std::string& v) {
        sqlite3_bind_text(s_, ++idx_, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
        return *this;
    }
    Stmt& bind(std::int64_t v) {
        sqlite3_bind_int64(s_, ++idx_, v);
        return *this;
    }
    Stmt& bind(int v) { return bind(static_cast<std::int64_t>(v)); }
    Stmt& bind(double v) {
        sqlite3_bind_double(s_, ++idx_, v);
        return *this;
    }
    Stmt& bind_null() {
        sqlite3_bind_null(s_, ++idx_);
        return *this;
    }
    template <typename T>
    Stmt& bind(const std::optional<T>& v) {
        return v ? bind(*v) : bind_null();
    }

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(s_); }
    // Steps to completion; ok or the failure (sqlite_failure). Every write runs inside a
    // transaction: outside one, SQLite has rolled the transaction back by itself (after a
    // storage error), and the write would commit alone, so it fails instead.
    Status exec() {
        if (sqlite3_get_autocommit(db_)) {
            return Status::unavailable(
                "sqlite: the transaction was rolled back after a storage error");
        }
        int rc = step();
        while (rc == SQLITE_ROW) rc = step();
        if (rc == SQLITE_DONE) return Status::ok();
        return error(rc);
    }
    Status error(int rc) const {
        return sqlite_failure(rc, std::string("sqlite: ") + sqlite3_errmsg(db_));
    }

    bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
    std::string text(int col) const {
        const unsigned char* p = sqlite3_column_text(s_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
                 : std::string();
    }
    std::optional<std::string> opt_text(int col) const {
        if (is_null(col)) return std::nullopt;
        return text(col);
    }
    std::int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
    std::optional<std::int64_t> opt_i64(int col) const {
        if (is_null(col)) return std::nullopt;
        return i64(col);
    }
    double dbl(int col) const { return sqlite3_column_double(s_, col); }

    // Every row, each converted by `read` (const Stmt& → Result<T>), in order. Fails with the
    // first conversion failure or step error.
    template <typename Read>
    Result<std::vector<typename ResultValue<std::invoke_result_t<Read, const Stmt&>>::type>> rows(
        Read read) {
        std::vector<typename ResultValue<std::invoke_result_t<Read, const Stmt&>>::type> out;
        int rc;
        while ((rc = step()) == SQLITE_ROW) {
            auto v = read(*this);
            if (!v.ok()) return v.status();
            out.push_back(std::move(v.value()));
        }
        if (rc != SQLITE_DONE) return error(rc);
        return out;
    }
    // The first row converted by `read`, or kNotFound with `missing` when there is none.
    template <typename Read>
    std::invoke_result_t<Read, const Stmt&> one(Read read, const std::string& missing) {
        int rc = step();
        if (rc == SQLITE_ROW) return read(*this);
        if (rc != SQLITE_DONE) return error(rc);
        return Status::not_found(missing);
    }
    // The first column of the row a query always returns (count(*), sum(…)).
    Result<std::int64_t> single_i64() {
        int rc = step();
        if (rc != SQLITE_ROW) return error(rc);
        return i64(0);
    }
    // exec(), then kNotFound with `missing` when the statement changed no row.
    Status exec_changing(const char* missing) {
        if (Status st = exec(); !st) return st;
        if (sqlite3_changes(db_) == 0) return Status::not_found(missing);
        return Status::ok();
    }

  private:
    sqlite3* db_;
    sqlite3_stmt* s_;
    int idx_ = 0;
};

// [SECTION] Stored values (store/stored_values.hpp, shared with every backend)

using stored::escape_like;
using stored::json_or_null;
using stored::parse_stored_json;
using stored::read_string_map;
using stored::status_list_json;
using stored::string_list_json;
using stored::string_map_text;

}  // namespace leadflow::server::sqlite_internal
