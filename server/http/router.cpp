// server/http/router.cpp
#include "http/router.hpp"

#include <utility>

namespace leadflow::server {
namespace {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        std::size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        out.push_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

// Number of literal segments matched, or -1 when the pattern does not match.
int match_pattern(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                  std::map<std::string, std::string>* params) {
    if (pattern.size() != path.size()) return -1;
    int literals = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const std::string& p = pattern[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
            if (path[i].empty()) return -1;
            if (params) (*params)[p.substr(1, p.size() - 2)] = path[i];
        } else if (p == path[i]) {
            ++literals;
        } else {
            return -1;
        }
    }
    return literals;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Access access, Handler handler,
                 RouteDoc doc) {
    auto segments = split_path(pattern);
    routes_.push_back(Route{std::move(method), std::move(pattern), access, std::move(handler), doc,
                            std::move(segments)});
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
    Match best;
    int best_score = -1;
    const auto parts = split_path(path);
    for (const Route& r : routes_) {
        int score = match_pattern(r.segments, parts, nullptr);
        if (score < 0) continue;
        if (r.method != method) {
            best.path_known = true;
            continue;
        }
        if (score > best_score) {
            best_score = score;
            best.route = &r;
        }
    }
    if (best.route) match_pattern(best.route->segments, parts, &best.path_params);
    return best;
}

}  // namespace leadflow::server
