// Post-call-analysis release times (docs/workflows.md#time-nodes-and-release-times). Most cases
// read in New York with now = Wednesday June 3, 2026 14:00 EDT (18:00Z); expected instants are
// worked out by hand (EDT = UTC-4: local 15:00 → 19:00Z).
#include "leadflow/release_time.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_util.hpp"

namespace leadflow {
namespace {

using testing::utc;
using testing::zone;

class ReleaseTimeTest : public ::testing::Test {
  protected:
    const TimeZone ny_ = zone("America/New_York");
    const TimeMs now_ = utc(2026, 6, 3, 18);  // Wednesday 14:00 EDT

    std::optional<TimeMs> at(const std::string& v, TimeMs now) const {
        return parse_release_time(v, now, ny_);
    }
    std::optional<TimeMs> at(const std::string& v) const { return at(v, now_); }
};

TEST_F(ReleaseTimeTest, IsoInstants) {
    EXPECT_EQ(at("2026-06-05T16:30:00Z"), utc(2026, 6, 5, 16, 30));
    EXPECT_EQ(at("2026-06-05t16:30:00.250z"), utc(2026, 6, 5, 16, 30, 0, 250));
    EXPECT_EQ(at("2026-06-05T16:30:00+02:00"), utc(2026, 6, 5, 14, 30));
    EXPECT_EQ(at("2026-06-05T16:30:00-0500"), utc(2026, 6, 5, 21, 30));
    EXPECT_EQ(at("2026-06-05T16:30Z"), utc(2026, 6, 5, 16, 30));
    // No zone: the lead's zone (EDT).
    EXPECT_EQ(at("2026-06-05 16:30"), utc(2026, 6, 5, 20, 30));
    EXPECT_EQ(at("2026-06-05T16:30:00"), utc(2026, 6, 5, 20, 30));
    EXPECT_EQ(at("  2026-06-05   16:30  "), utc(2026, 6, 5, 20, 30));
    // A date without a time means 09:00.
    EXPECT_EQ(at("2026-06-05"), utc(2026, 6, 5, 13));
    // Explicit instants in the past are returned as they are (the engine releases at once).
    EXPECT_EQ(at("2020-01-01T00:00:00Z"), utc(2020, 1, 1));
    EXPECT_EQ(at("2026-06-03 13:59"), utc(2026, 6, 3, 17, 59));
    // Winter dates are read with the winter offset (EST = UTC-5).
    EXPECT_EQ(at("2026-12-24 10:00"), utc(2026, 12, 24, 15));
}

TEST_F(ReleaseTimeTest, MonthNameDates) {
    const TimeMs expected = utc(2026, 6, 5, 20, 30);  // June 5, 16:30 EDT
    for (const char* v :
         {"June 5, 2026 4:30 PM", "Jun 5 2026 16:30", "5 June 2026 4:30 pm",
          "june 5th, 2026 at 4:30 p.m.", "5th of June 2026 16:30", "JUNE 5 2026 4:30PM",
          "Friday, June 5, 2026 4:30 PM", "June 5. 2026 4.30 pm", "Jun 5 2026 @ 4:30 PM"}) {
        EXPECT_EQ(at(v), expected) << v;
    }
    EXPECT_EQ(at("Sept 1, 2026 9 AM"), utc(2026, 9, 1, 13));
    EXPECT_EQ(at("December 24 2026 10:00"), utc(2026, 12, 24, 15));
    EXPECT_EQ(at("June 5, 2026"), utc(2026, 6, 5, 13));  // 09:00 without a time
    EXPECT_EQ(at("Feb 29 2028 12:00"), utc(2028, 2, 29, 17));
}

TEST_F(ReleaseTimeTest, MonthNameDatesWithoutYearAreTheNextOccurrence) {
    EXPECT_EQ(at("June 5 4:30 PM"), utc(2026, 6, 5, 20, 30));
    EXPECT_EQ(at("June 1 4:30 PM"), utc(2027, 6, 1, 20, 30));  // passed this year
    EXPECT_EQ(at("3 June 3 PM"), utc(2026, 6, 3, 19));         // later today
    EXPECT_EQ(at("3 June 1 PM"), utc(2027, 6, 3, 17));         // earlier today → next year
    EXPECT_EQ(at("Feb 29 noon"), utc(2028, 2, 29, 17));        // next leap year
    EXPECT_EQ(at("5 June"), utc(2026, 6, 5, 13));              // 09:00 without a time
}

TEST_F(ReleaseTimeTest, NumericDatesAreDayMonthUnlessForced) {
    EXPECT_EQ(at("05/06/2026 16:30"), utc(2026, 6, 5, 20, 30));  // 5 June
    EXPECT_EQ(at("05.06.2026 16:30"), utc(2026, 6, 5, 20, 30));
    EXPECT_EQ(at("05-06-2026 4:30 pm"), utc(2026, 6, 5, 20, 30));
    EXPECT_EQ(at("05/13/2026 16:30"), utc(2026, 5, 13, 20, 30));  // 13 forces month/day
    EXPECT_EQ(at("13/05/2026 16:30"), utc(2026, 5, 13, 20, 30));
    EXPECT_EQ(at("2026/06/05 16:30"), utc(2026, 6, 5, 20, 30));  // year first
    EXPECT_EQ(at("05/06/26 16:30"), utc(2026, 6, 5, 20, 30));    // two-digit year
    EXPECT_EQ(at("1/7/2026 9:00"), utc(2026, 7, 1, 13));
}

TEST_F(ReleaseTimeTest, TimeOfDayIsTheNextFutureOccurrence) {
    // 14:00 now: 15:00 is still today.
    for (const char* v : {"3 PM", "3pm", "3 p.m.", "3 Pm", "3:00 pm", "15:00", "15.00", "at 3 PM",
                          "3 PM.", "15:00:00", "afternoon 3", "3 in the afternoon"}) {
        EXPECT_EQ(at(v), utc(2026, 6, 3, 19)) << v;
    }
    EXPECT_EQ(at("15:30"), utc(2026, 6, 3, 19, 30));
    EXPECT_EQ(at("3:45:30 PM"), utc(2026, 6, 3, 19, 45, 30));
    // Passed already → tomorrow.
    EXPECT_EQ(at("1 PM"), utc(2026, 6, 4, 17));
    EXPECT_EQ(at("9:15 am"), utc(2026, 6, 4, 13, 15));
    EXPECT_EQ(at("13:59"), utc(2026, 6, 4, 17, 59));
    // 12 AM / 12 PM, noon, midnight.
    EXPECT_EQ(at("12 pm"), utc(2026, 6, 4, 16));
    EXPECT_EQ(at("noon"), utc(2026, 6, 4, 16));
    EXPECT_EQ(at("12 am"), utc(2026, 6, 4, 4));
    EXPECT_EQ(at("midnight"), utc(2026, 6, 4, 4));
    EXPECT_EQ(at("00:30"), utc(2026, 6, 4, 4, 30));
}

TEST_F(ReleaseTimeTest, NowItselfCountsAsNotPassed) {
    EXPECT_EQ(at("2 PM"), now_);
    EXPECT_EQ(at("14:00"), now_);
    EXPECT_EQ(at("2 PM", now_ + 1), utc(2026, 6, 4, 18));
    EXPECT_EQ(at("2 PM", now_ - 1), now_);
}

TEST_F(ReleaseTimeTest, PartsOfTheDay) {
    EXPECT_EQ(at("evening 7"), utc(2026, 6, 3, 23));
    EXPECT_EQ(at("Evening 7:30"), utc(2026, 6, 3, 23, 30));
    EXPECT_EQ(at("7 in the evening"), utc(2026, 6, 3, 23));
    EXPECT_EQ(at("evening 7 pm"), utc(2026, 6, 3, 23));
    EXPECT_EQ(at("evening 19:00"), utc(2026, 6, 3, 23));
    EXPECT_EQ(at("night 9"), utc(2026, 6, 4, 1));     // 21:00 EDT
    EXPECT_EQ(at("morning 9"), utc(2026, 6, 4, 13));  // passed today → tomorrow
    EXPECT_EQ(at("morning 10:30"), utc(2026, 6, 4, 14, 30));
    EXPECT_EQ(at("afternoon 12"), utc(2026, 6, 4, 16));  // noon, passed → tomorrow
    EXPECT_EQ(at("tonight 8"), utc(2026, 6, 4, 0));      // today 20:00 EDT
    EXPECT_EQ(at("tonight at 8:30"), utc(2026, 6, 4, 0, 30));
    // A part of the day alone: morning 09:00, afternoon 14:00, evening 18:00, night 20:00.
    EXPECT_EQ(at("tomorrow morning"), utc(2026, 6, 4, 13));
    EXPECT_EQ(at("evening"), utc(2026, 6, 3, 22));
    EXPECT_EQ(at("afternoon"), now_);  // 14:00 is now
    EXPECT_EQ(at("tonight"), utc(2026, 6, 4, 0));
}

TEST_F(ReleaseTimeTest, OClockIsTheFirstOfMorningOrEveningInTheFuture) {
    EXPECT_EQ(at("9 o'clock"), utc(2026, 6, 4, 1));  // 21:00 today (09:00 passed)
    EXPECT_EQ(at("9 o\u2019clock"), utc(2026, 6, 4, 1));
    EXPECT_EQ(at("9 oclock"), utc(2026, 6, 4, 1));
    EXPECT_EQ(at("9 o clock"), utc(2026, 6, 4, 1));
    // At 08:00 local: 09:00 today. At 22:00 local: 09:00 tomorrow.
    EXPECT_EQ(at("9 o'clock", utc(2026, 6, 3, 12)), utc(2026, 6, 3, 13));
    EXPECT_EQ(at("9 o'clock", utc(2026, 6, 4, 2)), utc(2026, 6, 4, 13));
    EXPECT_EQ(at("12 o'clock"), utc(2026, 6, 4, 4));   // midnight comes before noon
    EXPECT_EQ(at("15 o'clock"), utc(2026, 6, 3, 19));  // unambiguous 24-hour
    EXPECT_EQ(at("tomorrow 9 o'clock"), utc(2026, 6, 4, 13));
    EXPECT_EQ(at("evening 9 o'clock"), utc(2026, 6, 4, 1));
}

TEST_F(ReleaseTimeTest, TodayAndTomorrow) {
    EXPECT_EQ(at("tomorrow 4 PM"), utc(2026, 6, 4, 20));
    EXPECT_EQ(at("Tomorrow at 16:00"), utc(2026, 6, 4, 20));
    EXPECT_EQ(at("4 PM tomorrow"), utc(2026, 6, 4, 20));
    EXPECT_EQ(at("tomorrow"), utc(2026, 6, 4, 13));  // 09:00 without a time
    EXPECT_EQ(at("today 5 pm"), utc(2026, 6, 3, 21));
    // "today" names the day explicitly: a passed time is returned as it is.
    EXPECT_EQ(at("today 1 pm"), utc(2026, 6, 3, 17));
}

TEST_F(ReleaseTimeTest, Weekdays) {
    // Wednesday June 3 → Tuesday June 9, 10:30 EDT.
    for (const char* v : {"Tuesday 10:30 AM", "tue 10:30 am", "Tues 10:30am", "on tuesday at 10:30",
                          "this Tuesday 10:30 AM", "10:30 AM Tuesday"}) {
        EXPECT_EQ(at(v), utc(2026, 6, 9, 14, 30)) << v;
    }
    EXPECT_EQ(at("Wednesday 3 PM"), utc(2026, 6, 3, 19));   // today, not passed
    EXPECT_EQ(at("Wednesday 1 PM"), utc(2026, 6, 10, 17));  // today, passed → a week later
    EXPECT_EQ(at("wed 2 pm"), now_);
    EXPECT_EQ(at("Friday"), utc(2026, 6, 5, 13));  // 09:00 without a time
    EXPECT_EQ(at("thurs 8:00"), utc(2026, 6, 4, 12));
    EXPECT_EQ(at("SUNDAY 6 PM"), utc(2026, 6, 7, 22));
    EXPECT_EQ(at("Monday 9am"), utc(2026, 6, 8, 13));
}

TEST_F(ReleaseTimeTest, NextWeekdayIsInNextWeek) {
    // From Wednesday June 3 next week starts Monday June 8.
    EXPECT_EQ(at("next Tuesday 10:30 AM"), utc(2026, 6, 9, 14, 30));
    EXPECT_EQ(at("next Wednesday"), utc(2026, 6, 10, 13));
    EXPECT_EQ(at("next Thursday 8 am"), utc(2026, 6, 11, 12));  // not tomorrow
    EXPECT_EQ(at("next monday 9 am"), utc(2026, 6, 8, 13));
    // From Sunday June 7 (noon): next week starts tomorrow.
    const TimeMs sunday = utc(2026, 6, 7, 16);
    EXPECT_EQ(at("next Tuesday 10:30 AM", sunday), utc(2026, 6, 9, 14, 30));
    EXPECT_EQ(at("Tuesday 10:30 AM", sunday), utc(2026, 6, 9, 14, 30));
    // From Monday June 8: "Tuesday" is tomorrow, "next Tuesday" the week after.
    const TimeMs monday = utc(2026, 6, 8, 16);
    EXPECT_EQ(at("Tuesday 10:30 AM", monday), utc(2026, 6, 9, 14, 30));
    EXPECT_EQ(at("next Tuesday 10:30 AM", monday), utc(2026, 6, 16, 14, 30));
    EXPECT_EQ(at("next Monday", monday), utc(2026, 6, 15, 13));
}

TEST_F(ReleaseTimeTest, DaylightSavingChanges) {
    // Saturday March 7, 2026 12:00 EST (17:00Z).
    const TimeMs sat = utc(2026, 3, 7, 17);
    // 02:30 does not exist on Sunday March 8 → 03:30 EDT = 07:30Z.
    EXPECT_EQ(at("tomorrow 2:30 AM", sat), utc(2026, 3, 8, 7, 30));
    // 9 AM on Sunday is EDT (13:00Z), on Saturday it was EST (14:00Z).
    EXPECT_EQ(at("Sunday 9 AM", sat), utc(2026, 3, 8, 13));
    EXPECT_EQ(at("9 AM", sat), utc(2026, 3, 8, 13));
    // Fall back: 01:30 on November 1 happens twice; the earlier (EDT, 05:30Z) is chosen.
    EXPECT_EQ(at("Sunday 1:30 AM", utc(2026, 10, 31, 16)), utc(2026, 11, 1, 5, 30));
    EXPECT_EQ(at("November 1, 2026 1:30 AM", sat), utc(2026, 11, 1, 5, 30));
}

TEST_F(ReleaseTimeTest, OtherZones) {
    const TimeZone berlin = zone("Europe/Berlin");
    const TimeMs now = utc(2026, 6, 3, 10);  // 12:00 CEST
    EXPECT_EQ(parse_release_time("3 PM", now, berlin), utc(2026, 6, 3, 13));
    EXPECT_EQ(parse_release_time("05/06/2026 16:30", now, berlin), utc(2026, 6, 5, 14, 30));
    const TimeZone ist = zone("Asia/Kolkata");
    EXPECT_EQ(parse_release_time("tomorrow 9 am", now, ist), utc(2026, 6, 4, 3, 30));
    // A zone in the value wins over the lead's zone, for relative forms too.
    EXPECT_EQ(at("3 PM UTC"), utc(2026, 6, 4, 15));  // 15:00Z today passed at 18:00Z
    EXPECT_EQ(at("7 PM Z"), utc(2026, 6, 3, 19));
}

TEST_F(ReleaseTimeTest, GarbageIsRejected) {
    for (const char* v : {"soon",
                          "",
                          "   ",
                          "25:00",
                          "13 PM",
                          "0 am",
                          "24:00",
                          "12:60",
                          "at 4",
                          "4",
                          "tomorrow 4",
                          "3 PM 4 PM",
                          "later",
                          "call me back",
                          "next",
                          "next week",
                          "next June",
                          "tomorrow June 5 2026",
                          "today",
                          "today June 5",
                          "June 5 2026 June 6 2026",
                          "February 30, 2026",
                          "31/04/2026",
                          "13/13/2026",
                          "2026-13-01",
                          "2026-02-29",
                          "morning 7 pm",
                          "evening 7 am",
                          "evening 12",
                          "morning 12",
                          "noon evening",
                          "3 PM 🙂",
                          "2026-06-05T16:30:00+25:00",
                          "2026-06-05T16:30:00+02:00Z",
                          "June",
                          "June 40",
                          "15:30 o'clock",
                          "9:30 o'clock",
                          "o'clock",
                          "pm",
                          "3 PM, then 4",
                          "+3",
                          "Z",
                          "Tuesday Wednesday",
                          "next tomorrow",
                          "1530",
                          "3 PM tomorrow tomorrow",
                          "16:30:99",
                          "3 o'clock pm",
                          "-"}) {
        EXPECT_FALSE(at(v).has_value()) << "'" << v << "' → " << *at(v);
    }
}

}  // namespace
}  // namespace leadflow
