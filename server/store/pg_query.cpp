// server/store/pg_query.cpp — see pg_query.hpp.
#include "store/pg_query.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "leadflow/wire.hpp"

namespace leadflow::server::pg_internal {

// [SECTION] Connections

Status pg_failure(const PGresult* r, PGconn* c) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = "postgres: ";
    const char* text = r ? PQresultErrorMessage(r) : nullptr;
    if (!text || !*text) text = c ? PQerrorMessage(c) : "no connection";
    // libpq's messages may run over several lines (a hint, a detail): the first says what
    // happened, and a log line stays one line.
    msg += std::string(text).substr(0, std::string(text).find('\n'));
    while (!msg.empty() && msg.back() == ' ') msg.pop_back();
    if (c && PQstatus(c) != CONNECTION_OK) return Status::unavailable(std::move(msg));
    if (!state) return Status::internal(std::move(msg));
    const std::string code = state;
    const std::string cls = code.substr(0, 2);
    if (cls == "23") return Status::conflict(std::move(msg));
    if (cls == "08" || cls == "53" || cls == "57" || code == "40001" || code == "40P01") {
        return Status::unavailable(std::move(msg));
    }
    return Status::internal(std::move(msg));
}

Connection::~Connection() {
    if (conn) PQfinish(conn);
}

Status Connection::exec(const std::string& sql) {
    Query::ResultPtr r(PQexec(conn, sql.c_str()));
    const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status::ok();
    return pg_failure(r.get(), conn);
}

bool Connection::healthy() const {
    return conn && PQstatus(conn) == CONNECTION_OK;
}

Status under_savepoint(Connection& c, const std::function<Status()>& fn) {
    if (Status st = c.exec("SAVEPOINT leadflow_statement"); !st) return st;
    Status result = fn();
    if (Status st = c.exec(result ? "RELEASE SAVEPOINT leadflow_statement"
                                  : "ROLLBACK TO SAVEPOINT leadflow_statement;"
                                    "RELEASE SAVEPOINT leadflow_statement");
        !st && result) {
        return st;
    }
    return result;
}

namespace {
// Notices (e.g. "relation already exists, skipping") are not errors; the server keeps quiet.
void ignore_notice(void*, const PGresult*) {}
}  // namespace

Result<std::unique_ptr<Connection>> connect(const std::string& uri) {
    auto c = std::make_unique<Connection>();
    c->conn = PQconnectdb(uri.c_str());
    if (!c->conn || PQstatus(c->conn) != CONNECTION_OK) {
        std::string why = c->conn ? PQerrorMessage(c->conn) : "out of memory";
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        return Status::unavailable("postgres: cannot connect: " + why);
    }
    PQsetNoticeReceiver(c->conn, ignore_notice, nullptr);
    if (Status st = c->exec("SET TIME ZONE 'UTC'"); !st) return st;
    // A server stopped inside a transaction (SIGSTOP, a stalled VM) must not hold the write
    // lock for ever: the database ends a session idle in a transaction after a minute, rolling
    // the transaction back. No transaction of this server waits that long between statements.
    // A value given in the URI (options=-c idle_in_transaction_session_timeout=…) is kept.
    if (uri.find("idle_in_transaction_session_timeout") == std::string::npos) {
        if (Status st = c->exec("SET idle_in_transaction_session_timeout = 60000"); !st) return st;
    }
    return c;
}

// [SECTION] Query helper

std::int64_t Row::i64(int col) const {
    const char* p = PQgetvalue(r_, row_, col);
    if (*p == 't') return 1;  // a boolean column read as a number
    if (*p == 'f') return 0;
    std::int64_t v = 0;
    std::from_chars(p, p + std::strlen(p), v);
    return v;
}

double Row::dbl(int col) const {
    return std::strtod(PQgetvalue(r_, row_, col), nullptr);
}

bool Row::boolean(int col) const {
    return PQgetvalue(r_, row_, col)[0] == 't';
}

Query& Query::bind(double v) {
    return bind(double_text(v));
}

Result<Query::ResultPtr> Query::run() {
    if (!failure_) return failure_;
    if (!c_.healthy()) return Status::unavailable("postgres: the connection is lost");
    auto it = c_.prepared.find(sql_);
    if (it == c_.prepared.end()) {
        std::string name = "s" + std::to_string(c_.prepared.size() + 1);
        ResultPtr p(PQprepare(c_.conn, name.c_str(), sql_.c_str(), 0, nullptr));
        if (!p || PQresultStatus(p.get()) != PGRES_COMMAND_OK) return pg_failure(p.get(), c_.conn);
        it = c_.prepared.emplace(sql_, std::move(name)).first;
    }
    std::vector<const char*> values(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
        values[i] = values_[i] ? values_[i]->c_str() : nullptr;
    }
    ResultPtr r(PQexecPrepared(c_.conn, it->second.c_str(), static_cast<int>(values.size()),
                               values.data(), nullptr, nullptr, 0));
    const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return pg_failure(r.get(), c_.conn);
    return r;
}

Status Query::exec_changing(const char* missing) {
    auto n = exec_count();
    if (!n.ok()) return n.status();
    if (n.value() == 0) return Status::not_found(missing);
    return Status::ok();
}

Status Query::exec_inserting(std::int64_t rows, const std::string& duplicate) {
    auto n = exec_count();
    if (!n.ok()) return n.status();
    if (n.value() < rows) return Status::conflict(duplicate);
    return Status::ok();
}

Result<std::int64_t> Query::exec_count() {
    auto r = run();
    if (!r.ok()) return r.status();
    const char* n = PQcmdTuples(r.value().get());
    std::int64_t v = 0;
    std::from_chars(n, n + std::strlen(n), v);
    return v;
}

Result<std::int64_t> Query::single_i64() {
    auto r = run();
    if (!r.ok()) return r.status();
    if (PQntuples(r.value().get()) == 0) return Status::internal("postgres: no row returned");
    return Row(r.value().get(), 0).i64(0);
}

// [SECTION] Stored values

namespace {
// Appends `v` to an array literal as a quoted element.
void append_element(std::string& out, const std::string& v) {
    out.push_back('"');
    for (char c : v) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
}
}  // namespace

std::string text_array(const std::vector<std::string>& v) {
    std::string out = "{";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out.push_back(',');
        append_element(out, v[i]);
    }
    out.push_back('}');
    return out;
}

std::string nullable_text_array(const std::vector<std::optional<std::string>>& v) {
    std::string out = "{";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out.push_back(',');
        if (v[i]) {
            append_element(out, *v[i]);
        } else {
            out += "NULL";
        }
    }
    out.push_back('}');
    return out;
}

std::string double_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string status_array(const std::vector<LeadStatus>& v) {
    std::vector<std::string> names;
    names.reserve(v.size());
    for (LeadStatus s : v) names.emplace_back(to_string(s));
    return text_array(names);
}

}  // namespace leadflow::server::pg_internal
