// Share links (docs/simulation.md#share-links): encode → decode restores graph, scenario and view;
// links of every format version ever shipped stay readable; damaged links give a message for the
// user.
#include "leadflow/share.hpp"

#include <gtest/gtest.h>

#include "leadflow/wire.hpp"
#include "test_util.hpp"

namespace leadflow {
namespace {

SharePayload sample() {
    SharePayload p;
    p.graph = Json::parse(testing::read_fixture("lead_nurture.json"));
    p.scenario = Json::parse(R"({"version": 1, "seed": 42, "leads": 10000})");
    p.view = Json::parse(R"({"zoom": 1.25, "pan": [10, -20]})");
    return p;
}

TEST(Share, RoundTrip) {
    const SharePayload p = sample();
    const std::string fragment = encode_share_fragment(p);
    ASSERT_EQ(fragment.rfind("s=1.", 0), 0u);
    for (const std::string& form :
         {fragment, "#" + fragment, fragment.substr(2), "#view=x&" + fragment + "&other=1"}) {
        auto back = decode_share_fragment(form);
        ASSERT_TRUE(back.ok()) << form.substr(0, 20) << ": " << back.status().message();
        EXPECT_EQ(back->graph, p.graph);
        EXPECT_EQ(back->scenario, p.scenario);
        EXPECT_EQ(back->view, p.view);
    }
    EXPECT_EQ(encode_share_fragment(p), fragment);  // deterministic
}

TEST(Share, ReferenceWorkflowLinksAreShort) {
    for (const char* name :
         {"lead_nurture.json", "reengagement_drip.json", "conditional_followup.json"}) {
        SharePayload p;
        p.graph = Json::parse(testing::read_fixture(name));
        const std::string fragment = encode_share_fragment(p);
        EXPECT_LT(fragment.size(), 1500u) << name;
    }
}

// Links written by format version 1, kept forever: each must still open.
TEST(Share, Version1LinksStayReadable) {
    const std::string text = testing::read_fixture("share/v1_lead_nurture.txt");
    ASSERT_FALSE(text.empty());
    const std::string fragment = text.substr(0, text.find_last_not_of("\r\n") + 1);
    auto p = decode_share_fragment(fragment);
    ASSERT_TRUE(p.ok()) << p.status().message();
    auto graph = graph_from_json(p->graph);
    ASSERT_TRUE(graph.ok()) << graph.status().message();
    EXPECT_EQ(graph->workflow.id, "wf_lead_nurture");
    EXPECT_EQ(graph->nodes.size(), 8u);
    EXPECT_EQ(p->scenario["seed"], 42);
}

TEST(Share, BadLinksExplainThemselves) {
    const std::string good = encode_share_fragment(sample());
    struct Case {
        std::string fragment;
        const char* says;
    } cases[] = {
        {"", "holds no shared workflow"},
        {"#s=", "holds no shared workflow"},
        {"s=garbage", "incomplete or damaged"},
        {"s=1.!!!!", "incomplete or damaged"},
        {"s=1.AAAA", "incomplete or damaged"},
        {good.substr(0, good.size() / 2), "incomplete or damaged"},
        {"s=7." + good.substr(4), "newer version of Leadflow (format 7)"},
        {"s=0." + good.substr(4), "incomplete or damaged"},
    };
    for (const Case& c : cases) {
        auto r = decode_share_fragment(c.fragment);
        ASSERT_FALSE(r.ok()) << c.fragment;
        EXPECT_NE(r.status().message().find(c.says), std::string::npos)
            << c.fragment.substr(0, 30) << " → " << r.status().message();
    }
    // Valid compression of something that is not a workflow.
    SharePayload empty;
    empty.graph = Json::array();
    auto r = decode_share_fragment(encode_share_fragment(empty));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("holds no workflow"), std::string::npos);
}

}  // namespace
}  // namespace leadflow
