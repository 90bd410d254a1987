// An errno value's text as a std::string, so that a message can append it.
#pragma once

#include <cstring>
#include <string>

namespace vyre::detail {

inline std::string errno_text(int err) { return std::strerror(err); }

}  // namespace vyre::detail
