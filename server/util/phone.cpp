// server/util/phone.cpp — libphonenumber behind phone.hpp.
#include "util/phone.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <set>

namespace leadflow::server {
namespace {
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;
}  // namespace

Result<std::string> normalize_phone(std::string_view text, const std::string& default_region) {
    const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    std::string input(text);
    if (input.find_first_of("0123456789") == std::string::npos) {
        return Status::invalid("not a phone number");
    }
    if (util->Parse(input, default_region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
        return Status::invalid("not a phone number");
    }
    if (!util->IsValidNumber(number)) return Status::invalid("not a valid phone number");
    std::string out;
    util->Format(number, PhoneNumberUtil::E164, &out);
    return out;
}

bool is_valid_e164(std::string_view e164) {
    if (e164.empty() || e164[0] != '+') return false;
    auto r = normalize_phone(e164, "ZZ");
    return r.ok() && r.value() == e164;
}

bool is_known_region(const std::string& region) {
    static const std::set<std::string> regions = [] {
        std::set<std::string> s;
        PhoneNumberUtil::GetInstance()->GetSupportedRegions(&s);
        return s;
    }();
    return regions.count(region) > 0;
}

}  // namespace leadflow::server
