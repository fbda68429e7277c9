// tests/server/connection_guard_test.cpp — the connection guard in process (a trivial serve
// callback, real sockets on 127.0.0.1) and the body reader (gzip, deflate, chunked, limits).
// Small and fast so that the sanitizer pass runs them.
#include "http/connection_guard.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "http/request_body.hpp"

namespace leadflow::server {
namespace {

std::string deflate_with(const std::string& in, int window) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, window, 8, Z_DEFAULT_STRATEGY);
    std::string out(compressBound(static_cast<uLong>(in.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    return out;
}

BodyReadFn reader(const std::string& data) {
    auto pos = std::make_shared<std::size_t>(0);
    return [data, pos](char* p, std::size_t n) -> ssize_t {
        const std::size_t k = std::min(n, data.size() - *pos);
        std::copy(data.begin() + static_cast<long>(*pos),
                  data.begin() + static_cast<long>(*pos + k), p);
        *pos += k;
        return static_cast<ssize_t>(k);
    };
}

TEST(RequestBody, PlainGzipDeflateAndChunkedBodiesAreDecoded) {
    const std::string json = R"({"title":"x"})";
    BodyFraming f;
    f.content_length = json.size();
    EXPECT_EQ(read_body(f, 1000, reader(json)).body, json);
    for (auto [coding, window] :
         {std::pair{"gzip", 15 + 16}, {"x-gzip", 15 + 16}, {"deflate", 15}}) {
        const std::string z = deflate_with(json, window);
        BodyFraming g;
        g.content_length = z.size();
        g.content_encoding = coding;
        BodyOutcome o = read_body(g, 1000, reader(z));
        EXPECT_EQ(o.status, 0) << coding << ": " << o.message;
        EXPECT_EQ(o.body, json) << coding;
    }
    BodyFraming c;
    c.chunked = true;
    EXPECT_EQ(
        read_body(c, 1000, reader("4;ext=1\r\n{\"ti\r\n9\r\ntle\":\"x\"}\r\n0\r\nX-T: 1\r\n\r\n"))
            .body,
        json);
}

TEST(RequestBody, LimitsAndBadInputAreRefusedWithTheRightStatus) {
    BodyFraming declared;
    declared.content_length = 2000;
    EXPECT_EQ(check_body_framing(declared, 1000).status, 413);
    BodyFraming br;
    br.content_encoding = "br";
    BodyOutcome o = check_body_framing(br, 1000);
    EXPECT_EQ(o.status, 415);
    EXPECT_NE(o.message.find("'br'"), std::string::npos);

    const std::string zeros(100000, '\0');
    const std::string bomb = deflate_with(zeros, 15 + 16);
    BodyFraming g;
    g.content_length = bomb.size();
    g.content_encoding = "gzip";
    o = read_body(g, 1000, reader(bomb));
    EXPECT_EQ(o.status, 413);
    EXPECT_EQ(o.message, "Decompressed request body is larger than 0 MB");

    BodyFraming c;
    c.chunked = true;
    EXPECT_EQ(read_body(c, 10, reader("8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n")).status, 413);
    EXPECT_EQ(read_body(c, 1000, reader("zz\r\n")).status, 400);
    EXPECT_EQ(read_body(c, 1000, reader("8\r\n1234")).status, 408);  // the client stopped

    const std::string truncated = deflate_with("hello world", 15 + 16).substr(0, 8);
    g.content_length = truncated.size();
    EXPECT_EQ(read_body(g, 1000, reader(truncated)).status, 400);
    const std::string junk = "not gzip at all";
    g.content_length = junk.size();
    EXPECT_EQ(read_body(g, 1000, reader(junk)).status, 400);
}

int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

// Everything the server sends until it closes or `until` appears (20 s at most).
std::string read_until(int fd, const std::string& until = "") {
    std::string got;
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
        if (!until.empty() && got.find(until) != std::string::npos) break;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        char buf[4096];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
}

// A guard whose serve callback consumes one head and answers "ok", recording whether the peer
// had gone when asked to (a request whose path is /wait-for-close).
class GuardTest : public ::testing::Test {
  protected:
    void start(ConnectionLimits limits) {
        limits.workers = 2;
        guard_ = std::make_unique<ConnectionGuard>(
            limits,
            [this](Connection& c) {
                std::string head;
                char ch;
                while (head.find("\r\n\r\n") == std::string::npos &&
                       c.read(&ch, 1, steady_ms() + 5000) == 1) {
                    head += ch;
                }
                if (head.find("/wait-for-close") != std::string::npos) {
                    const auto t = steady_ms();
                    while (!c.peer_closed() && steady_ms() - t < 20000) {
                        std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    }
                    saw_gone_ = c.peer_closed();
                    return false;
                }
                const std::string r = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                return c.write(r.data(), r.size()) == static_cast<ssize_t>(r.size());
            },
            [](int status, const std::string& m) {
                return "HTTP/1.1 " + std::to_string(status) + " X\r\nConnection: close\r\n\r\n" + m;
            });
        auto port = guard_->bind("127.0.0.1", 0);
        ASSERT_TRUE(port.ok());
        port_ = port.value();
        loop_ = std::thread([this] { outcome_ = guard_->run(); });
    }
    void TearDown() override {
        if (guard_) guard_->stop();
        if (loop_.joinable()) loop_.join();
    }
    std::unique_ptr<ConnectionGuard> guard_;
    std::thread loop_;
    int port_ = 0;
    std::atomic<bool> saw_gone_{false};
    ConnectionGuard::Outcome outcome_ = ConnectionGuard::Outcome::kError;
};

TEST_F(GuardTest, PipelinedHeadsAreServedInOrderOnOneConnection) {
    start({});
    int fd = connect_to(port_);
    ASSERT_GE(fd, 0);
    const std::string one = "GET / HTTP/1.1\r\n\r\n";
    // The second head arrives split, after the first.
    ASSERT_EQ(send(fd, (one + one + "GET / HT").data(), one.size() * 2 + 8, 0),
              static_cast<ssize_t>(one.size() * 2 + 8));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(send(fd, "TP/1.1\r\n\r\n", 10, 0), 10);
    std::string got = read_until(fd,
                                 "okHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 "
                                 "OK\r\nContent-Length: 2\r\n\r\nok");
    EXPECT_EQ(got, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" +
                       std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") +
                       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    close(fd);
}

TEST_F(GuardTest, AClientThatHalfClosesAfterItsRequestStillGetsTheAnswer) {
    start({});
    int fd = connect_to(port_);
    ASSERT_GE(fd, 0);
    const std::string one = "GET / HTTP/1.1\r\n\r\n";
    ASSERT_EQ(send(fd, one.data(), one.size(), 0), static_cast<ssize_t>(one.size()));
    shutdown(fd, SHUT_WR);
    EXPECT_EQ(read_until(fd), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    close(fd);
}

TEST_F(GuardTest, HeadLimitsAndTheHeaderDeadlineAreEnforcedWithoutAWorker) {
    ConnectionLimits limits;
    limits.header_timeout_ms = 300;
    limits.max_head_bytes = 1024;
    limits.max_header_fields = 5;
    start(limits);
    int big = connect_to(port_);
    const std::string huge = "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a');
    send(big, huge.data(), huge.size(), MSG_NOSIGNAL);
    EXPECT_EQ(read_until(big).rfind("HTTP/1.1 431", 0), 0u);
    close(big);
    int many = connect_to(port_);
    std::string fields = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 6; ++i) fields += "A: b\r\n";
    send(many, fields.data(), fields.size(), MSG_NOSIGNAL);
    EXPECT_EQ(read_until(many).rfind("HTTP/1.1 431", 0), 0u);
    close(many);
    // Two workers, three slow heads: all get 408 at the deadline.
    int slow[3];
    for (int& fd : slow) {
        fd = connect_to(port_);
        send(fd, "GET / HTTP/1.1\r\n", 16, MSG_NOSIGNAL);
    }
    for (int fd : slow) {
        EXPECT_EQ(read_until(fd).rfind("HTTP/1.1 408", 0), 0u);
        close(fd);
    }
}

// After an answer a worker may keep the connection for a moment and take the client's next
// request itself (ConnectionGuard's linger): requests sent at once are all served, and a next
// head that is too large or has too many fields is still refused by the waiting room, whether
// it arrives during the linger or after it.
TEST_F(GuardTest, NextRequestsOnAKeptConnectionAreServedAndStillMeetTheHeadLimits) {
    ConnectionLimits limits;
    limits.max_head_bytes = 1024;
    limits.max_header_fields = 5;
    start(limits);
    const std::string one = "GET / HTTP/1.1\r\n\r\n";
    const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    // A connection that has had one request answered (-1 when it could not be made).
    auto answered_once = [&] {
        int c = connect_to(port_);
        if (c < 0 || send(c, one.data(), one.size(), 0) != static_cast<ssize_t>(one.size()) ||
            read_until(c, ok) != ok) {
            if (c >= 0) close(c);
            return -1;
        }
        return c;
    };
    int fd = connect_to(port_);
    ASSERT_GE(fd, 0);
    for (int i = 0; i < 50; ++i) {
        ASSERT_EQ(send(fd, one.data(), one.size(), 0), static_cast<ssize_t>(one.size()));
        ASSERT_EQ(read_until(fd, ok), ok) << "request " << i;
    }
    const std::string huge = "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a');
    send(fd, huge.data(), huge.size(), MSG_NOSIGNAL);
    EXPECT_EQ(read_until(fd).rfind("HTTP/1.1 431", 0), 0u);
    close(fd);

    fd = answered_once();
    ASSERT_GE(fd, 0);
    std::string fields = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 6; ++i) fields += "A: b\r\n";
    fields += "\r\n";
    send(fd, fields.data(), fields.size(), MSG_NOSIGNAL);
    EXPECT_EQ(read_until(fd).rfind("HTTP/1.1 431", 0), 0u);
    close(fd);

    // The next head sent in two parts, the second long after any linger: served all the same.
    fd = answered_once();
    ASSERT_GE(fd, 0);
    ASSERT_EQ(send(fd, "GET / HT", 8, 0), 8);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_EQ(send(fd, "TP/1.1\r\n\r\n", 10, 0), 10);
    EXPECT_EQ(read_until(fd, ok), ok);
    close(fd);
}

TEST_F(GuardTest, PeerClosedTurnsTrueWhenTheClientLeaves) {
    start({});
    int fd = connect_to(port_);
    ASSERT_GE(fd, 0);
    const std::string head = "GET /wait-for-close HTTP/1.1\r\n\r\n";
    send(fd, head.data(), head.size(), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_FALSE(saw_gone_.load());
    close(fd);
    const auto t = steady_ms();
    while (!saw_gone_.load() && steady_ms() - t < 20000) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(saw_gone_.load());
}

TEST_F(GuardTest, StopRefusesNewConnectionsAndReturns) {
    start({});
    int idle = connect_to(port_);
    ASSERT_GE(idle, 0);
    guard_->stop();
    loop_.join();
    EXPECT_EQ(outcome_, ConnectionGuard::Outcome::kStopped);
    EXPECT_EQ(read_until(idle), "");  // closed without an answer
    close(idle);
    EXPECT_LT(connect_to(port_), 0);
}

}  // namespace
}  // namespace leadflow::server
