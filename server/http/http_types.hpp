// server/http/http_types.hpp — the plain request and response that handlers see. The HTTP
// library stays behind an adapter (httplib_adapter.cpp), so handlers and their tests never touch
// sockets.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadflow::server {

// Case-insensitive ordering for header names.
struct CaseInsensitiveLess {
    bool operator()(const std::string& a, const std::string& b) const;
};

struct UploadedFile {
    std::string name;      // form field name
    std::string filename;  // client-side file name
    std::string content_type;
    std::string content;
};

struct Request {
    std::string method;                              // "GET", "POST", …
    std::string path;                                // without the query string
    std::multimap<std::string, std::string> params;  // query parameters
    std::map<std::string, std::string> path_params;  // {id}, {nodeId}, … (router fills)
    std::map<std::string, std::string, CaseInsensitiveLess> headers;
    std::string body;
    std::string content_type;         // media type without parameters, lower case
    std::vector<UploadedFile> files;  // multipart/form-data parts (the adapter fills)
    // True once the client has gone away (its connection closed), so that long work for it
    // (a simulation) can stop early. Empty when the caller cannot tell (handler tests): then
    // the client is taken to be present. Set by the adapter; cheap enough to poll every few
    // milliseconds.
    std::function<bool()> client_gone;

    // The first value of a query parameter, or nullopt.
    std::optional<std::string> param(const std::string& name) const;
    // A header's value, or nullopt.
    std::optional<std::string> header(const std::string& name) const;
    // A path parameter ("" when the route has none of that name).
    const std::string& path_param(const std::string& name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    // The value of a header set on this response, or nullopt.
    std::optional<std::string> header(const std::string& name) const;
};

// "application/json; charset=utf-8" → "application/json".
std::string media_type(const std::string& content_type_header);

}  // namespace leadflow::server
