// server/http/openapi.hpp — the OpenAPI 3 description of the served API (GET /v1/openapi.json).
#pragma once

#include "leadflow/json.hpp"

namespace leadflow::server {

// The OpenAPI 3.0 document: every API route with its parameters, request body and responses.
// Written by hand (not derived from the router), so a test can compare the two lists.
const Json& openapi_document();

}  // namespace leadflow::server
