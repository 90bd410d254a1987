#include "vyre/ring.h"

#include <cstring>
#include <string>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "publish_checks.h"

namespace vyre {

using detail::word_at;
using protocol::ARG0_WORD;
using protocol::ARGS_PER_SLOT;
using protocol::SLOT_BYTES;
using protocol::SLOT_WORDS;
using detail::kRingCapFix;

std::optional<uint64_t> ring_byte_len(uint32_t slot_count) {
  if (slot_count > protocol::MAX_RING_SLOTS) return std::nullopt;
  return uint64_t{slot_count} * SLOT_BYTES;
}

Bytes encode_empty_ring(uint32_t slot_count) {
  Bytes out;
  encode_empty_ring_into(slot_count, out);
  return out;
}

void encode_empty_ring_into(uint32_t slot_count, Bytes& dst) {
  if (slot_count > protocol::MAX_ENCODED_RING_SLOTS) throw Error::byte_length_overflow("ring", kRingCapFix);
  dst.assign(*ring_byte_len(slot_count), 0);
}

void validate_ring_bytes(ByteSpan ring) {
  if (ring.size() % SLOT_BYTES != 0) {
    const uint64_t whole = ring.size() / SLOT_BYTES;
    throw Error::invalid_input(
        "ring, byte offset " + std::to_string(whole * SLOT_BYTES),
        "ring has " + std::to_string(ring.size()) + " bytes, not a whole number of " + std::to_string(SLOT_BYTES) +
            "-byte slots (" + std::to_string(ring.size() % SLOT_BYTES) + " trailing bytes)",
        "pass a complete ring readback; rebuild it with `vyre encode-ring` or Megakernel::encode_empty_ring");
  }
  if (ring.size() / SLOT_BYTES > protocol::MAX_RING_SLOTS)
    throw Error::invalid_input("ring", "ring has " + std::to_string(ring.size() / SLOT_BYTES) +
                                           " slots, more than the u32 slot index range allows (" +
                                           std::to_string(protocol::MAX_RING_SLOTS) + ")",
                               "split the ring into shards");
}

SlotView decode_slot(ByteSpan ring, uint32_t slot_idx) {
  const uint8_t* p = ring.data() + uint64_t{slot_idx} * SLOT_BYTES;
  SlotView s;
  if constexpr (std::endian::native == std::endian::little) {
    // SlotView's first 64 bytes mirror the wire layout word for word.
    std::memcpy(static_cast<void*>(&s), p, SLOT_BYTES);
  } else {
    s.status = detail::load_u32(p + 4 * protocol::STATUS_WORD);
    s.opcode = detail::load_u32(p + 4 * protocol::OPCODE_WORD);
    s.tenant = detail::load_u32(p + 4 * protocol::TENANT_WORD);
    s.priority = detail::load_u32(p + 4 * protocol::PRIORITY_WORD);
    for (uint32_t i = 0; i < ARGS_PER_SLOT; ++i) s.args[i] = detail::load_u32(p + 4 * (ARG0_WORD + i));
  }
  s.index = slot_idx;
  return s;
}

RingView decode_ring(ByteSpan ring) {
  validate_ring_bytes(ring);
  RingView v;
  v.byte_len = ring.size();
  v.slot_count = static_cast<uint32_t>(ring.size() / SLOT_BYTES);
  v.slots.resize(v.slot_count);
  for (uint32_t i = 0; i < v.slot_count; ++i) v.slots[i] = decode_slot(ring, i);
  return v;
}

uint64_t count_done_ring_slots(ByteSpan ring, uint64_t item_count) {
  if (item_count == 0) return 0;
  if (ring.size() % 4 != 0)
    throw Error::misaligned_byte_length("ring", ring.size(),
                                        "pass whole u32 protocol words; do not decode partial DMA/readback buffers");
  uint64_t required = 0;
  if (__builtin_mul_overflow(item_count, uint64_t{SLOT_BYTES}, &required))
    throw Error::byte_length_overflow("ring", "split the dispatch before ring status decode overflows host address space");
  if (ring.size() < required)
    throw Error::missing_word("ring", required / 4, ring.size(),
                              "decode only full ring readbacks sized for the submitted megakernel item_count");
  uint64_t done = 0;
  for (uint64_t s = 0; s < item_count; ++s)
    done += word_at(ring, s * SLOT_WORDS + protocol::STATUS_WORD) == protocol::slot::DONE;
  return done;
}

std::optional<uint64_t> count_done_ring_slots_lenient(ByteSpan ring, uint64_t item_count) {
  if (item_count == 0) return std::nullopt;
  uint64_t required = 0;
  if (__builtin_mul_overflow(item_count, uint64_t{SLOT_BYTES}, &required) || ring.size() < required)
    return std::nullopt;
  uint64_t done = 0;
  for (uint64_t s = 0; s < item_count; ++s)
    done += word_at(ring, s * SLOT_WORDS + protocol::STATUS_WORD) == protocol::slot::DONE;
  return done;
}

namespace {
void count_status(StatusCounts& c, uint32_t status) {
  if (status <= protocol::slot::FAULT) ++c.by_status[status];
  else ++c.other;
}
}  // namespace

StatusCounts count_statuses(const RingView& ring) {
  StatusCounts c;
  for (const auto& s : ring.slots) count_status(c, s.status);
  return c;
}

StatusCounts count_statuses(ByteSpan ring) {
  validate_ring_bytes(ring);
  StatusCounts c;
  for (size_t off = 0; off < ring.size(); off += SLOT_BYTES) count_status(c, detail::load_u32(ring.data() + off));
  return c;
}

}  // namespace vyre
