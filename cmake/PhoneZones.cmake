# Phone-number time zones, compiled into the core at configure time.
#
# The data is libphonenumber's own prefix-to-time-zone map (upstream's
# resources/timezones/map_data.txt, taken from Debian's source package by scripts/setup into
# .deps/libphonenumber/timezones/). Each line is "<digits>|<zone>&<zone>…": the country code and
# the leading digits of the national number, and every IANA zone a number with that prefix may
# be in. The core reads no files, so the map is written into a generated C++ source that
# core/src/phone_zones.cpp searches (core/include/leadflow/phone_zones.hpp):
#   - the zone names, sorted (byte order);
#   - the distinct zone lists ("sets"), as runs of indices into the names;
#   - the prefixes as integers, sorted by digit count and then by value, each with its set, and
#     for every digit count the index where its prefixes start (a binary search per length).
#
#   leadflow_generate_phone_zones(<target>)   adds the generated source to <target>
#
# LEADFLOW_PHONE_ZONES_FILE (cache) overrides the data file. A zone name that the build's tzdata
# (LEADFLOW_ZONEINFO_DIR, cmake/TimeZones.cmake) lacks is replaced by the zone tzdata.zi links it
# to; a name tzdata does not know at all stops the configure step.

set(LEADFLOW_PHONE_ZONES_FILE ${PROJECT_SOURCE_DIR}/.deps/libphonenumber/timezones/map_data.txt
    CACHE FILEPATH "libphonenumber's resources/timezones/map_data.txt (scripts/setup fetches it)")

function(leadflow_generate_phone_zones target)
    set(file "${LEADFLOW_PHONE_ZONES_FILE}")
    if(NOT EXISTS "${file}")
        message(FATAL_ERROR "PhoneZones: ${file} is missing: run scripts/setup")
    endif()
    set(zoneinfo "${LEADFLOW_ZONEINFO_DIR}")
    if(NOT zoneinfo)
        set(zoneinfo /usr/share/zoneinfo)
    endif()
    file(STRINGS "${file}" lines REGEX "^[0-9]+\\|")
    list(LENGTH lines line_count)
    if(line_count LESS 1000)
        message(FATAL_ERROR "PhoneZones: only ${line_count} prefixes in ${file}")
    endif()

    # Links of the build's tzdata ("L TARGET NAME"), for names its folder lacks.
    set(links "")
    if(EXISTS "${zoneinfo}/tzdata.zi")
        file(STRINGS "${zoneinfo}/tzdata.zi" links REGEX "^L ")
    endif()

    # Pass 1: the zone names (resolved against tzdata) and the longest prefix.
    set(names "")
    set(max_len 0)
    foreach(line IN LISTS lines)
        string(FIND "${line}" "|" bar)
        string(SUBSTRING "${line}" 0 ${bar} digits)
        string(LENGTH "${digits}" len)
        if(len GREATER 9)
            message(FATAL_ERROR "PhoneZones: prefix ${digits} has more than 9 digits")
        endif()
        if(len GREATER max_len)
            set(max_len ${len})
        endif()
        math(EXPR from "${bar} + 1")
        string(SUBSTRING "${line}" ${from} -1 zones)
        string(REPLACE "&" ";" zones "${zones}")
        foreach(z IN LISTS zones)
            if(DEFINED _pz_name_${z})
                continue()
            endif()
            set(resolved "${z}")
            if(NOT EXISTS "${zoneinfo}/${z}")
                set(resolved "")
                foreach(l IN LISTS links)
                    if(l MATCHES "^L ([^ ]+) ${z}$")
                        set(resolved "${CMAKE_MATCH_1}")
                        break()
                    endif()
                endforeach()
                if(resolved STREQUAL "" OR NOT EXISTS "${zoneinfo}/${resolved}")
                    message(FATAL_ERROR "PhoneZones: zone '${z}' of ${file} is not in ${zoneinfo}")
                endif()
            endif()
            set(_pz_name_${z} "${resolved}")
            list(APPEND names "${resolved}")
        endforeach()
    endforeach()
    list(REMOVE_DUPLICATES names)
    list(SORT names COMPARE STRING)
    set(i 0)
    set(name_rows "")
    foreach(n IN LISTS names)
        set(_pz_index_${n} ${i})
        string(APPEND name_rows "    \"${n}\",\n")
        math(EXPR i "${i} + 1")
    endforeach()
    set(name_count ${i})

    # Pass 2: the distinct sets and every prefix keyed "<length>|<digits>" for sorting.
    set(set_count 0)
    set(member_count 0)
    set(set_starts "0")
    set(members "")
    set(keys "")
    foreach(line IN LISTS lines)
        string(FIND "${line}" "|" bar)
        string(SUBSTRING "${line}" 0 ${bar} digits)
        string(LENGTH "${digits}" len)
        math(EXPR from "${bar} + 1")
        string(SUBSTRING "${line}" ${from} -1 zones)
        string(MD5 set_key "${zones}")
        if(NOT DEFINED _pz_set_${set_key})
            string(REPLACE "&" ";" zone_list "${zones}")
            set(ids "")
            foreach(z IN LISTS zone_list)
                set(id ${_pz_index_${_pz_name_${z}}})
                if(NOT id IN_LIST ids)  # two names of one zone count once
                    list(APPEND ids ${id})
                endif()
            endforeach()
            foreach(id IN LISTS ids)
                string(APPEND members "${id},")
                math(EXPR member_count "${member_count} + 1")
            endforeach()
            string(APPEND set_starts ", ${member_count}")
            set(_pz_set_${set_key} ${set_count})
            math(EXPR set_count "${set_count} + 1")
        endif()
        list(APPEND keys "${len}|${digits}|${_pz_set_${set_key}}")
    endforeach()
    list(SORT keys COMPARE STRING)

    set(prefix_rows "")
    set(set_rows "")
    set(length_starts "")
    set(current 0)
    set(index 0)
    foreach(k IN LISTS keys)
        string(REPLACE "|" ";" parts "${k}")
        list(GET parts 0 len)
        list(GET parts 1 digits)
        list(GET parts 2 set_id)
        while(current LESS len)
            string(APPEND length_starts "${index}, ")
            math(EXPR current "${current} + 1")
        endwhile()
        # Decimal integer literals: strip leading zeros (none expected; a country code starts 1–9).
        string(REGEX REPLACE "^0+([0-9])" "\\1" value "${digits}")
        string(APPEND prefix_rows "${value}u,")
        string(APPEND set_rows "${set_id},")
        math(EXPR index "${index} + 1")
    endforeach()
    while(current LESS 10)
        string(APPEND length_starts "${index}, ")
        math(EXPR current "${current} + 1")
    endwhile()
    # One line per 16 values keeps the generated source readable.
    foreach(var prefix_rows set_rows members)
        string(REGEX REPLACE "(([^,]*,){16})" "\\1\n    " ${var} "${${var}}")
    endforeach()

    set(content "// Generated by cmake/PhoneZones.cmake from ${file} — do not edit.
// libphonenumber's prefix-to-time-zone map (resources/timezones/map_data.txt).
#include <cstddef>
#include <cstdint>

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

// Zone names, sorted.
const char* const kPhoneZoneNames[] = {
${name_rows}};
const std::size_t kPhoneZoneNameCount = ${name_count};

// Set s = kPhoneZoneSetMembers[kPhoneZoneSetStart[s] .. kPhoneZoneSetStart[s + 1]).
const std::uint16_t kPhoneZoneSetStart[] = {${set_starts}};
const std::uint16_t kPhoneZoneSetMembers[] = {
    ${members}};
const std::size_t kPhoneZoneSetCount = ${set_count};

// Prefixes with L digits: indices [kPhonePrefixLengthStart[L - 1], kPhonePrefixLengthStart[L]),
// ascending by value.
const std::uint32_t kPhonePrefixValue[] = {
    ${prefix_rows}};
const std::uint16_t kPhonePrefixSet[] = {
    ${set_rows}};
const std::uint16_t kPhonePrefixLengthStart[] = {${length_starts}};
const std::size_t kPhonePrefixCount = ${index};
const int kPhonePrefixMaxDigits = ${max_len};

}  // namespace detail
}  // namespace leadflow
")
    set(out "${CMAKE_CURRENT_BINARY_DIR}/generated/phone_zone_data.cpp")
    set(old "")
    if(EXISTS "${out}")
        file(READ "${out}" old)
    endif()
    if(NOT old STREQUAL content)
        file(WRITE "${out}" "${content}")
    endif()
    target_sources(${target} PRIVATE "${out}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${file}")
    message(STATUS "PhoneZones: ${index} prefixes, ${set_count} zone sets, ${name_count} zones from ${file}")
endfunction()
