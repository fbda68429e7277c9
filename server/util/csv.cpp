// server/util/csv.cpp — RFC 4180 reader (a small state machine over the bytes).
#include "util/csv.hpp"

namespace leadflow::server {

Result<std::vector<CsvRecord>> parse_csv(std::string_view text) {
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<CsvRecord> out;
    CsvRecord rec;
    std::string field;
    std::size_t line = 1;
    rec.line = 1;
    bool record_has_content = false;  // distinguishes a blank line from a record of one ""
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto end_field = [&] {
        rec.fields.push_back(std::move(field));
        field.clear();
    };
    auto end_record = [&] {
        end_field();
        if (record_has_content) out.push_back(std::move(rec));
        rec = CsvRecord{};
        record_has_content = false;
    };
    while (i < n) {
        char c = text[i];
        if (c == '"') {
            if (!field.empty()) {
                return Status::invalid("CSV line " + std::to_string(line) +
                                       ": a quote inside an unquoted field");
            }
            record_has_content = true;
            std::size_t start_line = line;
            ++i;
            while (true) {
                if (i >= n) {
                    return Status::invalid("CSV line " + std::to_string(start_line) +
                                           ": unterminated quoted field");
                }
                char q = text[i];
                if (q == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        field.push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (q == '\n') ++line;
                field.push_back(q);
                ++i;
            }
            // After a closing quote only a separator or a line end may follow.
            if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                return Status::invalid("CSV line " + std::to_string(line) +
                                       ": unexpected text after a closing quote");
            }
            continue;
        }
        if (c == ',') {
            record_has_content = true;
            end_field();
            ++i;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
            ++i;
            end_record();
            ++line;
            rec.line = line;
            continue;
        }
        record_has_content = true;
        field.push_back(c);
        ++i;
    }
    if (record_has_content || !field.empty()) end_record();
    return out;
}

}  // namespace leadflow::server
