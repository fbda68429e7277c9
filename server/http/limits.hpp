// server/http/limits.hpp — every input limit of the REST server in one table (docs/limits.md
// documents each with the error a client gets past it). Limits are enforced while reading: a
// reader stops at the first level, element, row or column past its limit and never builds the
// whole oversized value first.
#pragma once

#include <cstddef>
#include <cstdint>

#include "leadflow/wire.hpp"

namespace leadflow::server::limits {

// [SECTION] HTTP framing (enforced by the connection layer, before any handler runs)

// Request body: declared (Content-Length), chunked and decompressed size → 413.
inline constexpr std::size_t kMaxBodyBytes = 10 * 1024 * 1024;
// Request line plus all header lines.
inline constexpr std::size_t kMaxHeadBytes = 16 * 1024;
// Header fields per request.
inline constexpr std::size_t kMaxHeaderFields = 100;
// The whole request head must arrive within this many seconds → the connection is closed.
inline constexpr int kHeaderDeadlineSeconds = 10;

// [SECTION] JSON bodies

// Arrays and objects nested at most this deep (the core's default) → 400.
inline constexpr int kMaxJsonDepth = leadflow::kMaxJsonDepth;
// Elements of any one JSON array in a request body → 400. As large as the largest list a
// request may carry (kMaxLeadsPerRequest), so the specific limits below decide.
inline constexpr std::size_t kMaxJsonArrayElements = 100'000;

// [SECTION] Workflows

inline constexpr std::size_t kMaxNodesPerWorkflow = 10'000;
inline constexpr std::size_t kMaxEdgesPerWorkflow = 10'000;
// Node and edge labels, in bytes (UTF-8).
inline constexpr std::size_t kMaxLabelBytes = 200;
// Workflow titles, in bytes (after trimming).
inline constexpr std::size_t kMaxTitleBytes = 200;
// Every string in a node's config (values and keys, at any depth), in bytes.
inline constexpr std::size_t kMaxConfigStringBytes = 16 * 1024;

// [SECTION] Leads

// Data rows of one CSV upload (the header excluded) → 400 at the first row past it.
inline constexpr std::size_t kMaxCsvRows = 100'000;
// Variables of one lead (phone_number excluded).
inline constexpr std::size_t kMaxVariablesPerLead = 100;
// Columns of a CSV upload: phone_number plus one per variable → 400 at the first column past it.
inline constexpr std::size_t kMaxCsvColumns = kMaxVariablesPerLead + 1;
// A variable's name and value, in bytes.
inline constexpr std::size_t kMaxVariableNameBytes = 128;
inline constexpr std::size_t kMaxVariableValueBytes = 4096;
// An .xlsx upload (its first sheet) is held to the CSV limits above, rows and columns, and to the
// size of the CSV it would be: the cells' text plus one separator per cell, at most a body's
// worth. This also bounds what shared strings can multiply (many cells naming one long string).
inline constexpr std::size_t kMaxXlsxTextBytes = kMaxBodyBytes;
// Bytes inflated from the workbook's parts, counted while inflating (a zip bomb stops here).
// The XML of a sheet whose text reaches kMaxXlsxTextBytes is a few times larger.
inline constexpr std::size_t kMaxXlsxUnpackedBytes = 128 * 1024 * 1024;
// Entries of the zip archive of an .xlsx upload.
inline constexpr std::size_t kMaxXlsxEntries = 10'000;
// A lead's `metadata` object (JSON uploads), in bytes of its compact JSON text.
inline constexpr std::size_t kMaxLeadMetadataBytes = 16 * 1024;
// Leads in one JSON upload ({"leads": [...]}).
inline constexpr std::size_t kMaxLeadsPerRequest = 100'000;
// The lead list's `phone` search: its text as sent, and the digits it may hold (E.164 numbers
// have at most 15).
inline constexpr std::size_t kMaxPhoneSearchBytes = 64;
inline constexpr std::size_t kMaxPhoneSearchDigits = 15;
// A 400 listing rejected rows lists at most this many rows per reason, plus each reason's count.
inline constexpr std::size_t kMaxErrorRowsPerReason = 100;

// The DialNexa envelope's lead list without `page`/`limit` answers every matching lead in one
// reply (`count` = leads in `data`); past this many bytes of reply it is a 400 asking the client
// to page instead.
inline constexpr std::size_t kMaxEnvelopeLeadListBytes = 32 * 1024 * 1024;

// [SECTION] Simulation

// Leads of one POST …/simulate → 400 before the run.
inline constexpr std::int64_t kMaxSimulationLeads = 1'000'000;
// Events (arrivals + steps of every lead) of one POST …/simulate: the run stops → 422.
inline constexpr std::int64_t kMaxSimulationEvents = 50'000'000;

}  // namespace leadflow::server::limits
