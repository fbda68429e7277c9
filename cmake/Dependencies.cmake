# Dependencies come from Debian packages installed by scripts/setup; nothing is downloaded here.
#
# nlohmann/json is header-only. The Emscripten sysroot hides /usr/include, and adding it would
# pull in glibc headers, so the WebAssembly build sees a folder that holds only nlohmann/.
find_path(LEADFLOW_NLOHMANN_DIR nlohmann/json.hpp PATHS /usr/include NO_CMAKE_FIND_ROOT_PATH REQUIRED)
set(_json_inc ${CMAKE_BINARY_DIR}/third_party_include)
file(MAKE_DIRECTORY ${_json_inc})
if(NOT EXISTS ${_json_inc}/nlohmann)
    file(CREATE_LINK ${LEADFLOW_NLOHMANN_DIR}/nlohmann ${_json_inc}/nlohmann SYMBOLIC)
endif()
add_library(nlohmann_json_headers INTERFACE)
target_include_directories(nlohmann_json_headers SYSTEM INTERFACE ${_json_inc})
target_compile_definitions(nlohmann_json_headers INTERFACE JSON_USE_IMPLICIT_CONVERSIONS=0)

# GoogleTest: natively the Debian libraries; for WebAssembly, built from Debian's sources.
if(LEADFLOW_BUILD_TESTS)
    if(EMSCRIPTEN)
        set(_gt /usr/src/googletest/googletest)
        add_library(leadflow_gtest STATIC ${_gt}/src/gtest-all.cc)
        target_include_directories(leadflow_gtest SYSTEM PUBLIC ${_gt}/include PRIVATE ${_gt})
        add_library(leadflow_gtest_main STATIC ${_gt}/src/gtest_main.cc)
        target_link_libraries(leadflow_gtest_main PUBLIC leadflow_gtest)
        add_library(GTest::gtest_main ALIAS leadflow_gtest_main)
        add_library(GTest::gtest ALIAS leadflow_gtest)
    else()
        find_package(GTest REQUIRED)
    endif()
endif()

# The .xlsx reader of lead uploads (server only): libzip opens the archive, expat parses its XML.
# libzip through pkg-config: Debian's libzip-dev CMake package names command-line tools that
# live in another package, and fails without them.
if(NOT EMSCRIPTEN)
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(LEADFLOW_LIBZIP REQUIRED IMPORTED_TARGET GLOBAL libzip)
    add_library(leadflow_libzip ALIAS PkgConfig::LEADFLOW_LIBZIP)
    find_package(EXPAT REQUIRED)
endif()
