// tests/web/web_test_util.hpp — helpers shared by the web editor logic tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "leadflow/model.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::web::testing {

inline std::string read_fixture(const std::string& name) {
    std::ifstream in(std::string(LEADFLOW_FIXTURES_DIR) + "/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The reference workflows of tests/fixtures, for tests that check every one of them.
inline constexpr const char* kReferenceFixtures[] = {"lead_nurture.json", "reengagement_drip.json",
                                                     "conditional_followup.json"};

// A fixture graph; aborts the test binary if it does not parse (fixtures are known good).
inline Graph fixture_graph(const std::string& name) {
    Result<Graph> g = parse_graph(read_fixture(name));
    if (!g.ok()) throw std::runtime_error(name + ": " + g.status().message());
    return std::move(*g);
}

inline Node make_node(const std::string& id, NodeType t, double x = 0, double y = 0) {
    Node n;
    n.id = id;
    n.type = t;
    n.node_type_raw = to_string(t);
    n.label = id;
    n.position_x = x;
    n.position_y = y;
    return n;
}

inline Edge make_edge(const std::string& id, const std::string& from, const std::string& to,
                      std::optional<std::string> label = std::nullopt, std::int64_t pos = 0) {
    Edge e;
    e.id = id;
    e.from_node_id = from;
    e.to_node_id = to;
    e.label = std::move(label);
    e.position = pos;
    return e;
}

}  // namespace leadflow::web::testing
