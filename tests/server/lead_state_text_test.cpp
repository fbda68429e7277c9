// tests/server/lead_state_text_test.cpp — the scheduler's compact stored lead state: every
// field round-trips, states stored as JSON by earlier versions still load, removed nodes and
// malformed text.
#include "runtime/lead_state_text.hpp"

#include <gtest/gtest.h>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::server {
namespace {

CompiledGraph graph() {
    Graph g;
    for (const char* id : {"n|call", "n_won"}) {
        Node n;
        n.id = id;
        n.type = std::string(id) == "n_won" ? NodeType::kConverted : NodeType::kVoiceCall;
        n.node_type_raw = to_string(n.type);
        n.label = id;
        g.nodes.push_back(n);
    }
    Edge e;
    e.id = "e1";
    e.from_node_id = "n|call";
    e.to_node_id = "n_won";
    g.edges.push_back(e);
    auto c = compile_graph(g);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return std::move(c.value());
}

void expect_same(const LeadState& a, const LeadState& b) {
    EXPECT_EQ(a.node, b.node);
    EXPECT_EQ(a.steps, b.steps);
    EXPECT_EQ(a.last_call_duration_ms, b.last_call_duration_ms);
    EXPECT_EQ(a.phase, b.phase);
    EXPECT_EQ(a.last_call, b.last_call);
    EXPECT_EQ(a.last_app, b.last_app);
    EXPECT_EQ(a.end, b.end);
    EXPECT_EQ(a.reason, b.reason);
    EXPECT_EQ(a.entered_at, b.entered_at);
    EXPECT_EQ(a.release_at, b.release_at);
}

std::vector<LeadState> samples() {
    LeadState fresh;  // before Start: no node, nothing set
    LeadState waiting;
    waiting.node = 0;  // the id contains the separator
    waiting.steps = 7;
    waiting.phase = Phase::kQueued;
    waiting.reason = Reason::kOutsideCallingWindow;
    waiting.last_call = static_cast<std::int8_t>(CallOutcome::kNoAnswer);
    waiting.last_call_duration_ms = 0;
    waiting.last_app = 0;
    waiting.entered_at = 1767603600123;
    waiting.release_at = 1767690000000;
    LeadState done;
    done.node = 1;
    done.steps = 2;
    done.phase = Phase::kDone;
    done.end = LeadEnd::kCompleted;
    done.last_call = static_cast<std::int8_t>(CallOutcome::kCompleted);
    done.last_call_duration_ms = 95000;
    done.last_app = 1;
    done.entered_at = -5;  // before the epoch
    LeadState failed = done;
    failed.end = LeadEnd::kFailed;
    failed.reason = Reason::kMaxStepsExceeded;
    return {fresh, waiting, done, failed};
}

TEST(LeadStateText, EveryFieldRoundTrips) {
    CompiledGraph g = graph();
    std::string text = "reused buffer with old content";
    for (const LeadState& s : samples()) {
        write_lead_state_text(s, g, text);
        EXPECT_EQ(text.rfind("s1|", 0), 0u) << text;
        auto back = parse_lead_state_text(text, g);
        ASSERT_TRUE(back.ok()) << text << ": " << back.status().message();
        expect_same(back.value(), s);
        EXPECT_EQ(lead_state_phase(text), s.phase) << text;
    }
    write_lead_state_text(samples()[1], g, text);
    EXPECT_EQ(text,
              "s1|queued|7||outside_calling_window|NO_ANSWER|0|failure|1767603600123|"
              "1767690000000|n|call");
}

TEST(LeadStateText, StatesStoredAsJsonStillLoad) {
    CompiledGraph g = graph();
    for (const LeadState& s : samples()) {
        const std::string old = to_json(s, g).dump();
        auto back = parse_lead_state_text(old, g);
        ASSERT_TRUE(back.ok()) << old << ": " << back.status().message();
        expect_same(back.value(), s);
        EXPECT_EQ(lead_state_phase(old), s.phase) << old;
    }
}

// "s1", then the nine fields and the node id, joined by '|'.
std::string s1(const std::vector<std::string>& f) {
    std::string out = "s1";
    for (const std::string& x : f) out += "|" + x;
    return out;
}

TEST(LeadStateText, ARemovedNodeMakesTheLeadStuckUnlessItIsDone) {
    CompiledGraph g = graph();
    auto s = parse_lead_state_text(s1({"waiting", "3", "", "", "", "", "", "", "5", "n_gone"}), g);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->phase, Phase::kStuck);
    EXPECT_EQ(s->reason, Reason::kNodeRemoved);
    EXPECT_EQ(s->node, -1);
    s = parse_lead_state_text(s1({"done", "3", "dropped", "", "", "", "", "", "5", "n_gone"}), g);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->phase, Phase::kDone);
    EXPECT_EQ(s->reason, Reason::kNone);
}

TEST(LeadStateText, MalformedTextNamesTheField) {
    CompiledGraph g = graph();
    const std::vector<std::string> ok = {"waiting", "1", "", "", "", "", "", "", "", "n_won"};
    ASSERT_TRUE(parse_lead_state_text(s1(ok), g).ok());
    std::vector<std::pair<std::string, std::string>> cases = {
        {"", "neither JSON nor s1"},
        {"s2" + s1(ok).substr(2), "neither JSON nor s1"},
        {"s1|waiting|1|n_won", "neither JSON nor s1"},
        {"{\"phase\": 3}", "phase"}};
    const std::vector<std::pair<int, std::pair<std::string, std::string>>> fields = {
        {0, {"napping", "phase"}},
        {1, {"x", "steps"}},
        {1, {"", "steps"}},
        {2, {"won", "end"}},
        {3, {"bored", "reason"}},
        {4, {"HUNG_UP", "last_call_outcome"}},
        {5, {"9x", "last_call_duration_ms"}},
        {6, {"maybe", "last_application_result"}},
        {7, {"12:00", "entered_at"}},
        {8, {"1e3", "release_at"}}};
    for (const auto& [i, bad] : fields) {
        std::vector<std::string> f = ok;
        f[static_cast<std::size_t>(i)] = bad.first;
        cases.emplace_back(s1(f), bad.second);
    }
    for (const auto& [text, field] : cases) {
        auto s = parse_lead_state_text(text, g);
        ASSERT_FALSE(s.ok()) << text;
        EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument) << text;
        EXPECT_NE(s.status().message().find(field), std::string::npos)
            << text << ": " << s.status().message();
    }
    EXPECT_EQ(lead_state_phase("garbage"), std::nullopt);
    EXPECT_EQ(lead_state_phase("{\"phase\":\"napping\"}"), std::nullopt);
}

}  // namespace
}  // namespace leadflow::server
