#include <doctest/doctest.h>

#include "vyre/labels.h"
#include "vyre/protocol.h"

using namespace vyre;

TEST_CASE("protocol values read as their names, or as numbers") {
  CHECK(hex(0xFFFD) == "0x0000FFFD");
  CHECK(hex(0xDEADBEEF, 0) == "0xDEADBEEF");
  CHECK(hex(0, 0) == "0x0");
  CHECK(opcode_label(protocol::opcode::STORE_U32) == "STORE_U32");
  CHECK(opcode_label(0x100) == "0x00000100");
  CHECK(opcode_text(protocol::opcode::PRINTF) == "PRINTF (0x0000FFFE)");
  CHECK(opcode_text(9) == "0x00000009");
  CHECK(status_label(protocol::slot::DONE) == "DONE");
  CHECK(status_label(9) == "9");
  CHECK(priority_label(protocol::slot::PRIORITY_HIGH) == "HIGH");
  CHECK(priority_label(7) == "7");
}
