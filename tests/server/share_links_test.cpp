// Short links (docs/api.md#share-links): POST /v1/share-links stores a share-link fragment and
// answers its short path; GET /s/<id> redirects to the web app with the fragment; bad input is
// refused.
#include <gtest/gtest.h>

#include "leadflow/share.hpp"
#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

std::string sample_fragment() {
    SharePayload p;
    p.graph = Json{{"workflow", Json{{"title", "Shared"}}},
                   {"nodes", Json::array({Json{{"id", "node_a"}, {"node_type", "CONVERTED"}}})},
                   {"edges", Json::array()}};
    p.scenario = Json{{"leads", 100}};
    return encode_share_fragment(p);
}

using ShareLinksTest = ApiTest;

TEST_F(ShareLinksTest, StoresAFragmentAndRedirectsToTheApp) {
    const std::string fragment = sample_fragment();
    Response r = post("/v1/share-links", Json{{"fragment", fragment}});
    ASSERT_EQ(r.status, 201) << r.body;
    const Json body = body_of(r);
    const std::string path = body["path"].get<std::string>();
    EXPECT_EQ(path, "/s/" + body["id"].get<std::string>());
    EXPECT_EQ(body["length"], fragment.size());

    // Public: no API key needed to open a short link.
    Response open = send("GET", path, "", "", "", {{"Authorization", ""}});
    EXPECT_EQ(open.status, 302);
    ASSERT_TRUE(open.header("Location").has_value());
    EXPECT_EQ(*open.header("Location"), "/#" + fragment);
    // The fragment decodes to what was shared.
    auto back = decode_share_fragment(open.header("Location")->substr(2));
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->scenario["leads"], 100);

    // Ids are 128 random bits (32 hex characters), not derived from the content: the same link
    // stored again gets a new id; a leading '#' is accepted.
    const std::string id = body["id"].get<std::string>();
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    Response again = post("/v1/share-links", Json{{"fragment", "#" + fragment}});
    ASSERT_EQ(again.status, 201);
    EXPECT_NE(body_of(again)["id"], body["id"]);
    EXPECT_EQ(
        *send("GET", body_of(again)["path"].get<std::string>(), "", "", "", {{"Authorization", ""}})
             .header("Location"),
        "/#" + fragment);
}

TEST_F(ShareLinksTest, OnlyTheOwningOrganizationDeletesALink) {
    Response r = post("/v1/share-links", Json{{"fragment", sample_fragment()}});
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string id = body_of(r)["id"].get<std::string>();
    // Another organization cannot delete it (and cannot tell it exists); no key: 401.
    EXPECT_EQ(del("/v1/share-links/" + id, key_b_).status, 404);
    EXPECT_EQ(send("DELETE", "/v1/share-links/" + id, "", "", "", {{"Authorization", ""}}).status,
              401);
    EXPECT_EQ(send("GET", "/s/" + id, "", "", "", {{"Authorization", ""}}).status, 302);
    Response d = del("/v1/share-links/" + id);
    EXPECT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(send("GET", "/s/" + id, "", "", "", {{"Authorization", ""}}).status, 404);
    EXPECT_EQ(del("/v1/share-links/" + id).status, 404);
}

TEST_F(ShareLinksTest, LinksStoredWithContentHashIdsKeepResolving) {
    // A link stored before ids were random: 12 hex characters of the fragment's SHA-256.
    const std::string fragment = sample_fragment();
    const std::string legacy_id = "0123456789ab";
    ASSERT_TRUE(store_->transact(
        [&](StoreTx& tx) { return tx.put_share_link(legacy_id, "org_old", fragment, now_); }));
    Response open = send("GET", "/s/" + legacy_id, "", "", "", {{"Authorization", ""}});
    ASSERT_EQ(open.status, 302) << open.body;
    EXPECT_EQ(*open.header("Location"), "/#" + fragment);
}

TEST_F(ShareLinksTest, ShortLinksSurviveARestart) {
    const std::string fragment = sample_fragment();
    Response r = post("/v1/share-links", Json{{"fragment", fragment}});
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string path = body_of(r)["path"].get<std::string>();
    restart();
    Response open = send("GET", path, "", "", "", {{"Authorization", ""}});
    ASSERT_EQ(open.status, 302) << open.body;
    EXPECT_EQ(*open.header("Location"), "/#" + fragment);
}

TEST_F(ShareLinksTest, RefusesWhatIsNotALinkAndUnknownIds) {
    for (const Json& bad :
         {Json::object(), Json{{"fragment", 5}}, Json{{"fragment", "hello"}},
          Json{{"fragment", "s=1.abc def"}}, Json{{"fragment", "s=1.<script>"}}}) {
        Response r = post("/v1/share-links", bad);
        EXPECT_EQ(r.status, 400) << bad.dump();
        EXPECT_NE(body_of(r)["message"].get<std::string>().find("fragment"), std::string::npos);
    }
    Response huge = post("/v1/share-links", Json{{"fragment", "s=1." + std::string(300000, 'A')}});
    EXPECT_EQ(huge.status, 400);
    // Creating needs an API key; opening an unknown id is a 404.
    Response anon = send("POST", "/v1/share-links", Json{{"fragment", sample_fragment()}}.dump(),
                         "application/json", "", {{"Authorization", ""}});
    EXPECT_EQ(anon.status, 401);
    Response missing = send("GET", "/s/000000000000", "", "", "", {{"Authorization", ""}});
    EXPECT_EQ(missing.status, 404);
}

}  // namespace
}  // namespace leadflow::server::testing
