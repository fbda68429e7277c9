// server/runtime/history_text.hpp — the stored text of a history entry, written directly.
//
// The scheduler appends one to three history rows per engine step; building a Json object and
// dumping it (plus formatting each timestamp with snprintf) was a fifth of a step's cost. This
// writer produces exactly the text of `to_json(h).dump()` (same keys, order and escaping), so
// rows written either way read back alike; strings that need escaping go through Json.
#pragma once

#include <string>

#include "leadflow/engine.hpp"
#include "leadflow/model.hpp"

namespace leadflow::server {

class HistoryTextWriter {
  public:
    // The text of to_json(h).dump().
    std::string write(const HistoryEntry& h);

  private:
    void timestamp(std::string& out, TimeMs t);
    // format_timestamp() of the last two distinct times (a batch's entries share "now").
    TimeMs times_[2] = {kNoTime, kNoTime};
    std::string texts_[2];
    int next_ = 0;
};

}  // namespace leadflow::server
