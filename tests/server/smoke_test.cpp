// tests/server/smoke_test.cpp — the real `leadflow-server` binary over HTTP on 127.0.0.1:
// keys create, serve on an ephemeral port, a few requests through cpp-httplib, shutdown.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

// Runs the binary with `args`; returns {exit code, stdout}.
std::pair<int, std::string> run(const std::vector<std::string>& args) {
    std::string cmd = LEADFLOW_SERVER_BINARY;
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
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

class ServerProcess {
  public:
    explicit ServerProcess(const std::vector<std::string>& args) {
        int fds[2];
        if (pipe(fds) != 0) return;
        pid_ = fork();
        if (pid_ == 0) {
            dup2(fds[1], STDOUT_FILENO);
            close(fds[0]);
            std::vector<char*> argv;
            std::string bin = LEADFLOW_SERVER_BINARY;
            argv.push_back(bin.data());
            std::vector<std::string> copy = args;
            for (auto& a : copy) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(bin.c_str(), argv.data());
            _exit(127);
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
    ~ServerProcess() { stop(); }
    int stop() {
        if (pid_ <= 0) return -1;
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    int port() const { return port_; }

  private:
    pid_t pid_ = -1;
    int port_ = 0;
};

TEST(ServerSmoke, HelpDocumentsEveryOptionAndBadUsageExits2) {
    auto [code, out] = run({"--help"});
    EXPECT_EQ(code, 0);
    for (const char* opt : {"serve", "keys create", "--db", "--port", "--host", "--web-root",
                            "--provider", "--time-scale", "--compat", "--rate-limit"}) {
        EXPECT_NE(out.find(opt), std::string::npos) << opt;
    }
    EXPECT_EQ(run({"serve", "--db", "/tmp/x.db"}).first, 2);
    EXPECT_EQ(
        run({"serve", "--db", "/tmp/x.db", "--port", "1", "--provider", "carrier-pigeon"}).first,
        2);
    EXPECT_EQ(run({"serve", "--db", "/tmp/x.db", "--port", "1", "--bogus", "1"}).first, 2);
    EXPECT_EQ(run({"keys", "create", "--db", "/tmp/x.db"}).first, 2);
    EXPECT_EQ(run({"frobnicate"}).first, 2);
}

TEST(ServerSmoke, ServesTheApiOverHttpOnAnEphemeralPort) {
    TempDir dir;
    const std::string db = dir.path() + "/smoke.db";
    auto [code, out] = run({"keys", "create", "--db", db, "--org", "default"});
    ASSERT_EQ(code, 0);
    const std::string key = last_line(out);
    ASSERT_EQ(key.rfind("key_", 0), 0u) << out;
    ASSERT_NE(key.find(':'), std::string::npos);

    ServerProcess server({"serve", "--db", db, "--port", "0", "--host", "127.0.0.1", "--provider",
                          "sandbox", "--time-scale", "60"});
    ASSERT_GT(server.port(), 0);
    httplib::Client cli("127.0.0.1", server.port());
    cli.set_connection_timeout(5);
    httplib::Headers auth = {{"Authorization", "Bearer " + key}};

    auto health = cli.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_TRUE(health->has_header("X-Request-Id"));

    auto unauth = cli.Get("/v1/workflows");
    ASSERT_TRUE(unauth);
    EXPECT_EQ(unauth->status, 401);
    EXPECT_TRUE(unauth->has_header("X-Request-Id"));

    auto created = cli.Post("/v1/workflows", auth, R"({"title":"Smoke"})", "application/json");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    const std::string wf = Json::parse(created->body)["id"].get<std::string>();

    httplib::MultipartFormDataItems form = {
        {"file", "\xEF\xBB\xBFphone_number,city\r\n(415) 555-2671,\"Pune, MH\"\r\n", "leads.csv",
         "text/csv"}};
    auto up = cli.Post(("/v1/workflows/" + wf + "/leads").c_str(), auth, form);
    ASSERT_TRUE(up);
    ASSERT_EQ(up->status, 201) << up->body;
    EXPECT_EQ(Json::parse(up->body)["count"], 1);

    auto leads = cli.Get(("/v1/workflows/" + wf + "/leads").c_str(), auth);
    ASSERT_TRUE(leads);
    EXPECT_EQ(Json::parse(leads->body)["data"][0]["variables"]["city"], "Pune, MH");

    // Over 10 MB: 413 with the API's error body, from the HTTP layer itself.
    std::string big(11 * 1024 * 1024, 'x');
    auto too_big = cli.Post(("/v1/workflows/" + wf + "/leads").c_str(), auth, big, "text/csv");
    if (too_big) {  // the server may close the connection before reading it all
        EXPECT_EQ(too_big->status, 413);
        EXPECT_TRUE(too_big->has_header("X-Request-Id"));
    }
    auto wrong_type =
        cli.Post("/v1/workflows", auth, "title=x", "application/x-www-form-urlencoded");
    ASSERT_TRUE(wrong_type);
    EXPECT_EQ(wrong_type->status, 415);
    EXPECT_EQ(Json::parse(wrong_type->body)["error"], "Unsupported Media Type");

    EXPECT_EQ(server.stop(), 0);

    // A restart over the same file keeps everything.
    ServerProcess again({"serve", "--db", db, "--port", "0"});
    ASSERT_GT(again.port(), 0);
    httplib::Client cli2("127.0.0.1", again.port());
    auto got = cli2.Get(("/v1/workflows/" + wf).c_str(), auth);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->status, 200);
    EXPECT_EQ(Json::parse(got->body)["enrolled_leads"], 1);
}

}  // namespace
}  // namespace leadflow::server::testing
