// tests/hostile/keys_test.cpp — API keys and the operational surface through the real
// `leadflow-server` binary on 127.0.0.1: revocation and rotation reach a running server,
// expired and read-only keys, /metrics behind a key or on the operator's listener, database
// files 0600, the first key printed once, forged log lines, and share links (random ids, owner
// delete, old ids). Each server's stdout and stderr go to files the test reads.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "leadflow/json.hpp"
#include "process_test_util.hpp"
#include "server_test_util.hpp"
#include "store/sqlite_store.hpp"

namespace leadflow::server::testing {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

// Polls `done` every 20 ms for up to 60 s (a loaded machine); true once it held.
bool eventually(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

// Starts the binary with stdout and stderr redirected to files; returns the pid.
pid_t spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
    pid_t pid = fork();
    if (pid == 0) {
        int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, STDOUT_FILENO);
        dup2(e, STDERR_FILENO);
        exec_server_binary(args);
    }
    return pid;
}

struct RunResult {
    int code = -1;
    std::string out, err;
};

// Runs a one-shot command (keys …) to completion.
RunResult run(const TempDir& dir, const std::vector<std::string>& args) {
    const std::string out = dir.path() + "/run.out", err = dir.path() + "/run.err";
    pid_t pid = spawn(args, out, err);
    int status = 0;
    waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
}

std::string last_line_of(std::string s) {
    while (!s.empty() && s.back() == '\n') s.pop_back();
    auto nl = s.rfind('\n');
    return nl == std::string::npos ? s : s.substr(nl + 1);
}

std::string new_key(const TempDir& dir, const std::string& db, const std::string& org,
                    std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"keys", "create", "--db", db, "--org", org};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = run(dir, args);
    EXPECT_EQ(r.code, 0) << r.err;
    return last_line_of(r.out);
}

std::string key_id_of(const std::string& key) {
    return key.substr(0, key.find(':'));
}

// `serve` on an ephemeral port; stdout and stderr kept in files.
class Server {
  public:
    Server(const TempDir& dir, const std::string& name, std::vector<std::string> args)
        : out_(dir.path() + "/" + name + ".out"), err_(dir.path() + "/" + name + ".err") {
        args.insert(args.begin(), {"serve", "--port", "0", "--host", "127.0.0.1"});
        bool want_metrics = false;
        for (const auto& a : args) want_metrics = want_metrics || a == "--metrics-listen";
        pid_ = spawn(args, out_, err_);
        eventually([&] {
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;  // exited: port() stays 0
                return true;
            }
            const std::string o = out();
            if (o.find("listening on") == std::string::npos) return false;
            if (want_metrics && o.find("metrics on") == std::string::npos) return false;
            port_ = port_after(o, "listening on http://");
            metrics_port_ = port_after(o, "metrics on http://");
            return true;
        });
    }
    ~Server() { stop(); }

    // SIGTERM, then the exit code; a server that has not exited after 60 s is killed (-1), so
    // that a shutdown bug fails the test instead of hanging it.
    int stop() {
        if (pid_ <= 0) return -1;
        kill(pid_, SIGTERM);
        int status = 0;
        const bool exited = eventually([&] { return waitpid(pid_, &status, WNOHANG) == pid_; });
        if (!exited) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
        }
        pid_ = -1;
        return exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    int port() const { return port_; }
    int metrics_port() const { return metrics_port_; }
    std::string out() const { return read_file(out_); }
    std::string err() const { return read_file(err_); }

  private:
    static int port_after(const std::string& text, const std::string& prefix) {
        auto at = text.find(prefix);
        if (at == std::string::npos) return 0;
        auto line_end = text.find('\n', at);
        auto colon = text.rfind(':', line_end);
        return std::stoi(text.substr(colon + 1, line_end - colon - 1));
    }

    std::string out_, err_;
    pid_t pid_ = -1;
    int port_ = 0, metrics_port_ = 0;
};

struct Answer {
    int status = 0;
    std::string body;
};

Answer call(int port, const std::string& method, const std::string& path, const std::string& key,
            const std::string& body = "") {
    httplib::Client cli("127.0.0.1", port);
    cli.set_connection_timeout(10);
    cli.set_read_timeout(30);
    httplib::Headers h;
    if (!key.empty()) h.emplace("Authorization", "Bearer " + key);
    auto r = method == "POST"     ? cli.Post(path.c_str(), h, body, "application/json")
             : method == "DELETE" ? cli.Delete(path.c_str(), h)
                                  : cli.Get(path.c_str(), h);
    if (!r) return {};
    return {r->status, r->body};
}

std::string message_of(const Answer& a) {
    auto j = Json::parse(a.body, nullptr, false);
    if (!j.is_object() || !j.contains("message") || !j["message"].is_string()) return a.body;
    return j["message"].get<std::string>();
}

TEST(HostileKeys, UsageDocumentsTheKeyCommandsAndRefusesBadArguments) {
    TempDir dir;
    RunResult help = run(dir, {"--help"});
    EXPECT_EQ(help.code, 0);
    for (const char* text :
         {"keys list", "keys revoke", "keys rotate", "--expires-in-days", "--read-only",
          "--overlap-hours", "--metrics-listen", "--first-key-org", "0600"}) {
        EXPECT_NE(help.out.find(text), std::string::npos) << text;
    }
    const std::string db = dir.path() + "/k.db";
    const std::string key = new_key(dir, db, "acme");
    for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
             {"keys", "rotate", "--db", db},
             {"keys", "rotate", "--db", db, key_id_of(key), "--overlap-hours", "-1"},
             {"keys", "rotate", "--db", db, key_id_of(key), "extra", "--overlap-hours", "1"},
             {"keys", "revoke", "--db", db, "key_unknown"},
             {"keys", "list", "--db", db, "--org", "nobody"},
             {"keys", "create", "--db", db, "--org", "acme", "--read-only", "maybe"},
             {"keys", "create", "--db", db, "--org", "acme", "--expires-in-days", "-3"},
             {"serve", "--db", db, "--port", "0", "--metrics-listen", "nope"},
             {"serve", "--db", db, "--port", "0", "--metrics-listen", "127.0.0.1:70000"}}) {
        RunResult r = run(dir, bad);
        EXPECT_EQ(r.code, 2) << bad[1] << " " << r.err;
        EXPECT_EQ(r.out.find("key_"), std::string::npos) << r.out;
    }
}

TEST(HostileKeys, RevokeReachesARunningServerAtTheNextRequest) {
    TempDir dir;
    const std::string db = dir.path() + "/k.db";
    const std::string key = new_key(dir, db, "acme");
    const std::string other = new_key(dir, db, "acme");
    Server s(dir, "serve", {"--db", db, "--live", "false"});
    ASSERT_GT(s.port(), 0) << s.err();
    ASSERT_EQ(call(s.port(), "GET", "/v1/workflows", key).status, 200);
    ASSERT_EQ(call(s.port(), "GET", "/v1/workflows", key).status, 200);

    RunResult r = run(dir, {"keys", "revoke", "--db", db, key_id_of(key)});
    ASSERT_EQ(r.code, 0) << r.err;
    Answer a = call(s.port(), "GET", "/v1/workflows", key);
    EXPECT_EQ(a.status, 401);
    EXPECT_EQ(message_of(a), "API key has been revoked");
    EXPECT_EQ(call(s.port(), "GET", "/v1/workflows", other).status, 200);

    // keys list shows it revoked, and never a secret.
    RunResult list = run(dir, {"keys", "list", "--db", db, "--org", "acme"});
    ASSERT_EQ(list.code, 0) << list.err;
    EXPECT_NE(list.out.find(key_id_of(key)), std::string::npos);
    EXPECT_EQ(list.out.find(key.substr(key.find(':') + 1)), std::string::npos);
    EXPECT_EQ(list.out.find(other.substr(other.find(':') + 1)), std::string::npos);
    std::istringstream lines(list.out);
    int revoked = 0, rows = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("key_", 0) != 0) continue;
        ++rows;
        if (line.find(key_id_of(key)) == 0) revoked += line.find("\tno\t") == std::string::npos;
    }
    EXPECT_EQ(rows, 2);
    EXPECT_EQ(revoked, 1) << list.out;
    EXPECT_EQ(run(dir, {"keys", "revoke", "--db", db, "key_unknown"}).code, 2);
}

TEST(HostileKeys, RotationOverlapThenExpiryAndExpiredKeys) {
    TempDir dir;
    const std::string db = dir.path() + "/k.db";
    const std::string first = new_key(dir, db, "acme");
    Server s(dir, "serve", {"--db", db, "--live", "false"});
    ASSERT_GT(s.port(), 0) << s.err();

    // Rotation with an overlap: both keys work.
    RunResult r =
        run(dir, {"keys", "rotate", "--db", db, key_id_of(first), "--overlap-hours", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string second = last_line_of(r.out);
    ASSERT_EQ(second.rfind("key_", 0), 0u) << r.out;
    EXPECT_EQ(call(s.port(), "GET", "/v1/workflows", first).status, 200);
    EXPECT_EQ(call(s.port(), "GET", "/v1/workflows", second).status, 200);
    // Same organization.
    Answer created = call(s.port(), "POST", "/v1/workflows", second, R"({"title":"T"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string wf = Json::parse(created.body)["id"].get<std::string>();
    EXPECT_EQ(call(s.port(), "GET", "/v1/workflows/" + wf, first).status, 200);

    // Rotation without an overlap: the old key has expired at once.
    r = run(dir, {"keys", "rotate", "--db", db, key_id_of(second), "--overlap-hours", "0"});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string third = last_line_of(r.out);
    Answer old = call(s.port(), "GET", "/v1/workflows", second);
    EXPECT_EQ(old.status, 401);
    EXPECT_EQ(message_of(old), "API key has expired");
    EXPECT_EQ(call(s.port(), "GET", "/v1/workflows/" + wf, third).status, 200);
    EXPECT_EQ(call(s.port(), "GET", "/v1/workflows", first).status, 200);  // its hour runs on

    // A key created to expire in ~1 s is refused once that time has passed; a long one is not.
    const std::string brief = new_key(dir, db, "acme", {"--expires-in-days", "0.00001"});
    const std::string lasting = new_key(dir, db, "acme", {"--expires-in-days", "30"});
    Answer last;
    EXPECT_TRUE(eventually([&] {
        last = call(s.port(), "GET", "/v1/workflows", brief);
        return last.status == 401;
    }));
    EXPECT_EQ(message_of(last), "API key has expired");
    EXPECT_EQ(call(s.port(), "GET", "/v1/workflows", lasting).status, 200);
    EXPECT_EQ(
        run(dir, {"keys", "create", "--db", db, "--org", "acme", "--expires-in-days", "0"}).code,
        2);
    // A wrong secret for an expired key says nothing about it.
    Answer wrong =
        call(s.port(), "GET", "/v1/workflows", key_id_of(second) + ":" + std::string(64, 'f'));
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(message_of(wrong), "Invalid API key");
}

TEST(HostileKeys, ReadOnlyKeysReadButCannotWrite) {
    TempDir dir;
    const std::string db = dir.path() + "/k.db";
    const std::string rw = new_key(dir, db, "acme");
    const std::string ro = new_key(dir, db, "acme", {"--read-only", "true"});
    Server s(dir, "serve", {"--db", db, "--live", "false"});
    ASSERT_GT(s.port(), 0) << s.err();
    Answer created = call(s.port(), "POST", "/v1/workflows", rw, R"({"title":"T"})");
    ASSERT_EQ(created.status, 201);
    const std::string wf = Json::parse(created.body)["id"].get<std::string>();
    EXPECT_EQ(call(s.port(), "GET", "/v1/workflows/" + wf, ro).status, 200);
    Answer post = call(s.port(), "POST", "/v1/workflows", ro, R"({"title":"T"})");
    EXPECT_EQ(post.status, 403);
    EXPECT_NE(message_of(post).find("read-only"), std::string::npos) << post.body;
    EXPECT_EQ(call(s.port(), "DELETE", "/v1/workflows/" + wf, ro).status, 403);
    EXPECT_EQ(call(s.port(), "GET", "/v1/workflows/" + wf, rw).status, 200);
}

TEST(HostileKeys, MetricsNeedAKeyAndShowOnlyItsOrganizationOrUseTheOperatorListener) {
    TempDir dir;
    const std::string db = dir.path() + "/k.db";
    const std::string acme = new_key(dir, db, "acme");
    const std::string globex = new_key(dir, db, "globex");
    Server s(dir, "serve", {"--db", db, "--live", "false", "--metrics-listen", "127.0.0.1:0"});
    ASSERT_GT(s.port(), 0) << s.err();
    ASSERT_GT(s.metrics_port(), 0) << s.out();
    ASSERT_NE(s.metrics_port(), s.port());
    Answer wf = call(s.port(), "POST", "/v1/workflows", acme, R"({"title":"T"})");
    ASSERT_EQ(wf.status, 201);
    const std::string id = Json::parse(wf.body)["id"].get<std::string>();
    ASSERT_EQ(call(s.port(), "POST", "/v1/workflows/" + id + "/leads", acme,
                   R"({"leads":[{"phone_number":"+14155552671"},{"phone_number":"+14155552672"}]})")
                  .status,
              201);

    EXPECT_EQ(call(s.port(), "GET", "/metrics", "").status, 401);
    Answer mine = call(s.port(), "GET", "/metrics", acme);
    ASSERT_EQ(mine.status, 200);
    EXPECT_NE(mine.body.find("leadflow_leads{status=\"pending\"} 2"), std::string::npos)
        << mine.body;
    EXPECT_EQ(mine.body.find("leadflow_http_requests_total"), std::string::npos);
    Answer theirs = call(s.port(), "GET", "/metrics", globex);
    EXPECT_NE(theirs.body.find("leadflow_leads{status=\"pending\"} 0"), std::string::npos)
        << theirs.body;

    Answer scrape = call(s.metrics_port(), "GET", "/metrics", "");
    ASSERT_EQ(scrape.status, 200);
    EXPECT_NE(scrape.body.find("leadflow_leads{status=\"pending\"} 2"), std::string::npos);
    EXPECT_NE(scrape.body.find("route=\"POST /v1/workflows\",code=\"201\"} 1"), std::string::npos)
        << scrape.body;
    // The listener serves /metrics only.
    EXPECT_EQ(call(s.metrics_port(), "GET", "/v1/workflows", acme).status, 404);
    EXPECT_EQ(call(s.metrics_port(), "GET", "/healthz", "").status, 404);
    EXPECT_EQ(s.stop(), 0);
}

TEST(HostileKeys, DatabaseFilesAreOwnerOnly) {
    TempDir dir;
    const std::string db = dir.path() + "/k.db";
    const mode_t old_umask = umask(022);  // the usual default, which would give 0644
    const std::string key = new_key(dir, db, "acme");
    auto mode_of = [](const std::string& f) {
        struct stat st {};
        if (stat(f.c_str(), &st) != 0) return -1;
        return static_cast<int>(st.st_mode & 0777);
    };
    {
        Server s(dir, "serve", {"--db", db, "--live", "false"});
        ASSERT_GT(s.port(), 0) << s.err();
        ASSERT_EQ(call(s.port(), "POST", "/v1/workflows", key, R"({"title":"T"})").status, 201);
        EXPECT_EQ(mode_of(db), 0600);
        EXPECT_EQ(mode_of(db + "-wal"), 0600);
        EXPECT_EQ(mode_of(db + "-shm"), 0600);
    }
    // A database someone made readable by others is fixed at the next start, with a warning.
    ASSERT_EQ(chmod(db.c_str(), 0644), 0);
    Server s(dir, "again", {"--db", db, "--live", "false"});
    ASSERT_GT(s.port(), 0) << s.err();
    EXPECT_EQ(mode_of(db), 0600);
    EXPECT_NE(s.err().find("was open to other users (mode 0644)"), std::string::npos) << s.err();
    // Stopped right after it started listening: it still exits cleanly.
    EXPECT_EQ(s.stop(), 0);
    umask(old_umask);
}

TEST(HostileKeys, TheFirstKeyIsPrintedOnlyByTheStartThatCreatesIt) {
    TempDir dir;
    const std::string db = dir.path() + "/k.db";
    std::string key;
    {
        Server s(dir, "first", {"--db", db, "--live", "false", "--first-key-org", "default"});
        ASSERT_GT(s.port(), 0) << s.err();
        ASSERT_TRUE(eventually([&] { return s.out().find("key_") != std::string::npos; }));
        key = last_line_of(s.out());
        ASSERT_EQ(key.rfind("key_", 0), 0u) << s.out();
        EXPECT_EQ(call(s.port(), "GET", "/v1/workflows", key).status, 200);
        EXPECT_EQ(s.stop(), 0);
    }
    Server s(dir, "second", {"--db", db, "--live", "false", "--first-key-org", "default"});
    ASSERT_GT(s.port(), 0) << s.err();
    ASSERT_TRUE(eventually([&] { return s.err().find("keys list") != std::string::npos; }))
        << s.err();
    EXPECT_EQ(s.stop(), 0);
    const std::string out = s.out(), err = s.err();
    EXPECT_EQ(out.find("key_"), std::string::npos) << out;
    EXPECT_EQ(out.find(key.substr(key.find(':') + 1)), std::string::npos);
    EXPECT_EQ(err.find(key.substr(key.find(':') + 1)), std::string::npos);
    EXPECT_NE(err.find("leadflow-server keys list --db " + db), std::string::npos) << err;
    // Without --first-key-org on an empty database: how to create one, and no key.
    TempDir other;
    Server empty(other, "empty", {"--db", other.path() + "/e.db", "--live", "false"});
    ASSERT_GT(empty.port(), 0);
    ASSERT_TRUE(eventually([&] { return empty.err().find("keys create") != std::string::npos; }));
    EXPECT_EQ(empty.out().find("key_"), std::string::npos);
}

// Sends raw bytes and returns whatever comes back before the server closes.
std::string raw_request(int port, const std::string& bytes) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string reply;
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        (void)!write(fd, bytes.data(), bytes.size());
        char buf[4096];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0) reply.append(buf, static_cast<size_t>(n));
    }
    close(fd);
    return reply;
}

TEST(HostileKeys, ATenantCannotForgeALogLine) {
    TempDir dir;
    const std::string db = dir.path() + "/k.db";
    const std::string key = new_key(dir, db, "acme");
    ASSERT_EQ(run(dir, {"keys", "revoke", "--db", db, key_id_of(key)}).code, 0);
    Server s(dir, "serve", {"--db", db, "--live", "false"});
    ASSERT_GT(s.port(), 0) << s.err();
    auto request = [&](const std::string& target) {
        return raw_request(s.port(), "GET " + target +
                                         " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                         key + "\r\nConnection: close\r\n\r\n");
    };
    // The use of a revoked key is logged with the request's path: here one with a terminal
    // escape sequence, a quote, a non-ASCII character (UTF-8: a path that is not UTF-8 is
    // refused before any key is checked) and a vertical tab before the forged text.
    const std::string reply = request("/v1/workflows/x%1B[2J%22%C3%A9%0Bleadflow-server:%20forged");
    EXPECT_NE(reply.find(" 401 "), std::string::npos) << reply;
    // A path that decodes to a newline followed by text that looks like a server message.
    // (cpp-httplib's route pattern does not match a path with CR or LF: 404 before the App.)
    const std::string newline = request("/v1/workflows/x%0Aleadflow-server:%20forged%0D");
    EXPECT_NE(newline.find("HTTP/1.1 4"), std::string::npos) << newline;
    ASSERT_TRUE(eventually([&] { return s.err().find("refused API key") != std::string::npos; }))
        << s.err();
    EXPECT_EQ(s.stop(), 0);
    const std::string err = s.err();
    // The line was written, escaped, on one line.
    EXPECT_NE(err.find("GET /v1/workflows/x\\x1b[2J\\\"\\xc3\\xa9\\x0bleadflow-server: forged"),
              std::string::npos)
        << err;
    std::istringstream lines(err);
    for (std::string line; std::getline(lines, line);) {
        EXPECT_NE(line.rfind("leadflow-server: forged", 0), 0u) << err;
        EXPECT_EQ(line.find('\r'), std::string::npos);
        EXPECT_EQ(line.find('\x1b'), std::string::npos);
        EXPECT_EQ(line.find('\x0b'), std::string::npos);
        for (char c : line) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << err;
    }
}

TEST(HostileKeys, ShareLinksHaveRandomIdsAnOwnerWhoDeletesAndOldIdsResolve) {
    TempDir dir;
    const std::string db = dir.path() + "/k.db";
    const std::string acme = new_key(dir, db, "acme");
    const std::string globex = new_key(dir, db, "globex");
    {
        // A link stored with an old 48-bit content-hash id.
        auto store = open_sqlite_store(db);
        ASSERT_TRUE(store.ok());
        ASSERT_TRUE(store.value()->transact([](StoreTx& tx) {
            return tx.put_share_link("5f0c3a9b1e27", "org_legacy", "s=1.legacy", 1);
        }));
    }
    Server s(dir, "serve", {"--db", db, "--live", "false"});
    ASSERT_GT(s.port(), 0) << s.err();
    Answer legacy = call(s.port(), "GET", "/s/5f0c3a9b1e27", "");
    EXPECT_EQ(legacy.status, 302);

    std::set<std::string> ids;
    std::vector<std::set<char>> seen(32);
    for (int i = 0; i < 40; ++i) {
        Answer a = call(s.port(), "POST", "/v1/share-links", acme, R"({"fragment":"s=1.same"})");
        ASSERT_EQ(a.status, 201) << a.body;
        const std::string id = Json::parse(a.body)["id"].get<std::string>();
        ASSERT_EQ(id.size(), 32u) << id;
        ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
        ids.insert(id);
        for (std::size_t p = 0; p < id.size(); ++p) seen[p].insert(id[p]);
    }
    // The same content, 40 different ids; every position varies (random, not a hash).
    EXPECT_EQ(ids.size(), 40u);
    for (std::size_t p = 0; p < seen.size(); ++p) EXPECT_GE(seen[p].size(), 4u) << p;

    const std::string id = *ids.begin();
    EXPECT_EQ(call(s.port(), "GET", "/s/" + id, "").status, 302);
    EXPECT_EQ(call(s.port(), "DELETE", "/v1/share-links/" + id, globex).status, 404);
    EXPECT_EQ(call(s.port(), "DELETE", "/v1/share-links/" + id, "").status, 401);
    EXPECT_EQ(call(s.port(), "GET", "/s/" + id, "").status, 302);
    EXPECT_EQ(call(s.port(), "DELETE", "/v1/share-links/" + id, acme).status, 200);
    EXPECT_EQ(call(s.port(), "GET", "/s/" + id, "").status, 404);
    // Nobody's key deletes the legacy link but its owner's (an organization with no key here).
    EXPECT_EQ(call(s.port(), "DELETE", "/v1/share-links/5f0c3a9b1e27", acme).status, 404);
    EXPECT_EQ(call(s.port(), "GET", "/s/5f0c3a9b1e27", "").status, 302);
}

}  // namespace
}  // namespace leadflow::server::testing
