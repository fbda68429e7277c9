// server/store/pg_listen.cpp — see pg_listen.hpp.
#include "store/pg_listen.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>

#include "store/pg_query.hpp"

namespace leadflow::server::pg_internal {

WorkListener::WorkListener(std::string uri) : uri_(std::move(uri)) {}

WorkListener::~WorkListener() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void WorkListener::set_callback(std::function<void()> fn) {
    const bool start = fn && !thread_.joinable();
    {
        std::lock_guard<std::mutex> lock(mu_);
        fn_ = std::move(fn);
    }
    if (start) thread_ = std::thread([this] { run(); });
}

void WorkListener::run() {
    // Waits in slices so that stopping never takes longer than one of them.
    constexpr int kSliceMs = 200;
    while (!stopping_) {
        auto c = connect(uri_);
        if (!c.ok() || !c.value()->exec(std::string("LISTEN ") + kWorkChannel)) {
            for (int i = 0; i < 10 && !stopping_; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(kSliceMs));
            }
            continue;
        }
        PGconn* conn = c.value()->conn;
        while (!stopping_ && PQstatus(conn) == CONNECTION_OK) {
            pollfd p{PQsocket(conn), POLLIN, 0};
            if (::poll(&p, 1, kSliceMs) <= 0) continue;
            if (!PQconsumeInput(conn)) break;  // lost: connect again
            bool heard = false;
            while (PGnotify* n = PQnotifies(conn)) {
                heard = true;
                PQfreemem(n);
            }
            if (!heard) continue;
            std::lock_guard<std::mutex> lock(mu_);
            if (fn_) fn_();
        }
    }
}

}  // namespace leadflow::server::pg_internal
