// The bulk ring encoder: a fresh ring with many slots published in one
// streaming pass, the same bytes and checks as encode_empty_ring followed by
// publish_slot per slot.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "vyre/control.h"
#include "vyre/protocol.h"
#include "vyre/ring.h"

namespace vyre {

// One slot for the bulk encoder.
struct SlotWrite {
  uint32_t slot = 0;
  uint32_t tenant = 0;
  uint32_t opcode = 0;
  uint32_t arg_count = 0;
  SlotArgs args{};
};

// A fresh ring of `slot_count` slots with every entry of `slots` published:
// the same bytes as encode_empty_ring followed by publish_slot per entry
// (same checks and messages, a slot given twice is "not publishable"), in one
// streaming pass when the entries come in increasing slot order. When a
// check fails `ring` is left empty, never half encoded.
void encode_ring_into(uint32_t slot_count, std::span<const SlotWrite> slots, Bytes& ring);

}  // namespace vyre
