// tests/server/json_text_test.cpp — the directly written response bodies are byte for byte what
// building a Json and dumping it (json_response) gives.
#include "http/json_text.hpp"

#include <gtest/gtest.h>

#include <random>

#include "http/errors.hpp"
#include "leadflow/json.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::server {
namespace {

std::string dumped(const Json& j) {
    return json_response(200, j).body;
}

std::string string_via_json(const std::string& s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

TEST(JsonText, StringsMatchTheJsonSerializer) {
    const std::vector<std::string> cases = {
        "",
        "plain",
        "quote \" and backslash \\ and slash /",
        std::string("controls \b\f\n\r\t \x01\x1f\x7f end"),
        std::string("nul \0 inside", 12),
        "Pune, MH",
        "José Müller — ☎ 😀",
        "\xff\xfe invalid",
        "truncated \xe2\x82",
        "overlong \xc0\xaf",
        "surrogate \xed\xa0\x80",
    };
    for (const std::string& s : cases) {
        EXPECT_EQ(string_via_json(s), dumped(Json(s))) << s;
    }
}

TEST(JsonText, RandomBytesMatchTheJsonSerializer) {
    std::mt19937 rng(42);
    const std::string alphabet = std::string("ab\"\\/\b\f\n\r\t\x01\x1f\x7f ", 15) +
                                 "\xc3\xa9\xe2\x98\x8e\xf0\x9f\x98\x80\xff\x80";
    for (int i = 0; i < 2000; ++i) {
        std::string s;
        const int n = static_cast<int>(rng() % 12);
        for (int k = 0; k < n; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
        ASSERT_EQ(string_via_json(s), dumped(Json(s))) << i;
    }
}

TEST(JsonText, TimesMatchTimeJson) {
    std::vector<std::optional<TimeMs>> cases = {std::nullopt,    0,  1,         999, 1767603600000,
                                                1767603600123,   -1, -86400001,
                                                -62167219200000,   // year 0
                                                -62167219200001,   // year -1
                                                253402300799999,   // 9999-12-31T23:59:59.999Z
                                                253402300800000};  // year 10000
    std::mt19937_64 rng(7);
    for (int i = 0; i < 500; ++i) {
        cases.push_back(static_cast<TimeMs>(rng() % 400000000000000ULL) - 100000000000000LL);
    }
    for (const auto& t : cases) {
        std::string out;
        append_json_time(out, t);
        EXPECT_EQ(out, dumped(time_json(t))) << (t ? std::to_string(*t) : "null");
    }
}

Lead sample_lead(int i) {
    Lead l;
    l.id = "wlead_" + std::to_string(i);
    l.workflow_id = "wf_1";
    l.phone_number = "+1415555" + std::to_string(1000 + i);
    l.variables = {{"city", "Pune, MH"}, {"first_name", "Lead \"" + std::to_string(i) + "\""}};
    if (i % 3 == 0) l.variables["name"] = "Zoë";
    if (i % 4 == 0) l.variables.clear();
    l.status = all_lead_statuses()[static_cast<std::size_t>(i) % all_lead_statuses().size()];
    if (i % 2 == 0) l.current_node_id = "node_" + std::to_string(i);
    l.created_at = 1767603600000 + i;
    if (i % 5 != 0) l.updated_at = 1767603600000 + 1000 * i;
    if (i % 2 == 1) l.completed_at = 1767603700000 + i;
    return l;
}

TEST(JsonText, LeadPagesMatchPageJsonOfLeadJson) {
    for (int n : {0, 1, 7, 20}) {
        std::vector<Lead> leads;
        Json data = Json::array();
        for (int i = 0; i < n; ++i) {
            leads.push_back(sample_lead(i));
            // The oracle: the core's lead object and the DialNexa alias of its variables.
            Json expected = to_json(leads.back());
            expected["dynamic_variables"] = expected["variables"];
            EXPECT_EQ(lead_json(leads.back()), expected);
            data.push_back(std::move(expected));
        }
        for (PageParams p : {PageParams{1, 20}, PageParams{3, 7}, PageParams{100, 100}}) {
            for (std::int64_t total : {std::int64_t{0}, std::int64_t{n}, std::int64_t{1001}}) {
                EXPECT_EQ(lead_page_body(leads, p, total), dumped(page_json(data, p, total)))
                    << n << " leads, page " << p.page << ", total " << total;
            }
        }
    }
}

Workflow sample_workflow() {
    Workflow w;
    w.id = "wf_1";
    w.organization_id = "org_1";
    w.title = "Nurture \"Q1\"";
    w.description = "Línea 1\nline 2";
    w.entry_node_id = "start";
    w.settings.timezone = "Asia/Kolkata";
    w.created_at = 1767603600000;
    w.updated_at = 1767603600500;
    w.extra = Json{{"custom", "kept"}, {"nested", {{"a", {1, 2.5, nullptr, true}}}}};
    return w;
}

// The workflow object as the core writes a workflow, with published_version and problems always
// present after settings, the counts after the extra members, and no extra member that shares a
// name with the object's own keys.
Json expected_workflow(const Workflow& w, const WorkflowCounts& c) {
    Workflow own = w;
    own.extra = Json::object();
    const Json core = to_json(own);
    Json out = Json::object();
    for (auto it = core.begin(); it != core.end(); ++it) {
        if (it.key() == "published_version" || it.key() == "problems") continue;
        if (it.key() == "created_at") {
            if (w.extra.is_object()) {
                for (auto e = w.extra.begin(); e != w.extra.end(); ++e) {
                    if (!core.contains(e.key()) && e.key() != "published_version" &&
                        e.key() != "problems" && e.key() != "node_count" &&
                        e.key() != "edge_count" && e.key() != "enrolled_leads" &&
                        e.key() != "lead_counts") {
                        out[e.key()] = e.value();
                    }
                }
            }
            out["node_count"] = c.node_count;
            out["edge_count"] = c.edge_count;
            out["enrolled_leads"] = c.enrolled_leads;
            Json counts = Json::object();
            for (LeadStatus s : all_lead_statuses()) {
                auto found = c.lead_counts.find(s);
                counts[to_string(s)] = found == c.lead_counts.end() ? 0 : found->second;
            }
            out["lead_counts"] = counts;
        }
        out[it.key()] = it.value();
        if (it.key() == "settings") {
            out["published_version"] =
                w.published_version ? Json(*w.published_version) : Json(nullptr);
            out["problems"] = w.problems.is_array() ? w.problems : Json::array();
        }
    }
    return out;
}

TEST(JsonText, WorkflowBodiesMatchTheCoreWorkflowWithCounts) {
    WorkflowCounts counts;
    counts.node_count = 3;
    counts.edge_count = 2;
    counts.enrolled_leads = 7;
    counts.lead_counts = {{LeadStatus::kPending, 4}, {LeadStatus::kCompleted, 3}};
    std::vector<Workflow> cases;
    cases.push_back(sample_workflow());
    Workflow running = sample_workflow();
    running.status = WorkflowStatus::kActive;
    running.activated_at = 1767603700000;
    running.published_version = 3;
    running.problems = Json::array({Json{{"severity", "error"}, {"code", "NO_NODES"}}});
    cases.push_back(running);
    Workflow bare;
    bare.id = "wf_2";
    cases.push_back(bare);  // no entry node, no times, empty extra
    // Extra members named like the workflow's own keys, and an extra that is not an object.
    for (const char* k : {"id", "created_at", "node_count", "lead_counts", "settings"}) {
        Workflow w = sample_workflow();
        w.extra[k] = "from extra";
        cases.push_back(w);
    }
    Workflow null_extra = sample_workflow();
    null_extra.extra = Json();
    cases.push_back(null_extra);
    for (const Workflow& w : cases) {
        for (const WorkflowCounts& c : {WorkflowCounts{}, counts}) {
            EXPECT_EQ(workflow_body(w, c), dumped(expected_workflow(w, c)))
                << w.id << " " << w.extra;
        }
    }
}

}  // namespace
}  // namespace leadflow::server
