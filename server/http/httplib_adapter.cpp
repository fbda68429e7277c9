// server/http/httplib_adapter.cpp — translates between httplib and App.
#include "http/httplib_adapter.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include "http/errors.hpp"
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

}  // namespace

struct HttpServer::Impl {
    App& app;
    httplib::Server server;
    int listen_fd = -1;  // the listening socket, seen by the socket options callback
    explicit Impl(App& a) : app(a) {}
};

HttpServer::HttpServer(App& app, int threads) : impl_(std::make_unique<Impl>(app)) {
    auto& s = impl_->server;
    const int n = threads > 0 ? threads : 8;
    s.new_task_queue = [n] { return new httplib::ThreadPool(static_cast<size_t>(n)); };
    s.set_payload_max_length(app.config().max_body_bytes);
    s.set_keep_alive_max_count(100000);
    // httplib writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and
    // the client's delayed ACK hold every response for ~40 ms.
    s.set_tcp_nodelay(true);
    // Remember the listening socket so that bind() can raise its accept backlog.
    s.set_socket_options([this](socket_t sock) {
        httplib::default_socket_options(sock);
        impl_->listen_fd = static_cast<int>(sock);
    });
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
        write_response(impl_->app.handle(to_request(req)), res);
    };
    // httplib reads a body for POST/PUT/PATCH/DELETE even when the request announces none and
    // then rejects it (curl -X POST sends no Content-Length); such requests have an empty body.
    s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding") ||
            req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS") {
            return httplib::Server::HandlerResponse::Unhandled;
        }
        write_response(impl_->app.handle(to_request(req)), res);
        return httplib::Server::HandlerResponse::Handled;
    });
    const char* kAll = R"(/.*)";
    s.Get(kAll, handler);
    s.Post(kAll, handler);
    s.Put(kAll, handler);
    s.Patch(kAll, handler);
    s.Delete(kAll, handler);
    // Errors httplib produces itself (oversized or malformed requests) get the API's error body
    // and a request id too. Responses from App already have a body and pass through.
    s.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            Response r =
                error_response(res.status, res.status == 413 ? "Request body is larger than 10 MB"
                                                             : reason_phrase(res.status));
            r.headers.emplace_back("X-Request-Id", "req_" + random_hex(8));
            write_response(r, res);
            return httplib::Server::HandlerResponse::Handled;
        }));
    s.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
            Response r = error_response(500, "Internal server error");
            r.headers.emplace_back("X-Request-Id", "req_" + random_hex(8));
            write_response(r, res);
        });
}

HttpServer::~HttpServer() = default;

// Debian's httplib library listens with a backlog of 5 (compiled in): when many clients
// connect at once, the kernel drops the other SYNs and those clients retry after a second,
// which showed as 0.7-2 s request latencies at 64 connections. Calling listen() again on the
// bound socket raises the backlog (capped by net.core.somaxconn).
constexpr int kListenBacklog = 1024;

Result<int> HttpServer::bind(const std::string& host, int port) {
    auto& s = impl_->server;
    int bound = port;
    if (port == 0) {
        bound = s.bind_to_any_port(host);
        if (bound <= 0) return Status::internal("cannot bind to " + host);
    } else if (!s.bind_to_port(host, port)) {
        return Status::internal("cannot bind to " + host + ":" + std::to_string(port));
    }
    if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, kListenBacklog);
    return bound;
}

bool HttpServer::run() {
    return impl_->server.listen_after_bind();
}

void HttpServer::stop() {
    impl_->server.stop();
}

}  // namespace leadflow::server
