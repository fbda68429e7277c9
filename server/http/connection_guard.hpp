// server/http/connection_guard.hpp — owns the listening socket and every client connection, so
// that slow, idle or numerous connections cannot starve the request workers.
//
// Connections wait in an epoll "waiting room" that costs no thread until a complete request
// head ("\r\n\r\n") has arrived; only then does a worker of a fixed pool serve the request. The
// waiting room enforces a whole-head deadline, an idle keep-alive timeout, head size and field
// count limits, and global and per-address connection caps. A worker serves one request and
// hands the connection back (with any pipelined bytes already read) or closes it. Independent of
// any HTTP library: the serve callback does the HTTP work (httplib_adapter.cpp).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "leadflow/status.hpp"

namespace leadflow::server {

struct ConnectionLimits {
    int workers = 64;                    // threads that serve requests whose head is complete
    int max_connections = 10000;         // open client connections, all addresses together
    int max_connections_per_peer = 256;  // open client connections from one IP address
    int header_timeout_ms = 10000;       // first byte of a request head → the whole head received
    int idle_timeout_ms = 60000;         // keep-alive connection without a new request → closed
    int body_timeout_ms = 60000;         // head complete → the whole body received (on a worker)
    int write_timeout_ms = 10000;        // a response write that makes no progress this long fails
    std::size_t max_head_bytes = 16 * 1024;  // request line + header fields
    int max_header_fields = 100;
    int shutdown_grace_ms = 10000;  // after stop(): how long in-flight requests may still run
    int backlog = 1024;             // listen() backlog (capped by net.core.somaxconn)
};

// Milliseconds of a monotonic clock.
std::int64_t steady_ms();

// One client connection, lent to a worker while it serves one request. Reads come from the
// bytes the waiting room already buffered first, then from the socket.
class Connection {
  public:
    Connection(int fd, std::string peer, int peer_port, const ConnectionLimits& limits);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    int fd() const { return fd_; }
    const std::string& peer() const { return peer_; }  // numeric IP address
    int peer_port() const { return peer_port_; }

    // Reads up to n bytes, waiting for the socket until `deadline_ms` (steady_ms()). Returns the
    // number of bytes, 0 at end of stream, -1 on error or when the deadline passed.
    ssize_t read(char* p, std::size_t n, std::int64_t deadline_ms);
    // True when a read would not block (buffered bytes or a readable socket) before deadline_ms.
    bool wait_readable(std::int64_t deadline_ms);
    // Writes all n bytes (waiting while the socket is full, at most write_timeout_ms without
    // progress). Returns n, or -1.
    ssize_t write(const char* p, std::size_t n);
    // True once the peer has closed or shut down its side (cheap: one poll() without waiting).
    bool peer_closed() const;
    // Bytes read from the socket and not yet consumed.
    std::size_t buffered() const { return buf_.size() - pos_; }
    // When the serve callback returns false: the waiting room shuts down the sending side and
    // discards input for a moment before closing, so that a client still sending a refused
    // body can read the error reply instead of seeing a reset.
    // `drain_bytes` is how much input may still be discarded (e.g. the declared body length).
    void close_gracefully(std::size_t drain_bytes) {
        linger_ = true;
        drain_budget_ = drain_bytes;
    }

  private:
    friend class ConnectionGuard;
    int fd_;
    std::string peer_;
    int peer_port_;
    const ConnectionLimits& limits_;
    std::string buf_;  // bytes read from the socket; [pos_, size) not yet consumed
    std::size_t pos_ = 0;
    // Waiting-room state (owned by the event loop).
    std::size_t scanned_ = 0;         // buf_ prefix known to hold no complete head
    std::size_t need_ = 0;            // bytes from pos_ (head + small body) before dispatch
    std::int64_t head_started_ = -1;  // steady_ms() of the first byte of the pending head
    std::int64_t idle_since_ = 0;     // steady_ms() when the connection last became idle
    std::int64_t drain_until_ = -1;   // >= 0: rejected, discarding input until then
    std::size_t drained_ = 0;
    std::size_t drain_budget_ = 0;
    bool linger_ = false;
};

// Serves the one request whose head is buffered in `c`. Returns true when the connection may
// carry another request (it goes back to the waiting room), false to close it.
using ServeFn = std::function<bool(Connection& c)>;
// The complete HTTP response (status line, headers, body) for an error the waiting room answers
// itself (408, 431, 503), always with "Connection: close".
using RejectFn = std::function<std::string(int status, const std::string& message)>;

class ConnectionGuard {
  public:
    ConnectionGuard(ConnectionLimits limits, ServeFn serve, RejectFn reject);
    ~ConnectionGuard();
    ConnectionGuard(const ConnectionGuard&) = delete;
    ConnectionGuard& operator=(const ConnectionGuard&) = delete;

    // Creates the listening socket on host:port (port 0 = any free port) without SO_REUSEPORT,
    // so that a second server on a port in use fails ("address already in use"). Raises the
    // process's open-file limit to its hard limit. Returns the bound port.
    Result<int> bind(const std::string& host, int port);

    enum class Outcome {
        kStopped,       // stop() was called and every in-flight request finished
        kGraceExpired,  // stop() was called; requests were still running after the grace
        kError,         // the listening socket or epoll failed
    };
    // Runs the event loop and the workers until stop(). After stop(): no new connection is
    // accepted, idle and half-received connections are closed, and requests being served (or
    // whose head is complete) get up to shutdown_grace_ms to finish. With kGraceExpired the
    // workers still running are detached: the caller should exit the process.
    Outcome run();
    // Thread-safe and async-signal-safe.
    void stop();
    bool stopping() const;
    const ConnectionLimits& limits() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace leadflow::server
