// The host's publish paths into a ring, following upstream's Megakernel
// API: a single slot, a batch closed by BATCH_FENCE, work items, and the
// LOAD_MISS slot. They throw PipelineError kinds (QueueFull) with upstream's
// exact text, check in upstream's order, and write nothing when they fail.
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

void publish_slot(MutableByteSpan ring, uint32_t slot_idx, uint32_t tenant_id, uint32_t opcode,
                  std::span<const uint32_t> args);

struct BatchItem {
  uint32_t opcode = 0;
  std::vector<uint32_t> args;
};
// Items into start..start+n, then BATCH_FENCE [n, tag] at start+n. The whole
// window is validated before anything is written. Returns n + 1.
uint32_t batch_publish(MutableByteSpan ring, uint32_t start_slot, uint32_t tenant_id, std::span<const BatchItem> items,
                       uint32_t batch_tag);

struct WorkItem {
  uint32_t op = 0, input = 0, output = 0, param = 0;
};
uint32_t publish_work_items(MutableByteSpan ring, uint32_t start_slot, uint32_t tenant_id,
                            std::span<const WorkItem> items);
// A fresh ring of `slot_count` slots holding `items` from slot 0.
void encode_work_items_ring_into(uint32_t slot_count, uint32_t tenant_id, std::span<const WorkItem> items, Bytes& ring);
// Word-vector variant: a pre-sized vector keeps its stale words except the
// item slots and the status word of every later slot (upstream behaviour).
void encode_work_items_ring_words_into(uint32_t slot_count, uint32_t tenant_id, std::span<const WorkItem> items,
                                       std::vector<uint32_t>& ring_words);

struct LoadMiss {
  uint32_t resource_id = 0;
  bool prefetch = false;
};
// One 64-byte slot: PUBLISHED, LOAD_MISS, tenant 0, priority 0.
Bytes encode_load_miss(uint32_t resource_id, bool prefetch);
// nullopt unless slot `slot` exists and holds opcode LOAD_MISS.
std::optional<LoadMiss> decode_load_miss(ByteSpan ring, uint32_t slot);

}  // namespace vyre
