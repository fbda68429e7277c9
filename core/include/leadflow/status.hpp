// leadflow/status.hpp — errors as values at the core's API: Status and Result<T>.
//
// Every core function that can fail returns a Status (no value) or a Result<T> (a value or a
// Status). Exceptions never cross the core boundary. Shells map a Status to their own error
// form in exactly one place (the server: an HTTP status code; the CLI: exit code 2).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace leadflow {

// What kind of failure a Status carries. Shells map these codes (e.g. to HTTP statuses).
enum class StatusCode {
    kOk = 0,
    kInvalidArgument,     // malformed input: bad JSON, wrong type, out-of-range value
    kNotFound,            // a referenced object does not exist
    kConflict,            // the operation is not allowed in the current state
    kFailedPrecondition,  // the input is well formed but cannot be processed (e.g. invalid graph)
    kInternal,            // a bug: an invariant did not hold
    kUnavailable,         // storage failed (disk full, I/O error): nothing was saved; retry later
    kCancelled,           // the caller asked the operation to stop (e.g. its client left)
    kResourceExhausted,   // the operation needed more than its budget (e.g. simulated events)
};

// Status: ok, or a code with a human-readable message (which names the offending field when
// the failure is about a field, e.g. "nodes[2].config.duration_value: must be a number").
class Status {
  public:
    Status() = default;
    Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

    static Status ok() { return Status(); }
    static Status invalid(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
    static Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
    static Status conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
    static Status precondition(std::string m) {
        return {StatusCode::kFailedPrecondition, std::move(m)};
    }
    static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
    static Status unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
    static Status cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
    static Status exhausted(std::string m) {
        return {StatusCode::kResourceExhausted, std::move(m)};
    }

    bool is_ok() const { return code_ == StatusCode::kOk; }
    explicit operator bool() const { return is_ok(); }
    StatusCode code() const { return code_; }
    const std::string& message() const { return message_; }

  private:
    StatusCode code_ = StatusCode::kOk;
    std::string message_;
};

// Result<T>: either a T (ok()) or a failed Status. Check ok() before value(): reading the value
// of a failed result is a programming error.
template <typename T>
class Result {
  public:
    Result(T value) : data_(std::move(value)) {}         // NOLINT: implicit by design
    Result(Status status) : data_(std::move(status)) {}  // NOLINT: implicit by design

    bool ok() const { return std::holds_alternative<T>(data_); }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return std::get<T>(data_); }
    T& value() & { return std::get<T>(data_); }
    T&& value() && { return std::get<T>(std::move(data_)); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }
    // The failure; Status::ok() when the result holds a value.
    Status status() const { return ok() ? Status::ok() : std::get<Status>(data_); }

  private:
    std::variant<T, Status> data_;
};

}  // namespace leadflow
