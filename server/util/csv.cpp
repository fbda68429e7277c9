// server/util/csv.cpp — RFC 4180 reader (a small state machine over the bytes).
#include "util/csv.hpp"

#include <utility>

namespace leadflow::server {

Status for_each_csv_record(std::string_view text, std::size_t max_fields,
                           const std::function<Status(CsvRecord&)>& on_record) {
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    Status stop;
    CsvRecord rec;
    std::string field;
    std::size_t line = 1;
    rec.line = 1;
    bool record_has_content = false;  // distinguishes a blank line from a record of one ""
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto too_many_fields = [&] {
        return Status::invalid("CSV line " + std::to_string(rec.line) + ": more than " +
                               std::to_string(max_fields) + " columns");
    };
    auto end_field = [&] {
        rec.fields.push_back(std::move(field));
        field.clear();
    };
    // Ends a field at a separator; false (with `stop` set) when the field it starts is past
    // max_fields.
    auto next_field = [&] {
        end_field();
        if (max_fields > 0 && rec.fields.size() >= max_fields) {
            stop = too_many_fields();
            return false;
        }
        return true;
    };
    // Ends a record at a line end and hands it over; false when the callback said stop.
    auto end_record = [&] {
        end_field();
        if (record_has_content) stop = on_record(rec);
        rec = CsvRecord{};
        record_has_content = false;
        return stop.is_ok();
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
            if (!next_field()) return stop;
            ++i;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
            ++i;
            if (!end_record()) return stop;
            ++line;
            rec.line = line;
            continue;
        }
        record_has_content = true;
        field.push_back(c);
        ++i;
    }
    if (record_has_content || !field.empty()) end_record();
    return stop;
}

Result<std::vector<CsvRecord>> parse_csv(std::string_view text) {
    std::vector<CsvRecord> out;
    Status st = for_each_csv_record(text, 0, [&](CsvRecord& rec) {
        out.push_back(std::move(rec));
        return Status::ok();
    });
    if (!st) return st;
    return out;
}

}  // namespace leadflow::server
