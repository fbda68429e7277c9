// Phone-number time zones: longest-prefix search over the compiled-in map
// (cmake/PhoneZones.cmake).
#include "leadflow/phone_zones.hpp"

#include <algorithm>
#include <vector>

namespace leadflow {

namespace detail {
extern const char* const kPhoneZoneNames[];
extern const std::size_t kPhoneZoneNameCount;
extern const std::uint16_t kPhoneZoneSetStart[];
extern const std::uint16_t kPhoneZoneSetMembers[];
extern const std::size_t kPhoneZoneSetCount;
extern const std::uint32_t kPhonePrefixValue[];
extern const std::uint16_t kPhonePrefixSet[];
extern const std::uint16_t kPhonePrefixLengthStart[];
extern const std::size_t kPhonePrefixCount;
extern const int kPhonePrefixMaxDigits;
}  // namespace detail

namespace {

// Every zone of the map resolved once, and the members of every set as pointers into them
// (parallel to kPhoneZoneSetMembers), so a lookup hands out a pointer run.
struct ZoneTable {
    std::vector<TimeZone> zones;
    std::vector<const TimeZone*> members;
};

const ZoneTable& zone_table() {
    static const ZoneTable table = [] {
        ZoneTable t;
        t.zones.reserve(detail::kPhoneZoneNameCount);
        for (std::size_t i = 0; i < detail::kPhoneZoneNameCount; ++i) {
            // cmake/PhoneZones.cmake keeps only names the build's tzdata has, and the time-zone
            // table comes from the same tzdata; tests/core/phone_zones_test.cpp checks every one.
            auto z = TimeZone::find(detail::kPhoneZoneNames[i]);
            t.zones.push_back(z.ok() ? z.value() : TimeZone::utc());
        }
        const std::size_t n = detail::kPhoneZoneSetStart[detail::kPhoneZoneSetCount];
        t.members.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            t.members.push_back(&t.zones[detail::kPhoneZoneSetMembers[i]]);
        }
        return t;
    }();
    return table;
}

}  // namespace

const std::vector<TimeZone>& phone_map_zones() {
    return zone_table().zones;
}

std::size_t phone_map_prefix_count() {
    return detail::kPhonePrefixCount;
}

bool PhoneZones::contains(const TimeZone& z) const {
    for (std::size_t i = 0; i < size_; ++i) {
        if (*zones_[i] == z) return true;
    }
    return false;
}

PhoneZones phone_zones(std::string_view e164) {
    PhoneZones out;
    if (e164.size() < 2 || e164.size() > 16 || e164[0] != '+') return out;
    const std::string_view digits = e164.substr(1);
    for (char c : digits) {
        if (c < '0' || c > '9') return out;
    }
    const int max_len =
        std::min<int>(detail::kPhonePrefixMaxDigits, static_cast<int>(digits.size()));
    std::uint32_t values[10] = {};
    std::uint32_t v = 0;
    for (int len = 1; len <= max_len; ++len) {
        v = v * 10 + static_cast<std::uint32_t>(digits[static_cast<std::size_t>(len - 1)] - '0');
        values[len] = v;
    }
    for (int len = max_len; len >= 1; --len) {
        const std::uint32_t* begin =
            detail::kPhonePrefixValue + detail::kPhonePrefixLengthStart[len - 1];
        const std::uint32_t* end = detail::kPhonePrefixValue + detail::kPhonePrefixLengthStart[len];
        const std::uint32_t* it = std::lower_bound(begin, end, values[len]);
        if (it == end || *it != values[len]) continue;
        const std::uint16_t set = detail::kPhonePrefixSet[it - detail::kPhonePrefixValue];
        const std::uint16_t first = detail::kPhoneZoneSetStart[set];
        out.zones_ = zone_table().members.data() + first;
        out.size_ = static_cast<std::uint16_t>(detail::kPhoneZoneSetStart[set + 1] - first);
        out.prefix_digits_ = static_cast<std::uint8_t>(len);
        return out;
    }
    return out;
}

LeadZones lead_zones(const TimeZone* variable_zone, std::string_view phone_number,
                     const TimeZone& workflow_zone) {
    LeadZones z;
    if (variable_zone != nullptr) {
        z.zone = variable_zone;
        return z;
    }
    z.possible = phone_zones(phone_number);
    if (z.possible.empty()) {
        z.zone = &workflow_zone;
    } else if (z.possible.contains(workflow_zone)) {
        z.zone = &workflow_zone;
    } else {
        z.zone = &z.possible.zone(0);
    }
    return z;
}

}  // namespace leadflow
