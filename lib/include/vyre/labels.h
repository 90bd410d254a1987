// How every tool writes a protocol value: its name when the protocol names
// it, else its number. Views, reports and messages all use these, so a value
// reads the same everywhere.
#pragma once

#include <cstdint>
#include <string>

namespace vyre {

// "0x0000FFFD": a number as hex, `digits` wide (0: as few as needed).
std::string hex(uint64_t value, int digits = 8);
// "STORE_U32", or "0x00000100" for an unnamed opcode.
std::string opcode_label(uint32_t opcode);
// "PRINTF (0x0000FFFE)", or "0x00000100": an opcode in a message.
std::string opcode_text(uint32_t opcode);
// "DONE", or "9" for a status the protocol does not name.
std::string status_label(uint32_t status);
// "HIGH", or "9".
std::string priority_label(uint32_t priority);

}  // namespace vyre
