// tests/server/http_receiver.hpp — a small HTTP server on 127.0.0.1 for tests: the fake voice
// platform, webhook endpoints and other receivers of the server's outbound requests.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

namespace leadflow::server::testing {

class Receiver {
  public:
    // Listens on a free port of 127.0.0.1 until destroyed, answering up to `threads` requests
    // at once (0: httplib's default pool).
    explicit Receiver(int threads = 0) {
        if (threads > 0) {
            server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
        }
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~Receiver() {
        server_.stop();
        thread_.join();
    }
    Receiver(const Receiver&) = delete;
    Receiver& operator=(const Receiver&) = delete;

    // Register handlers here (before requests are expected).
    httplib::Server& server() { return server_; }
    int port() const { return port_; }
    // http://127.0.0.1:PORT followed by `path`.
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }

  private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace leadflow::server::testing
