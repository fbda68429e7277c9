// server/store/stored_values.cpp — see stored_values.hpp.
#include "store/stored_values.hpp"

#include <string_view>

#include "leadflow/wire.hpp"

namespace leadflow::server::stored {

Result<Json> parse_stored_json(const std::string& text, const char* what) {
    if (text == "{}") return Json::object();  // most variables and analyses: no parse
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) return Status::internal(std::string("stored ") + what + " is not JSON");
    return j;
}

namespace {

// Reads a JSON string without escapes or non-ASCII bytes at text[i] (the opening quote); on
// success sets `out` to its content and advances i past the closing quote.
bool read_plain_json_string(std::string_view text, std::size_t& i, std::string_view& out) {
    if (i >= text.size() || text[i] != '"') return false;
    std::size_t j = i + 1;
    for (; j < text.size(); ++j) {
        const auto c = static_cast<unsigned char>(text[j]);
        if (c == '"') break;
        if (c == '\\' || c < 0x20 || c >= 0x80) return false;
    }
    if (j >= text.size()) return false;
    out = text.substr(i + 1, j - i - 1);
    i = j + 1;
    return true;
}

}  // namespace

// Lead variables as stored: a JSON object whose string members are the variables (members of
// other types are skipped). The shape Json::dump writes for plain ASCII text, {"name":"value",…},
// is read directly: the lead-list route reads thousands of these per second. Anything else goes
// through the parser.
Status read_string_map(const std::string& text, std::map<std::string, std::string>& out) {
    const std::string_view t = text;
    std::size_t i = 1;
    bool plain = !t.empty() && t[0] == '{';
    if (plain && i < t.size() && t[i] == '}') {
        if (i + 1 == t.size()) return Status::ok();
        plain = false;
    }
    while (plain) {
        std::string_view key, value;
        if (!read_plain_json_string(t, i, key) || i >= t.size() || t[i] != ':') break;
        ++i;
        if (!read_plain_json_string(t, i, value) || i >= t.size()) break;
        out[std::string(key)] = std::string(value);
        if (t[i] == ',') {
            ++i;
            continue;
        }
        if (t[i] == '}' && i + 1 == t.size()) return Status::ok();
        break;
    }
    out.clear();
    auto vars = parse_stored_json(text, "lead variables");
    if (!vars.ok()) return vars.status();
    for (auto it = vars->begin(); it != vars->end(); ++it) {
        if (it->is_string()) out[it.key()] = it->get<std::string>();
    }
    return Status::ok();
}

std::string string_map_text(const std::map<std::string, std::string>& vars) {
    Json j = Json::object();
    for (const auto& [name, value] : vars) j[name] = value;
    return j.dump();
}

Json string_list_json(const std::vector<std::string>& v) {
    Json a = Json::array();
    for (const auto& s : v) a.push_back(s);
    return a;
}

Json status_list_json(const std::vector<LeadStatus>& v) {
    Json a = Json::array();
    for (LeadStatus s : v) a.push_back(to_string(s));
    return a;
}

std::string escape_like(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

}  // namespace leadflow::server::stored
