// IO queue (binding 3): encoder, validation, the host pump's poll / claim /
// complete steps, and the decoded view. All errors are PipelineError kinds.
// Upstream's queue object (MegakernelIoQueue): host_io_queue.h.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "vyre/control.h"

namespace vyre {

struct IoRequest {
  uint32_t slot_idx = 0;
  uint32_t op_type = 0;
  uint32_t src_handle = 0;
  uint32_t dst_handle = 0;
  uint64_t offset = 0;
  uint32_t byte_count = 0;
  uint32_t tag = 0;
  bool operator==(const IoRequest&) const = default;
};

struct IoCompletion {
  uint32_t slot_idx = 0;
  uint32_t mapped_slot = 0;
  uint32_t byte_count = 0;
  uint32_t tag = 0;
  bool operator==(const IoCompletion&) const = default;
};

Bytes encode_empty_io_queue(uint32_t slot_count);
void encode_empty_io_queue_into(uint32_t slot_count, Bytes& dst);
// Returns the slot count of a well-formed queue.
uint32_t validate_io_queue_bytes(ByteSpan io_queue);

// Requests in PUBLISHED slots, without touching the queue.
std::vector<IoRequest> poll_io_requests(ByteSpan io_queue);
// Moves PUBLISHED slots to CLAIMED and returns their requests.
std::vector<IoRequest> claim_io_requests(MutableByteSpan io_queue);
// CLAIMED -> OK (success) or ERROR. The batch checks every slot first and
// writes nothing when one fails.
void complete_io_request(MutableByteSpan io_queue, uint32_t slot_idx, bool success);
void complete_io_requests_batch(MutableByteSpan io_queue, std::span<const std::pair<uint32_t, bool>> completions);

struct IoSlotView {
  uint32_t index = 0;
  uint32_t op_type = 0, src_handle = 0, dst_handle = 0;
  uint64_t offset = 0;
  uint32_t byte_count = 0, status = 0, tag = 0;
};

struct IoQueueView {
  uint64_t byte_len = 0;
  std::vector<IoSlotView> slots;
};

IoQueueView decode_io_queue(ByteSpan io_queue);

}  // namespace vyre
