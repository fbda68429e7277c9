// server/http/errors.hpp — every error response the API sends (docs/api.md#errors):
// {"statusCode": 400, "message": "text" | ["text", …], "error": "Bad Request"[, "errors": […]]}.
#pragma once

#include "http/http_types.hpp"
#include "leadflow/json.hpp"
#include "leadflow/status.hpp"

namespace leadflow::server {

// The reason phrase of an HTTP status code ("Bad Request", …); "Error" for unknown codes.
const char* reason_phrase(int code);

// An error response with the given code and message (a string or an array of strings). When
// `errors` is given (validation diagnostics, grouped upload errors) it is added as "errors".
Response error_response(int code, const Json& message, const Json* errors = nullptr);

// THE mapping of a core/store Status to an HTTP error: kInvalidArgument and
// kFailedPrecondition → 400, kNotFound → 404, kConflict → 409, kUnavailable (disk full or an
// I/O error: nothing was saved) → 503 with kStorageUnavailableMessage and Retry-After: 10,
// kInternal (and anything unexpected) → 500 with a generic message (internals are never sent
// to clients).
Response status_response(const Status& status);

// The message of a 503 for a write that storage could not take.
extern const char* const kStorageUnavailableMessage;

// A JSON response with the given status code.
Response json_response(int code, const Json& body);
// A JSON response whose body is already JSON text (json_text.hpp writers).
Response json_text_response(int code, std::string body);

}  // namespace leadflow::server
