// leadflow/rng.hpp — the portable pseudo-random generator of the simulator (results must be
// byte-identical natively and in WebAssembly, so the standard library's engines are not used):
// xoshiro256** seeded through splitmix64. Same seed ⇒ same sequence on every platform.
#pragma once

#include <cstdint>

namespace leadflow {

// splitmix64: one step of Vigna's seeding generator. Advances `state`, returns the next value.
inline std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// xoshiro256** (Blackman & Vigna). Integer operations only, so its output is identical
// everywhere. Not for cryptography.
class Rng {
  public:
    // Seeds the four state words from splitmix64(seed); every seed (including 0) is valid.
    explicit Rng(std::uint64_t seed = 1) {
        std::uint64_t sm = seed;
        for (auto& w : s_) w = splitmix64(sm);
    }

    // The next 64 random bits.
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // A uniform double in [0, 1) with 53 random bits (exact: a multiple of 2^-53).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // A uniform double in (0, 1): never 0, so it is safe to take its logarithm.
    double uniform_open() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

}  // namespace leadflow
