// Shared helpers for the core tests: reading fixtures (real files: natively, and under node
// through NODERAWFS in the WebAssembly build).
#include "test_util.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace leadflow::testing {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string fixture_path(const std::string& name) {
    return std::string(LEADFLOW_FIXTURES_DIR) + "/" + name;
}

std::string read_fixture(const std::string& name) {
    return read_file(fixture_path(name));
}

}  // namespace leadflow::testing

namespace leadflow::testing {

TimeMs utc(int y, int mo, int d, int h, int mi, int s, int ms) {
    auto leap = [](int yy) { return (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0; };
    const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long long days = 0;
    for (int yy = 1970; yy < y; ++yy) days += leap(yy) ? 366 : 365;
    for (int yy = y; yy < 1970; ++yy) days -= leap(yy) ? 366 : 365;
    for (int m = 1; m < mo; ++m) days += mdays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
    days += d - 1;
    return ((days * 24 + h) * 60 + mi) * 60000LL + s * 1000LL + ms;
}

TimeZone zone(const char* name) {
    Result<TimeZone> z = TimeZone::find(name);
    EXPECT_TRUE(z.ok()) << name;
    return z.ok() ? z.value() : TimeZone::utc();
}

}  // namespace leadflow::testing
