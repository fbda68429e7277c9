// Helpers for the engine / simulator / exact tests: small graphs built in code.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/json.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/wire.hpp"
#include "test_util.hpp"

namespace leadflow::testing {

// Builds graph JSON: GraphBuilder().node("a", "VOICE_CALL").edge("a", "b", "DNP").compile().
class GraphBuilder {
  public:
    GraphBuilder() {
        j_["workflow"] = Json{{"id", "wf_test"}, {"title", "Test"}, {"settings", Json::object()}};
        j_["nodes"] = Json::array();
        j_["edges"] = Json::array();
    }
    GraphBuilder& node(const std::string& id, const std::string& type,
                       Json config = Json::object()) {
        if (type == "VOICE_CALL" && config.empty()) {
            config = Json{{"agent_id", "agent"}, {"from_phone_number", "+14155550100"}};
        }
        j_["nodes"].push_back(
            Json{{"id", id}, {"node_type", type}, {"label", id}, {"config", config}});
        return *this;
    }
    GraphBuilder& edge(const std::string& from, const std::string& to,
                       const std::string& label = "", int position = -1) {
        const int n = static_cast<int>(j_["edges"].size());
        Json e{{"id", "e" + std::to_string(n + 1)}, {"from_node_id", from}, {"to_node_id", to}};
        if (!label.empty()) e["label"] = label;
        e["position"] = position >= 0 ? position : n;
        j_["edges"].push_back(e);
        return *this;
    }
    GraphBuilder& setting(const std::string& key, Json value) {
        j_["workflow"]["settings"][key] = std::move(value);
        return *this;
    }
    GraphBuilder& entry(const std::string& id) {
        j_["workflow"]["entry_node_id"] = id;
        return *this;
    }
    const Json& json() const { return j_; }
    Graph graph() const {
        auto g = graph_from_json(j_);
        EXPECT_TRUE(g.ok()) << g.status().message();
        return g.ok() ? *g : Graph{};
    }
    CompiledGraph compile() const {
        auto c = compile_graph(graph());
        EXPECT_TRUE(c.ok()) << c.status().message();
        return c.ok() ? *c : CompiledGraph{};
    }

  private:
    Json j_ = Json::object();
};

inline Graph load_graph_fixture(const std::string& name) {
    auto g = parse_graph(read_fixture(name));
    EXPECT_TRUE(g.ok()) << name << ": " << g.status().message();
    return g.ok() ? *g : Graph{};
}

// A scenario from JSON text; fails the current test (and returns the defaults) when it does
// not parse.
inline Scenario scenario_text(const std::string& text) {
    auto s = parse_scenario_text(text);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? *s : default_scenario();
}

inline Scenario load_scenario_fixture(const std::string& name) {
    auto s = parse_scenario_text(read_fixture(name));
    EXPECT_TRUE(s.ok()) << name << ": " << s.status().message();
    return s.ok() ? *s : default_scenario();
}

}  // namespace leadflow::testing
