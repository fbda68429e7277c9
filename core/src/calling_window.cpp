// Calling windows (SPEC §1.4): compile once, then test instants in a lead's zone.
#include "leadflow/calling_window.hpp"

#include <cctype>
#include <string>
#include <string_view>

#include "leadflow/civil_time.hpp"
#include "leadflow/text.hpp"

namespace leadflow {

namespace {

constexpr const char* kField = "settings.calling_window";

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

// ISO weekday index (0 = Monday) of "mon" / "monday" …; -1 when not a day name.
int day_index(const std::string& d) {
    static const char* const kShort[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    static const char* const kLong[] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
    for (int i = 0; i < 7; ++i) {
        if (d == kShort[i] || d == kLong[i]) return i;
    }
    return -1;
}

// "HH:MM" (one- or two-digit hour) → minutes since midnight; -1 when malformed.
int parse_hhmm(const std::string& s, bool allow_24) {
    const std::size_t colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || colon > 2 || s.size() != colon + 3) return -1;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i != colon && !std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    }
    const int h = std::stoi(s.substr(0, colon));
    const int m = std::stoi(s.substr(colon + 1));
    if (m > 59) return -1;
    if (h == 24 && m == 0 && allow_24) return 24 * 60;
    if (h > 23) return -1;
    return h * 60 + m;
}

bool has_day(const CompiledWindow& w, int wd) {
    return (w.days_mask >> wd) & 1u;
}

}  // namespace

Result<CompiledWindow> compile_window(const std::optional<CallingWindow>& w) {
    CompiledWindow out;
    if (!w) return out;
    out.any_time = false;
    if (w->days.empty()) {
        return Status::invalid(std::string(kField) + ".days: must name at least one day");
    }
    for (std::size_t i = 0; i < w->days.size(); ++i) {
        const int d = day_index(lower_trimmed(w->days[i]));
        if (d < 0) {
            return Status::invalid(std::string(kField) + ".days[" + std::to_string(i) +
                                   "]: expected mon, tue, wed, thu, fri, sat or sun, got '" +
                                   w->days[i] + "'");
        }
        out.days_mask = static_cast<std::uint8_t>(out.days_mask | (1u << d));
    }
    const int start = parse_hhmm(lower_trimmed(w->start), false);
    if (start < 0) {
        return Status::invalid(std::string(kField) + ".start: expected HH:MM, got '" + w->start +
                               "'");
    }
    const int end = parse_hhmm(lower_trimmed(w->end), true);
    if (end < 0) {
        return Status::invalid(std::string(kField) + ".end: expected HH:MM, got '" + w->end + "'");
    }
    out.start_minute = static_cast<std::int16_t>(start);
    out.end_minute = static_cast<std::int16_t>(end);
    return out;
}

bool in_window(const CompiledWindow& w, const TimeZone& tz, TimeMs t) {
    if (w.any_time) return true;
    const TimeMs local = t + tz.offset_at(t);
    const std::int64_t day = floor_div(local, kMsPerDay);
    const TimeMs ms = local - day * kMsPerDay;
    const int wd = weekday_from_days(day);
    const TimeMs start = w.start_minute * kMsPerMinute;
    const TimeMs end = w.end_minute * kMsPerMinute;
    if (!w.overnight()) return has_day(w, wd) && ms >= start && ms < end;
    return (has_day(w, wd) && ms >= start) || (has_day(w, (wd + 6) % 7) && ms < end);
}

TimeMs next_window_open(const CompiledWindow& w, const TimeZone& tz, TimeMs t) {
    if (w.any_time || in_window(w, tz, t)) return t;
    // The earliest instant after t at which in_window holds is either a window start read in
    // the zone, or a DST switch (a clock jumping into the window, e.g. past a start that lies
    // in a spring-forward gap).
    const std::int64_t today = floor_div(t + tz.offset_at(t), kMsPerDay);
    std::optional<TimeMs> best;
    for (int k = 0; k <= 21 && !best; ++k) {
        const std::int64_t day = today + k;
        if (!has_day(w, weekday_from_days(day))) continue;
        CivilDateTime local;
        local.date = civil_from_days(day);
        local.hour = w.start_minute / 60;
        local.minute = w.start_minute % 60;
        const TimeMs open = tz.to_utc(local);
        if (open > t && in_window(w, tz, open)) best = open;
    }
    TimeMs from = t;
    for (int n = 0; n < 8; ++n) {
        const std::optional<TimeMs> sw = tz.next_transition(from);
        if (!sw || (best && *sw >= *best)) break;
        if (in_window(w, tz, *sw)) {
            best = sw;
            break;
        }
        from = *sw;
    }
    // Unreachable for a window with at least one day (compile_window guarantees one).
    return best ? *best : t;
}

}  // namespace leadflow
