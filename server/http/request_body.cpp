// server/http/request_body.cpp — body framing and content decoding under a limit.
#include "http/request_body.hpp"

#include <zlib.h>

#include <cctype>
#include <cstring>
#include <vector>

namespace leadflow::server {
namespace {

constexpr std::size_t kPiece = 64 * 1024;
constexpr std::size_t kMaxChunkLine = 4096;      // chunk-size line with extensions
constexpr std::size_t kMaxTrailerBytes = 16384;  // trailer fields after the last chunk

std::string mb(std::size_t bytes) {
    return std::to_string(bytes / (1024 * 1024)) + " MB";
}

BodyOutcome fail(int status, std::string message) {
    BodyOutcome o;
    o.status = status;
    o.message = std::move(message);
    return o;
}

bool is_identity(const std::string& e) {
    return e.empty() || e == "identity";
}

// Receives the framed bytes; inflates them when the body is compressed.
class Sink {
  public:
    Sink(const std::string& encoding, std::size_t max) : max_(max) {
        if (is_identity(encoding)) return;
        inflating_ = true;
        // gzip: a gzip wrapper; deflate (RFC 9110 §8.4.1.2): a zlib wrapper, accepted with
        // automatic detection so that gzip data labelled deflate is read too.
        const int window = encoding == "deflate" ? 15 + 32 : 15 + 16;
        ok_ = inflateInit2(&z_, window) == Z_OK;
    }
    ~Sink() {
        if (inflating_ && ok_) inflateEnd(&z_);
    }
    Sink(const Sink&) = delete;
    Sink& operator=(const Sink&) = delete;

    // 0, or the status of the failure (message in error_).
    int feed(const char* p, std::size_t n) {
        if (!inflating_) {
            out_.append(p, n);
            return 0;
        }
        if (!ok_) return set_error(500, "Cannot start decompression");
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p));
        z_.avail_in = static_cast<uInt>(n);
        while (z_.avail_in > 0) {
            if (ended_) {
                // Concatenated gzip members are one body (RFC 1952 §2.2).
                if (inflateReset(&z_) != Z_OK) return set_error(400, "Invalid compressed body");
                ended_ = false;
            }
            unsigned char buf[16384];
            z_.next_out = buf;
            z_.avail_out = sizeof buf;
            const int r = inflate(&z_, Z_NO_FLUSH);
            if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR) {
                return set_error(400, "Request body is not valid gzip or deflate data");
            }
            const std::size_t got = sizeof buf - z_.avail_out;
            if (out_.size() + got > max_) {
                return set_error(413, "Decompressed request body is larger than " + mb(max_));
            }
            out_.append(reinterpret_cast<char*>(buf), got);
            if (r == Z_STREAM_END) ended_ = true;
            if (r == Z_BUF_ERROR && got == 0) break;
        }
        // Output still pending inside zlib for this input.
        for (;;) {
            if (ended_) break;
            unsigned char buf[16384];
            z_.next_out = buf;
            z_.avail_out = sizeof buf;
            const int r = inflate(&z_, Z_NO_FLUSH);
            const std::size_t got = sizeof buf - z_.avail_out;
            if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR) {
                return set_error(400, "Request body is not valid gzip or deflate data");
            }
            if (out_.size() + got > max_) {
                return set_error(413, "Decompressed request body is larger than " + mb(max_));
            }
            out_.append(reinterpret_cast<char*>(buf), got);
            if (r == Z_STREAM_END) ended_ = true;
            if (got == 0) break;
        }
        return 0;
    }

    int finish() {
        if (inflating_ && !ended_) return set_error(400, "Compressed request body is truncated");
        return 0;
    }

    std::string take() { return std::move(out_); }
    const std::string& error() const { return error_; }

  private:
    int set_error(int status, std::string m) {
        error_ = std::move(m);
        return status;
    }
    std::size_t max_;
    bool inflating_ = false;
    bool ok_ = true;
    bool ended_ = false;
    z_stream z_{};
    std::string out_;
    std::string error_;
};

// Reads exactly n bytes into p; false on end of stream, error or timeout.
bool read_exact(const BodyReadFn& read, char* p, std::size_t n) {
    while (n > 0) {
        ssize_t r = read(p, n);
        if (r <= 0) return false;
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

// Reads one CRLF-terminated line (without the CRLF), at most `max` bytes.
bool read_line(const BodyReadFn& read, std::string* line, std::size_t max) {
    line->clear();
    char ch = 0;
    while (line->size() <= max) {
        if (read(&ch, 1) != 1) return false;
        if (ch == '\n') {
            if (!line->empty() && line->back() == '\r') line->pop_back();
            return true;
        }
        line->push_back(ch);
    }
    return false;
}

BodyOutcome timed_out() {
    return fail(408, "Request body not received in time");
}

}  // namespace

BodyOutcome check_body_framing(const BodyFraming& f, std::size_t max_bytes) {
    if (!is_identity(f.content_encoding) && f.content_encoding != "gzip" &&
        f.content_encoding != "x-gzip" && f.content_encoding != "deflate") {
        return fail(415, "Content-Encoding '" + f.content_encoding +
                             "' is not supported; send gzip, deflate or an uncompressed body");
    }
    if (f.content_length && *f.content_length > max_bytes) {
        return fail(413, "Request body is larger than " + mb(max_bytes));
    }
    return {};
}

BodyOutcome read_body(const BodyFraming& f, std::size_t max_bytes, const BodyReadFn& read) {
    if (BodyOutcome o = check_body_framing(f, max_bytes); o.status != 0) return o;
    const std::string encoding = f.content_encoding == "x-gzip" ? "gzip" : f.content_encoding;
    Sink sink(encoding, max_bytes);
    std::vector<char> piece(kPiece);
    auto deliver = [&](std::size_t n) -> BodyOutcome {
        if (int s = sink.feed(piece.data(), n); s != 0) return fail(s, sink.error());
        return {};
    };
    if (f.chunked) {
        std::size_t total = 0;
        std::string line;
        for (;;) {
            if (!read_line(read, &line, kMaxChunkLine)) return timed_out();
            const std::size_t semi = line.find(';');
            std::string hex = line.substr(0, semi);
            while (!hex.empty() && (hex.back() == ' ' || hex.back() == '\t')) hex.pop_back();
            if (hex.empty() || hex.size() > 15) return fail(400, "Invalid chunk size");
            std::size_t size = 0;
            for (char c : hex) {
                if (!std::isxdigit(static_cast<unsigned char>(c))) {
                    return fail(400, "Invalid chunk size");
                }
                size =
                    size * 16 + static_cast<std::size_t>(
                                    std::isdigit(static_cast<unsigned char>(c))
                                        ? c - '0'
                                        : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
            }
            if (size == 0) break;
            if (size > max_bytes || total + size > max_bytes) {
                return fail(413, "Request body is larger than " + mb(max_bytes));
            }
            total += size;
            while (size > 0) {
                const std::size_t n = std::min(size, piece.size());
                if (!read_exact(read, piece.data(), n)) return timed_out();
                if (BodyOutcome o = deliver(n); o.status != 0) return o;
                size -= n;
            }
            char crlf[2];
            if (!read_exact(read, crlf, 2)) return timed_out();
            if (crlf[0] != '\r' || crlf[1] != '\n') return fail(400, "Invalid chunk framing");
        }
        // Trailer fields, ignored, up to the empty line.
        std::size_t trailer = 0;
        for (;;) {
            if (!read_line(read, &line, kMaxTrailerBytes)) return timed_out();
            if (line.empty()) break;
            trailer += line.size();
            if (trailer > kMaxTrailerBytes) return fail(431, "Chunked trailer is too large");
        }
    } else if (f.content_length) {
        std::size_t left = *f.content_length;
        while (left > 0) {
            const std::size_t n = std::min(left, piece.size());
            if (!read_exact(read, piece.data(), n)) return timed_out();
            if (BodyOutcome o = deliver(n); o.status != 0) return o;
            left -= n;
        }
    }
    if (int s = sink.finish(); s != 0) return fail(s, sink.error());
    BodyOutcome o;
    o.body = sink.take();
    return o;
}

}  // namespace leadflow::server
