// Find node (Ctrl+F): case-insensitive substring matching on labels and ids, and the ranking of
// the matches (docs/editor.md#finding-a-node).
#include "find_nodes.hpp"

#include <gtest/gtest.h>

#include "web_test_util.hpp"

namespace leadflow::web {
namespace {

using testing::fixture_graph;
using testing::make_node;

Node labelled(const std::string& id, const std::string& label) {
    Node n = make_node(id, NodeType::kVoiceCall);
    n.label = label;
    return n;
}

// The ids of the matches, best first.
std::vector<std::string> ids(const Graph& g, const FindResult& r) {
    std::vector<std::string> out;
    for (const FindMatch& m : r.matches) out.push_back(g.nodes[m.node_index].id);
    return out;
}

TEST(FindNodes, MatchesLabelOrIdIgnoringCase) {
    const Graph g = fixture_graph("lead_nurture.json");
    EXPECT_EQ(ids(g, find_nodes(g, "THIRD")), (std::vector<std::string>{"node_call3"}));
    EXPECT_EQ(ids(g, find_nodes(g, "Node_UnResp")),
              (std::vector<std::string>{"node_unresponsive"}));
    EXPECT_EQ(ids(g, find_nodes(g, "wait 2")),
              (std::vector<std::string>{"node_wait1", "node_wait2"}));
    const FindResult none = find_nodes(g, "nothing like this");
    EXPECT_TRUE(none.matches.empty());
    EXPECT_EQ(none.total, 0u);
}

TEST(FindNodes, EmptyOrBlankQueryMatchesNothing) {
    const Graph g = fixture_graph("lead_nurture.json");
    EXPECT_TRUE(find_nodes(g, "").matches.empty());
    EXPECT_TRUE(find_nodes(g, "  \t ").matches.empty());
    // Surrounding white space is ignored, inner white space is part of the query.
    EXPECT_EQ(ids(g, find_nodes(g, "  call failed ")), (std::vector<std::string>{"node_failed"}));
}

TEST(FindNodes, RanksExactThenPrefixThenWordThenSubstring) {
    Graph g;
    g.nodes = {labelled("n1", "Recall later"),        // label substring
               labelled("call_b", "Second"),          // id prefix
               labelled("n3", "First call"),          // label word start
               labelled("n4", "Call back"),           // label prefix
               labelled("n5", "x"),                   // no match
               labelled("n6", "CALL"),                // exact label
               labelled("a_call", "Other"),           // id substring
               labelled("call", "Different label")};  // exact id
    const FindResult r = find_nodes(g, "call");
    EXPECT_EQ(ids(g, r),
              (std::vector<std::string>{"n6", "call", "n4", "call_b", "n3", "n1", "a_call"}));
    EXPECT_EQ(r.total, 7u);
    std::vector<FindRank> ranks;
    for (const FindMatch& m : r.matches) ranks.push_back(m.rank);
    EXPECT_EQ(ranks,
              (std::vector<FindRank>{FindRank::kExact, FindRank::kExact, FindRank::kLabelPrefix,
                                     FindRank::kIdPrefix, FindRank::kLabelWordStart,
                                     FindRank::kLabelSubstring, FindRank::kIdSubstring}));
}

TEST(FindNodes, EqualRanksKeepNodeOrder) {
    Graph g;
    for (int i = 9; i >= 0; --i) g.nodes.push_back(labelled("id" + std::to_string(i), "Wait"));
    const FindResult r = find_nodes(g, "wai");
    ASSERT_EQ(r.matches.size(), 10u);
    for (std::size_t i = 0; i < r.matches.size(); ++i) EXPECT_EQ(r.matches[i].node_index, i);
}

TEST(FindNodes, LimitCutsTheListButCountsEveryMatch) {
    Graph g;
    for (int i = 0; i < 120; ++i) g.nodes.push_back(labelled("node_" + std::to_string(i), "Step"));
    const FindResult r = find_nodes(g, "step", 50);
    EXPECT_EQ(r.matches.size(), 50u);
    EXPECT_EQ(r.total, 120u);
    EXPECT_EQ(r.matches.front().node_index, 0u);
    EXPECT_EQ(find_nodes(g, "node_11", 5).total, 11u);  // node_11, node_110 … node_119
}

TEST(FindNodes, NonAsciiBytesMatchExactly) {
    Graph g;
    g.nodes = {labelled("a", "Café call"), labelled("b", "CAFÉ")};
    EXPECT_EQ(ids(g, find_nodes(g, "café")), (std::vector<std::string>{"a"}));
    EXPECT_EQ(ids(g, find_nodes(g, "caf")), (std::vector<std::string>{"a", "b"}));
}

TEST(FindNodes, OverlongQueryIsCut) {
    Graph g;
    g.nodes = {labelled("a", std::string(kMaxFindQuery, 'w'))};
    EXPECT_EQ(find_nodes(g, std::string(kMaxFindQuery + 50, 'w')).total, 1u);
}

}  // namespace
}  // namespace leadflow::web
