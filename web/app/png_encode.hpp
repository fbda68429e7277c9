// web/app/png_encode.hpp — PNG files (RFC 2083) from RGBA pixels, for exporting the canvas as
// an image. Pure: the compressed data is core's deflate_raw in a zlib stream (RFC 1950).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace leadflow::web {

// The PNG file of a `width` × `height` image, 8-bit RGBA, rows top to bottom, each row
// `width` × 4 bytes of `rgba`. Every row uses the "Up" filter when that helps compression and
// "None" otherwise. Returns "" when the size is zero, larger than 16384 on a side, or `rgba` is
// not exactly width × height × 4 bytes.
std::string encode_png_rgba(std::string_view rgba, int width, int height);

// The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320) and zlib's Adler-32, exposed for
// the tests that check encoded files.
std::uint32_t png_crc32(std::string_view bytes);
std::uint32_t adler32(std::string_view bytes);

}  // namespace leadflow::web
