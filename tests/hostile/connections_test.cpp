// tests/hostile/connections_test.cpp — connection-level attacks on the real leadflow-server
// through real sockets on 127.0.0.1: slowloris heads, idle floods, per-address caps, header
// floods, compressed and chunked body bombs, duplicate headers, a second server on a busy port,
// and SIGTERM while a request is in flight. Attackers connect from other 127.x.y.z source
// addresses (bound before connect), so per-address caps apply to them and not to the client
// that checks the server still answers.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "process_test_util.hpp"
#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t ms_since(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// A TCP connection to 127.0.0.1:port from source address `from` (any 127.x.y.z); -1 on failure.
int connect_from(const std::string& from, int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in src{};
    src.sin_family = AF_INET;
    inet_pton(AF_INET, from.c_str(), &src.sin_addr);
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(static_cast<uint16_t>(port));
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0 ||
        connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool send_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        ssize_t n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

// Reads one HTTP response (head + Content-Length body), or what arrived before end of stream
// or the deadline.
std::string read_response(int fd, int timeout_ms = 20000) {
    std::string got;
    const auto start = Clock::now();
    for (;;) {
        const auto head_end = got.find("\r\n\r\n");
        if (head_end != std::string::npos) {
            const auto cl = got.find("Content-Length: ");
            if (cl != std::string::npos && cl < head_end) {
                const std::size_t len = std::stoul(got.substr(cl + 16));
                if (got.size() >= head_end + 4 + len) return got;
            }
        }
        const int left = timeout_ms - static_cast<int>(ms_since(start));
        if (left <= 0) return got;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, left) <= 0) return got;
        char buf[65536];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return got;
        got.append(buf, static_cast<std::size_t>(n));
    }
}

int status_of(const std::string& response) {
    if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
    return std::stoi(response.substr(9, 3));
}

// Sends `data` while watching for a response; stops sending once the server answered or
// stopped reading. Returns the response (possibly empty).
std::string send_while_reading(int fd, const std::string& data, int timeout_ms = 30000) {
    std::string got;
    std::size_t off = 0;
    const auto start = Clock::now();
    while (ms_since(start) < timeout_ms) {
        pollfd p{fd, static_cast<short>(POLLIN | (off < data.size() ? POLLOUT : 0)), 0};
        if (poll(&p, 1, 200) < 0) break;
        if (p.revents & POLLIN) return got + read_response(fd);
        if (p.revents & (POLLERR | POLLHUP)) break;
        if (off < data.size() && (p.revents & POLLOUT)) {
            ssize_t n = send(fd, data.data() + off, std::min<std::size_t>(65536, data.size() - off),
                             MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && errno != EAGAIN) break;
            if (n > 0) off += static_cast<std::size_t>(n);
        }
    }
    return got + read_response(fd, 2000);
}

// True when the server closed the connection (end of stream, after any reply) before the
// deadline.
bool closed_by_server(int fd, int timeout_ms) {
    const auto start = Clock::now();
    while (ms_since(start) < timeout_ms) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0) continue;
        char buf[4096];
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN)) return true;
    }
    return false;
}

// True once the server has read every byte `client_fd` sent: the receive queue of the
// server's end of the connection (/proc/net/tcp, IPv4 loopback) is empty. Polled up to 20 s.
bool server_read_everything(int client_fd, int server_port) {
    sockaddr_in me{};
    socklen_t len = sizeof me;
    getsockname(client_fd, reinterpret_cast<sockaddr*>(&me), &len);
    char want[32];
    std::snprintf(want, sizeof want, ":%04X", server_port);
    char peer[32];
    std::snprintf(peer, sizeof peer, ":%04X", ntohs(me.sin_port));
    const auto start = Clock::now();
    while (ms_since(start) < 20000) {
        std::ifstream f("/proc/net/tcp");
        std::string line;
        std::getline(f, line);  // column titles
        while (std::getline(f, line)) {
            std::istringstream in(line);
            std::string slot, local, remote, state, queues;
            in >> slot >> local >> remote >> state >> queues;
            if (local.size() < 5 || remote.size() < 5) continue;
            if (local.substr(local.size() - 5) != want ||
                remote.substr(remote.size() - 5) != peer) {
                continue;
            }
            if (queues.substr(queues.find(':') + 1) == "00000000") return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

long proc_status_kb(pid_t pid, const std::string& field) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    }
    return -1;
}

void raise_open_files(rlim_t want) {
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < want) {
        rl.rlim_cur = std::min(want, rl.rlim_max);
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

std::string gzip(const std::string& in, std::size_t repeat = 1, int window = 15 + 16) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, window, 9, Z_DEFAULT_STRATEGY);
    std::string out;
    std::vector<unsigned char> buf(1 << 20);
    for (std::size_t i = 0; i < repeat; ++i) {
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z.avail_in = static_cast<uInt>(in.size());
        const int flush = i + 1 == repeat ? Z_FINISH : Z_NO_FLUSH;
        int r;
        do {
            z.next_out = buf.data();
            z.avail_out = static_cast<uInt>(buf.size());
            r = deflate(&z, flush);
            out.append(reinterpret_cast<char*>(buf.data()), buf.size() - z.avail_out);
        } while (z.avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
    }
    deflateEnd(&z);
    return out;
}

// A gzip member that inflates to `mb` MB of zeros, built without compressing them all: one
// raw-deflate block sequence for 1 MB (byte-aligned by Z_FULL_FLUSH, so copies concatenate),
// repeated, then an empty final block and the trailer (CRC-32 combined, length mod 2^32).
std::string gzip_bomb(std::size_t mb) {
    const std::string zeros(1 << 20, '\0');
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    std::string block(1 << 16, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(zeros.size());
    z.next_out = reinterpret_cast<Bytef*>(block.data());
    z.avail_out = static_cast<uInt>(block.size());
    deflate(&z, Z_FULL_FLUSH);
    block.resize(block.size() - z.avail_out);
    deflateEnd(&z);
    std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    uLong crc1 = crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), zeros.size());
    uLong crc = 0;
    for (std::size_t i = 0; i < mb; ++i) {
        out += block;
        crc = i == 0 ? crc1 : crc32_combine(crc, crc1, static_cast<z_off_t>(zeros.size()));
    }
    out += std::string("\x03\x00", 2);
    const std::uint32_t size = static_cast<std::uint32_t>(mb * zeros.size());
    for (std::uint32_t v : {static_cast<std::uint32_t>(crc), size}) {
        for (int k = 0; k < 4; ++k) out += static_cast<char>((v >> (8 * k)) & 0xff);
    }
    return out;
}

// The size `gz` inflates to, or -1 when it is not one valid gzip member.
long inflated_size(const std::string& gz) {
    z_stream z{};
    inflateInit2(&z, 15 + 16);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.avail_in = static_cast<uInt>(gz.size());
    std::vector<unsigned char> buf(1 << 16);
    long total = 0;
    int r = Z_OK;
    while (r == Z_OK) {
        z.next_out = buf.data();
        z.avail_out = static_cast<uInt>(buf.size());
        r = inflate(&z, Z_NO_FLUSH);
        total += static_cast<long>(buf.size() - z.avail_out);
    }
    inflateEnd(&z);
    return r == Z_STREAM_END && z.avail_in == 0 ? total : -1;
}

class Connections : public ::testing::Test {
  public:
    int port() const { return server_->port(); }
    void start(std::vector<std::string> extra = {}) {
        db_ = dir_.path() + "/conn.db";
        key_ = create_key(db_);
        std::vector<std::string> args = {"serve",  "--db",      db_,      "--port", "0",
                                         "--host", "127.0.0.1", "--live", "false"};
        args.insert(args.end(), extra.begin(), extra.end());
        server_ = std::make_unique<ServerProcess>(args);
        ASSERT_GT(server_->port(), 0);
    }
    // GET `path` from 127.0.0.1 on a fresh connection: the status, 0 when no answer came.
    int get(const std::string& path, bool auth = false, int timeout_s = 20) {
        httplib::Client cli("127.0.0.1", server_->port());
        cli.set_connection_timeout(timeout_s);
        cli.set_read_timeout(timeout_s);
        httplib::Headers h;
        if (auth) h.emplace("Authorization", "Bearer " + key_);
        auto r = cli.Get(path.c_str(), h);
        return r ? r->status : 0;
    }
    std::string raw(const std::string& request, const std::string& from = "127.0.0.1") {
        int fd = connect_from(from, server_->port());
        if (fd < 0) return "";
        std::string r = send_while_reading(fd, request);
        close(fd);
        return r;
    }
    TempDir dir_;
    std::string db_, key_;
    std::unique_ptr<ServerProcess> server_;
};

TEST(ConnectionFlags, AreDocumentedAndValidated) {
    auto [code, out] = run_server_binary({"--help"});
    EXPECT_EQ(code, 0);
    for (const char* opt :
         {"--max-connections N", "--max-connections-per-peer", "--header-timeout-ms",
          "--idle-timeout-ms", "--body-timeout-ms", "--shutdown-grace-ms"}) {
        EXPECT_NE(out.find(opt), std::string::npos) << opt;
    }
    EXPECT_EQ(
        run_server_binary({"serve", "--db", "/tmp/x.db", "--port", "0", "--header-timeout-ms", "0"})
            .first,
        2);
    EXPECT_EQ(run_server_binary(
                  {"serve", "--db", "/tmp/x.db", "--port", "0", "--max-connections-per-peer", "x"})
                  .first,
              2);
}

// `kDribblers` connections (more than the 64 workers) from 127.0.1.x send `start`, then one
// byte of `dribble` every 300 ms each; the API must answer meanwhile, and the server must close
// every dribbler at its 4 s request deadline.
void expect_dribblers_starve_nothing(Connections& t, const std::string& start,
                                     const std::string& dribble) {
    constexpr int kDribblers = 80;
    std::vector<int> fds;
    for (int i = 0; i < kDribblers; ++i) {
        int fd = connect_from("127.0.1." + std::to_string(1 + i % 8), t.port());
        ASSERT_GE(fd, 0);
        ASSERT_TRUE(send_all(fd, start));
        fds.push_back(fd);
    }
    std::atomic<bool> done{false};
    std::thread dribbler([&] {
        for (std::size_t k = 0; !done.load(); ++k) {
            for (int fd : fds) {
                send(fd, &dribble[k % dribble.size()], 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
    });
    const auto start_t = Clock::now();
    EXPECT_EQ(t.get("/healthz"), 200);
    EXPECT_EQ(t.get("/v1/workflows", true), 200);
    EXPECT_LT(ms_since(start_t), 4000 + 20000);
    int closed = 0;
    for (int fd : fds) closed += closed_by_server(fd, 30000) ? 1 : 0;
    done = true;
    dribbler.join();
    EXPECT_EQ(closed, kDribblers);
    for (int fd : fds) close(fd);
    EXPECT_EQ(t.get("/healthz"), 200);
}

TEST_F(Connections, SlowlorisHeadsNeitherStarveTheApiNorOutliveTheHeaderDeadline) {
    start({"--header-timeout-ms", "4000"});
    expect_dribblers_starve_nothing(*this, "GET /healthz HTTP/1.1\r\n", "X-Slow: 1\r\n");
}

TEST_F(Connections, SlowSmallBodiesNeitherStarveTheApiNorOutliveTheDeadline) {
    // A body of up to 16 KB is received in the waiting room with its head: no worker waits.
    start({"--header-timeout-ms", "4000"});
    expect_dribblers_starve_nothing(
        *this,
        "POST /v1/workflows HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000\r\n\r\n",
        "{");
}

TEST_F(Connections, TwoThousandIdleConnectionsDoNotStarveTheApi) {
    raise_open_files(8192);
    start();
    std::vector<int> fds;
    for (int i = 0; i < 2000; ++i) {
        int fd = connect_from("127.0.2." + std::to_string(1 + i % 10), server_->port());
        ASSERT_GE(fd, 0) << i;
        fds.push_back(fd);
    }
    EXPECT_EQ(get("/healthz"), 200);
    EXPECT_EQ(get("/v1/workflows", true), 200);
    // The idle connections are still open and usable: one of them asks too.
    ASSERT_TRUE(send_all(fds[1999], "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(status_of(read_response(fds[1999])), 200);
    for (int fd : fds) close(fd);
}

TEST_F(Connections, IdleKeepAliveConnectionsAreClosedAfterTheIdleTimeout) {
    start({"--idle-timeout-ms", "1000"});
    int fd = connect_from("127.0.0.1", server_->port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(status_of(read_response(fd)), 200);
    EXPECT_TRUE(closed_by_server(fd, 30000));
    close(fd);
}

TEST_F(Connections, PipelinedRequestsOnOneConnectionAreAllAnswered) {
    start();
    int fd = connect_from("127.0.0.1", server_->port());
    ASSERT_GE(fd, 0);
    const std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_TRUE(send_all(fd, one + one + one));
    // The three answers may arrive in one segment: count them in everything read.
    std::string got;
    auto answers = [&] {
        std::size_t n = 0;
        for (auto at = got.find("HTTP/1.1 200 OK"); at != std::string::npos;
             at = got.find("HTTP/1.1 200 OK", at + 1)) {
            ++n;
        }
        return n;
    };
    const auto t = Clock::now();
    while (answers() < 3 && ms_since(t) < 20000) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0) continue;
        char buf[8192];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
    }
    EXPECT_EQ(answers(), 3u) << got;
    close(fd);
}

TEST_F(Connections, ConnectionsBeyondThePerAddressCapAreRefused) {
    start({"--max-connections-per-peer", "20"});
    std::vector<int> fds;
    for (int i = 0; i < 20; ++i) {
        fds.push_back(connect_from("127.0.3.1", server_->port()));
        ASSERT_GE(fds.back(), 0);
    }
    // The cap is counted when the server accepts: wait until all 20 are in (an idle
    // connection of the same address answered proves the earlier ones were accepted).
    ASSERT_TRUE(send_all(fds[19], "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(status_of(read_response(fds[19])), 200);
    int extra = connect_from("127.0.3.1", server_->port());
    ASSERT_GE(extra, 0);
    const std::string refused = read_response(extra);
    EXPECT_EQ(status_of(refused), 503) << refused;
    EXPECT_NE(refused.find("Too many open connections from 127.0.3.1"), std::string::npos);
    EXPECT_TRUE(closed_by_server(extra, 10000));
    close(extra);
    // Other addresses are unaffected.
    EXPECT_EQ(get("/healthz"), 200);
    for (int fd : fds) close(fd);
}

TEST_F(Connections, HeaderFloodsAre431AndMemoryStaysBounded) {
    start();
    std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 150; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
    const std::string r1 = raw(many + "\r\n");
    EXPECT_EQ(status_of(r1), 431) << r1;
    EXPECT_NE(r1.find("more than 100 header fields"), std::string::npos) << r1;
    const std::string r2 =
        raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
    EXPECT_EQ(status_of(r2), 431) << r2;
    EXPECT_NE(r2.find("larger than 16 KB"), std::string::npos) << r2;

    // 200 MB of header bytes: refused early, the server's memory does not follow.
    const long before = proc_status_kb(server_->pid(), "VmHWM");
    int fd = connect_from("127.0.4.1", server_->port());
    ASSERT_GE(fd, 0);
    std::string flood = "GET /healthz HTTP/1.1\r\n";
    const std::string line = "X-Flood: " + std::string(1000, 'f') + "\r\n";
    std::size_t sent = 0;
    ASSERT_TRUE(send_all(fd, flood));
    std::string chunk;
    for (int i = 0; i < 1000; ++i) chunk += line;
    while (sent < 200u * 1024 * 1024) {
        if (!send_all(fd, chunk)) break;
        sent += chunk.size();
    }
    EXPECT_LT(sent, 200u * 1024 * 1024);  // the server stopped reading long before
    close(fd);
    EXPECT_EQ(get("/healthz"), 200);
    const long after = proc_status_kb(server_->pid(), "VmHWM");
    EXPECT_LT(after - before, 64 * 1024) << before << " kB → " << after << " kB";
}

TEST_F(Connections, GzipBombIs413WithoutInflatingIntoMemory) {
    start();
    const std::string bomb = gzip_bomb(1024);  // 1 GB inflated
    ASSERT_LT(bomb.size(), 2u << 20);
    ASSERT_EQ(inflated_size(gzip_bomb(3)), 3L << 20);  // the construction is valid gzip
    EXPECT_EQ(get("/healthz"), 200);
    const long before = proc_status_kb(server_->pid(), "VmHWM");
    const std::string r =
        raw("POST /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key_ +
            "\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " +
            std::to_string(bomb.size()) + "\r\n\r\n" + bomb);
    EXPECT_EQ(status_of(r), 413) << r.substr(0, 300);
    EXPECT_NE(r.find("Decompressed request body is larger than 10 MB"), std::string::npos);
    const long after = proc_status_kb(server_->pid(), "VmHWM");
    EXPECT_LT(after - before, 64 * 1024) << before << " kB → " << after << " kB";
    EXPECT_EQ(get("/healthz"), 200);
}

TEST_F(Connections, CompressedBodiesAreInflatedAndUnknownCodingsAre415) {
    start();
    const std::string json = R"({"title":"Zipped"})";
    for (int window : {15 + 16, 15}) {  // gzip, deflate (zlib wrapper)
        const std::string z = gzip(json, 1, window);
        const std::string r =
            raw("POST /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key_ +
                "\r\nContent-Type: application/json\r\nContent-Encoding: " +
                (window == 15 ? "deflate" : "gzip") +
                "\r\nContent-Length: " + std::to_string(z.size()) + "\r\n\r\n" + z);
        EXPECT_EQ(status_of(r), 201) << r;
        EXPECT_NE(r.find("Zipped"), std::string::npos) << r;
    }
    const std::string br =
        raw("POST /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key_ +
            "\r\nContent-Type: application/json\r\nContent-Encoding: br\r\nContent-Length: 5\r\n"
            "\r\nabcde");
    EXPECT_EQ(status_of(br), 415) << br;
    EXPECT_NE(br.find("Content-Encoding 'br' is not supported"), std::string::npos) << br;
}

TEST_F(Connections, BodiesOverTheLimitAre413DeclaredOrChunked) {
    start();
    const std::string head = "POST /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                             key_ + "\r\nContent-Type: application/json\r\n";
    const std::string declared = raw(head + "Content-Length: 20000000\r\n\r\n");
    EXPECT_EQ(status_of(declared), 413) << declared;
    std::string chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
    const std::string mb(1 << 20, ' ');
    for (int i = 0; i < 12; ++i) chunked += "100000\r\n" + mb + "\r\n";
    chunked += "0\r\n\r\n";
    const std::string r = raw(chunked);
    EXPECT_EQ(status_of(r), 413) << r.substr(0, 300);
    EXPECT_NE(r.find("larger than 10 MB"), std::string::npos);
    // A chunked body under the limit is read.
    const std::string ok = raw(head + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"tit\r\n" +
                               "d\r\nle\":\"Chunks\"}\r\n0\r\n\r\n");
    EXPECT_EQ(status_of(ok), 201) << ok;
}

TEST_F(Connections, HeadersThatMustBeUniqueAre400WhenRepeated) {
    start();
    const std::string r = raw("GET /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                              key_ + "\r\nAuthorization: Bearer key_x:y\r\n\r\n");
    EXPECT_EQ(status_of(r), 400) << r;
    EXPECT_NE(r.find("Header Authorization appears more than once"), std::string::npos) << r;
    const std::string cl =
        raw("POST /v1/workflows HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: "
            "3\r\n\r\n{}");
    EXPECT_EQ(status_of(cl), 400) << cl;
    EXPECT_NE(cl.find("Content-Length"), std::string::npos) << cl;
}

TEST_F(Connections, ASecondServerOnTheSamePortFailsToStart) {
    start();
    std::string cmd = std::string(LEADFLOW_SERVER_BINARY) + " serve --db '" + db_ +
                      "' --live false --host 127.0.0.1 --port " + std::to_string(server_->port()) +
                      " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = pclose(p);
    ASSERT_TRUE(WIFEXITED(status)) << out;
    EXPECT_NE(WEXITSTATUS(status), 0) << out;
    EXPECT_NE(out.find("Address already in use"), std::string::npos) << out;
    EXPECT_EQ(out.find("listening on"), std::string::npos) << out;
    EXPECT_EQ(get("/healthz"), 200);
}

TEST_F(Connections, SigtermLetsAnInFlightRequestFinishThenExits) {
    start({"--shutdown-grace-ms", "20000"});
    int fd = connect_from("127.0.0.1", server_->port());
    ASSERT_GE(fd, 0);
    const std::string body = R"({"title":"Finished during shutdown"})";
    ASSERT_TRUE(send_all(fd, "POST /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                 key_ + "\r\nContent-Type: application/json\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 5)));
    // Once the server has read the head the request is in flight while its body arrives.
    ASSERT_TRUE(server_read_everything(fd, server_->port()));
    ASSERT_EQ(kill(server_->pid(), SIGTERM), 0);
    // New connections are refused at once (poll: the signal is handled asynchronously).
    bool refused = false;
    for (auto t = Clock::now(); !refused && ms_since(t) < 10000;) {
        int probe = connect_from("127.0.0.1", server_->port());
        refused = probe < 0;
        if (probe >= 0) close(probe);
        if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(refused);
    ASSERT_TRUE(send_all(fd, body.substr(5)));
    const std::string r = read_response(fd);
    EXPECT_EQ(status_of(r), 201) << r;
    close(fd);
    int status = 0;
    pid_t done = 0;
    const auto t = Clock::now();
    while ((done = waitpid(server_->pid(), &status, WNOHANG)) == 0 && ms_since(t) < 30000) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(done, server_->pid()) << "still running 30 s after its last request";
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST_F(Connections, SigtermExitsWithinTheGraceWhenARequestDoesNotFinish) {
    start({"--shutdown-grace-ms", "2000", "--body-timeout-ms", "600000"});
    int fd = connect_from("127.0.0.1", server_->port());
    ASSERT_GE(fd, 0);
    // A body that never completes: after SIGTERM a worker waits for it until the body
    // deadline (10 minutes), far beyond the grace.
    ASSERT_TRUE(send_all(fd, "POST /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                 key_ + "\r\nContent-Length: 1000\r\n\r\n{\"ti"));
    ASSERT_TRUE(server_read_everything(fd, server_->port()));
    const auto t = Clock::now();
    ASSERT_EQ(kill(server_->pid(), SIGTERM), 0);
    int status = 0;
    pid_t done = 0;
    while ((done = waitpid(server_->pid(), &status, WNOHANG)) == 0 && ms_since(t) < 60000) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(done, server_->pid()) << "still running 60 s after SIGTERM";
    EXPECT_GE(ms_since(t), 1900);  // the grace was granted
    EXPECT_TRUE(WIFEXITED(status)) << status;
    close(fd);
}

}  // namespace
}  // namespace leadflow::server::testing
