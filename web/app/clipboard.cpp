// web/app/clipboard.cpp — see clipboard.hpp.
#include "clipboard.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "leadflow/wire.hpp"

namespace leadflow::web {

std::string IdGenerator::next(const Graph& g, const std::string& prefix) {
    for (;;) {
        // xorshift64*: cheap, and good enough to spread ids.
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        std::uint64_t v = (state_ * 2685821657736338717ull) >> 24;
        static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
        std::string id = prefix;
        for (int i = 0; i < 8; ++i) {
            id.push_back(kDigits[v % 36]);
            v /= 36;
        }
        if (!g.find_node(id) && !g.find_edge(id)) return id;
    }
}

std::string copy_nodes(const Graph& g, const std::set<std::string>& node_ids,
                       const std::vector<Note>& notes, const std::set<std::string>& note_ids) {
    Json doc = Json::object();
    doc["leadflow_clipboard"] = 1;
    doc["nodes"] = Json::array();
    doc["edges"] = Json::array();
    for (const Node& n : g.nodes) {
        if (node_ids.count(n.id)) doc["nodes"].push_back(to_json(n));
    }
    for (const Edge& e : g.edges) {
        if (node_ids.count(e.from_node_id) && node_ids.count(e.to_node_id)) {
            doc["edges"].push_back(to_json(e));
        }
    }
    Json copied = Json::array();
    for (const Note& n : notes) {
        if (note_ids.count(n.id)) copied.push_back(to_json(n));
    }
    if (!copied.empty()) doc[kNotesKey] = std::move(copied);
    return doc.dump();
}

Result<std::vector<std::string>> paste_nodes(Graph& g, std::string_view text, Vec2 at,
                                             IdGenerator& ids, std::vector<std::string>* note_ids) {
    Result<Json> parsed = parse_json(text);
    if (!parsed.ok()) return Status::invalid("clipboard: " + parsed.status().message());
    const Json& doc = *parsed;
    if (!doc.is_object() || !doc.contains("nodes") || !doc["nodes"].is_array()) {
        return Status::invalid("clipboard: expected an object with a \"nodes\" array");
    }
    std::vector<Node> nodes;
    for (std::size_t i = 0; i < doc["nodes"].size(); ++i) {
        Result<Node> n = node_from_json(doc["nodes"][i], "nodes[" + std::to_string(i) + "]");
        if (!n.ok()) return n.status();
        nodes.push_back(std::move(*n));
    }
    std::vector<Edge> edges;
    if (doc.contains("edges")) {
        if (!doc["edges"].is_array())
            return Status::invalid("clipboard: \"edges\" must be an array");
        for (std::size_t i = 0; i < doc["edges"].size(); ++i) {
            Result<Edge> e = edge_from_json(doc["edges"][i], "edges[" + std::to_string(i) + "]");
            if (!e.ok()) return e.status();
            edges.push_back(std::move(*e));
        }
    }
    // Notes come only with a clipboard fragment: a whole graph document keeps its notes in
    // its workflow object, which a paste does not take.
    std::vector<Note> notes;
    if (doc.contains("leadflow_clipboard") && doc.contains(kNotesKey)) {
        notes = read_notes(doc).notes;
    }
    if (note_ids) note_ids->clear();
    if (nodes.empty() && notes.empty()) return std::vector<std::string>{};

    double min_x = std::numeric_limits<double>::infinity(), min_y = min_x;
    for (const Node& n : nodes) {
        min_x = std::min(min_x, n.position_x);
        min_y = std::min(min_y, n.position_y);
    }
    for (const Note& n : notes) {
        min_x = std::min(min_x, n.x);
        min_y = std::min(min_y, n.y);
    }
    std::map<std::string, std::string> renamed;
    std::vector<std::string> new_ids;
    Graph staged = g;  // so that a failure leaves g unchanged and new ids never collide
    for (Node& n : nodes) {
        const std::string id = ids.next(staged, "node_");
        renamed[n.id] = id;
        n.id = id;
        n.position_x = n.position_x - min_x + at.x;
        n.position_y = n.position_y - min_y + at.y;
        new_ids.push_back(id);
        staged.nodes.push_back(std::move(n));
    }
    std::int64_t next_position = 0;
    for (const Edge& e : staged.edges) next_position = std::max(next_position, e.position + 1);
    std::stable_sort(edges.begin(), edges.end(),
                     [](const Edge& a, const Edge& b) { return a.position < b.position; });
    for (Edge& e : edges) {
        auto from = renamed.find(e.from_node_id), to = renamed.find(e.to_node_id);
        if (from == renamed.end() || to == renamed.end()) continue;
        e.id = ids.next(staged, "edge_");
        e.from_node_id = from->second;
        e.to_node_id = to->second;
        e.position = next_position++;
        staged.edges.push_back(std::move(e));
    }
    if (!notes.empty()) {
        std::vector<Note> all = read_notes(staged.workflow.extra).notes;
        std::set<std::string> taken;
        for (const Note& n : all) taken.insert(n.id);
        for (Note& n : notes) {
            if (all.size() >= kMaxNotes) break;
            do {
                n.id = ids.next(staged, "note_");
            } while (taken.count(n.id));
            taken.insert(n.id);
            n.x = n.x - min_x + at.x;
            n.y = n.y - min_y + at.y;
            if (note_ids) note_ids->push_back(n.id);
            all.push_back(std::move(n));
        }
        if (!staged.workflow.extra.is_object()) staged.workflow.extra = Json::object();
        staged.workflow.extra[kNotesKey] = notes_to_json(all);
    }
    g = std::move(staged);
    return new_ids;
}

}  // namespace leadflow::web
