#include <doctest/doctest.h>

#include "vyre/error.h"
#include "vyre/ring.h"
#include "vyre/ring_spec.h"

using namespace vyre;
namespace op = protocol::opcode;

namespace {
std::string error_of(std::string_view spec) {
  try {
    encode_ring_spec_text(spec, "s.json");
  } catch (const Error& e) {
    CHECK(e.exit_code() == 2);
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("slots default to the next index and the spec tenant") {
  const Bytes ring = encode_ring_spec_text(
      R"({"slot_count": 4, "tenant": 9, "slots": [{"slot": 1, "opcode": "NOP"}, {"opcode": 256, "tenant": 2}]})", "s");
  CHECK(decode_slot(ring, 0).status == protocol::slot::EMPTY);
  CHECK(decode_slot(ring, 1).tenant == 9);
  CHECK(decode_slot(ring, 2).opcode == 256);
  CHECK(decode_slot(ring, 2).tenant == 2);
}

TEST_CASE("batch_fence follows the highest slot with [count, tag]") {
  const Bytes ring = encode_ring_spec_text(
      R"({"slot_count": 8, "tenant": 3, "slots": [{"slot": 4, "opcode": "NOP"}, {"slot": 1, "opcode": "NOP"}],
          "batch_fence": {"tag": "0xBEEF"}})", "s");
  const SlotView fence = decode_slot(ring, 5);
  CHECK(fence.opcode == op::BATCH_FENCE);
  CHECK(fence.args[0] == 2);
  CHECK(fence.args[1] == 0xBEEF);
  CHECK(fence.tenant == 3);
}

TEST_CASE("raw PACKED_SLOT args are published as given") {
  const Bytes ring =
      encode_ring_spec_text(R"({"slot_count": 1, "slots": [{"opcode": "PACKED_SLOT", "args": [66049, 7, 9]}]})", "s");
  CHECK(decode_slot(ring, 0).args[0] == 66049);
}

TEST_CASE("errors name the JSON path") {
  CHECK(error_of(R"({"slot_count": 2, "slots": [{"opcode": "NOP"}, {"opcode": "NOP", "args": [1, "x"]}]})")
            .find("s.json: slots[1].args[1]: string \"x\" is not a u32") != std::string::npos);
  CHECK(error_of(R"({"slot_count": 2, "slots": [{"work_item": {"op": "0xFFFF"}}]})")
            .find("slots[0].work_item.op: 0x0000FFFF is a reserved system opcode") != std::string::npos);
  CHECK(error_of(R"({"slot_count": 2, "slots": [{"opcode": "PACKED_SLOT", "ops": [], "args": []}]})")
            .find("exactly one of \"ops\"") != std::string::npos);
  CHECK(error_of(R"({"slot_count": 2, "slots": [{"opcode": "LOAD_MISS", "resource_id": 1, "tenant": 4}]})")
            .find("slots[0].tenant: unknown key") != std::string::npos);
  CHECK(error_of(R"({"slot_count": 2, "slots": [{"opcode": "LOAD_MISS", "resource_id": 1, "prefetch": 1}]})")
            .find("slots[0].prefetch: expected true or false") != std::string::npos);
  CHECK(error_of(R"({"slot_count": 2, "slots": {}})").find("slots: expected an array") != std::string::npos);
  CHECK(error_of("{\"slot_count\": 2,\n \"slots\": [}").find("line 2, column 12") != std::string::npos);
  // Found by fuzzing: a number beyond double range is not a parse_error.
  CHECK(error_of(R"({"slot_count": 1E400})").find("number overflow") != std::string::npos);
}
