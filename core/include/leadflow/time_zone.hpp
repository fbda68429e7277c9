// leadflow/time_zone.hpp — IANA time zones for calling windows and release times, evaluated
// from compiled-in POSIX TZ rules (no files, no clock; identical natively and in WebAssembly).
//
// The zone table is generated at build time (cmake/TimeZones.cmake) from the build machine's
// tzdata: every zone under Africa, America, Antarctica, Arctic, Asia, Atlantic, Australia,
// Europe, Indian, Pacific and Etc, plus UTC and GMT. Each zone carries only its CURRENT rule
// (the POSIX TZ footer of its TZif file, e.g. America/New_York = "EST5EDT,M3.2.0,M11.1.0"), applied
// to every year: there is no history, so instants before a zone's last rule change (e.g. Europe
// before 1996, or a country that since abolished daylight saving time) get today's rule, not the
// one in force then. Leadflow schedules calls in the present and the near future, where the
// current rule is the right one. Checked against the system tzdata for 2025–2027 at half-hour
// steps: every zone agrees except the few whose tzdata lists irregular future changes that no
// POSIX rule can express (Africa/Casablanca and Africa/El_Aaiun around Ramadan: this table keeps
// +01 all year; Asia/Gaza and Asia/Hebron in 2025 only).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadflow/civil_time.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

namespace detail {
struct ZoneData;  // a zone's parsed rule and precomputed transition instants (time_zone.cpp)
}  // namespace detail

// One transition rule of a POSIX TZ string: the day ("Jn", "n" or "Mm.w.d") and the local time
// of day it happens at (seconds, may be negative or exceed 24 h: RFC 8536 allows −167…167 h).
struct TzTransitionRule {
    enum class Kind : std::uint8_t { kJulianNoLeap, kZeroBasedDay, kMonthWeekDay };
    Kind kind = Kind::kMonthWeekDay;
    std::int16_t day = 0;     // Jn: 1–365 (Feb 29 never counted); n: 0–365
    std::int8_t month = 1;    // Mm.w.d: month 1–12
    std::int8_t week = 1;     // Mm.w.d: 1–5 (5 = last)
    std::int8_t weekday = 0;  // Mm.w.d: 0 = Sunday … 6 = Saturday
    std::int32_t time_s = 2 * 3600;
};

// A parsed POSIX TZ rule: standard offset, optional daylight-saving offset and its transitions.
// Offsets are local minus UTC, in milliseconds (east of Greenwich is positive, the opposite of
// the sign written in the TZ string).
struct TzRule {
    TimeMs std_offset = 0;
    TimeMs dst_offset = 0;
    bool has_dst = false;
    TzTransitionRule dst_start;  // in local standard time
    TzTransitionRule dst_end;    // in local daylight time
};

// Parses a POSIX TZ rule string ("CET-1CEST,M3.5.0,M10.5.0/3", "IST-5:30", "<+0330>-3:30",
// "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "XXX3YYY,J60/2,300"). A daylight name without rules gets
// the US rules (M3.2.0,M11.1.0), as glibc does; a daylight name without an offset is standard
// time + 1 h. Fails with kInvalidArgument naming the problem ("invalid TZ rule 'X': …").
Result<TzRule> parse_tz_rule(std::string_view posix);

// A time zone: a name and its current rule. Cheap to copy (no allocation, no reference count for
// zones found by name), and every query is allocation-free and parses nothing. The first find()
// of a zone parses its rule and precomputes its transition instants for 1960–2140 (a few KB,
// kept for the life of the process and shared by every copy and thread); queries in that range
// are a binary search, outside it the rule is evaluated directly. Safe to share between threads
// (it is immutable).
class TimeZone {
  public:
    // UTC.
    TimeZone();

    // The zone named by an IANA name ("UTC", "Etc/UTC", "Europe/Berlin", "Asia/Kolkata");
    // kInvalidArgument "unknown time zone 'X'" otherwise. Names are case-sensitive like IANA's.
    static Result<TimeZone> find(std::string_view iana_name);
    // UTC (the zone named "UTC").
    static TimeZone utc();
    // A zone made from a POSIX TZ rule string, named by that string (for tests and for rules a
    // caller obtained elsewhere); kInvalidArgument when the rule does not parse.
    static Result<TimeZone> from_posix(std::string_view posix_rule);

    // The IANA name (or the rule string for from_posix zones).
    const std::string& name() const { return *name_; }
    // The parsed current rule.
    const TzRule& rule() const { return rule_; }

    // Offset (local minus UTC) in milliseconds at the UTC instant `utc`.
    TimeMs offset_at(TimeMs utc) const;
    // True when daylight-saving time is in force at the UTC instant `utc`.
    bool is_dst_at(TimeMs utc) const;
    // The local wall-clock time at the UTC instant `utc`.
    CivilDateTime to_local(TimeMs utc) const;
    // UTC instant of a local wall-clock time. In a DST gap (spring forward) the time is moved
    // forward by the gap (02:30 that does not exist → 03:30 new offset); in an overlap (fall
    // back) the earlier instant is chosen. Fields are not validated: an hour, minute or day past
    // its range carries over linearly, as in ms_from_civil.
    TimeMs to_utc(const CivilDateTime& local) const;
    // The first instant strictly after `utc` at which the rule switches between standard and
    // daylight-saving time; nullopt for zones without daylight-saving time.
    std::optional<TimeMs> next_transition(TimeMs utc) const;

    // Same zone (same name).
    bool operator==(const TimeZone& o) const { return *name_ == *o.name_; }
    bool operator!=(const TimeZone& o) const { return !(*this == o); }

  private:
    TimeZone(const std::string* name, const detail::ZoneData* data,
             std::shared_ptr<const void> owned);
    bool dst_state(TimeMs utc) const;

    const std::string* name_;            // into the static name table, or owned by owned_
    const detail::ZoneData* data_;       // precomputed transitions (shared, immutable), or null
    std::shared_ptr<const void> owned_;  // only for from_posix zones: their name and data
    TzRule rule_;
};

// Every zone name known to this build, sorted (for the editor's time-zone picker).
const std::vector<std::string>& time_zone_names();

}  // namespace leadflow
