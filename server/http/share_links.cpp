// server/http/share_links.cpp — short links for large graphs (docs/api.md#share-links): the web app
// stores a share-link fragment with POST /v1/share-links and gets "/s/<id>"; opening /s/<id>
// redirects to the web app with the fragment, which the page decodes as usual.
//
// Links are stored in the database (table share_links), so a short link survives restarts.
// Creating one needs an API key; the key's organization owns the link and only it can delete it
// (DELETE /v1/share-links/<id>). Ids are 128 random bits (32 hex characters), so a link cannot
// be found by guessing or by knowing the shared content; ids of 12 hex characters stored
// earlier (content hashes) keep resolving.

#include "http/app.hpp"
#include "http/errors.hpp"
#include "http/handler_util.hpp"
#include "util/crypto.hpp"

namespace leadflow::server {
namespace {

constexpr std::size_t kMaxFragmentBytes = 256 * 1024;
constexpr std::size_t kShareLinkIdBytes = 16;  // 128 random bits
bool is_fragment_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '=' || c == '&';
}

Response create_share_link(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err)) return err;
    if (!body.contains("fragment") || !body["fragment"].is_string()) {
        return error_response(400, "fragment must be a string (the link's \"s=1.…\" part)");
    }
    std::string fragment = body["fragment"].get<std::string>();
    if (!fragment.empty() && fragment[0] == '#') fragment.erase(0, 1);
    if (fragment.rfind("s=", 0) != 0 || fragment.size() < 5) {
        return error_response(400, "fragment must start with \"s=\" (a Leadflow share link)");
    }
    if (fragment.size() > kMaxFragmentBytes) {
        return error_response(400, "fragment is longer than 256 KiB");
    }
    for (char c : fragment) {
        if (!is_fragment_char(c))
            return error_response(400, "fragment has characters a link cannot carry");
    }
    const std::string id = random_hex(kShareLinkIdBytes);
    Status st = ctx.store.transact(
        [&](StoreTx& tx) { return tx.put_share_link(id, ctx.organization_id, fragment, ctx.now); });
    if (!st) return status_response(st);
    return json_response(201, Json{{"id", id}, {"path", "/s/" + id}, {"length", fragment.size()}});
}

Response open_share_link(const Request& req, RequestContext& ctx) {
    const std::string id = req.path_param("id");
    std::string fragment;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto f = tx.get_share_link(id);
        if (!f.ok()) return f.status();
        fragment = std::move(f).value();
        return Status::ok();
    });
    if (!st) return status_response(st);
    Response r;
    r.status = 302;
    r.content_type = "text/html; charset=utf-8";
    r.headers.emplace_back("Location", "/#" + fragment);
    r.body = "<!doctype html><a href=\"/#" + fragment + "\">Open the shared workflow</a>\n";
    return r;
}

Response delete_share_link(const Request& req, RequestContext& ctx) {
    Status st = ctx.store.transact([&](StoreTx& tx) {
        return tx.delete_share_link(ctx.organization_id, req.path_param("id"));
    });
    if (!st) return status_response(st);
    return json_response(200, message_json("Short link deleted."));
}

}  // namespace

void register_share_link_routes(Router& r) {
    r.add("POST", "/v1/share-links", Access::kApiKey, create_share_link,
          RouteDoc("Sharing",
                   "Store a share-link fragment (\"s=1.…\") and get its short path /s/<id>")
              .status(201)
              .reply("ShareLink")
              .json_body("ShareLinkInput"));
    r.add("DELETE", "/v1/share-links/{id}", Access::kApiKey, delete_share_link,
          RouteDoc("Sharing", "Delete a short link (only the organization that stored it)"));
    r.add("GET", "/s/{id}", Access::kPublic, open_share_link,
          RouteDoc("Sharing",
                   "Short link: redirects (302, Location) to the web app with the fragment")
              .status(302)
              .media(""));
}

}  // namespace leadflow::server
