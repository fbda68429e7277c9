// web/platform_emscripten.cpp — platform.hpp for the browser (Emscripten + small JS snippets).
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdlib>

#include "platform.hpp"

// clang-format off
EM_JS(void, lf_js_set_clipboard, (const char* text), {
    const s = UTF8ToString(text);
    if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(s).catch(() => {});
    }
});
EM_JS(void, lf_js_download, (const char* name, const char* text), {
    const blob = new Blob([UTF8ToString(text)], {type: 'application/json'});
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = UTF8ToString(name);
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
});
EM_JS(void, lf_js_request_upload, (), {
    if (window.leadflowGlue) window.leadflowGlue.openFilePicker();
});
EM_JS(void, lf_js_storage_set, (const char* key, const char* value), {
    try { localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});
EM_JS(char*, lf_js_storage_get, (const char* key), {
    let v = null;
    try { v = localStorage.getItem(UTF8ToString(key)); } catch (e) {}
    if (v === null) return 0;
    const n = lengthBytesUTF8(v) + 1;
    const p = _malloc(n);
    stringToUTF8(v, p, n);
    return p;
});
EM_JS(int, lf_js_fresh_start, (), {
    return new URLSearchParams(location.search).has('fresh') ? 1 : 0;
});
EM_JS(void, lf_js_set_canvas_size, (int w, int h), {
    const canvas = Module['canvas'];
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    if (typeof GLFW !== 'undefined' && GLFW.active) {
        GLFW.active.width = w;
        GLFW.active.height = h;
    }
});
EM_JS(void, lf_js_notify_ready, (), {
    if (window.leadflowGlue) window.leadflowGlue.markReady();
});
// clang-format on

namespace leadflow::web::platform {

double now_ms() {
    return emscripten_get_now();
}

void set_clipboard_text(const std::string& text) {
    lf_js_set_clipboard(text.c_str());
}

void download_text(const std::string& filename, const std::string& text) {
    lf_js_download(filename.c_str(), text.c_str());
}

void request_file_upload() {
    lf_js_request_upload();
}

void storage_set(const std::string& key, const std::string& value) {
    lf_js_storage_set(key.c_str(), value.c_str());
}

std::optional<std::string> storage_get(const std::string& key) {
    char* p = lf_js_storage_get(key.c_str());
    if (!p) return std::nullopt;
    std::string out(p);
    std::free(p);
    return out;
}

bool fresh_start_requested() {
    return lf_js_fresh_start() != 0;
}

void canvas_css_size(double* width, double* height) {
    emscripten_get_element_css_size("#canvas", width, height);
}

double device_pixel_ratio() {
    return emscripten_get_device_pixel_ratio();
}

void set_canvas_pixel_size(int width, int height) {
    lf_js_set_canvas_size(width, height);
}

void notify_ready() {
    lf_js_notify_ready();
}

}  // namespace leadflow::web::platform
