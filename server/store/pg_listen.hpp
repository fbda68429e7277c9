// server/store/pg_listen.hpp — private to server/store/pg_*.cpp: the thread that hears other
// servers announce new work (PostgreSQL LISTEN/NOTIFY), for Store::on_remote_work.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace leadflow::server::pg_internal {

// The notification channel a committed API write announces itself on ("SELECT
// pg_notify(kWorkChannel, '')" inside the transaction: delivered at commit, dropped on
// rollback).
constexpr const char* kWorkChannel = "leadflow_work";

// Listens on kWorkChannel over a connection of its own and calls the callback (on its thread)
// for each notification. The connection is opened by the thread and opened again, after a
// pause, when it is lost; nothing is lost meanwhile that matters, since the callers poll too.
class WorkListener {
  public:
    explicit WorkListener(std::string uri);
    ~WorkListener();  // stops the thread
    WorkListener(const WorkListener&) = delete;
    WorkListener& operator=(const WorkListener&) = delete;

    // Replaces the callback (nullptr: none); starts the thread at the first non-null one. When
    // this returns, the previous callback is not running and will not run again.
    void set_callback(std::function<void()> fn);

  private:
    void run();

    const std::string uri_;
    std::mutex mu_;  // held while the callback runs and while it is replaced
    std::function<void()> fn_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace leadflow::server::pg_internal
