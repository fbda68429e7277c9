// server/http/httplib_adapter.cpp — translates between httplib and App; connections come from
// the ConnectionGuard, bodies from read_body().
#include "http/httplib_adapter.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "http/errors.hpp"
#include "http/request_body.hpp"
#include "util/crypto.hpp"

namespace leadflow::server {
namespace {

Request to_request(const httplib::Request& in) {
    Request r;
    r.method = in.method;
    r.path = in.path;
    for (const auto& [k, v] : in.params) r.params.emplace(k, v);
    for (const auto& [k, v] : in.headers) r.headers.emplace(k, v);
    r.content_type = media_type(in.get_header_value("Content-Type"));
    r.body = in.body;
    for (const auto& [name, part] : in.files) {
        r.files.push_back(UploadedFile{part.name, part.filename, part.content_type, part.content});
    }
    return r;
}

void write_response(const Response& in, httplib::Response& out) {
    out.status = in.status;
    for (const auto& [k, v] : in.headers) out.set_header(k, v);
    out.set_content(in.body, in.content_type.c_str());
}

Response error_with_id(int status, const std::string& message) {
    Response r = error_response(status, message);
    r.headers.emplace_back("X-Request-Id", "req_" + random_hex(8));
    return r;
}

// A complete "Connection: close" response for errors the waiting room answers itself.
std::string raw_error(int status, const std::string& message) {
    Response r = error_with_id(status, message);
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
    out += "Content-Type: " + r.content_type + "\r\n";
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    out += "Connection: close\r\n";
    for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
    out += "\r\n" + r.body;
    return out;
}

// httplib::Stream over a guard connection. After the adapter has read and decoded a body, the
// decoded bytes are "replayed" to httplib as if they had come from the client.
class GuardStream final : public httplib::Stream {
  public:
    GuardStream(Connection& c, std::int64_t deadline_ms) : c_(c), deadline_ms_(deadline_ms) {}

    bool is_readable() const override {
        return replay_pos_ < replay_.size() || c_.wait_readable(deadline_ms_);
    }
    bool is_writable() const override { return true; }  // write() waits itself
    ssize_t read(char* ptr, size_t size) override {
        if (replay_pos_ < replay_.size()) {
            const std::size_t n = std::min(size, replay_.size() - replay_pos_);
            std::memcpy(ptr, replay_.data() + replay_pos_, n);
            replay_pos_ += n;
            return static_cast<ssize_t>(n);
        }
        return c_.read(ptr, size, deadline_ms_);
    }
    ssize_t write(const char* ptr, size_t size) override { return c_.write(ptr, size); }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = c_.peer();
        port = c_.peer_port();
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        ip.clear();
        port = 0;
        if (::getsockname(c_.fd(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) return;
        char host[NI_MAXHOST] = "";
        char serv[NI_MAXSERV] = "";
        getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV);
        ip = host;
        port = std::atoi(serv);
    }
    // httplib refuses (500) descriptors >= FD_SETSIZE because it would select() on them; this
    // stream does its own waiting with poll(), so httplib never gets the descriptor.
    socket_t socket() const override { return INVALID_SOCKET; }

    void set_replay(std::string body) {
        replay_ = std::move(body);
        replay_pos_ = 0;
    }
    Connection& connection() { return c_; }
    std::int64_t deadline_ms() const { return deadline_ms_; }

  private:
    Connection& c_;
    std::int64_t deadline_ms_;
    std::string replay_;
    std::size_t replay_pos_ = 0;
};

// Most input discarded after refusing a request before the connection is closed.
constexpr std::size_t kMaxDrainBytes = 64u << 20;

// The request a worker is serving (one per worker thread).
struct RequestState {
    GuardStream* stream = nullptr;
    std::size_t declared_length = 0;  // Content-Length of the request, 0 when none
    bool head_parsed = false;         // httplib accepted the request line and headers
    int reject_status = 0;            // != 0: answer this instead of routing
    std::string reject_message;
};
thread_local RequestState* current_request = nullptr;

// Headers that must appear at most once: with two, the client and a proxy in front of the
// server could each act on a different value.
constexpr const char* kSingleHeaders[] = {"Authorization", "Content-Length",    "Content-Type",
                                          "Host",          "Transfer-Encoding", "Content-Encoding"};

std::string lower_trimmed(std::string s) {
    auto space = [](unsigned char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && space(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && space(static_cast<unsigned char>(s[i]))) ++i;
    s.erase(0, i);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

void reject(httplib::Request& req, RequestState& st, int status, std::string message) {
    st.reject_status = status;
    st.reject_message = std::move(message);
    req.headers.erase("Expect");
    req.headers.erase("Connection");
    req.set_header("Connection", "close");
}

// Runs after httplib parsed the head and before it routes: checks the head, then reads and
// decodes the body so that httplib only ever sees an uncompressed body of known length.
void prepare(httplib::Request& req, RequestState& st, std::size_t max_body) {
    st.head_parsed = true;
    for (const char* name : kSingleHeaders) {
        if (req.get_header_value_count(name) > 1) {
            return reject(req, st, 400, std::string("Header ") + name + " appears more than once");
        }
    }
    const bool has_te = req.has_header("Transfer-Encoding");
    const bool has_cl = req.has_header("Content-Length");
    if (!has_te && !has_cl) return;
    if (has_te && has_cl) {
        return reject(req, st, 400, "Content-Length and Transfer-Encoding are both present");
    }
    BodyFraming f;
    if (has_te) {
        const std::string te = lower_trimmed(req.get_header_value("Transfer-Encoding"));
        if (te != "chunked") {
            return reject(req, st, 501, "Transfer-Encoding '" + te + "' is not supported");
        }
        f.chunked = true;
    } else {
        const std::string cl = lower_trimmed(req.get_header_value("Content-Length"));
        if (cl.empty() || cl.size() > 18 ||
            !std::all_of(cl.begin(), cl.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return reject(req, st, 400, "Invalid Content-Length");
        }
        f.content_length = static_cast<std::size_t>(std::stoull(cl));
        st.declared_length = *f.content_length;
    }
    f.content_encoding = lower_trimmed(req.get_header_value("Content-Encoding"));
    if (BodyOutcome o = check_body_framing(f, max_body); o.status != 0) {
        return reject(req, st, o.status, o.message);
    }
    if (lower_trimmed(req.get_header_value("Expect")) == "100-continue") {
        static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        st.stream->write(kContinue, sizeof kContinue - 1);
        req.headers.erase("Expect");
    }
    Connection& c = st.stream->connection();
    const std::int64_t deadline = st.stream->deadline_ms();
    BodyOutcome o =
        read_body(f, max_body, [&](char* p, std::size_t n) { return c.read(p, n, deadline); });
    if (o.status != 0) return reject(req, st, o.status, o.message);
    req.headers.erase("Transfer-Encoding");
    req.headers.erase("Content-Encoding");
    req.headers.erase("Content-Length");
    req.set_header("Content-Length", std::to_string(o.body.size()));
    st.stream->set_replay(std::move(o.body));
}

// Exposes httplib's per-request entry point, which the adapter drives with its own Stream.
class HttplibServer : public httplib::Server {
  public:
    bool serve_one(httplib::Stream& strm, bool close_connection, bool& connection_closed,
                   const std::function<void(httplib::Request&)>& setup) {
        return process_request(strm, close_connection, connection_closed, setup);
    }
};

}  // namespace

struct HttpServer::Impl {
    App& app;
    HttplibServer server;
    std::unique_ptr<ConnectionGuard> guard;
    explicit Impl(App& a) : app(a) {}

    bool serve(Connection& c) {
        const ConnectionLimits& limits = guard->limits();
        GuardStream strm(c, steady_ms() + limits.body_timeout_ms);
        RequestState st;
        st.stream = &strm;
        current_request = &st;
        bool closed = false;
        const bool closing = guard->stopping();
        const std::size_t max_body = app.config().max_body_bytes;
        const bool ok = server.serve_one(
            strm, closing, closed, [&](httplib::Request& req) { prepare(req, st, max_body); });
        current_request = nullptr;
        if (st.reject_status != 0) {
            // Discard the rest of a refused body (up to a bound), as httplib and nginx do, so
            // that the client reads the error instead of a reset while it is still sending.
            c.close_gracefully(std::min(st.declared_length, kMaxDrainBytes));
            return false;
        }
        // A head httplib could not parse (400, 414) may have left header lines unread: never
        // read them as the next request.
        return ok && st.head_parsed && !closed && !closing;
    }
};

HttpServer::HttpServer(App& app, ConnectionLimits limits) : impl_(std::make_unique<Impl>(app)) {
    impl_->guard = std::make_unique<ConnectionGuard>(
        limits, [this](Connection& c) { return impl_->serve(c); }, raw_error);
    auto& s = impl_->server;
    s.set_payload_max_length(app.config().max_body_bytes);
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
        Request r = to_request(req);
        if (current_request) {
            Connection* c = &current_request->stream->connection();
            r.client_gone = [c] { return c->peer_closed(); };
        }
        write_response(impl_->app.handle(std::move(r)), res);
    };
    // Requests refused while reading the head or body are answered here, before routing.
    // httplib reads a body for POST/PUT/PATCH/DELETE even when the request announces none and
    // then rejects it (curl -X POST sends no Content-Length); such requests have an empty body.
    s.set_pre_routing_handler([handler](const httplib::Request& req, httplib::Response& res) {
        if (current_request && current_request->reject_status != 0) {
            write_response(
                error_with_id(current_request->reject_status, current_request->reject_message),
                res);
            return httplib::Server::HandlerResponse::Handled;
        }
        if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding") ||
            req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS") {
            return httplib::Server::HandlerResponse::Unhandled;
        }
        handler(req, res);
        return httplib::Server::HandlerResponse::Handled;
    });
    const char* kAll = R"(/.*)";
    s.Get(kAll, handler);
    s.Post(kAll, handler);
    s.Put(kAll, handler);
    s.Patch(kAll, handler);
    s.Delete(kAll, handler);
    // Errors httplib produces itself (malformed requests) get the API's error body and a
    // request id too. Responses from App already have a body and pass through.
    s.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            write_response(error_with_id(res.status, reason_phrase(res.status)), res);
            return httplib::Server::HandlerResponse::Handled;
        }));
    s.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
            write_response(error_with_id(500, "Internal server error"), res);
        });
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::bind(const std::string& host, int port) {
    return impl_->guard->bind(host, port);
}

ConnectionGuard::Outcome HttpServer::run() {
    return impl_->guard->run();
}

void HttpServer::stop() {
    impl_->guard->stop();
}

}  // namespace leadflow::server
