// server/runtime/phone_zone.cpp — see phone_zone.hpp.
#include "runtime/phone_zone.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <fstream>
#include <sstream>

namespace leadflow::server {

std::map<std::string, std::string> single_zone_regions(const std::string& zone_tab) {
    std::map<std::string, std::string> zone;
    std::map<std::string, int> count;
    std::istringstream in(zone_tab);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string region, coords, name;
        if (!(fields >> region >> coords >> name)) continue;
        ++count[region];
        zone[region] = name;
    }
    for (auto it = zone.begin(); it != zone.end();) {
        it = count[it->first] == 1 ? std::next(it) : zone.erase(it);
    }
    return zone;
}

std::optional<std::string> phone_time_zone(const std::string& e164) {
    static const std::map<std::string, std::string> kRegions = [] {
        std::ifstream in("/usr/share/zoneinfo/zone.tab");
        std::stringstream ss;
        ss << in.rdbuf();
        return single_zone_regions(ss.str());
    }();
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util->Parse(e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return std::nullopt;
    std::string region;
    util->GetRegionCodeForNumber(number, &region);
    auto it = kRegions.find(region);
    if (it == kRegions.end()) return std::nullopt;
    return it->second;
}

}  // namespace leadflow::server
