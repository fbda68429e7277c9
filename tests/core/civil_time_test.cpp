// Calendar arithmetic and ISO-8601 timestamps.
#include "leadflow/civil_time.hpp"

#include <gtest/gtest.h>

namespace leadflow {
namespace {

TEST(CivilTime, KnownDays) {
    EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
    EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
    EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
    const CivilDate d = civil_from_days(20483);  // 2026-01-30
    EXPECT_EQ(d.year, 2026);
    EXPECT_EQ(d.month, 1);
    EXPECT_EQ(d.day, 30);
    // 2026-01-05 is a Monday (the scenario's default start time).
    EXPECT_EQ(weekday_from_days(days_from_civil({2026, 1, 5})), 0);
    EXPECT_EQ(weekday_from_days(days_from_civil({2026, 1, 4})), 6);
    EXPECT_EQ(weekday_from_days(-1), 2);  // 1969-12-31 was a Wednesday
    EXPECT_EQ(days_in_month(2024, 2), 29);
    EXPECT_EQ(days_in_month(2100, 2), 28);
    EXPECT_EQ(days_in_month(2000, 2), 29);
}

TEST(CivilTime, RoundTripEveryDayOfFourHundredYears) {
    for (std::int64_t day = days_from_civil({1900, 1, 1}); day < days_from_civil({2300, 1, 1});
         ++day) {
        ASSERT_EQ(days_from_civil(civil_from_days(day)), day);
    }
}

TEST(CivilTime, FormatsWithMilliseconds) {
    EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_timestamp(1772355600000), "2026-03-01T09:00:00.000Z");
    EXPECT_EQ(format_timestamp(1767603600123), "2026-01-05T09:00:00.123Z");
    EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59.999Z");
}

TEST(CivilTime, ParsesIsoForms) {
    EXPECT_EQ(*parse_timestamp("2026-03-01T09:00:00.000Z"), 1772355600000);
    EXPECT_EQ(*parse_timestamp("2026-03-01T09:00:00Z"), 1772355600000);
    EXPECT_EQ(*parse_timestamp("2026-03-01T09:00Z"), 1772355600000);
    EXPECT_EQ(*parse_timestamp("2026-03-01 09:00"), 1772355600000);
    EXPECT_EQ(*parse_timestamp("2026-03-01T14:30:00+05:30"), 1772355600000);
    EXPECT_EQ(*parse_timestamp("2026-03-01T04:00:00-0500"), 1772355600000);
    EXPECT_EQ(*parse_timestamp("2026-03-01T09:00:00.5Z"), 1772355600500);
    EXPECT_EQ(*parse_timestamp("2026-03-01"), 1772323200000);
    for (const char* bad : {"", "2026", "2026-13-01T00:00Z", "2026-02-30T00:00Z",
                            "2026-03-01T24:00Z", "2026-03-01T09:00:00.Z",
                            "2026-03-01T09:00:00Zjunk", "March 1", "2026-03-01T09:00+25:00"}) {
        auto r = parse_timestamp(bad);
        EXPECT_FALSE(r.ok()) << bad;
        if (!r.ok()) {
            EXPECT_NE(r.status().message().find("invalid timestamp"), std::string::npos);
        }
    }
}

}  // namespace
}  // namespace leadflow
