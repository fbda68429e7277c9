// server/util/json_text.cpp — see json_text.hpp.
//
// Only the common case is written by hand: strings of printable ASCII (escapes included) and
// timestamps of years 0–9999. Anything else (non-ASCII text, whose UTF-8 must be checked and
// possibly replaced) goes through the Json serializer, so the output never differs from it.
#include "util/json_text.hpp"

#include "leadflow/json.hpp"

namespace leadflow::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_digits(std::string& out, std::int64_t v, int width) {
    char buf[24];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n < width) buf[n++] = '0';
    while (n > 0) out.push_back(buf[--n]);
}

}  // namespace

void append_json_int(std::string& out, std::int64_t v) {
    if (v < 0) {
        out += std::to_string(v);
        return;
    }
    append_digits(out, v, 1);
}

void append_json_string(std::string& out, std::string_view s) {
    const std::size_t mark = out.size();
    out.push_back('"');
    std::size_t run = 0;  // start of the bytes not yet copied
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) continue;
        if (c >= 0x80) {
            out.resize(mark);
            out += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
            return;
        }
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 0xF]);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

void append_json_optional_string(std::string& out, const std::optional<std::string>& s) {
    if (s) {
        append_json_string(out, *s);
    } else {
        out += "null";
    }
}

void append_json_time(std::string& out, const std::optional<TimeMs>& t) {
    if (!t) {
        out += "null";
        return;
    }
    const CivilDateTime c = civil_from_ms(*t);
    if (c.date.year < 0 || c.date.year > 9999) {
        append_json_string(out, format_timestamp(*t));
        return;
    }
    // "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", as format_timestamp writes it.
    out.push_back('"');
    append_digits(out, c.date.year, 4);
    out.push_back('-');
    append_digits(out, c.date.month, 2);
    out.push_back('-');
    append_digits(out, c.date.day, 2);
    out.push_back('T');
    append_digits(out, c.hour, 2);
    out.push_back(':');
    append_digits(out, c.minute, 2);
    out.push_back(':');
    append_digits(out, c.second, 2);
    out.push_back('.');
    append_digits(out, c.millisecond, 3);
    out += "Z\"";
}

}  // namespace leadflow::server
