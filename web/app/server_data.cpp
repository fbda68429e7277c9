// web/app/server_data.cpp — enrolment CSV from pasted text and reading the server's answers.
#include "server_data.hpp"

#include <algorithm>
#include <cctype>

#include "leadflow/text.hpp"

namespace leadflow::web {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t j = text.find('\n', i);
        if (j == std::string::npos) j = text.size();
        out.push_back(text.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

// True when `line` is a CSV header with a phone_number column.
bool names_phone_column(std::string line) {
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    std::size_t i = 0;
    while (i <= line.size()) {
        std::size_t j = line.find(',', i);
        if (j == std::string::npos) j = line.size();
        std::string field = trim(line.substr(i, j - i));
        if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
            field = trim(field.substr(1, field.size() - 2));
        }
        std::transform(field.begin(), field.end(), field.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (field == "phone_number") return true;
        i = j + 1;
    }
    return false;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string plural(std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

Result<std::string> enrolment_csv(const std::string& pasted) {
    std::vector<std::string> numbers;
    bool first = true;
    for (const std::string& raw : lines_of(pasted)) {
        const std::string line = trim(raw);
        if (line.empty()) continue;
        if (first && names_phone_column(line)) return pasted;
        first = false;
        numbers.push_back(line);
    }
    if (numbers.empty()) {
        return Status::invalid(
            "Paste phone numbers (one per line) or CSV text with a phone_number column");
    }
    std::string csv = "phone_number\n";
    for (const std::string& n : numbers) csv += quoted(n) + "\n";
    return csv;
}

EnrolOutcome read_enrol_answer(int status, const Json& body) {
    EnrolOutcome out;
    if (status == 0) {
        out.summary = "The server cannot be reached; nothing was enrolled.";
        return out;
    }
    if (status >= 200 && status < 300 && body.is_object()) {
        const char* key = body.contains("leads_enrolled") ? "leads_enrolled" : "count";
        if (body.contains(key) && body[key].is_number_integer()) {
            out.ok = true;
            out.enrolled = body[key].get<std::int64_t>();
            out.summary = "Enrolled " + plural(out.enrolled, "lead", "leads");
            return out;
        }
    }
    std::string message;
    if (body.is_object() && body.contains("message")) {
        const Json& m = body["message"];
        if (m.is_string()) message = m.get<std::string>();
    }
    if (body.is_object() && body.contains("errors") && body["errors"].is_array()) {
        std::int64_t rows = 0;
        for (const Json& group : body["errors"]) {
            if (!group.is_object() || !group.contains("rows") || !group["rows"].is_array())
                continue;
            const Json& list = group["rows"];
            rows += static_cast<std::int64_t>(list.size());
            std::string line = group.value("reason", std::string("Rejected")) + ": " +
                               plural(static_cast<std::int64_t>(list.size()), "row", "rows");
            std::string named;
            std::size_t shown = 0;
            for (const Json& r : list) {
                if (shown == 5) {
                    named += ", …";
                    break;
                }
                if (!named.empty()) named += ", ";
                named += "row " + (r.contains("position") ? r["position"].dump() : "?");
                const std::string phone = r.value("phone_number", std::string());
                named += ": " + (phone.empty() ? std::string("(empty)") : phone);
                ++shown;
            }
            if (!named.empty()) line += " (" + named + ")";
            out.lines.push_back(line);
        }
        out.summary = "Nothing was enrolled: " + plural(rows, "row was", "rows were") +
                      " rejected. Fix them and enrol again.";
        return out;
    }
    if (message.empty() && body.is_object() && body.contains("message") &&
        body["message"].is_array()) {
        for (const Json& m : body["message"]) {
            if (!message.empty()) message += "; ";
            message += m.is_string() ? m.get<std::string>() : m.dump();
        }
    }
    if (message.empty()) message = "HTTP " + std::to_string(status);
    out.summary = "Nothing was enrolled: " + message;
    return out;
}

double next_live_poll_ms(double sent_ms, double answered_ms) {
    const double took = answered_ms > sent_ms ? answered_ms - sent_ms : 0.0;
    return std::max(sent_ms + kLivePollMs, answered_ms + 3.0 * took);
}

Result<LiveCounts> read_node_counts(const Json& body) {
    auto bad = [](const std::string& what) {
        return Status::invalid("node counts answer: " + what);
    };
    if (!body.is_object() || !body.contains("data") || !body["data"].is_array()) {
        return bad("no data list");
    }
    LiveCounts out;
    for (const Json& n : body["data"]) {
        if (!n.is_object() || !n.contains("node_id") || !n["node_id"].is_string() ||
            !n.contains("total") || !n["total"].is_number_integer()) {
            return bad("an entry without node_id and total");
        }
        const std::string id = n["node_id"].get<std::string>();
        out.total[id] = n["total"].get<std::int64_t>();
        if (n.contains("by_status") && n["by_status"].is_object() &&
            n["by_status"].contains("active") && n["by_status"]["active"].is_number_integer()) {
            out.active[id] = n["by_status"]["active"].get<std::int64_t>();
        }
    }
    for (auto [key, field] :
         {std::pair<const char*, std::int64_t*>{"not_started", &out.not_started},
          {"enrolled_leads", &out.enrolled}}) {
        if (!body.contains(key) || !body[key].is_number_integer()) {
            return bad(std::string("no ") + key);
        }
        *field = body[key].get<std::int64_t>();
    }
    return out;
}

}  // namespace leadflow::web
