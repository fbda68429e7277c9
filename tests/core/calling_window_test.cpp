// Calling windows: compiling settings, inside/outside, weekends, overnight windows and the weeks
// the clocks change. Expected instants are worked out by hand (June 1, 2026 is a Monday; New
// York switches on March 8 and November 1, 2026; Sydney on April 5 and October 4, 2026).
#include "leadflow/calling_window.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

#include <string>

namespace leadflow {
namespace {

using testing::utc;
using testing::zone;

CompiledWindow compile(std::vector<std::string> days, std::string start, std::string end) {
    CallingWindow w;
    w.days = std::move(days);
    w.start = std::move(start);
    w.end = std::move(end);
    Result<CompiledWindow> c = compile_window(w);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? c.value() : CompiledWindow{};
}

std::string compile_error(std::vector<std::string> days, std::string start, std::string end) {
    CallingWindow w;
    w.days = std::move(days);
    w.start = std::move(start);
    w.end = std::move(end);
    Result<CompiledWindow> c = compile_window(w);
    if (c.ok()) return "(compiled)";
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
    return c.status().message();
}

const std::vector<std::string> kWeekdays = {"mon", "tue", "wed", "thu", "fri"};
const std::vector<std::string> kAllDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

TEST(CallingWindowTest, NoWindowMeansAnyTime) {
    Result<CompiledWindow> c = compile_window(std::nullopt);
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(c->any_time);
    const TimeZone ny = zone("America/New_York");
    const TimeMs sat_night = utc(2026, 6, 7, 3);  // Saturday 23:00 EDT
    EXPECT_TRUE(in_window(*c, ny, sat_night));
    EXPECT_EQ(next_window_open(*c, ny, sat_night), sat_night);
}

TEST(CallingWindowTest, CompilesDaysAndTimes) {
    const CompiledWindow w = compile({"MON", " Wed ", "friday", "Sun"}, "09:30", "18:05");
    EXPECT_FALSE(w.any_time);
    EXPECT_EQ(w.days_mask, (1 << 0) | (1 << 2) | (1 << 4) | (1 << 6));
    EXPECT_EQ(w.start_minute, 9 * 60 + 30);
    EXPECT_EQ(w.end_minute, 18 * 60 + 5);
    EXPECT_FALSE(w.overnight());
    EXPECT_EQ(compile({"mon"}, "9:00", "24:00").start_minute, 540);
    EXPECT_EQ(compile({"mon"}, "9:00", "24:00").end_minute, 1440);
    EXPECT_TRUE(compile({"mon"}, "22:00", "06:00").overnight());
}

TEST(CallingWindowTest, CompileErrorsNameTheField) {
    EXPECT_EQ(compile_error({"mon"}, "25:00", "18:00"),
              "settings.calling_window.start: expected HH:MM, got '25:00'");
    EXPECT_EQ(compile_error({"mon"}, "09:00", "9pm"),
              "settings.calling_window.end: expected HH:MM, got '9pm'");
    EXPECT_EQ(compile_error({}, "09:00", "18:00"),
              "settings.calling_window.days: must name at least one day");
    EXPECT_EQ(compile_error({"mon", "xyz"}, "09:00", "18:00"),
              "settings.calling_window.days[1]: expected mon, tue, wed, thu, fri, sat or sun, got "
              "'xyz'");
    for (const char* bad : {"", "9", "09:0", "09:60", "24:00", "-1:00", "09:00:00", "0900",
                            "123:00", "ab:cd", "09 :00"}) {
        EXPECT_EQ(compile_error({"mon"}, bad, "18:00"),
                  "settings.calling_window.start: expected HH:MM, got '" + std::string(bad) + "'");
    }
    EXPECT_EQ(compile_error({"mon"}, "09:00", "24:01"),
              "settings.calling_window.end: expected HH:MM, got '24:01'");
}

TEST(CallingWindowTest, InsideAndOutsideOnWeekdays) {
    const CompiledWindow w = compile(kWeekdays, "09:00", "18:00");
    const TimeZone berlin = zone("Europe/Berlin");  // CEST, +2 in June
    // Wednesday June 3, 2026.
    EXPECT_FALSE(in_window(w, berlin, utc(2026, 6, 3, 6, 59, 59, 999)));
    EXPECT_TRUE(in_window(w, berlin, utc(2026, 6, 3, 7)));  // 09:00 local: inside at start
    EXPECT_TRUE(in_window(w, berlin, utc(2026, 6, 3, 15, 59, 59, 999)));
    EXPECT_FALSE(in_window(w, berlin, utc(2026, 6, 3, 16)));  // 18:00 local: outside at end
    // Saturday June 6 and Sunday June 7 at noon local.
    EXPECT_FALSE(in_window(w, berlin, utc(2026, 6, 6, 10)));
    EXPECT_FALSE(in_window(w, berlin, utc(2026, 6, 7, 10)));
    // The same instant is inside in one zone and outside in another: 07:00Z is 09:00 in Berlin
    // but 03:00 in New York.
    EXPECT_FALSE(in_window(w, zone("America/New_York"), utc(2026, 6, 3, 7)));
    // A half-hour zone: 09:00 IST = 03:30Z.
    const TimeZone ist = zone("Asia/Kolkata");
    EXPECT_FALSE(in_window(w, ist, utc(2026, 6, 3, 3, 29, 59, 999)));
    EXPECT_TRUE(in_window(w, ist, utc(2026, 6, 3, 3, 30)));
}

TEST(CallingWindowTest, NextOpenSkipsTheWeekend) {
    const CompiledWindow w = compile(kWeekdays, "09:00", "18:00");
    const TimeZone berlin = zone("Europe/Berlin");
    const TimeMs inside = utc(2026, 6, 3, 12);
    EXPECT_EQ(next_window_open(w, berlin, inside), inside);
    // Before the start on a weekday → that morning.
    EXPECT_EQ(next_window_open(w, berlin, utc(2026, 6, 3, 5)), utc(2026, 6, 3, 7));
    // Friday 18:00 local → Monday June 8, 09:00 local = 07:00Z.
    EXPECT_EQ(next_window_open(w, berlin, utc(2026, 6, 5, 16)), utc(2026, 6, 8, 7));
    EXPECT_EQ(next_window_open(w, berlin, utc(2026, 6, 6, 10)), utc(2026, 6, 8, 7));
    EXPECT_EQ(next_window_open(w, berlin, utc(2026, 6, 7, 23)), utc(2026, 6, 8, 7));
    // Only Tuesdays: from Wednesday → next Tuesday (June 9).
    const CompiledWindow tue = compile({"tue"}, "10:00", "11:00");
    EXPECT_EQ(next_window_open(tue, berlin, utc(2026, 6, 3, 12)), utc(2026, 6, 9, 8));
    EXPECT_EQ(next_window_open(tue, berlin, utc(2026, 6, 2, 9)), utc(2026, 6, 9, 8));
}

TEST(CallingWindowTest, OvernightWindowBelongsToItsStartDay) {
    const CompiledWindow w = compile({"fri"}, "22:00", "06:00");
    const TimeZone u = TimeZone::utc();
    EXPECT_FALSE(in_window(w, u, utc(2026, 6, 5, 21, 59)));  // Friday before start
    EXPECT_TRUE(in_window(w, u, utc(2026, 6, 5, 22)));
    EXPECT_TRUE(in_window(w, u, utc(2026, 6, 5, 23, 59)));
    EXPECT_TRUE(in_window(w, u, utc(2026, 6, 6, 0)));  // Saturday morning: Friday's window
    EXPECT_TRUE(in_window(w, u, utc(2026, 6, 6, 5, 59, 59, 999)));
    EXPECT_FALSE(in_window(w, u, utc(2026, 6, 6, 6)));
    EXPECT_FALSE(in_window(w, u, utc(2026, 6, 6, 23)));  // Saturday is not a start day
    EXPECT_FALSE(in_window(w, u, utc(2026, 6, 5, 3)));   // Thursday's night is not either
    EXPECT_EQ(next_window_open(w, u, utc(2026, 6, 6, 6)), utc(2026, 6, 12, 22));
    EXPECT_EQ(next_window_open(w, u, utc(2026, 6, 6, 3)), utc(2026, 6, 6, 3));
    // end == start: a full 24 hours from Monday 09:00.
    const CompiledWindow day = compile({"mon"}, "09:00", "09:00");
    EXPECT_TRUE(in_window(day, u, utc(2026, 6, 8, 9)));
    EXPECT_TRUE(in_window(day, u, utc(2026, 6, 9, 8, 59)));
    EXPECT_FALSE(in_window(day, u, utc(2026, 6, 9, 9)));
    EXPECT_FALSE(in_window(day, u, utc(2026, 6, 8, 8, 59)));
    // "24:00" as the end: until midnight.
    const CompiledWindow late = compile({"mon"}, "20:00", "24:00");
    EXPECT_TRUE(in_window(late, u, utc(2026, 6, 8, 23, 59)));
    EXPECT_FALSE(in_window(late, u, utc(2026, 6, 9, 0)));
}

TEST(CallingWindowTest, StartStaysLocalAcrossSpringForward) {
    const CompiledWindow w = compile(kAllDays, "09:00", "17:00");
    const TimeZone ny = zone("America/New_York");
    // Saturday March 7, 2026 17:00 EST (22:00Z) → Sunday March 8 09:00 EDT = 13:00Z.
    EXPECT_EQ(next_window_open(w, ny, utc(2026, 3, 7, 22)), utc(2026, 3, 8, 13));
    // Saturday opened at 09:00 EST = 14:00Z.
    EXPECT_EQ(next_window_open(w, ny, utc(2026, 3, 7, 5)), utc(2026, 3, 7, 14));
    EXPECT_TRUE(in_window(w, ny, utc(2026, 3, 8, 13)));
    EXPECT_FALSE(in_window(w, ny, utc(2026, 3, 8, 12, 59)));
    EXPECT_FALSE(in_window(w, ny, utc(2026, 3, 8, 21)));     // 17:00 EDT
    EXPECT_TRUE(in_window(w, ny, utc(2026, 3, 7, 21, 59)));  // 16:59 EST
}

TEST(CallingWindowTest, StartStaysLocalAcrossFallBack) {
    const CompiledWindow w = compile(kAllDays, "09:00", "17:00");
    const TimeZone ny = zone("America/New_York");
    // Saturday October 31 17:00 EDT (21:00Z) → Sunday November 1 09:00 EST = 14:00Z.
    EXPECT_EQ(next_window_open(w, ny, utc(2026, 10, 31, 21)), utc(2026, 11, 1, 14));
    EXPECT_FALSE(in_window(w, ny, utc(2026, 11, 1, 13, 59)));
    EXPECT_TRUE(in_window(w, ny, utc(2026, 11, 1, 14)));
}

TEST(CallingWindowTest, StartInsideTheSpringForwardGap) {
    // A 02:30 start does not exist on March 8, 2026 in New York: the clocks jump from 02:00 EST
    // to 03:00 EDT at 07:00Z, and from that instant the local time (03:00) is past the start.
    const CompiledWindow w = compile(kAllDays, "02:30", "05:00");
    const TimeZone ny = zone("America/New_York");
    EXPECT_FALSE(in_window(w, ny, utc(2026, 3, 8, 6, 59)));  // 01:59 EST
    EXPECT_TRUE(in_window(w, ny, utc(2026, 3, 8, 7)));       // 03:00 EDT
    EXPECT_EQ(next_window_open(w, ny, utc(2026, 3, 8, 6)), utc(2026, 3, 8, 7));
    // The next day it opens at 02:30 EDT = 06:30Z.
    EXPECT_EQ(next_window_open(w, ny, utc(2026, 3, 8, 9)), utc(2026, 3, 9, 6, 30));
}

TEST(CallingWindowTest, StartInsideTheFallBackOverlapOpensAtTheEarlierInstant) {
    const CompiledWindow w = compile(kAllDays, "01:30", "05:00");
    const TimeZone ny = zone("America/New_York");
    // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST): the window opens at 05:30Z.
    EXPECT_EQ(next_window_open(w, ny, utc(2026, 11, 1, 5)), utc(2026, 11, 1, 5, 30));
}

TEST(CallingWindowTest, SouthernHemisphereDstWeek) {
    const CompiledWindow w = compile(kWeekdays, "09:00", "17:00");
    const TimeZone syd = zone("Australia/Sydney");
    // Friday April 3, 2026 18:00 AEDT (07:00Z) → Monday April 6 09:00 AEST = April 5 23:00Z.
    EXPECT_EQ(next_window_open(w, syd, utc(2026, 4, 3, 7)), utc(2026, 4, 5, 23));
    // Friday October 2 18:00 AEST (08:00Z) → Monday October 5 09:00 AEDT = October 4 22:00Z.
    EXPECT_EQ(next_window_open(w, syd, utc(2026, 10, 2, 8)), utc(2026, 10, 4, 22));
    EXPECT_TRUE(in_window(w, syd, utc(2026, 10, 4, 22)));
    EXPECT_FALSE(in_window(w, syd, utc(2026, 10, 4, 21, 59)));
}

TEST(CallingWindowTest, NextOpenIsAlwaysInsideAndNeverEarlier) {
    // Property over a year of hourly instants in zones with and without DST.
    const CompiledWindow windows[] = {compile(kWeekdays, "09:00", "18:00"),
                                      compile({"sat", "sun"}, "22:30", "01:15"),
                                      compile({"wed"}, "02:30", "02:45")};
    for (const char* name : {"America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
                             "Europe/Dublin", "America/Santiago"}) {
        const TimeZone tz = zone(name);
        for (const CompiledWindow& w : windows) {
            for (TimeMs t = utc(2026, 1, 1); t < utc(2027, 1, 1); t += 3600 * 1000LL + 7 * 60000) {
                const TimeMs open = next_window_open(w, tz, t);
                ASSERT_GE(open, t) << name << " " << t;
                ASSERT_TRUE(in_window(w, tz, open)) << name << " " << t;
                // Nothing inside strictly between t and open (checked one minute before).
                if (open > t + 60000) {
                    ASSERT_FALSE(in_window(w, tz, open - 60000)) << name << " " << t;
                }
            }
        }
    }
}

}  // namespace
}  // namespace leadflow
