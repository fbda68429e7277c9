// server/util/crypto.cpp — OpenSSL-backed implementations of crypto.hpp.
#include "util/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace leadflow::server {
namespace {

std::string to_hex(const unsigned char* p, std::size_t n) {
    static const char kDigits[] = "0123456789abcdef";
    std::string out(n * 2, '0');
    for (std::size_t i = 0; i < n; ++i) {
        out[2 * i] = kDigits[p[i] >> 4];
        out[2 * i + 1] = kDigits[p[i] & 0xF];
    }
    return out;
}

}  // namespace

std::string random_hex(std::size_t n) {
    std::vector<unsigned char> buf(n);
    if (n > 0 && RAND_bytes(buf.data(), static_cast<int>(n)) != 1) {
        std::fputs("leadflow-server: the system random source failed\n", stderr);
        std::abort();
    }
    return to_hex(buf.data(), n);
}

std::string new_id(std::string_view prefix) {
    return std::string(prefix) + random_hex(12);
}

std::string sha256_hex(std::string_view data) {
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
    return to_hex(md, sizeof md);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
    return to_hex(md, len);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace leadflow::server
