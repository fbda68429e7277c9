// tests/server/db_commands_test.cpp — `leadflow-server backup` while a real server writes to the
// database, and `leadflow-server migrate`.
#include <httplib.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli.hpp"
#include "leadflow/json.hpp"
#include "process_test_util.hpp"
#include "server_test_util.hpp"
#include "store/open_store.hpp"
#include "store/sqlite_store.hpp"

namespace leadflow::server::testing {
namespace {

struct CliRun {
    int code = 0;
    std::string out, err;
};

CliRun cli(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    CliRun r;
    r.code = run_cli(args, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// POSTs `n` JSON leads (numbers from `first`) to workflow `wf`; false on any failure.
bool post_leads(httplib::Client& c, const httplib::Headers& auth, const std::string& wf, int first,
                int n) {
    Json leads = Json::array();
    for (int i = 0; i < n; ++i) {
        leads.push_back(Json{{"phone_number", "+1415555" + std::to_string(first + i)}});
    }
    auto r = c.Post(("/v1/workflows/" + wf + "/leads").c_str(), auth, Json{{"leads", leads}}.dump(),
                    "application/json");
    return r && r->status == 201;
}

TEST(DbCommands, BackupWhileTheServerWritesIsAConsistentWorkingDatabase) {
    TempDir dir;
    const std::string db = dir.path() + "/live.db", bak = dir.path() + "/backup.db";
    const std::string key = create_key(db);
    ServerProcess server({"serve", "--db", db, "--port", "0", "--host", "127.0.0.1"});
    ASSERT_GT(server.port(), 0);
    httplib::Client c("127.0.0.1", server.port());
    const httplib::Headers auth = {{"Authorization", "Bearer " + key}};
    auto created = c.Post("/v1/workflows", auth, R"({"title":"Backed up"})", "application/json");
    ASSERT_TRUE(created && created->status == 201);
    const std::string wf = Json::parse(created->body)["id"].get<std::string>();
    ASSERT_TRUE(post_leads(c, auth, wf, 1000, 200));

    // Another client keeps enrolling leads for as long as the backup runs.
    std::atomic<bool> stop{false};
    std::atomic<int> batches{0}, failures{0};
    std::thread writer([&] {
        httplib::Client w("127.0.0.1", server.port());
        for (int b = 0; !stop.load(); ++b) {
            if (post_leads(w, auth, wf, 2000 + b * 10, 10)) {
                ++batches;
            } else {
                ++failures;
            }
        }
    });
    auto wait_for_batches = [&](int n) {
        while (batches.load() < n && failures.load() == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    };
    wait_for_batches(3);
    CliRun r = cli({"backup", "--db", db, "--to", bak});
    const int during = batches.load();
    wait_for_batches(during + 3);
    stop = true;
    writer.join();
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("backed up " + db + " to " + bak), std::string::npos) << r.out;
    EXPECT_EQ(failures.load(), 0) << "the server refused writes while the backup ran";

    // One self-contained file, owner-only, nothing left beside it.
    struct stat st {};
    ASSERT_EQ(::stat(bak.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_FALSE(exists(bak + "-wal"));
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        EXPECT_EQ(e.path().filename().string().find(".partial-"), std::string::npos) << e.path();
    }

    // The copy serves: the workflow and every lead enrolled before the backup started, and at
    // most those enrolled by the time it ended (one instant, not a mixture).
    auto live = c.Get(("/v1/workflows/" + wf).c_str(), auth);
    ASSERT_TRUE(live);
    const int live_leads = Json::parse(live->body)["enrolled_leads"].get<int>();
    ServerProcess restored({"serve", "--db", bak, "--port", "0", "--host", "127.0.0.1"});
    ASSERT_GT(restored.port(), 0);
    httplib::Client rc("127.0.0.1", restored.port());
    auto got = rc.Get(("/v1/workflows/" + wf).c_str(), auth);
    ASSERT_TRUE(got);
    ASSERT_EQ(got->status, 200) << got->body;
    const int copied = Json::parse(got->body)["enrolled_leads"].get<int>();
    EXPECT_GE(copied, 200 + 3 * 10);
    EXPECT_LE(copied, live_leads);
    EXPECT_EQ(copied % 10, 0) << "a batch of leads is one transaction: all or none are copied";
    auto leads = rc.Get(("/v1/workflows/" + wf + "/leads?limit=100").c_str(), auth);
    ASSERT_TRUE(leads);
    EXPECT_EQ(Json::parse(leads->body)["meta"]["total"], copied);
}

TEST(DbCommands, BackupRefusesToOverwriteAndNamesWhatIsWrong) {
    TempDir dir;
    const std::string db = dir.path() + "/a.db", target = dir.path() + "/taken.db";
    {
        auto s = open_sqlite_store(db);
        ASSERT_TRUE(s.ok());
    }
    { std::ofstream(target) << "keep me"; }

    CliRun taken = cli({"backup", "--db", db, "--to", target});
    EXPECT_EQ(taken.code, 2);
    EXPECT_NE(taken.err.find("already exists"), std::string::npos) << taken.err;
    EXPECT_EQ(read_file(target), "keep me");
    CliRun self = cli({"backup", "--db", db, "--to", db});
    EXPECT_EQ(self.code, 2);
    EXPECT_TRUE(open_sqlite_store(db).ok()) << "the database is untouched";

    CliRun no_to = cli({"backup", "--db", db});
    EXPECT_EQ(no_to.code, 2);
    EXPECT_NE(no_to.err.find("--to FILE"), std::string::npos) << no_to.err;
    CliRun missing = cli({"backup", "--db", dir.path() + "/none.db", "--to", dir.path() + "/b"});
    EXPECT_EQ(missing.code, 2);
    EXPECT_NE(missing.err.find("no database at"), std::string::npos) << missing.err;
    EXPECT_FALSE(exists(dir.path() + "/b"));
    const std::string text = dir.path() + "/notes.txt";
    { std::ofstream(text) << "not a database at all, just some words in a file\n"; }
    CliRun not_db = cli({"backup", "--db", text, "--to", dir.path() + "/c"});
    EXPECT_NE(not_db.code, 0);
    EXPECT_FALSE(exists(dir.path() + "/c"));
    // The binary itself: same answer, same exit code.
    EXPECT_EQ(run_server_binary({"backup", "--db", db, "--to", target}).first, 2);
}

TEST(DbCommands, MigrateUpgradesAnOldDatabaseOnceAndRefusesAMissingOne) {
    TempDir dir;
    const std::string db = dir.path() + "/old.db";
    const int latest = sqlite_schema_latest_version();
    ASSERT_GT(latest, 1);
    {
        auto s = open_sqlite_store(db, latest - 1);
        ASSERT_TRUE(s.ok());
    }

    CliRun first = cli({"migrate", "--db", db});
    ASSERT_EQ(first.code, 0) << first.err;
    EXPECT_NE(first.out.find("migrated from schema version " + std::to_string(latest - 1) + " to " +
                             std::to_string(latest)),
              std::string::npos)
        << first.out;
    CliRun again = cli({"migrate", "--db", db});
    EXPECT_EQ(again.code, 0);
    EXPECT_NE(again.out.find("nothing to do"), std::string::npos) << again.out;

    CliRun missing = cli({"migrate", "--db", dir.path() + "/typo.db"});
    EXPECT_EQ(missing.code, 2);
    EXPECT_NE(missing.err.find("no database at"), std::string::npos) << missing.err;
    EXPECT_FALSE(exists(dir.path() + "/typo.db"));
    EXPECT_EQ(cli({"migrate"}).code, 2);
}

TEST(DbCommands, DbTakesAPathOrSqlitePathAndRefusesAPostgresUriClearly) {
    TempDir dir;
    const std::string db = dir.path() + "/prefixed.db";
    CliRun created = cli({"keys", "create", "--db", "sqlite:" + db, "--org", "acme"});
    ASSERT_EQ(created.code, 0) << created.err;
    EXPECT_TRUE(exists(db));
    CliRun listed = cli({"keys", "list", "--db", db});
    EXPECT_EQ(listed.code, 0);
    EXPECT_NE(listed.out.find("acme"), std::string::npos) << listed.out;
    CliRun migrated = cli({"migrate", "--db", "sqlite:" + db});
    EXPECT_EQ(migrated.code, 0) << migrated.err;

    const std::string cwd = std::filesystem::current_path().string();
    CliRun pg = cli({"keys", "list", "--db", "postgres://leadflow@127.0.0.1:1/leadflow"});
    EXPECT_NE(pg.code, 0);
    EXPECT_NE(pg.err.find("cannot connect"), std::string::npos) << pg.err;
    EXPECT_FALSE(exists(cwd + "/postgres:")) << "a URI is never taken for a file name";
    CliRun pg_backup = cli({"backup", "--db", "postgresql://x/y", "--to", dir.path() + "/b"});
    EXPECT_EQ(pg_backup.code, 2);
    EXPECT_NE(pg_backup.err.find("works on a SQLite file"), std::string::npos) << pg_backup.err;
    EXPECT_NE(cli({"keys", "list", "--db", "sqlite:"}).code, 0);
}

TEST(StoreLocation, APostgresPasswordIsNeverPrinted) {
    EXPECT_EQ(printable_store_location("postgres://lf:s3cret@db:5432/leadflow"),
              "postgres://lf:***@db:5432/leadflow");
    EXPECT_EQ(printable_store_location("postgresql://lf:p%40ss@db/leadflow?sslmode=require"),
              "postgresql://lf:***@db/leadflow?sslmode=require");
    EXPECT_EQ(printable_store_location("postgresql:///leadflow?user=lf&password=s3cret&host=/run"),
              "postgresql:///leadflow?user=lf&password=***&host=/run");
    EXPECT_EQ(printable_store_location("postgres://lf@db/leadflow"), "postgres://lf@db/leadflow");
    EXPECT_EQ(printable_store_location("data/lf:x@y.db"), "data/lf:x@y.db") << "a file path";
}

}  // namespace
}  // namespace leadflow::server::testing
