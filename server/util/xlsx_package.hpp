// server/util/xlsx_package.hpp — the container of an .xlsx workbook (an Open Packaging
// Conventions package): its zip archive, read from memory under one budget of inflated bytes;
// its XML parts, streamed through expat as they are inflated; its relationships. The .xlsx
// reader (util/xlsx.hpp) builds on it; errors start with kXlsxInvalidPrefix.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadflow/status.hpp"

struct zip;

namespace leadflow::server::xlsx {

// kInvalidArgument "file is not a valid .xlsx workbook: <what>".
Status invalid(const std::string& what);

// The zip archive of a workbook, read in place from the upload's bytes (which must outlive it).
class Package {
  public:
    Package(std::size_t max_entries, std::size_t max_unpacked_bytes)
        : max_entries_(max_entries), max_unpacked_bytes_(max_unpacked_bytes) {}
    Package(const Package&) = delete;
    Package& operator=(const Package&) = delete;
    ~Package();

    // Opens the archive; fails on bytes that are not a zip archive or hold more than
    // max_entries entries.
    Status open(std::string_view bytes);
    // True when the archive has the part (names compare case-insensitively, as in OPC).
    bool has(const std::string& part) const;
    // Inflates `part` and hands its bytes to `sink` chunk by chunk (a failed Status from `sink`
    // stops and is returned). Every part read counts against max_unpacked_bytes, counted while
    // inflating and checked before each chunk is taken in: the size an entry declares is used
    // only to refuse it early. Fails on an encrypted entry, a compression other than deflate
    // or none, and a damaged entry (its CRC).
    Status read(const std::string& part, const std::function<Status(std::string_view)>& sink);

  private:
    Status too_large() const;

    std::size_t max_entries_;
    std::size_t max_unpacked_bytes_;
    std::size_t used_ = 0;
    ::zip* zip_ = nullptr;
};

// The events of one XML part, with element and attribute names stripped of their namespace
// prefix (workbooks are written with and without prefixes: "x:row", "r:id"; the local names
// of the parts read do not collide). A failed Status stops the parse and is returned.
class XmlHandler {
  public:
    virtual ~XmlHandler() = default;
    virtual Status start(std::string_view name, const char** attrs) = 0;
    virtual Status end(std::string_view name) = 0;
    virtual Status text(std::string_view) { return Status::ok(); }
};

// The value of the attribute with local name `name` among expat's attribute pairs, or null.
const char* attribute(const char** attrs, std::string_view name);

// Streams `part` through expat into `handler`. The XML must be well-formed and have no
// document type declaration: a DTD is refused where it starts, so no entity it could declare
// is ever defined or expanded. Text reaches the handler as UTF-8 whatever the declared
// encoding (expat refuses bytes that are not of it).
Status parse_part(Package& package, const std::string& part, XmlHandler& handler);

// The folder of a part, with its final slash ("xl/" for "xl/workbook.xml").
std::string folder_of(const std::string& part);
// The relationships part of a part: "xl/_rels/workbook.xml.rels" for "xl/workbook.xml".
std::string rels_of(const std::string& part);
// A relationship target resolved against the folder of its source part ("worksheets/s.xml"
// from "xl/" is "xl/worksheets/s.xml"; "/xl/s.xml" is from the package root; ".." goes up);
// empty for a path that leaves the package.
std::optional<std::string> resolve_target(const std::string& folder, std::string_view target);

struct Relationship {
    std::string id, type, target;
    bool external = false;  // TargetMode="External": not a part of the package

    // True when the type ends in "/<kind>" (transitional and strict OOXML name the same kinds
    // under different URIs).
    bool is(std::string_view kind) const;
};

// The relationships of a .rels part, in document order; more than 65,536 are refused.
Result<std::vector<Relationship>> read_relationships(Package& package, const std::string& part);
// The first internal relationship of a kind, or null.
const Relationship* first_of_kind(const std::vector<Relationship>& rels, std::string_view kind);

}  // namespace leadflow::server::xlsx
