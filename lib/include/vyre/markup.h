// Writing text into the SVG and HTML the tools produce (bench plots, slot
// maps, the dispatch page): one escaping, one number format.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vyre {

// `text` with &, <, > and " escaped, for element text and attribute values.
std::string xml_text(std::string_view text);
// 1048576 as "1,048,576".
std::string grouped(uint64_t value);

}  // namespace vyre
