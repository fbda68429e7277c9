// server/http/httplib_adapter.hpp — cpp-httplib behind the plain Request/Response of App.
// The only file that includes <httplib.h>.
#pragma once

#include <memory>
#include <string>

#include "http/app.hpp"
#include "leadflow/status.hpp"

namespace leadflow::server {

class HttpServer {
  public:
    // `threads` worker threads; each keep-alive connection holds one while it is open, so use
    // at least as many as the concurrent clients you expect.
    HttpServer(App& app, int threads);
    ~HttpServer();

    // Binds to host:port (port 0 = any free port). Returns the bound port, or kInternal.
    Result<int> bind(const std::string& host, int port);
    // Serves until stop() is called (from another thread). Returns false on a socket error.
    bool run();
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace leadflow::server
