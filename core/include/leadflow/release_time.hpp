// leadflow/release_time.hpp — reading the release time of a TIME node with
// `time_source: postcall_analysis` (docs/workflows.md#time-nodes-and-release-times): free text a
// call's analysis produced, such as "tomorrow 4 PM" or "June 5, 2026 4:30 PM", turned into an
// instant.
#pragma once

#include <optional>
#include <string_view>

#include "leadflow/model.hpp"
#include "leadflow/time_zone.hpp"

namespace leadflow {

// Parses a release-time value relative to `now` (UTC) read in zone tz (case-insensitive).
// Returns the release instant, or nullopt when the value cannot be understood. Instants that
// are explicit (full date given) are returned even when in the past (the engine releases at
// once then); relative forms ("3 PM", "Tuesday 10:30 AM") always resolve to the future.
//
// "Future" includes `now` itself: "3 PM" at exactly 15:00:00.000 is today. Wall-clock times are
// read in tz (or in the offset the value names) with TimeZone::to_utc's DST rules: a time in a
// spring-forward gap moves forward by the gap, an ambiguous one takes the earlier instant.
//
// Accepted forms (words case-insensitive; spaces, commas and stray punctuation are free):
//   dates   ISO "2026-06-05T16:30:00Z" / "…+02:00" / "…-0500" (zone honoured), "2026-06-05 16:30"
//           (no zone: tz); "June 5, 2026 4:30 PM", "Jun 5 2026 16:30", "5 June 2026 4:30 pm",
//           "June 5th 2026", "5th of June 2026"; numeric "05/06/2026 16:30" (also '.' or '-')
//           read day/month/year unless the numbers force month/day ("05/13/2026"), "2026/06/05"
//           year first; a two-digit year is 20yy. A date without a year ("June 5 4 PM") is its
//           next future occurrence. A date without a time means 09:00.
//   times   "3 PM", "3pm", "3:30 p.m.", "15:30", "15.30", "noon", "midnight"; a bare hour only
//           with a part of the day: "evening 7", "7 in the evening" (morning keeps 1–11;
//           afternoon, evening and night add 12 h to 1–11; a part of the day that contradicts
//           AM/PM is rejected); a part of the day alone means morning 09:00, afternoon 14:00,
//           evening 18:00, night 20:00; "9 o'clock" (also "oclock", "o clock") is whichever of
//           09:00 / 21:00 comes first in the future.
//   days    "today", "tonight" (= today, night), "tomorrow"; weekdays "tuesday", "tue", "tues"
//           → the next future such day at that time (today if it is that day and the time has
//           not passed); "this tuesday" = "tuesday"; "next tuesday" → the Tuesday of next
//           week (weeks start on Monday). A weekday or "tomorrow" without a time means 09:00;
//           "today" needs a time. "today 5 pm" is explicit: returned even when already past.
//   filler  "at", "on", "in", "the", "of"; a weekday next to a full date is ignored (the date
//           wins).
// Rejected (nullopt): unknown words ("soon"), empty text, impossible values ("25:00", "13 PM",
// "February 30, 2026"), bare numbers without AM/PM or a part of the day ("at 4"), two times or
// two dates, and "next"/"today"/"tomorrow" combined with a date.
std::optional<TimeMs> parse_release_time(std::string_view value, TimeMs now, const TimeZone& tz);

}  // namespace leadflow
