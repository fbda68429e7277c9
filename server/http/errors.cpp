// server/http/errors.cpp
#include "http/errors.hpp"

#include "util/log_text.hpp"

namespace leadflow::server {

const char* const kStorageUnavailableMessage =
    "storage is full: the write was not saved; free disk space on the server (or repair its "
    "storage after an I/O error) and retry";

const char* reason_phrase(int code) {
    switch (code) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 413:
            return "Payload Too Large";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Entity";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 499:
            return "Client Closed Request";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 503:
            return "Service Unavailable";
        default:
            return "Error";
    }
}

Response json_response(int code, const Json& body) {
    Response r;
    r.status = code;
    r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
    return r;
}

Response json_text_response(int code, std::string body) {
    Response r;
    r.status = code;
    r.body = std::move(body);
    return r;
}

Response error_response(int code, const Json& message, const Json* errors) {
    Json body = Json::object();
    body["statusCode"] = code;
    body["message"] = message;
    body["error"] = reason_phrase(code);
    if (errors) body["errors"] = *errors;
    return json_response(code, body);
}

Response status_response(const Status& status) {
    switch (status.code()) {
        case StatusCode::kInvalidArgument:
        case StatusCode::kFailedPrecondition:
            return error_response(400, status.message());
        case StatusCode::kNotFound:
            return error_response(404, status.message());
        case StatusCode::kConflict:
            return error_response(409, status.message());
        case StatusCode::kUnavailable: {
            // The details (which file, which error) go to the operator's log.
            log_line("storage unavailable: " + log_escape(status.message()));
            Response r = error_response(503, kStorageUnavailableMessage);
            r.headers.emplace_back("Retry-After", "10");
            return r;
        }
        case StatusCode::kResourceExhausted:
            return error_response(422, status.message());
        case StatusCode::kCancelled:
            // Only a client that has gone away cancels: nobody reads this answer.
            return error_response(499, status.message());
        case StatusCode::kOk:
        case StatusCode::kInternal:
        default:
            // The details go to the operator's log, never to the client.
            log_line("internal error: " + log_escape(status.message()));
            return error_response(500, "Internal server error");
    }
}

}  // namespace leadflow::server
