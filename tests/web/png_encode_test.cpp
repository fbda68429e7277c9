// PNG files from RGBA pixels (web/app/png_encode.hpp), decoded again with the core's inflater:
// signature, IHDR, chunk CRCs, zlib framing and every pixel.
#include "png_encode.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "leadflow/deflate.hpp"

namespace leadflow::web {
namespace {

std::uint32_t be32(const std::string& s, std::size_t at) {
    return (std::uint32_t(std::uint8_t(s[at])) << 24) |
           (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

// Decodes what encode_png_rgba writes (one IDAT, filters None and Up) back to RGBA.
std::string decode(const std::string& png, int* w, int* h) {
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    std::size_t at = 8;
    std::string idat;
    while (at + 12 <= png.size()) {
        const std::uint32_t len = be32(png, at);
        const std::string type = png.substr(at + 4, 4);
        const std::string data = png.substr(at + 8, len);
        EXPECT_EQ(be32(png, at + 8 + len), png_crc32(png.substr(at + 4, 4 + len))) << type;
        if (type == "IHDR") {
            *w = static_cast<int>(be32(data, 0));
            *h = static_cast<int>(be32(data, 4));
            EXPECT_EQ(data.substr(8), std::string("\x08\x06\0\0\0", 5));
        } else if (type == "IDAT") {
            idat += data;
        }
        at += 12 + len;
    }
    EXPECT_EQ(at, png.size());
    EXPECT_EQ((std::uint8_t(idat[0]) * 256 + std::uint8_t(idat[1])) % 31, 0);  // zlib check bits
    Result<std::string> raw = inflate_raw(idat.substr(2, idat.size() - 6));
    EXPECT_TRUE(raw.ok());
    EXPECT_EQ(be32(idat, idat.size() - 4), adler32(*raw));
    const std::size_t stride = static_cast<std::size_t>(*w) * 4;
    std::string out;
    for (int y = 0; y < *h; ++y) {
        const char filter = (*raw)[(stride + 1) * y];
        std::string row = raw->substr((stride + 1) * y + 1, stride);
        if (filter == 2) {
            for (std::size_t i = 0; i < stride; ++i) {
                row[i] = static_cast<char>(std::uint8_t(row[i]) +
                                           std::uint8_t(out[out.size() - stride + i]));
            }
        } else {
            EXPECT_EQ(filter, 0);
        }
        out += row;
    }
    return out;
}

TEST(PngEncode, KnownChecksums) {
    EXPECT_EQ(png_crc32("IEND"), 0xAE426082u);
    EXPECT_EQ(png_crc32("123456789"), 0xCBF43926u);
    EXPECT_EQ(adler32("Wikipedia"), 0x11E60398u);
}

TEST(PngEncode, PixelsSurviveARoundTrip) {
    const int w = 37, h = 23;
    std::string rgba;
    std::uint32_t seed = 12345;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            seed = seed * 1664525u + 1013904223u;
            // Smooth areas (Up filter pays) and noise (None pays).
            const bool noisy = y > h / 2;
            rgba += static_cast<char>(noisy ? seed >> 24 : x * 7);
            rgba += static_cast<char>(noisy ? seed >> 16 : 100);
            rgba += static_cast<char>(y * 11);
            rgba += static_cast<char>(255);
        }
    }
    const std::string png = encode_png_rgba(rgba, w, h);
    int dw = 0, dh = 0;
    EXPECT_EQ(decode(png, &dw, &dh), rgba);
    EXPECT_EQ(dw, w);
    EXPECT_EQ(dh, h);
    // A flat image compresses to a small file.
    const std::string flat(640 * 480 * 4, '\x40');
    const std::string small = encode_png_rgba(flat, 640, 480);
    EXPECT_LT(small.size(), 20000u);
    EXPECT_EQ(decode(small, &dw, &dh), flat);
}

TEST(PngEncode, RefusesBadSizes) {
    EXPECT_EQ(encode_png_rgba("", 0, 0), "");
    EXPECT_EQ(encode_png_rgba(std::string(4, 'x'), 1, 2), "");
    EXPECT_EQ(encode_png_rgba(std::string(4, 'x'), -1, -1), "");
    EXPECT_EQ(encode_png_rgba(std::string(16, 'x'), 2, 2).empty(), false);
    EXPECT_EQ(encode_png_rgba(std::string(4 * 20000, 'x'), 20000, 1), "");
}

}  // namespace
}  // namespace leadflow::web
