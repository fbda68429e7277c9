# LEADFLOW_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer on every target.
if(LEADFLOW_SANITIZE AND NOT EMSCRIPTEN)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

# With clang, the sanitizer tree also builds the libFuzzer targets of tests/fuzz against the
# same core and server libraries, so one compile serves both the sanitizer suites and the fuzz
# smoke (scripts/fuzz --smoke). Those libraries link leadflow_fuzz_coverage: the coverage
# feedback libFuzzer needs (fuzzer-no-link). In the test binaries, which do not link libFuzzer,
# the sanitizer runtime answers those hooks and does nothing.
set(LEADFLOW_FUZZ_IN_TREE OFF)
if(LEADFLOW_SANITIZE AND NOT EMSCRIPTEN AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(LEADFLOW_FUZZ_IN_TREE ON)
endif()
add_library(leadflow_fuzz_coverage INTERFACE)
if(LEADFLOW_FUZZ_IN_TREE)
    target_compile_options(leadflow_fuzz_coverage INTERFACE -fsanitize=fuzzer-no-link)
endif()
