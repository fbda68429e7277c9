// Phone-number time zones: the compiled-in libphonenumber map (longest prefix), numbers of many
// countries including prefixes that span several zones, and the zones of a lead.
#include "leadflow/phone_zones.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.hpp"

namespace leadflow {
namespace {

using testing::zone;

std::vector<std::string> names(const PhoneZones& z) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < z.size(); ++i) out.emplace_back(z.name(i));
    return out;
}

using Names = std::vector<std::string>;

TEST(PhoneZones, TheMapIsCompiledInAndEveryZoneIsKnown) {
    EXPECT_GT(phone_map_prefix_count(), 3000u);
    const std::vector<TimeZone>& zones = phone_map_zones();
    ASSERT_GT(zones.size(), 250u);
    for (std::size_t i = 0; i < zones.size(); ++i) {
        // A name TimeZone::find did not know would have been replaced by UTC.
        EXPECT_TRUE(TimeZone::find(zones[i].name()).ok()) << zones[i].name();
        if (i > 0) {
            EXPECT_LT(zones[i - 1].name(), zones[i].name());
        }
    }
}

TEST(PhoneZones, UnitedStatesAreaCodesOnBothCoasts) {
    EXPECT_EQ(names(phone_zones("+12125550100")), Names{"America/New_York"});
    EXPECT_EQ(names(phone_zones("+16175550100")), Names{"America/New_York"});     // Boston
    EXPECT_EQ(names(phone_zones("+14155550100")), Names{"America/Los_Angeles"});  // San Francisco
    EXPECT_EQ(names(phone_zones("+12065550100")), Names{"America/Los_Angeles"});  // Seattle
    EXPECT_EQ(names(phone_zones("+13125550100")), Names{"America/Chicago"});
    EXPECT_EQ(names(phone_zones("+18085550100")), Names{"Pacific/Honolulu"});
    EXPECT_EQ(phone_zones("+12125550100").prefix_digits(), 4);
    // Idaho's area code spans Mountain and Pacific time.
    EXPECT_EQ(names(phone_zones("+12082990100")), (Names{"America/Boise", "America/Los_Angeles"}));
    // Alaska's spans two zones too.
    EXPECT_EQ(names(phone_zones("+19075550100")), (Names{"America/Adak", "America/Anchorage"}));
}

TEST(PhoneZones, CanadaAndTheCaribbeanShareCountryCodeOne) {
    EXPECT_EQ(names(phone_zones("+14165550100")), Names{"America/Toronto"});
    EXPECT_EQ(names(phone_zones("+16045550100")), Names{"America/Vancouver"});
    EXPECT_EQ(names(phone_zones("+18687804765")), Names{"America/Port_of_Spain"});
    // "+1" with no listed area code: every zone of the North American plan.
    const PhoneZones nanp = phone_zones("+1");
    EXPECT_EQ(nanp.prefix_digits(), 1);
    EXPECT_GT(nanp.size(), 30u);
    EXPECT_TRUE(nanp.contains(zone("America/New_York")));
    EXPECT_TRUE(nanp.contains(zone("Pacific/Guam")));
}

TEST(PhoneZones, AustralianStates) {
    EXPECT_EQ(names(phone_zones("+61291234567")), Names{"Australia/Sydney"});    // NSW
    EXPECT_EQ(names(phone_zones("+61391234567")), Names{"Australia/Sydney"});    // Victoria
    EXPECT_EQ(names(phone_zones("+61721000123")), Names{"Australia/Brisbane"});  // Queensland
    // Western and South Australia share the 08 area code.
    EXPECT_EQ(names(phone_zones("+61851121234")), (Names{"Australia/Adelaide", "Australia/Perth"}));
    EXPECT_EQ(names(phone_zones("+61851001234")), Names{"Indian/Christmas"});
    // A prefix the map does not refine: every zone of Australia.
    EXPECT_EQ(
        names(phone_zones("+61512345678")),
        (Names{"Australia/Adelaide", "Australia/Brisbane", "Australia/Eucla", "Australia/Lord_Howe",
               "Australia/Perth", "Australia/Sydney", "Indian/Christmas", "Indian/Cocos"}));
}

TEST(PhoneZones, BrazilByAreaCode) {
    EXPECT_EQ(names(phone_zones("+5511987654321")), Names{"America/Sao_Paulo"});
    EXPECT_EQ(names(phone_zones("+5561987654321")), Names{"America/Sao_Paulo"});  // Brasília
    EXPECT_EQ(names(phone_zones("+5592987654321")), Names{"America/Manaus"});
    EXPECT_EQ(names(phone_zones("+5568987654321")), Names{"America/Rio_Branco"});
    EXPECT_EQ(names(phone_zones("+55")).size(), 4u) << "the country alone: all of Brazil";
}

TEST(PhoneZones, NumbersOfManyCountries) {
    EXPECT_EQ(names(phone_zones("+919876543210")), Names{"Asia/Calcutta"});  // India (CLDR id)
    EXPECT_EQ(names(phone_zones("+442071234567")), Names{"Europe/London"});
    EXPECT_EQ(names(phone_zones("+4930123456")), Names{"Europe/Berlin"});
    EXPECT_EQ(names(phone_zones("+33142685300")), Names{"Europe/Paris"});
    EXPECT_EQ(names(phone_zones("+525512345678")), Names{"America/Mexico_City"});
    EXPECT_EQ(names(phone_zones("+622112345678")), Names{"Asia/Jakarta"});
    EXPECT_EQ(names(phone_zones("+27111234567")), Names{"Africa/Johannesburg"});
    EXPECT_EQ(names(phone_zones("+2348012345678")), Names{"Africa/Lagos"});
    EXPECT_EQ(names(phone_zones("+8613812345678")), Names{"Asia/Shanghai"});
    EXPECT_EQ(names(phone_zones("+74232123456")), Names{"Asia/Vladivostok"});
    EXPECT_EQ(names(phone_zones("+73831234567")), Names{"Asia/Novosibirsk"});
    EXPECT_EQ(names(phone_zones("+6591234567")), Names{"Asia/Singapore"});
    // Multi-zone countries without a refining prefix.
    EXPECT_EQ(names(phone_zones("+64")), (Names{"Pacific/Auckland", "Pacific/Chatham"}));
    EXPECT_GT(phone_zones("+7").size(), 10u) << "Russia spans eleven time zones";
}

TEST(PhoneZones, AnythingButAnE164NumberHasNoZone) {
    for (const char* bad : {"", "+", "12125550100", "+1 212 555 0100", "+1212555010a",
                            "+1234567890123456", "tel:+12125550100"}) {
        EXPECT_TRUE(phone_zones(bad).empty()) << bad;
        EXPECT_EQ(phone_zones(bad).zones(), nullptr) << bad;
    }
    EXPECT_TRUE(phone_zones("+999123456").empty()) << "no country code 999";
}

TEST(PhoneZones, TheZonePointersAreTheZones) {
    const PhoneZones z = phone_zones("+12082990100");
    ASSERT_EQ(z.size(), 2u);
    EXPECT_EQ(z.zones()[0], &z.zone(0));
    EXPECT_EQ(z.zones()[1]->name(), "America/Los_Angeles");
    EXPECT_EQ(phone_zones("+12082990100").zones(), z.zones()) << "one table for the process";
}

TEST(LeadZones, VariableThenNumberThenWorkflow) {
    const TimeZone utc = TimeZone::utc();
    const TimeZone berlin = zone("Europe/Berlin");
    // A `timezone` variable decides alone.
    LeadZones z = lead_zones(&berlin, "+12125550100", utc);
    EXPECT_EQ(z.zone, &berlin);
    EXPECT_TRUE(z.possible.empty());
    // Else the number's zones.
    z = lead_zones(nullptr, "+12125550100", utc);
    EXPECT_EQ(z.zone->name(), "America/New_York");
    EXPECT_EQ(names(z.possible), Names{"America/New_York"});
    // Several: the first, unless the workflow's zone is one of them.
    z = lead_zones(nullptr, "+12082990100", utc);
    EXPECT_EQ(z.zone->name(), "America/Boise");
    EXPECT_EQ(z.possible.size(), 2u);
    const TimeZone la = zone("America/Los_Angeles");
    z = lead_zones(nullptr, "+12082990100", la);
    EXPECT_EQ(z.zone, &la);
    EXPECT_EQ(z.possible.size(), 2u);
    // No number (or one the map does not place): the workflow's zone.
    z = lead_zones(nullptr, "", la);
    EXPECT_EQ(z.zone, &la);
    EXPECT_TRUE(z.possible.empty());
}

}  // namespace
}  // namespace leadflow
