// Calendar arithmetic (Howard Hinnant's days_from_civil algorithms) and ISO-8601 timestamps.
#include "leadflow/civil_time.hpp"

#include <cctype>
#include <cstdio>

namespace leadflow {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

}  // namespace

std::int64_t days_from_civil(const CivilDate& d) {
    const std::int64_t y = static_cast<std::int64_t>(d.year) - (d.month <= 2 ? 1 : 0);
    const std::int64_t era = floor_div(y, 400);
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (d.month + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = floor_div(z, 146097);
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = yoe + era * 400;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m),
                     static_cast<int>(d)};
}

int weekday_from_days(std::int64_t days) {
    // 1970-01-01 was a Thursday (ISO index 3).
    return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

int days_in_month(int year, int month) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

CivilDateTime civil_from_ms(TimeMs t) {
    const std::int64_t days = floor_div(t, kMsPerDay);
    std::int64_t rem = t - days * kMsPerDay;
    CivilDateTime c;
    c.date = civil_from_days(days);
    c.hour = static_cast<int>(rem / kMsPerHour);
    rem %= kMsPerHour;
    c.minute = static_cast<int>(rem / kMsPerMinute);
    rem %= kMsPerMinute;
    c.second = static_cast<int>(rem / kMsPerSecond);
    c.millisecond = static_cast<int>(rem % kMsPerSecond);
    return c;
}

TimeMs ms_from_civil(const CivilDateTime& c) {
    return days_from_civil(c.date) * kMsPerDay + c.hour * kMsPerHour + c.minute * kMsPerMinute +
           c.second * kMsPerSecond + c.millisecond;
}

std::string format_timestamp(TimeMs t) {
    const CivilDateTime c = civil_from_ms(t);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.date.year, c.date.month,
                  c.date.day, c.hour, c.minute, c.second, c.millisecond);
    return buf;
}

namespace {

// Reads exactly n digits at text[pos]; advances pos. False if not n digits.
bool read_digits(std::string_view text, std::size_t& pos, int n, int& out) {
    if (pos + n > text.size()) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const char ch = text[pos + i];
        if (ch < '0' || ch > '9') return false;
        v = v * 10 + (ch - '0');
    }
    pos += n;
    out = v;
    return true;
}

}  // namespace

Result<TimeMs> parse_timestamp(std::string_view text) {
    const std::string shown(text);
    auto bad = [&](const char* why) {
        return Status::invalid("invalid timestamp '" + shown + "': " + why +
                               " (expected ISO-8601 like 2026-03-01T09:00:00.000Z)");
    };
    std::size_t p = 0;
    CivilDateTime c;
    if (!read_digits(text, p, 4, c.date.year) || p >= text.size() || text[p++] != '-' ||
        !read_digits(text, p, 2, c.date.month) || p >= text.size() || text[p++] != '-' ||
        !read_digits(text, p, 2, c.date.day)) {
        return bad("expected a date YYYY-MM-DD");
    }
    if (c.date.month < 1 || c.date.month > 12 || c.date.day < 1 ||
        c.date.day > days_in_month(c.date.year, c.date.month)) {
        return bad("no such date");
    }
    TimeMs offset = 0;
    if (p < text.size()) {
        if (text[p] != 'T' && text[p] != 't' && text[p] != ' ') return bad("expected 'T'");
        ++p;
        if (!read_digits(text, p, 2, c.hour) || p >= text.size() || text[p++] != ':' ||
            !read_digits(text, p, 2, c.minute)) {
            return bad("expected a time HH:MM");
        }
        if (p < text.size() && text[p] == ':') {
            ++p;
            if (!read_digits(text, p, 2, c.second)) return bad("expected seconds");
            if (p < text.size() && (text[p] == '.' || text[p] == ',')) {
                ++p;
                int digits = 0, ms = 0;
                while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) {
                    if (digits < 3) ms = ms * 10 + (text[p] - '0');
                    ++digits;
                    ++p;
                }
                if (digits == 0) return bad("expected fraction digits");
                for (int i = digits; i < 3; ++i) ms *= 10;
                c.millisecond = ms;
            }
        }
        if (c.hour > 23 || c.minute > 59 || c.second > 60) return bad("time out of range");
        if (c.second == 60) c.second = 59;  // leap second: clamp
        if (p < text.size()) {
            const char z = text[p];
            if (z == 'Z' || z == 'z') {
                ++p;
            } else if (z == '+' || z == '-') {
                ++p;
                int oh = 0, om = 0;
                if (!read_digits(text, p, 2, oh)) return bad("expected offset hours");
                if (p < text.size() && text[p] == ':') ++p;
                if (p < text.size() && !read_digits(text, p, 2, om)) return bad("bad offset");
                if (oh > 23 || om > 59) return bad("offset out of range");
                offset = (z == '+' ? 1 : -1) * (oh * kMsPerHour + om * kMsPerMinute);
            } else {
                return bad("unexpected characters after the time");
            }
        }
    }
    if (p != text.size()) return bad("unexpected trailing characters");
    return ms_from_civil(c) - offset;
}

}  // namespace leadflow
