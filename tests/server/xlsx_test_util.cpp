// tests/server/xlsx_test_util.cpp — in-memory workbooks (libzip writes into a buffer source).
#include "xlsx_test_util.hpp"

#include <zip.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace leadflow::server::testing {
namespace {

const char* kDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const char* kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const char* kRelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

void check(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error("zip_archive: " + what);
}

}  // namespace

std::string zip_archive(const std::vector<ZipPart>& parts) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
    check(out != nullptr, "buffer");
    zip_source_keep(out);
    zip_t* zip = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    check(zip != nullptr, "open");
    for (const ZipPart& p : parts) {
        zip_source_t* src = zip_source_buffer(zip, p.data.data(), p.data.size(), 0);
        check(src != nullptr, "source");
        const zip_int64_t index = zip_file_add(zip, p.name.c_str(), src, ZIP_FL_ENC_UTF_8);
        check(index >= 0, "add " + p.name);
        const auto i = static_cast<zip_uint64_t>(index);
        check(zip_set_file_compression(zip, i, p.deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) == 0,
              "compression");
        zip_file_set_mtime(zip, i, 1710495000, 0);  // fixed, so that archives are reproducible
        if (!p.password.empty()) {
            check(zip_file_set_encryption(zip, i, ZIP_EM_AES_256, p.password.c_str()) == 0,
                  "encryption");
        }
    }
    check(zip_close(zip) == 0, "close");
    check(zip_source_open(out) == 0, "reopen");
    zip_source_seek(out, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(out);
    zip_source_seek(out, 0, SEEK_SET);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    check(zip_source_read(out, bytes.data(), bytes.size()) == size, "read");
    zip_source_close(out);
    zip_source_free(out);
    zip_error_fini(&error);
    return bytes;
}

std::string worksheet_xml(const std::string& rows) {
    return std::string(kDecl) + "<worksheet xmlns=\"" + kMainNs + "\" xmlns:r=\"" + kRelNs +
           "\"><sheetData>" + rows + "</sheetData></worksheet>";
}

std::string shared_strings_xml(const std::vector<std::string>& items) {
    std::string s = std::string(kDecl) + "<sst xmlns=\"" + kMainNs + "\">";
    for (const std::string& i : items) s += "<si>" + i + "</si>";
    return s + "</sst>";
}

std::string styles_xml(const std::vector<int>& cell_formats, const std::string& custom) {
    std::string s = std::string(kDecl) + "<styleSheet xmlns=\"" + kMainNs + "\">";
    if (!custom.empty()) s += "<numFmts>" + custom + "</numFmts>";
    // A differential format's numFmt and the cell style formats are not cell formats.
    s += "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs><cellXfs>";
    for (int f : cell_formats) s += "<xf numFmtId=\"" + std::to_string(f) + "\" xfId=\"0\"/>";
    return s + "</cellXfs><dxfs><dxf><numFmt numFmtId=\"0\" formatCode=\"yyyy\"/></dxf></dxfs>" +
           "</styleSheet>";
}

std::vector<ZipPart> workbook_parts(const std::string& sheet_xml,
                                    const std::optional<std::string>& shared,
                                    const std::optional<std::string>& styles) {
    const std::string rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships";
    auto rel = [&](const std::string& id, const std::string& kind, const std::string& target) {
        return "<Relationship Id=\"" + id + "\" Type=\"" + kRelNs + "/" + kind + "\" Target=\"" +
               target + "\"/>";
    };
    std::string book_rels = std::string(kDecl) + "<Relationships xmlns=\"" + rels_ns + "\">" +
                            rel("rId1", "worksheet", "worksheets/sheet1.xml");
    if (shared) book_rels += rel("rId2", "sharedStrings", "sharedStrings.xml");
    if (styles) book_rels += rel("rId3", "styles", "styles.xml");
    book_rels += "</Relationships>";
    std::vector<ZipPart> parts = {
        {"[Content_Types].xml",
         std::string(kDecl) +
             "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>"},
        {"_rels/.rels", std::string(kDecl) + "<Relationships xmlns=\"" + rels_ns + "\">" +
                            rel("rId1", "officeDocument", "xl/workbook.xml") + "</Relationships>"},
        {"xl/workbook.xml", std::string(kDecl) + "<workbook xmlns=\"" + kMainNs + "\" xmlns:r=\"" +
                                kRelNs +
                                "\"><sheets><sheet name=\"Leads\" sheetId=\"1\" r:id=\"rId1\"/>"
                                "</sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels", book_rels},
        {"xl/worksheets/sheet1.xml", sheet_xml},
    };
    if (shared) parts.push_back({"xl/sharedStrings.xml", *shared});
    if (styles) parts.push_back({"xl/styles.xml", *styles});
    return parts;
}

std::string xlsx_file(const std::string& sheet_xml, const std::optional<std::string>& shared,
                      const std::optional<std::string>& styles) {
    return zip_archive(workbook_parts(sheet_xml, shared, styles));
}

std::string xlsx_fixture(const std::string& name) {
    const std::string path = std::string(LEADFLOW_FIXTURES_DIR) + "/xlsx/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace leadflow::server::testing
