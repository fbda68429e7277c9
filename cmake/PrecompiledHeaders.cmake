# Precompiled headers. nlohmann/json, GoogleTest and cpp-httplib each take one to two and a half
# seconds to parse, and almost every translation unit includes at least one of them, so parsing
# them again for each source is a large share of every build (native, sanitizer and
# WebAssembly alike). A target with several sources parses them once, into a precompiled header
# that its sources see first (CMake's target_precompile_headers).
#
# The sources still include what they use: the precompiled header only saves the parse, and a
# build with -DLEADFLOW_PCH=OFF compiles the same code.
option(LEADFLOW_PCH "Precompile the heavy third-party headers of targets with several sources" ON)

# leadflow_precompile(TARGET [GTEST] [HTTPLIB] [HEADERS h…]): precompiles nlohmann/json and the common
# standard headers for TARGET, plus GoogleTest (GTEST) and cpp-httplib (HTTPLIB: only for targets
# compiled with the CPPHTTPLIB_* switches of Debian's library) and HEADERS. Targets with fewer than three
# sources are left alone: the precompiled header would cost more than it saves.
function(leadflow_precompile target)
    cmake_parse_arguments(P "GTEST;HTTPLIB" "" "HEADERS" ${ARGN})
    if(NOT LEADFLOW_PCH)
        return()
    endif()
    get_target_property(_sources ${target} SOURCES)
    list(LENGTH _sources _count)
    if(_count LESS 3)
        return()
    endif()
    set(_headers <algorithm> <cstdint> <functional> <map> <memory> <optional> <string>
        <string_view> <unordered_map> <utility> <vector> <nlohmann/json.hpp>)
    if(P_GTEST)
        list(APPEND _headers <gtest/gtest.h>)
    endif()
    if(P_HTTPLIB)
        list(APPEND _headers <httplib.h>)
    endif()
    target_precompile_headers(${target} PRIVATE ${_headers} ${P_HEADERS})
endfunction()
