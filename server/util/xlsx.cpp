// server/util/xlsx.cpp — the first sheet of an .xlsx workbook as records. Each part is parsed
// as it is inflated (util/xlsx_package.hpp), so neither the inflated sheet nor a tree of it is
// ever held whole; only the shared strings are kept, in one buffer.
//
// Index
//   [SECTION] Workbook parts (workbook, shared strings, styles)
//   [SECTION] Sheet
//   [SECTION] Reader
#include "util/xlsx.hpp"

#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "util/xlsx_package.hpp"
#include "util/xlsx_values.hpp"

namespace leadflow::server {
namespace {

using xlsx::attribute;
using xlsx::invalid;
using xlsx::Relationship;
using xlsx::XmlHandler;

bool ends_with_nocase(std::string_view s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    s = s.substr(s.size() - suffix.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char a = s[i], b = suffix[i];
        if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
        if (a != b) return false;
    }
    return true;
}

std::string_view trim_space(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A non-negative decimal integer, nothing else.
std::optional<std::size_t> parse_index(std::string_view s) {
    s = trim_space(s);
    std::size_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

// [SECTION] Workbook parts (workbook, shared strings, styles)

class WorkbookHandler : public XmlHandler {
  public:
    std::optional<std::string> first_sheet_rel;  // r:id of the first <sheet>
    std::string first_sheet_name;
    bool date1904 = false;
    Status start(std::string_view name, const char** attrs) override {
        if (name == "sheets") in_sheets_ = true;
        if (name == "workbookPr") {
            const char* v = attribute(attrs, "date1904");
            date1904 = v && (std::string_view(v) == "1" || std::string_view(v) == "true");
        } else if (name == "sheet" && in_sheets_ && !first_sheet_rel) {
            const char* id = attribute(attrs, "id");
            const char* sheet_name = attribute(attrs, "name");
            first_sheet_rel = id ? id : "";
            first_sheet_name = sheet_name ? sheet_name : "";
        }
        return Status::ok();
    }
    Status end(std::string_view name) override {
        if (name == "sheets") in_sheets_ = false;
        return Status::ok();
    }

  private:
    bool in_sheets_ = false;
};

// Strings of <si> items: the text of their <t> elements (directly or in rich-text runs <r>),
// not of their phonetic runs <rPh>. Kept in one buffer with 4-byte offsets (the buffer is
// smaller than the part, itself within the inflated-bytes limit), so the table never takes
// more memory than about twice its XML.
class SharedStringsHandler : public XmlHandler {
  public:
    std::string buffer;
    std::vector<std::uint32_t> starts;  // starts[i] … starts[i+1] (or buffer.size()): string i
    Status start(std::string_view name, const char**) override {
        if (name == "si") {
            if (buffer.size() > UINT32_MAX) return invalid("the shared strings are too large");
            in_si_ = true;
            starts.push_back(static_cast<std::uint32_t>(buffer.size()));
        } else if (name == "rPh") {
            ++phonetic_depth_;
        } else if (name == "t") {
            in_t_ = in_si_ && phonetic_depth_ == 0;
        }
        return Status::ok();
    }
    Status end(std::string_view name) override {
        if (name == "si" && in_si_) {
            in_si_ = false;
            if (std::string_view(buffer).substr(starts.back()).find("_x") != std::string::npos) {
                std::string item = buffer.substr(starts.back());
                decode_xlsx_escapes(item);
                buffer.resize(starts.back());
                buffer += item;
            }
        } else if (name == "rPh" && phonetic_depth_ > 0) {
            --phonetic_depth_;
        } else if (name == "t") {
            in_t_ = false;
        }
        return Status::ok();
    }
    std::string_view string_at(std::size_t i) const {
        const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : buffer.size();
        return std::string_view(buffer).substr(starts[i], end - starts[i]);
    }
    Status text(std::string_view s) override {
        if (in_t_) buffer.append(s);
        return Status::ok();
    }

  private:
    bool in_si_ = false;
    bool in_t_ = false;
    int phonetic_depth_ = 0;
};

// Cell formats and custom number formats a styles part may define: Excel's own limit on cell
// formats is 65,490. Past it, cells are read as General (their numbers as numbers), and the
// part's size does not turn into memory.
constexpr std::size_t kMaxFormats = 65'536;

// Number formats of the cell formats (cellXfs), reduced to what each shows a number as.
class StylesHandler : public XmlHandler {
  public:
    std::vector<XlsxNumberKind> kinds;  // by the cell's s="N"
    Status start(std::string_view name, const char** attrs) override {
        if (name == "numFmts") {
            in_num_fmts_ = true;
        } else if (name == "cellXfs") {
            in_cell_xfs_ = true;
        } else if (name == "numFmt" && in_num_fmts_) {
            const char* id = attribute(attrs, "numFmtId");
            const char* code = attribute(attrs, "formatCode");
            auto n = id ? parse_index(id) : std::nullopt;
            if (n && code && *code && custom_.size() < kMaxFormats) custom_[*n] = code;
        } else if (name == "xf" && in_cell_xfs_ && xf_formats_.size() < kMaxFormats) {
            const char* id = attribute(attrs, "numFmtId");
            auto n = id ? parse_index(id) : std::nullopt;
            xf_formats_.push_back(n.value_or(0));
        }
        return Status::ok();
    }
    Status end(std::string_view name) override {
        if (name == "numFmts") in_num_fmts_ = false;
        if (name == "cellXfs") in_cell_xfs_ = false;
        return Status::ok();
    }
    void finish() {
        kinds.reserve(xf_formats_.size());
        for (std::size_t id : xf_formats_) {
            std::string_view code;
            if (auto custom = custom_.find(id); custom != custom_.end()) code = custom->second;
            const int fid = id > 100'000 ? -1 : static_cast<int>(id);
            kinds.push_back(xlsx_number_kind(fid, code));
        }
    }

  private:
    bool in_num_fmts_ = false;
    bool in_cell_xfs_ = false;
    std::unordered_map<std::size_t, std::string> custom_;
    std::vector<std::size_t> xf_formats_;
};

// [SECTION] Sheet

// The highest row and column a sheet can have (XFD1048576).
constexpr std::size_t kMaxSheetRows = 1'048'576;
constexpr std::size_t kMaxSheetColumns = 16'384;

std::string column_letters(std::size_t col) {  // 0 → "A"
    std::string s;
    for (std::size_t c = col + 1; c > 0; c = (c - 1) / 26) {
        s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
    }
    return s;
}

enum class CellType { kNumber, kShared, kInline, kFormulaText, kBool, kError, kDate };

class SheetHandler : public XmlHandler {
  public:
    SheetHandler(const std::string& part, const XlsxLimits& limits,
                 const SharedStringsHandler* shared, const std::string& shared_part,
                 const StylesHandler& styles, bool date1904,
                 const std::function<Status(CsvRecord&)>& on_record)
        : part_(part),
          limits_(limits),
          shared_(shared),
          shared_part_(shared_part),
          styles_(styles),
          date1904_(date1904),
          on_record_(on_record) {}

    Status start(std::string_view name, const char** attrs) override {
        ++depth_;
        if (depth_ == 1) {
            if (name != "worksheet") return invalid(part_ + " is not a worksheet");
        } else if (name == "sheetData" && depth_ == 2) {
            in_data_ = true;
        } else if (name == "row" && in_data_ && depth_ == 3) {
            return start_row(attrs);
        } else if (name == "c" && in_row_ && depth_ == 4) {
            return start_cell(attrs);
        } else if (in_cell_) {
            if (name == "v" && depth_ == 5) {
                collecting_ = true;
            } else if (name == "is" && depth_ == 5) {
                in_inline_ = true;
            } else if (name == "rPh" && in_inline_) {
                ++phonetic_depth_;
            } else if (name == "t" && in_inline_ && phonetic_depth_ == 0) {
                collecting_ = true;
            }
        }
        return Status::ok();
    }

    Status end(std::string_view name) override {
        --depth_;
        collecting_ = false;
        if (name == "rPh" && phonetic_depth_ > 0) --phonetic_depth_;
        if (name == "is") in_inline_ = false;
        if (name == "c" && in_cell_ && depth_ == 3) return end_cell();
        if (name == "row" && in_row_ && depth_ == 2) return end_row();
        if (name == "sheetData" && depth_ == 1) in_data_ = false;
        return Status::ok();
    }

    Status text(std::string_view s) override {
        if (!collecting_) return Status::ok();
        if (value_.size() + s.size() > text_room()) return too_much_text();
        value_.append(s);
        return Status::ok();
    }

  private:
    Status start_row(const char** attrs) {
        std::size_t number = last_row_ + 1;
        if (const char* r = attribute(attrs, "r")) {
            auto n = parse_index(r);
            if (!n || *n == 0 || *n > kMaxSheetRows) {
                return invalid(part_ + ": row number \"" + std::string(r) + "\"");
            }
            number = *n;
        }
        if (number <= last_row_ || number > kMaxSheetRows) {
            return invalid(part_ + ": row " + std::to_string(number) + " comes after row " +
                           std::to_string(last_row_));
        }
        in_row_ = true;
        row_ = last_row_ = number;
        cells_.clear();
        row_bytes_ = 0;
        last_col_ = -1;
        return Status::ok();
    }

    Status start_cell(const char** attrs) {
        std::size_t col = static_cast<std::size_t>(last_col_ + 1);
        if (const char* ref = attribute(attrs, "r")) {
            std::string_view r(ref);
            std::size_t i = 0, c = 0;
            while (i < r.size() && r[i] >= 'A' && r[i] <= 'Z' && c <= kMaxSheetColumns) {
                c = c * 26 + static_cast<std::size_t>(r[i++] - 'A' + 1);
            }
            auto row = parse_index(r.substr(i));
            if (i == 0 || c > kMaxSheetColumns || !row || *row != row_) {
                return invalid(part_ + ": cell reference \"" + std::string(r) + "\" in row " +
                               std::to_string(row_));
            }
            col = c - 1;
        }
        if (static_cast<std::int64_t>(col) <= last_col_ || col >= kMaxSheetColumns) {
            return invalid(part_ + ": cell " + column_letters(col) + std::to_string(row_) +
                           " comes after cell " +
                           column_letters(static_cast<std::size_t>(last_col_)) +
                           std::to_string(row_));
        }
        const char* type = attribute(attrs, "t");
        const std::string_view t = type ? type : "";
        if (t.empty() || t == "n") {
            type_ = CellType::kNumber;
        } else if (t == "s") {
            type_ = CellType::kShared;
        } else if (t == "inlineStr") {
            type_ = CellType::kInline;
        } else if (t == "str") {
            type_ = CellType::kFormulaText;
        } else if (t == "b") {
            type_ = CellType::kBool;
        } else if (t == "e") {
            type_ = CellType::kError;
        } else if (t == "d") {
            type_ = CellType::kDate;
        } else {
            return invalid(part_ + ": cell " + cell_name(col) + " has the unknown type \"" +
                           std::string(t) + "\"");
        }
        style_.reset();
        if (const char* s = attribute(attrs, "s")) style_ = parse_index(s);
        in_cell_ = true;
        col_ = col;
        last_col_ = static_cast<std::int64_t>(col);
        value_.clear();
        return Status::ok();
    }

    Status end_cell() {
        in_cell_ = false;
        in_inline_ = false;
        phonetic_depth_ = 0;
        std::string text;
        switch (type_) {
            case CellType::kNumber: {
                const std::string_view v = trim_space(value_);
                if (v.empty()) break;
                const XlsxNumberKind kind = style_ && *style_ < styles_.kinds.size()
                                                ? styles_.kinds[*style_]
                                                : XlsxNumberKind::kNumber;
                std::optional<std::string> date;
                if (kind != XlsxNumberKind::kNumber) date = xlsx_date_text(v, kind, date1904_);
                text = date ? std::move(*date) : xlsx_number_text(v);
                break;
            }
            case CellType::kShared: {
                if (trim_space(value_).empty()) break;
                auto index = parse_index(value_);
                if (!shared_) {
                    return invalid("cell " + cell_name(col_) +
                                   " refers to a shared string, but the workbook has no " +
                                   shared_part_);
                }
                if (!index || *index >= shared_->starts.size()) {
                    return invalid("cell " + cell_name(col_) + " refers to shared string \"" +
                                   value_.substr(0, 32) + "\", but " + shared_part_ + " has " +
                                   std::to_string(shared_->starts.size()) + " strings");
                }
                const std::string_view shared = shared_->string_at(*index);
                if (shared.size() > text_room()) return too_much_text();
                text = shared;
                break;
            }
            case CellType::kBool: {
                const std::string_view v = trim_space(value_);
                if (v.empty()) break;
                if (v == "1" || v == "true") {
                    text = "TRUE";
                } else if (v == "0" || v == "false") {
                    text = "FALSE";
                } else {
                    return invalid("cell " + cell_name(col_) + " is a boolean that is \"" +
                                   std::string(v.substr(0, 32)) + "\"");
                }
                break;
            }
            case CellType::kInline:
                text = std::move(value_);
                decode_xlsx_escapes(text);
                break;
            case CellType::kFormulaText:
            case CellType::kError:
            case CellType::kDate:
                text = std::move(value_);
                break;
        }
        value_.clear();
        if (text.empty()) return Status::ok();
        if (limits_.max_columns > 0 && col_ >= limits_.max_columns) {
            return Status::invalid("sheet row " + std::to_string(row_) + ": more than " +
                                   std::to_string(limits_.max_columns) + " columns");
        }
        if (cells_.size() <= col_) cells_.resize(col_ + 1);
        row_bytes_ += text.size();
        cells_[col_] = std::move(text);
        return Status::ok();
    }

    Status end_row() {
        in_row_ = false;
        if (cells_.empty()) return Status::ok();  // no value: skipped, as a blank CSV line
        if (width_ == 0) width_ = cells_.size();
        if (cells_.size() < width_) cells_.resize(width_);
        // As CSV: the values, plus a separator or the line end after each.
        const std::size_t bytes = row_bytes_ + cells_.size();
        if (limits_.max_text_bytes > 0 && bytes > limits_.max_text_bytes - used_) {
            return too_much_text();
        }
        used_ += bytes;
        CsvRecord rec;
        rec.fields = std::move(cells_);
        rec.line = row_;
        cells_.clear();
        return on_record_(rec);
    }

    // Bytes a value may still add before the records pass max_text_bytes.
    std::size_t text_room() const {
        if (limits_.max_text_bytes == 0) return SIZE_MAX;
        return limits_.max_text_bytes - std::min(limits_.max_text_bytes, used_ + row_bytes_);
    }

    std::string cell_name(std::size_t col) const {
        return column_letters(col) + std::to_string(row_);
    }

    Status too_much_text() const {
        return Status::invalid("The sheet holds more than " +
                               std::to_string(limits_.max_text_bytes) +
                               " bytes of text (the limit per upload, as for a CSV file; split "
                               "the file)");
    }

    const std::string& part_;
    const XlsxLimits& limits_;
    const SharedStringsHandler* shared_;
    const std::string& shared_part_;
    const StylesHandler& styles_;
    const bool date1904_;
    const std::function<Status(CsvRecord&)>& on_record_;

    int depth_ = 0;
    bool in_data_ = false;
    bool in_row_ = false;
    bool in_cell_ = false;
    bool in_inline_ = false;
    bool collecting_ = false;
    int phonetic_depth_ = 0;
    std::size_t row_ = 0, last_row_ = 0;
    std::size_t col_ = 0;
    std::int64_t last_col_ = -1;
    CellType type_ = CellType::kNumber;
    std::optional<std::size_t> style_;
    std::string value_;
    std::vector<std::string> cells_;  // the row so far, up to its last cell with a value
    std::size_t row_bytes_ = 0;       // bytes of the values in cells_
    std::size_t width_ = 0;           // fields of the first record
    std::size_t used_ = 0;            // text of the records handed out, as CSV would hold it
};

}  // namespace

// [SECTION] Reader

bool looks_like_xlsx(std::string_view bytes, std::string_view filename,
                     std::string_view content_type) {
    const std::string_view magic = bytes.substr(0, 4);
    return magic == std::string_view("PK\x03\x04", 4) ||
           magic == std::string_view("PK\x05\x06", 4) || ends_with_nocase(filename, ".xlsx") ||
           ends_with_nocase(filename, ".xlsm") ||
           content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

bool looks_like_compound_file(std::string_view bytes) {
    return bytes.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
}

Status for_each_xlsx_record(std::string_view bytes, const XlsxLimits& limits,
                            const std::function<Status(CsvRecord&)>& on_record) {
    if (bytes.empty()) return invalid("the file is empty");  // libzip opens it as an empty archive
    xlsx::Package zip(limits.max_entries, limits.max_unpacked_bytes);
    if (Status s = zip.open(bytes); !s) return s;

    // The workbook: named by the package's relationships, at its usual place without them.
    std::string workbook = "xl/workbook.xml";
    if (zip.has("_rels/.rels")) {
        auto root = xlsx::read_relationships(zip, "_rels/.rels");
        if (!root.ok()) return root.status();
        if (const Relationship* r = xlsx::first_of_kind(*root, "officeDocument")) {
            auto path = xlsx::resolve_target("", r->target);
            if (!path) return invalid("_rels/.rels names the workbook \"" + r->target + "\"");
            workbook = *path;
        }
    }
    WorkbookHandler book;
    if (Status s = xlsx::parse_part(zip, workbook, book); !s) return s;
    if (!book.first_sheet_rel) return invalid(workbook + " lists no sheet");

    const std::string book_rels_part = xlsx::rels_of(workbook);
    auto book_rels = xlsx::read_relationships(zip, book_rels_part);
    if (!book_rels.ok()) return book_rels.status();
    const Relationship* sheet_rel = nullptr;
    for (const Relationship& r : *book_rels) {
        if (r.id == *book.first_sheet_rel) sheet_rel = &r;
    }
    const std::string sheet_label = "the first sheet (\"" + book.first_sheet_name + "\")";
    if (!sheet_rel) {
        return invalid(book_rels_part + " has no relationship \"" + *book.first_sheet_rel +
                       "\" for " + sheet_label);
    }
    if (!sheet_rel->is("worksheet")) {
        return invalid(sheet_label + " is not a worksheet (a chart sheet?)");
    }
    const auto folder = xlsx::folder_of(workbook);
    auto sheet =
        sheet_rel->external ? std::nullopt : xlsx::resolve_target(folder, sheet_rel->target);
    if (!sheet) return invalid(sheet_label + " is at \"" + sheet_rel->target + "\"");

    StylesHandler styles;
    if (const Relationship* r = xlsx::first_of_kind(*book_rels, "styles")) {
        auto path = xlsx::resolve_target(folder, r->target);
        if (path && zip.has(*path)) {
            if (Status s = xlsx::parse_part(zip, *path, styles); !s) return s;
        }
    }
    styles.finish();

    std::unique_ptr<SharedStringsHandler> shared;
    std::string shared_part = folder + "sharedStrings.xml";
    if (const Relationship* r = xlsx::first_of_kind(*book_rels, "sharedStrings")) {
        auto path = xlsx::resolve_target(folder, r->target);
        if (path) shared_part = *path;
        if (path && zip.has(*path)) {
            shared = std::make_unique<SharedStringsHandler>();
            if (Status s = xlsx::parse_part(zip, *path, *shared); !s) return s;
        }
    }

    if (!zip.has(*sheet)) return invalid("it has no " + *sheet + " (" + sheet_label + ")");
    SheetHandler handler(*sheet, limits, shared.get(), shared_part, styles, book.date1904,
                         on_record);
    return xlsx::parse_part(zip, *sheet, handler);
}

}  // namespace leadflow::server
