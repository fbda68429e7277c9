// server/runtime/phone_zone.hpp — the time zone of a phone number, for calling windows of leads
// without a `timezone` variable (SPEC §1.4): the number's region (libphonenumber) when that
// region has exactly one IANA zone in the system's tzdata (/usr/share/zoneinfo/zone.tab).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace leadflow::server {

// The single IANA zone of the E.164 number's region ("+919876543210" → "Asia/Kolkata"), or
// nullopt when the number has no region, the region has several zones (US, RU, …) or the
// tzdata table is missing. Thread-safe; the table is read once.
std::optional<std::string> phone_time_zone(const std::string& e164);

// Builds {region → zone} for regions with exactly one zone from zone.tab text (tests).
std::map<std::string, std::string> single_zone_regions(const std::string& zone_tab);

}  // namespace leadflow::server
