// PACKED_SLOT: up to 255 inner ops (the kernel runs the first 4) packed
// into a slot's 12 argument words behind a metadata header (protocol.h's
// packed layout); packing for the publisher and decoding for the views.
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

struct PackedOp {
  uint8_t opcode = 0;
  std::vector<uint32_t> args;
};
// Packs `ops` into PACKED_SLOT argument words (the metadata layout of
// protocol.h); returns the used prefix of the 12 words.
std::vector<uint32_t> pack_slot_args(std::span<const PackedOp> ops);
void publish_packed_slot(MutableByteSpan ring, uint32_t slot_idx, uint32_t tenant_id, std::span<const PackedOp> ops);

struct PackedInnerOp {
  uint8_t opcode = 0;
  uint8_t arg_offset = 0;
  // The words the publisher placed for this op (offset up to the next op's
  // offset, or the packed-args total).
  std::vector<uint32_t> args;
  // Whether the kernel executes this op (index below the clamp of 4 and its
  // three argument words inside the slot), and the words it reads.
  bool executed = false;
  std::array<uint32_t, protocol::opcode::PACKED_INNER_ARGS> kernel_args{};
};

struct PackedView {
  uint32_t op_count = 0;   // byte 0 as written
  uint32_t arg_words = 0;  // byte 1 as written
  uint32_t metadata_words = 0;
  std::vector<PackedInnerOp> ops;
};

// Decodes the packed metadata of a PACKED_SLOT's argument words.
PackedView decode_packed(const SlotArgs& args);

}  // namespace vyre
