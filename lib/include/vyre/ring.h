// Ring buffer (binding 1): empty rings, the host publish paths (single
// slot, packed slot, batch with BATCH_FENCE, work items, LOAD_MISS), DONE
// counting, and the decoded view shared by inspect / dispatch / diff.
//
// Publish functions follow upstream's Megakernel API: they throw PipelineError
// kinds (QueueFull) with upstream's exact text, check in upstream's order,
// and write nothing when they fail.
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

void publish_slot(MutableByteSpan ring, uint32_t slot_idx, uint32_t tenant_id, uint32_t opcode,
                  std::span<const uint32_t> args);

struct PackedOp {
  uint8_t opcode = 0;
  std::vector<uint32_t> args;
};
// Packs `ops` into PACKED_SLOT argument words (the metadata layout of
// PROTOCOL.md); returns the used prefix of the 12 words.
std::vector<uint32_t> pack_slot_args(std::span<const PackedOp> ops);
void publish_packed_slot(MutableByteSpan ring, uint32_t slot_idx, uint32_t tenant_id, std::span<const PackedOp> ops);

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
