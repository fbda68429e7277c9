// Time zones: the generated table, POSIX TZ rule parsing and evaluation, gaps and overlaps.
// Expected instants were worked out by hand from the rules (e.g. New York's DST 2026 starts on
// the second Sunday of March = March 8, 02:00 EST = 07:00Z) and written as UTC wall times.
#include "leadflow/time_zone.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

#include <algorithm>
#include <string>

namespace leadflow {
namespace {

using testing::utc;
using testing::zone;

constexpr TimeMs kH = 3600 * 1000LL;
constexpr TimeMs kMin = 60 * 1000LL;

CivilDateTime local(int y, int mo, int d, int h, int mi) {
    CivilDateTime c;
    c.date = CivilDate{y, mo, d};
    c.hour = h;
    c.minute = mi;
    return c;
}

TEST(TimeZoneTest, HelperMatchesKnownEpochValues) {
    EXPECT_EQ(utc(1970, 1, 1), 0);
    EXPECT_EQ(utc(2026, 3, 8, 7), 1772953200000LL);  // date -u -d 2026-03-08T07:00Z +%s
    EXPECT_EQ(utc(1969, 12, 31, 23), -kH);
}

TEST(TimeZoneTest, FindsZonesByExactIanaName) {
    for (const char* name :
         {"UTC", "GMT", "Etc/UTC", "Etc/GMT+5", "Europe/Berlin", "Asia/Kolkata", "America/New_York",
          "Australia/Sydney", "America/Argentina/Salta", "Arctic/Longyearbyen"}) {
        Result<TimeZone> z = TimeZone::find(name);
        ASSERT_TRUE(z.ok()) << name;
        EXPECT_EQ(z->name(), name);
    }
}

TEST(TimeZoneTest, UnknownNamesAreInvalidArgument) {
    for (const char* name : {"Mars/Olympus", "", "europe/berlin", "Europe/Berlin ", "posix/UTC",
                             "right/UTC", "US/Eastern", "EST5EDT", "Europe"}) {
        Result<TimeZone> z = TimeZone::find(name);
        ASSERT_FALSE(z.ok()) << name;
        EXPECT_EQ(z.status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(z.status().message(), "unknown time zone '" + std::string(name) + "'");
    }
}

TEST(TimeZoneTest, NameListIsSortedCompleteAndEveryRuleParses) {
    const std::vector<std::string>& names = time_zone_names();
    EXPECT_GT(names.size(), 400u);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
    for (const char* must : {"UTC", "GMT", "Etc/UTC", "Africa/Lagos", "America/Sao_Paulo",
                             "Antarctica/Troll", "Atlantic/Azores", "Indian/Maldives",
                             "Pacific/Auckland", "Australia/Lord_Howe", "Asia/Tehran"}) {
        EXPECT_TRUE(std::binary_search(names.begin(), names.end(), std::string(must))) << must;
    }
    for (const std::string& n : names) {
        EXPECT_NE(n.rfind("posix/", 0), 0u) << n;
        EXPECT_NE(n.rfind("right/", 0), 0u) << n;
        Result<TimeZone> z = TimeZone::find(n);
        EXPECT_TRUE(z.ok()) << n << ": " << z.status().message();
    }
}

TEST(TimeZoneTest, UtcAndDefault) {
    const TimeZone u = TimeZone::utc();
    EXPECT_EQ(u.name(), "UTC");
    EXPECT_EQ(u.offset_at(utc(2026, 7, 1)), 0);
    EXPECT_EQ(TimeZone().name(), "UTC");
    EXPECT_EQ(TimeZone(), zone("UTC"));
    EXPECT_NE(zone("Etc/UTC"), zone("UTC"));  // same rule, different names
    EXPECT_EQ(zone("Etc/UTC").offset_at(utc(2026, 1, 1)), 0);
}

TEST(TimeZoneTest, NewYorkOffsetsAndExactTransitions) {
    const TimeZone ny = zone("America/New_York");
    EXPECT_EQ(ny.offset_at(utc(2026, 1, 15, 12)), -5 * kH);
    EXPECT_EQ(ny.offset_at(utc(2026, 7, 1, 12)), -4 * kH);
    // Second Sunday of March 2026 = March 8, 02:00 EST = 07:00Z.
    EXPECT_EQ(ny.offset_at(utc(2026, 3, 8, 6, 59, 59, 999)), -5 * kH);
    EXPECT_EQ(ny.offset_at(utc(2026, 3, 8, 7)), -4 * kH);
    EXPECT_FALSE(ny.is_dst_at(utc(2026, 3, 8, 6, 59, 59, 999)));
    EXPECT_TRUE(ny.is_dst_at(utc(2026, 3, 8, 7)));
    // First Sunday of November 2026 = November 1, 02:00 EDT = 06:00Z.
    EXPECT_EQ(ny.offset_at(utc(2026, 11, 1, 5, 59, 59, 999)), -4 * kH);
    EXPECT_EQ(ny.offset_at(utc(2026, 11, 1, 6)), -5 * kH);
    // 2027: March 14 and November 7.
    EXPECT_EQ(ny.offset_at(utc(2027, 3, 14, 6, 59)), -5 * kH);
    EXPECT_EQ(ny.offset_at(utc(2027, 3, 14, 7)), -4 * kH);
    EXPECT_EQ(ny.offset_at(utc(2027, 11, 7, 6)), -5 * kH);
    // No history: the current rule is applied to 1969 as well.
    EXPECT_EQ(ny.offset_at(utc(1969, 7, 1)), -4 * kH);
    EXPECT_EQ(ny.offset_at(utc(1969, 1, 1)), -5 * kH);
}

TEST(TimeZoneTest, YearsOutsideThePrecomputedRangeUseTheRuleDirectly) {
    // Transitions are precomputed for 1960–2140; before and after, the rule is evaluated.
    const TimeZone ny = zone("America/New_York");
    // 1955: March 1 was a Tuesday → second Sunday March 13; November 1 a Tuesday → Nov 6.
    EXPECT_EQ(ny.offset_at(utc(1955, 3, 13, 6, 59)), -5 * kH);
    EXPECT_EQ(ny.offset_at(utc(1955, 3, 13, 7)), -4 * kH);
    EXPECT_EQ(ny.offset_at(utc(1955, 11, 6, 5, 59)), -4 * kH);
    EXPECT_EQ(ny.offset_at(utc(1955, 11, 6, 6)), -5 * kH);
    // 2150: March 8 and November 1; Sydney April 4 16:00Z and October 3 16:00Z.
    EXPECT_EQ(ny.offset_at(utc(2150, 3, 8, 6, 59)), -5 * kH);
    EXPECT_EQ(ny.offset_at(utc(2150, 3, 8, 7)), -4 * kH);
    EXPECT_EQ(ny.next_transition(utc(2150, 3, 8, 7)), utc(2150, 11, 1, 6));
    const TimeZone syd = zone("Australia/Sydney");
    EXPECT_EQ(syd.offset_at(utc(2150, 4, 4, 15, 59)), 11 * kH);
    EXPECT_EQ(syd.offset_at(utc(2150, 4, 4, 16)), 10 * kH);
    EXPECT_EQ(syd.next_transition(utc(2150, 4, 4, 16)), utc(2150, 10, 3, 16));
    // Across the upper edge of the range: the last switch of 2139 to the first of 2140.
    EXPECT_EQ(ny.next_transition(utc(2139, 12, 1)), utc(2140, 3, 13, 7));
    EXPECT_EQ(ny.offset_at(utc(2140, 1, 1)), -5 * kH);
}

TEST(TimeZoneTest, BerlinLastSundayRules) {
    const TimeZone b = zone("Europe/Berlin");
    EXPECT_EQ(b.offset_at(utc(2026, 1, 10)), 1 * kH);
    // Last Sunday of March 2026 = March 29, 02:00 CET = 01:00Z.
    EXPECT_EQ(b.offset_at(utc(2026, 3, 29, 0, 59, 59, 999)), 1 * kH);
    EXPECT_EQ(b.offset_at(utc(2026, 3, 29, 1)), 2 * kH);
    // Last Sunday of October 2026 = October 25, 03:00 CEST = 01:00Z.
    EXPECT_EQ(b.offset_at(utc(2026, 10, 25, 0, 59, 59, 999)), 2 * kH);
    EXPECT_EQ(b.offset_at(utc(2026, 10, 25, 1)), 1 * kH);
}

TEST(TimeZoneTest, SydneySouthernHemisphere) {
    const TimeZone s = zone("Australia/Sydney");
    EXPECT_EQ(s.offset_at(utc(2026, 1, 15)), 11 * kH);
    EXPECT_EQ(s.offset_at(utc(2026, 7, 15)), 10 * kH);
    // DST ends first Sunday of April 2026 = April 5, 03:00 AEDT = April 4 16:00Z.
    EXPECT_EQ(s.offset_at(utc(2026, 4, 4, 15, 59, 59, 999)), 11 * kH);
    EXPECT_EQ(s.offset_at(utc(2026, 4, 4, 16)), 10 * kH);
    // DST starts first Sunday of October 2026 = October 4, 02:00 AEST = October 3 16:00Z.
    EXPECT_EQ(s.offset_at(utc(2026, 10, 3, 15, 59, 59, 999)), 10 * kH);
    EXPECT_EQ(s.offset_at(utc(2026, 10, 3, 16)), 11 * kH);
    // Across the new year DST stays on (local 2027-01-01 00:30 AEDT).
    EXPECT_EQ(s.offset_at(utc(2026, 12, 31, 13, 30)), 11 * kH);
    const CivilDateTime l = s.to_local(utc(2026, 12, 31, 13, 30));
    EXPECT_EQ(l.date.year, 2027);
    EXPECT_EQ(l.date.month, 1);
    EXPECT_EQ(l.date.day, 1);
    EXPECT_EQ(l.hour, 0);
    EXPECT_EQ(l.minute, 30);
}

TEST(TimeZoneTest, HalfAndQuarterHourZones) {
    EXPECT_EQ(zone("Asia/Kolkata").offset_at(utc(2026, 1, 1)), 5 * kH + 30 * kMin);
    EXPECT_EQ(zone("Asia/Kolkata").offset_at(utc(2026, 7, 1)), 5 * kH + 30 * kMin);
    EXPECT_EQ(zone("Asia/Kathmandu").offset_at(utc(2026, 7, 1)), 5 * kH + 45 * kMin);
    EXPECT_EQ(zone("Asia/Tehran").offset_at(utc(2026, 7, 1)), 3 * kH + 30 * kMin);
    EXPECT_EQ(zone("America/St_Johns").offset_at(utc(2026, 1, 1)), -(3 * kH + 30 * kMin));
    EXPECT_EQ(zone("America/St_Johns").offset_at(utc(2026, 7, 1)), -(2 * kH + 30 * kMin));
    EXPECT_EQ(zone("Australia/Adelaide").offset_at(utc(2026, 1, 1)), 10 * kH + 30 * kMin);
    EXPECT_EQ(zone("Australia/Adelaide").offset_at(utc(2026, 7, 1)), 9 * kH + 30 * kMin);
    // Lord Howe: +10:30 standard, a 30-minute DST shift to +11.
    const TimeZone lh = zone("Australia/Lord_Howe");
    EXPECT_EQ(lh.offset_at(utc(2026, 1, 1)), 11 * kH);
    EXPECT_EQ(lh.offset_at(utc(2026, 7, 1)), 10 * kH + 30 * kMin);
    // Starts first Sunday of October (Oct 4) at 02:00 +10:30 = Oct 3 15:30Z.
    EXPECT_EQ(lh.offset_at(utc(2026, 10, 3, 15, 29)), 10 * kH + 30 * kMin);
    EXPECT_EQ(lh.offset_at(utc(2026, 10, 3, 15, 30)), 11 * kH);
    // 02:15 falls in the 30-minute gap → 02:45 at +11.
    EXPECT_EQ(lh.to_utc(local(2026, 10, 4, 2, 15)), utc(2026, 10, 3, 15, 45));
}

TEST(TimeZoneTest, EtcZonesHaveInvertedSigns) {
    EXPECT_EQ(zone("Etc/GMT+5").offset_at(utc(2026, 1, 1)), -5 * kH);
    EXPECT_EQ(zone("Etc/GMT-14").offset_at(utc(2026, 1, 1)), 14 * kH);
}

TEST(TimeZoneTest, NegativeAndOverTwentyFourHourTransitionTimes) {
    // Nuuk: <-02>2<-01>,M3.5.0/-1,M10.5.0/0 — starts Saturday 23:00 local before the last
    // Sunday of March (March 29, 2026): March 28 23:00 at -02 = March 29 01:00Z.
    const TimeZone nuuk = zone("America/Nuuk");
    EXPECT_EQ(nuuk.offset_at(utc(2026, 3, 29, 0, 59)), -2 * kH);
    EXPECT_EQ(nuuk.offset_at(utc(2026, 3, 29, 1)), -1 * kH);
    // Ends October 25 00:00 at -01 = 01:00Z.
    EXPECT_EQ(nuuk.offset_at(utc(2026, 10, 25, 0, 59)), -1 * kH);
    EXPECT_EQ(nuuk.offset_at(utc(2026, 10, 25, 1)), -2 * kH);
    // Jerusalem: IST-2IDT,M3.4.4/26,M10.5.0 — fourth Thursday of March 2026 (March 26) at
    // 26:00 = Friday March 27 02:00 at +2 = March 27 00:00Z.
    const TimeZone jer = zone("Asia/Jerusalem");
    EXPECT_EQ(jer.offset_at(utc(2026, 3, 26, 23, 59)), 2 * kH);
    EXPECT_EQ(jer.offset_at(utc(2026, 3, 27, 0)), 3 * kH);
    // Ends last Sunday of October (25th) 02:00 at +3 = October 24 23:00Z.
    EXPECT_EQ(jer.offset_at(utc(2026, 10, 24, 22, 59)), 3 * kH);
    EXPECT_EQ(jer.offset_at(utc(2026, 10, 24, 23)), 2 * kH);
    // Santiago: <-04>4<-03>,M9.1.6/24,M4.1.6/24 — first Saturday of September 2026 (5th) at
    // 24:00 = September 6 00:00 at -4 = 04:00Z; ends first Saturday of April (4th) 24:00 at -3
    // = April 5 03:00Z.
    const TimeZone scl = zone("America/Santiago");
    EXPECT_EQ(scl.offset_at(utc(2026, 9, 6, 3, 59)), -4 * kH);
    EXPECT_EQ(scl.offset_at(utc(2026, 9, 6, 4)), -3 * kH);
    EXPECT_EQ(scl.offset_at(utc(2026, 4, 5, 2, 59)), -3 * kH);
    EXPECT_EQ(scl.offset_at(utc(2026, 4, 5, 3)), -4 * kH);
}

TEST(TimeZoneTest, NegativeDaylightSavingDublin) {
    // IST-1GMT0,M10.5.0,M3.5.0/1: "standard" is summer (+1), the winter GMT is the DST part.
    const TimeZone d = zone("Europe/Dublin");
    EXPECT_EQ(d.offset_at(utc(2026, 1, 15)), 0);
    EXPECT_TRUE(d.is_dst_at(utc(2026, 1, 15)));
    EXPECT_EQ(d.offset_at(utc(2026, 7, 15)), 1 * kH);
    EXPECT_EQ(d.offset_at(utc(2026, 3, 29, 0, 59)), 0);
    EXPECT_EQ(d.offset_at(utc(2026, 3, 29, 1)), 1 * kH);
    EXPECT_EQ(d.offset_at(utc(2026, 10, 25, 0, 59)), 1 * kH);
    EXPECT_EQ(d.offset_at(utc(2026, 10, 25, 1)), 0);
    // Gap: 01:30 on March 29 does not exist → 02:30 IST = 01:30Z.
    EXPECT_EQ(d.to_utc(local(2026, 3, 29, 1, 30)), utc(2026, 3, 29, 1, 30));
    // Overlap: 01:30 on October 25 happens twice; the earlier is IST (00:30Z).
    EXPECT_EQ(d.to_utc(local(2026, 10, 25, 1, 30)), utc(2026, 10, 25, 0, 30));
}

TEST(TimeZoneTest, ToLocal) {
    const CivilDateTime l = zone("America/New_York").to_local(utc(2026, 7, 1, 16, 5, 7, 9));
    EXPECT_EQ(l.date.year, 2026);
    EXPECT_EQ(l.date.month, 7);
    EXPECT_EQ(l.date.day, 1);
    EXPECT_EQ(l.hour, 12);
    EXPECT_EQ(l.minute, 5);
    EXPECT_EQ(l.second, 7);
    EXPECT_EQ(l.millisecond, 9);
    const CivilDateTime k = zone("Asia/Kolkata").to_local(utc(2026, 1, 1, 20, 0));
    EXPECT_EQ(k.date.day, 2);
    EXPECT_EQ(k.hour, 1);
    EXPECT_EQ(k.minute, 30);
}

TEST(TimeZoneTest, ToUtcOrdinaryGapAndOverlap) {
    const TimeZone ny = zone("America/New_York");
    EXPECT_EQ(ny.to_utc(local(2026, 1, 15, 9, 0)), utc(2026, 1, 15, 14));
    EXPECT_EQ(ny.to_utc(local(2026, 7, 15, 9, 0)), utc(2026, 7, 15, 13));
    // Spring forward: 02:30 does not exist → 03:30 EDT = 07:30Z.
    EXPECT_EQ(ny.to_utc(local(2026, 3, 8, 2, 30)), utc(2026, 3, 8, 7, 30));
    EXPECT_EQ(ny.to_utc(local(2026, 3, 8, 2, 0)), utc(2026, 3, 8, 7, 0));
    EXPECT_EQ(ny.to_utc(local(2026, 3, 8, 1, 59)), utc(2026, 3, 8, 6, 59));
    EXPECT_EQ(ny.to_utc(local(2026, 3, 8, 3, 0)), utc(2026, 3, 8, 7, 0));
    // Fall back: 01:30 happens twice (05:30Z EDT and 06:30Z EST) → the earlier.
    EXPECT_EQ(ny.to_utc(local(2026, 11, 1, 1, 30)), utc(2026, 11, 1, 5, 30));
    EXPECT_EQ(ny.to_utc(local(2026, 11, 1, 2, 0)), utc(2026, 11, 1, 7, 0));
    EXPECT_EQ(ny.to_utc(local(2026, 11, 1, 0, 59)), utc(2026, 11, 1, 4, 59));
    // Sydney gap (Oct 4 02:30 → 03:30 AEDT = Oct 3 16:30Z) and overlap (Apr 5 02:30 → AEDT).
    const TimeZone syd = zone("Australia/Sydney");
    EXPECT_EQ(syd.to_utc(local(2026, 10, 4, 2, 30)), utc(2026, 10, 3, 16, 30));
    EXPECT_EQ(syd.to_utc(local(2026, 4, 5, 2, 30)), utc(2026, 4, 4, 15, 30));
    EXPECT_EQ(zone("Asia/Kolkata").to_utc(local(2026, 6, 1, 9, 0)), utc(2026, 6, 1, 3, 30));
}

TEST(TimeZoneTest, NextTransition) {
    const TimeZone ny = zone("America/New_York");
    EXPECT_EQ(ny.next_transition(utc(2026, 1, 1)), utc(2026, 3, 8, 7));
    EXPECT_EQ(ny.next_transition(utc(2026, 3, 8, 7)), utc(2026, 11, 1, 6));
    EXPECT_EQ(ny.next_transition(utc(2026, 11, 1, 6)), utc(2027, 3, 14, 7));
    EXPECT_EQ(zone("Australia/Sydney").next_transition(utc(2026, 6, 1)), utc(2026, 10, 3, 16));
    EXPECT_FALSE(zone("Asia/Kolkata").next_transition(utc(2026, 1, 1)).has_value());
    EXPECT_FALSE(TimeZone::utc().next_transition(utc(2026, 1, 1)).has_value());
}

TEST(TimeZoneTest, PosixRuleParsing) {
    Result<TzRule> r = parse_tz_rule("CET-1CEST,M3.5.0,M10.5.0/3");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->std_offset, 1 * kH);
    EXPECT_EQ(r->dst_offset, 2 * kH);
    EXPECT_TRUE(r->has_dst);
    EXPECT_EQ(r->dst_start.month, 3);
    EXPECT_EQ(r->dst_start.week, 5);
    EXPECT_EQ(r->dst_start.weekday, 0);
    EXPECT_EQ(r->dst_start.time_s, 7200);
    EXPECT_EQ(r->dst_end.month, 10);
    EXPECT_EQ(r->dst_end.time_s, 3 * 3600);

    r = parse_tz_rule("<+0330>-3:30");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->std_offset, 3 * kH + 30 * kMin);
    EXPECT_FALSE(r->has_dst);

    r = parse_tz_rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->std_offset, -2 * kH);
    EXPECT_EQ(r->dst_offset, -1 * kH);
    EXPECT_EQ(r->dst_start.time_s, -3600);
    EXPECT_EQ(r->dst_end.time_s, 0);

    r = parse_tz_rule("XXX+3:15:30YYY2,J60/2:30,300/-167");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->std_offset, -(3 * kH + 15 * kMin + 30 * 1000));
    EXPECT_EQ(r->dst_offset, -2 * kH);
    EXPECT_EQ(r->dst_start.kind, TzTransitionRule::Kind::kJulianNoLeap);
    EXPECT_EQ(r->dst_start.day, 60);
    EXPECT_EQ(r->dst_start.time_s, 2 * 3600 + 30 * 60);
    EXPECT_EQ(r->dst_end.kind, TzTransitionRule::Kind::kZeroBasedDay);
    EXPECT_EQ(r->dst_end.day, 300);
    EXPECT_EQ(r->dst_end.time_s, -167 * 3600);
}

TEST(TimeZoneTest, PosixRuleErrors) {
    for (const char* bad : {"", "E5", "EST", "5", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0",
                            "EST5EDT,M3.0.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0", "<+03", "<+03>",
                            "EST5EDT,M3.2.0,M11.1.0junk", "EST25", "EST5EDT,J0,J365",
                            "EST5EDT,366,1", "EST5EDT,M3.2.0/168,M11.1.0", "EST5:60"}) {
        Result<TzRule> r = parse_tz_rule(bad);
        EXPECT_FALSE(r.ok()) << bad;
        if (!r.ok()) {
            EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
            EXPECT_EQ(r.status().message().rfind("invalid TZ rule '" + std::string(bad) + "'", 0),
                      0u)
                << r.status().message();
        }
    }
    EXPECT_FALSE(TimeZone::from_posix("nonsense").ok());
}

TEST(TimeZoneTest, DaylightNameWithoutRulesUsesUsRules) {
    Result<TimeZone> z = TimeZone::from_posix("EST5EDT");
    ASSERT_TRUE(z.ok());
    EXPECT_EQ(z->name(), "EST5EDT");
    EXPECT_EQ(z->offset_at(utc(2026, 3, 8, 6, 59)), -5 * kH);
    EXPECT_EQ(z->offset_at(utc(2026, 3, 8, 7)), -4 * kH);
    EXPECT_EQ(z->offset_at(utc(2026, 11, 1, 6)), -5 * kH);
}

TEST(TimeZoneTest, JulianDayForms) {
    // J60 is March 1 every year (February 29 is never counted); 59 (zero-based) is Feb 29 in a
    // leap year and March 1 otherwise. Both at 02:00 local standard time (-3) = 05:00Z.
    Result<TimeZone> j = TimeZone::from_posix("AAA3BBB,J60,J300");
    Result<TimeZone> n = TimeZone::from_posix("AAA3BBB,59,299");
    ASSERT_TRUE(j.ok());
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(j->next_transition(utc(2024, 1, 1)), utc(2024, 3, 1, 5));
    EXPECT_EQ(n->next_transition(utc(2024, 1, 1)), utc(2024, 2, 29, 5));
    EXPECT_EQ(j->next_transition(utc(2026, 1, 1)), utc(2026, 3, 1, 5));
    EXPECT_EQ(n->next_transition(utc(2026, 1, 1)), utc(2026, 3, 1, 5));
    // J300 = October 27 (non-leap count); zero-based 299 = October 26 in 2024 (leap), Oct 27 in
    // 2026. Both at 02:00 local DST (-2) = 04:00Z.
    EXPECT_EQ(j->next_transition(utc(2024, 6, 1)), utc(2024, 10, 27, 4));
    EXPECT_EQ(n->next_transition(utc(2024, 6, 1)), utc(2024, 10, 26, 4));
    EXPECT_EQ(n->next_transition(utc(2026, 6, 1)), utc(2026, 10, 27, 4));
    EXPECT_EQ(j->offset_at(utc(2026, 2, 28, 12)), -3 * kH);
    EXPECT_EQ(j->offset_at(utc(2026, 6, 1)), -2 * kH);
}

TEST(TimeZoneTest, AllYearDaylightSaving) {
    // RFC 8536's spelling of permanent DST: the end (Dec 31 25:00 DST) meets next year's start.
    Result<TimeZone> z = TimeZone::from_posix("EST5EDT4,0/0,J365/25");
    ASSERT_TRUE(z.ok());
    for (TimeMs t : {utc(2026, 1, 1, 5), utc(2026, 6, 1), utc(2026, 12, 31, 23, 59),
                     utc(2027, 1, 1, 4, 30), utc(2027, 1, 1, 5), utc(2028, 2, 29, 12)}) {
        EXPECT_EQ(z->offset_at(t), -4 * kH) << t;
    }
    EXPECT_FALSE(z->next_transition(utc(2026, 6, 1)).has_value());
}

TEST(TimeZoneTest, CopiesAreIndependentAndKeepTheirName) {
    TimeZone copy;
    {
        Result<TimeZone> z = TimeZone::from_posix("<+0545>-5:45");
        ASSERT_TRUE(z.ok());
        copy = z.value();
    }
    EXPECT_EQ(copy.name(), "<+0545>-5:45");
    EXPECT_EQ(copy.offset_at(0), 5 * kH + 45 * kMin);
    const TimeZone ny = zone("America/New_York");
    TimeZone c2 = ny;
    EXPECT_EQ(&c2.name(), &ny.name());  // table zones share the name, no allocation
}

}  // namespace
}  // namespace leadflow
