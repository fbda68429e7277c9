// leadflow/calling_window.hpp — the calling window of SPEC §1.4: on which local days and between
// which local times calls may be placed, checked and advanced in a lead's time zone.
#pragma once

#include <cstdint>
#include <optional>

#include "leadflow/model.hpp"
#include "leadflow/status.hpp"
#include "leadflow/time_zone.hpp"

namespace leadflow {

// A validated calling window in a form that is cheap to test (trivially copyable, no strings).
// The window opens at start_minute on each day in days_mask and stays open until end_minute the
// same day, or, when end_minute <= start_minute, until end_minute the NEXT day (an overnight
// window; end == start is a full 24 hours). Local wall-clock times of the zone it is read in.
struct CompiledWindow {
    bool any_time = true;           // no window: every instant is inside
    std::uint8_t days_mask = 0;     // bit 0 = Monday … bit 6 = Sunday (days the window OPENS on)
    std::int16_t start_minute = 0;  // 0–1439
    std::int16_t end_minute = 0;    // 0–1440 (1440 = "24:00", the end of the day)

    bool overnight() const { return end_minute <= start_minute; }
};

// Validates and compiles settings.calling_window (days "mon".."sun" case-insensitive — full names
// like "Monday" are accepted too — start/end "HH:MM" 24h, one- or two-digit hours; end may be
// "24:00"). nullopt → any time. Errors: kInvalidArgument naming the field
// ("settings.calling_window.start: expected HH:MM, got '25:00'",
// "settings.calling_window.days[1]: expected mon, tue, wed, thu, fri, sat or sun, got 'xyz'");
// an empty days list is an error ("settings.calling_window.days: must name at least one day").
// end <= start means the window runs past midnight into the next day (days name the start day).
Result<CompiledWindow> compile_window(const std::optional<CallingWindow>& w);

// True when instant t (UTC) is inside the window, read in zone tz. The window is half-open:
// inside at start, outside at end.
bool in_window(const CompiledWindow& w, const TimeZone& tz, TimeMs t);

// t itself when inside; else the next instant the window opens (correct across DST changes:
// a window start of 09:00 local stays 09:00 local after the clocks change; a start inside a
// spring-forward gap opens at the first instant after the gap, an ambiguous start in a fall-back
// overlap opens at its earlier occurrence).
TimeMs next_window_open(const CompiledWindow& w, const TimeZone& tz, TimeMs t);

}  // namespace leadflow
