// tests/server/csv_test.cpp — the RFC 4180 reader and phone normalization.
#include "util/csv.hpp"

#include <gtest/gtest.h>

#include "util/phone.hpp"

namespace leadflow::server {
namespace {

std::vector<std::vector<std::string>> fields(const Result<std::vector<CsvRecord>>& r) {
    std::vector<std::vector<std::string>> out;
    for (const auto& rec : r.value()) out.push_back(rec.fields);
    return out;
}

TEST(Csv, ParsesQuotedFieldsWithCommasQuotesAndNewlines) {
    auto r = parse_csv("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(fields(r), (std::vector<std::vector<std::string>>{
                             {"a", "b", "c"}, {"x, y", "say \"hi\"", "two\nlines"}}));
    EXPECT_EQ(r.value()[1].line, 2u);
}

TEST(Csv, SkipsByteOrderMarkAndHandlesCrlfAndMissingFinalNewline) {
    auto r = parse_csv("\xEF\xBB\xBFphone_number,name\r\n+14155552671,Ann\r\n+14155552672,Bob");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(fields(r),
              (std::vector<std::vector<std::string>>{
                  {"phone_number", "name"}, {"+14155552671", "Ann"}, {"+14155552672", "Bob"}}));
}

TEST(Csv, KeepsEmptyFieldsAndSkipsBlankLines) {
    auto r = parse_csv("a,b\n\n,\n\"\",x\n");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(fields(r), (std::vector<std::vector<std::string>>{{"a", "b"}, {"", ""}, {"", "x"}}));
}

TEST(Csv, RejectsUnterminatedQuoteAndStrayQuotes) {
    auto r = parse_csv("a,b\n\"open,x\n");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("line 2"), std::string::npos);
    EXPECT_FALSE(parse_csv("a,b\nx\"y,z\n").ok());
    EXPECT_FALSE(parse_csv("a,b\n\"x\"y,z\n").ok());
}

TEST(Phone, NormalizesNationalAndInternationalForms) {
    EXPECT_EQ(normalize_phone("(415) 555-2671", "US").value(), "+14155552671");
    EXPECT_EQ(normalize_phone("+91 98765 43210", "US").value(), "+919876543210");
    EXPECT_EQ(normalize_phone("098765 43210", "IN").value(), "+919876543210");
    EXPECT_FALSE(normalize_phone("12345", "US").ok());
    EXPECT_FALSE(normalize_phone("not a number", "US").ok());
    EXPECT_FALSE(normalize_phone("+1 555 000 0000", "US").ok());  // not a valid US number
    EXPECT_TRUE(is_valid_e164("+14155552671"));
    EXPECT_FALSE(is_valid_e164("+15550000000"));
    EXPECT_TRUE(is_known_region("IN"));
    EXPECT_FALSE(is_known_region("XX"));
}

}  // namespace
}  // namespace leadflow::server
