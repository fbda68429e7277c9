// tests/server/process_test_util.hpp — the real `leadflow-server` binary (LEADFLOW_SERVER_BINARY)
// as a child process: one-shot commands, and `serve` on an ephemeral 127.0.0.1 port.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace leadflow::server::testing {

// Runs the binary with `args` (stderr discarded); returns {exit code, stdout}.
std::pair<int, std::string> run_server_binary(const std::vector<std::string>& args);

// The last non-empty line of `s` (e.g. the key printed by `keys create`).
std::string last_line(const std::string& s);

// In a forked child: replaces the process with the binary and `args`; exits 127 if it cannot.
[[noreturn]] void exec_server_binary(const std::vector<std::string>& args);

// `keys create --db DB --org ORG`: the new API key.
std::string create_key(const std::string& db, const std::string& org = "acme");

// `leadflow-server ARGS` started in the constructor, which waits for its first stdout line
// ("listening on http://HOST:PORT"); port() is 0 when that line did not come.
class ServerProcess {
  public:
    explicit ServerProcess(const std::vector<std::string>& args);
    ~ServerProcess() { stop(); }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Sends `sig` and waits: the exit code, or -1 (killed by a signal, or not running).
    int stop(int sig = SIGTERM);
    int port() const { return port_; }
    pid_t pid() const { return pid_; }

  private:
    pid_t pid_ = -1;
    int port_ = 0;
};

}  // namespace leadflow::server::testing
