// tests/fuzz/fuzz_wire.cpp — the graph document of the wire format ({workflow, nodes, edges};
// docs/workflows.md) as PUT /v1/workflows/{id}/graph and share links deliver it.
//
// Properties: decoding never throws; a decoded graph validates and compiles without crashing;
// decode → encode → decode gives the same document (the codec keeps unknown fields in `extra`).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.hpp"
#include "leadflow/compiled_graph.hpp"
#include "leadflow/validate.hpp"
#include "leadflow/wire.hpp"

using namespace leadflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto j = parse_json(text);
    if (!j.ok()) return 0;
    // The other documents of the wire format read the same bytes (most fail fast on type).
    (void)lead_from_json(*j);
    (void)execution_from_json(*j);
    (void)workflow_from_json(*j);
    auto g = graph_from_json(*j);
    if (!g.ok()) return 0;
    const auto diags = validate(*g);
    (void)validation_report_json(diags).dump();
    (void)compile_graph(*g);

    const Json encoded = to_json(*g);
    auto again = parse_graph(encoded.dump());
    LEADFLOW_FUZZ_CHECK(again.ok(), "an encoded graph decodes");
    LEADFLOW_FUZZ_CHECK(to_json(*again) == encoded, "decode → encode → decode is stable");
    return 0;
}
