// `vyre inspect --summary`: how many of the selected slots of a ring or IO
// queue have each status, opcode (IO op) and tenant, read from the slot
// words alone. EMPTY slots count under their status only: their other words
// are the encoder's zeros, not an opcode or a tenant.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "vyre/buffer_kind.h"

namespace vyre {

struct SlotCounts {
  BufferKind kind = BufferKind::Ring;
  uint64_t byte_len = 0, slot_count = 0, selected = 0;
  std::map<uint32_t, uint64_t> by_status, by_opcode, by_tenant;  // by value; by_tenant: rings only
};

SlotCounts count_ring_slots(ByteSpan ring, std::span<const uint32_t> slots);
SlotCounts count_io_slots(ByteSpan io_queue, std::span<const uint32_t> slots);

// schemas/inspect-summary.schema.json: names as the views write them
// (status and opcode names, numbers for unnamed values, tenants as strings).
nlohmann::json slot_counts_json(const SlotCounts& counts);
// "ring: 16 slots (1024 bytes), 16 selected" and a table per count.
std::string slot_counts_text(const SlotCounts& counts);

}  // namespace vyre
