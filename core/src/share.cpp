// Share links: JSON → raw DEFLATE → base64url, behind a format version.
#include "leadflow/share.hpp"

#include "leadflow/deflate.hpp"
#include "leadflow/wire.hpp"

namespace leadflow {

namespace {

constexpr std::size_t kMaxSharedJson = 8u << 20;  // a decoded link may not exceed 8 MB

Status damaged(const std::string& why) {
    return Status::invalid("This link is incomplete or damaged (" + why + ").");
}

}  // namespace

std::string encode_share_fragment(const SharePayload& payload) {
    Json j = Json::object();
    j["graph"] = payload.graph;
    if (!payload.scenario.is_null()) j["scenario"] = payload.scenario;
    if (!payload.view.is_null()) j["view"] = payload.view;
    return "s=" + std::to_string(kShareFormatVersion) + "." +
           base64url_encode(deflate_raw(j.dump()));
}

Result<SharePayload> decode_share_fragment(std::string_view fragment) {
    if (!fragment.empty() && fragment.front() == '#') fragment.remove_prefix(1);
    // Find the "s=" parameter among "&"-separated ones; a bare "1.…" is accepted too.
    std::string_view value = fragment;
    for (std::size_t start = 0; start <= fragment.size();) {
        std::size_t end = fragment.find('&', start);
        if (end == std::string_view::npos) end = fragment.size();
        const std::string_view part = fragment.substr(start, end - start);
        if (part.substr(0, 2) == "s=") {
            value = part.substr(2);
            break;
        }
        start = end + 1;
    }
    if (value.empty()) return Status::invalid("This link holds no shared workflow.");
    const std::size_t dot = value.find('.');
    if (dot == std::string_view::npos || dot == 0) return damaged("no format version");
    int version = 0;
    for (char c : value.substr(0, dot)) {
        if (c < '0' || c > '9' || version > 100000) return damaged("bad format version");
        version = version * 10 + (c - '0');
    }
    if (version > kShareFormatVersion) {
        return Status::invalid("This link was made by a newer version of Leadflow (format " +
                               std::to_string(version) + "); update Leadflow to open it.");
    }
    if (version < 1) return damaged("unknown format version");
    auto bytes = base64url_decode(value.substr(dot + 1));
    if (!bytes.ok()) return damaged(bytes.status().message());
    auto text = inflate_raw(*bytes, kMaxSharedJson);
    if (!text.ok()) return damaged(text.status().message());
    auto j = parse_json(*text);
    if (!j.ok()) return damaged(j.status().message());
    if (!j->is_object() || !j->contains("graph") || !(*j)["graph"].is_object()) {
        return Status::invalid("This link holds no workflow.");
    }
    SharePayload p;
    p.graph = (*j)["graph"];
    if (j->contains("scenario")) p.scenario = (*j)["scenario"];
    if (j->contains("view")) p.view = (*j)["view"];
    return p;
}

}  // namespace leadflow
