// tests/server/xlsx_test.cpp — the .xlsx reader: workbooks from tests/fixtures/xlsx (written by
// make_fixtures.py) and built in memory, values, limits and hostile archives.
#include "util/xlsx.hpp"

#include <gtest/gtest.h>

#include "util/utf8.hpp"
#include "util/xlsx_values.hpp"
#include "xlsx_test_util.hpp"

namespace leadflow::server::testing {
namespace {

using Rows = std::vector<std::vector<std::string>>;

XlsxLimits generous() {
    XlsxLimits l;
    l.max_entries = 100;
    l.max_unpacked_bytes = 64 << 20;
    l.max_columns = 101;
    l.max_text_bytes = 10 << 20;
    return l;
}

struct Read {
    Status status;
    Rows rows;
    std::vector<std::size_t> lines;
};

Read read(const std::string& bytes, const XlsxLimits& limits = generous()) {
    Read r;
    r.status = for_each_xlsx_record(bytes, limits, [&](CsvRecord& rec) {
        r.rows.push_back(rec.fields);
        r.lines.push_back(rec.line);
        return Status::ok();
    });
    return r;
}

// The error of reading `bytes`, which must fail.
std::string error_of(const std::string& bytes, const XlsxLimits& limits = generous()) {
    Read r = read(bytes, limits);
    EXPECT_FALSE(r.status.is_ok());
    return r.status.message();
}

std::string inline_cell(const std::string& ref, const std::string& text) {
    return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

const std::string kHeader = "<row r=\"1\">" + inline_cell("A1", "phone_number") + "</row>";

// Expects `message` to contain `part`.
void expect_has(const std::string& message, const std::string& part) {
    EXPECT_NE(message.find(part), std::string::npos) << message;
}

// [SECTION] Fixtures

TEST(Xlsx, ReadsSharedStringsNumbersBooleansDatesGapsAndSkipsEmptyRows) {
    Read r = read(xlsx_fixture("leads.xlsx"));
    ASSERT_TRUE(r.status.is_ok()) << r.status.message();
    EXPECT_EQ(r.rows, (Rows{{"phone_number", "name", "city", "vip", "signed_up"},
                            {"14155552671", "Ann Lee", "Pune", "TRUE", "2024-03-15"},
                            {"14155552672", "Raj", "", "FALSE", ""},
                            {"+91 98765 43210", "Zoë", "two\r\nlines", "TRUE", ""}}));
    EXPECT_EQ(r.lines, (std::vector<std::size_t>{1, 2, 3, 6}));
}

TEST(Xlsx, ReadsTheFirstSheetInWorkbookOrderNotTheFirstPart) {
    Read r = read(xlsx_fixture("second_sheet_first.xlsx"));
    ASSERT_TRUE(r.status.is_ok()) << r.status.message();
    EXPECT_EQ(r.rows, (Rows{{"phone_number", "sheet"}, {"14155552671", "second"}}));
}

TEST(Xlsx, MalformedXmlNamesThePartAndLine) {
    expect_has(error_of(xlsx_fixture("malformed.xlsx")),
               std::string("file is not a valid .xlsx workbook: xl/worksheets/sheet1.xml line 2: "
                           "mismatched tag"));
}

TEST(Xlsx, SharedStringCellsWithoutTheSharedStringsPartAreRefused) {
    EXPECT_EQ(error_of(xlsx_fixture("no_shared_strings.xlsx")),
              "file is not a valid .xlsx workbook: cell A1 refers to a shared string, but the "
              "workbook has no xl/sharedStrings.xml");
    // Inline strings need no shared strings part.
    EXPECT_TRUE(read(xlsx_file(worksheet_xml(kHeader))).status.is_ok());
}

TEST(Xlsx, CountsInflatedBytesWhileInflatingNotFromTheHeaders) {
    // Its sheet declares 1000 bytes and inflates to 129 MiB.
    const std::string bomb = xlsx_fixture("bomb.xlsx");
    XlsxLimits l = generous();
    l.max_unpacked_bytes = 1 << 20;
    EXPECT_EQ(error_of(bomb, l),
              "The .xlsx unpacks to more than 1048576 bytes (the limit per upload)");
    l.max_unpacked_bytes = 130 << 20;
    Read r = read(bomb, l);
    ASSERT_TRUE(r.status.is_ok()) << r.status.message();
    EXPECT_EQ(r.rows, (Rows{{"phone_number"}}));
}

TEST(Xlsx, AZipBombIsRefusedAtTheLimit) {
    // 16 MiB of one byte deflates to about 16 KB.
    const std::string sheet = worksheet_xml(kHeader + std::string(16 << 20, ' '));
    const std::string bomb = xlsx_file(sheet);
    EXPECT_LT(bomb.size(), 32u << 10);
    XlsxLimits l = generous();
    l.max_unpacked_bytes = 4 << 20;
    EXPECT_EQ(error_of(bomb, l),
              "The .xlsx unpacks to more than 4194304 bytes (the limit per upload)");
}

// [SECTION] Values

TEST(XlsxValues, NumbersComeOutAsPlainDecimals) {
    EXPECT_EQ(xlsx_number_text("14155550123"), "14155550123");
    EXPECT_EQ(xlsx_number_text("1.4155550123E10"), "14155550123");
    EXPECT_EQ(xlsx_number_text("1.4155550123E+10"), "14155550123");
    EXPECT_EQ(xlsx_number_text("14155550123.0"), "14155550123");
    EXPECT_EQ(xlsx_number_text("919876543210"), "919876543210");
    EXPECT_EQ(xlsx_number_text("-0.5"), "-0.5");
    EXPECT_EQ(xlsx_number_text("-0"), "0");
    EXPECT_EQ(xlsx_number_text("0.1"), "0.1");
    EXPECT_EQ(xlsx_number_text("1E-3"), "0.001");
    EXPECT_EQ(xlsx_number_text("1.5e-5"), "0.000015");
    EXPECT_EQ(xlsx_number_text("3.0000000000000004"), "3");  // 15 significant digits
    EXPECT_EQ(xlsx_number_text("0.30000000000000004"), "0.3");
    EXPECT_EQ(xlsx_number_text("9.9999999999999999"), "10");
    EXPECT_EQ(xlsx_number_text("123456789012345678"), "123456789012346000");
    EXPECT_EQ(xlsx_number_text("1E21"), "1E21");  // too large for plain digits: kept
    EXPECT_EQ(xlsx_number_text("1E-8"), "1E-8");
    EXPECT_EQ(xlsx_number_text("1E999999999"), "1E999999999");
    EXPECT_EQ(xlsx_number_text("12abc"), "12abc");  // not a number: kept
    EXPECT_EQ(xlsx_number_text("."), ".");
}

TEST(XlsxValues, DatesAndTimesFollowTheNumberFormat) {
    EXPECT_EQ(xlsx_number_kind(14, ""), XlsxNumberKind::kDate);
    EXPECT_EQ(xlsx_number_kind(22, ""), XlsxNumberKind::kDateTime);
    EXPECT_EQ(xlsx_number_kind(21, ""), XlsxNumberKind::kTime);
    EXPECT_EQ(xlsx_number_kind(0, ""), XlsxNumberKind::kNumber);
    EXPECT_EQ(xlsx_number_kind(49, ""), XlsxNumberKind::kNumber);  // text "@"
    EXPECT_EQ(xlsx_number_kind(164, "yyyy-mm-dd"), XlsxNumberKind::kDate);
    EXPECT_EQ(xlsx_number_kind(164, "mmm"), XlsxNumberKind::kDate);
    EXPECT_EQ(xlsx_number_kind(164, "hh:mm"), XlsxNumberKind::kTime);
    EXPECT_EQ(xlsx_number_kind(164, "[h]:mm:ss"), XlsxNumberKind::kTime);
    EXPECT_EQ(xlsx_number_kind(164, "[$-409]dddd, mmmm dd, yyyy h:mm AM/PM"),
              XlsxNumberKind::kDateTime);
    EXPECT_EQ(xlsx_number_kind(164, "0.00"), XlsxNumberKind::kNumber);
    EXPECT_EQ(xlsx_number_kind(164, "General"), XlsxNumberKind::kNumber);
    EXPECT_EQ(xlsx_number_kind(164, "[Red]#,##0.00"), XlsxNumberKind::kNumber);
    EXPECT_EQ(xlsx_number_kind(164, "0 \"days\""), XlsxNumberKind::kNumber);
    EXPECT_EQ(xlsx_number_kind(164, "_d0\\y*s"), XlsxNumberKind::kNumber);
    EXPECT_EQ(xlsx_number_kind(164, "0.00;[Red]yyyy"), XlsxNumberKind::kNumber);
    EXPECT_EQ(xlsx_number_kind(14, "0.00"), XlsxNumberKind::kNumber);  // a code overrides the id

    const auto date = XlsxNumberKind::kDate;
    EXPECT_EQ(xlsx_date_text("45366", date, false), "2024-03-15");
    EXPECT_EQ(xlsx_date_text("45366.395833333336", XlsxNumberKind::kDateTime, false),
              "2024-03-15 09:30:00");
    EXPECT_EQ(xlsx_date_text("0.5", XlsxNumberKind::kTime, false), "12:00:00");
    EXPECT_EQ(xlsx_date_text("1", date, false), "1900-01-01");
    EXPECT_EQ(xlsx_date_text("59", date, false), "1900-02-28");
    EXPECT_EQ(xlsx_date_text("60", date, false), "1900-02-29");
    EXPECT_EQ(xlsx_date_text("61", date, false), "1900-03-01");
    EXPECT_EQ(xlsx_date_text("2958465", date, false), "9999-12-31");
    EXPECT_EQ(xlsx_date_text("0", date, true), "1904-01-01");
    EXPECT_EQ(xlsx_date_text("43904", date, true), "2024-03-15");
    EXPECT_FALSE(xlsx_date_text("-1", date, false));
    EXPECT_FALSE(xlsx_date_text("2958466", date, false));
    EXPECT_FALSE(xlsx_date_text("0", date, false));
    EXPECT_FALSE(xlsx_date_text("x", date, false));
}

TEST(XlsxValues, DecodesEscapesOfControlCharacters) {
    auto decoded = [](std::string s) {
        decode_xlsx_escapes(s);
        return s;
    };
    EXPECT_EQ(decoded("a_x000D_b"), "a\rb");
    EXPECT_EQ(decoded("_x00e9_"), "\xC3\xA9");
    EXPECT_EQ(decoded("_x005F_x000D_"), "_x000D_");  // an escaped underscore
    EXPECT_EQ(decoded("_xD83D_"), "_xD83D_");        // a lone surrogate stays text
    EXPECT_EQ(decoded("_x12_ _xZZZZ_ _x0041"), "_x12_ _xZZZZ_ _x0041");
}

// [SECTION] Sheets built in memory

TEST(Xlsx, CellTypesAndReferences) {
    const std::string rows =
        "<row r=\"1\">" + inline_cell("A1", "phone_number") + inline_cell("C1", "b") + "</row>" +
        // No r attributes: rows and cells follow one another.
        "<row><c><v>14155552671</v></c><c t=\"e\"><v>#N/A</v></c><c t=\"d\"><v>2024-03-15</v></c>"
        "</row>" +
        "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><r><t>+1 415 </t></r><r><t>555 2672</t></r>"
        "<rPh><t>x</t></rPh></is></c><c r=\"B5\" t=\"b\"><v> 1 </v></c>"
        "<c r=\"Z5\" s=\"0\"/></row>"
        "<row r=\"7\"><c r=\"A7\"><f>1+1</f></c></row>";  // a formula with no value: empty
    Read r = read(xlsx_file(worksheet_xml(rows)));
    ASSERT_TRUE(r.status.is_ok()) << r.status.message();
    EXPECT_EQ(r.rows, (Rows{{"phone_number", "", "b"},
                            {"14155552671", "#N/A", "2024-03-15"},
                            {"+1 415 555 2672", "TRUE", ""}}));
    EXPECT_EQ(r.lines, (std::vector<std::size_t>{1, 2, 5}));
}

TEST(Xlsx, PrefixedNamesStrictTypesAndAnotherWorkbookPath) {
    const std::string main = "http://purl.oclc.org/ooxml/spreadsheetml/main";
    const std::string rel = "http://purl.oclc.org/ooxml/officeDocument/relationships";
    const std::string pkg = "http://schemas.openxmlformats.org/package/2006/relationships";
    const std::string sheet = "<x:worksheet xmlns:x=\"" + main +
                              "\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\">"
                              "<x:is><x:t>phone_number</x:t></x:is></x:c></x:row></x:sheetData>"
                              "</x:worksheet>";
    Read r = read(zip_archive({
        {"_rels/.rels", "<Relationships xmlns=\"" + pkg + "\"><Relationship Id=\"a\" Type=\"" +
                            rel + "/officeDocument\" Target=\"/book/main.xml\"/></Relationships>"},
        {"book/main.xml", "<x:workbook xmlns:x=\"" + main + "\" xmlns:r=\"" + rel +
                              "\"><x:sheets><x:sheet name=\"S\" sheetId=\"1\" r:id=\"s1\"/>"
                              "</x:sheets></x:workbook>"},
        {"book/_rels/main.xml.rels", "<Relationships xmlns=\"" + pkg +
                                         "\"><Relationship Id=\"s1\" Type=\"" + rel +
                                         "/worksheet\" Target=\"./sheets/../s.xml\"/>"
                                         "</Relationships>"},
        {"book/s.xml", sheet},
    }));
    ASSERT_TRUE(r.status.is_ok()) << r.status.message();
    EXPECT_EQ(r.rows, (Rows{{"phone_number"}}));
}

TEST(Xlsx, DateStylesAndThe1904System) {
    const std::string rows = kHeader +
                             "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>43904</v></c>"
                             "<c r=\"B2\" s=\"2\"><v>0.75</v></c><c r=\"C2\" s=\"0\"><v>2.5</v></c>"
                             "<c r=\"D2\" s=\"9\"><v>7</v></c></row>";
    auto parts =
        workbook_parts(worksheet_xml(rows), std::nullopt,
                       styles_xml({0, 14, 165}, "<numFmt numFmtId=\"165\" formatCode=\"h:mm\"/>"));
    parts[2].data =
        "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<workbookPr date1904=\"1\"/><sheets><sheet name=\"L\" sheetId=\"1\" r:id=\"rId1\"/>"
        "</sheets></workbook>";
    Read r = read(zip_archive(parts));
    ASSERT_TRUE(r.status.is_ok()) << r.status.message();
    EXPECT_EQ(r.rows[1], (std::vector<std::string>{"2024-03-15", "18:00:00", "2.5", "7"}));
}

TEST(Xlsx, DocumentTypeDeclarationsAreRefusedBeforeAnyEntity) {
    const std::string laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&c;</t></is></c>"
        "</row></sheetData></worksheet>";
    EXPECT_EQ(error_of(xlsx_file(laughs)),
              "file is not a valid .xlsx workbook: xl/worksheets/sheet1.xml has a document type "
              "declaration (DTD)");
    const std::string external =
        "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<sst><si><t>&x;</t></si></sst>";
    expect_has(error_of(xlsx_file(worksheet_xml(kHeader), external)),
               std::string("xl/sharedStrings.xml has a document type declaration"));
    // Without a DTD an entity is simply undefined.
    expect_has(error_of(xlsx_file(worksheet_xml("<row><c t=\"inlineStr\"><is><t>&x;</t></is>"
                                                "</c></row>"))),
               std::string("xl/worksheets/sheet1.xml line 2: undefined entity"));
}

TEST(Xlsx, TextIsUtf8WhateverTheDeclaredEncoding) {
    // expat converts a declared Latin-1 part to UTF-8…
    const std::string latin1 =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet><sheetData><row r=\"1\">"
        "<c r=\"A1\" t=\"inlineStr\"><is><t>Jos\xE9</t></is></c></row></sheetData></worksheet>";
    Read r = read(xlsx_file(latin1));
    ASSERT_TRUE(r.status.is_ok()) << r.status.message();
    EXPECT_EQ(r.rows, (Rows{{"Jos\xC3\xA9"}}));
    // …and refuses bytes that are not UTF-8 in a UTF-8 part, surrogates and overlong forms too.
    for (const std::string bad : {"\xE9", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80"}) {
        expect_has(error_of(xlsx_file(worksheet_xml("<row><c t=\"inlineStr\"><is><t>a" + bad +
                                                    "</t></is></c></row>"))),
                   std::string("not well-formed (invalid token)"));
    }
    // An unknown encoding is refused too.
    expect_has(error_of(xlsx_file("<?xml version=\"1.0\" encoding=\"x-klingon\"?><worksheet/>")),
               std::string("unknown encoding"));
}

TEST(Xlsx, ArchivesThatAreNotWorkbooksNameTheProblem) {
    const std::string p = "file is not a valid .xlsx workbook: ";
    expect_has(error_of(std::string("PK\x03\x04", 4) + "not really a zip"),
               std::string(p + "the zip archive cannot be read ("));
    EXPECT_EQ(error_of(""), p + "the file is empty");
    EXPECT_EQ(error_of(zip_archive({{"hello.txt", "hi"}})), p + "it has no xl/workbook.xml");
    auto parts = workbook_parts(worksheet_xml(kHeader));
    parts[0].password = "secret";
    parts[4].password = "secret";
    EXPECT_EQ(error_of(zip_archive(parts)), p + "it is encrypted; save it without a password");

    parts = workbook_parts(worksheet_xml(kHeader));
    parts.erase(parts.begin() + 3);  // xl/_rels/workbook.xml.rels
    EXPECT_EQ(error_of(zip_archive(parts)), p + "it has no xl/_rels/workbook.xml.rels");
    parts = workbook_parts(worksheet_xml(kHeader));
    parts.erase(parts.begin() + 4);  // the sheet
    EXPECT_EQ(error_of(zip_archive(parts)),
              p + "it has no xl/worksheets/sheet1.xml (the first sheet (\"Leads\"))");
    parts = workbook_parts(worksheet_xml(kHeader));
    parts[2].data = "<workbook><sheets/></workbook>";
    EXPECT_EQ(error_of(zip_archive(parts)), p + "xl/workbook.xml lists no sheet");
    parts = workbook_parts("<chartsheet/>");
    EXPECT_EQ(error_of(zip_archive(parts)), p + "xl/worksheets/sheet1.xml is not a worksheet");
    parts = workbook_parts(worksheet_xml(kHeader));
    parts[3].data =
        "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/chartsheet\" Target=\"worksheets/sheet1.xml\"/>"
        "</Relationships>";
    EXPECT_EQ(error_of(zip_archive(parts)),
              p + "the first sheet (\"Leads\") is not a worksheet (a chart sheet?)");
    parts[3].data =
        "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/worksheet\" Target=\"../../outside.xml\"/>"
        "</Relationships>";
    EXPECT_EQ(error_of(zip_archive(parts)),
              p + "the first sheet (\"Leads\") is at \"../../outside.xml\"");
}

TEST(Xlsx, SheetStructureErrorsNameTheCell) {
    const std::string p = "file is not a valid .xlsx workbook: ";
    auto error_for = [&](const std::string& rows) {
        return error_of(xlsx_file(worksheet_xml(rows)));
    };
    EXPECT_EQ(error_for("<row r=\"3\"/><row r=\"2\"/>"),
              p + "xl/worksheets/sheet1.xml: row 2 comes after row 3");
    EXPECT_EQ(error_for("<row r=\"0\"/>"), p + "xl/worksheets/sheet1.xml: row number \"0\"");
    EXPECT_EQ(error_for("<row r=\"1\"><c r=\"B1\"/><c r=\"A1\"/></row>"),
              p + "xl/worksheets/sheet1.xml: cell A1 comes after cell B1");
    EXPECT_EQ(error_for("<row r=\"1\"><c r=\"A2\"/></row>"),
              p + "xl/worksheets/sheet1.xml: cell reference \"A2\" in row 1");
    EXPECT_EQ(error_for("<row r=\"1\"><c r=\"XFE1\"/></row>"),
              p + "xl/worksheets/sheet1.xml: cell reference \"XFE1\" in row 1");
    EXPECT_EQ(error_for("<row r=\"1\"><c r=\"A1\" t=\"q\"/></row>"),
              p + "xl/worksheets/sheet1.xml: cell A1 has the unknown type \"q\"");
    EXPECT_EQ(error_for("<row r=\"1\"><c r=\"A1\" t=\"b\"><v>2</v></c></row>"),
              p + "cell A1 is a boolean that is \"2\"");
    EXPECT_EQ(
        error_of(xlsx_file(worksheet_xml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row>"),
                           shared_strings_xml({"<t>a</t>"}))),
        p + "cell A1 refers to shared string \"1\", but xl/sharedStrings.xml has 1 strings");
}

// [SECTION] Limits

TEST(Xlsx, ColumnsPastTheLimitStopTheReadButEmptyCellsBeyondDoNot) {
    XlsxLimits l = generous();
    l.max_columns = 3;
    Read ok = read(
        xlsx_file(worksheet_xml("<row r=\"1\">" + inline_cell("A1", "a") + inline_cell("C1", "c") +
                                "<c r=\"Z1\" s=\"1\"/><c r=\"XFD1\"><v></v></c></row>")),
        l);
    ASSERT_TRUE(ok.status.is_ok()) << ok.status.message();
    EXPECT_EQ(ok.rows, (Rows{{"a", "", "c"}}));
    EXPECT_EQ(error_of(xlsx_file(worksheet_xml(kHeader + "<row r=\"2\">" + inline_cell("D2", "x") +
                                               "</row>")),
                       l),
              "sheet row 2: more than 3 columns");
}

TEST(Xlsx, TextIsLimitedAsTheCsvItWouldBeWhichBoundsSharedStringReuse) {
    // One 1000-byte shared string in 30 cells: 30,000 bytes of text from a few hundred bytes.
    std::string rows = kHeader;
    for (int i = 2; i <= 31; ++i) {
        rows += "<row r=\"" + std::to_string(i) + "\"><c r=\"A" + std::to_string(i) +
                "\" t=\"s\"><v>0</v></c></row>";
    }
    const std::string file = xlsx_file(
        worksheet_xml(rows), shared_strings_xml({"<t>" + std::string(1000, 'x') + "</t>"}));
    XlsxLimits l = generous();
    l.max_text_bytes = 20'000;
    Read r = read(file, l);
    EXPECT_EQ(r.status.message(),
              "The sheet holds more than 20000 bytes of text (the limit per upload, as for a CSV "
              "file; split the file)");
    EXPECT_EQ(r.rows.size(), 20u);  // 13 + 19 × 1001 bytes fit; the 20th string does not
    l.max_text_bytes = 40'000;
    EXPECT_TRUE(read(file, l).status.is_ok());
    // One long inline value stops as it is read.
    l.max_text_bytes = 100;
    EXPECT_EQ(error_of(xlsx_file(worksheet_xml("<row>" + inline_cell("A1", std::string(5000, 'y')) +
                                               "</row>")),
                       l),
              "The sheet holds more than 100 bytes of text (the limit per upload, as for a CSV "
              "file; split the file)");
}

TEST(Xlsx, TooManyEntriesAreRefusedBeforeAnyPartIsRead) {
    auto parts = workbook_parts(worksheet_xml(kHeader));
    for (int i = 0; i < 10; ++i) parts.push_back({"xl/media/m" + std::to_string(i), "x"});
    XlsxLimits l = generous();
    l.max_entries = 14;
    EXPECT_EQ(error_of(zip_archive(parts), l),
              "The .xlsx has more than 14 zip entries (the limit per upload)");
    l.max_entries = 15;
    EXPECT_TRUE(read(zip_archive(parts), l).status.is_ok());
}

TEST(Xlsx, StylesAndRelationshipsTakeBoundedMemory) {
    // 70,000 cell formats and as many custom number formats: the first 65,536 of each count,
    // later cells read as General.
    std::vector<int> formats(70'000, 164);
    formats[3] = 14;
    std::string custom;
    for (int i = 0; i < 70'000; ++i) {
        custom += "<numFmt numFmtId=\"" + std::to_string(200 + i) + "\" formatCode=\"0.0\"/>";
    }
    custom += "<numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/>";
    const std::string rows = kHeader +
                             "<row r=\"2\"><c r=\"A2\" s=\"3\"><v>45366</v></c>"
                             "<c r=\"B2\" s=\"65535\"><v>45366</v></c>"
                             "<c r=\"C2\" s=\"65536\"><v>45366</v></c></row>";
    Read r = read(xlsx_file(worksheet_xml(rows), std::nullopt, styles_xml(formats, custom)));
    ASSERT_TRUE(r.status.is_ok()) << r.status.message();
    // 164 is the 65,537th custom format: not kept, so s="65535" shows a number.
    EXPECT_EQ(r.rows[1], (std::vector<std::string>{"2024-03-15", "45366", "45366"}));

    auto parts = workbook_parts(worksheet_xml(kHeader));
    std::string rels = "<Relationships>";
    for (int i = 0; i <= 65'536; ++i) {
        rels += "<Relationship Id=\"x" + std::to_string(i) + "\" Type=\"t\" Target=\"t\"/>";
    }
    parts[3].data = rels + "</Relationships>";
    EXPECT_EQ(error_of(zip_archive(parts)),
              "file is not a valid .xlsx workbook: xl/_rels/workbook.xml.rels has more than 65536 "
              "relationships");
}

TEST(Xlsx, ACallbackErrorStopsTheReadAndIsPassedThrough) {
    std::string rows;
    for (int i = 1; i <= 5; ++i)
        rows += "<row>" + inline_cell("A" + std::to_string(i), "v") + "</row>";
    int calls = 0;
    Status st = for_each_xlsx_record(xlsx_file(worksheet_xml(rows)), generous(), [&](CsvRecord&) {
        return ++calls == 2 ? Status::invalid("stop here") : Status::ok();
    });
    EXPECT_EQ(st.message(), "stop here");
    EXPECT_EQ(calls, 2);
}

TEST(Xlsx, DetectsWorkbooksByBytesNameOrType) {
    EXPECT_TRUE(looks_like_xlsx(std::string("PK\x03\x04", 4), "leads.csv", "text/csv"));
    EXPECT_TRUE(looks_like_xlsx(std::string("PK\x05\x06", 4), "", ""));
    EXPECT_TRUE(looks_like_xlsx("phone_number\n", "Leads.XLSX", ""));
    EXPECT_TRUE(looks_like_xlsx(
        "x", "f", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    EXPECT_FALSE(looks_like_xlsx("phone_number\n+14155552671\n", "leads.csv", "text/csv"));
    EXPECT_FALSE(looks_like_xlsx("PK", "", ""));
    EXPECT_TRUE(looks_like_compound_file(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", 12)));
    EXPECT_FALSE(looks_like_compound_file("phone_number"));
}

}  // namespace
}  // namespace leadflow::server::testing
