#include "vyre/ring.h"

#include <algorithm>
#include <bit>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <string>

#include "vyre/detail/words.h"
#include "vyre/error.h"

namespace vyre {

namespace op = protocol::opcode;
using detail::word_at;
using detail::write_word;
using protocol::ARG0_WORD;
using protocol::ARGS_PER_SLOT;
using protocol::SLOT_BYTES;
using protocol::SLOT_WORDS;

namespace {

constexpr const char* kRingCapFix =
    "split the dispatch into smaller ring shards before encoding; slot_count exceeds the megakernel allocation cap or "
    "host address space";
constexpr const char* kNotPublishableFix =
    "slot is not publishable; only EMPTY and DONE slots may be written by the host";
constexpr const char* kTooManyArgsFix = "too many args for one slot; 12 u32 args max per slot";
constexpr const char* kRingLengthFix =
    "ring buffer byte length is not an exact multiple of SLOT_WORDS * 4; rebuild it with Megakernel::encode_empty_ring";
constexpr const char* kItemsExceedSlotsFix =
    "work item count exceeds ring slot count; enlarge the launch geometry before publishing";

// The slot capacity of a ring the host may publish into.
uint64_t publish_view(ByteSpan ring) {
  if (ring.size() % SLOT_BYTES != 0) throw Error::queue_full(kRingLengthFix);
  return ring.size() / SLOT_BYTES;
}

void validate_publish_payload(uint32_t opcode, size_t arg_count) {
  if (arg_count > ARGS_PER_SLOT) throw Error::queue_full(kTooManyArgsFix);
  if (auto fix = op::validate_publish_opcode(opcode); !fix.empty()) throw Error::queue_full(std::string(fix));
}

void validate_publishable_slot(ByteSpan ring, uint64_t slot_idx) {
  const uint32_t status = word_at(ring, slot_idx * SLOT_WORDS + protocol::STATUS_WORD);
  if (status != protocol::slot::EMPTY && status != protocol::slot::DONE) throw Error::queue_full(kNotPublishableFix);
}

// Writes a validated slot. The slot image is built in registers and stored
// as one 60-byte block, then the status word, which must come last because
// it is the publish barrier the kernel polls.
void write_slot(MutableByteSpan ring, uint64_t slot_idx, uint32_t tenant, uint32_t opcode,
                std::span<const uint32_t> args) {
  uint32_t image[SLOT_WORDS] = {};
  image[protocol::OPCODE_WORD] = opcode;
  image[protocol::TENANT_WORD] = tenant;
  image[protocol::PRIORITY_WORD] = protocol::slot::PRIORITY_NORMAL;
  std::copy(args.begin(), args.end(), image + ARG0_WORD);
  uint8_t* p = ring.data() + slot_idx * SLOT_BYTES;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(p + 4, image + 1, SLOT_BYTES - 4);
  } else {
    for (uint32_t w = 1; w < SLOT_WORDS; ++w) detail::store_u32(p + 4 * w, image[w]);
  }
  detail::store_u32(p, protocol::slot::PUBLISHED);
}

void write_work_item(MutableByteSpan ring, uint64_t slot_idx, uint32_t tenant, const WorkItem& item) {
  const uint32_t args[3] = {item.input, item.output, item.param};
  write_slot(ring, slot_idx, tenant, item.op, args);
}

void validate_work_item_opcodes(std::span<const WorkItem> items) {
  for (const auto& item : items)
    if (auto fix = op::validate_publish_opcode(item.op); !fix.empty()) throw Error::queue_full(std::string(fix));
}

void validate_work_item_count(uint32_t slot_count, std::span<const WorkItem> items) {
  if (items.size() > slot_count) throw Error::queue_full(kItemsExceedSlotsFix);
}

}  // namespace

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

void publish_slot(MutableByteSpan ring, uint32_t slot_idx, uint32_t tenant_id, uint32_t opcode,
                  std::span<const uint32_t> args) {
  const uint64_t capacity = publish_view(ring);
  if (slot_idx >= capacity)
    throw Error::queue_full("slot_idx exceeds ring slot count; enlarge the ring via encode_empty_ring");
  validate_publish_payload(opcode, args.size());
  validate_publishable_slot(ring, slot_idx);
  write_slot(ring, slot_idx, tenant_id, opcode, args);
}

std::vector<uint32_t> pack_slot_args(std::span<const PackedOp> ops) {
  if (ops.size() > 255) throw Error::queue_full("packed slot supports at most 255 inner opcodes");
  const uint64_t metadata_words = (op::PACKED_HEADER_BYTES + op::PACKED_OP_BYTES * uint64_t{ops.size()} + 3) / 4;
  if (metadata_words > ARGS_PER_SLOT)
    throw Error::queue_full("packed slot metadata exceeds the 12-word slot argument budget");
  SlotArgs args{};
  auto put_byte = [&](size_t byte_index, uint8_t value) {
    args[byte_index / 4] |= uint32_t{value} << ((byte_index % 4) * 8);
  };
  std::vector<uint32_t> packed;
  put_byte(0, static_cast<uint8_t>(ops.size()));
  for (size_t i = 0; i < ops.size(); ++i) {
    const auto arg_offset = static_cast<uint8_t>(packed.size());
    if (metadata_words + packed.size() + ops[i].args.size() > ARGS_PER_SLOT)
      throw Error::queue_full("packed slot payload exceeds the 12-word slot argument budget");
    packed.insert(packed.end(), ops[i].args.begin(), ops[i].args.end());
    put_byte(op::packed_op_byte(i), ops[i].opcode);
    put_byte(op::packed_op_byte(i) + 1, arg_offset);
  }
  put_byte(1, static_cast<uint8_t>(packed.size()));
  std::copy(packed.begin(), packed.end(), args.begin() + metadata_words);
  return {args.begin(), args.begin() + metadata_words + packed.size()};
}

void publish_packed_slot(MutableByteSpan ring, uint32_t slot_idx, uint32_t tenant_id, std::span<const PackedOp> ops) {
  const auto args = pack_slot_args(ops);
  publish_slot(ring, slot_idx, tenant_id, op::PACKED_SLOT, args);
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

PackedView decode_packed(const SlotArgs& args) {
  auto byte_at = [&](size_t i) -> uint8_t { return static_cast<uint8_t>(args[i / 4] >> ((i % 4) * 8)); };
  PackedView v;
  v.op_count = byte_at(0);
  v.arg_words = byte_at(1);
  v.metadata_words = op::packed_metadata_words(v.op_count);
  // Only pairs whose metadata bytes lie inside the 48 argument bytes exist.
  const uint32_t listed = std::min<uint32_t>(v.op_count, (ARGS_PER_SLOT * 4 - 2) / 2);
  const uint32_t kernel_count = std::min<uint32_t>(v.op_count, op::PACKED_MAX_INNER_OPS);
  const uint32_t kernel_meta = op::packed_metadata_words(kernel_count);
  for (uint32_t i = 0; i < listed; ++i) {
    PackedInnerOp inner;
    inner.opcode = byte_at(op::packed_op_byte(i));
    inner.arg_offset = byte_at(op::packed_op_byte(i) + 1);
    const uint32_t next = (i + 1 < listed) ? byte_at(op::packed_op_byte(i + 1) + 1) : v.arg_words;
    const uint32_t from = v.metadata_words + inner.arg_offset;
    const uint32_t to = std::min<uint32_t>(v.metadata_words + std::max<uint32_t>(next, inner.arg_offset), ARGS_PER_SLOT);
    for (uint32_t w = from; w < to; ++w) inner.args.push_back(args[w]);
    const uint32_t kbase = kernel_meta + inner.arg_offset;
    inner.executed = i < kernel_count && kbase + op::PACKED_INNER_ARGS <= ARGS_PER_SLOT;
    if (inner.executed)
      for (uint32_t k = 0; k < op::PACKED_INNER_ARGS; ++k) inner.kernel_args[k] = args[kbase + k];
    v.ops.push_back(std::move(inner));
  }
  return v;
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

namespace {

// Stores one 64-byte slot image at a 64-byte-aligned address, bypassing the
// cache where the target supports it: a freshly encoded ring is written once
// and read by the device, so caching it only costs read-for-ownership traffic.
inline void store_slot_image(uint8_t* dst, const uint32_t (&image)[SLOT_WORDS]) {
#if defined(__SSE2__)
  if constexpr (std::endian::native == std::endian::little) {
    if ((reinterpret_cast<uintptr_t>(dst) & 15) == 0) {
      const auto* src = reinterpret_cast<const __m128i*>(image);
      auto* out = reinterpret_cast<__m128i*>(dst);
      for (int i = 0; i < 4; ++i) _mm_stream_si128(out + i, _mm_loadu_si128(src + i));
      return;
    }
  }
#endif
  for (uint32_t w = 0; w < SLOT_WORDS; ++w) detail::store_u32(dst + 4 * w, image[w]);
}

inline void store_fence() {
#if defined(__SSE2__)
  _mm_sfence();
#endif
}

// Fixed-size and branch-free so it vectorizes: words past arg_count are
// zeroed whatever the entry holds there.
inline void slot_image(const SlotWrite& w, uint32_t (&image)[SLOT_WORDS]) {
  image[protocol::STATUS_WORD] = protocol::slot::PUBLISHED;
  image[protocol::OPCODE_WORD] = w.opcode;
  image[protocol::TENANT_WORD] = w.tenant;
  image[protocol::PRIORITY_WORD] = protocol::slot::PRIORITY_NORMAL;
  for (uint32_t k = 0; k < ARGS_PER_SLOT; ++k) image[ARG0_WORD + k] = k < w.arg_count ? w.args[k] : 0;
}

}  // namespace

void encode_ring_into(uint32_t slot_count, std::span<const SlotWrite> slots, Bytes& ring) {
  if (slot_count > protocol::MAX_ENCODED_RING_SLOTS) throw Error::byte_length_overflow("ring", kRingCapFix);
  auto validate = [&](const SlotWrite& w) {
    try {
      if (w.slot >= slot_count)
        throw Error::queue_full("slot_idx exceeds ring slot count; enlarge the ring via encode_empty_ring");
      validate_publish_payload(w.opcode, w.arg_count);
    } catch (...) {
      ring.clear();  // never leave a half-encoded ring behind
      throw;
    }
  };
  ring.resize(uint64_t{slot_count} * SLOT_BYTES);
  static constexpr uint32_t kZero[SLOT_WORDS] = {};
  uint32_t image[SLOT_WORDS];
  // Fast path: entries in increasing slot order (how specs and batches are
  // written): one sequential streaming pass, gaps written as EMPTY slots.
  uint32_t next = 0;
  size_t i = 0;
  for (; i < slots.size() && slots[i].slot >= next; ++i) {
    validate(slots[i]);
    for (; next < slots[i].slot; ++next) store_slot_image(ring.data() + uint64_t{next} * SLOT_BYTES, kZero);
    slot_image(slots[i], image);
    store_slot_image(ring.data() + uint64_t{next} * SLOT_BYTES, image);
    next = slots[i].slot + 1;
  }
  if (i == slots.size()) {
    for (; next < slot_count; ++next) store_slot_image(ring.data() + uint64_t{next} * SLOT_BYTES, kZero);
    store_fence();
    return;
  }
  store_fence();
  // Entries out of order: start again with a map from slot to entry, which
  // also finds a slot given twice.
  constexpr uint32_t kNone = 0xFFFFFFFFu;
  std::vector<uint32_t> entry_of(slot_count, kNone);
  for (uint32_t k = 0; k < slots.size(); ++k) {
    validate(slots[k]);
    if (entry_of[slots[k].slot] != kNone) {
      ring.clear();
      throw Error::queue_full(kNotPublishableFix);
    }
    entry_of[slots[k].slot] = k;
  }
  for (uint32_t s = 0; s < slot_count; ++s) {
    if (entry_of[s] == kNone) {
      store_slot_image(ring.data() + uint64_t{s} * SLOT_BYTES, kZero);
    } else {
      slot_image(slots[entry_of[s]], image);
      store_slot_image(ring.data() + uint64_t{s} * SLOT_BYTES, image);
    }
  }
  store_fence();
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

RingView decode_ring(ByteSpan ring) {
  validate_ring_bytes(ring);
  RingView v;
  v.byte_len = ring.size();
  v.slot_count = static_cast<uint32_t>(ring.size() / SLOT_BYTES);
  v.slots.resize(v.slot_count);
  for (uint32_t i = 0; i < v.slot_count; ++i) v.slots[i] = decode_slot(ring, i);
  return v;
}

}  // namespace vyre
