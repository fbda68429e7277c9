// server/http/connection_guard.cpp — the accept loop, the epoll waiting room and the workers.
#include "http/connection_guard.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace leadflow::server {

std::int64_t steady_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

namespace {

// Input read and discarded after a rejection (431, 408) before the socket is closed, so that
// the client can read the answer instead of seeing a reset (a refused body may set a larger
// budget, see Connection::close_gracefully). Discarding costs no worker.
constexpr std::size_t kDrainBytes = 1 << 20;
constexpr int kDrainMs = 5000;
// How often the waiting room checks its deadlines.
constexpr int kSweepMs = 100;
// How long a worker waits on a keep-alive connection for its next request before handing it
// back to the waiting room (see Impl::next_request).
constexpr int kLingerMs = 10;
// Open files kept free for the store, logs and the listening socket.
constexpr int kReservedFiles = 64;

// A request body up to this size (declared by Content-Length) is received in the waiting room
// together with the head, so that a slowly sent small body holds no worker either.
constexpr std::size_t kBufferedBodyBytes = 16 * 1024;

// The body length to receive before the request goes to a worker: its Content-Length when
// that is at most kBufferedBodyBytes, else 0 (no body, a larger one, chunked framing, Expect:
// the client waits for "100 Continue", or a repeated Content-Length the adapter refuses).
std::size_t buffered_body_length(const std::string& b, std::size_t from, std::size_t to) {
    std::size_t length = 0;
    int seen = 0;
    std::size_t i = b.find('\n', from);
    while (i != std::string::npos && i + 1 < to) {
        const std::size_t start = i + 1;
        const std::size_t eol = std::min(b.find('\n', start), to);
        const std::size_t colon = b.find(':', start);
        if (colon < eol) {
            std::string name = b.substr(start, colon - start);
            for (auto& ch : name)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            if (name == "transfer-encoding" || name == "expect") return 0;
            if (name == "content-length") {
                ++seen;
                std::size_t k = colon + 1;
                while (k < eol && (b[k] == ' ' || b[k] == '\t')) ++k;
                std::size_t v = 0;
                int digits = 0;
                while (k < eol && b[k] >= '0' && b[k] <= '9' && digits < 12) {
                    v = v * 10 + static_cast<std::size_t>(b[k++] - '0');
                    ++digits;
                }
                length = v;
            }
        }
        i = eol < to ? eol : std::string::npos;
    }
    return seen == 1 && length <= kBufferedBodyBytes ? length : 0;
}

// What a buffer holds from `pos` on, measured against the head limits. The search for the
// head's end starts at `from` (>= pos), so that a head arriving in pieces is scanned once.
struct HeadCheck {
    enum Kind { kIncomplete, kComplete, kTooLarge, kTooManyFields } kind;
    std::size_t head_len;  // with the empty line; when kComplete
    std::size_t need;      // head_len plus the body received with it; when kComplete
};
HeadCheck check_head(const std::string& b, std::size_t pos, std::size_t from,
                     const ConnectionLimits& limits) {
    const std::size_t end = b.find("\r\n\r\n", from);
    const std::size_t head_len = end == std::string::npos ? b.size() - pos : end + 4 - pos;
    if (head_len > limits.max_head_bytes) return {HeadCheck::kTooLarge, 0, 0};
    // Header fields = line breaks in the head minus the request line and the empty line.
    const std::size_t stop = end == std::string::npos ? b.size() : end + 2;
    const long lines =
        std::count(b.begin() + static_cast<long>(pos), b.begin() + static_cast<long>(stop), '\n');
    if (lines - 1 > limits.max_header_fields) return {HeadCheck::kTooManyFields, 0, 0};
    if (end == std::string::npos) return {HeadCheck::kIncomplete, 0, 0};
    return {HeadCheck::kComplete, head_len, head_len + buffered_body_length(b, pos, end + 4)};
}

int poll_one(int fd, short events, std::int64_t deadline_ms) {
    for (;;) {
        const std::int64_t left = deadline_ms - steady_ms();
        pollfd p{fd, events, 0};
        int r = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(0, left)));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return r;
        return p.revents;
    }
}

// Sends what fits without waiting (best effort: answers the waiting room gives itself).
void send_nowait(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n <= 0) return;
        off += static_cast<std::size_t>(n);
    }
}

}  // namespace

Connection::Connection(int fd, std::string peer, int peer_port, const ConnectionLimits& limits)
    : fd_(fd), peer_(std::move(peer)), peer_port_(peer_port), limits_(limits) {}

Connection::~Connection() {
    if (fd_ >= 0) ::close(fd_);
}

ssize_t Connection::read(char* p, std::size_t n, std::int64_t deadline_ms) {
    if (n == 0) return 0;
    if (pos_ < buf_.size()) {
        const std::size_t k = std::min(n, buf_.size() - pos_);
        std::memcpy(p, buf_.data() + pos_, k);
        pos_ += k;
        if (pos_ == buf_.size()) {
            buf_.clear();
            pos_ = 0;
        }
        return static_cast<ssize_t>(k);
    }
    for (;;) {
        ssize_t r = ::recv(fd_, p, n, 0);
        if (r >= 0) return r;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        if (poll_one(fd_, POLLIN, deadline_ms) <= 0) return -1;
    }
}

bool Connection::wait_readable(std::int64_t deadline_ms) {
    return buffered() > 0 || poll_one(fd_, POLLIN, deadline_ms) > 0;
}

ssize_t Connection::write(const char* p, std::size_t n) {
    std::size_t off = 0;
    while (off < n) {
        ssize_t r = ::send(fd_, p + off, n - off, MSG_NOSIGNAL);
        if (r > 0) {
            off += static_cast<std::size_t>(r);
            continue;
        }
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int ev = poll_one(fd_, POLLOUT, steady_ms() + limits_.write_timeout_ms);
            if (ev > 0 && (ev & POLLOUT)) continue;
        }
        return -1;
    }
    return static_cast<ssize_t>(n);
}

bool Connection::peer_closed() const {
    pollfd p{fd_, POLLRDHUP, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

struct ConnectionGuard::Impl {
    ConnectionLimits limits;
    ServeFn serve;
    RejectFn reject;
    int listen_fd = -1;
    int epoll_fd = -1;
    int wake_fd = -1;
    std::atomic<bool> stop_requested{false};

    // Event loop state (loop thread only).
    std::unordered_map<int, std::unique_ptr<Connection>> waiting;
    std::unordered_map<std::string, int> per_peer;
    int open = 0;  // every client connection, wherever it is
    std::int64_t accept_paused_until = -1;

    // Shared with the workers.
    std::mutex mu;
    std::condition_variable work_cv;
    std::deque<std::unique_ptr<Connection>> ready;  // head complete, waiting for a worker
    std::vector<std::pair<std::unique_ptr<Connection>, bool>> returned;  // (conn, keep)
    int busy = 0;
    int lingering = 0;  // workers in next_request (see may_linger)
    bool workers_exit = false;
    std::vector<std::thread> workers;

    void wake() {
        std::uint64_t one = 1;
        [[maybe_unused]] ssize_t r = ::write(wake_fd, &one, sizeof one);
    }

    void close_conn(std::unique_ptr<Connection> c) {
        auto it = per_peer.find(c->peer());
        if (it != per_peer.end() && --it->second <= 0) per_peer.erase(it);
        --open;
        c.reset();  // closes the socket (and leaves epoll with it)
    }

    void arm(Connection& c, bool add) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
        ev.data.fd = c.fd();
        ::epoll_ctl(epoll_fd, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c.fd(), &ev);
    }

    // Answers `status` and keeps discarding input for a while before closing.
    void reject_and_drain(Connection& c, int status, const std::string& message, std::int64_t now) {
        send_nowait(c.fd(), reject(status, message));
        ::shutdown(c.fd(), SHUT_WR);
        c.buf_.clear();
        c.pos_ = 0;
        c.drain_until_ = now + kDrainMs;
        c.drained_ = 0;
        c.drain_budget_ = kDrainBytes;
    }

    // Looks for a complete head in c's buffer. Returns 1 (complete), 0 (not yet) or -1 after
    // rejecting the head as too large.
    int scan_head(Connection& c, std::int64_t now) {
        std::string& b = c.buf_;
        // Empty lines before a request line are ignored (RFC 9112 §2.2).
        std::size_t start = c.pos_;
        while (b.size() - start >= 2 && b[start] == '\r' && b[start + 1] == '\n') start += 2;
        if (start > c.pos_) {
            c.pos_ = start;
            c.scanned_ = std::max(c.scanned_, start);
        }
        if (c.pos_ == b.size()) return 0;
        const std::size_t from = std::max(c.pos_, c.scanned_ >= 3 ? c.scanned_ - 3 : 0);
        const HeadCheck h = check_head(b, c.pos_, from, limits);
        switch (h.kind) {
            case HeadCheck::kTooLarge:
                reject_and_drain(c, 431,
                                 "Request head is larger than " +
                                     std::to_string(limits.max_head_bytes / 1024) + " KB",
                                 now);
                return -1;
            case HeadCheck::kTooManyFields:
                reject_and_drain(c, 431,
                                 "Request has more than " +
                                     std::to_string(limits.max_header_fields) + " header fields",
                                 now);
                return -1;
            case HeadCheck::kIncomplete:
                c.scanned_ = b.size();
                return 0;
            case HeadCheck::kComplete:
                break;
        }
        c.need_ = h.need;
        return 1;
    }

    // 1 when c holds a complete head (and its small body, see buffered_body_length), 0 when
    // more input is needed, -1 after rejecting the head.
    int readiness(Connection& c, std::int64_t now) {
        if (c.need_ == 0) {
            const int h = scan_head(c, now);
            if (h != 1) return h;
        }
        return c.buffered() >= c.need_ ? 1 : 0;
    }

    void dispatch(std::unique_ptr<Connection> c) {
        c->scanned_ = 0;
        c->need_ = 0;
        c->head_started_ = -1;
        {
            std::lock_guard<std::mutex> lock(mu);
            ready.push_back(std::move(c));
        }
        work_cv.notify_one();
    }

    // A connection entering (or re-entering) the waiting room; dispatched at once when its
    // buffer already holds a complete head (pipelining).
    void admit(std::unique_ptr<Connection> c, bool add, std::int64_t now) {
        if (c->pos_ > 0) {
            c->buf_.erase(0, c->pos_);
            c->pos_ = 0;
        }
        c->scanned_ = 0;
        c->need_ = 0;
        c->idle_since_ = now;
        c->head_started_ = c->buf_.empty() ? -1 : now;
        int h = c->buf_.empty() ? 0 : readiness(*c, now);
        if (h == 1) {
            // A new socket is registered disarmed so that a later admit() can re-arm it.
            if (add) {
                epoll_event ev{};
                ev.data.fd = c->fd();
                ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c->fd(), &ev);
            }
            dispatch(std::move(c));
            return;
        }
        const int fd = c->fd();
        arm(*c, add);
        waiting[fd] = std::move(c);
    }

    void on_readable(int fd, std::int64_t now) {
        auto it = waiting.find(fd);
        if (it == waiting.end()) return;
        Connection& c = *it->second;
        bool eof = false;
        char tmp[4096];
        for (;;) {
            ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
            if (n > 0) {
                if (c.drain_until_ >= 0) {
                    c.drained_ += static_cast<std::size_t>(n);
                    if (c.drained_ > c.drain_budget_) {
                        eof = true;
                        break;
                    }
                    continue;
                }
                if (c.head_started_ < 0) c.head_started_ = now;
                c.buf_.append(tmp, static_cast<std::size_t>(n));
                if (readiness(c, now) != 0) {
                    if (c.drain_until_ >= 0) continue;  // rejected: discard the rest
                    break;
                }
                continue;
            }
            if (n == 0) {
                eof = true;
                break;
            }
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) eof = true;
            break;
        }
        if (eof && !stop_requested.load() && c.drain_until_ < 0 && readiness(c, now) == 1) {
            // The client half-closed after sending a whole request: it still gets its answer.
            auto c_owned = std::move(it->second);
            waiting.erase(it);
            dispatch(std::move(c_owned));
            return;
        }
        if (eof || stop_requested.load()) {
            auto c_owned = std::move(it->second);
            waiting.erase(it);
            close_conn(std::move(c_owned));
            return;
        }
        if (c.drain_until_ < 0) {
            if (readiness(c, now) == 1) {
                auto c_owned = std::move(it->second);
                waiting.erase(it);
                dispatch(std::move(c_owned));
                return;
            }
        }
        arm(c, false);
    }

    void accept_all(std::int64_t now) {
        for (;;) {
            sockaddr_storage ss{};
            socklen_t len = sizeof ss;
            int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&ss), &len,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                    // Out of descriptors: stop accepting for a moment instead of spinning.
                    epoll_event ev{};
                    ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, listen_fd, &ev);
                    accept_paused_until = now + kSweepMs;
                }
                return;
            }
            char host[NI_MAXHOST] = "";
            char serv[NI_MAXSERV] = "";
            getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof host, serv, sizeof serv,
                        NI_NUMERICHOST | NI_NUMERICSERV);
            std::string peer = host;
            int& from_peer = per_peer[peer];
            if (open >= limits.max_connections || from_peer >= limits.max_connections_per_peer) {
                if (from_peer == 0) per_peer.erase(peer);
                send_nowait(fd, reject(503, open >= limits.max_connections
                                                ? "Too many open connections"
                                                : "Too many open connections from " + peer));
                ::close(fd);
                continue;
            }
            ++from_peer;
            ++open;
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            admit(std::make_unique<Connection>(fd, std::move(peer), std::atoi(serv), limits), true,
                  now);
        }
    }

    // Closes waiting connections whose deadline passed.
    void sweep(std::int64_t now) {
        std::vector<int> expired;
        for (auto& [fd, c] : waiting) {
            if (c->drain_until_ >= 0) {
                if (now >= c->drain_until_) expired.push_back(fd);
            } else if (c->head_started_ >= 0) {
                if (now - c->head_started_ >= limits.header_timeout_ms) {
                    reject_and_drain(*c, 408,
                                     std::string(c->need_ != 0 ? "Request body" : "Request head") +
                                         " not received within " +
                                         std::to_string(limits.header_timeout_ms) + " ms",
                                     now);
                }
            } else if (now - c->idle_since_ >= limits.idle_timeout_ms) {
                expired.push_back(fd);
            }
        }
        for (int fd : expired) {
            auto it = waiting.find(fd);
            auto c = std::move(it->second);
            waiting.erase(it);
            close_conn(std::move(c));
        }
        if (accept_paused_until >= 0 && now >= accept_paused_until && listen_fd >= 0) {
            accept_paused_until = -1;
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.fd = listen_fd;
            ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, listen_fd, &ev);
        }
    }

    // After a request on a keep-alive connection, while no other request waits for a worker
    // and fewer than half the workers do this: waits up to kLingerMs on this worker for the
    // client's next request, so that a client that sends it at once is served without the two
    // hand-offs through the event loop (the connection back to the loop, the request back to a
    // worker). True when c holds a whole head and its small body (as readiness() would dispatch
    // it). False hands c back with whatever it already read, and the waiting room applies its
    // limits and deadlines to that as to any other input: a head that is not complete within the
    // linger, one too large or with too many fields, leading empty lines, end of stream.
    bool next_request(Connection& c) {
        if (!start_lingering()) return false;
        const bool next = wait_next_request(c);
        stop_lingering();
        return next;
    }
    bool wait_next_request(Connection& c) {
        if (c.pos_ > 0) {
            c.buf_.erase(0, c.pos_);
            c.pos_ = 0;
        }
        const std::int64_t deadline = steady_ms() + kLingerMs;
        for (;;) {
            if (!may_linger()) return false;
            const std::string& b = c.buf_;
            if (!b.empty()) {
                if (b[0] == '\r' || b[0] == '\n') return false;
                const HeadCheck h = check_head(b, 0, 0, limits);
                if (h.kind == HeadCheck::kComplete && b.size() >= h.need) return true;
                if (h.kind == HeadCheck::kTooLarge || h.kind == HeadCheck::kTooManyFields) {
                    return false;
                }
            }
            if (!poll_more(c, deadline)) return false;
        }
    }

    // A worker keeps its connection only while the server runs and no request waits for a
    // worker (a pipelining client must not hold one while others queue).
    bool may_linger() {
        if (stop_requested.load()) return false;
        std::lock_guard<std::mutex> lock(mu);
        return ready.empty();
    }
    // At most half the workers linger, so that a request arriving meanwhile finds one free.
    bool start_lingering() {
        std::lock_guard<std::mutex> lock(mu);
        if (lingering >= std::max(1, limits.workers / 2)) return false;
        ++lingering;
        return true;
    }
    void stop_lingering() {
        std::lock_guard<std::mutex> lock(mu);
        --lingering;
    }

    // Reads what the socket has for c within the deadline. False when nothing came.
    bool poll_more(Connection& c, std::int64_t deadline) {
        if (poll_one(c.fd(), POLLIN, deadline) <= 0) return false;
        char tmp[4096];
        for (;;) {
            ssize_t n = ::recv(c.fd(), tmp, sizeof tmp, MSG_DONTWAIT);
            if (n > 0) {
                c.buf_.append(tmp, static_cast<std::size_t>(n));
                return true;
            }
            if (n < 0 && errno == EINTR) continue;
            return false;  // end of stream, an error or nothing after all: the loop decides
        }
    }

    void worker_main() {
        for (;;) {
            std::unique_ptr<Connection> c;
            {
                std::unique_lock<std::mutex> lock(mu);
                work_cv.wait(lock, [&] { return workers_exit || !ready.empty(); });
                if (ready.empty()) return;
                c = std::move(ready.front());
                ready.pop_front();
                ++busy;
            }
            bool keep = false;
            try {
                keep = serve(*c);
                while (keep && next_request(*c)) keep = serve(*c);
            } catch (...) {
                keep = false;
            }
            {
                std::lock_guard<std::mutex> lock(mu);
                --busy;
                returned.emplace_back(std::move(c), keep);
            }
            wake();
        }
    }
};

ConnectionGuard::ConnectionGuard(ConnectionLimits limits, ServeFn serve, RejectFn reject)
    : impl_(std::make_unique<Impl>()) {
    impl_->limits = limits;
    impl_->serve = std::move(serve);
    impl_->reject = std::move(reject);
    impl_->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

ConnectionGuard::~ConnectionGuard() {
    stop();
    {
        std::lock_guard<std::mutex> lock(impl_->mu);
        impl_->workers_exit = true;
    }
    impl_->work_cv.notify_all();
    for (auto& t : impl_->workers) {
        if (t.joinable()) t.join();
    }
    if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
    if (impl_->epoll_fd >= 0) ::close(impl_->epoll_fd);
    if (impl_->wake_fd >= 0) ::close(impl_->wake_fd);
}

const ConnectionLimits& ConnectionGuard::limits() const {
    return impl_->limits;
}

bool ConnectionGuard::stopping() const {
    return impl_->stop_requested.load();
}

void ConnectionGuard::stop() {
    impl_->stop_requested.store(true);
    if (impl_->wake_fd >= 0) impl_->wake();
}

Result<int> ConnectionGuard::bind(const std::string& host, int port) {
    // Thousands of idle connections need thousands of descriptors.
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        const long usable = static_cast<long>(rl.rlim_cur) - kReservedFiles;
        impl_->limits.max_connections =
            static_cast<int>(std::max(1L, std::min<long>(impl_->limits.max_connections, usable)));
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    const std::string service = std::to_string(port);
    if (int e = getaddrinfo(host.c_str(), service.c_str(), &hints, &res); e != 0) {
        return Status::internal("cannot bind to " + host + ":" + service + ": " + gai_strerror(e));
    }
    std::string error = "no usable address";
    int fd = -1;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                      ai->ai_protocol);
        if (fd < 0) {
            error = std::strerror(errno);
            continue;
        }
        // SO_REUSEADDR only lets a restarted server bind while old connections sit in
        // TIME_WAIT; without SO_REUSEPORT a port held by a running server stays refused.
        int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
            ::listen(fd, impl_->limits.backlog) == 0) {
            break;
        }
        error = std::strerror(errno);
        ::close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        return Status::internal("cannot listen on " + host + ":" + service + ": " + error);
    }
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    int bound = ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                         : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    impl_->listen_fd = fd;
    return bound;
}

ConnectionGuard::Outcome ConnectionGuard::run() {
    Impl& m = *impl_;
    if (m.listen_fd < 0 || m.wake_fd < 0) return Outcome::kError;
    m.epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
    if (m.epoll_fd < 0) return Outcome::kError;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m.listen_fd;
    ::epoll_ctl(m.epoll_fd, EPOLL_CTL_ADD, m.listen_fd, &ev);
    ev.data.fd = m.wake_fd;
    ::epoll_ctl(m.epoll_fd, EPOLL_CTL_ADD, m.wake_fd, &ev);
    for (int i = 0; i < std::max(1, m.limits.workers); ++i) {
        m.workers.emplace_back([&m] { m.worker_main(); });
    }

    Outcome outcome = Outcome::kStopped;
    std::int64_t grace_end = -1;
    std::int64_t next_sweep = steady_ms() + kSweepMs;
    std::vector<epoll_event> events(512);
    for (;;) {
        int n = ::epoll_wait(m.epoll_fd, events.data(), static_cast<int>(events.size()), kSweepMs);
        if (n < 0 && errno != EINTR) {
            outcome = Outcome::kError;
            m.stop_requested.store(true);
        }
        const std::int64_t now = steady_ms();
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == m.wake_fd) {
                std::uint64_t v;
                [[maybe_unused]] ssize_t r = ::read(m.wake_fd, &v, sizeof v);
            } else if (fd == m.listen_fd) {
                if (!m.stop_requested.load()) m.accept_all(now);
            } else {
                m.on_readable(fd, now);
            }
        }
        std::vector<std::pair<std::unique_ptr<Connection>, bool>> back;
        {
            std::lock_guard<std::mutex> lock(m.mu);
            back.swap(m.returned);
        }
        for (auto& [c, keep] : back) {
            if (keep && !m.stop_requested.load()) {
                m.admit(std::move(c), false, now);
            } else if (c->linger_ && !m.stop_requested.load()) {
                ::shutdown(c->fd(), SHUT_WR);
                c->buf_.clear();
                c->pos_ = 0;
                c->drain_until_ = now + kDrainMs;
                c->drained_ = 0;
                c->drain_budget_ = std::max(c->drain_budget_, kDrainBytes);
                const int fd = c->fd();
                m.arm(*c, false);
                m.waiting[fd] = std::move(c);
            } else {
                m.close_conn(std::move(c));
            }
        }
        if (m.stop_requested.load()) {
            if (grace_end < 0) {
                // Stop accepting at once; drop connections that have no complete head.
                grace_end = now + m.limits.shutdown_grace_ms;
                ::close(m.listen_fd);
                m.listen_fd = -1;
                // A complete head still waiting for its small body is a request in flight:
                // a worker finishes receiving it.
                for (auto& [fd, c] : m.waiting) {
                    if (c->need_ != 0 && c->drain_until_ < 0) {
                        m.dispatch(std::move(c));
                    } else {
                        m.close_conn(std::move(c));
                    }
                }
                m.waiting.clear();
            }
            std::lock_guard<std::mutex> lock(m.mu);
            if (m.busy == 0 && m.ready.empty() && m.returned.empty()) break;
            if (now >= grace_end) {
                if (outcome != Outcome::kError) outcome = Outcome::kGraceExpired;
                break;
            }
        }
        if (now >= next_sweep) {
            m.sweep(now);
            next_sweep = now + kSweepMs;
        }
    }
    {
        std::lock_guard<std::mutex> lock(m.mu);
        m.workers_exit = true;
        m.ready.clear();
    }
    m.work_cv.notify_all();
    for (auto& t : m.workers) {
        if (outcome == Outcome::kGraceExpired) {
            t.detach();  // still serving; the process is about to exit
        } else {
            t.join();
        }
    }
    m.workers.clear();
    return outcome;
}

}  // namespace leadflow::server
