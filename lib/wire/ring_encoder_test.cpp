#include <doctest/doctest.h>

#include <random>
#include "vyre/error.h"
#include "vyre/ring_encoder.h"
#include "vyre/slot_publish.h"
#include "error_text.h"

using namespace vyre;
namespace op = protocol::opcode;
using testing::error_of;

TEST_CASE("encode_ring_into gives the bytes of encode_empty_ring + publish_slot") {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    const uint32_t slot_count = 1 + rng() % 64;
    std::vector<SlotWrite> writes;
    Bytes expected = encode_empty_ring(slot_count);
    for (uint32_t s = 0; s < slot_count; ++s) {
      if (rng() % 3 == 0) continue;
      SlotWrite w{s, static_cast<uint32_t>(rng() % 5), static_cast<uint32_t>(rng() % 8), static_cast<uint32_t>(rng() % 13), {}};
      for (uint32_t k = 0; k < w.arg_count; ++k) w.args[k] = rng();
      for (uint32_t k = w.arg_count; k < 12; ++k) w.args[k] = rng();  // ignored words
      publish_slot(expected, s, w.tenant, w.opcode, std::span(w.args.data(), w.arg_count));
      writes.push_back(w);
    }
    if (round % 2) std::shuffle(writes.begin(), writes.end(), rng);  // the out-of-order path
    Bytes got(3, 0xEE);
    encode_ring_into(slot_count, writes, got);
    CHECK(got == expected);
  }
}

TEST_CASE("encode_ring_into refuses a slot given twice and leaves no half ring") {
  std::vector<SlotWrite> writes = {{1, 0, op::NOP, 0, {}}, {0, 0, op::NOP, 0, {}}, {1, 0, op::NOP, 0, {}}};
  Bytes ring;
  CHECK(error_of([&] { encode_ring_into(4, writes, ring); }).find("slot is not publishable") != std::string::npos);
  CHECK(ring.empty());
  writes = {{0, 0, op::NOP, 0, {}}, {5, 0, op::NOP, 0, {}}};
  CHECK(error_of([&] { encode_ring_into(4, writes, ring); }).find("slot_idx exceeds") != std::string::npos);
  CHECK(ring.empty());
}
