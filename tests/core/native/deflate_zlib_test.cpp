// Cross-check against zlib, the reference implementation: zlib inflates what deflate_raw
// writes, and inflate_raw reads what zlib writes at every level and strategy.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>

#include "leadflow/deflate.hpp"

namespace leadflow {
namespace {

std::string zlib_inflate(const std::string& in, std::size_t expected) {
    std::string out(expected + 16, '\0');
    z_stream s{};
    EXPECT_EQ(inflateInit2(&s, -15), Z_OK);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    s.avail_in = static_cast<uInt>(in.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&s, Z_FINISH), Z_STREAM_END);
    out.resize(s.total_out);
    inflateEnd(&s);
    return out;
}

std::string zlib_deflate(const std::string& in, int level, int strategy) {
    std::string out(compressBound(static_cast<uLong>(in.size())) + 64, '\0');
    z_stream s{};
    EXPECT_EQ(deflateInit2(&s, level, Z_DEFLATED, -15, 8, strategy), Z_OK);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    s.avail_in = static_cast<uInt>(in.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
    out.resize(s.total_out);
    deflateEnd(&s);
    return out;
}

std::vector<std::string> corpus() {
    std::vector<std::string> c = {"", "a", std::string(300000, 'q')};
    std::uint32_t x = 1;
    for (int alphabet : {2, 4, 16, 64, 256}) {
        std::string s(50000, ' ');
        for (auto& ch : s) {
            x = x * 1664525u + 1013904223u;
            ch = static_cast<char>((x >> 24) % static_cast<std::uint32_t>(alphabet));
        }
        c.push_back(s);
    }
    std::string words;
    for (int i = 0; i < 4000; ++i) words += "{\"node_" + std::to_string(i % 97) + "\":[1,2,3]},";
    c.push_back(words);
    return c;
}

TEST(DeflateZlib, ZlibReadsOurs) {
    for (const std::string& data : corpus()) {
        EXPECT_EQ(zlib_inflate(deflate_raw(data), data.size()), data) << data.size();
    }
}

TEST(DeflateZlib, WeReadZlib) {
    for (const std::string& data : corpus()) {
        for (int level : {0, 1, 6, 9}) {
            for (int strategy : {Z_DEFAULT_STRATEGY, Z_FIXED, Z_RLE, Z_HUFFMAN_ONLY}) {
                auto out = inflate_raw(zlib_deflate(data, level, strategy), 1u << 24);
                ASSERT_TRUE(out.ok()) << out.status().message();
                EXPECT_EQ(*out, data) << "level " << level << " strategy " << strategy;
            }
        }
    }
}

}  // namespace
}  // namespace leadflow
