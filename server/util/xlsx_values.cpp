// server/util/xlsx_values.cpp — cell values of a workbook as text (decimal strings are rewritten
// digit by digit, so that no binary floating point rounds a phone number).
#include "util/xlsx_values.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "leadflow/civil_time.hpp"

namespace leadflow::server {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

char lower_ascii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    c = lower_ascii(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// Significant digits a spreadsheet keeps and shows of a number.
constexpr std::size_t kShownDigits = 15;
// The largest serial number a date format shows (9999-12-31 in the 1900 system).
constexpr double kMaxSerial = 2958465.0;

}  // namespace

XlsxNumberKind xlsx_number_kind(int format_id, std::string_view code) {
    if (code.empty()) {
        if (format_id == 22) return XlsxNumberKind::kDateTime;
        if ((format_id >= 14 && format_id <= 17) || (format_id >= 27 && format_id <= 36) ||
            (format_id >= 50 && format_id <= 58)) {
            return XlsxNumberKind::kDate;
        }
        if ((format_id >= 18 && format_id <= 21) || (format_id >= 45 && format_id <= 47)) {
            return XlsxNumberKind::kTime;
        }
        return XlsxNumberKind::kNumber;
    }
    bool date = false, time = false, month_or_minute = false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = lower_ascii(code[i]);
        if (c == ';') break;  // the first section (positive numbers) decides
        if (c == '"') {
            const std::size_t close = code.find('"', i + 1);
            if (close == std::string_view::npos) break;
            i = close;
        } else if (c == '\\' || c == '_' || c == '*') {
            ++i;  // an escaped, padding or fill character
        } else if (c == '[') {
            const std::size_t close = code.find(']', i + 1);
            if (close == std::string_view::npos) break;
            // [h], [mm], [ss]: elapsed time; anything else ([Red], [$€-407], [>100]) is not.
            const std::string_view inner = code.substr(i + 1, close - i - 1);
            bool elapsed = !inner.empty();
            for (char x : inner)
                elapsed = elapsed &&
                          (lower_ascii(x) == 'h' || lower_ascii(x) == 'm' || lower_ascii(x) == 's');
            time = time || elapsed;
            i = close;
        } else if (c == 'y' || c == 'd') {
            date = true;
        } else if (c == 'h' || c == 's') {
            time = true;
        } else if (c == 'm') {
            month_or_minute = true;
        }
    }
    // An m is a month unless the section has hours or seconds and no date part.
    date = date || (month_or_minute && !time);
    if (date && time) return XlsxNumberKind::kDateTime;
    if (date) return XlsxNumberKind::kDate;
    if (time) return XlsxNumberKind::kTime;
    return XlsxNumberKind::kNumber;
}

std::string xlsx_number_text(std::string_view stored) {
    const std::string raw(stored);
    std::size_t i = 0;
    const std::size_t n = stored.size();
    bool negative = false;
    if (i < n && (stored[i] == '+' || stored[i] == '-')) negative = stored[i++] == '-';
    std::string digits;
    std::int64_t point = 0;  // digits before the decimal point
    while (i < n && is_digit(stored[i])) digits.push_back(stored[i++]);
    point = static_cast<std::int64_t>(digits.size());
    if (i < n && stored[i] == '.') {
        ++i;
        while (i < n && is_digit(stored[i])) digits.push_back(stored[i++]);
    }
    if (digits.empty()) return raw;
    if (i < n && (stored[i] == 'e' || stored[i] == 'E')) {
        ++i;
        bool negative_exponent = false;
        if (i < n && (stored[i] == '+' || stored[i] == '-')) negative_exponent = stored[i++] == '-';
        const std::size_t start = i;
        std::int64_t exponent = 0;
        while (i < n && is_digit(stored[i])) {
            exponent = exponent * 10 + (stored[i++] - '0');
            if (exponent > 100'000) return raw;
        }
        if (i == start) return raw;
        point += negative_exponent ? -exponent : exponent;
    }
    if (i != n) return raw;

    const std::size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) return "0";
    digits.erase(0, first);
    point -= static_cast<std::int64_t>(first);
    if (digits.size() > kShownDigits) {
        const bool up = digits[kShownDigits] >= '5';
        digits.resize(kShownDigits);
        if (up) {
            std::size_t k = kShownDigits;
            while (k > 0 && digits[k - 1] == '9') digits[--k] = '0';
            if (k == 0) {
                digits.insert(digits.begin(), '1');
                ++point;
            } else {
                ++digits[k - 1];
            }
        }
    }
    digits.erase(digits.find_last_not_of('0') + 1);
    // 0.d × 10^point: at least 1e21 when point > 21, below 1e-7 when point < -6.
    if (point > 21 || point < -6) return raw;

    std::string out = negative ? "-" : "";
    const auto size = static_cast<std::int64_t>(digits.size());
    if (point <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-point), '0');
        out += digits;
    } else if (point >= size) {
        out += digits;
        out.append(static_cast<std::size_t>(point - size), '0');
    } else {
        out += digits.substr(0, static_cast<std::size_t>(point));
        out += '.';
        out += digits.substr(static_cast<std::size_t>(point));
    }
    return out;
}

std::optional<std::string> xlsx_date_text(std::string_view stored, XlsxNumberKind kind,
                                          bool date1904) {
    double serial = 0;
    const char* end = stored.data() + stored.size();
    auto [ptr, ec] = std::from_chars(stored.data(), end, serial);
    if (ec != std::errc() || ptr != end || !std::isfinite(serial)) return std::nullopt;
    if (serial < 0 || serial > kMaxSerial + 1) return std::nullopt;
    const auto seconds = static_cast<std::int64_t>(std::llround(serial * 86400.0));
    const std::int64_t day = seconds / 86400;
    const std::int64_t second_of_day = seconds % 86400;
    if (day > static_cast<std::int64_t>(kMaxSerial)) return std::nullopt;

    char time[16];
    std::snprintf(time, sizeof time, "%02d:%02d:%02d", static_cast<int>(second_of_day / 3600),
                  static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60));
    if (kind == XlsxNumberKind::kTime) return std::string(time);

    CivilDate date;
    if (date1904) {
        date = civil_from_days(days_from_civil({1904, 1, 1}) + day);
    } else if (day == 0) {
        return std::nullopt;  // "1900-01-00": the day before the system's first
    } else if (day == 60) {
        date = {1900, 2, 29};  // the 1900 system counts a leap day that never was
    } else {
        // Serial 1 is 1900-01-01; from serial 61 on, the leap day above shifts the count by one.
        const CivilDate epoch = day < 60 ? CivilDate{1899, 12, 31} : CivilDate{1899, 12, 30};
        date = civil_from_days(days_from_civil(epoch) + day);
    }
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
    std::string out = text;
    if (kind == XlsxNumberKind::kDateTime) out += std::string(" ") + time;
    return out;
}

void decode_xlsx_escapes(std::string& s) {
    if (s.find("_x") == std::string::npos) return;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
            std::uint32_t cp = 0;
            bool hex = true;
            for (std::size_t k = i + 2; k < i + 6; ++k) {
                const int v = hex_value(s[k]);
                hex = hex && v >= 0;
                cp = cp * 16 + static_cast<std::uint32_t>(v < 0 ? 0 : v);
            }
            if (hex && (cp < 0xD800 || cp > 0xDFFF)) {
                append_utf8(out, cp);
                i += 6;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    s = std::move(out);
}

}  // namespace leadflow::server
