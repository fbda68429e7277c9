// tests/store/store_conformance.cpp — the backends the conformance suite runs on, and its
// fixture (see store_conformance.hpp).
#include "store_conformance.hpp"

#include <stdlib.h>

#include <filesystem>

#include "pg_test_db.hpp"
#include "store/open_store.hpp"

namespace leadflow::server::conformance {
namespace {

// A SQLite file in a temporary folder of its own, removed with the instance.
class SqliteInstance final : public BackendInstance {
  public:
    SqliteInstance() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "leadflow-store-XXXXXX");
        if (::mkdtemp(tmpl.data())) dir_ = tmpl;
    }
    ~SqliteInstance() override {
        std::error_code ec;
        if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    }
    Result<std::unique_ptr<Store>> open() override {
        if (dir_.empty()) return Status::internal("cannot create a temporary folder");
        return open_store("sqlite:" + dir_ + "/store.db");
    }

  private:
    std::string dir_;
};

// A database of its own on the PostgreSQL server of LEADFLOW_TEST_PG (tests/pg/pg-temp-server),
// dropped with the instance.
class PostgresInstance final : public BackendInstance {
  public:
    Result<std::unique_ptr<Store>> open() override {
        if (!db_.available()) return Status::unavailable(db_.why());
        return open_store(db_.uri());
    }
    bool available() const { return db_.available(); }

  private:
    ::leadflow::testing::PgTestDatabase db_;
};

}  // namespace

const std::vector<Backend>& backends() {
    static const std::vector<Backend> kBackends = {
        {"sqlite", [] { return std::make_unique<SqliteInstance>(); }},
        {"postgres",
         []() -> std::unique_ptr<BackendInstance> {
             // Skipped where no server was started for the tests (LEADFLOW_TEST_PG unset).
             auto p = std::make_unique<PostgresInstance>();
             if (!p->available()) return nullptr;
             return p;
         }},
    };
    return kBackends;
}

void StoreConformance::SetUp() {
    instance_ = GetParam().make();
    if (!instance_) GTEST_SKIP() << GetParam().name << " is not available here";
    auto s = instance_->open();
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s.value());
}

void StoreConformance::TearDown() {
    store_.reset();
    instance_.reset();
}

void StoreConformance::reopen() {
    store_.reset();
    auto s = instance_->open();
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s.value());
}

void StoreConformance::write(const std::function<Status(StoreTx&)>& fn) {
    Status st = store_->transact(fn);
    ASSERT_TRUE(st.is_ok()) << st.message();
}

void StoreConformance::read(const std::function<Status(StoreTx&)>& fn) {
    Status st = store_->read(fn);
    ASSERT_TRUE(st.is_ok()) << st.message();
}

void StoreConformance::add_org(const std::string& org_id, const std::string& name) {
    write([&](StoreTx& tx) { return tx.ensure_organization(name, org_id, 1).status(); });
}

void StoreConformance::add_workflow(const std::string& org_id, const std::string& id,
                                    const std::string& title, TimeMs t, WorkflowStatus status) {
    write([&](StoreTx& tx) {
        return tx.insert_workflow(make_workflow(org_id, id, title, t, status));
    });
}

void StoreConformance::add_leads(const std::string& wf, const std::vector<std::string>& ids,
                                 LeadStatus status) {
    std::vector<LeadRecord> leads;
    for (const std::string& id : ids) leads.push_back(make_lead(wf, id, status));
    write([&](StoreTx& tx) { return tx.insert_leads(leads); });
}

Workflow make_workflow(const std::string& org_id, const std::string& id, const std::string& title,
                       TimeMs t, WorkflowStatus status) {
    Workflow w;
    w.id = id;
    w.organization_id = org_id;
    w.title = title;
    w.status = status;
    w.created_at = w.updated_at = t;
    return w;
}

LeadRecord make_lead(const std::string& wf, const std::string& id, LeadStatus status) {
    LeadRecord r;
    r.lead.id = id;
    r.lead.workflow_id = wf;
    r.lead.phone_number = "+14155552671";
    r.lead.status = status;
    r.lead.created_at = r.lead.updated_at = 1000;
    return r;
}

HistoryEntry entry(const std::string& label) {
    HistoryEntry h;
    h.node_id = "n1";
    h.node_type = "WAIT";
    h.label = label;
    h.status = "completed";
    h.started_at = h.ended_at = 1000;
    return h;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(backends()),
                         [](const ::testing::TestParamInfo<Backend>& p) { return p.param.name; });

}  // namespace leadflow::server::conformance
