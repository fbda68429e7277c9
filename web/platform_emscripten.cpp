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
EM_JS(void, lf_js_download_bytes, (const char* name, const char* data, int size, const char* type), {
    const blob = new Blob([HEAPU8.slice(data, data + size)], {type: UTF8ToString(type)});
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
EM_JS(char*, lf_js_share_url, (const char* fragment), {
    const url = location.href.split('#')[0] + '#' + UTF8ToString(fragment);
    const n = lengthBytesUTF8(url) + 1;
    const p = _malloc(n);
    stringToUTF8(url, p, n);
    return p;
});
EM_JS(char*, lf_js_page_origin, (), {
    const s = location.origin;
    const n = lengthBytesUTF8(s) + 1;
    const p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
});
EM_JS(void, lf_js_http, (int id, const char* method, const char* path, const char* body,
                         const char* key), {
    if (window.leadflowGlue) {
        window.leadflowGlue.http(id, UTF8ToString(method), UTF8ToString(path), UTF8ToString(body),
                                 UTF8ToString(key));
    }
});
EM_JS(void, lf_js_upload_csv, (int id, const char* path, const char* name, const char* csv,
                               const char* key), {
    if (window.leadflowGlue) {
        window.leadflowGlue.uploadCsv(id, UTF8ToString(path), UTF8ToString(name),
                                      UTF8ToString(csv), UTF8ToString(key));
    }
});
EM_JS(void, lf_js_pick_leads, (int id, const char* path, const char* key), {
    if (window.leadflowGlue) {
        window.leadflowGlue.pickAndUploadLeads(id, UTF8ToString(path), UTF8ToString(key));
    }
});
EM_JS(void, lf_js_session_set, (const char* key, const char* value), {
    try { sessionStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});
EM_JS(void, lf_js_session_remove, (const char* key), {
    try { sessionStorage.removeItem(UTF8ToString(key)); } catch (e) {}
});
EM_JS(char*, lf_js_session_get, (const char* key), {
    let v = null;
    try { v = sessionStorage.getItem(UTF8ToString(key)); } catch (e) {}
    if (v === null) return 0;
    const n = lengthBytesUTF8(v) + 1;
    const p = _malloc(n);
    stringToUTF8(v, p, n);
    return p;
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

void download_bytes(const std::string& filename, const std::string& bytes, const char* type) {
    lf_js_download_bytes(filename.c_str(), bytes.data(), static_cast<int>(bytes.size()), type);
}

void download_text(const std::string& filename, const std::string& text, const char* type) {
    download_bytes(filename, text, type);  // the text is UTF-8 already
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

std::string share_url(const std::string& fragment) {
    char* p = lf_js_share_url(fragment.c_str());
    std::string out(p);
    std::free(p);
    return out;
}

void copy_share_link(const std::string& fragment) {
    set_clipboard_text(share_url(fragment));
}

std::string page_origin() {
    char* p = lf_js_page_origin();
    std::string out(p);
    std::free(p);
    return out;
}

void http_request(int id, const std::string& method, const std::string& path,
                  const std::string& body, const std::string& api_key) {
    lf_js_http(id, method.c_str(), path.c_str(), body.c_str(), api_key.c_str());
}

void http_upload_csv(int id, const std::string& path, const std::string& filename,
                     const std::string& csv, const std::string& api_key) {
    lf_js_upload_csv(id, path.c_str(), filename.c_str(), csv.c_str(), api_key.c_str());
}

void pick_and_upload_leads(int id, const std::string& path, const std::string& api_key) {
    lf_js_pick_leads(id, path.c_str(), api_key.c_str());
}

void session_set(const std::string& key, const std::string& value) {
    lf_js_session_set(key.c_str(), value.c_str());
}

std::optional<std::string> session_get(const std::string& key) {
    char* p = lf_js_session_get(key.c_str());
    if (!p) return std::nullopt;
    std::string out(p);
    std::free(p);
    return out;
}

void session_remove(const std::string& key) {
    lf_js_session_remove(key.c_str());
}

void notify_ready() {
    lf_js_notify_ready();
}

}  // namespace leadflow::web::platform
