// server/http/httplib_adapter.hpp — cpp-httplib behind the plain Request/Response of App.
// The only file that includes <httplib.h>.
//
// Connections are owned by a ConnectionGuard (connection_guard.hpp); httplib only parses a
// request head that the guard has already received in full, and never reads a body itself:
// the adapter reads it under the body limit (request_body.hpp), inflating gzip/deflate, and
// hands httplib the decoded bytes.
#pragma once

#include <memory>
#include <string>

#include "http/app.hpp"
#include "http/connection_guard.hpp"
#include "leadflow/status.hpp"

namespace leadflow::server {

class HttpServer {
  public:
    HttpServer(App& app, ConnectionLimits limits);
    ~HttpServer();

    // Binds to host:port (port 0 = any free port). Returns the bound port, or kInternal (the
    // message says why, e.g. "Address already in use").
    Result<int> bind(const std::string& host, int port);
    // Serves until stop() is called (from another thread); see ConnectionGuard::run().
    ConnectionGuard::Outcome run();
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace leadflow::server
