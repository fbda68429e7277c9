// tests/server/api_xlsx_test.cpp — .xlsx lead uploads through the API: the first sheet goes
// through the rules, limits and errors of a CSV upload, and nothing is enrolled on a 400.
#include "http/limits.hpp"
#include "server_test_util.hpp"
#include "xlsx_test_util.hpp"

namespace leadflow::server::testing {
namespace {

const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class XlsxUploadTest : public ApiTest {
  protected:
    Response upload(const std::string& wf, const std::string& bytes,
                    const std::string& filename = "leads.xlsx",
                    const std::string& content_type = kXlsxType) {
        Request r;
        r.method = "POST";
        r.path = "/v1/workflows/" + wf + "/leads";
        r.content_type = "multipart/form-data";
        r.headers["Authorization"] = "Bearer " + key_a_;
        r.files.push_back(UploadedFile{"file", filename, content_type, bytes});
        return handle(std::move(r));
    }
    // The 400 message of uploading `bytes` to a new workflow, which must enroll nothing (the
    // message of a refusal that lists rows is an array, given as JSON).
    std::string refusal(const std::string& bytes, const std::string& filename = "leads.xlsx") {
        const std::string wf = make_workflow();
        Response r = upload(wf, bytes, filename);
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["enrolled_leads"], 0);
        const Json message = body_of(r)["message"];
        return message.is_string() ? message.get<std::string>() : message.dump();
    }
    Json lead(const std::string& wf, const Json& upload_body, const std::string& phone) {
        const std::string id = upload_body["data"][phone][0].get<std::string>();
        return body_of(get("/v1/workflows/" + wf + "/leads/" + id));
    }
};

std::string inline_cell(const std::string& ref, const std::string& text) {
    return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

TEST_F(XlsxUploadTest, TheFirstSheetEnrollsLeadsWithItsColumnsAsVariables) {
    const std::string wf = make_workflow();
    Response r = upload(wf, xlsx_fixture("leads.xlsx"));
    ASSERT_EQ(r.status, 201) << r.body;
    Json j = body_of(r);
    EXPECT_EQ(j["count"], 3);
    EXPECT_EQ(j["leads_enrolled"], 3);
    // Numeric phone cells (14155552671 and 1.4155552672E10) are numbers, not "1.41E10".
    Json ann = lead(wf, j, "+14155552671");
    EXPECT_EQ(
        ann["variables"],
        (Json{
            {"city", "Pune"}, {"name", "Ann Lee"}, {"signed_up", "2024-03-15"}, {"vip", "TRUE"}}));
    Json raj = lead(wf, j, "+14155552672");
    EXPECT_EQ(raj["variables"],
              (Json{{"city", ""}, {"name", "Raj"}, {"signed_up", ""}, {"vip", "FALSE"}}));
    Json zoe = lead(wf, j, "+919876543210");
    EXPECT_EQ(zoe["variables"]["name"], "Zoë");
    EXPECT_EQ(zoe["variables"]["city"], "two\r\nlines");
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf + "/leads/variable-keys"))["keys"],
              Json::array({"city", "name", "signed_up", "vip"}));

    // The workbook order decides the sheet, and the bytes decide the format, not the name.
    const std::string wf2 = make_workflow();
    Response second = upload(wf2, xlsx_fixture("second_sheet_first.xlsx"), "leads.csv", "text/csv");
    ASSERT_EQ(second.status, 201) << second.body;
    EXPECT_EQ(lead(wf2, body_of(second), "+14155552671")["variables"], (Json{{"sheet", "second"}}));
}

TEST_F(XlsxUploadTest, InvalidRowsRejectTheUploadWithTheErrorsACsvGets) {
    const std::string wf = make_workflow();
    Response r = upload(wf, xlsx_fixture("invalid_phones.xlsx"));
    ASSERT_EQ(r.status, 400) << r.body;
    Json expected = Json::array({
        Json{{"reason", "Wrong number of columns"},
             {"count", 1},
             {"rows", Json::array({Json{{"position", 5}, {"phone_number", "14155552672"}}})}},
        Json{{"reason", "Invalid phone number"},
             {"count", 2},
             {"rows", Json::array({Json{{"position", 2}, {"phone_number", "12345"}},
                                   Json{{"position", 4}, {"phone_number", "not a phone"}}})}},
        Json{{"reason", "Missing phone number"},
             {"count", 1},
             {"rows", Json::array({Json{{"position", 3}, {"phone_number", ""}}})}},
    });
    EXPECT_EQ(body_of(r)["errors"], expected);
    EXPECT_EQ(body_of(r)["message"],
              Json::array({"Wrong number of columns: 1 row(s)", "Invalid phone number: 2 row(s)",
                           "Missing phone number: 1 row(s)"}));
    EXPECT_EQ(body_of(get("/v1/workflows/" + wf))["enrolled_leads"], 0);

    // The same table as CSV gets the same errors.
    Response csv = upload(wf,
                          "phone_number,city\n14155552671,Pune\n12345,Delhi\n,Goa\n"
                          "not a phone,Agra\n14155552672,too,many\n",
                          "leads.csv", "text/csv");
    EXPECT_EQ(body_of(csv)["errors"], expected);
}

TEST_F(XlsxUploadTest, WorkbooksThatCannotBeReadAre400NamingTheProblem) {
    const std::string p = "file is not a valid .xlsx workbook: ";
    EXPECT_EQ(refusal(xlsx_fixture("malformed.xlsx")),
              p + "xl/worksheets/sheet1.xml line 2: mismatched tag");
    EXPECT_EQ(
        refusal(xlsx_fixture("no_shared_strings.xlsx")),
        p + "cell A1 refers to a shared string, but the workbook has no xl/sharedStrings.xml");
    EXPECT_EQ(refusal("phone_number\n+14155552671\n"),  // named .xlsx, but CSV text
              p + "the zip archive cannot be read (Not a zip archive)");
    EXPECT_EQ(refusal(zip_archive({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                                   {"content.xml", "<office:document-content/>"}})),
              p + "it has no xl/workbook.xml");
    auto parts =
        workbook_parts(worksheet_xml("<row>" + inline_cell("A1", "phone_number") + "</row>"));
    for (ZipPart& part : parts) part.password = "secret";
    EXPECT_EQ(refusal(zip_archive(parts)), p + "it is encrypted; save it without a password");
    // Excel's password-protected .xlsx and legacy .xls are OLE compound files.
    EXPECT_EQ(refusal(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'),
                      "leads.xls"),
              "The file is a legacy .xls workbook or a password-protected .xlsx: save it as .xlsx "
              "without a password, or as CSV");
}

TEST_F(XlsxUploadTest, TheHeaderRulesAndLimitsOfCsvApply) {
    EXPECT_EQ(refusal(xlsx_file(worksheet_xml(""))), "The first sheet of the workbook is empty");
    EXPECT_EQ(refusal(xlsx_file(worksheet_xml("<row>" + inline_cell("A1", "name") + "</row>"))),
              "The sheet header must have a phone_number column");
    EXPECT_EQ(refusal(xlsx_file(worksheet_xml("<row>" + inline_cell("A1", "phone_number") +
                                              inline_cell("C1", "city") + "</row>"))),
              "sheet header column 2 has no name");
    EXPECT_EQ(refusal(xlsx_file(worksheet_xml("<row>" + inline_cell("A1", "phone_number") +
                                              "<c r=\"CX1\"><v>1</v></c></row>"))),
              "sheet row 1: more than 101 columns");
    const std::string header = "<row r=\"1\">" + inline_cell("A1", "phone_number") + "</row>";
    EXPECT_EQ(refusal(xlsx_file(worksheet_xml(header + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\">"
                                                       "<is><t>\xF0\x9F\x98\x80_xD800_</t></is>"
                                                       "</c></row>"))),
              "[\"Invalid phone number: 1 row(s)\"]");  // the text is read; the phone is wrong
    std::string rows = header;
    for (std::size_t i = 0; i <= limits::kMaxCsvRows; ++i) {
        rows += "<row><c><v>" + std::to_string(14155550000 + i) + "</v></c></row>";
    }
    EXPECT_EQ(refusal(xlsx_file(worksheet_xml(rows))),
              "The sheet has more than 100000 rows (the limit per upload; split the file)");
    // One 4000-byte shared string in every cell of 3000 rows: 12 MB of text from a small file.
    rows = "<row>" + inline_cell("A1", "phone_number") + inline_cell("B1", "note") + "</row>";
    for (int i = 0; i < 3000; ++i)
        rows += "<row><c><v>14155552671</v></c><c t=\"s\"><v>0</v></c></row>";
    EXPECT_EQ(refusal(xlsx_file(worksheet_xml(rows),
                                shared_strings_xml({"<t>" + std::string(4000, 'n') + "</t>"}))),
              "The sheet holds more than 10485760 bytes of text (the limit per upload, as for a "
              "CSV file; split the file)");
}

TEST_F(XlsxUploadTest, AZipBombStopsAtTheUnpackedLimitWhateverItsHeadersDeclare) {
    // 133 KB whose sheet inflates to 1 MiB past the limit and declares 1000 bytes.
    const std::string bomb = xlsx_fixture("bomb.xlsx");
    ASSERT_EQ(limits::kMaxXlsxUnpackedBytes, 128u << 20);  // else: regenerate the fixture
    EXPECT_EQ(refusal(bomb),
              "The .xlsx unpacks to more than 134217728 bytes (the limit per upload)");
}

TEST_F(XlsxUploadTest, TheOpenApiDocumentDescribesBothFileFormats) {
    Json doc = body_of(send("GET", "/v1/openapi.json", "", "", "", {{"Authorization", ""}}));
    Json op = doc["paths"]["/v1/workflows/{id}/leads"]["post"];
    EXPECT_NE(op["summary"].get<std::string>().find("CSV or .xlsx"), std::string::npos);
    Json multipart = op["requestBody"]["content"]["multipart/form-data"];
    const auto about = multipart["schema"]["properties"]["file"]["description"].get<std::string>();
    for (const char* part : {"first sheet", "phone_number", "file is not a valid .xlsx workbook",
                             "128 MiB unpacked"}) {
        EXPECT_NE(about.find(part), std::string::npos) << part;
    }
    EXPECT_EQ(multipart["encoding"]["file"]["contentType"], std::string("text/csv, ") + kXlsxType);
}

}  // namespace
}  // namespace leadflow::server::testing
