// web/platform.hpp — what the editor needs from its host (the browser): clipboard, files,
// persistent storage, a clock, and canvas sizing. Implemented by platform_emscripten.cpp; the
// UI code calls only these functions, never the browser directly.
#pragma once

#include <optional>
#include <string>

namespace leadflow::web::platform {

// Milliseconds since page load (monotonic, sub-millisecond resolution).
double now_ms();
// Writes text to the system clipboard (best effort: browsers may refuse without a user gesture;
// the editor keeps its own copy too).
void set_clipboard_text(const std::string& text);
// Offers `text` as a file download named `filename`, of content type `type`.
void download_text(const std::string& filename, const std::string& text,
                   const char* type = "application/json");
// Offers the binary `bytes` as a file download named `filename`, of content type `type`.
void download_bytes(const std::string& filename, const std::string& bytes, const char* type);
// Opens the browser's file picker for a .json file; its content arrives later through the
// exported leadflow_import_text().
void request_file_upload();
// localStorage access. get returns nullopt when the key is absent or storage is unavailable.
void storage_set(const std::string& key, const std::string& value);
std::optional<std::string> storage_get(const std::string& key);
// True when the page URL asks to start from a clean slate (`?fresh`): autosave is not restored.
bool fresh_start_requested();
// The canvas's size in CSS pixels and the device pixel ratio.
void canvas_css_size(double* width, double* height);
double device_pixel_ratio();
// Sets the canvas drawing-buffer size (device pixels) and tells GLFW about it.
void set_canvas_pixel_size(int width, int height);
// Share links: the page URL with `fragment` as its hash, and copying that URL to the clipboard.
std::string share_url(const std::string& fragment);
void copy_share_link(const std::string& fragment);
// Server mode: the page's origin ("http://host:port"); an HTTP request to it, answered later
// through the exported leadflow_http_done(id, status, body) (status 0: no answer);
// sessionStorage (kept per tab, gone when it closes).
std::string page_origin();
void http_request(int id, const std::string& method, const std::string& path,
                  const std::string& body, const std::string& api_key);
// Uploads `csv` as a CSV file (multipart/form-data field "file", named `filename`) to `path`;
// the answer arrives like http_request's.
void http_upload_csv(int id, const std::string& path, const std::string& filename,
                     const std::string& csv, const std::string& api_key);
// Opens the browser's file picker for a lead file (.csv, .xlsx or .xlsm); once one is chosen
// its bytes are uploaded unchanged (multipart/form-data field "file", with the file's name and
// the content type of its extension) to `path` and the answer arrives for `id` like
// http_request's. Nothing arrives when the picker is dismissed.
void pick_and_upload_leads(int id, const std::string& path, const std::string& api_key);
void session_set(const std::string& key, const std::string& value);
std::optional<std::string> session_get(const std::string& key);
void session_remove(const std::string& key);
// Marks the automation API ready (window.leadflow.ready = true) once the first frame is drawn.
void notify_ready();

}  // namespace leadflow::web::platform
