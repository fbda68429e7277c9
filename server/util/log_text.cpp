// server/util/log_text.cpp — see log_text.hpp.
#include "util/log_text.hpp"

#include <cstdio>

namespace leadflow::server {

std::string log_escape(std::string_view s, std::size_t max) {
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size() < max ? s.size() : max);
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        char piece[4];
        std::size_t n = 0;
        if (c < 0x20 || c >= 0x7F) {
            piece[0] = '\\';
            piece[1] = 'x';
            piece[2] = kHex[c >> 4];
            piece[3] = kHex[c & 0xF];
            n = 4;
        } else if (c == '\\' || c == '"') {
            piece[0] = '\\';
            piece[1] = static_cast<char>(c);
            n = 2;
        } else {
            piece[0] = static_cast<char>(c);
            n = 1;
        }
        if (out.size() + n > max) {
            out += "...(" + std::to_string(s.size()) + " bytes)";
            return out;
        }
        out.append(piece, n);
    }
    return out;
}

void log_line(const std::string& message) {
    const std::string line = "leadflow-server: " + message + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace leadflow::server
