// What every host publish path checks, and how it writes a slot: shared by
// slot_publish.cpp, packed_slot.cpp and ring_encoder.cpp. The texts are
// upstream's (QueueFull fixes), so errors stay byte-identical.
#pragma once

#include <algorithm>
#include <bit>
#include <cstring>
#include <span>
#include <string>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/ring.h"
#include "vyre/slot_publish.h"

namespace vyre::detail {

inline constexpr const char* kRingCapFix =
    "split the dispatch into smaller ring shards before encoding; slot_count exceeds the megakernel allocation cap or "
    "host address space";
inline constexpr const char* kNotPublishableFix =
    "slot is not publishable; only EMPTY and DONE slots may be written by the host";
inline constexpr const char* kTooManyArgsFix = "too many args for one slot; 12 u32 args max per slot";
inline constexpr const char* kRingLengthFix =
    "ring buffer byte length is not an exact multiple of SLOT_WORDS * 4; rebuild it with Megakernel::encode_empty_ring";
inline constexpr const char* kItemsExceedSlotsFix =
    "work item count exceeds ring slot count; enlarge the launch geometry before publishing";


// The slot capacity of a ring the host may publish into.
inline uint64_t publish_view(ByteSpan ring) {
  if (ring.size() % protocol::SLOT_BYTES != 0) throw Error::queue_full(kRingLengthFix);
  return ring.size() / protocol::SLOT_BYTES;
}

inline void validate_publish_payload(uint32_t opcode, size_t arg_count) {
  if (arg_count > protocol::ARGS_PER_SLOT) throw Error::queue_full(kTooManyArgsFix);
  if (auto fix = protocol::opcode::validate_publish_opcode(opcode); !fix.empty()) throw Error::queue_full(std::string(fix));
}

inline void validate_publishable_slot(ByteSpan ring, uint64_t slot_idx) {
  const uint32_t status = word_at(ring, slot_idx * protocol::SLOT_WORDS + protocol::STATUS_WORD);
  if (status != protocol::slot::EMPTY && status != protocol::slot::DONE) throw Error::queue_full(kNotPublishableFix);
}

// Writes a validated slot. The slot image is built in registers and stored
// as one 60-byte block, then the status word, which must come last because
// it is the publish barrier the kernel polls.
inline void write_slot(MutableByteSpan ring, uint64_t slot_idx, uint32_t tenant, uint32_t opcode,
                std::span<const uint32_t> args) {
  uint32_t image[protocol::SLOT_WORDS] = {};
  image[protocol::OPCODE_WORD] = opcode;
  image[protocol::TENANT_WORD] = tenant;
  image[protocol::PRIORITY_WORD] = protocol::slot::PRIORITY_NORMAL;
  std::copy(args.begin(), args.end(), image + protocol::ARG0_WORD);
  uint8_t* p = ring.data() + slot_idx * protocol::SLOT_BYTES;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(p + 4, image + 1, protocol::SLOT_BYTES - 4);
  } else {
    for (uint32_t w = 1; w < protocol::SLOT_WORDS; ++w) store_u32(p + 4 * w, image[w]);
  }
  store_u32(p, protocol::slot::PUBLISHED);
}

inline void write_work_item(MutableByteSpan ring, uint64_t slot_idx, uint32_t tenant, const WorkItem& item) {
  const uint32_t args[3] = {item.input, item.output, item.param};
  write_slot(ring, slot_idx, tenant, item.op, args);
}

inline void validate_work_item_opcodes(std::span<const WorkItem> items) {
  for (const auto& item : items)
    if (auto fix = protocol::opcode::validate_publish_opcode(item.op); !fix.empty()) throw Error::queue_full(std::string(fix));
}

inline void validate_work_item_count(uint32_t slot_count, std::span<const WorkItem> items) {
  if (items.size() > slot_count) throw Error::queue_full(kItemsExceedSlotsFix);
}

}  // namespace vyre::detail
