// leadflow/calling_window.hpp — when a call may be placed: the workflow's calling window
// (docs/workflows.md#settings: on which local days and between which local times, in the lead's
// zone) and the local calling hours of docs/calling-hours.md (between which local times in EVERY
// zone the lead may be in), and the one function the engine — so the server and the simulator alike
// — asks for the next instant both allow.
#pragma once

#include <cstddef>
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

// [SECTION] Local calling hours

// Validates and compiles settings.local_calling_hours into a window open every day from start
// to end. start and end are "HH:MM" 24h (end may be "24:00") and end must come after start
// (hours do not run past midnight). 00:00–24:00 compiles to any time. Errors name the field:
// "settings.local_calling_hours.start: expected HH:MM, got '25:00'",
// "settings.local_calling_hours.end: must be after start (08:00), got '07:00'".
Result<CompiledWindow> compile_local_hours(const LocalCallingHours& h);

// True when some local time of some day is inside both `window` and `hours` read in one zone
// (ignoring daylight-saving gaps, which last an hour on one day). False means a lead could
// never be called: the settings must not combine them (compile_graph and the server refuse it).
bool window_meets_hours(const CompiledWindow& window, const CompiledWindow& hours);

// settings.local_calling_hours as a workflow applies them: nullopt when respect_lead_local_time
// is off. Fails when the hours are malformed (even when off: a stored setting is always valid)
// or when they never meet a valid calling window ("settings.local_calling_hours: 08:00–21:00
// never meets settings.calling_window 22:00–23:00 …"). compile_graph and the server's workflow
// create/update both check settings with it.
Result<std::optional<CompiledWindow>> compile_call_hours(const Settings& s);

// Why a call waits.
enum class CallHold : std::uint8_t {
    kNone,        // it may be placed at the instant asked
    kWindow,      // the calling window is closed in the lead's zone
    kLocalHours,  // the window is open (or unset), but it is outside the local calling hours
};

struct NextCall {
    TimeMs at = 0;                    // the first instant >= t a call may be placed
    CallHold hold = CallHold::kNone;  // why not at t itself (kNone when at == t)
};

// The first instant at or after t at which a call to a lead may be placed, and why not at t:
//   - `window` (nullptr or any_time: none) must hold in `zone`, the lead's zone;
//   - `hours` (nullptr or any_time: none) must hold in every one of zones[0 .. zone_count)
//     (zone_count 0: in `zone` alone).
// When no instant in the 8 days from t is inside the window and inside the hours in every zone
// at once — zones too far apart for the hours to meet (hours of 09:00–17:00 never hold in
// Moscow and Kamchatka at once: their clocks are 9 hours apart), or hours that meet only
// outside the window — the hours are required in `zone` alone. Exact across DST changes in
// every zone (the rules are TimeZone's). With window && hours disjoint (window_meets_hours
// false) the result is the window's opening, hours ignored. Allocation-free.
NextCall next_call_instant(const CompiledWindow* window, const CompiledWindow* hours,
                           const TimeZone& zone, const TimeZone* const* zones,
                           std::size_t zone_count, TimeMs t);

}  // namespace leadflow
