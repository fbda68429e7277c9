// Raw DEFLATE (RFC 1951) and base64url. Index:
//   [SECTION] Bit I/O
//   [SECTION] Huffman code construction
//   [SECTION] Compressor (LZ77 + dynamic Huffman)
//   [SECTION] Decompressor
//   [SECTION] base64url
#include "leadflow/deflate.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace leadflow {

namespace {

// Length codes 257..285: base lengths and extra bits (RFC 1951 §3.2.5).
constexpr std::array<std::uint16_t, 29> kLengthBase = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                                       15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                                       67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<std::uint8_t, 29> kLengthExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<std::uint16_t, 30> kDistBase = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<std::uint8_t, 30> kDistExtra = {0, 0, 0,  0,  1,  1,  2,  2,  3,  3,
                                                     4, 4, 5,  5,  6,  6,  7,  7,  8,  8,
                                                     9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
// Order in which code-length code lengths are sent.
constexpr std::array<std::uint8_t, 19> kClOrder = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                   11, 4,  12, 3, 13, 2, 14, 1, 15};

// [SECTION] Bit I/O

class BitWriter {
  public:
    void put(std::uint32_t bits, int count) {  // LSB first
        acc_ |= static_cast<std::uint64_t>(bits) << n_;
        n_ += count;
        while (n_ >= 8) {
            out_.push_back(static_cast<char>(acc_ & 0xff));
            acc_ >>= 8;
            n_ -= 8;
        }
    }
    std::string finish() {
        if (n_ > 0) out_.push_back(static_cast<char>(acc_ & 0xff));
        acc_ = 0;
        n_ = 0;
        return std::move(out_);
    }

  private:
    std::string out_;
    std::uint64_t acc_ = 0;
    int n_ = 0;
};

std::uint32_t reverse_bits(std::uint32_t code, int len) {
    std::uint32_t r = 0;
    for (int i = 0; i < len; ++i) r = (r << 1) | ((code >> i) & 1u);
    return r;
}

// [SECTION] Huffman code construction

// Code lengths (≤ max_len) for the given frequencies. Symbols with frequency 0 get length 0.
// When the optimal tree is too deep, frequencies are flattened and the tree rebuilt.
std::vector<std::uint8_t> huffman_lengths(std::vector<std::uint32_t> freq, int max_len) {
    const std::size_t n = freq.size();
    std::vector<std::uint8_t> len(n, 0);
    for (;;) {
        // Nodes: leaves 0..n-1, internal nodes appended. Deterministic tie-break by index.
        struct Item {
            std::uint64_t w;
            std::uint32_t id;
        };
        std::vector<Item> heap;
        std::vector<std::int32_t> parent;
        for (std::size_t i = 0; i < n; ++i) {
            if (freq[i]) heap.push_back({freq[i], static_cast<std::uint32_t>(i)});
        }
        parent.assign(n, -1);
        if (heap.empty()) return len;
        if (heap.size() == 1) {
            len[heap[0].id] = 1;
            return len;
        }
        auto cmp = [](const Item& a, const Item& b) {
            return a.w != b.w ? a.w > b.w : a.id > b.id;
        };
        std::make_heap(heap.begin(), heap.end(), cmp);
        while (heap.size() > 1) {
            std::pop_heap(heap.begin(), heap.end(), cmp);
            Item a = heap.back();
            heap.pop_back();
            std::pop_heap(heap.begin(), heap.end(), cmp);
            Item b = heap.back();
            heap.pop_back();
            const auto id = static_cast<std::uint32_t>(parent.size());
            parent.push_back(-1);
            parent[a.id] = static_cast<std::int32_t>(id);
            parent[b.id] = static_cast<std::int32_t>(id);
            heap.push_back({a.w + b.w, id});
            std::push_heap(heap.begin(), heap.end(), cmp);
        }
        int deepest = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (!freq[i]) continue;
            int d = 0;
            for (std::int32_t p = parent[i]; p >= 0; p = parent[static_cast<std::size_t>(p)]) ++d;
            len[i] = static_cast<std::uint8_t>(d);
            deepest = std::max(deepest, d);
        }
        if (deepest <= max_len) return len;
        for (auto& f : freq) {
            if (f) f = (f >> 1) | 1u;
        }
    }
}

// Canonical codes (RFC 1951 §3.2.2), already bit-reversed for LSB-first output.
std::vector<std::uint32_t> canonical_codes(const std::vector<std::uint8_t>& len) {
    std::array<std::uint32_t, 16> count{}, next{};
    for (auto l : len) {
        if (l) ++count[l];
    }
    std::uint32_t code = 0;
    for (int bits = 1; bits <= 15; ++bits) {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    std::vector<std::uint32_t> codes(len.size(), 0);
    for (std::size_t i = 0; i < len.size(); ++i) {
        if (len[i]) codes[i] = reverse_bits(next[len[i]]++, len[i]);
    }
    return codes;
}

// [SECTION] Compressor (LZ77 + dynamic Huffman)

struct Symbol {
    std::uint16_t litlen;  // 0..285
    std::uint16_t dist;    // distance (1..32768) for lengths, 0 for literals
    std::uint16_t length;  // match length for lengths
};

int length_code(int length) {  // index into kLength* (symbol = 257 + index)
    int i = 28;
    while (kLengthBase[static_cast<std::size_t>(i)] > length) --i;
    return i;
}
int dist_code(int dist) {
    int i = 29;
    while (kDistBase[static_cast<std::size_t>(i)] > dist) --i;
    return i;
}

class Matcher {
  public:
    static constexpr int kWindow = 32768;
    static constexpr int kHashBits = 15;
    static constexpr int kMaxChain = 256;

    explicit Matcher(std::string_view data)
        : d_(data), head_(1u << kHashBits, -1), prev_(data.size(), -1) {}

    // Inserts position i (needs 3 bytes) into the hash chains.
    void insert(std::size_t i) {
        if (i + 2 >= d_.size()) return;
        const std::uint32_t h = hash(i);
        prev_[i] = head_[h];
        head_[h] = static_cast<std::int32_t>(i);
    }
    // Longest match at i among earlier positions: returns {length, distance} (length 0: none).
    std::pair<int, int> longest(std::size_t i) const {
        if (i + 2 >= d_.size()) return {0, 0};
        int best = 0, best_dist = 0;
        const int max_len = static_cast<int>(std::min<std::size_t>(258, d_.size() - i));
        int chain = kMaxChain;
        for (std::int32_t p = head_[hash(i)]; p >= 0 && chain-- > 0; p = prev_[p]) {
            const int dist = static_cast<int>(i) - p;
            if (dist > kWindow) break;
            if (d_[static_cast<std::size_t>(p) + best] != d_[i + best]) continue;
            int l = 0;
            while (l < max_len && d_[static_cast<std::size_t>(p) + l] == d_[i + l]) ++l;
            if (l > best) {
                best = l;
                best_dist = dist;
                if (l == max_len) break;
            }
        }
        return best >= 3 ? std::make_pair(best, best_dist) : std::make_pair(0, 0);
    }

  private:
    std::uint32_t hash(std::size_t i) const {
        const std::uint32_t v = static_cast<std::uint8_t>(d_[i]) |
                                (static_cast<std::uint8_t>(d_[i + 1]) << 8) |
                                (static_cast<std::uint8_t>(d_[i + 2]) << 16);
        return (v * 2654435761u) >> (32 - kHashBits);
    }

    std::string_view d_;
    std::vector<std::int32_t> head_;
    std::vector<std::int32_t> prev_;
};

std::vector<Symbol> lz77(std::string_view data) {
    std::vector<Symbol> out;
    Matcher m(data);
    std::size_t i = 0;
    while (i < data.size()) {
        auto [len, dist] = m.longest(i);
        if (len > 0 && len < 258 && i + 1 < data.size()) {
            // Lazy matching: prefer a literal now if the next position matches longer.
            m.insert(i);
            auto [next_len, next_dist] = m.longest(i + 1);
            if (next_len > len) {
                out.push_back({static_cast<std::uint8_t>(data[i]), 0, 0});
                ++i;
                len = next_len;
                dist = next_dist;
                for (int k = 0; k < len; ++k) m.insert(i + static_cast<std::size_t>(k));
                out.push_back({static_cast<std::uint16_t>(257 + length_code(len)),
                               static_cast<std::uint16_t>(dist), static_cast<std::uint16_t>(len)});
                i += static_cast<std::size_t>(len);
                continue;
            }
            for (int k = 1; k < len; ++k) m.insert(i + static_cast<std::size_t>(k));
        } else {
            for (int k = 0; k < std::max(len, 1); ++k) m.insert(i + static_cast<std::size_t>(k));
        }
        if (len > 0) {
            out.push_back({static_cast<std::uint16_t>(257 + length_code(len)),
                           static_cast<std::uint16_t>(dist), static_cast<std::uint16_t>(len)});
            i += static_cast<std::size_t>(len);
        } else {
            out.push_back({static_cast<std::uint8_t>(data[i]), 0, 0});
            ++i;
        }
    }
    return out;
}

void write_block(BitWriter& w, const Symbol* syms, std::size_t count, bool final) {
    std::vector<std::uint32_t> lit_freq(286, 0), dist_freq(30, 0);
    for (std::size_t i = 0; i < count; ++i) {
        ++lit_freq[syms[i].litlen];
        if (syms[i].dist) ++dist_freq[static_cast<std::size_t>(dist_code(syms[i].dist))];
    }
    lit_freq[256] = 1;
    // Keep both codes complete (at least two symbols) so every inflater accepts them.
    if (std::count_if(lit_freq.begin(), lit_freq.end(), [](auto f) { return f > 0; }) < 2) {
        lit_freq[0] = std::max<std::uint32_t>(lit_freq[0], 1);
    }
    while (std::count_if(dist_freq.begin(), dist_freq.end(), [](auto f) { return f > 0; }) < 2) {
        dist_freq[dist_freq[0] ? 1 : 0] = 1;
    }
    const auto lit_len = huffman_lengths(lit_freq, 15);
    const auto dist_len = huffman_lengths(dist_freq, 15);
    const auto lit_code = canonical_codes(lit_len);
    const auto dist_code_bits = canonical_codes(dist_len);

    std::size_t hlit = 286, hdist = 30;
    while (hlit > 257 && lit_len[hlit - 1] == 0) --hlit;
    while (hdist > 1 && dist_len[hdist - 1] == 0) --hdist;

    // Run-length encode the concatenated code lengths with symbols 16, 17, 18.
    std::vector<std::uint8_t> all(lit_len.begin(), lit_len.begin() + static_cast<long>(hlit));
    all.insert(all.end(), dist_len.begin(), dist_len.begin() + static_cast<long>(hdist));
    struct Cl {
        std::uint8_t sym, extra;
    };
    std::vector<Cl> cl;
    for (std::size_t i = 0; i < all.size();) {
        std::size_t run = 1;
        while (i + run < all.size() && all[i + run] == all[i]) ++run;
        if (all[i] == 0 && run >= 3) {
            const std::size_t r = std::min<std::size_t>(run, 138);
            if (r >= 11)
                cl.push_back({18, static_cast<std::uint8_t>(r - 11)});
            else
                cl.push_back({17, static_cast<std::uint8_t>(r - 3)});
            i += r;
        } else if (all[i] != 0 && run >= 4) {
            cl.push_back({all[i], 0});
            const std::size_t r = std::min<std::size_t>(run - 1, 6);
            cl.push_back({16, static_cast<std::uint8_t>(r - 3)});
            i += 1 + r;
        } else {
            cl.push_back({all[i], 0});
            ++i;
        }
    }
    std::vector<std::uint32_t> cl_freq(19, 0);
    for (const Cl& c : cl) ++cl_freq[c.sym];
    if (std::count_if(cl_freq.begin(), cl_freq.end(), [](auto f) { return f > 0; }) < 2) {
        cl_freq[cl_freq[0] ? 1 : 0] = 1;
    }
    const auto cl_len = huffman_lengths(cl_freq, 7);
    const auto cl_code = canonical_codes(cl_len);
    std::size_t hclen = 19;
    while (hclen > 4 && cl_len[kClOrder[hclen - 1]] == 0) --hclen;

    w.put(final ? 1 : 0, 1);
    w.put(2, 2);  // dynamic Huffman
    w.put(static_cast<std::uint32_t>(hlit - 257), 5);
    w.put(static_cast<std::uint32_t>(hdist - 1), 5);
    w.put(static_cast<std::uint32_t>(hclen - 4), 4);
    for (std::size_t i = 0; i < hclen; ++i) w.put(cl_len[kClOrder[i]], 3);
    for (const Cl& c : cl) {
        w.put(cl_code[c.sym], cl_len[c.sym]);
        if (c.sym == 16) w.put(c.extra, 2);
        if (c.sym == 17) w.put(c.extra, 3);
        if (c.sym == 18) w.put(c.extra, 7);
    }
    for (std::size_t i = 0; i < count; ++i) {
        const Symbol& s = syms[i];
        w.put(lit_code[s.litlen], lit_len[s.litlen]);
        if (s.litlen > 256) {
            const std::size_t li = s.litlen - 257u;
            if (kLengthExtra[li]) w.put(s.length - kLengthBase[li], kLengthExtra[li]);
            const auto di = static_cast<std::size_t>(dist_code(s.dist));
            w.put(dist_code_bits[di], dist_len[di]);
            if (kDistExtra[di]) w.put(s.dist - kDistBase[di], kDistExtra[di]);
        }
    }
    w.put(lit_code[256], lit_len[256]);
}

// [SECTION] Decompressor

class BitReader {
  public:
    explicit BitReader(std::string_view in) : in_(in) {}
    // Reads `count` bits LSB first; false when the input ends first.
    bool get(int count, std::uint32_t& out) {
        while (n_ < count) {
            if (pos_ >= in_.size()) return false;
            acc_ |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in_[pos_++])) << n_;
            n_ += 8;
        }
        out = static_cast<std::uint32_t>(acc_ & ((1ull << count) - 1));
        acc_ >>= count;
        n_ -= count;
        return true;
    }
    void align() {
        acc_ >>= (n_ % 8);
        n_ -= n_ % 8;
    }
    bool byte(std::uint8_t& b) {
        std::uint32_t v;
        if (!get(8, v)) return false;
        b = static_cast<std::uint8_t>(v);
        return true;
    }

  private:
    std::string_view in_;
    std::size_t pos_ = 0;
    std::uint64_t acc_ = 0;
    int n_ = 0;
};

// Canonical Huffman decoding table (counts per length + symbols sorted by code).
struct Decoder {
    std::array<std::uint16_t, 16> count{};
    std::vector<std::uint16_t> symbols;

    // False for an over-subscribed set of lengths; incomplete codes are allowed (RFC permits a
    // single distance code), decoding then fails only if an unused code appears.
    bool build(const std::uint8_t* len, std::size_t n) {
        count.fill(0);
        for (std::size_t i = 0; i < n; ++i) ++count[len[i]];
        count[0] = 0;
        int left = 1;
        for (int l = 1; l <= 15; ++l) {
            left <<= 1;
            left -= count[static_cast<std::size_t>(l)];
            if (left < 0) return false;
        }
        std::array<std::uint16_t, 16> offs{};
        for (int l = 1; l < 15; ++l) {
            offs[static_cast<std::size_t>(l) + 1] =
                offs[static_cast<std::size_t>(l)] + count[static_cast<std::size_t>(l)];
        }
        symbols.assign(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            if (len[i]) symbols[offs[len[i]]++] = static_cast<std::uint16_t>(i);
        }
        return true;
    }

    // Decodes one symbol; -1 on end of input or an unused code.
    int decode(BitReader& r) const {
        int code = 0, first = 0, index = 0;
        for (int l = 1; l <= 15; ++l) {
            std::uint32_t bit;
            if (!r.get(1, bit)) return -1;
            code |= static_cast<int>(bit);
            const int c = count[static_cast<std::size_t>(l)];
            if (code - c < first) return symbols[static_cast<std::size_t>(index + (code - first))];
            index += c;
            first += c;
            first <<= 1;
            code <<= 1;
        }
        return -1;
    }
};

}  // namespace

std::string deflate_raw(std::string_view data) {
    BitWriter w;
    if (data.empty()) {
        w.put(1, 1);  // final
        w.put(1, 2);  // fixed Huffman
        w.put(0, 7);  // end of block (code 0000000)
        return w.finish();
    }
    const std::vector<Symbol> syms = lz77(data);
    constexpr std::size_t kBlock = 16384;
    for (std::size_t start = 0; start < syms.size(); start += kBlock) {
        const std::size_t count = std::min(kBlock, syms.size() - start);
        write_block(w, syms.data() + start, count, start + count >= syms.size());
    }
    return w.finish();
}

Result<std::string> inflate_raw(std::string_view stream, std::size_t max_output) {
    auto corrupt = [](const std::string& why) {
        return Status::invalid("corrupt compressed data: " + why);
    };
    BitReader r(stream);
    std::string out;
    std::uint32_t final = 0;
    do {
        std::uint32_t type;
        if (!r.get(1, final) || !r.get(2, type)) return corrupt("truncated block header");
        if (type == 0) {
            r.align();
            std::uint8_t b[4];
            for (auto& x : b) {
                if (!r.byte(x)) return corrupt("truncated stored block");
            }
            const unsigned len = b[0] | (b[1] << 8), nlen = b[2] | (b[3] << 8);
            if ((len ^ 0xffffu) != nlen) return corrupt("stored block length check failed");
            if (out.size() + len > max_output) return corrupt("output larger than allowed");
            for (unsigned i = 0; i < len; ++i) {
                std::uint8_t x;
                if (!r.byte(x)) return corrupt("truncated stored block");
                out.push_back(static_cast<char>(x));
            }
            continue;
        }
        if (type == 3) return corrupt("invalid block type");
        Decoder lit, dist;
        std::array<std::uint8_t, 320> lengths{};
        if (type == 1) {
            for (int i = 0; i < 144; ++i) lengths[static_cast<std::size_t>(i)] = 8;
            for (int i = 144; i < 256; ++i) lengths[static_cast<std::size_t>(i)] = 9;
            for (int i = 256; i < 280; ++i) lengths[static_cast<std::size_t>(i)] = 7;
            for (int i = 280; i < 288; ++i) lengths[static_cast<std::size_t>(i)] = 8;
            lit.build(lengths.data(), 288);
            std::array<std::uint8_t, 30> d;
            d.fill(5);
            dist.build(d.data(), 30);
        } else {
            std::uint32_t hlit, hdist, hclen;
            if (!r.get(5, hlit) || !r.get(5, hdist) || !r.get(4, hclen)) {
                return corrupt("truncated dynamic header");
            }
            hlit += 257;
            hdist += 1;
            hclen += 4;
            if (hlit > 286 || hdist > 30) return corrupt("too many length or distance codes");
            std::array<std::uint8_t, 19> cl{};
            for (std::uint32_t i = 0; i < hclen; ++i) {
                std::uint32_t v;
                if (!r.get(3, v)) return corrupt("truncated code lengths");
                cl[kClOrder[i]] = static_cast<std::uint8_t>(v);
            }
            Decoder cld;
            if (!cld.build(cl.data(), 19)) return corrupt("bad code-length code");
            std::uint32_t n = 0;
            while (n < hlit + hdist) {
                const int sym = cld.decode(r);
                if (sym < 0) return corrupt("bad code length symbol");
                if (sym < 16) {
                    lengths[n++] = static_cast<std::uint8_t>(sym);
                    continue;
                }
                std::uint32_t repeat = 0, extra;
                std::uint8_t value = 0;
                if (sym == 16) {
                    if (n == 0) return corrupt("repeat with no previous length");
                    value = lengths[n - 1];
                    if (!r.get(2, extra)) return corrupt("truncated");
                    repeat = 3 + extra;
                } else if (sym == 17) {
                    if (!r.get(3, extra)) return corrupt("truncated");
                    repeat = 3 + extra;
                } else {
                    if (!r.get(7, extra)) return corrupt("truncated");
                    repeat = 11 + extra;
                }
                if (n + repeat > hlit + hdist) return corrupt("code lengths overflow");
                while (repeat--) lengths[n++] = value;
            }
            if (lengths[256] == 0) return corrupt("no end-of-block code");
            if (!lit.build(lengths.data(), hlit)) return corrupt("bad literal/length code");
            if (!dist.build(lengths.data() + hlit, hdist)) return corrupt("bad distance code");
        }
        for (;;) {
            const int sym = lit.decode(r);
            if (sym < 0) return corrupt("bad literal/length symbol");
            if (sym < 256) {
                if (out.size() >= max_output) return corrupt("output larger than allowed");
                out.push_back(static_cast<char>(sym));
                continue;
            }
            if (sym == 256) break;
            const std::size_t li = static_cast<std::size_t>(sym) - 257;
            if (li >= 29) return corrupt("bad length symbol");
            std::uint32_t extra = 0;
            if (kLengthExtra[li] && !r.get(kLengthExtra[li], extra)) return corrupt("truncated");
            const std::size_t len = kLengthBase[li] + extra;
            const int ds = dist.decode(r);
            if (ds < 0 || ds >= 30) return corrupt("bad distance symbol");
            const auto di = static_cast<std::size_t>(ds);
            if (kDistExtra[di] && !r.get(kDistExtra[di], extra)) return corrupt("truncated");
            if (!kDistExtra[di]) extra = 0;
            const std::size_t d = kDistBase[di] + extra;
            if (d > out.size()) return corrupt("distance too far back");
            if (out.size() + len > max_output) return corrupt("output larger than allowed");
            for (std::size_t k = 0; k < len; ++k) out.push_back(out[out.size() - d]);
        }
    } while (!final);
    return out;
}

// [SECTION] base64url

std::string base64url_encode(std::string_view data) {
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const std::uint32_t v = (static_cast<std::uint8_t>(data[i]) << 16) |
                                (static_cast<std::uint8_t>(data[i + 1]) << 8) |
                                static_cast<std::uint8_t>(data[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i < data.size()) {
        std::uint32_t v = static_cast<std::uint8_t>(data[i]) << 16;
        if (i + 1 < data.size()) v |= static_cast<std::uint8_t>(data[i + 1]) << 8;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        if (i + 1 < data.size()) out += kAlphabet[(v >> 6) & 63];
    }
    return out;
}

Result<std::string> base64url_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '-' || c == '+')
            v = 62;
        else if (c == '_' || c == '/')
            v = 63;
        else {
            return Status::invalid("invalid base64url character at position " + std::to_string(i));
        }
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    if (bits >= 6) return Status::invalid("invalid base64url length");
    return out;
}

}  // namespace leadflow
