// tests/fuzz/fuzz_lead_state.cpp — the scheduler's stored lead state (leads.state: "s1|…" text or
// the older JSON object), read back at every step. A damaged or hand-edited database row must
// not take the scheduler down.
//
// Properties: parsing never throws; lead_state_phase agrees with the parser on whether the text
// has a readable phase; writing a parsed state and parsing it again is a fixed point.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "runtime/lead_state_text.hpp"

using namespace leadflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const CompiledGraph graph = fuzz::compiled_fixture("conditional_followup.json");
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)server::lead_state_phase(text);
    auto s = server::parse_lead_state_text(text, graph);
    if (!s.ok()) return 0;
    std::string once, twice;
    server::write_lead_state_text(*s, graph, once);
    auto again = server::parse_lead_state_text(once, graph);
    LEADFLOW_FUZZ_CHECK(again.ok(), "a written state parses");
    server::write_lead_state_text(*again, graph, twice);
    LEADFLOW_FUZZ_CHECK(once == twice, "write → parse → write is a fixed point");
    auto phase = server::lead_state_phase(once);
    LEADFLOW_FUZZ_CHECK(phase && *phase == again->phase, "lead_state_phase reads a written state");
    return 0;
}
