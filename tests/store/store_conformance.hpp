// tests/store/store_conformance.hpp — the storage conformance suite: every test is a TEST_P of
// StoreConformance, run once per backend of kBackends (store_conformance.cpp) on a fresh, empty
// store, through store.hpp only, so that each one states a rule of the Store contract that any
// backend must keep.
//
// Adding a backend (e.g. PostgreSQL) is one entry in kBackends: a name and a function that makes
// a BackendInstance (a fresh, empty database of that backend, opened through
// store/open_store.hpp, and removed again when the instance is destroyed). A backend that needs
// a server the machine does not have returns nullptr, and its tests are skipped.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace leadflow::server::conformance {

// One database of a backend under test, for one test.
class BackendInstance {
  public:
    virtual ~BackendInstance() = default;
    // Opens a Store on this database; called again after the first Store is destroyed, it
    // opens the same data (a restart).
    virtual Result<std::unique_ptr<Store>> open() = 0;
};

struct Backend {
    std::string name;  // the test name suffix: letters, digits and '_'
    std::function<std::unique_ptr<BackendInstance>()> make;
};

// How gtest names a backend in its messages.
inline void PrintTo(const Backend& b, std::ostream* os) {
    *os << b.name;
}

// Every backend the suite runs on.
const std::vector<Backend>& backends();

class StoreConformance : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override;
    void TearDown() override;

    // Closes the store and opens the same database again.
    void reopen();

    // fn in one read-write transaction; fails the test when it does not commit.
    void write(const std::function<Status(StoreTx&)>& fn);
    // fn in one read transaction; fails the test when it fails.
    void read(const std::function<Status(StoreTx&)>& fn);

    // Organization `org_id` named `name`.
    void add_org(const std::string& org_id, const std::string& name);
    // Workflow `id` of `org_id` (created at `t`), with no nodes.
    void add_workflow(const std::string& org_id, const std::string& id,
                      const std::string& title = "Workflow", TimeMs t = 1000,
                      WorkflowStatus status = WorkflowStatus::kDraft);
    // Leads `ids` of workflow `wf`, in this order, each with status `status`.
    void add_leads(const std::string& wf, const std::vector<std::string>& ids,
                   LeadStatus status = LeadStatus::kPending);

    std::unique_ptr<BackendInstance> instance_;
    std::unique_ptr<Store> store_;
};

// A workflow record as the tests insert it.
Workflow make_workflow(const std::string& org_id, const std::string& id, const std::string& title,
                       TimeMs t, WorkflowStatus status);
// A lead record of workflow `wf`.
LeadRecord make_lead(const std::string& wf, const std::string& id, LeadStatus status);
// A history entry whose label is `label`.
HistoryEntry entry(const std::string& label);
// The labels of the history entries `v`, in order.
inline std::vector<std::string> labels_of(const std::vector<HistoryEntry>& v) {
    std::vector<std::string> out;
    for (const auto& h : v) out.push_back(h.label);
    return out;
}

// The ids of the records of `v`, in order.
template <typename T>
std::vector<std::string> ids_of(const std::vector<T>& v) {
    std::vector<std::string> out;
    for (const T& x : v) out.push_back(x.id);
    return out;
}
inline std::vector<std::string> ids_of(const std::vector<LeadRecord>& v) {
    std::vector<std::string> out;
    for (const LeadRecord& x : v) out.push_back(x.lead.id);
    return out;
}

}  // namespace leadflow::server::conformance
