// web/js_api.hpp — the browser automation API: the C functions that web/js/leadflow.js calls
// (window.leadflow for tests and integrations, and the page's glue: HTTP answers, clipboard
// events, file uploads). They are defined in js_api.cpp, each with LEADFLOW_JS_EXPORT at the
// start of its line; cmake/JsApiExports.cmake reads those lines into Emscripten's
// -sEXPORTED_FUNCTIONS, so the export list is never written by hand.
//
// Every action replies {"ok": true} or {"ok": false, "error": "…"} as JSON text; the text stays
// valid until the next call into the API.
#pragma once

namespace leadflow::web {

struct AppState;

// Hands the API the app it drives. main() calls it once, before the first frame; JavaScript
// calls the API only after the first frame (window.leadflow.ready).
void js_api_attach(AppState& app);

}  // namespace leadflow::web
