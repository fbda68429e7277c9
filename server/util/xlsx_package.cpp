// server/util/xlsx_package.cpp — the zip archive (libzip, from memory), XML parts (expat, fed
// chunk by chunk as they are inflated) and relationships of an .xlsx workbook.
//
// Index
//   [SECTION] Package
//   [SECTION] XML
//   [SECTION] Relationships
#include "util/xlsx_package.hpp"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <memory>

#include "util/xlsx.hpp"

namespace leadflow::server::xlsx {

Status invalid(const std::string& what) {
    return Status::invalid(std::string(kXlsxInvalidPrefix) + what);
}

// [SECTION] Package

namespace {

// Bytes asked of the inflater at a time.
constexpr std::size_t kChunkBytes = 64 * 1024;

}  // namespace

Package::~Package() {
    if (zip_) zip_discard(zip_);
}

Status Package::open(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source) zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (!zip_) {
        if (source) zip_source_free(source);
        Status st = invalid(std::string("the zip archive cannot be read (") +
                            zip_error_strerror(&error) + ")");
        zip_error_fini(&error);
        return st;
    }
    zip_error_fini(&error);
    const zip_int64_t entries = zip_get_num_entries(zip_, 0);
    if (entries < 0 || static_cast<std::uint64_t>(entries) > max_entries_) {
        return Status::invalid("The .xlsx has more than " + std::to_string(max_entries_) +
                               " zip entries (the limit per upload)");
    }
    return Status::ok();
}

bool Package::has(const std::string& part) const {
    return zip_name_locate(zip_, part.c_str(), ZIP_FL_NOCASE) >= 0;
}

Status Package::read(const std::string& part, const std::function<Status(std::string_view)>& sink) {
    const zip_int64_t index = zip_name_locate(zip_, part.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return invalid("it has no " + part);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &st) != 0) {
        return invalid(part + ": " + zip_strerror(zip_));
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        return invalid("it is encrypted; save it without a password");
    }
    if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
        st.comp_method != ZIP_CM_DEFLATE) {
        return invalid(part + " is compressed with zip method " + std::to_string(st.comp_method) +
                       " (a workbook uses deflate)");
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > max_unpacked_bytes_ - used_) {
        return too_large();  // declared too large: refused before inflating anything
    }
    zip_file_t* file = zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0);
    if (!file) return invalid(part + ": " + zip_strerror(zip_));
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> closer(file, zip_fclose);
    std::string buffer(kChunkBytes, '\0');
    while (true) {
        // One byte more than the budget allows, so that going past it is seen.
        const std::size_t want = std::min(kChunkBytes, max_unpacked_bytes_ - used_ + 1);
        const zip_int64_t got = zip_fread(file, buffer.data(), want);
        if (got < 0) return invalid(part + ": " + zip_error_strerror(zip_file_get_error(file)));
        if (got == 0) return Status::ok();
        used_ += static_cast<std::size_t>(got);
        if (used_ > max_unpacked_bytes_) return too_large();
        Status s = sink(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
        if (!s) return s;
    }
}

Status Package::too_large() const {
    return Status::invalid("The .xlsx unpacks to more than " + std::to_string(max_unpacked_bytes_) +
                           " bytes (the limit per upload)");
}

// [SECTION] XML

namespace {

std::string_view local_name(const char* name) {
    std::string_view n(name);
    const auto colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

}  // namespace

const char* attribute(const char** attrs, std::string_view name) {
    for (std::size_t i = 0; attrs[i]; i += 2) {
        if (local_name(attrs[i]) == name) return attrs[i + 1];
    }
    return nullptr;
}

namespace {

struct ParseState {
    XML_Parser parser;
    XmlHandler* handler;
    const std::string* part;
    Status status;
    void stop(Status s) {
        status = std::move(s);
        XML_StopParser(parser, XML_FALSE);
    }
};

void on_start(void* data, const char* name, const char** attrs) {
    auto* ps = static_cast<ParseState*>(data);
    if (!ps->status) return;
    if (Status s = ps->handler->start(local_name(name), attrs); !s) ps->stop(std::move(s));
}

void on_end(void* data, const char* name) {
    auto* ps = static_cast<ParseState*>(data);
    if (!ps->status) return;
    if (Status s = ps->handler->end(local_name(name)); !s) ps->stop(std::move(s));
}

void on_text(void* data, const char* s, int len) {
    auto* ps = static_cast<ParseState*>(data);
    if (!ps->status) return;
    Status st = ps->handler->text(std::string_view(s, static_cast<std::size_t>(len)));
    if (!st) ps->stop(std::move(st));
}

// A workbook has no document type declaration: one is refused where it starts, before any
// entity it declares could be defined or expanded.
void on_doctype(void* data, const char*, const char*, const char*, int) {
    auto* ps = static_cast<ParseState*>(data);
    if (!ps->status) return;
    ps->stop(invalid(*ps->part + " has a document type declaration (DTD)"));
}

}  // namespace

Status parse_part(Package& zip, const std::string& name, XmlHandler& handler) {
    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                   XML_ParserFree);
    if (!parser) return Status::internal("out of memory for the XML parser");
    ParseState ps{parser.get(), &handler, &name, Status::ok()};
    XML_SetUserData(parser.get(), &ps);
    XML_SetElementHandler(parser.get(), on_start, on_end);
    XML_SetCharacterDataHandler(parser.get(), on_text);
    XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
    XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
    auto feed = [&](const char* data, std::size_t size, bool final) -> Status {
        if (XML_Parse(parser.get(), data, static_cast<int>(size), final ? XML_TRUE : XML_FALSE) ==
            XML_STATUS_OK) {
            return Status::ok();
        }
        if (!ps.status) return ps.status;
        return invalid(name + " line " + std::to_string(XML_GetCurrentLineNumber(parser.get())) +
                       ": " + XML_ErrorString(XML_GetErrorCode(parser.get())));
    };
    Status st = zip.read(
        name, [&](std::string_view chunk) { return feed(chunk.data(), chunk.size(), false); });
    if (!st) return st;
    return feed("", 0, true);
}

// [SECTION] Relationships

std::string folder_of(const std::string& part) {
    const auto slash = part.rfind('/');
    return slash == std::string::npos ? "" : part.substr(0, slash + 1);
}

std::string rels_of(const std::string& part) {
    return folder_of(part) + "_rels/" + part.substr(folder_of(part).size()) + ".rels";
}

std::optional<std::string> resolve_target(const std::string& folder, std::string_view target) {
    std::string path = !target.empty() && target[0] == '/' ? std::string(target.substr(1))
                                                           : folder + std::string(target);
    std::vector<std::string> segments;
    std::size_t i = 0;
    while (i <= path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        std::string seg = path.substr(i, j - i);
        if (seg == "..") {
            if (segments.empty()) return std::nullopt;
            segments.pop_back();
        } else if (!seg.empty() && seg != ".") {
            segments.push_back(std::move(seg));
        }
        i = j + 1;
    }
    if (segments.empty()) return std::nullopt;
    std::string out;
    for (const std::string& s : segments) out += (out.empty() ? "" : "/") + s;
    return out;
}

bool Relationship::is(std::string_view kind) const {
    const std::string_view t = type;
    return t.size() > kind.size() && t.substr(t.size() - kind.size()) == kind &&
           t[t.size() - kind.size() - 1] == '/';
}

namespace {

// Relationships of one part: a workbook has one per sheet and a few more, far below this.
constexpr std::size_t kMaxRelationships = 65'536;

class RelsHandler : public XmlHandler {
  public:
    explicit RelsHandler(const std::string& part) : part_(part) {}
    std::vector<Relationship> rels;
    Status start(std::string_view name, const char** attrs) override {
        if (name != "Relationship") return Status::ok();
        if (rels.size() == kMaxRelationships) {
            return invalid(part_ + " has more than " + std::to_string(kMaxRelationships) +
                           " relationships");
        }
        Relationship r;
        const char* id = attribute(attrs, "Id");
        const char* type = attribute(attrs, "Type");
        const char* target = attribute(attrs, "Target");
        const char* mode = attribute(attrs, "TargetMode");
        r.id = id ? id : "";
        r.type = type ? type : "";
        r.target = target ? target : "";
        r.external = mode && std::string_view(mode) == "External";
        rels.push_back(std::move(r));
        return Status::ok();
    }
    Status end(std::string_view) override { return Status::ok(); }

  private:
    const std::string& part_;
};

}  // namespace

Result<std::vector<Relationship>> read_relationships(Package& package, const std::string& part) {
    RelsHandler handler(part);
    if (Status s = parse_part(package, part, handler); !s) return s;
    return std::move(handler.rels);
}

const Relationship* first_of_kind(const std::vector<Relationship>& rels, std::string_view kind) {
    for (const Relationship& r : rels) {
        if (!r.external && r.is(kind)) return &r;
    }
    return nullptr;
}

}  // namespace leadflow::server::xlsx
