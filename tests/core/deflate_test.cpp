// Raw DEFLATE and base64url: round trips, streams made by zlib (stored, fixed, dynamic, RLE
// blocks) decode exactly, and damaged input fails cleanly instead of crashing.
#include "leadflow/deflate.hpp"

#include <gtest/gtest.h>

#include <cstdint>

#include "test_util.hpp"

namespace leadflow {
namespace {

// A small portable generator for test data (tests need no std::random).
std::string pseudo_random_text(std::size_t n, std::uint32_t seed, int alphabet) {
    std::string s(n, ' ');
    std::uint32_t x = seed;
    for (auto& c : s) {
        x = x * 1664525u + 1013904223u;
        c = static_cast<char>('a' + (x >> 24) % static_cast<std::uint32_t>(alphabet));
    }
    return s;
}

void expect_round_trip(const std::string& data) {
    const std::string packed = deflate_raw(data);
    auto back = inflate_raw(packed);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, data);
}

TEST(Deflate, RoundTrips) {
    expect_round_trip("");
    expect_round_trip("a");
    expect_round_trip("ab");
    expect_round_trip(std::string(100000, 'x'));  // long runs: length 258, distance 1
    expect_round_trip(testing::read_fixture("lead_nurture.json"));
    expect_round_trip(pseudo_random_text(70000, 7, 26));  // spans several 16K-symbol blocks
    expect_round_trip(pseudo_random_text(5000, 9, 2));
    std::string all_bytes;
    for (int i = 0; i < 256 * 40; ++i) all_bytes.push_back(static_cast<char>((i * 7919) & 0xff));
    expect_round_trip(all_bytes);
}

TEST(Deflate, CompressesJson) {
    const std::string json = testing::read_fixture("lead_nurture.json");
    const std::string packed = deflate_raw(json);
    EXPECT_LT(packed.size(), json.size() / 4) << "ratio " << json.size() << "/" << packed.size();
    EXPECT_EQ(deflate_raw(json), packed);  // deterministic
}

TEST(Deflate, ReadsEveryBlockTypeMadeByZlib) {
    const std::string expected = testing::read_fixture("lead_nurture.json");
    for (const char* name : {"zlib/lead_nurture.level9.deflate", "zlib/lead_nurture.level0.deflate",
                             "zlib/lead_nurture.fixed.deflate", "zlib/lead_nurture.rle.deflate"}) {
        const std::string stream = testing::read_fixture(name);
        ASSERT_FALSE(stream.empty()) << name;
        auto out = inflate_raw(stream);
        ASSERT_TRUE(out.ok()) << name << ": " << out.status().message();
        EXPECT_EQ(*out, expected) << name;
    }
}

TEST(Deflate, DamagedStreamsFailCleanly) {
    const std::string good = deflate_raw(testing::read_fixture("lead_nurture.json"));
    // Every truncation fails (or, rarely, decodes to something shorter) but never crashes.
    for (std::size_t n = 0; n < good.size(); n += 7) {
        auto r = inflate_raw(good.substr(0, n));
        if (r.ok()) {
            EXPECT_LT(r->size(), 4000u);
        }
    }
    // Flipped bits: no crash, any error message says the data is corrupt.
    for (std::size_t i = 0; i < good.size(); i += 5) {
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ 0x5a);
        auto r = inflate_raw(bad);
        if (!r.ok()) {
            EXPECT_NE(r.status().message().find("corrupt"), std::string::npos);
        }
    }
    EXPECT_FALSE(inflate_raw(std::string("\x07", 1)).ok());  // block type 3
    EXPECT_FALSE(inflate_raw("").ok());
}

TEST(Deflate, OutputLimitStopsBombs) {
    const std::string packed = deflate_raw(std::string(1 << 20, 'z'));
    EXPECT_LT(packed.size(), 4096u);
    auto r = inflate_raw(packed, 1000);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("larger than allowed"), std::string::npos);
}

TEST(Base64Url, KnownVectors) {
    // RFC 4648 §10 vectors, without padding.
    EXPECT_EQ(base64url_encode(""), "");
    EXPECT_EQ(base64url_encode("f"), "Zg");
    EXPECT_EQ(base64url_encode("fo"), "Zm8");
    EXPECT_EQ(base64url_encode("foo"), "Zm9v");
    EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
    EXPECT_EQ(*base64url_decode("Zm9vYg"), "foob");
    EXPECT_EQ(*base64url_decode("Zm9vYg=="), "foob");
    EXPECT_EQ(*base64url_decode("-_8"), "\xfb\xff");
    EXPECT_EQ(*base64url_decode("+/8"), "\xfb\xff");
    auto bad = base64url_decode("Zm9v*g");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.status().message().find("position 4"), std::string::npos);
    EXPECT_FALSE(base64url_decode("Z").ok());
}

}  // namespace
}  // namespace leadflow
