// The resource map of `vyre dispatch --resources MAP.json`: which file the
// host pump serves for each LOAD_MISS resource id, {"7": "weights.bin"}.
#pragma once

#include <string_view>

#include "vyre/dispatch.h"

namespace vyre {

// Keys are decimal or 0x-hex u32 ids ("7" and "0x7" are the same id, so
// both at once are an error); relative paths are relative to the map's
// directory. Throws InvalidInput naming `source` and the key.
ResourceMap parse_resource_map(std::string_view json_text, std::string_view source);

}  // namespace vyre
