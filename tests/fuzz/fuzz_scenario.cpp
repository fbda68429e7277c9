// tests/fuzz/fuzz_scenario.cpp — scenario JSON (docs/simulation.md#the-scenario), as
// PUT /v1/workflows/{id}/scenario, simulate requests and share links deliver it.
//
// Properties: parsing never throws; a parsed scenario binds to a graph without crashing; its
// canonical JSON parses back to the same canonical JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.hpp"
#include "leadflow/scenario.hpp"

using namespace leadflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const CompiledGraph graph = fuzz::compiled_fixture("conditional_followup.json");
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto s = parse_scenario_text(text);
    if (!s.ok()) return 0;
    (void)bind_scenario(graph, *s);
    const Json canonical = to_json(*s);
    auto again = parse_scenario(canonical);
    LEADFLOW_FUZZ_CHECK(again.ok(), "a scenario's canonical JSON parses");
    LEADFLOW_FUZZ_CHECK(to_json(*again) == canonical, "canonical JSON is stable");
    return 0;
}
