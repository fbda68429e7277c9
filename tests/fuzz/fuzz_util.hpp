// tests/fuzz/fuzz_util.hpp — helpers shared by the libFuzzer targets: fixture loading and the
// check that turns a broken property into a crash libFuzzer records.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/wire.hpp"

namespace leadflow::fuzz {

// Aborts with a message when a property that must hold for every input does not.
#define LEADFLOW_FUZZ_CHECK(cond, what)                                           \
    do {                                                                          \
        if (!(cond)) {                                                            \
            std::fprintf(stderr, "fuzz property broken: %s (%s)\n", what, #cond); \
            std::abort();                                                         \
        }                                                                         \
    } while (0)

// The content of a file under tests/fixtures; aborts when it cannot be read.
inline std::string read_fixture(const std::string& name) {
    std::ifstream in(std::string(LEADFLOW_FIXTURES_DIR) + "/" + name, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read fixture %s\n", name.c_str());
        std::abort();
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A fixture graph, compiled (once per process by the caller).
inline CompiledGraph compiled_fixture(const std::string& name) {
    auto g = parse_graph(read_fixture(name));
    if (!g.ok()) std::abort();
    auto c = compile_graph(*g);
    if (!c.ok()) std::abort();
    return std::move(c.value());
}

}  // namespace leadflow::fuzz
