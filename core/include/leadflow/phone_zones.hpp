// leadflow/phone_zones.hpp — the time zones a phone number may be in, and the zones of a lead
// (docs/calling-hours.md).
//
// The data is libphonenumber's prefix-to-time-zone map (upstream's
// resources/timezones/map_data.txt), compiled in by cmake/PhoneZones.cmake, so the server and
// the simulator (natively and in WebAssembly) answer alike. A number's zones are those of the
// longest prefix of its digits (country code + national number) that the map lists: "+1212…"
// → America/New_York; "+1208…" → America/Boise and America/Los_Angeles (Idaho spans two zones);
// "+61…" without a more specific prefix → the eight zones of Australia. libphonenumber's own
// mapper widens numbers it classifies as non-geographic (mobiles in some countries) to their
// country's zones; that needs its number-type metadata, which the core does not carry, so a
// number's prefix decides here. The map's names are upstream's (CLDR ids such as
// Asia/Calcutta); each is a zone TimeZone::find knows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "leadflow/time_zone.hpp"

namespace leadflow {

// The zones of one number: a handle on a list in the compiled-in map (trivially copyable,
// never owns anything). Empty when the map places no prefix of the number.
class PhoneZones {
  public:
    PhoneZones() = default;

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    // The i-th zone (the map's order: upstream lists them by name) and its IANA name.
    const TimeZone& zone(std::size_t i) const { return *zones_[i]; }
    std::string_view name(std::size_t i) const { return zones_[i]->name(); }
    // The zones as a contiguous array of size() pointers (null when empty), for
    // next_call_instant. The pointers live as long as the process.
    const TimeZone* const* zones() const { return zones_; }
    // Digits of the prefix that matched (0 when empty).
    int prefix_digits() const { return prefix_digits_; }
    // True when `z` is one of the zones (by name).
    bool contains(const TimeZone& z) const;

  private:
    friend PhoneZones phone_zones(std::string_view e164);
    const TimeZone* const* zones_ = nullptr;
    std::uint16_t size_ = 0;
    std::uint8_t prefix_digits_ = 0;
};

// The zones of an E.164 number ("+" then 1–15 digits; anything else, including spaces, gives
// none) by the longest prefix the map lists. Allocation-free: a binary search per prefix
// length over the sorted prefixes (the first call builds the process-wide zone table once;
// thread-safe).
PhoneZones phone_zones(std::string_view e164);

// Every zone the map names, sorted by name (each found by TimeZone::find).
const std::vector<TimeZone>& phone_map_zones();
// How many prefixes the map lists.
std::size_t phone_map_prefix_count();

// The zones of a lead, as the engine reads them (Context::zone, Context::zones):
//   zone      its local times (post-call-analysis release times, the calling window): the
//             lead's `timezone` variable when it names a known zone; else its number's zone —
//             the workflow's zone when that is one of the number's, else the number's first;
//             else the workflow's zone;
//   possible  every zone the lead may be in, for local calling hours: its number's zones when
//             no `timezone` variable decides; empty means `zone` alone.
struct LeadZones {
    const TimeZone* zone = nullptr;
    PhoneZones possible;
};

// `variable_zone`: the lead's `timezone` variable resolved (nullptr when unset or unknown).
// The returned pointers are `variable_zone`, `&workflow_zone` or the map's own zones.
LeadZones lead_zones(const TimeZone* variable_zone, std::string_view phone_number,
                     const TimeZone& workflow_zone);

}  // namespace leadflow
