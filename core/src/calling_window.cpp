// Calling windows (docs/workflows.md#settings) and local calling hours (docs/calling-hours.md):
// compile once, then test instants in a lead's zones.
#include "leadflow/calling_window.hpp"

#include <cctype>
#include <string>
#include <string_view>

#include "leadflow/civil_time.hpp"
#include "leadflow/text.hpp"

namespace leadflow {

namespace {

constexpr const char* kField = "settings.calling_window";
constexpr const char* kHoursField = "settings.local_calling_hours";
// How far next_call_instant looks for an instant inside the hours in every zone at once before
// it requires them in the lead's zone alone: a week and a day, so a window open one day a week
// is met.
constexpr TimeMs kAllZonesSearchMs = 8 * kMsPerDay;
// How far it looks for the window and the hours in the lead's zone (they meet on every day the
// window opens, window_meets_hours; two weeks cover any DST shift).
constexpr TimeMs kOneZoneSearchMs = 15 * kMsPerDay;

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

// [SECTION] Local calling hours

Result<CompiledWindow> compile_local_hours(const LocalCallingHours& h) {
    const int start = parse_hhmm(lower_trimmed(h.start), false);
    if (start < 0) {
        return Status::invalid(std::string(kHoursField) + ".start: expected HH:MM, got '" +
                               h.start + "'");
    }
    const int end = parse_hhmm(lower_trimmed(h.end), true);
    if (end < 0) {
        return Status::invalid(std::string(kHoursField) + ".end: expected HH:MM, got '" + h.end +
                               "'");
    }
    if (end <= start) {
        return Status::invalid(std::string(kHoursField) + ".end: must be after start (" + h.start +
                               "), got '" + h.end + "'");
    }
    CompiledWindow out;
    out.any_time = start == 0 && end == 24 * 60;
    out.days_mask = 0x7f;
    out.start_minute = static_cast<std::int16_t>(start);
    out.end_minute = static_cast<std::int16_t>(end);
    return out;
}

bool window_meets_hours(const CompiledWindow& window, const CompiledWindow& hours) {
    if (window.any_time || hours.any_time) return true;
    // The hours hold every day, so only the window's minutes of the day matter; an overnight
    // window covers [start, 24:00) and [00:00, end) (the next day, also inside the hours' days).
    auto meets = [&](int from, int to) {
        return from < to && from < hours.end_minute && hours.start_minute < to;
    };
    if (!window.overnight()) return meets(window.start_minute, window.end_minute);
    return meets(window.start_minute, 24 * 60) || meets(0, window.end_minute);
}

Result<std::optional<CompiledWindow>> compile_call_hours(const Settings& s) {
    auto hours = compile_local_hours(s.local_calling_hours);
    if (!hours.ok()) return hours.status();
    if (!s.respect_lead_local_time) return std::optional<CompiledWindow>();
    if (s.calling_window) {
        auto window = compile_window(s.calling_window);
        if (window.ok() && !window_meets_hours(*window, *hours)) {
            return Status::invalid(std::string(kHoursField) + ": " + s.local_calling_hours.start +
                                   "–" + s.local_calling_hours.end +
                                   " never meets settings.calling_window " +
                                   s.calling_window->start + "–" + s.calling_window->end +
                                   ": no lead could ever be called");
        }
    }
    return std::optional<CompiledWindow>(*hours);
}

namespace {

// next_window_open for hours (a window open every day, start < end), with the common case — no
// DST switch before the next opening — computed directly.
TimeMs next_hours_open(const CompiledWindow& h, const TimeZone& tz, TimeMs t) {
    const TimeMs off = tz.offset_at(t);
    const TimeMs local = t + off;
    const std::int64_t day = floor_div(local, kMsPerDay);
    const TimeMs ms = local - day * kMsPerDay;
    const TimeMs start = h.start_minute * kMsPerMinute;
    if (ms >= start && ms < h.end_minute * kMsPerMinute) return t;
    const TimeMs open = (ms < start ? day : day + 1) * kMsPerDay + start - off;
    const std::optional<TimeMs> sw = tz.next_transition(t);
    if (!sw || *sw > open) return open;
    return next_window_open(h, tz, t);
}

// The first instant >= t inside `window` in `zone` (when given) and inside `hours` in each of
// zones[0 .. n), or nullopt when there is none before `limit`. Each constraint in turn moves x
// to its next opening; x never passes the answer (every constraint holds there), so when a
// round moves nothing, x is the answer.
std::optional<TimeMs> first_inside(const CompiledWindow* window, const CompiledWindow& hours,
                                   const TimeZone& zone, const TimeZone* const* zones,
                                   std::size_t n, TimeMs t, TimeMs limit) {
    TimeMs x = t;
    for (;;) {
        bool moved = false;
        if (window != nullptr) {
            const TimeMs y = next_window_open(*window, zone, x);
            moved |= y != x;
            x = y;
        }
        for (std::size_t i = 0; i < n; ++i) {
            const TimeMs y = next_hours_open(hours, *zones[i], x);
            moved |= y != x;
            x = y;
        }
        if (!moved) return x;
        if (x > limit) return std::nullopt;
    }
}

}  // namespace

NextCall next_call_instant(const CompiledWindow* window, const CompiledWindow* hours,
                           const TimeZone& zone, const TimeZone* const* zones,
                           std::size_t zone_count, TimeMs t) {
    if (window != nullptr && window->any_time) window = nullptr;
    if (hours != nullptr && hours->any_time) hours = nullptr;
    NextCall out{t, CallHold::kNone};
    if (window != nullptr && !in_window(*window, zone, t)) out.hold = CallHold::kWindow;
    if (hours == nullptr || (window != nullptr && !window_meets_hours(*window, *hours))) {
        if (window != nullptr) out.at = next_window_open(*window, zone, t);
        return out;
    }
    const TimeZone* const own[] = {&zone};
    std::optional<TimeMs> at;
    if (zone_count > 0) {
        at = first_inside(window, *hours, zone, zones, zone_count, t, t + kAllZonesSearchMs);
    }
    if (!at) at = first_inside(window, *hours, zone, own, 1, t, t + kOneZoneSearchMs);
    // window_meets_hours guarantees an answer; the window alone is the safe side otherwise.
    out.at = at ? *at : (window != nullptr ? next_window_open(*window, zone, t) : t);
    if (out.at != t && out.hold == CallHold::kNone) out.hold = CallHold::kLocalHours;
    return out;
}

}  // namespace leadflow
