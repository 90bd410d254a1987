#include "vyre/labels.h"

#include <cstdio>

#include "vyre/protocol.h"

namespace vyre {

std::string hex(uint64_t value, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%0*llX", digits, static_cast<unsigned long long>(value));
  return buf;
}

std::string opcode_label(uint32_t opcode) {
  if (auto n = protocol::opcode::name(opcode)) return std::string(*n);
  return hex(opcode);
}

std::string opcode_text(uint32_t opcode) {
  auto n = protocol::opcode::name(opcode);
  return n ? std::string(*n) + " (" + hex(opcode) + ")" : hex(opcode);
}

std::string status_label(uint32_t status) {
  if (auto n = protocol::status_name(status)) return std::string(*n);
  return std::to_string(status);
}

std::string priority_label(uint32_t priority) {
  if (auto n = protocol::priority_name(priority)) return std::string(*n);
  return std::to_string(priority);
}

}  // namespace vyre
