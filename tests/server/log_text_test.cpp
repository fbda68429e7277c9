// log_escape(): what tenant-controlled text looks like in the server's log.
#include "util/log_text.hpp"

#include <gtest/gtest.h>

namespace leadflow::server {
namespace {

TEST(LogEscape, KeepsPrintableAsciiAndEscapesEverythingElse) {
    EXPECT_EQ(log_escape("GET /v1/workflows?x=1"), "GET /v1/workflows?x=1");
    EXPECT_EQ(log_escape("a\nleadflow-server: forged"), "a\\x0aleadflow-server: forged");
    EXPECT_EQ(log_escape("\r\t\x1b[31m\x7f"), "\\x0d\\x09\\x1b[31m\\x7f");
    EXPECT_EQ(log_escape(std::string("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(log_escape("Jos\xe9"), "Jos\\xe9");
    EXPECT_EQ(log_escape("\xc3\xa9"), "\\xc3\\xa9");  // non-ASCII UTF-8 too
    EXPECT_EQ(log_escape("say \"hi\" \\ bye"), "say \\\"hi\\\" \\\\ bye");
}

TEST(LogEscape, NoOutputByteIsAControlOrNonAsciiByte) {
    std::string all;
    for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
    const std::string out = log_escape(all, 10000);
    for (char ch : out) {
        const auto c = static_cast<unsigned char>(ch);
        EXPECT_TRUE(c >= 0x20 && c < 0x7f) << static_cast<int>(c);
    }
    EXPECT_EQ(out.size(), 32 * 4 + 95 + 2 + 129 * 4u);
}

TEST(LogEscape, CapsTheLengthAtAnEscapeBoundary) {
    EXPECT_EQ(log_escape(std::string(10, 'a'), 10), std::string(10, 'a'));
    EXPECT_EQ(log_escape(std::string(11, 'a'), 10), std::string(10, 'a') + "...(11 bytes)");
    // An escape is never cut in half.
    EXPECT_EQ(log_escape("abcdefgh\n", 10), "abcdefgh...(9 bytes)");
    EXPECT_EQ(log_escape(std::string(100000, '\n')).size(),
              kLogTextMax / 4 * 4 + std::string("...(100000 bytes)").size());
}

}  // namespace
}  // namespace leadflow::server
