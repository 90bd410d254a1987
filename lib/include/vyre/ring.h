// Ring buffer (binding 1): its layout in 64-byte slots, empty rings, the
// decoded view shared by inspect / dispatch / diff, and slot status counts.
// Publishing into a ring: slot_publish.h, packed_slot.h, ring_encoder.h.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "vyre/control.h"
#include "vyre/protocol.h"

namespace vyre {

using SlotArgs = std::array<uint32_t, protocol::ARGS_PER_SLOT>;

std::optional<uint64_t> ring_byte_len(uint32_t slot_count);

// Upstream try_encode_empty_ring(_into) (ProtocolError kinds).
Bytes encode_empty_ring(uint32_t slot_count);
void encode_empty_ring_into(uint32_t slot_count, Bytes& dst);

// Upstream try_count_done_ring_slots (ProtocolError kinds) and the lenient
// count_done_ring_slots (nullopt for item_count 0 or a short buffer).
uint64_t count_done_ring_slots(ByteSpan ring, uint64_t item_count);
std::optional<uint64_t> count_done_ring_slots_lenient(ByteSpan ring, uint64_t item_count);

// The first 64 bytes mirror the wire layout word for word (decode_slot
// relies on it); `index` follows.
struct SlotView {
  uint32_t status = 0;
  uint32_t opcode = 0;
  uint32_t tenant = 0;
  uint32_t priority = 0;
  SlotArgs args{};
  uint32_t index = 0;
};
static_assert(offsetof(SlotView, args) == 4 * protocol::ARG0_WORD && offsetof(SlotView, index) == protocol::SLOT_BYTES);

struct RingView {
  uint64_t byte_len = 0;
  uint32_t slot_count = 0;
  std::vector<SlotView> slots;
};

// How many slots have each status (EMPTY..FAULT), and how many an unknown one.
struct StatusCounts {
  std::array<uint64_t, protocol::slot::FAULT + 1> by_status{};
  uint64_t other = 0;
};
StatusCounts count_statuses(const RingView& ring);
// The same from the ring bytes, reading only the status words (no decoded
// view is built: replay counts every round this way).
StatusCounts count_statuses(ByteSpan ring);

// Throws InvalidInput when the length is not a whole number of slots or
// exceeds the u32 slot range.
void validate_ring_bytes(ByteSpan ring);
RingView decode_ring(ByteSpan ring);
SlotView decode_slot(ByteSpan ring, uint32_t slot_idx);

}  // namespace vyre
