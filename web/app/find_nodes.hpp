// web/app/find_nodes.hpp — Find node (Ctrl+F): which nodes of a graph match a typed query, best
// first. Pure and ImGui-free; the search box that shows the matches is find_panel.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "leadflow/model.hpp"

namespace leadflow::web {

// How well a node matched; lower ranks are listed first.
enum class FindRank {
    kExact = 0,           // the whole label or the whole id is the query
    kLabelPrefix = 1,     // the label starts with the query
    kIdPrefix = 2,        // the id starts with the query
    kLabelWordStart = 3,  // a word of the label (after a space, '_', '-', …) starts with it
    kLabelSubstring = 4,  // the query is somewhere in the label
    kIdSubstring = 5,     // the query is somewhere in the id
};

struct FindMatch {
    std::size_t node_index = 0;  // into Graph::nodes
    FindRank rank = FindRank::kExact;
};

struct FindResult {
    std::vector<FindMatch> matches;  // at most `limit`, best first, then in node order
    std::size_t total = 0;           // how many nodes matched in all
};

// Maximum query length considered (longer queries are cut to it): the box is for typing.
constexpr std::size_t kMaxFindQuery = 200;

// The nodes whose label or id contains `query` as a substring, ignoring ASCII case (other bytes,
// such as UTF-8 letters, must match exactly), ranked by FindRank and then by node order.
// Leading and trailing white space of the query is ignored; an empty query matches nothing.
FindResult find_nodes(const Graph& graph, std::string_view query, std::size_t limit = 50);

}  // namespace leadflow::web
