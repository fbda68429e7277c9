// server/util/utf8.cpp — a table-free UTF-8 validator (Unicode 15, table 3-7).
#include "util/utf8.hpp"

namespace leadflow::server {

std::size_t invalid_utf8_offset(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        // The lead byte fixes the length and the range of the first continuation byte, which
        // excludes overlongs (E0, F0), surrogates (ED) and code points above U+10FFFF (F4).
        std::size_t len = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c == 0xE0) {
            len = 3;
            lo = 0xA0;
        } else if (c == 0xED) {
            len = 3;
            hi = 0x9F;
        } else if (c >= 0xE1 && c <= 0xEF) {
            len = 3;
        } else if (c == 0xF0) {
            len = 4;
            lo = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            len = 4;
        } else if (c == 0xF4) {
            len = 4;
            hi = 0x8F;
        } else {
            return i;  // 80–C1 (continuation or overlong lead) and F5–FF never start a sequence
        }
        if (n - i < len) return i;
        if (p[i + 1] < lo || p[i + 1] > hi) return i;
        for (std::size_t k = 2; k < len; ++k) {
            if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
        }
        i += len;
    }
    return n;
}

bool is_valid_utf8(std::string_view s) {
    return invalid_utf8_offset(s) == s.size();
}

}  // namespace leadflow::server
