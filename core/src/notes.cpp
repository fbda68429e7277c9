// core/src/notes.cpp — see leadflow/notes.hpp.
#include "leadflow/notes.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace leadflow {
namespace {

std::string at(std::size_t i, const char* field) {
    return "notes[" + std::to_string(i) + "]." + field;
}

bool known_color(const std::string& c) {
    const auto& all = note_colors();
    return std::find(all.begin(), all.end(), c) != all.end();
}

// The longest prefix of `s` of at most `max` bytes that does not split a UTF-8 sequence.
std::string utf8_prefix(const std::string& s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    return s.substr(0, end);
}

double finite_or_zero(const Json& o, const char* key) {
    auto it = o.find(key);
    if (it == o.end() || !it->is_number()) return 0;
    const double v = it->get<double>();
    return std::isfinite(v) ? v : 0;
}

}  // namespace

const std::vector<std::string>& note_colors() {
    static const std::vector<std::string> colors = {"yellow", "green", "blue", "pink", "purple"};
    return colors;
}

std::string note_text_within_limit(const std::string& text) {
    return utf8_prefix(text, kMaxNoteTextBytes);
}

Json to_json(const Note& n) {
    Json j = Json::object();
    j["id"] = n.id;
    j["text"] = n.text;
    j["x"] = n.x;
    j["y"] = n.y;
    j["color"] = n.color;
    return j;
}

Json notes_to_json(const std::vector<Note>& notes) {
    Json out = Json::array();
    for (const Note& n : notes) out.push_back(to_json(n));
    return out;
}

NotesRead read_notes(const Json& workflow) {
    NotesRead out;
    if (!workflow.is_object()) return out;
    auto it = workflow.find(kNotesKey);
    if (it == workflow.end() || it->is_null()) return out;
    if (!it->is_array()) {
        out.warning = "The workflow's notes are not a list; they were not opened.";
        return out;
    }
    const Json& list = *it;
    std::size_t skipped = 0, cut = 0;
    std::set<std::string> ids;
    std::vector<std::size_t> need_id;
    for (std::size_t i = 0; i < list.size() && out.notes.size() < kMaxNotes; ++i) {
        const Json& o = list[i];
        if (!o.is_object()) {
            ++skipped;
            continue;
        }
        Note n;
        if (auto id = o.find("id"); id != o.end() && id->is_string()) n.id = id->get<std::string>();
        if (auto t = o.find("text"); t != o.end() && t->is_string()) {
            const std::string& text = t->get_ref<const std::string&>();
            n.text = utf8_prefix(text, kMaxNoteTextBytes);
            if (n.text.size() != text.size()) ++cut;
        }
        n.x = finite_or_zero(o, "x");
        n.y = finite_or_zero(o, "y");
        if (auto c = o.find("color");
            c != o.end() && c->is_string() && known_color(c->get<std::string>())) {
            n.color = c->get<std::string>();
        }
        if (n.id.empty() || n.id.size() > kMaxNoteIdBytes || !ids.insert(n.id).second) {
            need_id.push_back(out.notes.size());
        }
        out.notes.push_back(std::move(n));
    }
    std::size_t next = 1;
    for (std::size_t k : need_id) {
        std::string id;
        do {
            id = "note_" + std::to_string(next++);
        } while (ids.count(id));
        ids.insert(id);
        out.notes[k].id = id;
    }
    std::string w;
    const std::size_t objects = out.notes.size() + skipped;
    if (objects < list.size()) {
        w += "Opened the first " + std::to_string(kMaxNotes) + " of " +
             std::to_string(list.size()) + " notes (at most " + std::to_string(kMaxNotes) +
             " per workflow).";
    }
    if (skipped) {
        w += std::string(w.empty() ? "" : " ") + "Skipped " + std::to_string(skipped) +
             " note(s) that were not objects.";
    }
    if (cut) {
        w += std::string(w.empty() ? "" : " ") + "Cut the text of " + std::to_string(cut) +
             " note(s) to " + std::to_string(kMaxNoteTextBytes) + " bytes.";
    }
    out.warning = w;
    return out;
}

Status check_notes(const Json& notes) {
    if (!notes.is_array()) return Status::invalid("notes: expected an array");
    if (notes.size() > kMaxNotes) {
        return Status::invalid("notes: a workflow may have at most " + std::to_string(kMaxNotes) +
                               " notes (got " + std::to_string(notes.size()) + ")");
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < notes.size(); ++i) {
        const Json& o = notes[i];
        if (!o.is_object()) {
            return Status::invalid("notes[" + std::to_string(i) + "]: expected an object");
        }
        auto id = o.find("id");
        if (id == o.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
            return Status::invalid(at(i, "id") + ": expected a non-empty string");
        }
        const std::string& id_text = id->get_ref<const std::string&>();
        if (id_text.size() > kMaxNoteIdBytes) {
            return Status::invalid(at(i, "id") + ": at most " + std::to_string(kMaxNoteIdBytes) +
                                   " bytes");
        }
        if (!ids.insert(id_text).second) {
            return Status::invalid(at(i, "id") + ": '" + id_text + "' is used twice");
        }
        auto text = o.find("text");
        if (text == o.end() || !text->is_string()) {
            return Status::invalid(at(i, "text") + ": expected a string");
        }
        const std::size_t bytes = text->get_ref<const std::string&>().size();
        if (bytes > kMaxNoteTextBytes) {
            return Status::invalid(at(i, "text") + ": at most " +
                                   std::to_string(kMaxNoteTextBytes) + " bytes (got " +
                                   std::to_string(bytes) + ")");
        }
        for (const char* k : {"x", "y"}) {
            auto v = o.find(k);
            if (v == o.end() || !v->is_number() || !std::isfinite(v->get<double>())) {
                return Status::invalid(at(i, k) + ": expected a finite number");
            }
        }
        if (auto c = o.find("color"); c != o.end()) {
            if (!c->is_string() || !known_color(c->get<std::string>())) {
                std::string names;
                for (const std::string& n : note_colors()) names += (names.empty() ? "" : ", ") + n;
                return Status::invalid(at(i, "color") + ": expected one of " + names);
            }
        }
    }
    return Status::ok();
}

}  // namespace leadflow
