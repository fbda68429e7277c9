// tests/server/smoke_test.cpp — the real `leadflow-server` binary over HTTP on 127.0.0.1:
// keys create, serve on an ephemeral port, a few requests through cpp-httplib, shutdown.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "process_test_util.hpp"
#include "server_test_util.hpp"
#include "xlsx_test_util.hpp"

namespace leadflow::server::testing {
namespace {

TEST(ServerSmoke, HelpDocumentsEveryOptionAndBadUsageExits2) {
    auto [code, out] = run_server_binary({"--help"});
    EXPECT_EQ(code, 0);
    for (const char* opt : {"serve", "keys create", "--db", "--port", "--host", "--web-root",
                            "--provider", "--time-scale", "--compat", "--rate-limit", "backup",
                            "--to FILE", "migrate", "openapi"}) {
        EXPECT_NE(out.find(opt), std::string::npos) << opt;
    }
    EXPECT_EQ(run_server_binary({"serve", "--db", "/tmp/x.db"}).first, 2);
    EXPECT_EQ(run_server_binary(
                  {"serve", "--db", "/tmp/x.db", "--port", "1", "--provider", "carrier-pigeon"})
                  .first,
              2);
    EXPECT_EQ(
        run_server_binary({"serve", "--db", "/tmp/x.db", "--port", "1", "--bogus", "1"}).first, 2);
    EXPECT_EQ(run_server_binary({"keys", "create", "--db", "/tmp/x.db"}).first, 2);
    EXPECT_EQ(run_server_binary({"frobnicate"}).first, 2);
}

TEST(ServerSmoke, ServesTheApiOverHttpOnAnEphemeralPort) {
    TempDir dir;
    const std::string db = dir.path() + "/smoke.db";
    auto [code, out] = run_server_binary({"keys", "create", "--db", db, "--org", "default"});
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

// .xlsx uploads through the real binary's multipart parsing: a workbook enrolls its leads, a
// workbook with invalid rows gets the grouped errors and enrolls nothing, a zip bomb is refused,
// and the server answers normally afterwards.
TEST(ServerSmoke, XlsxUploadsOverHttp) {
    TempDir dir;
    const std::string db = dir.path() + "/xlsx.db";
    auto [code, out] = run_server_binary({"keys", "create", "--db", db, "--org", "default"});
    ASSERT_EQ(code, 0);
    const std::string key = last_line(out);
    ServerProcess server({"serve", "--db", db, "--port", "0", "--host", "127.0.0.1"});
    ASSERT_GT(server.port(), 0);
    httplib::Client cli("127.0.0.1", server.port());
    cli.set_connection_timeout(5);
    cli.set_read_timeout(30);
    httplib::Headers auth = {{"Authorization", "Bearer " + key}};
    const std::string type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    auto new_workflow = [&] {
        auto r = cli.Post("/v1/workflows", auth, R"({"title":"Xlsx"})", "application/json");
        EXPECT_TRUE(r && r->status == 201);
        return r ? Json::parse(r->body)["id"].get<std::string>() : std::string();
    };
    auto upload = [&](const std::string& wf, const std::string& fixture) {
        httplib::MultipartFormDataItems form = {{"file", xlsx_fixture(fixture), fixture, type}};
        return cli.Post(("/v1/workflows/" + wf + "/leads").c_str(), auth, form);
    };
    auto enrolled = [&](const std::string& wf) {
        auto r = cli.Get(("/v1/workflows/" + wf).c_str(), auth);
        return r ? Json::parse(r->body)["enrolled_leads"].get<int>() : -1;
    };

    const std::string good = new_workflow();
    auto ok = upload(good, "leads.xlsx");
    ASSERT_TRUE(ok);
    ASSERT_EQ(ok->status, 201) << ok->body;
    EXPECT_EQ(Json::parse(ok->body)["count"], 3);
    EXPECT_EQ(enrolled(good), 3);

    const std::string bad = new_workflow();
    auto refused = upload(bad, "invalid_phones.xlsx");
    ASSERT_TRUE(refused);
    ASSERT_EQ(refused->status, 400) << refused->body;
    Json errors = Json::parse(refused->body)["errors"];
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0]["reason"], "Wrong number of columns");
    EXPECT_EQ(
        errors[1],
        (Json{{"reason", "Invalid phone number"},
              {"count", 2},
              {"rows", Json::array({Json{{"position", 2}, {"phone_number", "12345"}},
                                    Json{{"position", 4}, {"phone_number", "not a phone"}}})}}));
    EXPECT_EQ(errors[2]["reason"], "Missing phone number");
    EXPECT_EQ(enrolled(bad), 0);

    auto bomb = upload(bad, "bomb.xlsx");
    ASSERT_TRUE(bomb);
    EXPECT_EQ(bomb->status, 400);
    EXPECT_EQ(Json::parse(bomb->body)["message"],
              "The .xlsx unpacks to more than 134217728 bytes (the limit per upload)");
    EXPECT_EQ(enrolled(bad), 0);
    auto health = cli.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(server.stop(), 0);
}

// 64 clients connecting at the same moment (wrk's start) must all be taken into the accept
// queue. The server is stopped (SIGSTOP) so that it accepts nothing meanwhile: only the
// listen backlog holds the connections. With httplib's compiled-in backlog of 5 the kernel
// dropped the other SYNs and those clients waited a second for their retry.
TEST(ServerSmoke, ManyClientsConnectingAtOnceAllGetThroughTheAcceptQueue) {
    TempDir dir;
    const std::string db = dir.path() + "/backlog.db";
    ServerProcess server({"serve", "--db", db, "--port", "0", "--host", "127.0.0.1"});
    ASSERT_GT(server.port(), 0);
    ASSERT_EQ(kill(server.pid(), SIGSTOP), 0);

    constexpr int kClients = 64;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::vector<pollfd> fds;
    for (int i = 0; i < kClients; ++i) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ASSERT_GE(fd, 0);
        connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
        fds.push_back({fd, POLLOUT, 0});
    }
    // A dropped SYN is retried after one second: wait less than that.
    int connected = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(600);
    std::vector<bool> done(kClients, false);
    while (connected < kClients && std::chrono::steady_clock::now() < deadline) {
        poll(fds.data(), fds.size(), 50);
        for (int i = 0; i < kClients; ++i) {
            if (done[i] || !(fds[i].revents & POLLOUT)) continue;
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(fds[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err == 0) ++connected;
            done[i] = true;
            fds[i].events = 0;
        }
    }
    kill(server.pid(), SIGCONT);
    for (const pollfd& p : fds) close(p.fd);
    EXPECT_EQ(connected, kClients);
}

}  // namespace
}  // namespace leadflow::server::testing
