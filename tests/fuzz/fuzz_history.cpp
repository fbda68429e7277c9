// tests/fuzz/fuzz_history.cpp — stored history rows (lead_history.entry): read back with
// history_entry_from_json, written by the scheduler with history_text.
//
// Properties: decoding never throws; history_text writes exactly to_json(h).dump() for every
// decodable entry (the scheduler's fast writer and the codec agree byte for byte), and that
// text decodes to the same entry.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "leadflow/wire.hpp"
#include "runtime/history_text.hpp"

using namespace leadflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto j = parse_json(text);
    if (!j.ok()) return 0;
    auto h = history_entry_from_json(*j);
    if (!h.ok()) return 0;
    const std::string fast = server::history_text(*h);
    const std::string slow = to_json(*h).dump();
    LEADFLOW_FUZZ_CHECK(fast == slow, "history_text == to_json(h).dump()");
    auto back = parse_json(fast);
    LEADFLOW_FUZZ_CHECK(back.ok(), "history_text is JSON");
    auto h2 = history_entry_from_json(*back);
    LEADFLOW_FUZZ_CHECK(h2.ok() && to_json(*h2) == to_json(*h), "history text round-trips");
    return 0;
}
