// web/app/find_nodes.cpp — see find_nodes.hpp.
#include "find_nodes.hpp"

#include <algorithm>
#include <optional>

namespace leadflow::web {
namespace {

char fold(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string folded(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), fold);
    return out;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// A letter or digit (any non-ASCII byte counts as one, so UTF-8 words stay whole).
bool is_word_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Whether `q` occurs in `text` where a word starts (not at position 0: that is a prefix).
bool at_word_start(const std::string& text, const std::string& q) {
    for (std::size_t pos = text.find(q, 1); pos != std::string::npos; pos = text.find(q, pos + 1)) {
        if (!is_word_char(text[pos - 1])) return true;
    }
    return false;
}

std::optional<FindRank> rank_of(const Node& n, const std::string& q) {
    const std::string label = folded(n.label);
    const std::string id = folded(n.id);
    if (label == q || id == q) return FindRank::kExact;
    if (label.compare(0, q.size(), q) == 0) return FindRank::kLabelPrefix;
    if (id.compare(0, q.size(), q) == 0) return FindRank::kIdPrefix;
    if (at_word_start(label, q)) return FindRank::kLabelWordStart;
    if (label.find(q) != std::string::npos) return FindRank::kLabelSubstring;
    if (id.find(q) != std::string::npos) return FindRank::kIdSubstring;
    return std::nullopt;
}

}  // namespace

FindResult find_nodes(const Graph& graph, std::string_view query, std::size_t limit) {
    FindResult out;
    const std::string q = folded(trimmed(query.substr(0, kMaxFindQuery)));
    if (q.empty()) return out;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        if (std::optional<FindRank> r = rank_of(graph.nodes[i], q)) out.matches.push_back({i, *r});
    }
    out.total = out.matches.size();
    std::stable_sort(out.matches.begin(), out.matches.end(),
                     [](const FindMatch& a, const FindMatch& b) { return a.rank < b.rank; });
    if (out.matches.size() > limit) out.matches.resize(limit);
    return out;
}

}  // namespace leadflow::web
