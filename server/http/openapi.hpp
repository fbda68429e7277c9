// server/http/openapi.hpp — the OpenAPI 3 description of the served API (GET /v1/openapi.json).
#pragma once

#include "http/router.hpp"
#include "leadflow/json.hpp"

namespace leadflow::server {

// The OpenAPI 3.0 document of `router`'s routes, each described by its RouteDoc: parameters of
// the path and of its QueryKind, the request body, the successful reply (with the DialNexa
// envelope's variant where the route has one: an `anyOf` whose entries are titled "plain" and
// "envelope") and every error status the route can answer.
Json openapi_document(const Router& router);

// The document's component schemas (openapi_schemas.cpp). Objects that the server writes list
// their fields as required and admit no others, so a reply that gains or loses a field fails the
// response checks of the API suites until the schema says so.
Json openapi_schemas();

}  // namespace leadflow::server
