// Where a running lead stands after later versions are published (leadflow/versions.hpp).
#include "leadflow/versions.hpp"

#include <gtest/gtest.h>

namespace leadflow {
namespace {

VersionStep step(std::int64_t n, bool move, std::map<std::string, NodeType> nodes,
                 std::map<std::string, std::string> node_map = {}) {
    VersionStep s;
    s.number = n;
    s.move = move;
    s.nodes = std::move(nodes);
    s.node_map = std::move(node_map);
    return s;
}

const NodeType kCall = NodeType::kVoiceCall;
const NodeType kWait = NodeType::kTime;

TEST(Versions, MoveTakesTheSameNodeIdOfTheNewVersion) {
    auto at = resolve_placement({1, "a"}, kCall, 1, {step(2, true, {{"a", kCall}})});
    EXPECT_EQ(at.version, 2);
    EXPECT_EQ(at.node_id, "a");
}

TEST(Versions, KeepLeavesTheLeadOnItsVersion) {
    auto at = resolve_placement({1, "a"}, kCall, 1, {step(2, false, {{"a", kCall}})});
    EXPECT_EQ(at.version, 1);
    EXPECT_EQ(at.node_id, "a");
}

TEST(Versions, ALeadWhoseNodeIsGoneStaysOnItsVersion) {
    auto at = resolve_placement({1, "a"}, kCall, 1, {step(2, true, {{"b", kCall}})});
    EXPECT_EQ(at.version, 1);
    EXPECT_EQ(at.node_id, "a");
}

TEST(Versions, NodeMapNamesTheTarget) {
    auto at = resolve_placement({1, "a"}, kCall, 1, {step(2, true, {{"b", kCall}}, {{"a", "b"}})});
    EXPECT_EQ(at.version, 2);
    EXPECT_EQ(at.node_id, "b");
}

TEST(Versions, NodeMapWinsOverTheSameId) {
    auto at = resolve_placement({1, "a"}, kCall, 1,
                                {step(2, true, {{"a", kCall}, {"b", kCall}}, {{"a", "b"}})});
    EXPECT_EQ(at.node_id, "b");
}

TEST(Versions, NeverMovesOntoANodeOfAnotherType) {
    auto at = resolve_placement({1, "a"}, kCall, 1, {step(2, true, {{"a", kWait}})});
    EXPECT_EQ(at.version, 1);
    auto mapped =
        resolve_placement({1, "a"}, kCall, 1, {step(2, true, {{"w", kWait}}, {{"a", "w"}})});
    EXPECT_EQ(mapped.version, 1);
}

TEST(Versions, StepsAlreadySeenAreSkipped) {
    // The lead stayed on version 1 when version 2 removed its node; version 2 is seen.
    // Version 3 brings the node back and moves it.
    std::vector<VersionStep> later = {step(2, true, {{"b", kCall}}), step(3, true, {{"a", kCall}})};
    auto at = resolve_placement({1, "a"}, kCall, 2, later);
    EXPECT_EQ(at.version, 3);
    // Seen through 3: nothing left to apply.
    at = resolve_placement({1, "a"}, kCall, 3, later);
    EXPECT_EQ(at.version, 1);
}

TEST(Versions, StepsApplyInNumberOrderWhateverTheListOrder) {
    // 2 moves a → b (mapped), 3 keeps, 4 moves by id: b exists in 4 → ends on 4 at b.
    std::vector<VersionStep> later = {step(4, true, {{"b", kCall}}), step(3, false, {{"b", kCall}}),
                                      step(2, true, {{"b", kCall}}, {{"a", "b"}})};
    auto at = resolve_placement({1, "a"}, kCall, 1, later);
    EXPECT_EQ(at.version, 4);
    EXPECT_EQ(at.node_id, "b");
}

TEST(Versions, StepsAtOrBelowTheLeadsVersionAreSkipped) {
    auto at = resolve_placement({3, "a"}, kCall, 0,
                                {step(2, true, {{"x", kCall}}), step(3, true, {{"a", kCall}})});
    EXPECT_EQ(at.version, 3);
    EXPECT_EQ(at.node_id, "a");
}

TEST(Versions, VersionStepReadsTheGraphsNodes) {
    Graph g;
    Node a;
    a.id = "a";
    a.type = kCall;
    Node w;
    w.id = "w";
    w.type = kWait;
    g.nodes = {a, w};
    VersionStep s = version_step(5, true, {{"x", "a"}}, g);
    EXPECT_EQ(s.number, 5);
    EXPECT_TRUE(s.move);
    EXPECT_EQ(s.nodes.size(), 2u);
    EXPECT_EQ(s.nodes.at("w"), kWait);
    EXPECT_EQ(s.node_map.at("x"), "a");
}

}  // namespace
}  // namespace leadflow
