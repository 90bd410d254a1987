#include "vyre/slot_publish.h"

#include "publish_checks.h"

namespace vyre {

namespace op = protocol::opcode;
using protocol::ARG0_WORD;
using protocol::SLOT_BYTES;
using protocol::SLOT_WORDS;
using namespace detail;

void publish_slot(MutableByteSpan ring, uint32_t slot_idx, uint32_t tenant_id, uint32_t opcode,
                  std::span<const uint32_t> args) {
  const uint64_t capacity = publish_view(ring);
  if (slot_idx >= capacity)
    throw Error::queue_full("slot_idx exceeds ring slot count; enlarge the ring via encode_empty_ring");
  validate_publish_payload(opcode, args.size());
  validate_publishable_slot(ring, slot_idx);
  write_slot(ring, slot_idx, tenant_id, opcode, args);
}

uint32_t batch_publish(MutableByteSpan ring, uint32_t start_slot, uint32_t tenant_id, std::span<const BatchItem> items,
                       uint32_t batch_tag) {
  if (items.size() > 0xFFFFFFFFull)
    throw Error::queue_full("batch item count exceeds u32::MAX; split the publish batch");
  const auto item_count = static_cast<uint32_t>(items.size());
  const uint64_t capacity = publish_view(ring);
  if (item_count == 0xFFFFFFFFu)
    throw Error::queue_full("batch publish slot count overflowed u32; split the publish batch");
  const uint64_t end_slot = uint64_t{start_slot} + item_count + 1;
  if (end_slot > 0xFFFFFFFFull)
    throw Error::queue_full("batch publish slot index overflowed u32; split the publish batch");
  if (end_slot > capacity)
    throw Error::queue_full("batch publish exceeds ring slot count; enlarge the ring or split the batch");
  for (const auto& item : items) validate_publish_payload(item.opcode, item.args.size());
  for (uint64_t s = start_slot; s < end_slot; ++s) validate_publishable_slot(ring, s);
  for (uint32_t i = 0; i < item_count; ++i) write_slot(ring, start_slot + i, tenant_id, items[i].opcode, items[i].args);
  const uint32_t fence_args[2] = {item_count, batch_tag};
  write_slot(ring, start_slot + item_count, tenant_id, op::BATCH_FENCE, fence_args);
  return item_count + 1;
}

uint32_t publish_work_items(MutableByteSpan ring, uint32_t start_slot, uint32_t tenant_id,
                            std::span<const WorkItem> items) {
  validate_work_item_opcodes(items);
  if (items.size() > 0xFFFFFFFFull)
    throw Error::queue_full("work item count exceeds u32::MAX; shard the megakernel queue before publishing");
  const auto item_count = static_cast<uint32_t>(items.size());
  const uint64_t capacity = publish_view(ring);
  const uint64_t end_slot = uint64_t{start_slot} + item_count;
  if (end_slot > 0xFFFFFFFFull)
    throw Error::queue_full("work item publish slot index overflowed u32; split the publish batch");
  if (end_slot > capacity)
    throw Error::queue_full("work item publish exceeds ring slot count; enlarge the ring or split the batch");
  for (uint64_t s = start_slot; s < end_slot; ++s) validate_publishable_slot(ring, s);
  for (uint32_t i = 0; i < item_count; ++i) write_work_item(ring, start_slot + i, tenant_id, items[i]);
  return item_count;
}

void encode_work_items_ring_into(uint32_t slot_count, uint32_t tenant_id, std::span<const WorkItem> items,
                                 Bytes& ring) {
  validate_work_item_count(slot_count, items);
  validate_work_item_opcodes(items);
  try {
    encode_empty_ring_into(slot_count, ring);
  } catch (const Error& e) {
    throw e.to_pipeline();
  }
  for (uint32_t i = 0; i < items.size(); ++i) write_work_item(ring, i, tenant_id, items[i]);
}

void encode_work_items_ring_words_into(uint32_t slot_count, uint32_t tenant_id, std::span<const WorkItem> items,
                                       std::vector<uint32_t>& ring_words) {
  validate_work_item_count(slot_count, items);
  validate_work_item_opcodes(items);
  if (slot_count > protocol::MAX_ENCODED_RING_SLOTS) throw Error::queue_full(kRingCapFix);
  const size_t total_words = size_t{slot_count} * SLOT_WORDS;
  if (ring_words.size() != total_words) {
    ring_words.assign(total_words, 0);
  } else {
    for (size_t s = items.size(); s < slot_count; ++s)
      ring_words[s * SLOT_WORDS + protocol::STATUS_WORD] = protocol::slot::EMPTY;
  }
  for (size_t s = 0; s < items.size(); ++s) {
    uint32_t* w = ring_words.data() + s * SLOT_WORDS;
    w[protocol::OPCODE_WORD] = items[s].op;
    w[protocol::TENANT_WORD] = tenant_id;
    w[protocol::PRIORITY_WORD] = protocol::slot::PRIORITY_NORMAL;
    w[ARG0_WORD] = items[s].input;
    w[ARG0_WORD + 1] = items[s].output;
    w[ARG0_WORD + 2] = items[s].param;
    w[protocol::STATUS_WORD] = protocol::slot::PUBLISHED;
  }
}

Bytes encode_load_miss(uint32_t resource_id, bool prefetch) {
  Bytes slot(SLOT_BYTES, 0);
  write_word(slot, protocol::STATUS_WORD, protocol::slot::PUBLISHED);
  write_word(slot, protocol::OPCODE_WORD, op::LOAD_MISS);
  write_word(slot, protocol::TENANT_WORD, 0);
  write_word(slot, protocol::PRIORITY_WORD, protocol::slot::PRIORITY_CRITICAL);
  write_word(slot, ARG0_WORD, resource_id);
  write_word(slot, ARG0_WORD + 1, prefetch ? 1 : 0);
  return slot;
}

std::optional<LoadMiss> decode_load_miss(ByteSpan ring, uint32_t slot) {
  // Upstream computes the slot base in u32 and gives up on overflow.
  if (uint64_t{slot} * SLOT_WORDS > 0xFFFFFFFFull) return std::nullopt;
  const uint64_t base = uint64_t{slot} * SLOT_WORDS;
  auto opcode = detail::read_word(ring, base + protocol::OPCODE_WORD);
  if (!opcode || *opcode != op::LOAD_MISS) return std::nullopt;
  auto resource = detail::read_word(ring, base + ARG0_WORD);
  if (!resource) return std::nullopt;
  auto prefetch = detail::read_word(ring, base + ARG0_WORD + 1);
  if (!prefetch) return std::nullopt;
  return LoadMiss{*resource, *prefetch != 0};
}

}  // namespace vyre
