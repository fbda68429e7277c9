// Local calling hours: compiling settings, the next instant a call may be placed in every zone
// a lead may be in, DST changes between the hold and the release, the rule for zones whose
// hours never meet, and the engine's hold. Expected instants are worked out by hand (New York
// springs forward on 2026-03-08 at 02:00 and falls back on 2026-11-01 at 02:00; June 1, 2026 is
// a Monday).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leadflow/calling_window.hpp"
#include "leadflow/engine.hpp"
#include "leadflow/phone_zones.hpp"
#include "leadflow/rng.hpp"
#include "sim_test_util.hpp"
#include "test_util.hpp"

namespace leadflow {
namespace {

using testing::GraphBuilder;
using testing::utc;
using testing::zone;

CompiledWindow hours(const std::string& start = "08:00", const std::string& end = "21:00") {
    auto h = compile_local_hours(LocalCallingHours{start, end});
    EXPECT_TRUE(h.ok()) << h.status().message();
    return h.ok() ? *h : CompiledWindow{};
}

std::string hours_error(const std::string& start, const std::string& end) {
    auto h = compile_local_hours(LocalCallingHours{start, end});
    return h.ok() ? "(compiled)" : h.status().message();
}

CompiledWindow window(std::vector<std::string> days, std::string start, std::string end) {
    auto w = compile_window(CallingWindow{std::move(days), std::move(start), std::move(end)});
    EXPECT_TRUE(w.ok()) << w.status().message();
    return w.ok() ? *w : CompiledWindow{};
}

const std::vector<std::string> kWeekdays = {"mon", "tue", "wed", "thu", "fri"};

TEST(LocalHours, CompileAndValidate) {
    const CompiledWindow h = hours();
    EXPECT_FALSE(h.any_time);
    EXPECT_EQ(h.days_mask, 0x7f);
    EXPECT_EQ(h.start_minute, 8 * 60);
    EXPECT_EQ(h.end_minute, 21 * 60);
    EXPECT_TRUE(hours("00:00", "24:00").any_time);
    EXPECT_EQ(hours_error("25:00", "21:00"),
              "settings.local_calling_hours.start: expected HH:MM, got '25:00'");
    EXPECT_EQ(hours_error("08:00", "9pm"),
              "settings.local_calling_hours.end: expected HH:MM, got '9pm'");
    EXPECT_EQ(hours_error("08:00", "07:00"),
              "settings.local_calling_hours.end: must be after start (08:00), got '07:00'");
    EXPECT_NE(hours_error("08:00", "08:00"), "(compiled)");
}

TEST(LocalHours, TheSettingIsOffUnlessSaidAndMustMeetTheWindow) {
    Settings s;
    EXPECT_FALSE(s.respect_lead_local_time) << "a stored workflow without the key";
    auto off = compile_call_hours(s);
    ASSERT_TRUE(off.ok());
    EXPECT_FALSE(off->has_value());
    s.local_calling_hours.start = "8h";
    EXPECT_FALSE(compile_call_hours(s).ok()) << "malformed hours are refused even when off";
    s.local_calling_hours.start = "08:00";
    s.respect_lead_local_time = true;
    auto on = compile_call_hours(s);
    ASSERT_TRUE(on.ok());
    ASSERT_TRUE(on->has_value());
    EXPECT_EQ((*on)->end_minute, 21 * 60);
    s.calling_window = CallingWindow{kWeekdays, "21:30", "23:00"};
    auto never = compile_call_hours(s);
    ASSERT_FALSE(never.ok());
    EXPECT_EQ(never.status().message(),
              "settings.local_calling_hours: 08:00–21:00 never meets settings.calling_window "
              "21:30–23:00: no lead could ever be called");
    // An overnight window meets the hours in the morning part.
    s.calling_window = CallingWindow{kWeekdays, "22:00", "09:00"};
    EXPECT_TRUE(compile_call_hours(s).ok());
    EXPECT_TRUE(window_meets_hours(window(kWeekdays, "22:00", "09:00"), hours()));
    EXPECT_FALSE(window_meets_hours(window(kWeekdays, "21:00", "08:00"), hours()));
    EXPECT_TRUE(window_meets_hours(window(kWeekdays, "20:59", "08:00"), hours()));
}

TEST(LocalHours, OneZone) {
    const CompiledWindow h = hours();
    const TimeZone ny = zone("America/New_York");
    const TimeZone* const zones[] = {&ny};
    // 06:00 EDT → 08:00 EDT the same day.
    NextCall n = next_call_instant(nullptr, &h, ny, zones, 1, utc(2026, 6, 1, 10));
    EXPECT_EQ(n.at, utc(2026, 6, 1, 12));
    EXPECT_EQ(n.hold, CallHold::kLocalHours);
    // Inside: now.
    n = next_call_instant(nullptr, &h, ny, zones, 1, utc(2026, 6, 1, 12));
    EXPECT_EQ(n.at, utc(2026, 6, 1, 12));
    EXPECT_EQ(n.hold, CallHold::kNone);
    // 21:00 EDT is the end (half-open): the next morning.
    n = next_call_instant(nullptr, &h, ny, zones, 1, utc(2026, 6, 2, 1));
    EXPECT_EQ(n.at, utc(2026, 6, 2, 12));
    // No zones listed: the lead's zone alone.
    EXPECT_EQ(next_call_instant(nullptr, &h, ny, nullptr, 0, utc(2026, 6, 1, 10)).at,
              utc(2026, 6, 1, 12));
    // No hours and no window: now.
    n = next_call_instant(nullptr, nullptr, ny, zones, 1, utc(2026, 6, 1, 10));
    EXPECT_EQ(n.at, utc(2026, 6, 1, 10));
    EXPECT_EQ(n.hold, CallHold::kNone);
}

TEST(LocalHours, TheLeadsZoneChangesDstBetweenHoldAndRelease) {
    const CompiledWindow h = hours();
    const TimeZone ny = zone("America/New_York");
    const TimeZone* const zones[] = {&ny};
    // Saturday 2026-03-07 22:00 EST (03:00 UTC Sunday): the clocks spring forward at 02:00, so
    // 08:00 on Sunday is EDT — 12:00 UTC, not the 13:00 UTC that 08:00 EST would be.
    EXPECT_EQ(next_call_instant(nullptr, &h, ny, zones, 1, utc(2026, 3, 8, 3)).at,
              utc(2026, 3, 8, 12));
    // 01:30 EDT on 2026-11-01 (05:30 UTC): they fall back at 02:00, so 08:00 is EST — 13:00 UTC.
    EXPECT_EQ(next_call_instant(nullptr, &h, ny, zones, 1, utc(2026, 11, 1, 5, 30)).at,
              utc(2026, 11, 1, 13));
    // Hours ending at 21:00 EDT on the Saturday before the fall-back: next morning 08:00 EST.
    EXPECT_EQ(next_call_instant(nullptr, &h, ny, zones, 1, utc(2026, 11, 1, 1, 30)).at,
              utc(2026, 11, 1, 13));
}

TEST(LocalHours, EveryZoneOfTheNumberMustBeInsideTheHours) {
    const CompiledWindow h = hours();
    const PhoneZones idaho = phone_zones("+12082990100");  // Boise (MDT) and Los Angeles (PDT)
    ASSERT_EQ(idaho.size(), 2u);
    // 14:00 UTC = 08:00 in Boise but 07:00 in Los Angeles: wait for 08:00 PDT = 15:00 UTC.
    NextCall n = next_call_instant(nullptr, &h, idaho.zone(0), idaho.zones(), idaho.size(),
                                   utc(2026, 6, 1, 14));
    EXPECT_EQ(n.at, utc(2026, 6, 1, 15));
    EXPECT_EQ(n.hold, CallHold::kLocalHours);
    // 21:00 MDT = 03:00 UTC (next day) ends the hours in Boise while Los Angeles is at 20:00.
    EXPECT_EQ(next_call_instant(nullptr, &h, idaho.zone(0), idaho.zones(), idaho.size(),
                                utc(2026, 6, 2, 2, 59))
                  .at,
              utc(2026, 6, 2, 2, 59));
    EXPECT_EQ(next_call_instant(nullptr, &h, idaho.zone(0), idaho.zones(), idaho.size(),
                                utc(2026, 6, 2, 3))
                  .at,
              utc(2026, 6, 2, 15));
    // Australia without a refining prefix: eight zones from the Cocos Islands (+06:30) to
    // Sydney and Lord Howe (+11 in January). 08:00–21:00 holds in all of them from 01:30 UTC
    // (08:00 on Cocos) to 10:00 UTC (21:00 in Sydney): the hours meet, so all of them apply.
    const PhoneZones au = phone_zones("+61512345678");
    ASSERT_EQ(au.size(), 8u);
    n = next_call_instant(nullptr, &h, au.zone(0), au.zones(), au.size(), utc(2026, 1, 12, 0));
    EXPECT_EQ(n.at, utc(2026, 1, 12, 1, 30));
    EXPECT_EQ(
        next_call_instant(nullptr, &h, au.zone(0), au.zones(), au.size(), utc(2026, 1, 12, 9, 59))
            .at,
        utc(2026, 1, 12, 9, 59));
    EXPECT_EQ(
        next_call_instant(nullptr, &h, au.zone(0), au.zones(), au.size(), utc(2026, 1, 12, 10)).at,
        utc(2026, 1, 13, 1, 30));
}

TEST(LocalHours, ZonesWhoseHoursNeverMeetFallBackToTheLeadsZone) {
    // 09:00–17:00 never holds in Moscow (+03) and Kamchatka (+12) at once: 9 hours apart.
    const CompiledWindow h = hours("09:00", "17:00");
    const TimeZone moscow = zone("Europe/Moscow");
    const TimeZone kamchatka = zone("Asia/Kamchatka");
    const TimeZone* const zones[] = {&moscow, &kamchatka};
    // 05:00 UTC = 08:00 Moscow, 17:00 Kamchatka: the lead's zone (Moscow) alone decides →
    // 09:00 Moscow.
    NextCall n = next_call_instant(nullptr, &h, moscow, zones, 2, utc(2026, 6, 1, 5));
    EXPECT_EQ(n.at, utc(2026, 6, 1, 6));
    EXPECT_EQ(n.hold, CallHold::kLocalHours);
    // With the lead's zone Kamchatka: 09:00 Kamchatka = 21:00 UTC.
    EXPECT_EQ(next_call_instant(nullptr, &h, kamchatka, zones, 2, utc(2026, 6, 1, 5)).at,
              utc(2026, 6, 1, 21));
    // The default hours (13 hours long) do meet there: 05:00–09:00 UTC.
    const CompiledWindow d = hours();
    EXPECT_EQ(next_call_instant(nullptr, &d, moscow, zones, 2, utc(2026, 6, 1, 4)).at,
              utc(2026, 6, 1, 5));
}

TEST(LocalHours, TheWindowAndTheHoursBothHold) {
    const CompiledWindow h = hours();
    const PhoneZones idaho = phone_zones("+12082990100");
    const TimeZone& boise = idaho.zone(0);
    // Window 09:00–18:00 on weekdays in the lead's zone (Boise). Saturday 2026-06-06 noon UTC:
    // the window is closed until Monday 09:00 MDT = 15:00 UTC, when it is 08:00 in LA: inside.
    const CompiledWindow w = window(kWeekdays, "09:00", "18:00");
    NextCall n = next_call_instant(&w, &h, boise, idaho.zones(), idaho.size(), utc(2026, 6, 6, 12));
    EXPECT_EQ(n.at, utc(2026, 6, 8, 15));
    EXPECT_EQ(n.hold, CallHold::kWindow);
    // Window 08:00–09:00 in Boise: Los Angeles is at 07:00–08:00 then, so the hours never hold
    // in both inside the window; they are required in Boise alone.
    const CompiledWindow early = window(kWeekdays, "08:00", "09:00");
    n = next_call_instant(&early, &h, boise, idaho.zones(), idaho.size(), utc(2026, 6, 8, 12));
    EXPECT_EQ(n.at, utc(2026, 6, 8, 14));
    EXPECT_EQ(n.hold, CallHold::kWindow);
    // Inside the window but outside the hours in a zone: held for the hours.
    const CompiledWindow all =
        window({"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, "00:00", "24:00");
    n = next_call_instant(&all, &h, boise, idaho.zones(), idaho.size(), utc(2026, 6, 8, 14));
    EXPECT_EQ(n.at, utc(2026, 6, 8, 15));
    EXPECT_EQ(n.hold, CallHold::kLocalHours);
}

TEST(LocalHours, AnswersAreInsideEverythingAndNothingEarlierIs) {
    // Seeded sweep over instants around the 2026 DST changes: the answer is inside the window
    // and inside the hours in every zone, and no earlier minute is.
    const CompiledWindow h = hours("08:30", "20:00");
    const CompiledWindow w = window(kWeekdays, "09:00", "18:00");
    const PhoneZones zones = phone_zones("+61512345678");
    const TimeZone& own = zones.zone(5);  // Australia/Sydney
    Rng rng(7);
    for (int i = 0; i < 60; ++i) {
        const TimeMs t = utc(2026, 3, 20) + static_cast<TimeMs>(rng.uniform() * 30 * 86400) * 1000;
        const NextCall n = next_call_instant(&w, &h, own, zones.zones(), zones.size(), t);
        ASSERT_GE(n.at, t);
        auto inside = [&](TimeMs x) {
            if (!in_window(w, own, x)) return false;
            for (std::size_t z = 0; z < zones.size(); ++z) {
                if (!in_window(h, zones.zone(z), x)) return false;
            }
            return true;
        };
        ASSERT_TRUE(inside(n.at)) << t;
        for (TimeMs x = n.at - 60000; x >= t && x > n.at - 3 * 86400000LL; x -= 60000) {
            ASSERT_FALSE(inside(x)) << t << " " << x;
        }
    }
}

TEST(LocalHours, TheEngineHoldsTheCallInPhaseQueued) {
    const CompiledGraph g = GraphBuilder()
                                .node("call", "VOICE_CALL")
                                .node("done", "CONVERTED")
                                .edge("call", "done")
                                .setting("respect_lead_local_time", true)
                                .compile();
    ASSERT_TRUE(g.has_local_hours());
    const LeadZones z = lead_zones(nullptr, "+14155550100", TimeZone::utc());
    Context ctx;
    ctx.now = utc(2026, 6, 1, 14);  // 07:00 in San Francisco
    ctx.zone = z.zone;
    ctx.zones = z.possible.zones();
    ctx.zone_count = z.possible.size();
    LeadState s;
    auto step = advance(g, s, Event{}, ctx);
    ASSERT_TRUE(step.ok());
    EXPECT_EQ(s.phase, Phase::kQueued);
    EXPECT_EQ(s.reason, Reason::kOutsideLocalHours);
    EXPECT_EQ(step->effect.type, EffectType::kQueued);
    EXPECT_EQ(step->effect.until, utc(2026, 6, 1, 15));
    EXPECT_STREQ(to_string(Reason::kOutsideLocalHours), "outside_local_calling_hours");
    EXPECT_EQ(parse_reason("outside_local_calling_hours"), Reason::kOutsideLocalHours);
    // The timer at 08:00 PDT places the call.
    ctx.now = step->effect.until;
    Event timer;
    timer.type = EventType::kTimerFired;
    step = advance(g, s, timer, ctx);
    ASSERT_TRUE(step.ok());
    EXPECT_EQ(step->effect.type, EffectType::kPlaceCall);
    // Off (the key absent): no hold at 07:00.
    const CompiledGraph off = GraphBuilder()
                                  .node("call", "VOICE_CALL")
                                  .node("done", "CONVERTED")
                                  .edge("call", "done")
                                  .compile();
    EXPECT_FALSE(off.has_local_hours());
    LeadState s2;
    ctx.now = utc(2026, 6, 1, 14);
    step = advance(off, s2, Event{}, ctx);
    ASSERT_TRUE(step.ok());
    EXPECT_EQ(step->effect.type, EffectType::kPlaceCall);
    // The exact analysis ignores time: no hold.
    ctx.ignore_calling_window = true;
    LeadState s3;
    step = advance(g, s3, Event{}, ctx);
    ASSERT_TRUE(step.ok());
    EXPECT_EQ(step->effect.type, EffectType::kPlaceCall);
}

TEST(LocalHours, CompileGraphRefusesHoursThatNeverMeetTheWindow) {
    auto bad = compile_graph(
        GraphBuilder()
            .node("call", "VOICE_CALL")
            .node("done", "CONVERTED")
            .edge("call", "done")
            .setting("respect_lead_local_time", true)
            .setting("calling_window", {{"days", {"mon"}}, {"start", "22:00"}, {"end", "23:00"}})
            .graph());
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.status().message().find("settings.local_calling_hours"), std::string::npos);
    auto malformed = compile_graph(GraphBuilder()
                                       .node("done", "CONVERTED")
                                       .setting("local_calling_hours", {{"start", "25:00"}})
                                       .graph());
    ASSERT_FALSE(malformed.ok());
    EXPECT_EQ(malformed.status().message(),
              "settings.local_calling_hours.start: expected HH:MM, got '25:00'");
}

}  // namespace
}  // namespace leadflow
