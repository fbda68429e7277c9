// server/util/phone.hpp — phone-number validation and E.164 normalization (libphonenumber).
#pragma once

#include <string>
#include <string_view>

#include "leadflow/status.hpp"

namespace leadflow::server {

// Normalizes a phone number written in any common form ("+1 415-555-2671", "(415) 555 2671")
// to E.164 ("+14155552671"). Numbers without a leading "+" are read in `default_region`
// (ISO 3166 alpha-2, e.g. "US"). Returns kInvalidArgument when the text is not a phone number
// or libphonenumber does not consider it a valid number.
Result<std::string> normalize_phone(std::string_view text, const std::string& default_region);

// True when `e164` is already E.164 and libphonenumber considers it a valid number.
bool is_valid_e164(std::string_view e164);

// True when `region` is a region code libphonenumber knows ("US", "IN", "GB", …).
bool is_known_region(const std::string& region);

}  // namespace leadflow::server
