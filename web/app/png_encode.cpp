// web/app/png_encode.cpp — see png_encode.hpp.
#include "png_encode.hpp"

#include <array>
#include <cstdlib>

#include "leadflow/deflate.hpp"

namespace leadflow::web {

namespace {

constexpr int kMaxSide = 16384;

const std::array<std::uint32_t, 256>& crc_table() {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    return table;
}

void put_u32(std::string& out, std::uint32_t v) {
    out += static_cast<char>(v >> 24);
    out += static_cast<char>(v >> 16);
    out += static_cast<char>(v >> 8);
    out += static_cast<char>(v);
}

void chunk(std::string& out, const char* type, std::string_view data) {
    put_u32(out, static_cast<std::uint32_t>(data.size()));
    std::string body(type, 4);
    body.append(data);
    out += body;
    put_u32(out, png_crc32(body));
}

// Sum of the filtered bytes read as signed values: the usual heuristic for picking a filter.
long cost(std::string_view row) {
    long sum = 0;
    for (char c : row) sum += std::labs(static_cast<signed char>(c));
    return sum;
}

}  // namespace

std::uint32_t png_crc32(std::string_view bytes) {
    const auto& t = crc_table();
    std::uint32_t c = 0xFFFFFFFFu;
    for (char ch : bytes) c = t[(c ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::uint32_t adler32(std::string_view bytes) {
    std::uint32_t a = 1, b = 0;
    for (char ch : bytes) {
        a = (a + static_cast<unsigned char>(ch)) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

std::string encode_png_rgba(std::string_view rgba, int width, int height) {
    if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide) return "";
    const std::size_t stride = static_cast<std::size_t>(width) * 4;
    if (rgba.size() != stride * static_cast<std::size_t>(height)) return "";
    // Filtered scanlines: a filter-type byte, then the row (None) or its difference from the
    // row above (Up), whichever looks cheaper to compress.
    std::string raw;
    raw.reserve((stride + 1) * static_cast<std::size_t>(height));
    std::string up(stride, '\0');
    for (int y = 0; y < height; ++y) {
        const std::string_view row = rgba.substr(stride * static_cast<std::size_t>(y), stride);
        if (y > 0) {
            const std::string_view prev =
                rgba.substr(stride * static_cast<std::size_t>(y - 1), stride);
            for (std::size_t i = 0; i < stride; ++i) {
                up[i] = static_cast<char>(static_cast<unsigned char>(row[i]) -
                                          static_cast<unsigned char>(prev[i]));
            }
        }
        if (y > 0 && cost(up) < cost(row)) {
            raw += '\2';
            raw += up;
        } else {
            raw += '\0';
            raw.append(row);
        }
    }
    std::string z = "\x78\x9c";  // zlib: deflate, 32K window, default level (check bits valid)
    z += deflate_raw(raw);
    put_u32(z, adler32(raw));

    std::string png = "\x89PNG\r\n\x1a\n";
    std::string ihdr;
    put_u32(ihdr, static_cast<std::uint32_t>(width));
    put_u32(ihdr, static_cast<std::uint32_t>(height));
    ihdr += '\x08';                // bit depth
    ihdr += '\x06';                // colour type: RGBA
    ihdr += std::string(3, '\0');  // compression, filter method, no interlace
    chunk(png, "IHDR", ihdr);
    chunk(png, "IDAT", z);
    chunk(png, "IEND", "");
    return png;
}

}  // namespace leadflow::web
