// tests/fuzz/fuzz_release_time.cpp — release times of TIME nodes with time_source
// postcall_analysis (docs/workflows.md#time-nodes-and-release-times): free text from a call's
// analysis ("tomorrow 4 PM"), which the voice platform sends and the engine parses.
//
// Input: 4 bytes pick "now" (seconds after 2020-01-01, so 2020–2156, the range a server clock
// can be in), 1 byte picks the zone from time_zone_names(), the rest is the value.
// Properties: parsing never throws or overflows;
// a result lies between the years 0 and 10000 (explicit dates may be far in the past: a
// four-digit year is read as written, and the engine releases a past time at once).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.hpp"
#include "leadflow/release_time.hpp"
#include "leadflow/time_zone.hpp"

using namespace leadflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 5) return 0;
    static const std::vector<std::string>& zones = time_zone_names();
    constexpr TimeMs k2020 = 1577836800000;
    const std::uint32_t secs = std::uint32_t{data[0]} | std::uint32_t{data[1]} << 8 |
                               std::uint32_t{data[2]} << 16 | std::uint32_t{data[3]} << 24;
    const TimeMs now = k2020 + TimeMs{secs} * 1000 + data[4] % 10 * 100;
    auto tz = TimeZone::find(zones[data[4] % zones.size()]);
    LEADFLOW_FUZZ_CHECK(tz.ok(), "every listed zone is found");
    const std::string_view value(reinterpret_cast<const char*>(data) + 5, size - 5);
    const auto t = parse_release_time(value, now, *tz);
    if (!t) return 0;
    constexpr TimeMs kYear0 = -62167219200000;      // 0000-01-01T00:00:00Z
    constexpr TimeMs kYear10000 = 253402300800000;  // 10000-01-01T00:00:00Z
    constexpr TimeMs kDay = 86400000;
    LEADFLOW_FUZZ_CHECK(*t >= kYear0 - kDay && *t <= kYear10000 + kDay,
                        "a release time lies between the years 0 and 10000");
    return 0;
}
