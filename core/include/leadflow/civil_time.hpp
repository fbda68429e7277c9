// leadflow/civil_time.hpp — calendar arithmetic on the proleptic Gregorian calendar and
// ISO-8601 timestamps, with no clock and no time-zone database (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

constexpr TimeMs kMsPerSecond = 1000;
constexpr TimeMs kMsPerMinute = 60 * kMsPerSecond;
constexpr TimeMs kMsPerHour = 60 * kMsPerMinute;
constexpr TimeMs kMsPerDay = 24 * kMsPerHour;

struct CivilDate {
    int year = 1970;
    int month = 1;  // 1–12
    int day = 1;    // 1–31
};

struct CivilDateTime {
    CivilDate date;
    int hour = 0, minute = 0, second = 0, millisecond = 0;
};

// Days since 1970-01-01 for a civil date (any year; no range check).
std::int64_t days_from_civil(const CivilDate& d);
// The civil date of a day count since 1970-01-01.
CivilDate civil_from_days(std::int64_t days);
// Day of week of a day count: 0 = Monday … 6 = Sunday (ISO order).
int weekday_from_days(std::int64_t days);
// Number of days in a month of a year (leap years honoured); 0 for a month outside 1–12.
int days_in_month(int year, int month);
// Splits UTC milliseconds into civil fields (floor division: negative times work).
CivilDateTime civil_from_ms(TimeMs t);
// Joins civil fields (taken as UTC) into milliseconds since the epoch.
TimeMs ms_from_civil(const CivilDateTime& c);

// Formats as ISO-8601 UTC with milliseconds: "2026-03-01T09:00:00.000Z".
std::string format_timestamp(TimeMs t);
// Parses ISO-8601: "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z", "+HH:MM", "-HH:MM" or nothing
// (nothing = UTC); a space may stand for "T"; "YYYY-MM-DD" alone is midnight UTC. Fails with
// kInvalidArgument naming the problem for anything else, including impossible dates.
Result<TimeMs> parse_timestamp(std::string_view text);

}  // namespace leadflow
