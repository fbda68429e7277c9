// tests/server/api_leads_test.cpp — lead upload (CSV, JSON single, JSON bulk), list, keys,
// detail, removal, history, and the DialNexa envelope of the lead operations.
#include <set>

#include "server_test_util.hpp"

namespace leadflow::server::testing {
namespace {

class LeadsTest : public ApiTest {
  protected:
    Response upload_csv(const std::string& wf, const std::string& csv,
                        const std::map<std::string, std::string>& headers = {}) {
        Request r;
        r.method = "POST";
        r.path = "/v1/workflows/" + wf + "/leads";
        r.content_type = "multipart/form-data";
        r.headers["Authorization"] = "Bearer " + key_a_;
        for (const auto& [k, v] : headers) r.headers[k] = v;
        r.files.push_back(UploadedFile{"file", "leads.csv", "text/csv", csv});
        return handle(std::move(r));
    }
};

TEST_F(LeadsTest, CsvUploadNormalizesPhonesAndKeepsVariables) {
    std::string wf = make_workflow();
    auto nodes = make_valid_graph(wf);
    const std::string csv =
        "\xEF\xBB\xBFname,phone_number,note\r\n"
        "\"Doe, Jane\",(415) 555-2671,\"said \"\"call me\"\"\"\r\n"
        "Raj,+91 98765 43210,\"two\r\nlines\"\r\n"
        "Ann,415.555.2671,\r\n";
    Response r = upload_csv(wf, csv);
    ASSERT_EQ(r.status, 201) << r.body;
    Json j = body_of(r);
    EXPECT_EQ(j["count"], 3);
    EXPECT_EQ(j["leads_enrolled"], 3);
    ASSERT_EQ(j["data"]["+14155552671"].size(), 2u);  // the same number twice → two leads
    ASSERT_EQ(j["data"]["+919876543210"].size(), 1u);
    const std::string jane = j["data"]["+14155552671"][0].get<std::string>();
    EXPECT_EQ(jane.rfind("wlead_", 0), 0u);

    Json lead = body_of(get("/v1/workflows/" + wf + "/leads/" + jane));
    EXPECT_EQ(lead["phone_number"], "+14155552671");
    EXPECT_EQ(lead["variables"], (Json{{"name", "Doe, Jane"}, {"note", "said \"call me\""}}));
    EXPECT_EQ(lead["dynamic_variables"], lead["variables"]);
    EXPECT_EQ(lead["status"], "pending");  // draft workflow
    // Not started: its entry node is that of the version it will start on.
    EXPECT_TRUE(lead["current_node_id"].is_null());
    EXPECT_FALSE(lead.contains("version"));
    EXPECT_EQ(lead["execution"]["phase"], "entering");
    EXPECT_TRUE(lead["execution"]["current_node_id"].is_null());
    Json raj = body_of(
        get("/v1/workflows/" + wf + "/leads/" + j["data"]["+919876543210"][0].get<std::string>()));
    EXPECT_EQ(raj["variables"]["note"], "two\r\nlines");
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/leads/variable-keys"))["keys"],
              Json::array({"name", "note"}));
}

TEST_F(LeadsTest, AnInvalidRowRejectsTheWholeUploadWithErrorsGroupedByReason) {
    std::string wf = make_workflow();
    Response r = upload_csv(wf,
                            "phone_number,city\n"
                            "+14155552671,Pune\n"
                            "12345,Delhi\n"
                            ",Goa\n"
                            "not a phone,Agra\n"
                            "+14155552672,too,many\n");
    ASSERT_EQ(r.status, 400) << r.body;
    Json j = body_of(r);
    EXPECT_EQ(j["statusCode"], 400);
    EXPECT_TRUE(j["message"].is_array());
    Json expected = Json::array({
        Json{{"reason", "Wrong number of columns"},
             {"count", 1},
             {"rows", Json::array({Json{{"position", 5}, {"phone_number", "+14155552672"}}})}},
        Json{{"reason", "Invalid phone number"},
             {"count", 2},
             {"rows", Json::array({Json{{"position", 2}, {"phone_number", "12345"}},
                                   Json{{"position", 4}, {"phone_number", "not a phone"}}})}},
        Json{{"reason", "Missing phone number"},
             {"count", 1},
             {"rows", Json::array({Json{{"position", 3}, {"phone_number", ""}}})}},
    });
    EXPECT_EQ(j["errors"], expected);
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["enrolled_leads"], 0);  // nothing enrolled
}

TEST_F(LeadsTest, CsvStructureErrorsAre400) {
    std::string wf = make_workflow();
    EXPECT_EQ(upload_csv(wf, "name,city\nA,B\n").status, 400);  // no phone_number column
    EXPECT_EQ(upload_csv(wf, "").status, 400);
    EXPECT_EQ(upload_csv(wf, "phone_number\n\"+14155552671\n").status, 400);  // open quote
    EXPECT_EQ(upload_csv(wf, "phone_number\n").status, 400);                  // no rows
    Request r;
    r.method = "POST";
    r.path = "/v1/workflows/" + wf + "/leads";
    r.content_type = "multipart/form-data";
    r.headers["Authorization"] = "Bearer " + key_a_;
    r.files.push_back(UploadedFile{"other", "x.csv", "text/csv", "phone_number\n+14155552671\n"});
    EXPECT_EQ(handle(r).status, 400);  // no "file" field
}

TEST_F(LeadsTest, JsonSingleAndBulkUploadsUseTheDefaultRegion) {
    Response c = post("/v1/workflows",
                      Json{{"title", "India"}, {"settings", Json{{"default_region", "IN"}}}});
    std::string wf = body_of(c)["id"].get<std::string>();
    Response one = post(
        "/v1/workflows/" + wf + "/leads",
        Json{{"phone_number", "098765 43210"}, {"variables", Json{{"age", 31}, {"vip", true}}}});
    ASSERT_EQ(one.status, 201) << one.body;
    std::string id = body_of(one)["data"]["+919876543210"][0].get<std::string>();
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/leads/" + id))["variables"],
              (Json{{"age", "31"}, {"vip", "true"}}));
    Response bulk =
        post("/v1/workflows/" + wf + "/leads",
             Json{{"leads", Json::array({Json{{"phone_number", "+14155552671"}},
                                         Json{{"phone_number", "9876543211"},
                                              {"dynamic_variables", Json{{"city", "Pune"}}}}})}});
    ASSERT_EQ(bulk.status, 201) << bulk.body;
    EXPECT_EQ(body_of(bulk)["count"], 2);
    EXPECT_TRUE(body_of(bulk)["data"].contains("+919876543211"));
    Response bad = post("/v1/workflows/" + wf + "/leads",
                        Json{{"leads", Json::array({Json{{"phone_number", "+14155552671"}},
                                                    Json{{"phone_number", "1"}}})}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(body_of(bad)["errors"][0]["rows"][0]["position"], 2);
    EXPECT_EQ(post("/v1/workflows/" + wf + "/leads", Json{{"leads", "x"}}).status, 400);
    EXPECT_EQ(post("/v1/workflows/" + wf + "/leads", Json{{"leads", Json::array()}}).status, 400);
    EXPECT_EQ(
        post("/v1/workflows/" + wf + "/leads",
             Json{{"phone_number", "+14155552671"}, {"variables", Json{{"x", Json::array()}}}})
            .status,
        400);
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["enrolled_leads"], 3);
}

TEST_F(LeadsTest, UploadsToFinishedWorkflowsAre409AndActiveOnesStartLeadsActive) {
    std::string wf = make_workflow();
    make_valid_graph(wf);
    post("/v1/workflows/" + wf + "/activate", Json());
    Response r = post("/v1/workflows/" + wf + "/leads", Json{{"phone_number", "+14155552671"}});
    std::string id = body_of(r)["data"]["+14155552671"][0].get<std::string>();
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/leads/" + id))["status"], "active");
    post("/v1/workflows/" + wf + "/cancel", Json());
    EXPECT_EQ(post("/v1/workflows/" + wf + "/leads", Json{{"phone_number", "+14155552671"}}).status,
              409);
    EXPECT_EQ(upload_csv(wf, "phone_number\n+14155552671\n").status, 409);
}

TEST_F(LeadsTest, ListFiltersByStatusAndIdsWithPages) {
    std::string wf = make_workflow();
    make_valid_graph(wf);
    std::string csv = "phone_number\n";
    for (int i = 0; i < 25; ++i) csv += "+1415555" + std::to_string(2600 + i) + "\n";
    Json up = body_of(upload_csv(wf, csv));
    ASSERT_EQ(up["count"], 25);
    const std::string base = "/v1/workflows/" + wf + "/leads";
    Json p1 = body_of(get(base));
    EXPECT_EQ(p1["data"].size(), 20u);
    EXPECT_EQ(p1["meta"], (Json{{"page", 1}, {"limit", 20}, {"total", 25}, {"totalPages", 2}}));
    EXPECT_EQ(p1["data"][0]["phone_number"], "+14155552600");  // upload order
    EXPECT_EQ(body_of(get(base + "?page=2"))["data"].size(), 5u);
    std::string first = p1["data"][0]["id"].get<std::string>();
    std::string second = p1["data"][1]["id"].get<std::string>();
    del(base + "/" + first);
    EXPECT_EQ(body_of(get(base + "?status=removed"))["meta"]["total"], 1);
    EXPECT_EQ(body_of(get(base + "?status=pending"))["meta"]["total"], 24);
    post("/v1/workflows/" + wf + "/activate", Json());
    EXPECT_EQ(body_of(get(base + "?status=in_progress"))["meta"]["total"], 24);
    Json byid = body_of(get(base + "?leadIds=" + first + "," + second + ",wlead_nope"));
    EXPECT_EQ(byid["meta"]["total"], 2);
    EXPECT_EQ(get(base + "?status=asleep").status, 400);
    EXPECT_EQ(get(base + "?limit=101").status, 400);
}

TEST_F(LeadsTest, ListSearchesByPhoneNumberWithStatusAndPages) {
    std::string wf = make_workflow();
    make_valid_graph(wf);
    // 30 US numbers +1415555 2600…2629, two UK numbers, one number with "1415" in its middle.
    std::string csv = "phone_number\n";
    for (int i = 0; i < 30; ++i) csv += "+1415555" + std::to_string(2600 + i) + "\n";
    csv += "+442071838750\n+442079460958\n+12125551415\n";
    ASSERT_EQ(body_of(upload_csv(wf, csv))["count"], 33);
    const std::string base = "/v1/workflows/" + wf + "/leads";
    auto phones = [&](const std::string& query) {
        std::vector<std::string> out;
        const Json body = body_of(get(base + query));
        for (const Json& l : body["data"]) {
            out.push_back(l["phone_number"].get<std::string>());
        }
        return out;
    };
    // Digits match anywhere; separators typed with them are ignored.
    EXPECT_EQ(phones("?phone=2612"), (std::vector<std::string>{"+14155552612"}));
    EXPECT_EQ(phones("?phone=(415) 555-2612"), (std::vector<std::string>{"+14155552612"}));
    EXPECT_EQ(phones("?phone=7183"), (std::vector<std::string>{"+442071838750"}));
    // Paged like the full list, with the matching total.
    Json p1 = body_of(get(base + "?phone=1415&limit=20"));
    EXPECT_EQ(p1["meta"], (Json{{"page", 1}, {"limit", 20}, {"total", 31}, {"totalPages", 2}}));
    EXPECT_EQ(body_of(get(base + "?phone=1415&limit=20&page=2"))["data"].size(), 11u);
    // A leading + anchors at the number's start: "+1415" leaves out +12125551415.
    EXPECT_EQ(body_of(get(base + "?phone=+1415"))["meta"]["total"], 30);
    EXPECT_EQ(phones("?phone=+44"), (std::vector<std::string>{"+442071838750", "+442079460958"}));
    EXPECT_EQ(body_of(get(base + "?phone=+4415"))["meta"]["total"], 0);
    // Combined with status.
    const std::string removed =
        body_of(get(base + "?phone=2605"))["data"][0]["id"].get<std::string>();
    ASSERT_EQ(del(base + "/" + removed).status, 200);
    EXPECT_EQ(phones("?phone=260&status=removed"), (std::vector<std::string>{"+14155552605"}));
    EXPECT_EQ(body_of(get(base + "?phone=260&status=pending"))["meta"]["total"], 9);
    // LIKE's wildcards are not digits: refused, never matched as patterns.
    for (const char* bad : {"%", "_", "41a5", "++1", "1+1", "abc", "4\\1"}) {
        Response r = get(base + "?phone=" + bad);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(body_of(r)["message"],
                  "phone must be digits, with an optional leading + (spaces, dashes, dots and "
                  "parentheses are ignored)")
            << bad;
    }
    EXPECT_EQ(body_of(get(base + "?phone=+"))["message"], "phone must contain at least one digit");
    EXPECT_EQ(body_of(get(base + "?phone=1234567890123456"))["message"],
              "phone may hold at most 15 digits");
    EXPECT_EQ(body_of(get(base + "?phone=" + std::string(65, '1')))["message"],
              "phone may be at most 64 characters");
    // An empty search lists every lead.
    EXPECT_EQ(body_of(get(base + "?phone= "))["meta"]["total"], 33);
}

TEST_F(LeadsTest, RemovingALeadKeepsItForHistory) {
    std::string wf = make_workflow();
    auto nodes = make_valid_graph(wf);
    std::string id =
        body_of(post("/v1/workflows/" + wf + "/leads",
                     Json{{"phone_number", "+14155552671"}}))["data"]["+14155552671"][0]
            .get<std::string>();
    const std::string path = "/v1/workflows/" + wf + "/leads/" + id;
    now_ += 60000;
    Response r = del(path);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(body_of(r), (Json{{"message", "Lead removed from workflow."}}));
    Json lead = body_of(get(path));
    EXPECT_EQ(lead["status"], "removed");
    EXPECT_EQ(lead["completed_at"], "2026-01-05T09:01:00.000Z");
    EXPECT_EQ(del(path).status, 409);
    EXPECT_EQ(del("/v1/workflows/" + wf + "/leads/wlead_nope").status, 404);
    Json h = body_of(get(path + "/history"));
    EXPECT_EQ(h["lead"]["id"], id);
    EXPECT_EQ(h["execution"]["phase"], "done");
    ASSERT_EQ(h["history"].size(), 1u);
    EXPECT_EQ(h["history"][0]["status"], "removed");
    EXPECT_EQ(h["history"][0]["node_id"], "");  // removed before it started
    EXPECT_EQ(h["history"][0]["reason"], "removed_by_api");
    EXPECT_EQ(get("/v1/workflows/" + wf + "/leads/wlead_nope/history").status, 404);
}

TEST_F(LeadsTest, DialNexaEnvelopeForLeadOperations) {
    std::string wf = make_workflow();
    std::map<std::string, std::string> env = {{"X-Response-Envelope", "dialnexa"}};
    Response up = upload_csv(wf, "phone_number,city\n+14155552671,Pune\n", env);
    ASSERT_EQ(up.status, 201);
    Json u = body_of(up);
    EXPECT_EQ(u["statusCode"], 201);
    EXPECT_EQ(u["message"], "Leads uploaded successfully");
    EXPECT_EQ(u["count"], 1);
    EXPECT_FALSE(u.contains("leads_enrolled"));
    std::string id = u["data"]["+14155552671"][0].get<std::string>();
    const std::string base = "/v1/workflows/" + wf + "/leads";
    Json list = body_of(send("GET", base, "", "", "", env));
    EXPECT_EQ(list["message"], "Leads fetched successfully");
    EXPECT_EQ(list["count"], 1);
    EXPECT_EQ(list["data"][0], (Json{{"id", id},
                                     {"phone_number", "+14155552671"},
                                     {"dynamic_variables", Json{{"city", "Pune"}}},
                                     {"status", "pending"},
                                     {"createdAt", "2026-01-05T09:00:00.000Z"},
                                     {"metadata", Json::object()}}));
    Json keys = body_of(send("GET", base + "/variable-keys", "", "", "", env));
    EXPECT_EQ(keys, (Json{{"statusCode", 200},
                          {"message", "Variable keys fetched successfully"},
                          {"data", Json{{"keys", Json::array({"city"})}}}}));
    Json removed = body_of(send("DELETE", base + "/" + id, "", "", "", env));
    EXPECT_EQ(removed, (Json{{"statusCode", 200}, {"message", "Lead removed successfully"}}));
    Json hist = body_of(send("GET", base + "/" + id + "/history", "", "", "", env));
    EXPECT_EQ(hist["message"], "Lead history fetched successfully");
    EXPECT_EQ(hist["data"]["lead"]["createdAt"], "2026-01-05T09:00:00.000Z");
    ASSERT_EQ(hist["data"]["history"].size(), 1u);
    Json entry = hist["data"]["history"][0];
    for (const char* k :
         {"node_id", "node_type", "label", "status", "call_id", "started_at", "ended_at"}) {
        EXPECT_TRUE(entry.contains(k)) << k;
    }
    EXPECT_EQ(entry.size(), 7u);
}

TEST_F(LeadsTest, MetadataIsStoredAndReturnedAsSent) {
    std::string wf = make_workflow();
    const std::string base = "/v1/workflows/" + wf + "/leads";
    Json meta{{"crm_id", "A-17"},
              {"score", 0.8},
              {"tags", Json::array({"vip", "q3"})},
              {"owner", Json{{"name", "Ana"}, {"team", nullptr}}}};
    Response one = post(base, Json{{"phone_number", "+14155552671"}, {"metadata", meta}});
    ASSERT_EQ(one.status, 201) << one.body;
    std::string id = body_of(one)["data"]["+14155552671"][0].get<std::string>();
    EXPECT_EQ(body_of(get(base + "/" + id))["metadata"], meta);
    Response bulk =
        post(base, Json{{"leads", Json::array({Json{{"phone_number", "+14155552672"},
                                                    {"metadata", Json{{"k", "v"}}}},
                                               Json{{"phone_number", "+14155552673"}}})}});
    ASSERT_EQ(bulk.status, 201) << bulk.body;
    Json list = body_of(get(base))["data"];
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0]["metadata"], meta);
    EXPECT_EQ(list[1]["metadata"], (Json{{"k", "v"}}));
    EXPECT_EQ(list[2]["metadata"], Json::object()) << "none given reads as {}";
    std::map<std::string, std::string> env = {{"X-Response-Envelope", "dialnexa"}};
    EXPECT_EQ(body_of(send("GET", base, "", "", "", env))["data"][0]["metadata"], meta);
    EXPECT_EQ(body_of(send("GET", base + "/" + id + "/history", "", "", "",
                           env))["data"]["lead"]["metadata"],
              meta);

    // Not an object, or too large: the upload is rejected with the row named, nothing enrolled.
    Response bad = post(
        base, Json{{"leads",
                    Json::array({Json{{"phone_number", "+14155552674"}},
                                 Json{{"phone_number", "+14155552675"}, {"metadata", "vip"}}})}});
    ASSERT_EQ(bad.status, 400) << bad.body;
    Json errors = body_of(bad)["errors"];
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0]["reason"], "Metadata must be a JSON object of at most 16384 bytes");
    EXPECT_EQ(errors[0]["rows"][0]["position"], 2);
    Response big = post(base, Json{{"phone_number", "+14155552676"},
                                   {"metadata", Json{{"blob", std::string(17000, 'x')}}}});
    EXPECT_EQ(big.status, 400);
    EXPECT_EQ(body_of(get(base))["meta"]["total"], 3) << "nothing enrolled by a 400";
}

TEST_F(LeadsTest, DialNexaEnvelopeListsEveryLeadAndCountsWhatItReturns) {
    std::string wf = make_workflow();
    std::string csv = "phone_number\n";
    for (int i = 0; i < 230; ++i) csv += "+1415555" + std::to_string(3000 + i) + "\n";
    ASSERT_EQ(upload_csv(wf, csv).status, 201);
    std::map<std::string, std::string> env = {{"X-Response-Envelope", "dialnexa"}};
    const std::string base = "/v1/workflows/" + wf + "/leads";
    // No page or limit: every lead (more than one store page of 100), in upload order.
    Json all = body_of(send("GET", base, "", "", "", env));
    ASSERT_EQ(all["data"].size(), 230u);
    EXPECT_EQ(all["count"], 230);
    EXPECT_EQ(all["data"][0]["phone_number"], "+14155553000");
    EXPECT_EQ(all["data"][229]["phone_number"], "+14155553229");
    std::set<std::string> ids;
    for (const Json& l : all["data"]) ids.insert(l["id"].get<std::string>());
    EXPECT_EQ(ids.size(), 230u) << "no lead twice";
    // A page asked for: that page, and count says how many it holds.
    Json page = body_of(send("GET", base + "?page=3&limit=100", "", "", "", env));
    ASSERT_EQ(page["data"].size(), 30u);
    EXPECT_EQ(page["count"], 30);
    EXPECT_EQ(page["data"][0]["phone_number"], "+14155553200");
    // Filters apply to the whole list.
    del(base + "/" + all["data"][5]["id"].get<std::string>());
    Json removed = body_of(send("GET", base + "?status=removed", "", "", "", env));
    EXPECT_EQ(removed["count"], 1);
    EXPECT_EQ(removed["data"][0]["id"], all["data"][5]["id"]);
    EXPECT_EQ(send("GET", base + "?limit=0", "", "", "", env).status, 400);
}

}  // namespace
}  // namespace leadflow::server::testing
