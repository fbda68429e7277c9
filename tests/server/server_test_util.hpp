// tests/server/server_test_util.hpp — a server App over a temporary SQLite file (or, with
// LEADFLOW_TEST_DB=postgres, a fresh database on the PostgreSQL server of LEADFLOW_TEST_PG), with
// a fake clock and two organizations' keys, and small helpers to send requests without sockets.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "http/app.hpp"
#include "leadflow/json.hpp"
#include "pg_test_db.hpp"
#include "store/store.hpp"

namespace leadflow::server::testing {

// A fresh temporary folder, removed with its content on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

class ApiTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    // Closes and reopens the database and the app (same file): a server restart.
    void restart();
    // True when the test runs on PostgreSQL (LEADFLOW_TEST_DB=postgres). A test of something
    // only the SQLite file has (its bytes, its WAL, raw SQL on it) skips itself then:
    //   if (on_postgres()) GTEST_SKIP() << "reads the SQLite file";
    bool on_postgres() const { return pg_ != nullptr; }
    // The --db value of the test's database: the SQLite file or the PostgreSQL URI.
    std::string db_location() const { return pg_ ? pg_->uri() : db_path_; }

    Response send(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& content_type = "application/json", const std::string& key = "",
                  std::map<std::string, std::string> headers = {});
    // Hands `r` to the app as is (every request of the helpers above goes through here, and is
    // recorded for the OpenAPI response checks when LEADFLOW_OPENAPI_RECORD is set).
    Response handle(Request r);
    Response get(const std::string& path, const std::string& key = "");
    Response post(const std::string& path, const Json& body, const std::string& key = "");
    Response patch(const std::string& path, const Json& body, const std::string& key = "");
    Response put(const std::string& path, const Json& body, const std::string& key = "");
    Response del(const std::string& path, const std::string& key = "");

    // A new draft workflow of org A; returns its id.
    std::string make_workflow(const std::string& title = "Test workflow");
    // Builds call → CONVERTED (COMPLETED) / DROPPED (default) in `wf`; returns {call, won, lost}.
    std::vector<std::string> make_valid_graph(const std::string& wf);
    std::string make_node(const std::string& wf, const Json& body);

    TempDir dir_;
    std::string db_path_;
    ServerConfig config_;
    TimeMs now_ = 1767603600000;  // 2026-01-05T09:00:00.000Z
    TimeMs mono_ = 0;
    std::unique_ptr<Store> store_;
    std::unique_ptr<App> app_;
    std::string key_a_, key_b_;  // organizations "acme" and "globex"

  private:
    void open();

    std::unique_ptr<::leadflow::testing::PgTestDatabase> pg_;
};

// The JSON body of a response (fails the test when it is not JSON).
Json body_of(const Response& r);

// A response header's value ("" when absent; names compare case-insensitively).
std::string header_of(const Response& r, const std::string& name);

}  // namespace leadflow::server::testing
