// Validation and the graph compiler read field references the same way: every reference
// compile_graph would reject is an INVALID_CONDITION_FIELD error, and a graph validate accepts
// always compiles (checked over the reference workflows, the broken fixtures and mutants).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <string>
#include <vector>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/validate.hpp"
#include "leadflow/wire.hpp"
#include "sim_test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;

std::vector<Diagnostic> with_code(const std::vector<Diagnostic>& diags, const std::string& code) {
    std::vector<Diagnostic> out;
    for (const Diagnostic& d : diags) {
        if (d.code == code) out.push_back(d);
    }
    return out;
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

// A call whose COMPLETED outcome goes through CONDITIONAL "check" to CONVERTED / DROPPED.
GraphBuilder with_conditional(Json config) {
    return GraphBuilder()
        .node("call", "VOICE_CALL")
        .node("check", "CONDITIONAL", std::move(config))
        .node("yes", "CONVERTED")
        .node("no", "DROPPED")
        .edge("call", "check", "COMPLETED")
        .edge("call", "no")
        .edge("check", "yes", "TRUE")
        .edge("check", "no", "FALSE");
}

Json conditions(std::initializer_list<const char*> fields) {
    Json list = Json::array();
    for (const char* f : fields) {
        list.push_back(Json{{"field", f}, {"operator", "equals"}, {"value", "x"}});
    }
    return Json{{"conditions", list}};
}

// Validation rejects the graph with exactly one INVALID_CONDITION_FIELD naming the node and
// `field`, and compile_graph rejects it too.
void expect_rejected(const Graph& g, const std::string& field, const std::string& where) {
    SCOPED_TRACE(field);
    const auto diags = validate(g);
    EXPECT_FALSE(is_valid(diags));
    const auto bad = with_code(diags, "INVALID_CONDITION_FIELD");
    ASSERT_EQ(bad.size(), 1u) << validation_report_json(diags).dump(2);
    EXPECT_EQ(bad[0].severity, Severity::kError);
    EXPECT_EQ(bad[0].node_id.value_or(""), "check");
    EXPECT_FALSE(bad[0].edge_id.has_value());
    EXPECT_TRUE(contains(bad[0].message, "'check' (check)")) << bad[0].message;
    EXPECT_TRUE(contains(bad[0].message, "'" + field + "'")) << bad[0].message;
    EXPECT_TRUE(contains(bad[0].message, where)) << bad[0].message;
    const auto c = compile_graph(g);
    ASSERT_FALSE(c.ok());
    EXPECT_TRUE(contains(c.status().message(), where)) << c.status().message();
}

TEST(ValidateFields, UnknownCallFieldInACondition) {
    expect_rejected(with_conditional(conditions({"call.foo"})).graph(), "call.foo",
                    "config.conditions[0].field");
}

TEST(ValidateFields, UnknownApplicationFieldInACondition) {
    expect_rejected(with_conditional(conditions({"application.bogus"})).graph(),
                    "application.bogus", "config.conditions[0].field");
}

TEST(ValidateFields, PrefixWithoutANameInACondition) {
    for (const char* f : {"lead.", "call.analysis.", "application.response.", "lead.   "}) {
        expect_rejected(with_conditional(conditions({"lead.city", f})).graph(),
                        std::string(trim_view(f)), "config.conditions[1].field");
    }
}

TEST(ValidateFields, UnknownFieldInASwitch) {
    const Json cfg{{"condition_field", "call.sentiment"}, {"branches", {"TRUE", "FALSE"}}};
    expect_rejected(with_conditional(cfg).graph(), "call.sentiment", "config.condition_field");
    const Json mode{{"mode", "switch"}, {"condition_field", "application.response."}};
    expect_rejected(with_conditional(mode).graph(), "application.response.",
                    "config.condition_field");
}

TEST(ValidateFields, OneDiagnosticPerBadReference) {
    const Graph g =
        with_conditional(conditions({"call.foo", "lead.city", "call.bar", "lead."})).graph();
    const auto bad = with_code(validate(g), "INVALID_CONDITION_FIELD");
    ASSERT_EQ(bad.size(), 3u);
    EXPECT_TRUE(contains(bad[0].message, "config.conditions[0].field"));
    EXPECT_TRUE(contains(bad[0].message, "call.foo"));
    EXPECT_TRUE(contains(bad[1].message, "config.conditions[2].field"));
    EXPECT_TRUE(contains(bad[1].message, "call.bar"));
    EXPECT_TRUE(contains(bad[2].message, "config.conditions[3].field"));
}

TEST(ValidateFields, EveryFieldTheEngineReadsIsAccepted) {
    for (const char* f :
         {"lead.city", "city", "call.status", "call.outcome", "call.duration_s",
          "call.analysis.interested", "application.result", "application.response.code",
          " lead.city ", "CALL.foo" /* no known prefix: a bare name */}) {
        SCOPED_TRACE(f);
        const Graph g = with_conditional(conditions({f})).graph();
        const auto diags = validate(g);
        EXPECT_TRUE(is_valid(diags)) << validation_report_json(diags).dump(2);
        EXPECT_TRUE(compile_graph(g).ok());
        const Json sw{{"condition_field", f}};
        EXPECT_TRUE(
            with_code(validate(with_conditional(sw).graph()), "INVALID_CONDITION_FIELD").empty());
    }
}

TEST(ValidateFields, EmptyFieldsKeepTheirOwnCode) {
    // An empty field is CONDITION_INVALID (docs/workflows.md#validation-codes), reported once, not
    // twice.
    auto diags = validate(with_conditional(conditions({"  "})).graph());
    EXPECT_EQ(with_code(diags, "CONDITION_INVALID").size(), 1u);
    EXPECT_TRUE(with_code(diags, "INVALID_CONDITION_FIELD").empty());
    diags = validate(with_conditional(Json{{"mode", "switch"}}).graph());
    EXPECT_EQ(with_code(diags, "CONDITION_INVALID").size(), 1u);
    EXPECT_TRUE(with_code(diags, "INVALID_CONDITION_FIELD").empty());
    // A post-call-analysis wait without a field is TIME_INVALID_DURATION.
    const Graph wait = GraphBuilder()
                           .node("w", "TIME", {{"time_source", "postcall_analysis"}})
                           .node("y", "CONVERTED")
                           .edge("w", "y")
                           .graph();
    diags = validate(wait);
    EXPECT_EQ(with_code(diags, "TIME_INVALID_DURATION").size(), 1u);
    EXPECT_TRUE(with_code(diags, "INVALID_CONDITION_FIELD").empty());
    EXPECT_FALSE(compile_graph(wait).ok());
}

TEST(ValidateFields, ConfigFieldRefsListWhatTheCompilerParses) {
    Node pca;
    pca.id = "w";
    pca.type = NodeType::kTime;
    pca.config = {{"time_source", "pca"}, {"postcall_analysis_field", " callback_at "}};
    auto refs = config_field_refs(pca);
    ASSERT_EQ(refs.size(), 1u);
    EXPECT_EQ(refs[0].where, "config.pca_field");
    EXPECT_EQ(refs[0].field, "callback_at");
    EXPECT_EQ(refs[0].path, "call.analysis.callback_at");

    Node fixed = pca;
    fixed.config = {{"duration_value", 5}};
    EXPECT_TRUE(config_field_refs(fixed).empty());

    Node cond;
    cond.id = "c";
    cond.type = NodeType::kConditional;
    cond.config = conditions({"lead.a", "call.foo"});
    refs = config_field_refs(cond);
    ASSERT_EQ(refs.size(), 2u);
    EXPECT_EQ(refs[1].where, "config.conditions[1].field");
    EXPECT_EQ(refs[1].field, "call.foo");
    EXPECT_EQ(refs[1].path, "call.foo");

    cond.config = {{"condition_field", "lead.city"}, {"conditions", conditions({"x"})}};
    refs = config_field_refs(cond);
    ASSERT_EQ(refs.size(), 1u);
    EXPECT_EQ(refs[0].where, "config.condition_field");

    // A config that does not parse has no references (its own error is reported).
    cond.config = {{"conditions", "not a list"}};
    EXPECT_TRUE(config_field_refs(cond).empty());
    // Other node types read no fields, whatever their config says.
    Node call;
    call.type = NodeType::kVoiceCall;
    call.config = {{"condition_field", "call.foo"}, {"pca_field", "x"}};
    EXPECT_TRUE(config_field_refs(call).empty());
}

TEST(ValidateFields, PcaFieldsCompileToTheAnalysisKey) {
    // The compiler still interns a pca_field as call.analysis.<name>.
    const auto c =
        GraphBuilder()
            .node("w", "TIME", {{"time_source", "postcall_analysis"}, {"pca_field", "at"}})
            .node("y", "CONVERTED")
            .edge("w", "y")
            .compile();
    ASSERT_EQ(c.nodes().size(), 2u);
    ASSERT_GE(c.nodes()[0].pca_key, 0);
    EXPECT_EQ(c.field_names()[static_cast<std::size_t>(c.nodes()[0].pca_key)], "at");
}

TEST(ValidateFields, EdgeLabelsAreNotFieldReferences) {
    // Edge labels are outcome names, never parsed as fields: "call.foo" on an edge is an
    // unknown label (a warning), not an invalid field.
    Graph g = with_conditional(conditions({"lead.city"})).graph();
    g.edges.back().label = "call.foo";
    const auto diags = validate(g);
    EXPECT_TRUE(with_code(diags, "INVALID_CONDITION_FIELD").empty());
    EXPECT_FALSE(with_code(diags, "UNKNOWN_EDGE_LABEL").empty());
}

// [SECTION] is_valid(validate(g)) implies compile_graph(g).ok()

// The reference workflows, every broken fixture and a few graphs built here.
std::vector<Graph> base_graphs() {
    std::vector<Graph> out;
    for (const char* name :
         {"lead_nurture.json", "reengagement_drip.json", "conditional_followup.json"}) {
        out.push_back(testing::load_graph_fixture(name));
    }
    std::vector<std::string> codes = all_error_codes();
    for (const auto& w : all_warning_codes()) codes.push_back(w);
    for (std::string code : codes) {
        std::transform(code.begin(), code.end(), code.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        out.push_back(testing::load_graph_fixture("invalid/" + code + ".json"));
    }
    out.push_back(with_conditional(conditions({"lead.city", "call.analysis.interested"})).graph());
    out.push_back(with_conditional(Json{{"condition_field", "lead.city"}}).graph());
    out.push_back(
        GraphBuilder()
            .node("call", "VOICE_CALL")
            .node("w", "TIME", {{"time_source", "postcall_analysis"}, {"pca_field", "at"}})
            .node("app", "APPLICATION",
                  {{"provider_key", "webhook"},
                   {"action_config", {{"url", "https://example.com/hook"}}}})
            .node("y", "CONVERTED")
            .node("n", "DROPPED")
            .edge("call", "w", "COMPLETED")
            .edge("call", "n")
            .edge("w", "app")
            .edge("app", "y", "SUCCESS")
            .edge("app", "n", "FAILURE")
            .graph());
    return out;
}

const char* const kFields[] = {"call.foo",
                               "lead.",
                               "call.analysis.",
                               "application.response.",
                               "application.bogus",
                               "call.status",
                               "call.duration_s",
                               "application.result",
                               "lead.city",
                               "city",
                               "",
                               "  ",
                               "call.analysis.  ",
                               "CALL.foo",
                               "call.outcome.extra"};

// Graphs one edit away from `g`: every field of every CONDITIONAL and pca TIME replaced,
// condition lists and modes swapped, bad operators and logic, durations, node types changed,
// edges removed, the entry moved.
void for_each_mutant(const Graph& g, const std::function<void(const Graph&)>& visit) {
    visit(g);
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        auto with_config = [&](Json config) {
            Graph m = g;
            m.nodes[i].config = std::move(config);
            visit(m);
        };
        auto with_type = [&](const std::string& type) {
            Graph m = g;
            m.nodes[i].node_type_raw = type;
            m.nodes[i].type = parse_node_type(type);
            visit(m);
        };
        for (const char* t : {"VOICE_CALL", "TIME", "CONDITIONAL", "APPLICATION", "CONVERTED",
                              "DROPPED", "TELEPORT"}) {
            with_type(t);
        }
        for (const char* f : kFields) {
            with_config(Json{{"condition_field", f}});
            with_config(Json{{"mode", "switch"}, {"condition_field", f}, {"branches", {"a"}}});
            with_config(conditions({"lead.city", f}));
            with_config(Json{{"time_source", "postcall_analysis"}, {"pca_field", f}});
            with_config(Json{{"time_source", "pca"}, {"postcall_analysis_field", f}});
        }
        if (n.type == NodeType::kConditional && n.config.contains("conditions") &&
            n.config["conditions"].is_array()) {
            for (std::size_t k = 0; k < n.config["conditions"].size(); ++k) {
                for (const char* f : kFields) {
                    Json c = n.config;
                    c["conditions"][k]["field"] = f;
                    with_config(c);
                }
                Json c = n.config;
                c["conditions"][k]["operator"] = "bigger";
                with_config(c);
                c = n.config;
                c["conditions"][k].erase("field");
                with_config(c);
            }
            Json c = n.config;
            c["logic"] = "XOR";
            with_config(c);
            c = n.config;
            c["conditions"] = Json::array();
            with_config(c);
        }
        with_config(Json{{"duration_value", 0}});
        with_config(Json{{"duration_value", 2}, {"duration_unit", "fortnights"}});
        with_config(Json{{"delay_hours", "6"}});
        with_config(Json::object());
        Graph m = g;
        m.workflow.entry_node_id = n.id;
        visit(m);
    }
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
        Graph m = g;
        m.edges.erase(m.edges.begin() + static_cast<std::ptrdiff_t>(e));
        visit(m);
    }
    for (const char* entry : {"", "node_nowhere"}) {
        Graph m = g;
        m.workflow.entry_node_id = entry;
        visit(m);
    }
}

TEST(ValidateFields, ValidGraphsAlwaysCompile) {
    std::size_t graphs = 0, valid = 0, field_errors = 0;
    for (const Graph& base : base_graphs()) {
        for_each_mutant(base, [&](const Graph& g) {
            ++graphs;
            const auto diags = validate(g);
            if (!with_code(diags, "INVALID_CONDITION_FIELD").empty()) ++field_errors;
            const auto compiled = compile_graph(g);
            if (!is_valid(diags)) return;
            ++valid;
            EXPECT_TRUE(compiled.ok())
                << "validate accepts a graph compile_graph rejects: " << compiled.status().message()
                << "\n"
                << to_json(g).dump(2);
        });
    }
    // The mutants cover both sides, and field errors among the rejected ones.
    EXPECT_GT(graphs, 5000u);
    EXPECT_GT(valid, 500u);
    EXPECT_GT(graphs - valid, 2000u);
    EXPECT_GT(field_errors, 500u);
}

}  // namespace
}  // namespace leadflow
