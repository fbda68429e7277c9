// tests/server/process_test_util.cpp — see process_test_util.hpp.
#include "process_test_util.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace leadflow::server::testing {

std::pair<int, std::string> run_server_binary(const std::vector<std::string>& args) {
    std::string cmd = LEADFLOW_SERVER_BINARY;
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return {-1, ""};
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string last_line(const std::string& s) {
    std::string t = s;
    while (!t.empty() && t.back() == '\n') t.pop_back();
    return t.substr(t.rfind('\n') == std::string::npos ? 0 : t.rfind('\n') + 1);
}

std::string create_key(const std::string& db, const std::string& org) {
    return last_line(run_server_binary({"keys", "create", "--db", db, "--org", org}).second);
}

void exec_server_binary(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    std::string bin = LEADFLOW_SERVER_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
}

ServerProcess::ServerProcess(const std::vector<std::string>& args) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        exec_server_binary(args);
    }
    close(fds[1]);
    // Read the "listening on http://127.0.0.1:PORT" line.
    std::string line;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(fds[0]);
    auto colon = line.rfind(':');
    if (line.rfind("listening on http://", 0) == 0 && colon != std::string::npos) {
        port_ = std::stoi(line.substr(colon + 1));
    }
}

int ServerProcess::stop(int sig) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace leadflow::server::testing
