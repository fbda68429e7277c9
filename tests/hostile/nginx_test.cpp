// tests/hostile/nginx_test.cpp — the shipped reverse-proxy configuration (deploy/nginx/
// leadflow.conf) in Debian's nginx in front of a real leadflow-server, all on 127.0.0.1: requests
// pass, oversized bodies and slow heads are refused by nginx, client-sent forwarding headers are
// replaced. Skipped when /usr/sbin/nginx is not installed (scripts/setup installs it).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "process_test_util.hpp"
#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

std::string read_file(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

void replace_once(std::string& s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    s.replace(at, from.size(), to);
}

// A loopback port that was free a moment ago.
int spare_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

// A raw request to 127.0.0.1:port; the whole reply (the server closes after it).
std::string raw_request(int port, const std::string& request) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        close(fd);
        return "";
    }
    timeval tv{30, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string got;
    char buf[8192];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<std::size_t>(n));
    close(fd);
    return got;
}

class NginxProxy : public ::testing::Test {
  protected:
    void SetUp() override {
        if (access(kNginx, X_OK) != 0) GTEST_SKIP() << kNginx << " is not installed";
        const std::string db = dir_.path() + "/proxy.db";
        key_ = create_key(db);
        server_ = std::make_unique<ServerProcess>(std::vector<std::string>{
            "serve", "--db", db, "--port", "0", "--host", "127.0.0.1", "--live", "false"});
        ASSERT_GT(server_->port(), 0);

        // The shipped file with only its two addresses changed.
        std::string site =
            read_file(std::string(LEADFLOW_SOURCE_DIR) + "/deploy/nginx/leadflow.conf");
        port_ = spare_port();
        replace_once(site, "server 127.0.0.1:8080;",
                     "server 127.0.0.1:" + std::to_string(server_->port()) + ";");
        replace_once(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(port_) + ";");
        const std::string p = dir_.path();
        std::ofstream(p + "/leadflow.conf") << site;
        std::ofstream(p + "/nginx.conf")
            << "worker_processes 1;\npid " << p << "/nginx.pid;\nerror_log " << p
            << "/error.log;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n"
            << "  client_body_temp_path " << p << "/body;\n  proxy_temp_path " << p
            << "/proxy;\n  fastcgi_temp_path " << p << "/fastcgi;\n  uwsgi_temp_path " << p
            << "/uwsgi;\n  scgi_temp_path " << p << "/scgi;\n  include " << p
            << "/leadflow.conf;\n}\n";
        nginx_ = fork();
        if (nginx_ == 0) {
            execl(kNginx, kNginx, "-c", (p + "/nginx.conf").c_str(), "-p", p.c_str(), "-e",
                  (p + "/error.log").c_str(), "-g", "daemon off;", static_cast<char*>(nullptr));
            _exit(127);
        }
        ASSERT_GT(nginx_, 0);
        // Wait until nginx answers (or exits).
        const auto start = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - start < std::chrono::seconds(30)) {
            httplib::Client cli("127.0.0.1", port_);
            cli.set_connection_timeout(1);
            if (auto r = cli.Get("/healthz")) return;
            int status = 0;
            ASSERT_EQ(waitpid(nginx_, &status, WNOHANG), 0)
                << "nginx exited: " << read_file(p + "/error.log");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        FAIL() << "nginx did not answer: " << read_file(p + "/error.log");
    }
    void TearDown() override {
        if (nginx_ > 0) {
            kill(nginx_, SIGQUIT);
            int status = 0;
            waitpid(nginx_, &status, 0);
        }
    }
    TempDir dir_;
    std::string key_;
    std::unique_ptr<ServerProcess> server_;
    pid_t nginx_ = -1;
    int port_ = 0;
};

TEST_F(NginxProxy, RequestsPassAndOversizedBodiesAreRefused) {
    httplib::Client cli("127.0.0.1", port_);
    cli.set_read_timeout(30);
    httplib::Headers auth = {{"Authorization", "Bearer " + key_}};
    auto health = cli.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    auto created = cli.Post("/v1/workflows", auth, R"({"title":"Via nginx"})", "application/json");
    ASSERT_TRUE(created);
    EXPECT_EQ(created->status, 201) << created->body;
    // Keep-alive to the upstream: several requests in a row all pass.
    for (int i = 0; i < 5; ++i) {
        auto list = cli.Get("/v1/workflows", auth);
        ASSERT_TRUE(list);
        EXPECT_EQ(list->status, 200);
        EXPECT_NE(list->body.find("Via nginx"), std::string::npos);
    }
    auto missing_key = cli.Get("/v1/workflows");
    ASSERT_TRUE(missing_key);
    EXPECT_EQ(missing_key->status, 401);

    // Over client_max_body_size: nginx answers 413 from Content-Length, before any upload.
    const std::string big =
        raw_request(port_, "POST /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                               key_ + "\r\nContent-Type: application/json\r\n" +
                               "Content-Length: 11000000\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(big.rfind("HTTP/1.1 413", 0), 0u) << big.substr(0, 200);
}

TEST_F(NginxProxy, ForwardingHeadersFromTheClientAreReplaced) {
    // leadflow-server does not read X-Forwarded-For, but an application behind this proxy may:
    // the configuration must set the header from the connection, never pass the client's on.
    const std::string site =
        read_file(std::string(LEADFLOW_SOURCE_DIR) + "/deploy/nginx/leadflow.conf");
    EXPECT_NE(site.find("proxy_set_header X-Forwarded-For $remote_addr;"), std::string::npos);
    EXPECT_EQ(site.find("$proxy_add_x_forwarded_for"), std::string::npos);
    EXPECT_NE(site.find("proxy_set_header X-Real-IP $remote_addr;"), std::string::npos);
    // And a request carrying forged values still passes normally.
    httplib::Client cli("127.0.0.1", port_);
    auto r = cli.Get("/healthz", {{"X-Forwarded-For", "10.0.0.1"}, {"X-Real-IP", "10.0.0.1"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace leadflow::server::testing
