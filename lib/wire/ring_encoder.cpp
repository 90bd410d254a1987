#include "vyre/ring_encoder.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "publish_checks.h"

namespace vyre {

using protocol::ARG0_WORD;
using protocol::ARGS_PER_SLOT;
using protocol::SLOT_BYTES;
using protocol::SLOT_WORDS;
using namespace detail;

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

}  // namespace vyre
